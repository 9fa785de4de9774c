#!/usr/bin/env bash
# Seeds for fuzz_modinfo (see go_seeds.py): from the Go fixtures and the Go
# toolchain's programs, and synthesized. Usage: modinfo.sh OUTDIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/go_programs.sh"
python3 -B "$here/go_seeds.py" modinfo "$1" "${go_programs[@]}"
