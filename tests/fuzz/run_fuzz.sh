#!/usr/bin/env bash
# Runs one fuzz target for a bounded time. The seed corpus is made here and
# now by the target's seed script, never committed. Fails on any crash,
# leak, timeout, out-of-memory or sanitizer report.
#
# Usage: run_fuzz.sh FUZZER WORKDIR SEEDS_SCRIPT DICT|- [SECONDS]
#   SEEDS_SCRIPT OUTDIR writes the seeds; it reads CANRUN_FIXTURES_DIR and
#   CANRUN_IMAGES_DIR from the environment when they are set.
#   FUZZ_SECONDS in the environment overrides SECONDS.
set -euo pipefail

[ $# -ge 4 ] || { echo "usage: $0 FUZZER WORKDIR SEEDS_SCRIPT DICT|- [SECONDS]" >&2; exit 64; }
fuzzer=$1 work=$2 seed_script=$3 dict=$4 seconds=${FUZZ_SECONDS:-${5:-60}}
seeds=$work/seeds corpus=$work/corpus artifacts=$work/artifacts log=$work/fuzz.log

rm -rf "$seeds" "$corpus" "$artifacts"
mkdir -p "$seeds" "$corpus" "$artifacts"
"$seed_script" "$seeds"
echo "fuzz: $(find "$seeds" -type f | wc -l) seeds in $seeds, fuzzing for ${seconds}s"

# -close_fd_mask=3: what the commands under test print (reports, and the
# one line for each damaged input) is dropped; libFuzzer's and the
# sanitizers' reports still reach the log.
args=(-max_total_time="$seconds" -rss_limit_mb=2048 -timeout=5 -print_final_stats=1
      -close_fd_mask=3 -artifact_prefix="$artifacts/")
[ "$dict" = - ] || args+=(-dict="$dict")
status=0
"$fuzzer" "${args[@]}" "$corpus" "$seeds" >"$log" 2>&1 || status=$?

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
