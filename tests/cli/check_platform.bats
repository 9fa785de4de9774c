#!/usr/bin/env bats
# `canrun check`: the machine a target runs on and the CPU level it has.
# Where this machine can show the truth, the test runs the program (here,
# or on an emulated CPU with qemu-user) and compares; where the truth
# depends on this CPU, it reads the CPU's level first.

bats_require_minimum_version 1.5.0

setup() {
  : "${CANRUN:?set CANRUN}" "${FIXTURES:?set FIXTURES}"
  C=$FIXTURES/c
  G=$FIXTURES/go
  R=${CANRUN_ROOTS_DIR:-}
}

cell() { jq -r ".files[${3:-0}].targets[] | select(.target == \"$1\") | $2" <<<"$output"; }
ids() { jq -r ".files[0].targets[] | select(.target == \"$1\") | .findings[] | select(.severity != \"ok\") | .id" <<<"$output" | sort -u | tr '\n' ' '; }
message() { jq -r ".files[0].targets[] | select(.target == \"$1\") | .findings[] | select(.id == \"$2\" and .severity != \"ok\") | .message" <<<"$output"; }

# The x86-64 level glibc's loader sees on this CPU.
host_level() {
  local l
  for l in 4 3 2; do
    /lib64/ld-linux-x86-64.so.2 --help | grep -q "x86-64-v$l (supported, searched)" && { echo "$l"; return; }
  done
  echo 1
}

