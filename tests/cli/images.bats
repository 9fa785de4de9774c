#!/usr/bin/env bats
# `canrun check --target image:...` on the images tests/images/make-images.sh
# makes with umoci and skopeo: every form of an image (OCI layout directory,
# OCI tar, docker-archive) must give the verdicts, findings and loader
# messages canrun gives for the same image unpacked by umoci, and damaged
# images must be refused with one line and exit status 2 (64 only for a
# target that is not one: a bad platform).
#
# Environment: CANRUN, FIXTURES (with c/ and go/), CANRUN_IMAGES (the
# OUTDIR of make-images.sh), and optionally CANRUN_IMAGE_TREE (the
# canrun-image-tree program, which compares whole trees) and CANRUN_RUNIN
# (tests/roots/runin.c, which runs programs in the unpacked images; root).

bats_require_minimum_version 1.5.0

setup() {
  : "${CANRUN:?set CANRUN}" "${FIXTURES:?set FIXTURES}"
  [ -n "${CANRUN_IMAGES:-}" ] && [ -f "$CANRUN_IMAGES/images.stamp" ] || skip "no test images (make-images.sh)"
  I=$CANRUN_IMAGES
  C=$FIXTURES/c
  G=$FIXTURES/go
  S=$I/synthetic
}

# Every fixture a verdict can depend on, where it was built.
programs() {
  local f
  for f in "$C"/hello-pie "$C"/hello-nopie "$C"/hello-static "$C"/hello-static-pie "$C"/hello-musl \
    "$C"/hello-musl-static "$C"/needs-missing-lib "$C"/needs-glibc-2.34 "$C"/needs-glibc-2.36 \
    "$C"/uses-rpath-origin "$C"/uses-runpath "$C"/hello-aarch64 "$C"/hello-x86-64-v3 "$C"/hello-execstack \
    "$G"/ginserver-nocgo "$G"/ginserver-cgo "$G"/ginserver-musl "$G"/ginserver-static-netgo \
    "$G"/ginserver-pie "$G"/ginserver-arm64; do
    [ -f "$f" ] && printf '%s\n' "$f"
  done
}

# The cells of `check --json` without their target names.
cells() {
  local out
  out=$("$CANRUN" check --json --target "$1" "${@:2}") || [ $? -le 3 ] || return 1
  jq -c '[.files[] | .path as $p | .targets[] | del(.target) | {path: $p} + .]' <<<"$out"
}

same_as_root() {
  local image=$1 root=$2 a b
  mapfile -t files < <(programs)
  [ "${#files[@]}" -gt 4 ]
  a=$(cells "image:$image" "${files[@]}")
  b=$(cells "$root" "${files[@]}")
  if [ "$a" != "$b" ]; then
    diff <(jq . <<<"$a") <(jq . <<<"$b") | head -40
    return 1
  fi
}

verdict() { jq -r ".files[$1].targets[0].verdict" <<<"$output"; }
ids() { jq -r ".files[$1].targets[0].findings[] | select(.severity != \"ok\") | .id" <<<"$output" | sort -u | tr '\n' ' '; }

# A bad image: exit 2 (or STATUS), one line on stderr that names it,
# nothing on stdout; scan says the same of it.
refused() {
  local target=$1 want=$2 code=${3:-2} line
  run --separate-stderr "$CANRUN" check --json --target "$target" "$C/hello-pie"
  [ "$status" -eq "$code" ] || { echo "status $status, want $code: $stderr"; return 1; }
  [ -z "$output" ]
  [ "${#stderr_lines[@]}" -eq 1 ]
  [[ "$stderr" == "canrun: $target: "* ]]
  [[ "$stderr" == *"$want"* ]] || { echo "stderr: $stderr"; return 1; }
  line=$stderr
  run --separate-stderr "$CANRUN" scan --no-progress "$target"
  [ "$status" -eq "$code" ] || { echo "scan: status $status, want $code: $stderr"; return 1; }
  [ "$stderr" = "$line" ] || { echo "scan: $stderr"; return 1; }
}

