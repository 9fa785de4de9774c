#!/usr/bin/env bash
# Builds startprobe/ (GOPATH mode, offline) linked by the system linker
# with and without runtime/cgo into OUTDIR as startprobe-<variant>. Go 1.19
# leaves runtime/cgo out of a package built with -linkmode external when
# nothing imports it; on x86-64 such a program is killed by SIGTRAP at
# start, unless g is all its thread-local storage.
# Usage: build-startprobe.sh OUTDIR [VARIANT...]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$here/startprobe
all_variants=(ext-static ext-static-stripped ext-static-pie ext-static-cgo ext-dynamic ext-static-musl)
out=$(mkdir -p "${1:?usage: $0 OUTDIR [VARIANT...]}" && cd "$1" && pwd)
shift
variants=("$@")
[ ${#variants[@]} -gt 0 ] || variants=("${all_variants[@]}")

export GO111MODULE=off GOPATH=/usr/share/gocode GOPROXY=off GOFLAGS=
export GOCACHE=${GOCACHE:-$(dirname "$out")/go-cache}

for v in "${variants[@]}"; do
  bin=$out/startprobe-$v
  if [ -f "$bin" ] && [ "$bin" -nt "$src/main.go" ] && [ "$bin" -nt "$src/cgo.go" ] && [ "$bin" -nt "$0" ]; then
    continue
  fi
  env=(GOOS=linux GOARCH=amd64 GOAMD64=v1 CGO_ENABLED=1 CC=gcc)
  tags=netgo,osusergo
  mode=() ext=-static ldflags=
  case $v in
    ext-static) ;;
    ext-static-stripped) ldflags='-s -w ' ;;
    ext-static-pie) mode=(-buildmode=pie); ext=-static-pie ;;
    ext-static-cgo) tags=netgo,osusergo,probe_runtime_cgo ;;
    ext-dynamic) ext= ;;
    ext-static-musl) env+=(CC=musl-gcc) ;;
    *) echo "build-startprobe.sh: unknown variant '$v'" >&2; exit 64 ;;
  esac
  ldflags+="-linkmode external${ext:+ -extldflags $ext}"
  # A package directory, not a file list: `go build main.go` links
  # runtime/cgo and starts.
  (cd "$src" && env "${env[@]}" go build -trimpath "${mode[@]}" -tags "$tags" -ldflags "$ldflags" -o "$bin.tmp" .)
  mv -f "$bin.tmp" "$bin"
  echo "startprobe-$v: built"
done
