#!/usr/bin/env bash
# Builds the container images that tests/cli/images.bats reads with
# `canrun check --target image:...`, with the real tools (umoci, skopeo)
# from the test roots of tests/roots/make-roots.sh. Nothing here is
# committed; tests/images/README.md lists what each image is for.
#
# Usage: make-images.sh OUTDIR ROOTSDIR
#
# OUTDIR is built in OUTDIR.tmp, renamed, then stamped (OUTDIR/images.stamp
# holds the recipe: this script, the library's sources and the roots'
# stamps); a stamped OUTDIR is left alone. Exits 77 (skipped) when the roots
# are not there: they need root to be made.
set -euo pipefail

[ $# -eq 2 ] || { echo "usage: $0 OUTDIR ROOTSDIR" >&2; exit 64; }
here=$(cd "$(dirname "$0")" && pwd)
src=$here/../fixtures/src
roots=$(cd "$2" 2>/dev/null && pwd) || { echo "make-images: no roots at $2" >&2; exit 77; }
for r in bookworm musl; do
  if [ ! -f "$roots/$r.stamp" ] || [ ! -d "$roots/$r" ]; then
    echo "make-images: no $r root in $roots (tests/roots/make-roots.sh makes it)" >&2
    exit 77
  fi
done
for tool in umoci skopeo gcc tar jq sha256sum flock python3; do
  command -v "$tool" >/dev/null ||
    { echo "make-images: $tool is not installed (scripts/debian-packages.txt)" >&2; exit 1; }
done
# The CA bundle umoci insert adds (tests/roots/selftest_truth.sh uses it too).
host_ca=${CANRUN_HOST_CA_BUNDLE:-/etc/ssl/certs/ca-certificates.crt}
[ -s "$host_ca" ] || { echo "make-images: no CA bundle at $host_ca (set CANRUN_HOST_CA_BUNDLE)" >&2; exit 1; }
mkdir -p "$(dirname "$1")"
out=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")

log() { printf 'make-images: %s\n' "$*"; }

# One builder at a time: ctest may run the gcc and the sanitizer trees at once.
exec 9>"$out.lock"
flock 9

recipe=$(cat "$0" "$here/mklayout.py" "$src/greet.c" "$src/greet.map" "$roots/bookworm.stamp" "$roots/musl.stamp" |
  sha256sum | cut -c1-64)
if [ -f "$out/images.stamp" ] && [ "$(cat "$out/images.stamp")" = "$recipe" ]; then
  log "up to date ($out)"
  exit 0
fi

# umoci needs root to keep owners and device nodes; elsewhere it maps them,
# and the few files of the roots only root can read stay out.
umoci_opts=()
tar_opts=()
if [ "$(id -u)" -ne 0 ]; then
  umoci_opts=(--rootless)
  tar_opts=(--ignore-failed-read --warning=no-failed-read)
fi
tmp=$out.tmp
rm -rf "$tmp"
mkdir -p "$tmp/work" "$tmp/unpacked"
w=$tmp/work
t0=$SECONDS
step() { log "$1: $((SECONDS - t0)) s"; t0=$SECONDS; }

# ROOT's files into BUNDLE's rootfs. /app holds the roots' own test
# programs and /dev is the runtime's; neither belongs in an image.
fill() {
  tar -C "$1" "${tar_opts[@]}" --exclude=./app --exclude=./dev --exclude='./proc/*' -cf - . | tar -C "$2/rootfs" -xf -
}

# The library needs-missing-lib was linked against (then deleted), rebuilt
# the same way: with it the program runs, so its absence is observable.
gcc -O2 -fPIC -shared -Wl,-soname,libcanrun-vanished.so.1 -Wl,--version-script="$src/greet.map" \
  -o "$w/libcanrun-vanished.so.1" "$src/greet.c"

# bookworm-lib-oci: one gzip layer, the bookworm root plus that library.
umoci init --layout "$w/bookworm"
umoci new --image "$w/bookworm:latest"
umoci unpack "${umoci_opts[@]}" --image "$w/bookworm:latest" "$w/bundle" >/dev/null
fill "$roots/bookworm" "$w/bundle"
install -m 644 "$w/libcanrun-vanished.so.1" "$w/bundle/rootfs/usr/lib/x86_64-linux-gnu/"
# --refresh-bundle: the next repack then adds a layer on top of this one.
umoci repack --refresh-bundle --image "$w/bookworm:latest" "$w/bundle"
cp -a "$w/bookworm" "$tmp/bookworm-lib-oci"
step "bookworm, layer 1"

# bookworm-oci: a second layer that deletes the library and a directory, so
# that it holds whiteouts (.wh.libcanrun-vanished.so.1, .wh.doc).
rm "$w/bundle/rootfs/usr/lib/x86_64-linux-gnu/libcanrun-vanished.so.1"
rm -rf "$w/bundle/rootfs/usr/share/doc"
umoci repack --image "$w/bookworm:latest" "$w/bundle"
cp -a "$w/bookworm" "$tmp/bookworm-oci"
layer2=$(jq -r '.layers[1].digest | sub("sha256:"; "")' \
  "$tmp/bookworm-oci/blobs/sha256/$(jq -r '.manifests[0].digest | sub("sha256:"; "")' "$tmp/bookworm-oci/index.json")")
tar -tzf "$tmp/bookworm-oci/blobs/sha256/$layer2" | grep -c 'x86_64-linux-gnu/.wh.libcanrun-vanished.so.1$' >/dev/null ||
  { echo "make-images: umoci wrote no whiteout for the library" >&2; exit 1; }
step "bookworm, layer 2 (whiteouts)"

# The same image as a docker-archive (uncompressed layers, checked through
# the config's diff_ids) and as a tar of the layout (members "./...").
skopeo --insecure-policy copy -q "oci:$tmp/bookworm-oci:latest" \
  "docker-archive:$tmp/bookworm-docker.tar:canrun/bookworm:latest"
tar -C "$tmp/bookworm-oci" -cf "$tmp/bookworm-oci.tar" .
step "bookworm as docker-archive and OCI tar"

# Fails unless every layer of IMAGE (an OCI layout or a docker-archive)
# after the first SKIP ends without the two end-of-archive blocks, and at
# least one also without the padding of its last member's data: what
# umoci insert writes, and what the insert images are for.
unterminated() {
  python3 - "$1" "$2" <<'EOF'
import gzip, json, os, sys, tarfile
image, skip = sys.argv[1], int(sys.argv[2])
if os.path.isdir(image):
    blob = lambda d: open(os.path.join(image, "blobs", *d.split(":")), "rb").read()
    manifest = json.loads(blob(json.load(open(os.path.join(image, "index.json")))["manifests"][0]["digest"]))
    layers = [blob(l["digest"]) for l in manifest["layers"]]
else:
    with tarfile.open(image) as t:
        layers = [t.extractfile(n).read() for n in json.load(t.extractfile("manifest.json"))[0]["Layers"]]
layers = [gzip.decompress(l) if l[:2] == b"\x1f\x8b" else l for l in layers][skip:]
assert layers, f"{image}: no layers after the first {skip}"
for raw in layers:
    assert len(raw) < 1024 or raw[-1024:] != bytes(1024), f"{image}: a layer ends with the end blocks"
assert any(len(raw) % 512 for raw in layers), f"{image}: every layer's last member is padded"
EOF
}

# bookworm-insert-oci: bookworm-oci plus two layers from umoci insert, the
# CA bundle (a path the image lacks: no etc/ssl) and the library layer 2
# deleted; each layer is one file's header and data, unpadded, with no end
# blocks. bookworm-whiteout-oci: plus a third, umoci insert --whiteout of
# that library again (a single header). Each also as a docker-archive.
cp -a "$w/bookworm" "$w/insert"
cp "$host_ca" "$w/ca.crt"
[ $(($(stat -c %s "$w/ca.crt") % 512)) -ne 0 ] || echo >>"$w/ca.crt" # keep the case under test
umoci insert "${umoci_opts[@]}" --image "$w/insert:latest" "$w/ca.crt" /etc/ssl/certs/ca-certificates.crt
umoci insert "${umoci_opts[@]}" --image "$w/insert:latest" "$w/libcanrun-vanished.so.1" \
  /usr/lib/x86_64-linux-gnu/libcanrun-vanished.so.1
for form in oci:bookworm-insert-oci:latest docker-archive:bookworm-insert-docker.tar:canrun/bookworm-insert:latest; do
  skopeo --insecure-policy copy -q "oci:$w/insert:latest" "${form%%:*}:$tmp/${form#*:}"
done
umoci insert "${umoci_opts[@]}" --image "$w/insert:latest" --whiteout /usr/lib/x86_64-linux-gnu/libcanrun-vanished.so.1
for form in oci:bookworm-whiteout-oci:latest docker-archive:bookworm-whiteout-docker.tar:canrun/bookworm-whiteout:latest; do
  skopeo --insecure-policy copy -q "oci:$w/insert:latest" "${form%%:*}:$tmp/${form#*:}"
done
for img in bookworm-insert-oci bookworm-insert-docker.tar bookworm-whiteout-oci bookworm-whiteout-docker.tar; do
  unterminated "$tmp/$img" 2
done
step "bookworm plus umoci insert layers (OCI, docker-archive)"

# musl-oci: the musl root, its layer recompressed with zstd by skopeo.
umoci init --layout "$w/musl"
umoci new --image "$w/musl:latest"
umoci unpack "${umoci_opts[@]}" --image "$w/musl:latest" "$w/mbundle" >/dev/null
fill "$roots/musl" "$w/mbundle"
umoci repack --image "$w/musl:latest" "$w/mbundle"
skopeo --insecure-policy copy -q --dest-compress-format zstd "oci:$w/musl:latest" "oci:$tmp/musl-oci:latest"
jq -e '.layers[0].mediaType | endswith("+zstd")' \
  "$tmp/musl-oci/blobs/sha256/$(jq -r '.manifests[0].digest | sub("sha256:"; "")' "$tmp/musl-oci/index.json")" >/dev/null
# docker-archive has no zstd: this one comes from the gzip layout.
skopeo --insecure-policy copy -q "oci:$w/musl:latest" "docker-archive:$tmp/musl-docker.tar:canrun/musl:latest"
# A tar made from outside the layout: members "musl-oci/...".
tar -C "$tmp" -cf "$tmp/musl-oci.tar" musl-oci
step "musl as OCI (zstd), docker-archive and OCI tar"

# multi-oci: an image index naming both images for two platforms (the
# musl one is labelled linux/arm64), behind a nested index blob.
m=$tmp/multi-oci
mkdir -p "$m/blobs/sha256"
cp "$tmp/bookworm-oci/oci-layout" "$m/"
cp -l "$tmp"/bookworm-oci/blobs/sha256/* "$tmp"/musl-oci/blobs/sha256/* "$m/blobs/sha256/" 2>/dev/null ||
  cp -n "$tmp"/bookworm-oci/blobs/sha256/* "$tmp"/musl-oci/blobs/sha256/* "$m/blobs/sha256/"
jq -c -n --argjson a "$(jq -c '.manifests[0] | del(.annotations)' "$tmp/bookworm-oci/index.json")" \
  --argjson b "$(jq -c '.manifests[0] | del(.annotations)' "$tmp/musl-oci/index.json")" \
  '{schemaVersion: 2, mediaType: "application/vnd.oci.image.index.v1+json",
    manifests: [$a + {platform: {os: "linux", architecture: "amd64"}},
                $b + {platform: {os: "linux", architecture: "arm64"}}]}' >"$w/index-blob.json"
idx=$(sha256sum "$w/index-blob.json" | cut -c1-64)
cp "$w/index-blob.json" "$m/blobs/sha256/$idx"
jq -c -n --arg d "sha256:$idx" --argjson s "$(stat -c %s "$w/index-blob.json")" \
  '{schemaVersion: 2, manifests: [{mediaType: "application/vnd.oci.image.index.v1+json", digest: $d, size: $s,
    annotations: {"org.opencontainers.image.ref.name": "latest"}}]}' >"$m/index.json"
step "multi-platform index"

# The oracles: each image unpacked by umoci; canrun must read the image
# as it reads these directories. umoci 0.4 cannot read zstd layers, so the
# musl one comes from the gzip layout (the same diff_ids).
umoci unpack "${umoci_opts[@]}" --image "$tmp/bookworm-oci:latest" "$tmp/unpacked/bookworm" >/dev/null
umoci unpack "${umoci_opts[@]}" --image "$tmp/bookworm-lib-oci:latest" "$tmp/unpacked/bookworm-lib" >/dev/null
umoci unpack "${umoci_opts[@]}" --image "$tmp/bookworm-insert-oci:latest" "$tmp/unpacked/bookworm-insert" >/dev/null
umoci unpack "${umoci_opts[@]}" --image "$tmp/bookworm-whiteout-oci:latest" "$tmp/unpacked/bookworm-whiteout" >/dev/null
umoci unpack "${umoci_opts[@]}" --image "$w/musl:latest" "$tmp/unpacked/musl" >/dev/null
cmp <(jq -S .rootfs "$w/musl/blobs/sha256/$(jq -r '.config.digest | sub("sha256:"; "")' \
        "$w/musl/blobs/sha256/$(jq -r '.manifests[0].digest | sub("sha256:"; "")' "$w/musl/index.json")")") \
    <(jq -S .rootfs "$tmp/musl-oci/blobs/sha256/$(jq -r '.config.digest | sub("sha256:"; "")' \
        "$tmp/musl-oci/blobs/sha256/$(jq -r '.manifests[0].digest | sub("sha256:"; "")' "$tmp/musl-oci/index.json")")")
step "unpacked oracles"

# Layouts written entry by entry (mklayout.py): the layer rules no tool
# above exercises (opaque whiteouts, hard links, writes through symlinked
# directories, absolute names, loops) and damaged images. umoci unpacks the
# valid ones as their oracles.
python3 "$here/mklayout.py" "$tmp/synthetic" "$tmp/unpacked/bookworm/rootfs/usr/lib/x86_64-linux-gnu"
unterminated "$tmp/synthetic/no-trailer-oci" 0
for name in rules-2 rules-3 loop no-trailer; do
  umoci unpack "${umoci_opts[@]}" --image "$tmp/synthetic/$name-oci:latest" "$tmp/unpacked/$name" >/dev/null
done
step "synthetic layouts"

rm -rf "$w"
rm -rf "$out"
mv "$tmp" "$out"
printf '%s\n' "$recipe" >"$out/images.stamp"
log "done: $out"
