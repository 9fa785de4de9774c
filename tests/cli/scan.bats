#!/usr/bin/env bats
# `canrun scan` over real trees: every ELF file once and nothing else, the
# same answers as inspect, harden and check give file by file, the same
# output whatever the number of threads, images read like their unpacked
# roots, and memory that does not grow with the number of files.

bats_require_minimum_version 1.5.0

setup() {
  : "${CANRUN:?set CANRUN}" "${FIXTURES:?set FIXTURES}"
  C=$FIXTURES/c
  G=$FIXTURES/go
  tmp=$(mktemp -d)
}

teardown() {
  rm -rf "$tmp"
}

# The JSON Lines record of the file whose path ends with $2, from output $1.
rec() { head -n -1 <<<"$1" | jq -c --arg s "$2" 'select(.path | endswith($s))'; }

# The ELF files under a directory, by their magic, as find sees them
# (regular files only, symlinks not followed).
elf_files() {
  find "$1" -xdev -type f -print0 | sort -z | while IFS= read -r -d '' f; do
    [ "$(head -c 4 "$f" | od -An -tx1 | tr -d ' \n')" = 7f454c46 ] && printf '%s\n' "$f"
  done
}

@test "every ELF file is reported once, in walk order, and nothing else" {
  run "$CANRUN" scan --no-check --jsonl "$C"
  [ "$status" -eq 0 ]
  diff <(elf_files "$C") <(head -n -1 <<<"$output" | jq -r .path)
  tail -n 1 <<<"$output" | jq -e '.summary.elf == '"$(elf_files "$C" | wc -l)"
  [ "$(tail -n 1 <<<"$output" | jq .summary.files)" -eq "$(find "$C" -type f | wc -l)" ]
}

@test "inspect and harden parts equal the single-file commands" {
  run "$CANRUN" scan --no-check --jsonl "$C"
  head -n -1 <<<"$output" >"$tmp/scan.jsonl"
  while IFS= read -r f; do
    jq -c --arg p "$f" 'select(.path == $p) | .inspect' "$tmp/scan.jsonl" >"$tmp/a"
    "$CANRUN" inspect --json "$f" | jq -c '.files[0]' >"$tmp/b"
    diff "$tmp/a" "$tmp/b" || { echo "inspect differs: $f"; false; }
    jq -c --arg p "$f" 'select(.path == $p) | .harden' "$tmp/scan.jsonl" >"$tmp/a"
    "$CANRUN" harden --json "$f" | jq -c '.files[0] | del(.path)' >"$tmp/b"
    diff <(jq -S . "$tmp/a") <(jq -S 'del(.path)' "$tmp/b") || { echo "harden differs: $f"; false; }
  done < <(jq -r 'select(.error == null) | .path' "$tmp/scan.jsonl")
}

@test "check verdicts equal canrun check file by file (this host)" {
  run "$CANRUN" scan --jsonl "$C"
  head -n -1 <<<"$output" | jq -c 'select(.check != null) | {path, verdict: .check.verdict, ids: [.check.findings[].id]}' >"$tmp/scan"
  [ -s "$tmp/scan" ]
  while IFS= read -r f; do
    "$CANRUN" check --json --target host "$f" |
      jq -c '.files[0] | {path, verdict: .targets[0].verdict, ids: [.targets[0].findings[].id]}'
  done < <(jq -r .path "$tmp/scan") >"$tmp/check"
  diff "$tmp/scan" "$tmp/check"
}

@test "one thread or many: the same output, byte for byte" {
  "$CANRUN" scan --jsonl --jobs 1 "$C" "$G" >"$tmp/one" || true
  "$CANRUN" scan --jsonl --jobs 4 "$C" "$G" >"$tmp/four" || true
  [ -s "$tmp/one" ]
  cmp "$tmp/one" "$tmp/four"
  "$CANRUN" scan --jobs 1 --color never "$C" >"$tmp/one" || true
  "$CANRUN" scan --jobs 3 --color never "$C" >"$tmp/three" || true
  cmp "$tmp/one" "$tmp/three"
}

