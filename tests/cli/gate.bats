#!/usr/bin/env bats
# The release gate: canrun check --require runs,PROPERTY... --deny KIND...
# on real fixtures, images and profiles. Each failure is one line on stderr
# ("canrun: gate: FILE on TARGET: REASON"), then one verdict line; the exit
# status is 0 only when the gate passes, 1 when something fails to start,
# 4 for an unmet --require or a denied warning, 2 for an unreadable file,
# 64 for a name the gate does not know.
#
# CANRUN is the binary under test; FIXTURES holds c/ and go/; CANRUN_IMAGES
# the test images.

bats_require_minimum_version 1.5.0

setup() {
  : "${CANRUN:?set CANRUN}" "${FIXTURES:?set FIXTURES}"
  C=$FIXTURES/c
  G=$FIXTURES/go
  I=${CANRUN_IMAGES:-}
  tmp=$(mktemp -d)
}

teardown() {
  rm -rf "$tmp"
}

# gate STATUS ARGS...: canrun check ARGS, which must exit STATUS; its
# stderr's gate lines in $lines_gate, its last line in $verdict_line.
gate() {
  local want=$1
  shift
  run --separate-stderr "$CANRUN" check --color never "$@"
  [ "$status" -eq "$want" ] || { echo "exit $status, want $want; stderr: $stderr"; return 1; }
  lines_gate=$(grep '^canrun: gate: ' <<<"$stderr" | head -n -1 || true)
  verdict_line=$(tail -n 1 <<<"$stderr")
}

@test "pass: a static Go server runs on every target and has the protections named; exit 0" {
  targets=(--target distroless-static --target debian-12 --target alpine-3.22)
  [ -f "$I/bookworm-docker.tar" ] && targets+=(--target "image:$I/bookworm-docker.tar")
  gate 0 --require runs,nx,canary,no-rpath "${targets[@]}" "$G/ginserver-static-netgo"
  [ -z "$lines_gate" ]
  [ "$verdict_line" = "canrun: gate: passed (1 file on $((${#targets[@]} / 2)) targets)" ]
  # The same files without a gate: the warnings (no zoneinfo in Alpine, no CA
  # bundle in the image) make it exit 3; the gate lets warnings not denied pass.
  run "$CANRUN" check "${targets[@]}" "$G/ginserver-static-netgo"
  [ "$status" -eq 3 ]
}

