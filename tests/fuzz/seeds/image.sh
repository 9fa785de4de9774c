#!/usr/bin/env bash
# Seeds for fuzz_image (see image_seeds.py): small docker-archive and OCI
# images made here, and the synthetic test images (CANRUN_IMAGES_DIR) that
# are small enough, packed as tars. Usage: image.sh OUTDIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dirs=()
for d in "${CANRUN_IMAGES_DIR:-/nonexistent}"/synthetic/*-oci; do
  [ -d "$d" ] && [ "$(du -sk "$d" | cut -f1)" -le 1024 ] && dirs+=("$d")
done
python3 -B "$here/image_seeds.py" image "$1" "${dirs[@]}"