# A hard-linked copy of an unpacked image with room for programs in /app
# (nothing the copy shares with the original is written).
copy_root() {
  local root
  root=$(mktemp -d "$BATS_TEST_TMPDIR/root.XXXXXX")
  cp -al "$1/." "$root/" 2>/dev/null || cp -a "$1/." "$root/"
  mkdir -p "$root/app"
  printf '%s\n' "$root"
}

flip_byte() { # FILE OFFSET
  python3 -c 'import sys; f = open(sys.argv[1], "r+b"); o = int(sys.argv[2]); f.seek(o); b = f.read(1); f.seek(o); f.write(bytes([b[0] ^ 1]))' "$1" "$2"
}

@test "bookworm: the OCI layout, its tar and the docker-archive read as the unpacked image" {
  same_as_root "$I/bookworm-oci" "$I/unpacked/bookworm/rootfs"
  same_as_root "$I/bookworm-oci.tar" "$I/unpacked/bookworm/rootfs"
  same_as_root "$I/bookworm-docker.tar" "$I/unpacked/bookworm/rootfs"
  same_as_root "$I/bookworm-lib-oci" "$I/unpacked/bookworm-lib/rootfs"
}

@test "musl: the zstd OCI layout, a tar of its directory and the docker-archive read as the unpacked image" {
  same_as_root "$I/musl-oci" "$I/unpacked/musl/rootfs"
  same_as_root "$I/musl-oci.tar" "$I/unpacked/musl/rootfs"
  same_as_root "$I/musl-docker.tar" "$I/unpacked/musl/rootfs"
}

@test "umoci insert layers (no padding, no end blocks): every form reads as umoci unpacks it" {
  same_as_root "$I/bookworm-insert-oci" "$I/unpacked/bookworm-insert/rootfs"
  same_as_root "$I/bookworm-insert-docker.tar" "$I/unpacked/bookworm-insert/rootfs"
  same_as_root "$I/bookworm-whiteout-oci" "$I/unpacked/bookworm-whiteout/rootfs"
  same_as_root "$I/bookworm-whiteout-docker.tar" "$I/unpacked/bookworm-whiteout/rootfs"
  same_as_root "$S/no-trailer-oci" "$I/unpacked/no-trailer/rootfs"
}

@test "umoci insert: the CA bundle and the library added, then the library whited out" {
  local img
  for img in bookworm-insert-oci bookworm-insert-docker.tar; do
    run -0 "$CANRUN" check --json --target "image:$I/$img" "$C/needs-missing-lib"
    [ "$(verdict 0)" = runs ]
  done
  if [ -f "$G/ginserver-nocgo" ]; then
    run -3 "$CANRUN" check --json --target "image:$I/bookworm-oci" "$G/ginserver-nocgo"
    [ "$(ids 0)" = "ca-bundle-missing " ]
    run -0 "$CANRUN" check --json --target "image:$I/bookworm-insert-oci" "$G/ginserver-nocgo"
  fi
  for img in bookworm-whiteout-oci bookworm-whiteout-docker.tar; do
    run -1 "$CANRUN" check --json --target "image:$I/$img" "$C/needs-missing-lib" "$C/hello-pie"
    [ "$(verdict 0)" = fails ]
    [ "$(jq -r '.files[0].targets[0].loader_error' <<<"$output")" = \
      "/app/needs-missing-lib: error while loading shared libraries: libcanrun-vanished.so.1: cannot open shared object file: No such file or directory" ]
    [ "$(verdict 1)" = runs ]
  done
  run -0 "$CANRUN" check --json --target "image:$S/no-trailer-oci" "$C/hello-pie"
}

