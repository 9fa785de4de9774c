#!/usr/bin/env bats
# `canrun host --save` and `--target profile:FILE`: this machine's profile
# checks every program of /usr/bin as `--target host` does, and damaged
# profiles are one line of error and exit status 2.

bats_require_minimum_version 1.5.0

setup_file() {
  : "${CANRUN:?set CANRUN to the canrun binary}"
  export PROFILE_DIR="$BATS_FILE_TMPDIR"
  local t0 t1
  t0=$(date +%s.%N)
  "$CANRUN" host --save "$PROFILE_DIR/host.json" >"$PROFILE_DIR/save.out"
  t1=$(date +%s.%N)
  echo "# $(cat "$PROFILE_DIR/save.out") (wall $(echo "$t1 - $t0" | bc) s)" >&3
}

setup() {
  : "${CANRUN:?set CANRUN to the canrun binary}"
}

# One line per program: path, verdict, exit status, finding ids, the loader's
# text with the program's name as it stands on this machine.
cells() {
  jq -r '.files[] | select(.targets) | .path as $p | .targets[0] |
    [$p, .verdict, (.exit_status // "" | tostring), ([(.findings // [])[].id] | sort | join(",")),
     ((.loader_error // "") | split("/app/" + ($p | split("/") | last)) | join($p))] | @tsv'
}

@test "this machine's profile checks every program in /usr/bin as host does" {
  local files
  mapfile -t files < <(find /usr/bin -maxdepth 1 -type f | sort)
  local t0 t1
  "$CANRUN" check --json --target host "${files[@]}" 2>/dev/null | cells >"$PROFILE_DIR/host.tsv" || true
  t0=$(date +%s.%N)
  "$CANRUN" check --json --target "profile:$PROFILE_DIR/host.json" "${files[@]}" 2>/dev/null | cells >"$PROFILE_DIR/profile.tsv" || true
  t1=$(date +%s.%N)
  echo "# ${#files[@]} programs checked against the profile in $(echo "$t1 - $t0" | bc) s" >&3
  echo "# profile: $(stat -c %s "$PROFILE_DIR/host.json") bytes" >&3
  echo "# $(wc -l <"$PROFILE_DIR/host.tsv") ELF programs of ${#files[@]} files" >&3
  [ "$(wc -l <"$PROFILE_DIR/host.tsv")" -gt 100 ]
  diff "$PROFILE_DIR/host.tsv" "$PROFILE_DIR/profile.tsv"
}

@test "the profile keeps whether the kernel runs 32-bit x86 programs, as running one shows" {
  [ "$(uname -m)" = x86_64 ] || skip "a question for x86_64 kernels"
  : "${FIXTURES:?set FIXTURES}"
  local want=true verdict=runs
  "$FIXTURES/c/tiny-i386" || { want=false verdict=fails; }
  [ "$(jq -r .target.runs_i386 "$PROFILE_DIR/host.json")" = "$want" ]
  run --separate-stderr "$CANRUN" check --json --target "profile:$PROFILE_DIR/host.json" --target host "$FIXTURES/c/tiny-i386"
  [ "$(jq -r '[.files[0].targets[].verdict] | unique | join(" ")' <<<"$output")" = "$verdict" ]
}

@test "the profile keeps the saved kernel, machine and CPU" {
  run -0 jq -r '.target | [.root, .machine, .kernel] | @tsv' "$PROFILE_DIR/host.json"
  [ "$output" = "false	$(uname -m)	$(uname -r)" ]
  run -0 --separate-stderr "$CANRUN" check --json --target "profile:$PROFILE_DIR/host.json" /usr/bin/true
  [ "$(jq -r '.files[0].targets[0].cpu.assumed' <<<"$output")" = false ]
}

# A damaged copy of the musl root's profile (small) must give one line, 2.
damaged() {
  local name="$1" filter="$2"
  [ -n "${CANRUN_ROOTS_DIR:-}" ] && [ -d "$CANRUN_ROOTS_DIR/bookworm" ] || skip "no test roots"
  "$CANRUN" host --save "$BATS_TEST_TMPDIR/good.json" --root "$CANRUN_ROOTS_DIR/bookworm" >/dev/null
  if [ -n "$filter" ]; then
    jq -c "$filter" "$BATS_TEST_TMPDIR/good.json" >"$BATS_TEST_TMPDIR/$name.json"
  fi
  run -2 --separate-stderr "$CANRUN" check --target "profile:$BATS_TEST_TMPDIR/$name.json" /usr/bin/true
  [ "${#stderr_lines[@]}" -eq 1 ]
  [[ "${stderr_lines[0]}" == canrun:* ]]
  echo "$stderr" >&3
}

first_file='(.files | map(.type == "file" and .size > 100) | index(true))'

@test "damaged: truncated" {
  [ -n "${CANRUN_ROOTS_DIR:-}" ] || skip "no test roots"
  "$CANRUN" host --save "$BATS_TEST_TMPDIR/full.json" --root "$CANRUN_ROOTS_DIR/bookworm" >/dev/null
  head -c 100000 "$BATS_TEST_TMPDIR/full.json" >"$BATS_TEST_TMPDIR/cut.json"
  damaged cut ""
}
@test "damaged: not JSON" {
  [ -n "${CANRUN_ROOTS_DIR:-}" ] || skip "no test roots"
  echo '{"canrun_profile": 1,' >"$BATS_TEST_TMPDIR/bad.json"
  damaged bad ""
}
@test "damaged: a newer format" { damaged newer '.canrun_profile = 2'; [[ "$stderr" == *"newer than this canrun"* ]]; }
@test "damaged: bad base64" { damaged b64 ".files[$first_file].gzip = \"@@@@\""; [[ "$stderr" == *base64* ]]; }
@test "damaged: a stub past its stated size" {
  damaged past ".files[$first_file].kept = [[0, 1]]"
  [[ "$stderr" == *"more than its stated size"* ]]
}
@test "damaged: a file larger than the cap" {
  damaged huge ".files[$first_file].size = 1099511627776 | .files[$first_file].kept = [[0, 1099511627776]]"
}
@test "damaged: a path with .." { damaged dotdot '.files[1].path = "/usr/../../etc/passwd"'; [[ "$stderr" == *'".."'* ]]; }
@test "damaged: a kept range outside the file" { damaged outside ".files[$first_file].kept = [[0, 999999999]]"; }
@test "damaged: not an object" { damaged notobj '.files[3] = 5'; }

@test "--include saves an application's own tree; it goes only with --save, as an absolute path" {
  mkdir -p "$BATS_TEST_TMPDIR/root/opt/app/lib" "$BATS_TEST_TMPDIR/root/etc"
  cp /usr/bin/true "$BATS_TEST_TMPDIR/root/opt/app/prog"
  cp /lib/x86_64-linux-gnu/libz.so.1 "$BATS_TEST_TMPDIR/root/opt/app/lib/" 2>/dev/null ||
    cp "$(ls /lib/x86_64-linux-gnu/libc.so.6)" "$BATS_TEST_TMPDIR/root/opt/app/lib/"
  run -0 "$CANRUN" host --save "$BATS_TEST_TMPDIR/p.json" --root "$BATS_TEST_TMPDIR/root" --include /opt/app
  run -0 jq -r '[.files[].path | select(startswith("/opt/app"))] | join(" ")' "$BATS_TEST_TMPDIR/p.json"
  [[ "$output" == *"/opt/app/prog"* && "$output" == *"/opt/app/lib/"* ]]
  # Without it, the tree is not in the profile.
  run -0 "$CANRUN" host --save "$BATS_TEST_TMPDIR/q.json" --root "$BATS_TEST_TMPDIR/root"
  run -0 jq -r '[.files[].path | select(startswith("/opt/app"))] | length' "$BATS_TEST_TMPDIR/q.json"
  [ "$output" = 0 ]
  run -64 "$CANRUN" host --include /opt/app
  run -64 "$CANRUN" host --save "$BATS_TEST_TMPDIR/r.json" --include opt/app
}

@test "damaged: a profile file over 256 MiB is not parsed" {
  truncate -s 300M "$BATS_TEST_TMPDIR/big.json"
  run -2 --separate-stderr "$CANRUN" check --target "profile:$BATS_TEST_TMPDIR/big.json" /usr/bin/true
  [ "${#stderr_lines[@]}" -eq 1 ]
  [[ "$stderr" == *"at most 256 MiB"* ]]
}
