#!/usr/bin/env bash
# Seeds for fuzz_muslpath: the musl test root's /etc/ld-musl-x86_64.path with
# the directories it names, and small trees in which the synthesized musl
# program's libz.so.1 is found, is for another class, or sits behind a
# symlink, a relative or empty path element, or a directory link loop.
set -euo pipefail
out=$1
. "$(dirname "$0")/common.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
lib64=$fixtures_c/libgreet.so
lib32=$fixtures_c/libtiny-i386.so.1

t=$tmp/root
mkdir -p "$t/etc"
if [ -f "$roots/musl/etc/ld-musl-x86_64.path" ]; then
  cp "$roots/musl/etc/ld-musl-x86_64.path" "$t/etc/"
  while read -r dir; do case $dir in /*) mkdir -p "$t$dir" ;; esac; done <"$t/etc/ld-musl-x86_64.path"
else
  printf '/lib/x86_64-linux-musl\n/usr/lib/x86_64-linux-musl\n' >"$t/etc/ld-musl-x86_64.path"
fi
pack "$t" etc/ld-musl-x86_64.path "$out/root-musl"

t=$tmp/found
mkdir -p "$t/etc" "$t/opt/a" "$t/opt/b" "$t/usr/lib"
printf '/opt/a:/opt/b\n/usr/lib\n\n::relative\n' >"$t/etc/ld-musl-x86_64.path"
small "$lib32" && cp "$lib32" "$t/opt/a/libz.so.1"
small "$lib64" && cp "$lib64" "$t/opt/b/libz.so.1.2.13" && ln -s libz.so.1.2.13 "$t/opt/b/libz.so.1"
ln -s ../../opt/b/libz.so.1.2.13 "$t/usr/lib/libssl.so.3"
pack "$t" etc/ld-musl-x86_64.path "$out/found"

t=$tmp/loops
mkdir -p "$t/etc" "$t/lib"
printf '/loop/x:/up:/lib/../../..\n' >"$t/etc/ld-musl-x86_64.path"
ln -s loop "$t/loop"
ln -s ../../../.. "$t/up"
ln -s /etc/ld-musl-x86_64.path "$t/lib/libz.so.1"
pack "$t" etc/ld-musl-x86_64.path "$out/loops"
