#!/usr/bin/env bash
# Creates the root filesystems that the loader ground-truth tests run real
# binaries in (tests/roots/README.md says what each one is for):
#
#   bullseye, bookworm, trixie   debootstrap --variant=minbase (glibc 2.31,
#                                2.36, 2.41)
#   trixie-dev                   trixie minbase plus gcc, libc6-dev and
#                                golang-go (Go 1.24), to build fixtures that
#                                need glibc 2.38+ or a new Go
#   musl                         musl's loader and libc from this machine's
#                                musl package, nothing else
#   empty                        an empty directory with /proc as a mount point
#
# Usage: make-roots.sh CACHEDIR
#
# Each root is built in CACHEDIR/NAME.tmp, renamed to CACHEDIR/NAME, and only
# then marked complete by CACHEDIR/NAME.stamp. A root whose stamp is missing
# or describes another recipe is rebuilt; a complete one is left alone.
# Needs root (debootstrap, chroot) and Debian's package archive.
#
# Environment:
#   CANRUN_ROOTS_GO=0          leave golang-go out of trixie-dev (it adds
#                              about 80 s and 280 MB)
#   CANRUN_DEBIAN_MIRROR=URL   the archive to bootstrap from; by default the
#                              one apt on this machine uses
set -euo pipefail

