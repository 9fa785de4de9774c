#!/usr/bin/env bash
# Replays every input kept under DIR (a crash a fuzzer once found, since
# fixed) through FUZZER once; any crash, leak or sanitizer report fails.
#
# Usage: replay.sh FUZZER DIR
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 FUZZER DIR" >&2; exit 64; }
fuzzer=$1 dir=$2
mapfile -t inputs < <(find "$dir" -type f ! -name '*.md' 2>/dev/null | sort)
if [ "${#inputs[@]}" -eq 0 ]; then
  echo "replay: no inputs under $dir"
  exit 0
fi
# Given files rather than a directory, libFuzzer runs each once and stops.
"$fuzzer" -rss_limit_mb=2048 -timeout=30 -close_fd_mask=1 "${inputs[@]}"
echo "replay: ${#inputs[@]} inputs passed"
