#!/usr/bin/env bash
# Builds Go programs with the Go toolchain of the trixie-dev test root
# (Go 1.24: the 1.20+ function-table layout, newer build settings) into
# OUTDIR, offline. Needs root (chroot). Usage: build-in-trixie.sh ROOTSDIR OUTDIR
# Exits 77 (skip) when not root or when the root has no Go.
set -euo pipefail
roots=${1:?usage: $0 ROOTSDIR OUTDIR}
out=$(mkdir -p "${2:?usage: $0 ROOTSDIR OUTDIR}" && cd "$2" && pwd)
root=$roots/trixie-dev
[ "$(id -u)" -eq 0 ] || { echo "needs root for chroot; skipped"; exit 77; }
[ -x "$root/usr/bin/go" ] || { echo "no Go in $root; skipped"; exit 77; }
[ -x "$out/go124-cgo" ] && [ -x "$out/go124-nocgo" ] && [ -x "$out/go124-stripped" ] && [ -x "$out/go124-arm64" ] && exit 0

work=/tmp/canrun-go124
rm -rf "$root$work" && mkdir -p "$root$work"
cat > "$root$work/go.mod" <<'MOD'
module example.com/probe

go 1.24
MOD
cat > "$root$work/main.go" <<'GO'
package main

import (
	"crypto/x509"
	"fmt"
	"net"
	"os/user"
	"time"
)

func main() {
	addrs, err := net.LookupHost("localhost")
	fmt.Println(addrs, err)
	u, err := user.Current()
	fmt.Println(u, err)
	pool, err := x509.SystemCertPool()
	fmt.Println(pool != nil, err)
	fmt.Println(time.LoadLocation("Europe/Berlin"))
}
GO
# Go finds its GOROOT through /proc/self/exe: give the chroot a /proc of its
# own in a private mount namespace.
run_go() {
  unshare --mount --fork sh -c 'mount -t proc proc "$0/proc" && exec chroot "$0" "$@"' "$root" \
    env -i PATH=/usr/bin:/bin HOME=/tmp GOTOOLCHAIN=local GOPROXY=off \
    GOFLAGS=-mod=mod GOCACHE=/tmp/canrun-gocache GOTELEMETRY=off "$@"
}
run_go sh -c "cd $work && CGO_ENABLED=1 go build -o go124-cgo . && CGO_ENABLED=0 go build -o go124-nocgo . &&
  CGO_ENABLED=0 go build -ldflags='-s -w' -o go124-stripped . && CGO_ENABLED=0 GOARCH=arm64 go build -o go124-arm64 ."
cp "$root$work"/go124-* "$out/"
rm -rf "$root$work"
echo "built $(ls "$out" | tr '\n' ' ')"
