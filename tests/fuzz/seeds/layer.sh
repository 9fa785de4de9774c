#!/usr/bin/env bash
# Seeds for fuzz_layer (see image_seeds.py): small layer streams, plain tar,
# gzip and zstd, with whiteouts. Usage: layer.sh OUTDIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
python3 -B "$here/image_seeds.py" layer "$1"
