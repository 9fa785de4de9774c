#!/usr/bin/env bats
# --sarif of check, scan and harden: every document valid against the SARIF
# 2.1.0 JSON schema (tests/sarif/validate.py, with the schema fetched from
# the npm registry by tests/sarif/fetch-schema.sh), and saying what --json
# and the text report say: a rule per finding id, a result per finding, the
# level from the severity, the file as a URI, target and verdict.
#
# CANRUN is the binary under test; FIXTURES holds c/ and go/; CANRUN_IMAGES
# the test images; SARIF_SCHEMA_DIR where the schema is kept between runs.

bats_require_minimum_version 1.5.0

setup_file() {
  : "${CANRUN:?set CANRUN}" "${FIXTURES:?set FIXTURES}" "${SARIF_SCHEMA_DIR:?set SARIF_SCHEMA_DIR}"
  "$BATS_TEST_DIRNAME/../sarif/fetch-schema.sh" "$SARIF_SCHEMA_DIR"
}

setup() {
  SCHEMA=$SARIF_SCHEMA_DIR/sarif-schema-2.1.0.json
  VALIDATE=$BATS_TEST_DIRNAME/../sarif/validate.py
  C=$FIXTURES/c
  G=$FIXTURES/go
  tmp=$(mktemp -d)
}

teardown() {
  rm -rf "$tmp"
}

# valid FILE...: every file passes the schema, or the validator's reasons show.
valid() {
  run "$VALIDATE" "$SCHEMA" "$@"
  [ "$status" -eq 0 ] || { echo "$output"; return 1; }
}

# The level SARIF must give each severity of canrun's JSON.
LEVELS='{"fail": "error", "warn": "warning", "unknown": "note"}'

@test "the validator rejects broken documents, so a pass means something" {
  "$CANRUN" check --sarif --target debian-12 "$G/ginserver-musl" >"$tmp/good.sarif" || true
  valid "$tmp/good.sarif"
  jq '.runs[0].results[0].level = "fatal"' "$tmp/good.sarif" >"$tmp/level.sarif"
  jq '.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri = "has space%zz"' \
    "$tmp/good.sarif" >"$tmp/uri.sarif"
  jq 'del(.runs[0].results[0].message)' "$tmp/good.sarif" >"$tmp/message.sarif"
  jq '.version = "2.0.0"' "$tmp/good.sarif" >"$tmp/version.sarif"
  jq '.runs[0].invocations[0].startTimeUtc = "yesterday"' "$tmp/good.sarif" >"$tmp/time.sarif"
  jq '.runs[0].tool.driver.rules[0].unknownKey = 1' "$tmp/good.sarif" >"$tmp/key.sarif"
  for bad in level uri message version time key; do
    run "$VALIDATE" "$SCHEMA" "$tmp/$bad.sarif"
    [ "$status" -eq 1 ] || { echo "the broken '$bad' copy passed"; return 1; }
    [[ "$output" == "$tmp/$bad.sarif: "* ]]
  done
}

@test "scan of the example server's variants: valid, and the same findings as --jsonl" {
  [ -d "$G" ] || { echo "no Go fixtures in $G"; return 1; }
  run -1 "$CANRUN" scan --sarif --target debian-12 --require pie "$G"
  printf '%s\n' "$output" >"$tmp/scan.sarif"
  valid "$tmp/scan.sarif"
  "$CANRUN" scan --jsonl --target debian-12 --require pie "$G" >"$tmp/scan.jsonl" || true
  # Every finding worse than ok, and every unmet --require, in walk order.
  jq -c 'select(.path) | .path as $p | .check.verdict as $v |
         (.check.findings[] | select(.severity != "ok") | {id, level: ('"$LEVELS"')[.severity], path: $p, verdict: $v}),
         (.unmet[] | {id: ("require-" + .), level: "error", path: $p, verdict: $v})' \
    "$tmp/scan.jsonl" >"$tmp/want"
  [ "$(wc -l <"$tmp/want")" -ge 8 ]
  jq -c '.runs[0].results[] | {id: .ruleId, level, path: .locations[0].physicalLocation.artifactLocation.uri,
         verdict: .properties.verdict}' "$tmp/scan.sarif" | sed 's|"file://|"|' >"$tmp/got"
  diff "$tmp/want" "$tmp/got"
  # One rule per id met, each result pointing at its own rule.
  diff <(jq -r '.id' "$tmp/want" | sort -u) <(jq -r '.runs[0].tool.driver.rules[].id' "$tmp/scan.sarif" | sort)
  jq -e '.runs[0] as $r | all($r.results[]; $r.tool.driver.rules[.ruleIndex].id == .ruleId)' "$tmp/scan.sarif"
  jq -e '.runs[0] | all(.results[]; .properties.target == "debian-12") and
         .tool.driver.name == "canrun" and (.tool.driver.version | length > 0) and
         .invocations[0].executionSuccessful == true' "$tmp/scan.sarif"
  # Rules describe the id; help carries a fix.
  jq -e 'all(.runs[0].tool.driver.rules[]; (.shortDescription.text | length > 10) and (.help.text | length > 5))' \
    "$tmp/scan.sarif"
}