@test "--sarif: one thread or many, the same document byte for byte" {
  "$CANRUN" scan --sarif --jobs 1 --require pie "$C" "$G" >"$tmp/one" || true
  "$CANRUN" scan --sarif --jobs 4 --require pie "$C" "$G" >"$tmp/four" || true
  jq -e '.runs[0].results | length > 10' "$tmp/one"
  cmp "$tmp/one" "$tmp/four"
}

@test "Go programs: version and build settings as go version -m reads them" {
  [ -d "$G" ] || skip "no Go fixtures"
  run "$CANRUN" scan --no-check --jsonl "$G"
  head -n -1 <<<"$output" | jq -r 'select(.go != null) | [.path, .go.version, .go.build] | @tsv' >"$tmp/go"
  [ "$(wc -l <"$tmp/go")" -ge 5 ]
  while IFS=$'\t' read -r path version build; do
    [ "$(go version "$path" | awk '{print $2}')" = "$version" ]
    cgo=$(go version -m "$path" | awk '$2 == "CGO_ENABLED" {print $2 "=" $3}')
    [ -z "$cgo" ] || [[ "$build" == *"$cgo"* ]] || { echo "$path: $build lacks $cgo"; false; }
  done <"$tmp/go"
  tail -n 1 <<<"$output" | jq -e ".summary.go_files == $(wc -l <"$tmp/go")"
}

@test "symlinks are not followed, loops and FIFOs do not hang, objects are not checked" {
  mkdir -p "$tmp/t/sub"
  cp "$C/hello-pie" "$tmp/t/sub/prog"
  cp "$C/hello.o" "$tmp/t/obj.o"
  ln -s sub/prog "$tmp/t/link-to-prog"
  ln -s .. "$tmp/t/sub/loop"
  mkfifo "$tmp/t/fifo"
  echo 'not elf' >"$tmp/t/text"
  run timeout 20 "$CANRUN" scan --jsonl "$tmp/t"
  [ "$status" -eq 0 ]
  [ "$(head -n -1 <<<"$output" | jq -r .path | tr '\n' ' ')" = "$tmp/t/obj.o $tmp/t/sub/prog " ]
  rec "$output" obj.o | jq -e '.check == null'
  rec "$output" /prog | jq -e '.check.verdict == "runs"'
}

@test "a damaged ELF file: one line on stderr, an error record, exit 2" {
  mkdir "$tmp/t"
  head -c 100 "$C/hello-pie" >"$tmp/t/truncated"
  cp "$C/hello-pie" "$tmp/t/ok"
  run --separate-stderr "$CANRUN" scan --jsonl "$tmp/t"
  [ "$status" -eq 2 ]
  [ "$(wc -l <<<"$stderr")" -eq 1 ]
  [[ "$stderr" == "canrun: $tmp/t/truncated: "* ]]
  rec "$output" truncated | jq -e '.error | length > 0'
  tail -n 1 <<<"$output" | jq -e '.summary.errors == 1'
}

@test "--json is one document; --jsonl lines are each valid; both refused together" {
  run "$CANRUN" scan --json --no-check "$C"
  jq -e '.scans[0].files | length > 10' <<<"$output"
  jq -e '.scans[0].summary.elf == (.scans[0].files | length)' <<<"$output"
  run "$CANRUN" scan --json --jsonl "$C"
  [ "$status" -eq 64 ]
  run --separate-stderr "$CANRUN" scan --jsonl /nonexistent-dir
  [ "$status" -eq 2 ]
  [ "$stderr" = "canrun: /nonexistent-dir: No such file or directory" ]
  jq -e '.input == "/nonexistent-dir" and (.error | length > 0)' <<<"$output"
  # A bad input among good ones: its entry in its place, the others scanned.
  run --separate-stderr "$CANRUN" scan --json --no-check image:/nonexistent "$C"
  [ "$status" -eq 2 ]
  jq -e '(.scans | length) == 2 and .scans[0].error != null and (.scans[1].files | length) > 10' <<<"$output"
  run "$CANRUN" scan --target no-such-target "$C"
  [ "$status" -eq 64 ]
  run "$CANRUN" scan --require no-such-thing "$C"
  [ "$status" -eq 64 ]
}

