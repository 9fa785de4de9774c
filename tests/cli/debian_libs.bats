#!/usr/bin/env bats
# The Debian profiles' library inventories (src/target/libs/, made by
# scripts/gen-debian-libs.py), against the real bullseye, bookworm and
# trixie roots: the libraries their loaders find must be exactly the
# committed ones, with the same versions, and small programs built here must
# start or fail in each root as `canrun check --target debian-N` predicts.
# The roots are read-only: the programs are bind-mounted on the root's /mnt
# in a mount namespace of their own.

bats_require_minimum_version 1.5.0

RELEASES="bullseye:debian-11 bookworm:debian-12 trixie:debian-13"

setup_file() {
  : "${CANRUN:?set CANRUN}"
  local d=$BATS_FILE_TMPDIR/dl
  mkdir -p "$d/stub" "$d/arm64"
  export DL=$d
  # Stubs with the SONAMEs; the programs link them by path, so only the
  # SONAME and the versions they define end up in the program.
  echo 'unsigned long compressBound(unsigned long n) { return n; }' >"$d/stub/z.c"
  echo 'int stub_fn(void) { return 0; }' >"$d/stub/s.c"
  printf 'ZLIB_1.2.0 { global: compressBound; local: *; };\n' >"$d/stub/z1.map"
  printf 'ZLIB_99.0 { global: compressBound; local: *; };\n' >"$d/stub/z99.map"
  gcc -shared -fPIC -Wl,-soname,libz.so.1 -Wl,--version-script="$d/stub/z1.map" -o "$d/stub/libz-1.so" "$d/stub/z.c"
  gcc -shared -fPIC -Wl,-soname,libz.so.1 -Wl,--version-script="$d/stub/z99.map" -o "$d/stub/libz-99.so" "$d/stub/z.c"
  local so
  for so in libssl.so.1.1 libssl.so.3 libcanrun-nowhere.so.7; do
    gcc -shared -fPIC -Wl,-soname,$so -o "$d/stub/$so" "$d/stub/s.c"
  done
  # No C start files: the programs need only GLIBC_2.2.5, so bullseye's
  # glibc 2.31 loads them and only their libraries decide.
  cat >"$d/prog.c" <<'EOF'
#include <unistd.h>
#ifdef ZLIB
unsigned long compressBound(unsigned long);
/* bound at load time, so the version is checked before anything runs */
unsigned long (*volatile keep)(unsigned long) = compressBound;
#endif
#ifdef __x86_64__
__attribute__((force_align_arg_pointer))
#endif
__attribute__((noreturn)) void _start(void)
{
	write(1, "started\n", 8);
	_exit(0);
}
EOF
  local cc="gcc -nostartfiles -o"
  $cc "$d/libc-only" "$d/prog.c"
  $cc "$d/zlib-1.2.0" -DZLIB "$d/prog.c" "$d/stub/libz-1.so"
  $cc "$d/zlib-99.0" -DZLIB "$d/prog.c" "$d/stub/libz-99.so"
  $cc "$d/ssl-1.1" "$d/prog.c" -Wl,--no-as-needed "$d/stub/libssl.so.1.1"
  $cc "$d/ssl-3" "$d/prog.c" -Wl,--no-as-needed "$d/stub/libssl.so.3"
  $cc "$d/nowhere" "$d/prog.c" -Wl,--no-as-needed "$d/stub/libcanrun-nowhere.so.7"
  $cc "$d/nowhere-runpath" "$d/prog.c" -Wl,--no-as-needed "$d/stub/libcanrun-nowhere.so.7" \
    -Wl,--enable-new-dtags,-rpath,'$ORIGIN/lib'
  if command -v aarch64-linux-gnu-gcc >/dev/null; then
    aarch64-linux-gnu-gcc -shared -fPIC -Wl,-soname,libssl.so.3 -o "$d/arm64/libssl.so.3" "$d/stub/s.c"
    aarch64-linux-gnu-gcc -nostartfiles -o "$d/arm64/ssl-3" "$d/prog.c" -Wl,--no-as-needed "$d/arm64/libssl.so.3"
  fi
}

setup() {
  R=${CANRUN_ROOTS_DIR:-}
}

root_of() { # RELEASE: the root, or skips
  [ -n "$R" ] && [ -d "$R/$1/etc" ] || skip "no $1 root (tests/roots/make-roots.sh)"
  [ "$(id -u)" -eq 0 ] || skip "needs root (chroot)"
  [ -n "${CANRUN_RUNIN:-}" ] || skip "CANRUN_RUNIN not set"
  printf '%s\n' "$R/$1"
}

# Runs /mnt/PROG in ROOT with $DL mounted on /mnt, nothing written to ROOT.
run_in() { # ROOT PROG
  unshare --mount --propagation private sh -c 'mount --bind "$1" "$2/mnt" && exec "$3" "$2" "/mnt/$4"' \
    _ "$DL" "$1" "$CANRUN_RUNIN" "$2"
}

