#!/usr/bin/env bash
# Builds the Go programs of the function-table test into OUTDIR, with the
# oracles the test compares canrun against:
#   VARIANT        the binary
#   VARIANT.nm     `go tool nm` of it (unstripped variants only)
#   VARIANT.deps   `go list -deps` for the same program, GOARCH and cgo setting
#
# Usage: build.sh OUTDIR
#
# Nothing is rebuilt while OUTDIR/stamp is newer than the sources and this
# script. GOCACHE defaults to OUTDIR/../go-cache, beside the other Go fixtures.
set -euo pipefail

[ $# -eq 1 ] || { echo "usage: $0 OUTDIR" >&2; exit 64; }
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$1"
outdir=$(cd "$1" && pwd)

up_to_date() {
  [ -f "$outdir/stamp" ] || return 1
  local src
  for src in "$here"/*/*.go "$here/build.sh"; do
    [ "$outdir/stamp" -nt "$src" ] || return 1
  done
}
if up_to_date; then
  echo "go-pclntab: up to date"
  exit 0
fi

# GOPATH mode against the standard library only: nothing is downloaded.
gopath=$(mktemp -d)
trap 'rm -rf "$gopath"' EXIT
export GO111MODULE=off GOPATH=$gopath GOPROXY=off GOFLAGS= GOENV=off
export GOCACHE=${GOCACHE:-$(dirname "$outdir")/go-cache}
rm -f "$outdir/stamp"

# variant  program  stripped(0/1)  env...  -- go build flags...
build() {
  local variant=$1 program=$2 stripped=$3
  shift 3
  local -a env=(GOOS=linux GOARCH=amd64 GOAMD64=v1 CGO_ENABLED=1 CC=gcc)
  while [ "$1" != -- ]; do env+=("$1"); shift; done
  shift
  local out="$outdir/$variant"
  echo "go-pclntab: $variant"
  # Write beside the target and rename, so a cut build never looks done.
  (cd "$here" && env "${env[@]}" go build -o "$out.tmp" "$@" "./$program")
  if [ "$stripped" = 0 ]; then
    go tool nm "$out.tmp" > "$out.nm.tmp"
    (cd "$here" && env "${env[@]}" go list -deps "./$program") > "$out.deps.tmp"
    mv "$out.nm.tmp" "$out.nm"
    mv "$out.deps.tmp" "$out.deps"
  fi
  mv "$out.tmp" "$out"
}

# Full source paths in the first three and the plain ones; -trimpath in the
# others, whose standard library is then the one the ginserver fixtures
# already compiled for the same settings (the build cache is shared).
build net-cgo     withnet 0 --
build net-cgo-sw  withnet 1 -- -ldflags='-s -w'
build net-ext     withnet 0 -- -ldflags='-linkmode=external'
build net-pie     withnet 0 -- -trimpath -buildmode=pie
build net-nocgo   withnet 0 CGO_ENABLED=0 -- -trimpath
build net-386     withnet 0 CGO_ENABLED=0 GOARCH=386 -- -trimpath
build net-arm64   withnet 0 CGO_ENABLED=0 GOARCH=arm64 -- -trimpath
build net-s390x   withnet 0 CGO_ENABLED=0 GOARCH=s390x -- -trimpath
build plain       plain   0 --
build plain-sw    plain   1 -- -ldflags='-s -w'
touch "$outdir/stamp"