@test "--require: files without the protection are named, exit 4" {
  mkdir "$tmp/t"
  cp "$C/relro-now" "$C/relro-lazy" "$tmp/t/"
  run "$CANRUN" scan --jsonl --require full-relro "$tmp/t"
  [ "$status" -eq 4 ]
  rec "$output" relro-lazy | jq -e '.unmet == ["full-relro"]'
  rec "$output" relro-now | jq -e '.unmet == []'
  tail -n 1 <<<"$output" | jq -e '.summary.unmet_files == 1'
  rm "$tmp/t/relro-lazy"
  run "$CANRUN" scan --require full-relro "$tmp/t"
  [ "$status" -eq 0 ]
}

@test "a failing program makes exit 1 and the summary says why" {
  mkdir "$tmp/t"
  cp "$C/needs-missing-lib" "$C/hello-pie" "$tmp/t/"
  run "$CANRUN" scan --color never "$tmp/t"
  [ "$status" -eq 1 ]
  [[ "$output" == *"library-missing"* ]]
  [[ "$output" == *"1 run"*"1 fail"* ]]
}

@test "a root file system is its own target: verdicts equal canrun check --at inside it" {
  R=${CANRUN_ROOTS_DIR:-}/bookworm
  [ -d "$R/usr/bin" ] || skip "no test roots"
  run "$CANRUN" scan --jsonl "$R"
  tail -n 1 <<<"$output" | jq -e --arg r "$R" '.summary.target == $r'
  head -n -1 <<<"$output" | jq -c 'select(.check != null) | {path, at: .check.at, verdict: .check.verdict}' >"$tmp/scan"
  # Every 15th program and library, checked the slow way.
  awk 'NR % 15 == 1' "$tmp/scan" >"$tmp/sample"
  [ "$(wc -l <"$tmp/sample")" -ge 20 ]
  while IFS= read -r line; do
    path=$(jq -r .path <<<"$line")
    at=$(jq -r .at <<<"$line")
    [ "$R$at" = "$path" ] || { echo "at $at is not $path inside the root"; false; }
    "$CANRUN" check --json --target "$R" --at "$at" "$path" |
      jq -c --arg at "$at" '.files[0] | {path, at: $at, verdict: .targets[0].verdict}'
  done <"$tmp/sample" >"$tmp/check"
  diff "$tmp/sample" "$tmp/check"
}

