#!/usr/bin/env bats
# A Go program for x86-64 linked by the system linker without runtime/cgo is
# killed by SIGTRAP at start, whatever the machine. Each variant of
# tests/go/startprobe (tests/go/build-startprobe.sh) is run for real here, and
# canrun's prediction must match what happened: check's verdict and exit
# status on the host, on every profile and in a root; go's text and JSON;
# and the rebuild it suggests must start.

bats_require_minimum_version 1.5.0

setup() {
  : "${CANRUN:?set CANRUN}" "${FIXTURES:?set FIXTURES}"
  P=$FIXTURES/gostart/startprobe
  SRC=$BATS_TEST_DIRNAME/../go/startprobe
  ID=go-external-link-no-runtime-cgo
}

# Runs a program for real (never canrun's doing: the test's own builds);
# real is its exit status as a shell reports it, started its first line
# (the shell's own word on the signal goes to stderr, kept apart).
run_real() {
  # shellcheck disable=SC2016 # expanded by that sh
  run -0 --separate-stderr timeout 20 sh -c '"$1"; echo "status=$?"' sh "$1"
  real=${lines[${#lines[@]}-1]#status=}
  started=
  if [ "${#lines[@]}" -gt 1 ]; then started=${lines[0]}; fi
}

# The host's cell of `canrun check --json --target host`.
host_cell() {
  run "$CANRUN" check --json --target host "$1"
  cell=$(jq -c '.files[0].targets[0]' <<<"$output")
}

@test "reality: without runtime/cgo the static, stripped and static-pie links trap (133); the others start" {
  for v in ext-static ext-static-stripped ext-static-pie; do
    run_real "$P-$v"
    echo "$v: $real"
    [ "$real" -eq 133 ]
    [ -z "$started" ]
  done
  for v in ext-static-cgo ext-dynamic ext-static-musl; do
    run_real "$P-$v"
    echo "$v: $real $started"
    [ "$real" -eq 0 ]
    [[ "$started" == "startprobe: started "* ]]
  done
}

@test "check on the host predicts each variant's real start: verdict, finding and exit status" {
  for v in ext-static ext-static-stripped ext-static-pie ext-static-cgo ext-dynamic ext-static-musl; do
    run_real "$P-$v"
    host_cell "$P-$v"
    echo "$v: real $real, canrun $cell"
    [ "$(jq -r .exit_status <<<"$cell")" -eq "$real" ]
    if [ "$real" -eq 133 ]; then
      [ "$(jq -r .verdict <<<"$cell")" = fails ]
      jq -e --arg id "$ID" '[.findings[] | select(.id == $id and .severity == "fail")] | length == 1' <<<"$cell"
    else
      [ "$(jq -r .verdict <<<"$cell")" != fails ]
      jq -e --arg id "$ID" '[.findings[] | select(.id == $id)] | length == 0' <<<"$cell"
    fi
  done
}

@test "the trap fails on every profile and in a root, exit 1, with its evidence, outcome and rebuild" {
  targets=()
  for t in $("$CANRUN" targets --json | jq -r '.targets[].name'); do targets+=(--target "$t"); done
  if [ -n "${CANRUN_ROOTS_DIR:-}" ] && [ -d "$CANRUN_ROOTS_DIR/bookworm/usr" ]; then
    targets+=(--target "$CANRUN_ROOTS_DIR/bookworm")
  fi
  run "$CANRUN" check --json "${targets[@]}" "$P-ext-static" "$P-ext-static-stripped"
  [ "$status" -eq 1 ]
  [ "$(jq '.files[0].targets | length' <<<"$output")" -eq $((${#targets[@]} / 2)) ]
  jq -e --arg id "$ID" '[.files[].targets[] | .verdict == "fails" and .exit_status == 133
    and ([.findings[] | select(.id == $id)] | length == 1)] | all' <<<"$output"
  finding=$(jq -c --arg id "$ID" '[.files[0].targets[0].findings[] | select(.id == $id)][0]' <<<"$output")
  [[ "$(jq -r .message <<<"$finding")" == "killed by SIGTRAP at start (a shell reports exit status 133)"* ]]
  [[ "$(jq -r .evidence <<<"$finding")" == *"runtime.tlsg at 0x"*"the runtime looks at %fs-0x8" ]]
  [[ "$(jq -r .fix <<<"$finding")" == "CGO_ENABLED=0 GOOS=linux GOARCH=amd64 go build -trimpath -tags netgo,osusergo -o startprobe . "*'import _ "runtime/cgo"'* ]]
  stripped=$(jq -r --arg id "$ID" '.files[1].targets[0].findings[] | select(.id == $id) | .evidence' <<<"$output")
  [[ "$stripped" == *"PT_TLS of 0x"*"bytes"* ]]
  [[ "$stripped" != *runtime.tlsg* ]]
}

@test "go shows the trap in text and JSON; the twin with runtime/cgo shows none" {
  run -0 "$CANRUN" go --json "$P-ext-static" "$P-ext-static-cgo" "$P-ext-dynamic"
  jq -e '.files[0].go | .runtime_cgo == false and .start_trap.signal == "SIGTRAP"
    and .start_trap.exit_status == 133 and (.rebuild | startswith("CGO_ENABLED=0 "))' <<<"$output"
  jq -e '.files[1].go | .runtime_cgo == true and .start_trap == null' <<<"$output"
  jq -e '.files[2].go | .runtime_cgo == false and .start_trap == null' <<<"$output"
  run -0 "$CANRUN" go --color never "$P-ext-static-stripped"
  [[ "$output" == *"  start       killed by SIGTRAP at start (exit status 133): no runtime/cgo in the function table; PT_TLS of "* ]]
  [[ "$output" == *"without runtime/cgo, it is killed by SIGTRAP at start"* ]]
}

@test "the rebuild check suggests builds a program that starts" {
  run -0 "$CANRUN" go --json "$P-ext-static"
  rebuild=$(jq -r '.files[0].go.rebuild' <<<"$output")
  work=$BATS_TEST_TMPDIR/src
  mkdir -p "$work" && cp "$SRC"/*.go "$work/"
  (cd "$work" && env GO111MODULE=off GOPATH=/usr/share/gocode GOPROXY=off GOFLAGS= \
    GOCACHE="$(cd "$FIXTURES" && pwd)/go-cache" sh -c "$rebuild")
  run_real "$work/startprobe"
  [ "$real" -eq 0 ]
  [[ "$started" == "startprobe: started "* ]]
  host_cell "$work/startprobe"
  [ "$(jq -r .exit_status <<<"$cell")" -eq 0 ]
  jq -e --arg id "$ID" '[.findings[] | select(.id == $id)] | length == 0' <<<"$cell"
}
