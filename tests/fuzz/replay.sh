#!/usr/bin/env bash
# Replays every input kept under DIR (crashes the fuzzers once found, since
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
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
TMPDIR=$work "$fuzzer" -rss_limit_mb=2048 -timeout=30 "${inputs[@]}"
echo "replay: ${#inputs[@]} inputs passed"