@test "umoci insert: in the unpacked images, programs start or fail as canrun predicts from the images" {
  [ -n "${CANRUN_RUNIN:-}" ] || skip "CANRUN_RUNIN not set"
  [ "$(id -u)" -eq 0 ] || skip "needs root (chroot)"
  local img root want_status want_err verdicts="" tls=""
  for img in bookworm-insert bookworm-whiteout; do
    root=$(copy_root "$I/unpacked/$img/rootfs")
    cp "$C/needs-missing-lib" "$root/app/"
    run "$CANRUN" check --json --target "image:$I/$img-oci" "$C/needs-missing-lib"
    verdicts+=" $(verdict 0)"
    want_status=$(jq -r '.files[0].targets[0].exit_status // 0' <<<"$output")
    want_err=$(jq -r '.files[0].targets[0].loader_error // ""' <<<"$output")
    run "-$want_status" --separate-stderr "$CANRUN_RUNIN" "$root" /app/needs-missing-lib
    [ "$stderr" = "$want_err" ] || { echo "$img: $stderr"; return 1; }
  done
  [ "$verdicts" = " runs fails" ]
  # The CA bundle: Go's crypto/x509 finds it exactly where canrun does not
  # warn that it is missing.
  [ -f "$G/ginserver-nocgo" ] || return 0
  for img in bookworm bookworm-insert; do
    root=$(copy_root "$I/unpacked/$img/rootfs")
    cp "$G/ginserver-nocgo" "$G/config.yaml" "$root/app/"
    run "$CANRUN" check --json --target "image:$I/$img-oci" "$G/ginserver-nocgo"
    if [[ "$(ids 0)" == *ca-bundle-missing* ]]; then want_err=FAIL; else want_err=ok; fi
    run timeout 120 "$CANRUN_RUNIN" "$root" /app/ginserver-nocgo --selftest --config /app/config.yaml
    [[ "$output" == *"selftest tls-roots: $want_err"* ]] || { echo "$img: canrun: $want_err; $output"; return 1; }
    tls+=" $want_err"
  done
  [ "$tls" = " FAIL ok" ]
}

@test "verdicts on the bookworm image: hello runs, a missing library and a musl program fail" {
  for img in bookworm-oci bookworm-oci.tar bookworm-docker.tar; do
    run "$CANRUN" check --json --target "image:$I/$img" "$C/hello-pie" "$C/needs-missing-lib" "$C/hello-musl"
    [ "$status" -eq 1 ]
    [ "$(jq -r '.files[0].targets[0].target' <<<"$output")" = "image:$I/$img" ]
    [ "$(jq -r '.files[0].targets[0].distro' <<<"$output")" = "Debian GNU/Linux 12 (bookworm)" ]
    [ "$(verdict 0)" = runs ]
    [ "$(verdict 1)" = fails ]
    [[ "$(jq -r '.files[1].targets[0].loader_error' <<<"$output")" == *"libcanrun-vanished.so.1: cannot open shared object file"* ]]
    [ "$(verdict 2)" = fails ]
    [ "$(ids 2)" = "interpreter-missing " ]
  done
}

@test "a musl program runs on the musl image, a glibc one does not" {
  for img in musl-oci musl-oci.tar musl-docker.tar; do
    run "$CANRUN" check --json --target "image:$I/$img" "$C/hello-musl" "$C/hello-pie"
    [ "$(verdict 0)" = runs ]
    [ "$(verdict 1)" = fails ]
    [ "$(ids 1)" = "interpreter-missing " ]
  done
}

@test "a pure-Go server warns about the CA bundle on the minbase image, exit 3" {
  [ -f "$G/ginserver-nocgo" ] || skip "no Go fixtures"
  run "$CANRUN" check --json --target "image:$I/bookworm-oci" "$G/ginserver-nocgo"
  [ "$status" -eq 3 ]
  [ "$(verdict 0)" = warns ]
  [[ "$(ids 0)" == *ca-bundle-missing* ]]
}

@test "a whiteout deletes: the library of layer 1 is gone after layer 2" {
  run "$CANRUN" check --json --target "image:$I/bookworm-lib-oci" --target "image:$I/bookworm-oci" "$C/needs-missing-lib"
  [ "$(jq -r '.files[0].targets[0].verdict' <<<"$output")" = runs ]
  [ "$(jq -r '.files[0].targets[1].verdict' <<<"$output")" = fails ]
  [ "$(jq -r '.files[0].targets[1].loader_error' <<<"$output")" = \
    "/app/needs-missing-lib: error while loading shared libraries: libcanrun-vanished.so.1: cannot open shared object file: No such file or directory" ]
}