@test "an image reads as the same image unpacked, also with umoci insert's unterminated layers" {
  I=${CANRUN_IMAGES:-}
  [ -d "$I/unpacked/bookworm/rootfs" ] || skip "no test images"
  local pair U
  for pair in bookworm-oci:bookworm bookworm-insert-oci:bookworm-insert \
    bookworm-whiteout-docker.tar:bookworm-whiteout; do
    run "$CANRUN" scan --jsonl "image:$I/${pair%%:*}"
    head -n -1 <<<"$output" | jq -c '{path, v: .check.verdict, k: .inspect.kind, g: .inspect.max_glibc, h: .harden}' >"$tmp/image"
    U=$I/unpacked/${pair##*:}/rootfs
    run "$CANRUN" scan --jsonl "$U"
    head -n -1 <<<"$output" | jq -c --arg u "$U" '{path: (.path | ltrimstr($u)), v: .check.verdict, k: .inspect.kind, g: .inspect.max_glibc, h: .harden}' >"$tmp/unpacked"
    [ "$(wc -l <"$tmp/image")" -ge 300 ]
    diff "$tmp/image" "$tmp/unpacked"
  done
  # The library umoci inserted is there, and gone after its whiteout.
  run "$CANRUN" scan --jsonl --no-check "image:$I/bookworm-insert-docker.tar"
  grep -q '"path":"/usr/lib/x86_64-linux-gnu/libcanrun-vanished.so.1"' <<<"$output"
  run "$CANRUN" scan --jsonl --no-check "image:$I/bookworm-whiteout-oci"
  ! grep -q 'libcanrun-vanished' <<<"$output"
}

@test "memory does not grow with the number of files" {
  command -v python3 >/dev/null || skip "no python3"
  # Sanitizers hold freed memory in quarantine or shadow it: RSS means
  # nothing there.
  ! grep -qE '__(asan|tsan)_init' "$CANRUN" || skip "sanitizer build"
  mkdir -p "$tmp/small" "$tmp/big"
  for i in $(seq 1 40); do cp "$C/hello-pie" "$tmp/small/p$i"; cp "$C/libgreet.so" "$tmp/small/l$i.so"; done
  for i in $(seq 1 640); do cp "$C/hello-pie" "$tmp/big/p$i"; cp "$C/libgreet.so" "$tmp/big/l$i.so"; done
  peak() {
    python3 -c 'import os, resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' "$@"
  }
  small=$(peak "$CANRUN" scan --jsonl --jobs 2 "$tmp/small")
  big=$(peak "$CANRUN" scan --jsonl --jobs 2 "$tmp/big")
  echo "peak RSS: 80 files ${small} KiB, 1280 files ${big} KiB"
  # 16 times the files; allow a quarter more memory and allocator noise.
  [ "$big" -le $((small * 5 / 4 + 4096)) ]
}

@test "a progress line only on a terminal" {
  command -v script >/dev/null || skip "no script(1)"
  run "$CANRUN" scan --summary "$C"
  [[ "$output" != *"scanning:"* ]]
  # A small tree may finish before the first update; a big one shows it.
  script -qec "$CANRUN scan --summary --no-check /usr/lib 2>&1 >/dev/null" /dev/null >"$tmp/tty" || true
  grep -q 'scanning:' "$tmp/tty"
}

@test "a directory the walk cannot enter: one line in its place, the rest still scanned, exit 2" {
  # Deeper than any real tree: the walk stops there rather than hold a
  # descriptor per level (root reads every directory, so depth it is).
  deep=$tmp/t$(printf '/d%.0s' $(seq 1 205))
  mkdir -p "$deep"
  cp "$C/hello-pie" "$tmp/t/prog"
  cp "$C/hello-pie" "$deep/unreached"
  run --separate-stderr "$CANRUN" scan --jsonl "$tmp/t"
  [ "$status" -eq 2 ]
  [ "$(wc -l <<<"$stderr")" -eq 1 ]
  [[ "$stderr" == "canrun: $tmp/t/d/"*": Too many levels of symbolic links" ]]
  [ "$(head -n -1 <<<"$output" | jq -r .path)" = "$tmp/t/prog" ]
  tail -n 1 <<<"$output" | jq -e '.summary.errors == 1'
}

@test "separate debug files are read, not judged: no error, no verdict; check says no-code" {
  mkdir "$tmp/t"
  objcopy --only-keep-debug "$C/hello-pie" "$tmp/t/hello.debug"
  # The oracle: readelf sees an interpreter segment without bytes.
  readelf -lW "$tmp/t/hello.debug" | grep -Eq '^ *INTERP +0x[0-9a-f]+ 0x[0-9a-f]+ 0x[0-9a-f]+ 0x0+ '
  cp "$C/hello-pie" "$tmp/t/hello"
  run --separate-stderr "$CANRUN" scan --jsonl "$tmp/t"
  [ "$status" -eq 0 ]
  [ -z "$stderr" ]
  rec "$output" hello.debug | jq -e '.check == null and .error == null'
  rec "$output" /hello | jq -e '.check.verdict == "runs"'
  run "$CANRUN" check --json --target host "$tmp/t/hello.debug"
  [ "$status" -eq 1 ]
  jq -e '[.files[0].targets[0].findings[] | select(.severity == "fail") | .id] == ["no-code"]' <<<"$output"
}
