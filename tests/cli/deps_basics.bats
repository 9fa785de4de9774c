#!/usr/bin/env bats
# The command-line contract of `canrun deps` on this host and on small
# roots made here: options, exit statuses, --why, --list, JSON, and paths
# that must stay inside the root.

bats_require_minimum_version 1.5.0

setup() {
  : "${CANRUN:?set CANRUN to the canrun binary}"
  tmp=$(mktemp -d)
}

teardown() {
  rm -rf "$tmp"
}

@test "usage errors exit 64" {
  run "$CANRUN" deps
  [ "$status" -eq 64 ]
  run "$CANRUN" deps --cpu x86-64-v9 /bin/true
  [ "$status" -eq 64 ]
  run "$CANRUN" deps --env FOO=1 /bin/true
  [ "$status" -eq 64 ]
  run "$CANRUN" deps --at /app/x /bin/true /bin/ls
  [ "$status" -eq 64 ]
}

@test "a host program resolves as ld.so --list says, exit 0" {
  run "$CANRUN" deps --json /bin/true
  [ "$status" -eq 0 ]
  want=$(/lib64/ld-linux-x86-64.so.2 --list /bin/true | awk '$1 == "libc.so.6" {print $3}')
  [ "$(jq -r '.files[0].libraries[] | select(.name == "libc.so.6") | .path' <<<"$output")" = "$want" ]
  [ "$(jq -r '.files[0].exit_status' <<<"$output")" = 0 ]
  [ "$(jq -r '.files[0].loader' <<<"$output")" = glibc ]
}

@test "--why lists every path tried, in order" {
  run "$CANRUN" deps --env LD_LIBRARY_PATH=/nonexistent:/also-not --why libc.so.6 /bin/true
  [ "$status" -eq 0 ]
  [[ "$output" == *"/nonexistent/libc.so.6: not found"* ]]
  [[ "$output" == *"/also-not/libc.so.6: not found"* ]]
  first=$(grep -n '/nonexistent/libc.so.6' <<<"$output" | cut -d: -f1)
  second=$(grep -n '/also-not/libc.so.6' <<<"$output" | cut -d: -f1)
  [ "$first" -lt "$second" ]
}

@test "a missing interpreter in an empty root: ENOENT against the program, exit 1" {
  mkdir "$tmp/root"
  run "$CANRUN" deps --json --root "$tmp/root" /bin/true
  [ "$status" -eq 1 ]
  [ "$(jq -r '.files[0].exec_error' <<<"$output")" = ENOENT ]
  [ "$(jq -r '.files[0].exit_status' <<<"$output")" = 127 ]
  [ "$(jq -r '.files[0].interpreter.found' <<<"$output")" = false ]
  [ "$(jq -r '.files[0].at' <<<"$output")" = /app/true ]
}

@test "absolute symlinks in the root resolve inside it, never to the host" {
  # The root's loader is the host's, reached through a symlink; libc.so.6 is
  # an absolute symlink that would hit the host's libc if followed outside.
  mkdir -p "$tmp/root/lib64" "$tmp/root/lib/x86_64-linux-gnu" "$tmp/root/real"
  cp /lib64/ld-linux-x86-64.so.2 "$tmp/root/real/ld.so"
  ln -s /real/ld.so "$tmp/root/lib64/ld-linux-x86-64.so.2"
  ln -s /lib/x86_64-linux-gnu/libc.so.6 "$tmp/root/lib/x86_64-linux-gnu/libc.so.6"
  run "$CANRUN" deps --json --root "$tmp/root" /bin/true
  [ "$status" -eq 1 ]
  [ "$(jq -r '.files[0].interpreter.found' <<<"$output")" = true ]
  # The link points at itself inside the root: a loop, so not found.
  [ "$(jq -r '.files[0].libraries[0].path' <<<"$output")" = null ]
  [[ "$(jq -r '.files[0].loader_error' <<<"$output")" == *"libc.so.6: cannot open shared object file"* ]]
}

@test "unreadable inputs: one stderr line each, JSON still complete, exit 2" {
  echo text > "$tmp/text"
  run --separate-stderr "$CANRUN" deps --json "$tmp/missing" "$tmp/text" /bin/true
  [ "$status" -eq 2 ]
  [ "$(printf '%s\n' "$stderr" | wc -l)" -eq 2 ]
  [ "$(jq '.files | length' <<<"$output")" -eq 3 ]
  [ "$(jq -r '.files[2].exit_status' <<<"$output")" = 0 ]
}

@test "--list prints one line per need" {
  run "$CANRUN" deps --list /bin/ls
  [ "$status" -eq 0 ]
  [ "$(grep -c ' => ' <<<"$output")" -eq "$("$CANRUN" deps --json /bin/ls | jq '.files[0].libraries | length')" ]
}

@test "a library only ld.so.conf names, with no cache: not found, and --why says to run ldconfig" {
  : "${FIXTURES:?set FIXTURES}"
  mkdir -p "$tmp/root/lib64" "$tmp/root/etc" "$tmp/root/opt/lib"
  cp /lib64/ld-linux-x86-64.so.2 "$tmp/root/lib64/"
  cp "$FIXTURES/c/libgreet.so" "$tmp/root/opt/lib/libcanrun-vanished.so.1"
  run "$CANRUN" deps --root "$tmp/root" --why libcanrun-vanished.so.1 "$FIXTURES/c/needs-missing-lib"
  [ "$status" -eq 1 ]
  [[ "$output" != *"running ldconfig"* ]]
  echo /opt/lib > "$tmp/root/etc/ld.so.conf"
  run "$CANRUN" deps --root "$tmp/root" --why libcanrun-vanished.so.1 "$FIXTURES/c/needs-missing-lib"
  [ "$status" -eq 1 ]
  [[ "$output" == *"/opt/lib/libcanrun-vanished.so.1: exists, in a directory /etc/ld.so.conf lists"*"running ldconfig"* ]]
  [[ "$output" == *"libcanrun-vanished.so.1: cannot open shared object file"* ]]
}
