#!/usr/bin/env bash
# Seeds for fuzz_ldcache: the real ld.so.cache of every test root and of
# this host, and caches the real ldconfig writes here in each of its
# formats (old "ld.so-1.7.0", compat, new "glibc-ld.so.cache1.1") over a
# small root with a glibc-hwcaps subdirectory, so the extension directory
# and hwcaps entries are in the corpus too.
set -euo pipefail
out=$1
. "$(dirname "$0")/common.sh"
for c in "$roots"/*/etc/ld.so.cache; do
  [ -f "$c" ] || continue
  name=$(basename "$(dirname "$(dirname "$c")")")
  add_seed "$c" "$out/root-$name"
done
add_seed /etc/ld.so.cache "$out/host"

command -v ldconfig >/dev/null || { echo "seeds: no ldconfig, real caches only"; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/etc" "$tmp/lib" "$tmp/usr/lib/glibc-hwcaps/x86-64-v3"
for lib in libz.so.1 libjansson.so.4; do
  real=$(readlink -f "/usr/lib/x86_64-linux-gnu/$lib" 2>/dev/null) || continue
  [ -f "$real" ] || continue
  cp "$real" "$tmp/lib/"
  ln -sf "$(basename "$real")" "$tmp/lib/$lib"
  cp "$real" "$tmp/usr/lib/glibc-hwcaps/x86-64-v3/"
  ln -sf "$(basename "$real")" "$tmp/usr/lib/glibc-hwcaps/x86-64-v3/$lib"
done
printf '/lib\n/usr/lib\n' >"$tmp/etc/ld.so.conf"
for format in old compat new; do
  # -r: ldconfig chroots into the small root, nothing of this host is touched.
  if ldconfig -c "$format" -r "$tmp" -C "/etc/ld.so.cache.$format" 2>/dev/null; then
    add_seed "$tmp/etc/ld.so.cache.$format" "$out/ldconfig-$format"
  fi
done