@test "the README's command: dist/* on an image and a profile" {
  [ -f "$I/bookworm-docker.tar" ] || skip "no test images"
  mkdir "$tmp/dist"
  cp "$G/ginserver-nocgo" "$G/ginserver-cgo" "$tmp/dist/"
  cd "$tmp"
  gate 0 --require runs --target "image:$I/bookworm-docker.tar" --target debian-12 dist/*
  [ "$verdict_line" = "canrun: gate: passed (2 files on 2 targets)" ]
  cp "$G/ginserver-musl" "$tmp/dist/"
  gate 1 --require runs --target "image:$I/bookworm-docker.tar" --target debian-12 dist/*
  [ "$(grep -c ' fails: ' <<<"$lines_gate")" -eq 2 ]
  grep -qx "canrun: gate: dist/ginserver-musl on debian-12: fails: .* \[interpreter-missing\]" <<<"$lines_gate"
  grep -qx "canrun: gate: dist/ginserver-musl on image:$I/bookworm-docker.tar: fails: .* \[interpreter-missing\]" \
    <<<"$lines_gate"
  [ "$verdict_line" = "canrun: gate: failed: 2 fails" ]
}

@test "fails: a program that does not start fails the gate, exit 1, a line with the loader's reason" {
  gate 1 --require runs --target debian-12 "$G/ginserver-musl" "$G/ginserver-nocgo"
  [ "$(wc -l <<<"$lines_gate")" -eq 1 ]
  [[ "$lines_gate" == "canrun: gate: $G/ginserver-musl on debian-12: fails: it needs the loader /lib/ld-musl-x86_64.so.1"*"[interpreter-missing]" ]]
  [ "$verdict_line" = "canrun: gate: failed: 1 fails" ]
  gate 1 --require runs --target debian-11 "$C/needs-glibc-2.36"
  [[ "$lines_gate" == *"on debian-11: fails: needs glibc 2.36; debian-11 has 2.31"*"[glibc-too-old]" ]]
  gate 1 --require runs --target debian-12 "$G/ginserver-arm64"
  [[ "$lines_gate" == *"[machine-mismatch]" ]]
}

@test "unmet: hardening as 'canrun harden --require' judges it, line for line, exit 4" {
  files=("$C/relro-lazy" "$C/hello-execstack" "$C/fortify-partial" "$C/rpath-relative" "$C/hello-nopie" "$C/hello-pie")
  req=full-relro,pie,nx,canary,fortify,safe-rpath
  gate 4 --require "runs,$req" --target debian-12 "${files[@]}"
  # harden judges against this host's root, as the gate does for a profile.
  "$CANRUN" harden --color never --require "$req" "${files[@]}" >"$tmp/harden" || true
  diff <(grep '^unmet ' "$tmp/harden" | sed -E 's/^unmet +([^:]+): /canrun: gate: \1 on debian-12: /') \
    <(printf '%s\n' "$lines_gate")
  grep -qx "canrun: gate: $C/hello-nopie on debian-12: --require pie: PIE is no" <<<"$lines_gate"
  grep -qx "canrun: gate: $C/hello-execstack on debian-12: --require nx: the stack is executable" <<<"$lines_gate"
  grep -qx "canrun: gate: $C/fortify-partial on debian-12: --require fortify: FORTIFY is partial" <<<"$lines_gate"
  [[ "$verdict_line" == "canrun: gate: failed: "*" unmet" ]]
  # One target per line: the same file fails on each target named.
  gate 4 --require pie --target debian-12 --target rhel-9 "$C/hello-nopie"
  [ "$(wc -l <<<"$lines_gate")" -eq 2 ]
  # Met: full RELRO and PIE.
  gate 0 --require runs,full-relro,pie,nx --target debian-12 "$C/relro-now"
}

@test "FORTIFY is judged against each target's own libc: an image's, a profile's host stand-in" {
  [ -f "$I/musl-docker.tar" ] || skip "no test images"
  # musl has no __*_chk functions: FORTIFY cannot be told there, which does not meet 'fortify'.
  gate 4 --require fortify --target "image:$I/musl-docker.tar" "$C/fortify-musl"
  [[ "$lines_gate" == *"on image:$I/musl-docker.tar: --require fortify: FORTIFY is unknown" ]]
  gate 0 --require fortify --target debian-12 "$C/fortify-full"
}

@test "denied: each --deny kind fails the gate on its own warnings, exit 4; not denied they pass" {
  f=$G/ginserver-static-netgo
  gate 0 --require runs --target scratch "$f"
  gate 4 --require runs --deny certs-missing --target scratch "$f"
  [[ "$lines_gate" == "canrun: gate: $f on scratch: --deny certs-missing: no CA certificates in scratch"*"[ca-bundle-missing]" ]]
  gate 4 --require runs --deny tzdata-missing --target alpine-3.22 "$f"
  [[ "$lines_gate" == "canrun: gate: $f on alpine-3.22: --deny tzdata-missing: no zone database in alpine-3.22"*"[tzdata-missing]" ]]
  gate 4 --require runs --deny user-lookup --target scratch "$f"
  [[ "$lines_gate" == "canrun: gate: $f on scratch: --deny user-lookup: no /etc/passwd in scratch"*"[passwd-missing]" ]]
  # Several kinds at once, a line each; "all" denies every warning.
  gate 4 --deny certs-missing,tzdata-missing,user-lookup --target scratch "$f"
  [ "$(wc -l <<<"$lines_gate")" -eq 3 ]
  [ "$verdict_line" = "canrun: gate: failed: 3 denied" ]
  gate 4 --deny all --target scratch "$f"
  [ "$(wc -l <<<"$lines_gate")" -eq 3 ]
  # A kind with nothing to deny on this target passes.
  gate 0 --require runs --deny certs-missing --target distroless-static "$f"
}

@test "denied: library-package and unknown (a library a minimal Debian lacks), cpu-level (unchecked marking)" {
  jq=$(command -v jq)
  gate 0 --require runs --target debian-12 "$jq"
  gate 4 --require runs --deny library-package --target debian-12 "$jq"
  [[ "$lines_gate" == "canrun: gate: $jq on debian-12: --deny library-package: needs libjq.so.1"*"[library-package]" ]]
  gate 4 --deny unknown --target debian-12 "$jq"
  [[ "$lines_gate" == *"--deny unknown: "*"[library-package]" ]]
  # glibc before 2.33 does not check the ISA marking: a warning, and the
  # program also fails there (it needs glibc 2.34): fails outranks denied.
  gate 1 --require runs --deny cpu-level --target debian-11 "$C/hello-x86-64-v3"
  grep -q "on debian-11: fails: .*\[glibc-too-old\]$" <<<"$lines_gate"
  grep -q "on debian-11: --deny cpu-level: marked as needing an x86-64-v3 CPU.*\[cpu-level\]$" <<<"$lines_gate"
  [ "$verdict_line" = "canrun: gate: failed: 1 fails, 1 denied" ]
}

@test "unreadable: exit 2 outranks the rest, a line naming the file" {
  head -c 60 "$C/hello-pie" >"$tmp/truncated"
  gate 2 --require runs,pie --target debian-12 "$tmp/truncated" "$G/ginserver-musl" "$C/hello-nopie"
  grep -q "^canrun: gate: $tmp/truncated: unreadable: " <<<"$lines_gate"
  [ "$verdict_line" = "canrun: gate: failed: 1 unreadable, 1 fails, 2 unmet" ]
  gate 2 --require runs --target debian-12 "$tmp/no-such-file"
  grep -qx "canrun: gate: $tmp/no-such-file: unreadable: No such file or directory" <<<"$lines_gate"
}

@test "names the gate does not know: usage error 64, the valid ones listed" {
  run --separate-stderr -64 "$CANRUN" check --deny certs-missing,no-such-kind --target debian-12 "$C/hello-pie"
  [[ "$stderr" == "canrun: --deny: unknown kind 'no-such-kind'; valid: certs-missing, tzdata-missing, user-lookup,"* ]]
  run --separate-stderr -64 "$CANRUN" check --require runs,piee --target debian-12 "$C/hello-pie"
  [[ "$stderr" == "canrun: --require: unknown property 'piee'; valid: runs, full-relro, relro, pie,"* ]]
  # Every kind --help lists is one the gate takes.
  run "$CANRUN" check --help
  kinds=$(sed -n '/--deny KINDS/,/^$/p' <<<"$output" | tr ' ,()' '\n\n\n\n' | grep -E '^[a-z]+(-[a-z]+)*$' |
    grep -vx -e every -e warning -e and -e warnings -e that -e fail -e the -e gate -e unknown -e deny || true)
  [ "$(wc -w <<<"$kinds")" -ge 9 ]
  for k in $kinds unknown all; do
    "$CANRUN" check --deny "$k" --target debian-12 "$C/hello-pie" >/dev/null 2>&1 || { echo "--deny $k refused"; false; }
  done
}

@test "JSON: a complete document with the gate object; cells list their unmet properties" {
  run --separate-stderr -1 "$CANRUN" check --json --require runs,pie --deny tzdata-missing \
    --target alpine-3.22 --target debian-12 "$G/ginserver-static-netgo" "$C/hello-pie"
  jq -e '.gate.passed == false and .gate.require == ["runs", "pie"] and .gate.deny == ["tzdata-missing"]' <<<"$output"
  jq -c '.gate.failures[] | [.path, .target, .reason, .id, .kind]' <<<"$output" >"$tmp/got"
  cat >"$tmp/want" <<EOF
["$G/ginserver-static-netgo","alpine-3.22","denied","tzdata-missing","tzdata-missing"]
["$G/ginserver-static-netgo","alpine-3.22","unmet","require-pie","pie"]
["$G/ginserver-static-netgo","debian-12","unmet","require-pie","pie"]
["$C/hello-pie","alpine-3.22","fails","interpreter-missing",null]
EOF
  diff "$tmp/want" "$tmp/got"
  jq -e '.gate.failures | .[0].message | startswith("no zone database in alpine-3.22")' <<<"$output"
  jq -e '.gate.failures | .[1].message == "--require pie: PIE is no"' <<<"$output"
  jq -e '.gate.failures | .[3].message | startswith("it needs the loader /lib64/ld-linux-x86-64.so.2")' <<<"$output"
  jq -e '.files[0].targets | map(.unmet) == [["pie"], ["pie"]]' <<<"$output"
  jq -e '.files[1].targets | map(.unmet) == [[], []]' <<<"$output"
  # stderr has the lines, stdout only the document.
  [ "$(grep -c '^canrun: gate: ' <<<"$stderr")" -eq "$(jq '.gate.failures | length + 1' <<<"$output")" ]
  run --separate-stderr -0 "$CANRUN" check --json --require runs --target debian-12 "$C/hello-pie"
  jq -e '.gate == {"passed": true, "require": ["runs"], "deny": [], "failures": []}' <<<"$output"
  # Without a gate there is no gate object, and no unmet.
  run -0 "$CANRUN" check --json --target debian-12 "$C/hello-pie"
  jq -e 'has("gate") | not' <<<"$output"
  jq -e '.files[0].targets[0] | has("unmet") | not' <<<"$output"
}

@test "SARIF: unmet --require properties are error results; the gate in the run's properties" {
  run --separate-stderr -4 "$CANRUN" check --sarif --require runs,pie --target debian-12 "$C/hello-nopie"
  jq -e '.runs[0].results | map(select(.ruleId == "require-pie")) | length == 1 and .[0].level == "error"' <<<"$output"
  jq -e '.runs[0].properties.gate.passed == false and (.runs[0].properties.gate.failures | length) == 1' <<<"$output"
}