# A registered binfmt_misc handler would run foreign programs here.
binfmt_for() { grep -qs "^magic $1" /proc/sys/fs/binfmt_misc/* 2>/dev/null; }

@test "a profile is a release on one machine: an arm64 program fails on debian-12 here, as execve does" {
  [ "$(uname -m)" = x86_64 ] || skip "the profiles default to this machine; the expectations are for x86_64"
  run "$CANRUN" check --json --target debian-12 --target rhel-9 "$G/ginserver-arm64"
  [ "$status" -eq 1 ]
  [ "$(cell debian-12 .machine)" = x86_64 ]
  [ "$(cell debian-12 .verdict)" = fails ]
  [ "$(ids debian-12)" = "machine-mismatch " ]
  [ "$(cell debian-12 .exit_status)" = 126 ]
  [[ "$(message debian-12 machine-mismatch)" == *'"Exec format error"'* ]]
  [ "$(cell rhel-9 .verdict)" = fails ]
}

@test "this host: a foreign program fails as execve does, unless binfmt_misc hands it to an emulator" {
  [ "$(uname -m)" = x86_64 ] || skip "expectations are for an x86_64 host"
  run "$CANRUN" check --json --target host "$G/ginserver-arm64"
  local verdict
  verdict=$(cell host .verdict)
  run "$G/ginserver-arm64" --help
  if binfmt_for 7f454c460201010000000000000000000200b7; then
    [ "$verdict" = warns ]
    [ "$status" -ne 126 ]
  else
    [ "$verdict" = fails ]
    [ "$status" -eq 126 ]
  fi
}

@test "NAME/ARCH and --platform name another machine; the name says it" {
  run "$CANRUN" check --json --target debian-12/arm64 "$G/ginserver-arm64" "$G/ginserver-nocgo"
  [ "$status" -eq 1 ]
  [ "$(cell debian-12/arm64 .machine)" = aarch64 ]
  [ "$(cell debian-12/arm64 .verdict)" = runs ]
  [ "$(cell debian-12/arm64 .verdict 1)" = fails ]
  run "$CANRUN" check --json --platform linux/arm64 --target debian-12 --target alpine-3.22 "$G/ginserver-arm64"
  [ "$(jq -r '[.files[0].targets[].target] | join(" ")' <<<"$output")" = "debian-12/arm64 alpine-3.22/arm64" ]
  [ "$(cell debian-12/arm64 .verdict)" = runs ]
  run "$CANRUN" check --json --target debian-12/aarch64 "$G/ginserver-arm64"
  [ "$(cell debian-12/aarch64 .verdict)" = runs ]
}

@test "a machine a release is not made for, or no machine at all, is a usage error" {
  run --separate-stderr "$CANRUN" check --target rhel-9/386 "$C/hello-pie"
  [ "$status" -eq 64 ]
  [ "$stderr" = "canrun: rhel-9/386: rhel-9 is not made for 386 (only x86_64 aarch64 ppc64le s390x)" ]
  run --separate-stderr "$CANRUN" check --target debian-12/vax "$C/hello-pie"
  [ "$status" -eq 64 ]
  [[ "$stderr" == *'unknown architecture "vax"'* ]]
  run --separate-stderr "$CANRUN" check --platform windows/amd64 "$C/hello-pie"
  [ "$status" -eq 64 ]
  [[ "$stderr" == "canrun: --platform takes linux/ARCH"* ]]
}

@test "without --target, a foreign program also gets the matrix on its own machine" {
  [ "$(uname -m)" = x86_64 ] || skip "expectations are for an x86_64 host"
  run "$CANRUN" check --json "$G/ginserver-arm64" "$G/ginserver-nocgo"
  [ "$(cell debian-12 .verdict)" = fails ]
  [ "$(cell debian-12/arm64 .verdict)" = runs ]
  [ "$(cell debian-12/arm64 .verdict 1)" = fails ]
  [ "$(cell debian-12 .verdict 1)" = runs ]
  # Only releases made for arm64 (all of the matrix is).
  [ "$(jq '[.files[0].targets[] | select(.machine == "aarch64")] | length' <<<"$output")" -eq \
    "$(jq '[.files[0].targets[] | select(.machine == "x86_64")] | length' <<<"$output")" ]
  # The table shows each column's machine under its name.
  run "$CANRUN" check --target debian-12 --target debian-12/arm64 "$G/ginserver-arm64"
  [[ "${lines[0]}" == FILE*debian-12*debian-12/arm64* ]]
  [[ "${lines[1]}" =~ ^\ +amd64\ +arm64\ *$ ]]
  # A program for this machine gets no extra columns.
  run "$CANRUN" check --json "$G/ginserver-nocgo"
  [ "$(jq '[.files[0].targets[] | select(.machine != "x86_64")] | length' <<<"$output")" -eq 0 ]
}

@test "32-bit x86 on x86_64: a static program runs; a dynamic one needs the i386 loader, which no base has" {
  [ "$(uname -m)" = x86_64 ] || skip "expectations are for an x86_64 host"
  run "$CANRUN" check --json --target debian-12 --target host "$C/tiny-i386" "$C/tiny-i386-dyn"
  [ "$(cell debian-12 .verdict)" = runs ]
  [ "$(cell debian-12 .verdict 1)" = fails ]
  [ "$(jq -r '.files[1].targets[0].findings[] | select(.severity == "fail") | .id' <<<"$output")" = interpreter-missing ]
  # This host: the truth is whether its kernel runs 32-bit programs at all
  # (IA32 emulation may be off or not built in), and then whether its i386
  # loader is there.
  local kernel=fails want_dyn=fails
  if "$C/tiny-i386"; then
    kernel=runs
    [ -e /lib/ld-linux.so.2 ] && want_dyn=runs
  else
    [ $? -eq 126 ]
  fi
  run "$CANRUN" check --json --target host "$C/tiny-i386" "$C/tiny-i386-dyn"
  [ "$(cell host .verdict)" = "$kernel" ]
  [ "$(cell host .verdict 1)" = "$want_dyn" ]
  if [ "$kernel" = fails ]; then
    [ "$(jq -r '.files[0].targets[0].exit_status' <<<"$output")" = 126 ]
  fi
}

@test "CPU level: a marked program fails below its level with the loader's text, at the profile's floor by default" {
  run "$CANRUN" check --json --target debian-12 --target rhel-9 "$C/hello-x86-64-v3"
  [ "$status" -eq 1 ]
  [ "$(cell debian-12 .cpu.level)" = x86-64-v1 ]
  [ "$(cell debian-12 .cpu.assumed)" = true ]
  [ "$(cell rhel-9 .cpu.level)" = x86-64-v2 ]
  [ "$(cell debian-12 .verdict)" = fails ]
  [ "$(cell debian-12 .exit_status)" = 127 ]
  [[ "$(message debian-12 cpu-level)" == *'"/app/hello-x86-64-v3: CPU ISA level is lower than required"'* ]]
  [[ "$(message debian-12 cpu-level)" == *"assumed"*"--cpu"* ]]
  run "$CANRUN" check --json --cpu x86-64-v3 --target debian-12 --target rhel-9 "$C/hello-x86-64-v3"
  [ "$status" -eq 0 ]
  [ "$(cell debian-12 .cpu.assumed)" = false ]
  # --cpu is never below the release's own floor.
  run "$CANRUN" check --json --cpu x86-64-v1 --target rhel-9 "$C/hello-pie"
  [ "$(cell rhel-9 .cpu.level)" = x86-64-v2 ]
  # glibc before 2.33 ignores the mark: a warning, not the loader's refusal.
  run "$CANRUN" check --json --target debian-11 "$C/hello-x86-64-v3"
  [ "$(jq -r '.files[0].targets[0].findings[] | select(.id == "cpu-level") | .severity' <<<"$output")" = warn ]
}

@test "CPU level on this host: the real CPU decides, as running it shows" {
  [ "$(uname -m)" = x86_64 ] || skip "x86-64 levels"
  run "$CANRUN" check --json --target host "$C/hello-x86-64-v3"
  local level want=runs real=0
  level=$(host_level)
  [ "$(cell host .cpu.level)" = "x86-64-v$level" ]
  [ "$level" -ge 3 ] || { want=fails; real=127; }
  [ "$(cell host .verdict)" = "$want" ]
  run "$C/hello-x86-64-v3"
  [ "$status" -eq "$real" ]
}

@test "GOAMD64: the Go runtime's own refusal, exactly as it prints it on an emulated older CPU" {
  command -v qemu-x86_64-static >/dev/null || skip "qemu-user-static is not installed"
  run --separate-stderr qemu-x86_64-static -cpu Nehalem "$G/ginserver-amd64v3" --help
  [ "$status" -eq 1 ]
  local real=$stderr
  run "$CANRUN" check --json --cpu x86-64-v2 --target debian-12 "$G/ginserver-amd64v3"
  [ "$(cell debian-12 .verdict)" = fails ]
  [ "$(cell debian-12 .exit_status)" = 1 ]
  [[ "$(message debian-12 cpu-level)" == *"\"$real\""* ]]
  run "$CANRUN" check --json --cpu x86-64-v3 --target debian-12 "$G/ginserver-amd64v3"
  [ "$(cell debian-12 .verdict)" = runs ]
  run qemu-x86_64-static -cpu Haswell,-pcid,-x2apic,-tsc-deadline,-hle,-invpcid,-rtm "$G/ginserver-amd64v3" --help
  [ "$status" -eq 0 ]
}

@test "a root's CPU defaults to its release's floor, and the loader's refusal covers libraries" {
  [ -n "$R" ] && [ -d "$R/bookworm/app/isa-lib-v3" ] || skip "no test roots with the loader ground truth's cases"
  run "$CANRUN" check --json --target "$R/bookworm" --at /app/isa-lib-v3/usex "$R/bookworm/app/isa-lib-v3/usex"
  [ "$(cell "$R/bookworm" .cpu.level)" = x86-64-v1 ]
  [ "$(cell "$R/bookworm" .loader_error)" = "/app/isa-lib-v3/lib/libx.so.1: CPU ISA level is lower than required" ]
  [ "$(cell "$R/bookworm" .exit_status)" = 127 ]
  run "$CANRUN" check --json --cpu x86-64-v3 --target "$R/bookworm" --at /app/isa-lib-v3/usex "$R/bookworm/app/isa-lib-v3/usex"
  [ "$(cell "$R/bookworm" .verdict)" = runs ]
}