@test "check: a result per finding and target, as --json reports them; --explain adds passes" {
  I=${CANRUN_IMAGES:-}
  targets=(--target debian-12 --target alpine-3.22 --target scratch)
  [ -f "$I/bookworm-docker.tar" ] && targets+=(--target "image:$I/bookworm-docker.tar")
  files=("$G/ginserver-nocgo" "$G/ginserver-cgo" "$C/hello-x86-64-v3" "$C/needs-glibc-2.36")
  run -1 "$CANRUN" check --sarif "${targets[@]}" "${files[@]}"
  printf '%s\n' "$output" >"$tmp/check.sarif"
  valid "$tmp/check.sarif"
  "$CANRUN" check --json "${targets[@]}" "${files[@]}" >"$tmp/check.json" || true
  jq -c '.files[] | .path as $p | .targets[] | .target as $t | .verdict as $v | .findings[] |
         select(.severity != "ok") | {id, level: ('"$LEVELS"')[.severity], path: $p, target: $t, verdict: $v,
         message: (.message + " (on " + $t + ")")}' "$tmp/check.json" >"$tmp/want"
  jq -c '.runs[0].results[] | {id: .ruleId, level, path: .locations[0].physicalLocation.artifactLocation.uri,
         target: .properties.target, verdict: .properties.verdict, message: .message.text}' \
    "$tmp/check.sarif" | sed 's|"file://|"|' >"$tmp/got"
  [ "$(wc -l <"$tmp/want")" -ge 6 ]
  diff "$tmp/want" "$tmp/got"
  diff <(jq -r '.id' "$tmp/want" | sort -u) <(jq -r '.runs[0].tool.driver.rules[].id' "$tmp/check.sarif" | sort)
  # --explain: the passed checks too, as kind "pass" with level "none".
  run -1 "$CANRUN" check --sarif --explain "${targets[@]}" "${files[@]}"
  printf '%s\n' "$output" >"$tmp/explain.sarif"
  valid "$tmp/explain.sarif"
  [ "$(jq '.runs[0].results | length' "$tmp/explain.sarif")" -eq \
    "$(jq '[.files[].targets[].findings[]] | length' "$tmp/check.json")" ]
  jq -e '[.runs[0].results[] | select(.kind == "pass")] | length > 0 and all(.[]; .level == "none")' \
    "$tmp/explain.sarif"
}

@test "check as a gate: a result per finding and per unmet --require, the gate in the run's properties" {
  files=("$C/hello-nopie" "$C/relro-lazy" "$G/ginserver-musl" "$G/ginserver-nocgo")
  args=(--require runs,pie,full-relro --deny tzdata-missing --target debian-12 --target alpine-3.22)
  run --separate-stderr -1 "$CANRUN" check --sarif "${args[@]}" "${files[@]}"
  printf '%s\n' "$output" >"$tmp/gate.sarif"
  valid "$tmp/gate.sarif"
  "$CANRUN" check --json "${args[@]}" "${files[@]}" >"$tmp/gate.json" 2>/dev/null || true
  # Per cell: its findings worse than ok, then its unmet properties.
  jq -c '.files[] | .path as $p | .targets[] | .target as $t | .verdict as $v |
         (.findings[] | select(.severity != "ok") | {id, level: ('"$LEVELS"')[.severity]}),
         (.unmet[] | {id: ("require-" + .), level: "error"}) | . + {path: $p, target: $t, verdict: $v}' \
    "$tmp/gate.json" >"$tmp/want"
  jq -c '.runs[0].results[] | {id: .ruleId, level, path: .locations[0].physicalLocation.artifactLocation.uri,
         target: .properties.target, verdict: .properties.verdict}' "$tmp/gate.sarif" | sed 's|"file://|"|' >"$tmp/got"
  [ "$(grep -c require- "$tmp/want")" -ge 6 ]
  diff "$tmp/want" "$tmp/got"
  diff <(jq -S .gate "$tmp/gate.json") <(jq -S .runs[0].properties.gate "$tmp/gate.sarif")
}