# What the root's own ldconfig lists: "NAME PATH" for 64-bit x86 libraries.
# glibc's own libraries carry ", OS ABI: Linux 3.2.0" in the parentheses.
ldconfig_list() {
  "$CANRUN_RUNIN" "$1" /sbin/ldconfig -p | sed -n 's/^[[:space:]]*\([^ ]*\) (libc6,x86-64[,)].* => \(.*\)$/\1 \2/p' | sort -u
}

inventory() { "$CANRUN" targets --json "$1" | jq -r '.targets[0].libraries.minbase[] | "\(.name) \(.path)"' | sort; }

# The versions a library defines, as readelf reads them (the base one, its
# own name, left out).
readelf_versions() { # ROOT PATH
  local real
  real=$("$CANRUN_RUNIN" "$1" /usr/bin/readlink -f "$2")
  readelf -W -V "$1$real" | awk '/^Version definition section/ { d = 1; next } /^Version needs section/ { d = 0 }
    d && /Flags:/ && !/Flags: BASE/ { print $NF }' | sort -u | tr '\n' ' '
}

@test "every library the roots' loaders find is in the committed inventory, at that path, and nothing else" {
  local pair release profile root want got
  for pair in $RELEASES; do
    release=${pair%%:*} profile=${pair#*:}
    root=$(root_of "$release")
    want=$(ldconfig_list "$root")
    [ "$(wc -l <<<"$want")" -gt 40 ]
    got=$(inventory "$profile")
    diff <(cut -d' ' -f1 <<<"$want" | sort -u) <(cut -d' ' -f1 <<<"$got") ||
      { echo "$profile: names differ from $release's ldconfig -p (regenerate: scripts/gen-debian-libs.py)"; return 1; }
    # The path ldconfig lists (one of them when it lists two).
    while read -r name path; do
      grep -qxF "$name $path" <<<"$want" || { echo "$profile: $name at $path, not where ldconfig says"; return 1; }
    done <<<"$got"
  done
}

@test "the recorded symbol versions are those readelf reads from the roots' libraries" {
  local pair release profile root name path versions want
  for pair in $RELEASES; do
    release=${pair%%:*} profile=${pair#*:}
    root=$(root_of "$release")
    while IFS=$'\t' read -r name path versions; do
      want=$(readelf_versions "$root" "$path")
      [ "$versions " = "$want" ] || [ "$versions" = "$want" ] ||
        { echo "$profile: $name: recorded '$versions', readelf '$want'"; return 1; }
    done < <("$CANRUN" targets --json "$profile" |
      jq -r '.targets[0].libraries.minbase[] | [.name, .path, (.versions | sort | join(" "))] | @tsv')
  done
}

# The verdict of each program on each release, fixed here so that the data
# and the check cannot agree on a wrong answer; the real runs below must
# agree with them too.
expect() { # RELEASE PROG
  case "$1:$2" in
    *:libc-only | *:zlib-1.2.0 | bullseye:ssl-1.1 | trixie:ssl-3) echo runs ;;
    bookworm:ssl-3) echo unknown ;;
    *) echo fails ;;
  esac
}

@test "debian-11/12/13 verdicts match real runs in the roots: libc only, minbase libraries and versions, libssl, a SONAME no package ships" {
  local pair release profile root prog verdict status loader real_status real_err msgs
  for pair in $RELEASES; do
    release=${pair%%:*} profile=${pair#*:}
    root=$(root_of "$release")
    for prog in libc-only zlib-1.2.0 zlib-99.0 ssl-1.1 ssl-3 nowhere; do
      run "$CANRUN" check --json --target "$profile" --at "/mnt/$prog" "$DL/$prog"
      verdict=$(jq -r '.files[0].targets[0].verdict' <<<"$output")
      status=$(jq -r '.files[0].targets[0].exit_status' <<<"$output")
      msgs=$(jq -r '.files[0].targets[0].findings[] | select(.severity == "fail") | .message' <<<"$output")
      [ "$verdict" = "$(expect "$release" "$prog")" ] ||
        { echo "$profile $prog: canrun says $verdict, expected $(expect "$release" "$prog")"; return 1; }
      # Not bats' run: a 127 here is the loader's, not a missing command.
      real_status=0
      real_err=$(run_in "$root" "$prog" 2>&1 >"$BATS_TEST_TMPDIR/stdout") || real_status=$?
      output=$(cat "$BATS_TEST_TMPDIR/stdout")
      case "$verdict" in
        runs)
          [ "$real_status" -eq 0 ] && [ "$output" = started ] ||
            { echo "$release $prog: canrun says runs, real: $real_status $real_err"; return 1; } ;;
        fails)
          [ "$real_status" -eq "$status" ] ||
            { echo "$release $prog: canrun predicts $status, real $real_status: $real_err"; return 1; }
          # Every line the loader printed is a message canrun gave.
          while read -r line; do
            grep -qxF -- "$line" <<<"$msgs" || { echo "$release $prog: real '$line' not in: $msgs"; return 1; }
          done <<<"$real_err" ;;
        unknown)
          # Not in the minimal install: it fails there, as a package would fix.
          [ "$real_status" -eq 127 ] && [[ "$real_err" == *"cannot open shared object file"* ]] ||
            { echo "$release $prog: real $real_status $real_err"; return 1; } ;;
      esac
    done
  done
}

