#!/usr/bin/env bash
# build-deb.sh BUILD_DIR: canrun_VERSION_amd64.deb into BUILD_DIR, with
# dpkg-buildpackage. It writes its results beside the source tree, so the
# tree is copied to BUILD_DIR/deb/canrun first: the tracked and new files
# as they are in the work tree (a tarball's files without git), and the git
# revision in .git-revision, since the copy has no .git. Then lintian, which
# fails the build on errors.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
out=$(mkdir -p "$1" && cd "$1" && pwd)
work=$out/deb
rm -rf "$work"
mkdir -p "$work/canrun"
if git -C "$src" rev-parse --git-dir >/dev/null 2>&1; then
  # Deleted but not yet committed files are listed too: skipped.
  git -C "$src" ls-files -z --cached --others --exclude-standard |
    tar -C "$src" --null --ignore-failed-read -T - -cf - 2>/dev/null | tar -C "$work/canrun" -xf -
else
  tar -C "$src" --exclude='./build*' -cf - . | tar -C "$work/canrun" -xf -
fi
cmake -DSRC="$src" -DREVISION_FILE="$work/canrun/.git-revision" -P "$src/cmake/revision.cmake"
(cd "$work/canrun" && dpkg-buildpackage -b -us -uc)
deb=$(ls "$work"/canrun_*_amd64.deb)
mv "$deb" "$out/"
deb=$out/$(basename "$deb")
if command -v lintian >/dev/null; then
  lintian --fail-on error "$deb"
fi
echo "build-deb: $deb"
