#!/usr/bin/env bats
# The statically linked canrun (make static, CMake target canrun-static):
# canrun itself says it runs on scratch and Alpine; then it really runs in
# copies of the empty root (nothing but a few static programs) and the musl
# root, where it reads container images (a gzip docker-archive, a zstd OCI
# tar) with the same answers as the dynamic build, and probes a TLS server
# by name and by address without loading any shared object.
#
# Environment: CANRUN (the dynamic build), CANRUN_STATIC, CANRUN_ROOTS_DIR,
# CANRUN_IMAGES and CANRUN_RUNIN (tests/roots/runin.c; the runs need root).
# The roots are copied: the shared ones are never changed.

bats_require_minimum_version 1.5.0

setup_file() {
  : "${CANRUN:?set CANRUN}" "${CANRUN_STATIC:?set CANRUN_STATIC}"
  [ -x "$CANRUN_STATIC" ] || {
    echo "no $CANRUN_STATIC: cmake --build BUILD --target canrun-static" >&2
    return 1
  }
}

setup() {
  T=$BATS_TEST_TMPDIR
  SERVER=
}

teardown() {
  [ -z "$SERVER" ] || kill "$SERVER" 2>/dev/null || true
}

# same_version: $output is the dynamic build's --version line (-dirty aside:
# the two builds may straddle an edit).
same_version() {
  [ "${output/-dirty)/)}" = "$("$CANRUN" --version | sed 's/-dirty)$/)/')" ]
}

# in_root NAME: a copy of the test root NAME at $T/NAME with canrun at
# /canrun; skips where it cannot run there.
in_root() {
  [ "$(id -u)" = 0 ] || skip "running in a root needs root"
  [ -n "${CANRUN_RUNIN:-}" ] || skip "CANRUN_RUNIN not set"
  [ -f "${CANRUN_ROOTS_DIR:-}/$1.stamp" ] || skip "no $1 root (make-roots.sh)"
  R=$T/$1
  cp -a "$CANRUN_ROOTS_DIR/$1" "$R"
  cp "$CANRUN_STATIC" "$R/canrun"
}

@test "one static-pie ELF program: no loader, no libraries; full RELRO, NX" {
  run -0 "$CANRUN" inspect --json "$CANRUN_STATIC"
  [ "$(jq -c '.files[0] | [.kind, .interpreter, .needed]' <<<"$output")" = '["static-pie",null,[]]' ]
  run -0 file -b "$CANRUN_STATIC"
  [[ "$output" == *"static-pie linked"* ]]
  # The mitigations of the Debian package's build, kept in the static link.
  run -0 "$CANRUN" harden --require full-relro,pie,nx "$CANRUN_STATIC"
}

@test "canrun check: it runs on scratch and on alpine-3.22" {
  run -0 "$CANRUN" check --target scratch --target alpine-3.22 "$CANRUN_STATIC"
  [[ "${lines[2]}" =~ ^[^\ ]*canrun-static\ +runs\ +runs\ *$ ]]
  run -0 "$CANRUN" check --json --target scratch --target alpine-3.22 "$CANRUN_STATIC"
  [ "$(jq -c '[.files[0].targets[] | [.target, .verdict, (.findings | length)]]' <<<"$output")" = \
    '[["scratch","runs",0],["alpine-3.22","runs",0]]' ]
  # The dynamic build, for contrast, needs glibc's loader there.
  run -1 "$CANRUN" check --target scratch "$CANRUN"
  [[ "$output" == *"[interpreter-missing]"* ]]
}

@test "--version: the version and revision of the dynamic build" {
  run -0 "$CANRUN_STATIC" --version
  [[ "$output" =~ ^canrun\ [0-9]+\.[0-9]+\.[0-9]+\ \(git\ ([0-9a-f]{7,40}(-dirty)?|unknown)\)$ ]]
  same_version
}

# scan_same ROOT IMAGE: IMAGE (a file of CANRUN_IMAGES) scanned by the static
# canrun inside ROOT and by the dynamic one here: the same report and status.
scan_same() {
  local root=$1 image=$2 want
  [ -f "$CANRUN_IMAGES/$image" ] || skip "no $image (make-images.sh)"
  cp "$CANRUN_IMAGES/$image" "$R/$image"
  want=$(cd "$R" && "$CANRUN" scan --target alpine-3.22 --target debian-12 "image:$image"; echo "status $?")
  run "$CANRUN_RUNIN" "$R" /canrun scan --target alpine-3.22 --target debian-12 "image:$image"
  [ "$output"$'\n'"status $status" = "$want" ]
  [ "$(grep -c '^runs\|^fails\|^warns' <<<"$output")" -gt 0 ]
}

@test "in the empty root: it starts, and scans the musl images (gzip, zstd) as the dynamic build" {
  in_root empty
  run -0 "$CANRUN_RUNIN" "$R" /canrun --version
  same_version
  scan_same "$R" musl-docker.tar
  scan_same "$R" musl-oci.tar
}

@test "in the musl root: it starts, checks a program there against that root, scans an image" {
  in_root musl
  run -0 "$CANRUN_RUNIN" "$R" /canrun --version
  same_version
  # Its own root as the target: the musl loader is there, glibc's is not.
  run -0 "$CANRUN_RUNIN" "$R" /canrun check --json --target rootfs:/ /canrun
  [ "$(jq -r '.files[0].targets[0].verdict' <<<"$output")" = runs ]
  scan_same "$R" musl-oci.tar
}

@test "tls in the empty root: localhost from /etc/hosts and 127.0.0.1, no shared object loaded" {
  in_root empty
  command -v strace >/dev/null || skip "no strace"
  mkdir -p "$R/etc"
  echo '127.0.0.1 localhost' >"$R/etc/hosts"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=localhost \
    -addext 'subjectAltName=DNS:localhost,IP:127.0.0.1' -days 30 -keyout "$T/key.pem" -out "$R/ca.pem" 2>/dev/null
  # Port 0: s_server says which port it took once it listens.
  coproc SRV { exec openssl s_server -accept 127.0.0.1:0 -cert "$R/ca.pem" -key "$T/key.pem" -www 2>&1; }
  SERVER=$SRV_PID
  local line port=
  while read -r -t 10 line <&"${SRV[0]}"; do
    [[ "$line" =~ ^ACCEPT\ 127\.0\.0\.1:([0-9]+)$ ]] && { port=${BASH_REMATCH[1]}; break; }
  done
  [ -n "$port" ]
  local host
  for host in localhost 127.0.0.1; do
    run strace -f -qq -e trace=execve,open,openat -o "$T/trace" \
      "$CANRUN_RUNIN" "$R" /canrun tls --ca /ca.pem "$host:$port"
    # Exit 3: the self-signed certificate is a warning; verification passes.
    [ "$status" -eq 3 ]
    [[ "$output" == *"protocol     TLSv1.3"* ]]
    [[ "$output" == *"verify       0 (ok) against /ca.pem"* ]]
    [[ "$output" == *"name         $host: matches"* ]]
    # Every open after canrun's own execve: none of a shared object.
    run -0 sed -n '/execve("\/canrun"/,$p' "$T/trace"
    [ -n "$output" ]
    run -1 grep -E 'open(at)?\(.*\.so[."]' <<<"$output"
  done
}
