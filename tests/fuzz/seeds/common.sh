# Sourced by the seed scripts: small helpers over the shared test data.
# CANRUN_FIXTURES_DIR, CANRUN_ROOTS_DIR and CANRUN_IMAGES_DIR may be unset or
# missing: each script then makes what it can from this host alone.
max_seed=$((128 * 1024)) # bigger seeds slow every mutation down
seeds_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
fixtures_c=${CANRUN_FIXTURES_DIR:-/nonexistent}/c
roots=${CANRUN_ROOTS_DIR:-/nonexistent}

is_elf() { [ -f "$1" ] && [ "$(head -c 4 "$1" | od -An -tx1 | tr -d ' \n')" = 7f454c46 ]; }
small() { [ -f "$1" ] && [ "$(stat -Lc %s "$1")" -le "$max_seed" ]; }

# add_seed FILE OUT/NAME: copies FILE when it exists and is small.
add_seed() { small "$1" && cp -L "$1" "$2" || true; }

# add_elf FILE OUT/NAME: the same, for ELF files only.
add_elf() { is_elf "$1" && add_seed "$1" "$2" || true; }

# pack DIR FIRST OUT/NAME: a tree as one input (see fuzz_tree.h).
pack() { python3 -B "$seeds_dir/pack_tree.py" "$@"; }
