#!/usr/bin/env bash
# Seeds for fuzz_elf: small real ELF files (the C fixtures and a few host
# binaries) and elfkit's synthetic images of every class and byte order.
set -euo pipefail
out=$1
. "$(dirname "$0")/common.sh"
if [ -d "$fixtures_c" ]; then
  for f in "$fixtures_c"/*; do add_elf "$f" "$out/c-$(basename "$f")"; done
fi
for f in /usr/bin/true /usr/bin/env \
         /usr/lib/x86_64-linux-gnu/libdl.so.2 \
         /usr/lib/x86_64-linux-gnu/libz.so.1 \
         /usr/lib/x86_64-linux-gnu/libjansson.so.4; do
  add_elf "$f" "$out/host-$(basename "$f")"
done
python3 -B "$seeds_dir/../../malformed/elfkit.py" --write-images "$out"
