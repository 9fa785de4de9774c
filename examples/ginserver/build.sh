#!/usr/bin/env bash
# Builds ginserver variants into OUTDIR as ginserver-<variant>; they are the
# Go test subjects of canrun (static vs dynamic, glibc vs musl, PIE, stripped,
# ISA level, foreign architectures).
#
# Usage: build.sh OUTDIR [VARIANT...]    (every variant when none is named)
#
# A variant whose binary is newer than the Go sources and this script is
# skipped.
# GOCACHE defaults to OUTDIR/../go-cache so repeated builds are quick and
# nothing outside the build tree is written; set GOCACHE to share one.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
all_variants=(cgo nocgo static-netgo musl pie stripped amd64v3 arm64 386 s390x)

usage() {
  echo "usage: $0 OUTDIR [VARIANT...]"
  echo "variants: ${all_variants[*]}"
}

[ $# -ge 1 ] || { usage >&2; exit 64; }
case $1 in -h|--help) usage; exit 0 ;; esac
mkdir -p "$1"
outdir=$(cd "$1" && pwd)
shift
variants=("$@")
[ ${#variants[@]} -gt 0 ] || variants=("${all_variants[@]}")

# Debian ships gin, viper and their dependencies as sources under
# /usr/share/gocode: build in GOPATH mode against them and never reach for
# the module proxy.
export GO111MODULE=off GOPATH=/usr/share/gocode GOPROXY=off GOFLAGS=
export GOCACHE=${GOCACHE:-$(dirname "$outdir")/go-cache}

# The binaries look for config.yaml next to themselves.
cmp -s "$here/config.yaml" "$outdir/config.yaml" || cp "$here/config.yaml" "$outdir/config.yaml"

# True when $1 exists and is newer than every Go source and this script.
up_to_date() {
  [ -f "$1" ] || return 1
  local src
  for src in "$here"/*.go "$here/build.sh"; do
    [ "$1" -nt "$src" ] || return 1
  done
}

build_variant() {
  local variant=$1 out="$outdir/ginserver-$1"
  # Pin everything a caller's environment could change, then override.
  local -a env=(GOOS=linux GOARCH=amd64 GOAMD64=v1 CGO_ENABLED=1 CC=gcc)
  local -a flags=()
  case $variant in
    cgo) ;;
    nocgo) env+=(CGO_ENABLED=0) ;;
    # Pure-Go resolver and user lookup, but still cgo-linked by the system
    # linker, fully static: the classic "static with glibc" build.
    static-netgo)
      # shellcheck disable=SC2054 # the comma belongs to -tags
      flags=(-tags netgo,osusergo -ldflags '-linkmode external -extldflags "-static"') ;;
    # External linking so that musl-gcc links the binary: Go's internal
    # linker would write glibc's interpreter into it.
    musl) env+=(CC=musl-gcc); flags=(-ldflags '-linkmode external') ;;
    pie) flags=(-buildmode=pie) ;;
    stripped) flags=(-ldflags '-s -w') ;;
    amd64v3) env+=(GOAMD64=v3) ;;
    arm64) env+=(GOARCH=arm64 CGO_ENABLED=0) ;;
    386) env+=(GOARCH=386 CGO_ENABLED=0) ;;
    s390x) env+=(GOARCH=s390x CGO_ENABLED=0) ;;
    *) echo "build.sh: unknown variant '$variant'" >&2; usage >&2; return 64 ;;
  esac

  if up_to_date "$out"; then
    echo "ginserver-$variant: up to date"
    return 0
  fi

  local start=$SECONDS
  # Build beside the target and rename, so an interrupted build never
  # leaves a binary that looks up to date.
  (cd "$here" && env "${env[@]}" go build -trimpath "${flags[@]}" -o "$out.tmp" .)
  mv -f "$out.tmp" "$out"
  echo "ginserver-$variant: built in $((SECONDS - start))s"
}

for v in "${variants[@]}"; do
  build_variant "$v"
done
