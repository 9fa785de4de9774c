#!/usr/bin/env bash
# Seeds for fuzz_ldconf: each test root's ld.so.conf with the files its
# includes reach and the directories they name (empty), packed as one input
# (fuzz_tree.h); and small trees for what roots seldom have: include cycles,
# a file including itself, globs with classes and escapes, relative
# includes, links that lead out of /etc or upward past the root, hwcap and
# comment lines, the same directory by two paths.
set -euo pipefail
out=$1
. "$(dirname "$0")/common.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for root in "$roots"/*/; do
  [ -f "$root/etc/ld.so.conf" ] || continue
  name=$(basename "$root")
  t=$tmp/$name
  mkdir -p "$t/etc"
  cp "$root/etc/ld.so.conf" "$t/etc/"
  [ -d "$root/etc/ld.so.conf.d" ] && cp -r "$root/etc/ld.so.conf.d" "$t/etc/"
  # The directories the files name, as empty directories.
  grep -hv '^\s*\(#\|include\|$\)' "$t/etc/ld.so.conf" "$t"/etc/ld.so.conf.d/* 2>/dev/null |
    while read -r dir _; do
      case $dir in /*) mkdir -p "$t$dir" ;; esac
    done
  pack "$t" etc/ld.so.conf "$out/root-$name"
done

t=$tmp/cycle
mkdir -p "$t/etc/ld.so.conf.d" "$t/usr/lib/x86_64-linux-gnu" "$t/opt/lib" "$t/usr/local/lib"
printf 'include /etc/ld.so.conf.d/*.conf\n# comment\n/usr/local/lib/\n' >"$t/etc/ld.so.conf"
printf 'include a.conf\ninclude ../ld.so.conf\n/opt/lib\n' >"$t/etc/ld.so.conf.d/a.conf"
printf 'include ld.so.conf.d/[ab].conf /etc/ld.so.conf.d/?.conf\nhwcap 0 nosegneg\n/usr/lib/x86_64-linux-gnu\n' \
  >"$t/etc/ld.so.conf.d/b.conf"
printf 'include \\*.conf\nrelative/dir\n' >"$t/etc/ld.so.conf.d/.hidden.conf"
ln -s /lib "$t/usr/lib64"
ln -s usr/lib "$t/lib"
ln -s ../../../../../etc/passwd "$t/etc/ld.so.conf.d/up.conf"
ln -s loop.conf "$t/etc/ld.so.conf.d/loop.conf"
pack "$t" etc/ld.so.conf "$out/cycle"

t=$tmp/deep
mkdir -p "$t/etc/c" "$t/lib"
printf 'include c/1\n/lib///\n/\nlib\n' >"$t/etc/ld.so.conf"
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18; do
  printf 'include %s\n/lib%s\n' "$((i + 1))" "$i" >"$t/etc/c/$i"
  mkdir -p "$t/lib$i"
done
pack "$t" etc/ld.so.conf "$out/deep"
