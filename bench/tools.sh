#!/usr/bin/env bash
# canrun side by side with scanelf, checksec, libtree, lddtree and
# `go version -m` on the same fixed corpora (/usr, /usr/bin, Go programs):
# median times, ratios and peak memory, one table per corpus.
# Usage: bench/tools.sh CANRUN      (RUNS=5 runs each; SUBSET=200 files for
# the per-file resolution loops). checksec --dir alone takes a minute or more.
set -euo pipefail
canrun=${1:?usage: $0 CANRUN}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Built per run and never kept: the floor (the least a header scan must do)
# and the runner that measures each command's peak memory.
"${CC:-cc}" -std=c17 -O2 -Wall -Wextra -o "$tmp/floor" "$here/floor.c"
"${CC:-cc}" -std=c17 -O2 -Wall -Wextra -o "$tmp/peakrss" "$here/peakrss.c"
python3 "$here/compare.py" --floor "$tmp/floor" --peakrss "$tmp/peakrss" "$canrun"
