#!/usr/bin/env bash
# canrun's four speed rows (bench/rows.py): inspect against scanelf, deps
# against libtree, go against `go version -m`, harden against checksec, each
# pair measured side by side in one run, with the ratios and the goals.
# With CORPORA=1, also the wider tables of bench/compare.py (whole-tree scans,
# lddtree, peak memory of scan; checksec --dir alone takes a minute or more).
# Usage: bench/tools.sh CANRUN      (RUNS=5 runs each)
set -euo pipefail
canrun=${1:?usage: $0 CANRUN}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Built per run and never kept: the ELF lister (and floor of a header scan)
# and the runner that measures each command's peak memory.
"${CC:-cc}" -std=c17 -O2 -Wall -Wextra -o "$tmp/floor" "$here/floor.c"
"${CC:-cc}" -std=c17 -O2 -Wall -Wextra -o "$tmp/peakrss" "$here/peakrss.c"
python3 "$here/rows.py" --floor "$tmp/floor" --peakrss "$tmp/peakrss" "$canrun"
if [ "${CORPORA:-0}" = 1 ]; then
  python3 "$here/compare.py" --floor "$tmp/floor" --peakrss "$tmp/peakrss" "$canrun"
fi
