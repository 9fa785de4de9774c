#!/usr/bin/env bats
# canrun --version: CMake's project version and the git revision of the
# tree it was built from, also after each command's name; and the script
# that finds the revision (cmake/revision.cmake) on trees without .git: a
# `git archive` tarball, a copy with .git-revision written, and neither.
#
# Environment: CANRUN, CANRUN_SOURCE_DIR (the source tree it was built from).

bats_require_minimum_version 1.5.0

setup() {
  : "${CANRUN:?set CANRUN}" "${CANRUN_SOURCE_DIR:?set CANRUN_SOURCE_DIR}"
  T=$BATS_TEST_TMPDIR
}

# revision_of DIR: what revision.cmake says for a tree at DIR.
revision_of() {
  cmake -DSRC="$1" -DREVISION_FILE="$T/rev" -P "$CANRUN_SOURCE_DIR/cmake/revision.cmake"
  cat "$T/rev"
}

@test "--version: canrun, CMake's version, the revision" {
  run -0 "$CANRUN" --version
  local version
  version=$(sed -n 's/^project(canrun VERSION \([0-9.]*\).*/\1/p' "$CANRUN_SOURCE_DIR/CMakeLists.txt")
  [[ "$output" =~ ^canrun\ ${version//./\\.}\ \(git\ ([0-9a-f]{7,40}(-dirty)?|unknown)\)$ ]]
  # The header is made at build time: a tree in git gives HEAD's revision
  # (-dirty aside: an edit since the build is no fault of --version).
  if git -C "$CANRUN_SOURCE_DIR" rev-parse --git-dir >/dev/null 2>&1; then
    local rev
    rev=$(revision_of "$CANRUN_SOURCE_DIR")
    [ "${output/-dirty)/)}" = "canrun $version (git ${rev%-dirty})" ]
    [ "${rev%-dirty}" = "$(git -C "$CANRUN_SOURCE_DIR" rev-parse --short=12 HEAD)" ]
  fi
}

@test "COMMAND --version: the same line after every command's name" {
  local want cmd n=0
  want=$("$CANRUN" --version)
  for cmd in $("$CANRUN" --help | sed -n 's/^  \([a-z]\+\) .*/\1/p'); do
    run -0 "$CANRUN" "$cmd" --version
    [ "$output" = "$want" ]
    n=$((n + 1))
  done
  [ "$n" -ge 12 ]
  # Only right after the name: elsewhere it is an option the command lacks.
  run -64 "$CANRUN" inspect --version /bin/true
  run -0 "$CANRUN" --help
  [[ "$output" == *"canrun COMMAND --version"* ]]
}

@test "revision.cmake: a tree without .git says unknown" {
  mkdir "$T/tree"
  [ "$(revision_of "$T/tree")" = unknown ]
  # .git-revision as committed (not expanded by git archive): still unknown.
  cp "$CANRUN_SOURCE_DIR/.git-revision" "$T/tree/"
  [ "$(revision_of "$T/tree")" = unknown ]
  # As build-deb.sh writes it into its copy.
  echo 0123456789ab-dirty >"$T/tree/.git-revision"
  [ "$(revision_of "$T/tree")" = 0123456789ab-dirty ]
}

@test "revision.cmake: a git archive tarball carries its commit" {
  git -C "$CANRUN_SOURCE_DIR" rev-parse --git-dir >/dev/null 2>&1 || skip "not a git checkout"
  mkdir "$T/tree"
  git -C "$CANRUN_SOURCE_DIR" archive HEAD .git-revision CMakeLists.txt | tar -C "$T/tree" -xf -
  local rev
  rev=$(revision_of "$T/tree")
  [[ "$rev" =~ ^[0-9a-f]{7,40}$ ]]
  [[ "$(git -C "$CANRUN_SOURCE_DIR" rev-parse HEAD)" == "$rev"* ]]
}