[ $# -eq 1 ] || { echo "usage: $0 CACHEDIR" >&2; exit 64; }
[ "$(id -u)" -eq 0 ] || { echo "make-roots: must run as root (debootstrap, chroot)" >&2; exit 77; }
mkdir -p "$1"
cache=$(cd "$1" && pwd)

log() { printf 'make-roots: %s\n' "$*"; }
die() { printf 'make-roots: %s\n' "$*" >&2; exit 1; }

# One builder at a time per cache: ctest may start two test trees at once.
exec 9>"$cache/.lock"
flock 9

# The first Debian archive apt is configured with, from one-line .list files
# or deb822 .sources files. Security and third-party archives are skipped by
# looking at the suite names.
apt_mirror() {
  local debian_suites=' buster bullseye bookworm trixie forky sid oldoldstable oldstable stable testing unstable '
  local f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    # deb [opts] URI SUITE COMPONENT...
    awk -v suites="$debian_suites" '
      $1 == "deb" {
        i = 2
        if ($i ~ /^\[/) { while ($i !~ /\]$/ && i < NF) i++; i++ }
        if (index(suites, " " $(i + 1) " ")) { print $i; exit }
      }' "$f"
  done
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    # Stanzas are separated by blank lines; fields are "Name: value".
    awk -v suites="$debian_suites" '
      function flush() {
        if (types ~ /(^| )deb( |$)/ && enabled != "no" && uri != "") {
          n = split(suite_list, s, " ")
          for (k = 1; k <= n; k++) if (index(suites, " " s[k] " ")) { print uri; exit }
        }
        types = ""; uri = ""; suite_list = ""; enabled = ""
      }
      /^#/ { next }
      /^[ \t]*$/ { flush(); next }
      {
        name = tolower($1); sub(/:$/, "", name)
        value = $0; sub(/^[^:]*:[ \t]*/, "", value)
        if (name == "types") types = value
        else if (name == "uris") { split(value, u, " "); uri = u[1] }
        else if (name == "suites") suite_list = value
        else if (name == "enabled") enabled = tolower(value)
      }
      END { flush() }' "$f"
  done
}

mirror=${CANRUN_DEBIAN_MIRROR:-$(apt_mirror | sed -n 1p)}
if [ -n "$mirror" ]; then
  log "Debian archive: $mirror"
else
  log "Debian archive: none configured for apt; using debootstrap's default"
fi

# Mounts that a failed debootstrap can leave behind (it mounts /proc, /sys
# and /dev/pts in the target); removing a tree through them would be fatal.
unmount_under() {
  local dir=$1 m
  # Field 5 of mountinfo is the mount point; deepest first.
  awk -v d="$dir" '$5 == d || index($5, d "/") == 1 { print $5 }' /proc/self/mountinfo |
    sort -r | while read -r m; do umount -l "$m" || true; done
}

remove_tree() {
  [ -e "$1" ] || return 0
  unmount_under "$1"
  rm -rf --one-file-system "$1"
}

now() { date +%s; }

# ensure NAME RECIPE BUILD-FUNCTION [ARGS...]
# Builds root NAME unless its stamp holds RECIPE. The build function fills
# "$cache/NAME.tmp"; the stamp is written last, after the rename.
ensure() {
  local name=$1 recipe=$2
  shift 2
  local dir=$cache/$name stamp=$cache/$name.stamp tmp=$cache/$name.tmp start
  if [ -d "$dir" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$recipe" ]; then
    log "$name: complete, kept ($(du -sh "$dir" | cut -f1))"
    return 0
  fi
  log "$name: building ($recipe)"
  start=$(now)
  rm -f "$stamp"
  remove_tree "$tmp"
  remove_tree "$dir"
  mkdir -p "$tmp"
  "$@" "$tmp"
  mv "$tmp" "$dir"
  printf '%s\n' "$recipe" >"$stamp"
  log "$name: done in $(($(now) - start)) s ($(du -sh "$dir" | cut -f1))"
}

# debootstrap SUITE INCLUDE TARGET, retried from scratch: the archive or the
# network can fail for a moment, and a half-bootstrapped tree is useless.
bootstrap() {
  local suite=$1 include=$2 target=$3 attempt logf
  local name
  name=$(basename "$target" .tmp)
  # One package cache per root: the roots bootstrap at the same time.
  local -a args=(--variant=minbase --cache-dir="$cache/debs/$name")
  [ -z "$include" ] || args+=(--include="$include")
  mkdir -p "$cache/debs/$name"
  logf=$cache/$name.debootstrap.log
  for attempt in 1 2 3; do
    # Quiet unless it fails: debootstrap prints hundreds of lines.
    if debootstrap "${args[@]}" "$suite" "$target" ${mirror:+"$mirror"} >"$logf" 2>&1; then
      # The archive's .debs stay in CACHEDIR/debs, not in every root.
      apt_clean "$target"
      return 0
    fi
    log "debootstrap $suite failed (attempt $attempt of 3); last lines of $logf:"
    tail -n 15 "$logf" | sed 's/^/    /'
    [ -f "$target/debootstrap/debootstrap.log" ] &&
      tail -n 15 "$target/debootstrap/debootstrap.log" | sed 's/^/    /'
    remove_tree "$target"
    [ $attempt -eq 3 ] && break
    mkdir -p "$target"
    sleep $((attempt * 10))
  done
  die "debootstrap $suite failed three times"
}

apt_clean() {
  rm -rf "$1/var/cache/apt/archives/"*.deb "$1/var/lib/apt/lists/"* 2>/dev/null || true
}

# The musl package's files, laid out as Debian installs them: the loader
# /lib/ld-musl-x86_64.so.1 is a link to the libc, and the search path file
# names musl's own library directories.
make_musl() {
  local t=$1 libc=/lib/x86_64-linux-musl/libc.so
  if [ ! -f "$libc" ] || [ ! -e /lib/ld-musl-x86_64.so.1 ]; then
    die "musl is not installed (apt-get install musl-tools)"
  fi
  mkdir -p "$t/lib/x86_64-linux-musl" "$t/usr/lib/x86_64-linux-musl" "$t/etc" "$t/proc" "$t/tmp"
  cp "$libc" "$t/lib/x86_64-linux-musl/libc.so"
  ln -s x86_64-linux-musl/libc.so "$t/lib/ld-musl-x86_64.so.1"
  cp /etc/ld-musl-x86_64.path "$t/etc/ld-musl-x86_64.path"
  chmod 1777 "$t/tmp"
}

make_empty() {
  mkdir -p "$1/proc"
}

total_start=$(now)
dev_include=gcc,libc6-dev
[ "${CANRUN_ROOTS_GO:-1}" = 0 ] || dev_include=$dev_include,golang-go
# debootstrap mostly waits on the archive and the disk, so the roots are
# built at once.
pids=()
ensure bullseye "debootstrap minbase bullseye" bootstrap bullseye "" & pids+=($!)
ensure bookworm "debootstrap minbase bookworm" bootstrap bookworm "" & pids+=($!)
ensure trixie "debootstrap minbase trixie" bootstrap trixie "" & pids+=($!)
ensure trixie-dev "debootstrap minbase trixie +$dev_include" bootstrap trixie "$dev_include" & pids+=($!)
failed=0
for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
[ $failed -eq 0 ] || die "a root could not be built (see above)"
musl_version=$(dpkg-query -W -f='${Version}' musl 2>/dev/null || echo unknown)
ensure musl "musl $musl_version" make_musl
ensure empty "empty" make_empty

log "all roots ready in $(($(now) - total_start)) s"
du -sh "$cache"/{bullseye,bookworm,trixie,trixie-dev,musl,empty} "$cache/debs" 2>/dev/null | sed 's/^/make-roots:   /'
log "total $(du -sh "$cache" | cut -f1) in $cache"
