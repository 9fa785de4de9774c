#!/usr/bin/env bats
# inspect, deps and go answer many files at once on every CPU: the answers
# must come out in argument order and be exactly what each file gets alone,
# in text and in the streamed JSON document; an unreadable file in the
# middle is reported in its place and decides the exit status.

bats_require_minimum_version 1.5.0

setup() {
  : "${CANRUN:?set CANRUN to the canrun binary}"
  tmp=$(mktemp -d)
  # A mix of sizes so that workers finish out of order: big libraries,
  # small programs, Go programs, a script.
  files=()
  for f in /usr/lib/x86_64-linux-gnu/libc.so.6 /bin/true /usr/bin/bash /usr/lib/go-1.19/bin/go \
           /usr/lib/x86_64-linux-gnu/libcrypto.so.3 /usr/bin/env /usr/lib/go-1.19/pkg/tool/linux_amd64/vet \
           /usr/bin/ls /usr/lib/x86_64-linux-gnu/libstdc++.so.6 /usr/bin/cat; do
    [ -f "$f" ] && files+=("$f")
  done
  [ "${#files[@]}" -ge 6 ]
}

teardown() {
  rm -rf "$tmp"
}

# Runs CMD on every file at once and on each file alone; the JSON elements
# and the text must be the same, in the same order.
same_as_alone() {
  local cmd=$1 sep=$2
  "$CANRUN" "$cmd" --json "${files[@]}" >"$tmp/all.json"
  : >"$tmp/alone.jsonl"
  for f in "${files[@]}"; do
    "$CANRUN" "$cmd" --json "$f" | jq -c '.files[0]' >>"$tmp/alone.jsonl"
  done
  jq -c '.files[]' "$tmp/all.json" >"$tmp/all.jsonl"
  diff "$tmp/alone.jsonl" "$tmp/all.jsonl"
  # The streamed document is laid out as jansson lays out a whole one.
  jq --indent 2 . "$tmp/all.json" | cmp - "$tmp/all.json"

  "$CANRUN" "$cmd" --color never "${files[@]}" >"$tmp/all.txt"
  : >"$tmp/alone.txt"
  local first=1
  for f in "${files[@]}"; do
    [ -n "$sep" ] && [ "$first" = 0 ] && echo >>"$tmp/alone.txt"
    "$CANRUN" "$cmd" --color never "$f" >>"$tmp/alone.txt"
    first=0
  done
  diff "$tmp/alone.txt" "$tmp/all.txt"
}

@test "inspect: many files give what each gives alone, in order" {
  same_as_alone inspect blank
}

@test "deps: many files give what each gives alone, in order" {
  same_as_alone deps ""
}

@test "go: many files give what each gives alone, in order" {
  same_as_alone go ""
}

@test "an unreadable file keeps its place, exit 2, one stderr line" {
  run --separate-stderr "$CANRUN" inspect --json /bin/true "$tmp/missing" /bin/ls
  [ "$status" -eq 2 ]
  [ "$stderr" = "canrun: $tmp/missing: No such file or directory" ]
  [ "$(jq -r '.files[].path' <<<"$output" | tr '\n' ' ')" = "/bin/true $tmp/missing /bin/ls " ]
  [ "$(jq -r '.files[1].error' <<<"$output")" = "No such file or directory" ]
}

@test "no file readable: still one complete JSON document" {
  run --separate-stderr "$CANRUN" go --json "$tmp/a" "$tmp/b"
  [ "$status" -eq 2 ]
  jq -e '.files | length == 2' <<<"$output"
}
