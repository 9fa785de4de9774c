#!/usr/bin/env bash
# Seeds for fuzz_elf: small real ELF files (the C fixtures and a few host
# binaries) and elfkit's synthetic images of every class and byte order.
# Usage: elf.sh OUTDIR (CANRUN_FIXTURES_DIR from the environment).
set -euo pipefail
out=$1
here=$(cd "$(dirname "$0")" && pwd)
max_seed=$((128 * 1024)) # bigger seeds slow every mutation down

add_seed() { # FILE NAME: copies FILE when it is a small ELF file
  [ -f "$1" ] && [ "$(head -c 4 "$1" | od -An -tx1 | tr -d ' \n')" = 7f454c46 ] || return 0
  [ "$(stat -Lc %s "$1")" -le "$max_seed" ] || return 0
  cp -L "$1" "$out/$2"
}
cfixtures=${CANRUN_FIXTURES_DIR:-/nonexistent}/c
if [ -d "$cfixtures" ]; then
  for f in "$cfixtures"/*; do add_seed "$f" "c-$(basename "$f")"; done
fi
for f in /usr/bin/true /usr/bin/env \
         /usr/lib/x86_64-linux-gnu/libdl.so.2 \
         /usr/lib/x86_64-linux-gnu/libz.so.1 \
         /usr/lib/x86_64-linux-gnu/libjansson.so.4; do
  add_seed "$f" "host-$(basename "$f")"
done
python3 -B "$here/../../malformed/elfkit.py" --write-images "$out"