@test "harden: each note, warning and unmet --require is a result with its level" {
  files=("$C/hello-nopie" "$C/relro-lazy" "$C/libtextrel.so" "$C/rpath-relative" "$C/no-gnu-stack"
    "$G/ginserver-nocgo" "$C/upx-banner")
  run -4 "$CANRUN" harden --sarif --require full-relro,pie,nx "${files[@]}"
  printf '%s\n' "$output" >"$tmp/harden.sarif"
  valid "$tmp/harden.sarif"
  # The text report's note lines ("note    PATH: ..."), less the closing
  # FORTIFY note that is about the libc, not a file.
  "$CANRUN" harden --color never --require full-relro,pie,nx "${files[@]}" >"$tmp/text" || true
  grep -E '^(note|warn|unmet) +/' "$tmp/text" |
    sed -E 's/^(note|warn|unmet) +([^:]+): (.*)$/\1\t\2\t\3/' >"$tmp/want"
  [ "$(wc -l <"$tmp/want")" -ge 7 ]
  jq -r '.runs[0].results[] | [({"note": "note", "warning": "warn", "error": "unmet"})[.level],
         (.locations[0].physicalLocation.artifactLocation.uri | sub("^file://"; "")), .message.text] | @tsv' \
    "$tmp/harden.sarif" >"$tmp/got"
  diff "$tmp/want" "$tmp/got"
  jq -e '[.runs[0].results[].ruleId] | index("require-pie") and index("textrel") and index("canary-go")
         and index("rpath-unsafe")' "$tmp/harden.sarif"
  jq -e 'all(.runs[0].results[] | select(.ruleId | startswith("require-")); .level == "error"
         and (.properties.fix | length > 0))' "$tmp/harden.sarif"
}

@test "URIs: relative paths against SRCROOT, special characters percent-encoded, read back equal" {
  mkdir -p "$tmp/dir with space/é%#?[x]"
  name='dir with space/é%#?[x]/pro gram+1'
  cp "$G/ginserver-nocgo" "$tmp/$name" # a Go program: passed checks to report
  cd "$tmp"
  run -0 "$CANRUN" check --sarif --target host --explain "$name"
  printf '%s\n' "$output" >"$tmp/uri.sarif"
  valid "$tmp/uri.sarif"
  uri=$(jq -r '.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri' "$tmp/uri.sarif")
  [ "$uri" = 'dir%20with%20space/%C3%A9%25%23%3F%5Bx%5D/pro%20gram%2B1' ]
  jq -e '.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uriBaseId == "SRCROOT"' "$tmp/uri.sarif"
  [ "$(/usr/bin/python3 -c 'import sys, urllib.parse; print(urllib.parse.unquote(sys.argv[1]))' "$uri")" = "$name" ]
  base=$(jq -r '.runs[0].originalUriBaseIds.SRCROOT.uri' "$tmp/uri.sarif")
  [ "$base" = "file://$(pwd -P | sed 's/ /%20/g')/" ]
  # An absolute path is a file: URI.
  run -0 "$CANRUN" check --sarif --target host --explain "$tmp/$name"
  jq -e '.runs[0].results[0].locations[0].physicalLocation.artifactLocation | (.uri | startswith("file:///"))
         and .uriBaseId == null' <<<"$output"
}

@test "an unreadable file: a notification, executionSuccessful false, exit 2, still valid" {
  head -c 60 "$C/hello-pie" >"$tmp/truncated"
  run --separate-stderr -2 "$CANRUN" check --sarif --target debian-12 "$tmp/truncated" "$G/ginserver-musl"
  printf '%s\n' "$output" >"$tmp/err.sarif"
  valid "$tmp/err.sarif"
  jq -e '.runs[0].invocations[0] | .executionSuccessful == false and (.toolExecutionNotifications | length) == 1
         and (.toolExecutionNotifications[0].message.text | startswith("'"$tmp"'/truncated: "))' "$tmp/err.sarif"
  jq -e '.runs[0].results | length > 0' "$tmp/err.sarif"
  run --separate-stderr -2 "$CANRUN" harden --sarif "$tmp/truncated"
  printf '%s\n' "$output" >"$tmp/err2.sarif"
  valid "$tmp/err2.sarif"
  run --separate-stderr -2 "$CANRUN" scan --sarif --no-check /nonexistent-dir
  printf '%s\n' "$output" >"$tmp/err3.sarif"
  valid "$tmp/err3.sarif"
  jq -e '.runs[0].invocations[0].executionSuccessful == false' "$tmp/err3.sarif"
}

@test "scan of an image: files by their path inside it, against IMAGEROOT" {
  I=${CANRUN_IMAGES:-}
  [ -f "$I/bookworm-docker.tar" ] || skip "no test images"
  run -4 "$CANRUN" scan --sarif --require full-relro "image:$I/bookworm-docker.tar"
  printf '%s\n' "$output" >"$tmp/image.sarif"
  valid "$tmp/image.sarif"
  jq -e '.runs[0].results | length > 10' "$tmp/image.sarif"
  jq -e 'all(.runs[0].results[]; .locations[0].physicalLocation.artifactLocation.uriBaseId == "IMAGEROOT"
         and (.locations[0].physicalLocation.artifactLocation.uri | startswith("/") | not)
         and (.properties.image | startswith("image:")))' "$tmp/image.sarif"
  # "[" is no URI character: encoded.
  jq -e '[.runs[0].results[].locations[0].physicalLocation.artifactLocation.uri] | index("usr/bin/%5B")' \
    "$tmp/image.sarif"
}

@test "--sarif excludes --json (and --jsonl): usage error" {
  run -64 "$CANRUN" check --sarif --json "$C/hello-pie"
  run -64 "$CANRUN" harden --sarif --json "$C/hello-pie"
  run -64 "$CANRUN" scan --sarif --jsonl "$C"
}
