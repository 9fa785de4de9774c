#!/usr/bin/env bash
# Seeds for fuzz_walk: small trees packed as one input each (fuzz_tree.h):
# ELF fixtures of several machines and classes among text files and
# scripts, directory links that loop or lead upward out of the tree, links
# to files, a hard link and a FIFO; and a tree that looks like a root
# (os-release, a real ld.so.cache, a program that needs a library there).
set -euo pipefail
out=$1
. "$(dirname "$0")/common.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fix() { small "$fixtures_c/$1" && cp "$fixtures_c/$1" "$2" || true; }

t=$tmp/mixed
mkdir -p "$t/usr/bin" "$t/lib" "$t/data/deep/er"
fix hello-pie "$t/usr/bin/app"
[ -f "$t/usr/bin/app" ] || printf '#!/bin/sh\necho app\n' >"$t/usr/bin/app"
fix hello-musl "$t/usr/bin/musl"
fix tiny-i386 "$t/usr/bin/i386"
fix tiny-ppc64be "$t/data/deep/er/ppc"
fix libgreet.so "$t/lib/libgreet.so"
fix hello.o "$t/data/hello.o"
printf '#!/bin/sh\nexit 0\n' >"$t/usr/bin/script"
chmod +x "$t/usr/bin/script"
printf '\177ELF' >"$t/data/truncated"
printf 'plain text\n' >"$t/data/readme"
ln -s . "$t/data/self"
ln -s ../../../../.. "$t/data/up"
ln -s /etc "$t/data/etc"
ln -s ../usr/bin/app "$t/lib/app-link"
ln -s missing "$t/lib/dangling"
mkfifo "$t/data/fifo"
pack "$t" usr/bin/app "$out/mixed"
# A second name of a file, which only the input format can say.
printf '\n@@h data/app-again usr/bin/app\n' >>"$out/mixed"

t=$tmp/root
mkdir -p "$t/etc" "$t/usr/bin" "$t/usr/lib/x86_64-linux-gnu"
bookworm=$roots/bookworm
if [ -f "$bookworm/etc/os-release" ]; then
  cp -L "$bookworm/etc/os-release" "$t/etc/os-release"
else
  printf 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n' >"$t/etc/os-release"
fi
[ -f "$bookworm/etc/ld.so.cache" ] && cp "$bookworm/etc/ld.so.cache" "$t/etc/"
fix needs-missing-lib "$t/usr/bin/app"
[ -f "$t/usr/bin/app" ] || printf 'not a program\n' >"$t/usr/bin/app"
fix uses-runpath "$t/usr/bin/runpath"
fix libgreet.so "$t/usr/lib/x86_64-linux-gnu/libgreet.so.1"
ln -s usr/lib "$t/lib"
ln -s lib "$t/lib64"
pack "$t" usr/bin/app "$out/root"

# A tree that is only links and directories.
printf '\n@@d a/b/c\n@@l a/b/c/d ../../..\n@@l x x\n@@l y /\n@@p a/p\n' >"$out/links"
