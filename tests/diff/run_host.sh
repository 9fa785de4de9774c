#!/bin/sh
# Differential test of canrun against readelf over this host's installed ELF
# files plus any extra directories (the test fixtures).
# Usage: run_host.sh CANRUN [EXTRA_DIR...]
set -eu
if [ $# -lt 1 ]; then
    echo "usage: $0 CANRUN [EXTRA_DIR...]" >&2
    exit 2
fi
canrun=$1
shift
here=$(cd "$(dirname "$0")" && pwd)
command -v readelf >/dev/null 2>&1 || {
    echo "readelf-diff: readelf not found (install binutils)" >&2
    exit 2
}
# The bin directories are flat; the library directory and the fixture
# directories have subdirectories (plugins, helpers, per-target builds).
n=$#
for d in /usr/lib/x86_64-linux-gnu "$@"; do
    set -- "$@" -R "$d"
done
shift "$n"
exec python3 "$here/readelf_diff.py" --canrun "$canrun" /usr/bin /usr/sbin "$@"
