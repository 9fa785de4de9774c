#!/usr/bin/env bats
# `canrun check` on real fixtures: verdicts, findings, exit statuses and JSON,
# against built-in profiles, this host and (when they exist) the test roots.

bats_require_minimum_version 1.5.0

setup() {
  : "${CANRUN:?set CANRUN}" "${FIXTURES:?set FIXTURES}"
  C=$FIXTURES/c
  G=$FIXTURES/go
}

verdict() { jq -r ".files[0].targets[] | select(.target == \"$1\") | .verdict" <<<"$output"; }
ids() { jq -r ".files[0].targets[] | select(.target == \"$1\") | .findings[] | select(.severity != \"ok\") | .id" <<<"$output" | sort -u | tr '\n' ' '; }

@test "a glibc 2.34 program fails on Debian 11 and runs on Debian 12, exit 1" {
  run "$CANRUN" check --json --target debian-11 --target debian-12 "$C/hello-pie"
  [ "$status" -eq 1 ]
  [ "$(verdict debian-11)" = fails ]
  [ "$(ids debian-11)" = "glibc-too-old " ]
  [ "$(verdict debian-12)" = runs ]
  jq -e '.files[0].targets[0].findings[] | select(.id == "glibc-too-old") | .evidence | test("__libc_start_main")' <<<"$output"
}

@test "everything runs: exit 0" {
  run "$CANRUN" check --target debian-12 --target ubuntu-24.04 "$C/hello-pie"
  [ "$status" -eq 0 ]
}

@test "musl and glibc programs need their own loader" {
  run "$CANRUN" check --json --target debian-12 --target alpine-3.20 "$C/hello-musl"
  [ "$(verdict debian-12)" = fails ]
  [ "$(ids debian-12)" = "interpreter-missing " ]
  [ "$(verdict alpine-3.20)" = runs ]
  run "$CANRUN" check --json --target alpine-3.20 "$C/hello-pie"
  [ "$(verdict alpine-3.20)" = fails ]
}

@test "static programs run on scratch; dynamic ones do not" {
  run "$CANRUN" check --json --target scratch "$C/hello-static" "$C/hello-pie"
  [ "$(jq -r '.files[0].targets[0].verdict' <<<"$output")" = runs ]
  [ "$(jq -r '.files[1].targets[0].verdict' <<<"$output")" = fails ]
}

@test "a pure-Go server warns on scratch (no CA bundle, zoneinfo, passwd), runs on distroless-static, exit 3" {
  run "$CANRUN" check --json --target scratch "$G/ginserver-nocgo"
  [ "$status" -eq 3 ]
  [ "$(verdict scratch)" = warns ]
  [[ "$(ids scratch)" == *ca-bundle-missing* ]]
  run "$CANRUN" check --json --target distroless-static "$G/ginserver-nocgo"
  [ "$(verdict distroless-static)" = runs ]
}

@test "a foreign machine fails on this host" {
  run "$CANRUN" check --json --target host "$C/hello-aarch64"
  [ "$(verdict host)" = fails ]
  [ "$(ids host)" = "machine-mismatch " ]
}

@test "on this host, the loader's resolution decides: a missing library fails with the loader's text" {
  run "$CANRUN" check --json --target host "$C/needs-missing-lib"
  [ "$(verdict host)" = fails ]
  [[ "$(jq -r '.files[0].targets[0].loader_error' <<<"$output")" == *"cannot open shared object file"* ]]
  [ "$(jq -r '.files[0].targets[0].exit_status' <<<"$output")" = 127 ]
}

@test "table output names every target and the reasons" {
  run "$CANRUN" check --target debian-11 --target debian-12 "$C/hello-pie"
  [[ "${lines[0]}" == *"debian-11"*"debian-12"* ]]
  [[ "$output" == *"fails"* ]]
  [[ "$output" == *"glibc-too-old"* ]]
}

@test "an unknown target is a usage error; an unreadable file exit 2" {
  run "$CANRUN" check --target no-such-distro "$C/hello-pie"
  [ "$status" -eq 64 ]
  [[ "$output" == *"no-such-distro"* ]]
  run --separate-stderr "$CANRUN" check --json --target debian-12 /nonexistent
  [ "$status" -eq 2 ]
  jq -e '.files[0].error' <<<"$output"
}

@test "roots: the same verdicts and loader messages as real runs (when the roots exist)" {
  [ -n "${CANRUN_ROOTS_DIR:-}" ] && [ -d "$CANRUN_ROOTS_DIR/bullseye/usr" ] || skip "no test roots"
  run "$CANRUN" check --json --target "$CANRUN_ROOTS_DIR/bullseye" --target "$CANRUN_ROOTS_DIR/bookworm" "$C/hello-pie"
  [ "$(jq -r '.files[0].targets[0].verdict' <<<"$output")" = fails ]
  [[ "$(jq -r '.files[0].targets[0].loader_error' <<<"$output")" == *"version \`GLIBC_2.34' not found (required by /app/hello-pie)"* ]]
  [ "$(jq -r '.files[0].targets[0].exit_status' <<<"$output")" = 1 ]
  [ "$(jq -r '.files[0].targets[1].verdict' <<<"$output")" = runs ]
}

@test "a library that asks for an executable stack: glibc 2.41 refuses to dlopen it, 2.36 allows" {
  tmp=$(mktemp -d)
  echo 'int lib_answer(void) { return 42; }' > "$tmp/x.c"
  gcc -shared -fPIC -Wl,-z,execstack -o "$tmp/libx.so" "$tmp/x.c"
  gcc -shared -fPIC -Wl,-z,noexecstack -o "$tmp/liby.so" "$tmp/x.c"
  run "$CANRUN" check --json --target debian-13 --target debian-12 "$tmp/libx.so" "$tmp/liby.so"
  [ "$(jq -r '.files[0].targets[0].verdict' <<<"$output")" = fails ]
  [ "$(jq -r '.files[0].targets[0].findings[] | select(.severity == "fail") | .id' <<<"$output")" = exec-stack ]
  [ "$(jq -r '.files[0].targets[1].verdict' <<<"$output")" = runs ]
  [ "$(jq -r '.files[1].targets[0].verdict' <<<"$output")" = runs ]
  rm -rf "$tmp"
}