@test "layer rules: opaque directories, hard links, writes through symlinks, loops, as umoci applies them" {
  same_as_root "$S/rules-2-oci" "$I/unpacked/rules-2/rootfs"
  same_as_root "$S/rules-3-oci" "$I/unpacked/rules-3/rootfs"
  same_as_root "$S/loop-oci" "$I/unpacked/loop/rootfs"
  run "$CANRUN" check --json --target "image:$S/rules-2-oci" --target "image:$S/rules-3-oci" "$C/hello-pie"
  [[ "$(jq -r '.files[0].targets[0].loader_error' <<<"$output")" == *"libc.so.6: cannot open shared object file"* ]]
  [ "$(jq -r '.files[0].targets[1].verdict' <<<"$output")" = runs ]
}

@test "whole trees: every path, mode, link and content as umoci unpacks them" {
  [ -n "${CANRUN_IMAGE_TREE:-}" ] || skip "CANRUN_IMAGE_TREE not set"
  local pair
  for pair in bookworm-oci:bookworm bookworm-oci.tar:bookworm bookworm-docker.tar:bookworm \
    bookworm-lib-oci:bookworm-lib musl-oci:musl musl-oci.tar:musl musl-docker.tar:musl \
    bookworm-insert-oci:bookworm-insert bookworm-insert-docker.tar:bookworm-insert \
    bookworm-whiteout-oci:bookworm-whiteout bookworm-whiteout-docker.tar:bookworm-whiteout \
    synthetic/rules-2-oci:rules-2 synthetic/rules-3-oci:rules-3 synthetic/loop-oci:loop \
    synthetic/no-trailer-oci:no-trailer; do
    run "$CANRUN_IMAGE_TREE" "$I/${pair%%:*}" "$I/unpacked/${pair##*:}/rootfs"
    [ "$status" -eq 0 ] || { echo "$output"; return 1; }
    [[ "$output" == *" 0 differences" ]]
  done
}

@test "an image index: linux/amd64 by default, another platform after @" {
  run "$CANRUN" check --json --target "image:$I/multi-oci" "$C/hello-pie"
  [ "$(jq -r '.files[0].targets[0].distro' <<<"$output")" = "Debian GNU/Linux 12 (bookworm)" ]
  [ "$(verdict 0)" = runs ]
  run "$CANRUN" check --json --target "image:$I/multi-oci@linux/arm64" "$C/hello-musl"
  [ "$(jq -r '.files[0].targets[0].target' <<<"$output")" = "image:$I/multi-oci@linux/arm64" ]
  [ "$(verdict 0)" = runs ]
  refused "image:$I/multi-oci@linux/s390x" "no linux/s390x image in it (it has linux/amd64, linux/arm64)"
  refused "image:$I/multi-oci@linux" "bad platform" 64
  # A single image must be the platform asked for.
  refused "image:$I/musl-oci@linux/arm64" "no linux/arm64 image"
}

