#!/usr/bin/env bash
# Seeds for fuzz_harden: the C fixtures, each built for one mitigation or
# its absence (RELRO kinds, canary, FORTIFY levels, RPATH/RUNPATH, TEXTREL,
# executable stack, CET, UPX banner, static and static-pie), and small host
# programs and libraries with real relocation and symbol tables.
set -euo pipefail
out=$1
. "$(dirname "$0")/common.sh"
if [ -d "$fixtures_c" ]; then
  for f in "$fixtures_c"/* "$fixtures_c"/lib/*; do add_elf "$f" "$out/c-$(basename "$f")"; done
fi
for f in /usr/bin/true /usr/bin/env /usr/bin/cat \
         /usr/lib/x86_64-linux-gnu/libz.so.1 \
         /usr/lib/x86_64-linux-gnu/libjansson.so.4 \
         /usr/lib/x86_64-linux-gnu/libdl.so.2; do
  add_elf "$f" "$out/host-$(basename "$f")"
done