fix_of() { # PROFILE PROG ID
  "$CANRUN" check --json --target "$1" "$DL/$2" | jq -r ".files[0].targets[0].findings[] | select(.id == \"$3\") | .fix"
}

@test "a library outside the minimal install names the package of that release that ships it" {
  [ "$(fix_of debian-12 ssl-3 library-package)" = "apt-get install libssl3" ]
  [ "$(fix_of debian:12 ssl-3 library-package)" = "apt-get install libssl3" ]
  [ "$(fix_of debian-12-image ssl-3 library-package)" = "apt-get install libssl3" ]
  run -1 "$CANRUN" check --target debian-12 "$DL/ssl-3" "$DL/nowhere"
  [[ "$output" == *"fix: apt-get install libssl3"* ]]
  # libssl1.1 is bullseye's (in its minimal install); bookworm has no package with it.
  run -0 "$CANRUN" check --json --target debian-11 "$DL/ssl-1.1"
  jq -e '.files[0].targets[0].findings[] | select(.id == "library-found" and .evidence == "/lib/x86_64-linux-gnu/libssl.so.1.1")' <<<"$output"
  run -1 "$CANRUN" check --json --target debian-12 "$DL/ssl-1.1"
  jq -e '.files[0].targets[0] | .exit_status == 127 and ([.findings[] | select(.severity != "ok") | .id] == ["library-missing"])' <<<"$output"
  [[ "$(jq -r '.files[0].targets[0].findings[] | select(.id == "library-missing") | .message' <<<"$output")" == \
    "/app/ssl-1.1: error while loading shared libraries: libssl.so.1.1: cannot open shared object file: No such file or directory" ]]
  # bullseye has no libssl3 package at all.
  run -1 "$CANRUN" check --json --target debian-11 "$DL/ssl-3"
  jq -e '.files[0].targets[0].findings[] | select(.id == "library-missing")' <<<"$output"
}

@test "a SONAME from nowhere with a RUNPATH may come with the program: unknown, not fails" {
  run -3 "$CANRUN" check --json --target debian-12 "$DL/nowhere-runpath"
  jq -e '[.files[0].targets[0].findings[] | select(.severity != "ok") | .id] == ["library-unknown"]' <<<"$output"
}

@test "other machines, other distributions and debian-10 keep library-unknown" {
  local t
  for t in debian-10 debian:10 ubuntu-24.04 rhel-9; do
    run -3 "$CANRUN" check --json --target "$t" "$DL/ssl-3"
    jq -e '[.files[0].targets[0].findings[] | select(.severity != "ok") | .id] == ["library-unknown"]' <<<"$output" ||
      { echo "$t: $output"; return 1; }
  done
  [ -f "$DL/arm64/ssl-3" ] || skip "no aarch64 cross compiler"
  run -3 "$CANRUN" check --json --target debian-12/arm64 "$DL/arm64/ssl-3"
  jq -e '[.files[0].targets[0].findings[] | select(.severity != "ok") | .id] == ["library-unknown"]' <<<"$output"
}

@test "targets says which profiles have an inventory, and how large" {
  run -0 "$CANRUN" targets --json
  jq -e '[.targets[] | select(.libraries != null) | .name] ==
    ["debian-11", "debian-12", "debian-13", "debian-11-image", "debian-12-image", "debian-13-image"]' <<<"$output"
  jq -e 'all(.targets[] | select(.libraries != null) | .libraries;
    .machine == "x86_64" and (.minbase | length > 40) and .packaged > 5000 and (.source | test("minbase")))' <<<"$output"
  jq -e '[.targets[] | select(.libraries_note != null) | .name] == ["debian-10", "debian-10-image"]' <<<"$output"
  n=$(jq '.targets[] | select(.name == "debian-12") | .libraries | "\(.minbase | length) in the minimal install, \(.packaged) more"' <<<"$output")
  run -0 "$CANRUN" targets debian-12 debian-10
  [[ "$output" == *"libraries ${n//\"/} SONAMEs in packages (x86_64 only)"* ]]
  [[ "$output" == *"libraries none: buster"* ]]
}