@test "a damaged layer is refused: OCI blob digest, docker-archive diff_id, exit 2 and one line" {
  cp -r "$I/musl-oci" "$BATS_TEST_TMPDIR/oci"
  local manifest layer
  manifest=$(jq -r '.manifests[0].digest | sub("sha256:"; "")' "$BATS_TEST_TMPDIR/oci/index.json")
  layer=$BATS_TEST_TMPDIR/oci/blobs/sha256/$(jq -r '.layers[0].digest | sub("sha256:"; "")' "$BATS_TEST_TMPDIR/oci/blobs/sha256/$manifest")
  flip_byte "$layer" $(($(stat -c %s "$layer") / 2))
  refused "image:$BATS_TEST_TMPDIR/oci" "digest mismatch"
  # The docker-archive: a byte in the middle of its (uncompressed) layer.
  cp "$I/musl-docker.tar" "$BATS_TEST_TMPDIR/docker.tar"
  local offset
  offset=$(python3 -c 'import sys, tarfile
t = tarfile.open(sys.argv[1])
m = max((m for m in t.getmembers() if m.isfile()), key=lambda m: m.size)
print(m.offset_data + m.size // 2)' "$BATS_TEST_TMPDIR/docker.tar")
  flip_byte "$BATS_TEST_TMPDIR/docker.tar" "$offset"
  refused "image:$BATS_TEST_TMPDIR/docker.tar" "digest mismatch"
  refused "image:$S/bad-digest-oci" "digest mismatch"
  refused "image:$S/wrong-diffid-oci" "the config's diff_id"
}

@test "hostile layers are refused: path traversal, a hard link out, a terabyte header" {
  refused "image:$S/traversal-oci" 'entry "../../etc/passwd" climbs out of the image'"'"'s root'
  refused "image:$S/hardlink-out-oci" 'hard link "../../etc/shadow" climbs out'
  refused "image:$S/huge-oci" "larger than the 4 GiB canrun keeps in memory"
}

@test "truncated layers are refused, naming where they stop: in a file's data, a header, after a pax header" {
  refused "image:$S/truncated-oci" "layer 1 of 1 (sha256:"
  [[ "$stderr" == *"): lib.so: truncated: 80516 of its 100004 bytes are missing" ]]
  refused "image:$S/truncated-header-oci" "): truncated inside the tar header after a (412 of its 512 bytes are missing)"
  refused "image:$S/truncated-pax-oci" "/nnnnnnnnnn"
  [[ "$stderr" == *"...: truncated after its extended header, before the entry itself" ]]
  # The last member of a umoci insert layer cut short by one byte.
  cp -r "$I/bookworm-insert-oci" "$BATS_TEST_TMPDIR/cut"
  python3 - "$BATS_TEST_TMPDIR/cut" <<'EOF'
import gzip, hashlib, json, os, sys
d = sys.argv[1]
blob = lambda h: os.path.join(d, "blobs", "sha256", h.split(":")[1])
put = lambda data: (open(blob("sha256:" + hashlib.sha256(data).hexdigest()), "wb").write(data),
                    "sha256:" + hashlib.sha256(data).hexdigest())[1]
index = json.load(open(os.path.join(d, "index.json")))
manifest = json.load(open(blob(index["manifests"][0]["digest"])))
config = json.load(open(blob(manifest["config"]["digest"])))
raw = gzip.decompress(open(blob(manifest["layers"][2]["digest"]), "rb").read())[:-1]
gz = gzip.compress(raw, mtime=0)
manifest["layers"][2].update(digest=put(gz), size=len(gz))
config["rootfs"]["diff_ids"][2] = "sha256:" + hashlib.sha256(raw).hexdigest()
cfg = json.dumps(config).encode()
manifest["config"].update(digest=put(cfg), size=len(cfg))
man = json.dumps(manifest).encode()
index["manifests"][0].update(digest=put(man), size=len(man))
json.dump(index, open(os.path.join(d, "index.json"), "w"))
EOF
  refused "image:$BATS_TEST_TMPDIR/cut" "layer 3 of 4"
  [[ "$stderr" == *"): etc/ssl/certs/ca-certificates.crt: truncated: 1 of its "*" bytes are missing" ]]
}

@test "broken layouts are refused: bad JSON, a missing blob, not an image, no such file" {
  refused "image:$S/bad-json-oci" "index.json: bad JSON"
  refused "image:$S/missing-blob-oci" "missing from the image"
  # A gzip-compressed archive whose header checksum fails after a good
  # member (found by fuzz_image): once read on as a header, it ended in
  # libarchive's internal state error.
  refused "image:$BATS_TEST_DIRNAME/../fuzz/regressions/image/gzip-archive-damaged-header" ": Damaged tar archive"
  refused "image:$C/hello-pie" "not a tar archive"
  refused "image:$BATS_TEST_TMPDIR/nonexistent.tar" "No such file or directory"
  mkdir -p "$BATS_TEST_TMPDIR/empty"
  refused "image:$BATS_TEST_TMPDIR/empty" "neither an OCI image layout"
}

@test "table output names the image target" {
  run "$CANRUN" check --target "image:$I/musl-oci" "$C/hello-musl"
  [ "$status" -eq 0 ]
  [[ "${lines[0]}" == *"image:$I/musl-oci"* ]]
}
