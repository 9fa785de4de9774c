#!/usr/bin/env bash
# The main job in one go: build the example gin/viper server in several ways,
# show what each variant needs, and check each against a matrix of targets,
# so the differences that decide where a binary runs (libc, interpreter, glibc
# version, architecture, CA bundle) are side by side.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
canrun=$build/canrun
out=$build/fixtures/go  # shared with the test fixtures: built once

echo "== Building the example server variants (first run takes a few minutes)"
examples/ginserver/build.sh "$out"

echo
echo "== What each variant needs (canrun inspect --json, summarised)"
printf '%-28s %-7s %-16s %-30s %-10s %s\n' VARIANT MACHINE KIND INTERPRETER GLIBC GO
for bin in "$out"/ginserver-*; do
  "$canrun" inspect --json "$bin" | jq -r '.files[0] |
    [(.path | split("/") | last), .machine, .kind, (.interpreter // "-"),
     (.max_glibc // "-"), (.go_version // "-")] | @tsv' |
    while IFS=$'\t' read -r name machine kind interp glibc go; do
      printf '%-28s %-7s %-16s %-30s %-10s %s\n' "$name" "$machine" "$kind" "$interp" "$glibc" "$go"
    done
done

echo
echo "== Will each x86-64 variant run there? canrun check against the default matrix"
"$canrun" check "$out"/ginserver-{cgo,nocgo,static-netgo,musl,pie,stripped,amd64v3,386} || true

echo
echo "== A profile is a release on one machine: the arm64 build on amd64 and arm64 servers,"
echo "   and the GOAMD64=v3 build on the CPU each release promises and on a named one"
"$canrun" check --target debian-12 --target debian-12/arm64 --target alpine-3.22/arm64 "$out/ginserver-arm64" || true
"$canrun" check --target debian-12 --target rhel-10 "$out/ginserver-amd64v3" || true
"$canrun" check --cpu x86-64-v3 --target debian-12 "$out/ginserver-amd64v3" || true

echo
echo "== One variant in full: canrun inspect $out/ginserver-cgo"
"$canrun" inspect "$out/ginserver-cgo"

echo
echo "== Its libraries on this host, as the loader would resolve them: canrun deps"
"$canrun" deps "$out/ginserver-cgo"

echo
echo "== What the Go build means, and the rebuild that makes it portable: canrun go"
"$canrun" go "$out/ginserver-cgo" "$out/ginserver-nocgo"

echo
echo "== How each variant is hardened, Go-aware: canrun harden"
"$canrun" harden "$out"/ginserver-* || true

echo
echo "== The whole build directory in one pass, checked against Debian 12: canrun scan"
"$canrun" scan --no-progress --target debian-12 "$out" || true

echo
echo "== This machine as a server: its facts saved as a profile, then checked against"
"$canrun" host --save "$build/this-host.profile.json"
"$canrun" check --target "profile:$build/this-host.profile.json" "$out"/ginserver-{cgo,musl,arm64} || true
