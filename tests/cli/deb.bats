#!/usr/bin/env bats
# The Debian package (make deb, scripts/build-deb.sh), built as a fixture:
# lintian has no error and only the warning the README justifies; it holds
# the program, the manual page and the documentation at their places, with
# CMake's version; and a real dpkg -i in a copy of the bookworm root (its
# missing dependencies downloaded by apt, as apt-get install would, into a
# cache kept in the build directory) installs a canrun that runs there
# and, on a minimal Debian 12, names as missing just what it depends on.
#
# Environment: CANRUN (the dynamic build), CANRUN_DEB (the package),
# CANRUN_VERSION (CMake's), CANRUN_DEB_WORK (a scratch directory in the
# build directory, removed after each test), CANRUN_ROOTS_DIR, CANRUN_RUNIN.

bats_require_minimum_version 1.5.0

setup_file() {
  : "${CANRUN:?set CANRUN}" "${CANRUN_DEB:?set CANRUN_DEB}" "${CANRUN_VERSION:?set CANRUN_VERSION}"
  : "${CANRUN_DEB_WORK:?set CANRUN_DEB_WORK}"
  [ -f "$CANRUN_DEB" ] || {
    echo "no $CANRUN_DEB: make deb" >&2
    return 1
  }
}

setup() {
  W=$CANRUN_DEB_WORK/root
}

teardown() {
  rm -rf "$W"
}

@test "the file name and the package version are CMake's project version" {
  [ "$(basename "$CANRUN_DEB")" = "canrun_${CANRUN_VERSION}_amd64.deb" ]
  [ "$(dpkg-deb -f "$CANRUN_DEB" Version)" = "$CANRUN_VERSION" ]
  [ "$(dpkg-deb -f "$CANRUN_DEB" Package)" = canrun ]
}

@test "lintian: no error; the one warning is uses-dpkg-database-directly" {
  command -v lintian >/dev/null || skip "no lintian"
  # (As root it also says on stderr that it should not run as root.)
  run -0 --separate-stderr lintian --fail-on error "$CANRUN_DEB"
  # toolchain reads /var/lib/dpkg/info to tell a packaged Go from a tarball,
  # also in roots where dpkg-query cannot run (README, Install).
  [ "$(grep -v '^N:' <<<"$output" | sort -u)" = "W: canrun: uses-dpkg-database-directly [usr/bin/canrun]" ]
}

@test "it holds the program, the manual page and the documentation" {
  run -0 dpkg-deb -c "$CANRUN_DEB"
  local f
  for f in ./usr/bin/canrun ./usr/share/man/man1/canrun.1.gz ./usr/share/doc/canrun/copyright \
    ./usr/share/doc/canrun/changelog.gz ./usr/share/doc/canrun/README.md.gz ./usr/share/doc/canrun/json.md.gz; do
    grep -q " $f\$" <<<"$output" || { echo "missing $f" >&2; false; }
  done
  # Depends names the shared libraries it links, from dpkg-shlibdeps.
  run -0 dpkg-deb -f "$CANRUN_DEB" Depends
  [[ "$output" == *libarchive13* && "$output" == *libjansson4* && "$output" == *libssl3* && "$output" == *libseccomp2* ]]
}

@test "dpkg -i in a copy of the bookworm root: canrun --version and check run there" {
  [ "$(id -u)" = 0 ] || skip "dpkg -i in a root needs root"
  [ -n "${CANRUN_RUNIN:-}" ] || skip "CANRUN_RUNIN not set"
  [ -f "${CANRUN_ROOTS_DIR:-}/bookworm.stamp" ] || skip "no bookworm root (make-roots.sh)"
  rm -rf "$W"
  mkdir -p "$CANRUN_DEB_WORK"
  cp -a "$CANRUN_ROOTS_DIR/bookworm" "$W"
  # What the root lacks (libarchive13, libjansson4, libssl3 and theirs):
  # apt resolves the package against the root's dpkg status, and downloads
  # with this machine's lists, which are bookworm's too.
  local debs=$CANRUN_DEB_WORK/debs
  local apt=(apt-get install -y -q --download-only --no-install-recommends
    -o Dir::Cache::archives="$debs" -o Dir::State::status="$W/var/lib/dpkg/status" "$CANRUN_DEB")
  mkdir -p "$debs/partial"
  "${apt[@]}" >/dev/null || { apt-get update -q >/dev/null && "${apt[@]}" >/dev/null; }
  # The cache keeps other runs' versions too: only the ones apt picks now,
  # by their file names (an epoch's colon is %3a there).
  run -0 "${apt[@]}" -s
  mkdir "$W/tmp/debs"
  local file
  for file in $(sed -n 's/^Inst \([^ ]*\) (\([^ ]*\) .*\[\([^]]*\)\])$/\1_\2_\3.deb/p' <<<"$output" | grep -v '^canrun_'); do
    cp "$debs/${file//:/%3a}" "$W/tmp/debs/"
  done
  cp "$CANRUN_DEB" "$W/tmp/debs/"
  run -0 chroot "$W" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin dpkg -R -i /tmp/debs 2>&1
  run -0 chroot "$W" dpkg-query -W -f '${Status} ${Version}' canrun
  [ "$output" = "install ok installed $CANRUN_VERSION" ]

  run -0 "$CANRUN_RUNIN" "$W" /usr/bin/canrun --version
  [ "$output" = "$("$CANRUN" --version)" ]
  # Its own root, with the dependencies installed, as the target: it runs.
  run -0 "$CANRUN_RUNIN" "$W" /usr/bin/canrun check --target rootfs:/ /usr/bin/canrun
  [[ "${lines[2]}" =~ ^/usr/bin/canrun\ +runs\ *$ ]]
  # On a minimal Debian 12 it names the packages to install: each one is a
  # dependency of the package.
  run -3 "$CANRUN_RUNIN" "$W" /usr/bin/canrun check --target debian-12 /usr/bin/canrun
  local fixes depends pkg
  fixes=$(sed -n 's/^ *fix: apt-get install //p' <<<"$output" | sort -u)
  [ -n "$fixes" ]
  depends=$(dpkg-deb -f "$CANRUN_DEB" Depends)
  for pkg in $fixes; do
    [[ "$depends" == *"$pkg "* ]] || { echo "$pkg is not in Depends: $depends" >&2; false; }
  done
}
