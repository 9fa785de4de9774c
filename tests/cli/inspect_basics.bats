#!/usr/bin/env bats
# The command-line contract of `canrun inspect`: help, exit statuses, one
# stderr line per unreadable input, valid JSON whatever the inputs, colour.

bats_require_minimum_version 1.5.0

setup() {
  : "${CANRUN:?set CANRUN to the canrun binary}"
  tmp=$(mktemp -d)
}

teardown() {
  rm -rf "$tmp"
}

@test "--help prints usage and exits 0" {
  run "$CANRUN" inspect --help
  [ "$status" -eq 0 ]
  [[ "$output" == *"usage: canrun inspect"* ]]
  run "$CANRUN" --help
  [ "$status" -eq 0 ]
  [[ "$output" == *"inspect"* ]]
}

@test "usage errors exit 64" {
  run "$CANRUN"
  [ "$status" -eq 64 ]
  run "$CANRUN" inspect
  [ "$status" -eq 64 ]
  run "$CANRUN" inspect --no-such-option /bin/true
  [ "$status" -eq 64 ]
  run "$CANRUN" inspect --color=sometimes /bin/true
  [ "$status" -eq 64 ]
  run "$CANRUN" frobnicate
  [ "$status" -eq 64 ]
}

@test "a readable ELF exits 0 and is described" {
  run "$CANRUN" inspect /bin/true
  [ "$status" -eq 0 ]
  [[ "$output" == *"interpreter  /lib64/ld-linux-x86-64.so.2"* ]]
  [[ "$output" == *"libc.so.6"* ]]
}

@test "each unreadable input gives one stderr line, exit 2, the rest still reported" {
  mkdir "$tmp/dir"
  : > "$tmp/empty"
  echo 'just text' > "$tmp/text"
  run --separate-stderr "$CANRUN" inspect --json "$tmp/missing" "$tmp/dir" /bin/true "$tmp/empty" "$tmp/text"
  [ "$status" -eq 2 ]
  [ "$(printf '%s\n' "$stderr" | wc -l)" -eq 4 ]
  [[ "$stderr" == *"canrun: $tmp/missing: No such file or directory"* ]]
  [[ "$stderr" == *"canrun: $tmp/dir: is a directory"* ]]
  [[ "$stderr" == *"canrun: $tmp/empty: empty file, not ELF"* ]]
  [[ "$stderr" == *"canrun: $tmp/text: not an ELF file"* ]]
  [ "$(jq '.files | length' <<<"$output")" -eq 5 ]
  [ "$(jq -r '.files[2].path' <<<"$output")" = /bin/true ]
  [ "$(jq -r '.files[2].kind' <<<"$output")" = dynamic-pie ]
  [ "$(jq -r '[.files[] | select(.error)] | length' <<<"$output")" -eq 4 ]
}

@test "a FIFO is refused at once instead of blocking" {
  mkfifo "$tmp/fifo"
  run timeout 5 "$CANRUN" inspect "$tmp/fifo"
  [ "$status" -eq 2 ]
  [[ "$output" == *"not a regular file"* ]]
}

@test "a truncated ELF is reported, not crashed on" {
  head -c 100 /bin/true > "$tmp/truncated"
  run --separate-stderr "$CANRUN" inspect --json "$tmp/truncated"
  [ "$status" -eq 2 ]
  [[ "$stderr" == "canrun: $tmp/truncated: truncated"* ]]
  jq -e '.files[0].error' <<<"$output"
}

@test "colour only when asked or on a terminal, never with NO_COLOR" {
  run "$CANRUN" inspect /bin/true
  [[ "$output" != *$'\033['* ]]
  run "$CANRUN" inspect --color=always /bin/true
  [[ "$output" == *$'\033['* ]]
  # script(1) gives canrun a terminal.
  run script -qec "$CANRUN inspect /bin/true" /dev/null
  [[ "$output" == *$'\033['* ]]
  run env NO_COLOR=1 script -qec "$CANRUN inspect /bin/true" /dev/null
  [[ "$output" != *$'\033['* ]]
}

@test "a write error on stdout is an error (exit 74)" {
  run bash -c '"$0" inspect --json /bin/true > /dev/full' "$CANRUN"
  [ "$status" -eq 74 ]
  [[ "$output" == *"error writing output"* ]]
}

@test "the highest glibc version and the symbols behind it" {
  # readelf is the oracle: the highest GLIBC_x.y that /bin/true needs.
  want=$(readelf -W -V /bin/true | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' | sort -V | tail -1)
  run "$CANRUN" inspect --json /bin/true
  [ "$(jq -r '.files[0].max_glibc' <<<"$output")" = "$want" ]
  syms=$(readelf -W --dyn-syms /bin/true | grep -o "[A-Za-z_0-9]*@GLIBC_$want\b" | sed 's/@.*//' | sort -u)
  [ "$(jq -r '.files[0].max_glibc_symbols[]' <<<"$output" | sort -u)" = "$syms" ]
}
