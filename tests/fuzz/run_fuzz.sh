#!/usr/bin/env bash
# Runs the ELF fuzz target for a bounded time. The seed corpus is made here
# and now, never committed: small real ELF files (the C fixtures and a few
# host binaries) and elfkit's synthetic images of every class and byte order.
# Fails on any crash, leak, timeout, out-of-memory or sanitizer report.
#
# Usage: run_fuzz.sh FUZZER WORKDIR C_FIXTURES_DIR [SECONDS]
set -euo pipefail

[ $# -ge 3 ] || { echo "usage: $0 FUZZER WORKDIR C_FIXTURES_DIR [SECONDS]" >&2; exit 64; }
fuzzer=$1 work=$2 cfixtures=$3 seconds=${4:-60}
here=$(cd "$(dirname "$0")" && pwd)
seeds=$work/seeds corpus=$work/corpus artifacts=$work/artifacts log=$work/fuzz.log
max_seed=$((128 * 1024)) # bigger seeds slow every mutation down

rm -rf "$seeds" "$corpus" "$artifacts"
mkdir -p "$seeds" "$corpus" "$artifacts"

add_seed() { # FILE NAME: copies FILE when it is a small ELF file
  [ -f "$1" ] && [ "$(head -c 4 "$1" | od -An -tx1 | tr -d ' \n')" = 7f454c46 ] || return 0
  [ "$(stat -Lc %s "$1")" -le "$max_seed" ] || return 0
  cp -L "$1" "$seeds/$2"
}
if [ -d "$cfixtures" ]; then
  for f in "$cfixtures"/*; do add_seed "$f" "c-$(basename "$f")"; done
fi
for f in /usr/bin/true /usr/bin/env \
         /usr/lib/x86_64-linux-gnu/libdl.so.2 \
         /usr/lib/x86_64-linux-gnu/libz.so.1 \
         /usr/lib/x86_64-linux-gnu/libjansson.so.4; do
  add_seed "$f" "host-$(basename "$f")"
done
python3 -B "$here/../malformed/elfkit.py" --write-images "$seeds"
echo "fuzz: $(find "$seeds" -type f | wc -l) seeds in $seeds, fuzzing for ${seconds}s"

status=0
"$fuzzer" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=5 \
  -dict="$here/elf.dict" -artifact_prefix="$artifacts/" -print_final_stats=1 \
  "$corpus" "$seeds" >"$log" 2>&1 || status=$?

# -fno-sanitize-recover makes every UBSan finding fatal; the grep is a second
# line of defence should a report ever not end the run.
if [ "$status" -ne 0 ] || grep -qE 'runtime error:|ERROR: [A-Za-z]+Sanitizer|ERROR: libFuzzer' "$log"; then
  tail -n 80 "$log"
  echo "fuzz: FAILED (exit status $status); full log $log; reproducers:"
  ls -l "$artifacts"
  echo "replay one with: $fuzzer ARTIFACT"
  exit 1
fi
grep -E '^(stat::|#[0-9]+.*DONE)' "$log" || true
echo "fuzz: passed, $(find "$corpus" -type f | wc -l) new inputs kept in $corpus"
