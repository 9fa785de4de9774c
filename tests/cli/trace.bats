#!/usr/bin/env bats
# `canrun trace`: programs built here that fail to start in known ways, each
# explained; the exit status equals the untraced run's; and the failed calls
# recorded equal those `strace -f -Z` records for the same syscall set (the
# oracle), compared per process in order.
#
# CANRUN is the binary under test; FIXTURES holds go/. Needs gcc, libseccomp,
# strace, jq; no network.

bats_require_minimum_version 1.5.0

CANRUN=${CANRUN:-$BATS_TEST_DIRNAME/../../build/canrun}
FIXTURES=${FIXTURES:-$BATS_TEST_DIRNAME/../../build/fixtures}
SRC=$BATS_TEST_DIRNAME/../trace
SET=execve,execveat,open,openat,openat2,stat,lstat,newfstatat,statx,access,faccessat,faccessat2,readlink,readlinkat,connect,clone,clone3,fork,vfork,mmap

setup_file() {
  t=$(mktemp -d)
  export t
  cd "$t"
  echo 'int main(void){return 3;}' >ok.c
  gcc -o ok ok.c
  gcc -o badinterp ok.c -Wl,--dynamic-linker=/nonexistent/ld.so
  echo 'int foo(void){return 0;}' >foo.c
  gcc -shared -fPIC -o libfoo.so foo.c
  echo 'int foo(void); int main(void){return foo();}' >usefoo.c
  gcc -o usefoo usefoo.c -L. -lfoo -Wl,-rpath,"$t/gone"
  gcc -shared -fPIC -o libv.so foo.c
  echo 'int foo(void); int main(void){return foo();}' >m.c
  gcc -o m m.c -L. -lv -Wl,-rpath,"$t" -Wl,-z,now
  echo 'int other(void){return 0;}' >v2.c
  gcc -shared -fPIC -o libv.so v2.c # foo is gone: BIND_NOW fails at start
  printf 'V1 { global: foo; local: *; };' >v1.map
  printf 'V2 { global: foo; local: *; };' >v2.map
  gcc -shared -fPIC -o libw.so foo.c -Wl,--version-script=v2.map
  gcc -o mw m.c -L. -lw -Wl,-rpath,"$t"
  gcc -shared -fPIC -o libw.so foo.c -Wl,--version-script=v1.map # V2 is gone
  # PT_INTERP naming a text file: long enough for an ELF header (ELIBBAD),
  # and too short for one (EIO)
  printf '%080d\n' 0 >text-ld.so
  printf 'short\n' >short-ld.so
  chmod +x text-ld.so short-ld.so
  gcc -o textinterp ok.c -Wl,--dynamic-linker="$t/text-ld.so"
  gcc -o shortinterp ok.c -Wl,--dynamic-linker="$t/short-ld.so"
  printf 'just words\n' >notprog
  chmod +x notprog
  if command -v aarch64-linux-gnu-gcc >/dev/null; then aarch64-linux-gnu-gcc -o arm64 ok.c; fi
  gcc -o deny "$SRC/deny.c" -lseccomp
  gcc -o thread "$SRC/thread.c" -pthread
  mkdir empty
}

teardown_file() {
  rm -rf "$t"
}

setup() {
  [ -x "$CANRUN" ] || { echo "CANRUN=$CANRUN is not an executable"; return 1; }
  cd "$t"
}

# same_as_strace PROGRAM [ARGS]: trace --raw and strace record the same
# failed calls, and trace exits as the untraced program does.
same_as_strace() {
  local want=0 got=0
  "$@" >/dev/null 2>&1 || want=$?
  "$CANRUN" trace --raw=ours.txt -- "$@" >/dev/null 2>&1 || got=$?
  [ "$got" -eq "$want" ] || { echo "exit $got, untraced $want"; return 1; }
  strace -f -Z -qq -e trace=$SET -o theirs.txt "$@" >/dev/null 2>&1 || true
  python3 "$SRC/compare_strace.py" ours.txt theirs.txt
}

@test "a program that starts: its own exit status, no finding" {
  run -3 "$CANRUN" trace -- ./ok
  [[ $output == *"exited with 3"* ]]
  ! grep -Eq '^(fail|warn) ' <<<"$output"
}

@test "missing interpreter: named from PT_INTERP" {
  run -127 "$CANRUN" trace -- ./badinterp
  [[ $output == *"needs the loader /nonexistent/ld.so"*"[interpreter-missing]"* ]]
  [[ $output == *"canrun deps: its interpreter /nonexistent/ld.so does not exist"* ]]
  same_as_strace ./badinterp
}

binfmt_for() { grep -qs "^magic $1" /proc/sys/fs/binfmt_misc/* 2>/dev/null; }

@test "wrong machine: both machines named, as check names them" {
  [ -x arm64 ] || skip "no aarch64-linux-gnu-gcc"
  [ "$(uname -m)" = x86_64 ] || skip "expectations are for an x86_64 host"
  ! binfmt_for 7f454c460201010000000000000000000200b7 || skip "binfmt_misc runs aarch64 here"
  run -126 "$CANRUN" trace -- ./arm64
  [[ $output == *"./arm64 is built for aarch64, not x86_64"*"[machine-mismatch]"* ]]
  [[ $output == *'execve("./arm64") = ENOEXEC'* ]]
  [[ $output == *"canrun deps: the kernel refuses it: Exec format error"* ]]
  same_as_strace ./arm64
}

@test "a file that is not a program" {
  run -126 "$CANRUN" trace -- ./notprog
  [[ $output == *"./notprog is not a program"*"[not-a-program]"* ]]
  # bash would run it as a script: strace's exit status is not compared
  "$CANRUN" trace --raw=ours.txt -- ./notprog >/dev/null 2>&1 || true
  strace -f -Z -qq -e trace=$SET -o theirs.txt ./notprog >/dev/null 2>&1 || true
  python3 "$SRC/compare_strace.py" ours.txt theirs.txt
}

@test "bad interpreter (a text file): ELIBBAD, named" {
  run -126 "$CANRUN" trace -- ./textinterp
  [[ $output == *"the loader $t/text-ld.so of ./textinterp is not a loader for this machine [interpreter-bad]"* ]]
  [[ $output == *"(ELIBBAD)"* ]]
  same_as_strace ./textinterp
}

@test "truncated interpreter: EIO, named" {
  run -126 "$CANRUN" trace -- ./shortinterp
  [[ $output == *"the loader $t/short-ld.so of ./shortinterp is truncated"*"[interpreter-truncated]"* ]]
  [[ $output == *"canrun deps: its interpreter $t/short-ld.so is truncated (EIO)"* ]]
  same_as_strace ./shortinterp
}

@test "--raw: on stderr after the program's, stdout left to the program" {
  run -127 --separate-stderr "$CANRUN" trace --raw -- ./badinterp
  [ -z "$output" ]
  [[ $stderr == *'execve("./badinterp") = -1 ENOENT'* ]]
  run -0 --separate-stderr "$CANRUN" trace --raw -- /bin/sh -c 'echo out; echo err >&2; cat /nonexistent-x 2>/dev/null; exit 0'
  [ "$output" = out ]
  [[ $stderr == err*'"/nonexistent-x"'* ]]
}

@test "Go in a minbase root: no CA bundle, explained as strace sees it" {
  R=${CANRUN_ROOTS_DIR:-}
  [ -n "$R" ] && [ -d "$R/bookworm/etc" ] || skip "no bookworm root (tests/roots/make-roots.sh)"
  [ "$(id -u)" -eq 0 ] || skip "needs root (chroot)"
  # the program bind-mounted in a private namespace: nothing is written to the shared root
  ns() { unshare --mount --propagation private sh -c 'mount --bind "$1" "$2/mnt" && shift 2 && exec "$@"' _ "$FIXTURES/go" "$R/bookworm" "$@"; }
  run -1 --separate-stderr ns "$CANRUN" trace --timeout 60 --root "$R/bookworm" -- /mnt/ginserver-nocgo --selftest
  [[ $output == *"[ca-certificates-missing]"* ]]
  [[ $output == *"tried /etc/ssl/certs/ca-certificates.crt: ENOENT"* ]]
  [[ $output != *"[zoneinfo-missing]"* ]] # minbase ships tzdata
  ns "$CANRUN" trace --timeout 60 --raw=ours.txt --root "$R/bookworm" -- /mnt/ginserver-nocgo --selftest >/dev/null 2>&1 || true
  ns strace -f -Z -qq -e trace=$SET -o theirs.txt chroot "$R/bookworm" /mnt/ginserver-nocgo --selftest >/dev/null 2>&1 || true
  # Under strace, chroot(1) runs first (its own loader's probes), without
  # /proc and from another cwd: the calls under /etc/ are compared, as one
  # sorted list, since which Go thread makes a lookup varies between runs.
  grep '"/etc/' ours.txt | sed 's/^[0-9]* /1 /' | sort >ours-etc.txt
  grep '"/etc/' theirs.txt | grep -v ld.so.preload | sed 's/^[0-9]* /1 /' | sort >theirs-etc.txt
  grep -q ca-certificates.crt theirs-etc.txt
  python3 "$SRC/compare_strace.py" ours-etc.txt theirs-etc.txt
}

@test "missing library: which, and where the loader looked" {
  rm -f libfoo.so
  run -127 "$CANRUN" trace -- ./usefoo
  [[ $output == *"cannot find libfoo.so [library-missing]"* ]]
  [[ $output == *"looked in $t/gone"* ]]
  [[ $output == *"looked in /usr/lib/x86_64-linux-gnu"* ]]
  same_as_strace ./usefoo
}

@test "BIND_NOW missing symbol" {
  run -127 "$CANRUN" trace -- ./m
  [[ $output == *"cannot find the symbol foo [symbol-missing]"* ]]
  same_as_strace ./m
}

@test "missing symbol version: the loader's line as evidence" {
  run -1 "$CANRUN" trace -- ./mw
  [[ $output == *"lacks the symbol version V2 [version-missing]"* ]]
  [[ $output == *"        ./mw: $t/libw.so: version \`V2' not found (required by ./mw)"* ]]
  same_as_strace ./mw
}

@test "SIGINT kills the whole traced tree" {
  "$CANRUN" trace -- /bin/sh -c "sleep 31 & sleep 31" >out.txt 2>&1 &
  pid=$!
  sleep 1
  kill -INT $pid
  rc=0
  wait $pid || rc=$?
  [ "$rc" -eq 137 ]
  grep -q "interrupted after" out.txt
  sleep 0.3
  ! pgrep -f "sleep 31"
}

@test "Go: CA certificates looked for where SSL_CERT_FILE/DIR point" {
  export SSL_CERT_FILE=$t/empty/none.pem SSL_CERT_DIR=$t/empty/nodir
  run -1 "$CANRUN" trace --timeout 60 -- "$FIXTURES/go/ginserver-nocgo" --selftest
  echo "$output" "$stderr"
  [[ $output == *"[ca-certificates-missing]"* ]]
  [[ $output == *"tried $t/empty/none.pem: ENOENT"* ]]
  [[ $output == *"tried $t/empty/nodir: ENOENT"* ]]
  same_as_strace "$FIXTURES/go/ginserver-nocgo" --selftest
}

@test "old seccomp profile: clone3 EPERM fails, ENOSYS only warns" {
  run -1 "$CANRUN" trace -- ./deny EPERM clone3 ./thread
  [[ $output == *"fail    a seccomp filter (an old container profile) refuses clone3 with EPERM"* ]]
  same_as_strace ./deny EPERM clone3 ./thread
  run -0 "$CANRUN" trace -- ./deny ENOSYS clone3 ./thread
  [[ $output == *"warn    a seccomp filter"*"clone3 with ENOSYS"* ]]
}

@test "--json: findings and failed calls" {
  run -127 --separate-stderr "$CANRUN" trace --json -- ./badinterp
  [ "$(jq -r '.findings[0].id' <<<"$output")" = interpreter-missing ]
  [ "$(jq -r '.exit_code' <<<"$output")" = 127 ]
  [ "$(jq -r '.failed_calls[0].errno' <<<"$output")" = ENOENT ]
}

@test "a fatal signal: 128+N, as a shell reports" {
  run -137 "$CANRUN" trace -- /bin/sh -c 'kill -9 $$'
  [[ $output == *"killed by KILL"* ]]
}

@test "--timeout kills the whole tree" {
  start=$SECONDS
  run -137 "$CANRUN" trace --timeout 1 -- /bin/sh -c 'sleep 30 & sleep 30; wait'
  [[ $output == *"killed after the timeout"* ]]
  [ $((SECONDS - start)) -lt 10 ]
}

@test "--root: chrooted as a runtime would, the loader judged inside the root" {
  mkdir -p root/proc
  cp ok root/
  run -127 "$CANRUN" trace --root root -- /ok
  [[ $output == *"/ok needs the loader /lib64/ld-linux-x86-64.so.2, which is not here [interpreter-missing]"* ]]
  [[ $output == *"canrun deps: its interpreter /lib64/ld-linux-x86-64.so.2 does not exist there"* ]]
  # the proc mount stayed in the tracee's namespace
  ! grep -q " $t/root/proc " /proc/mounts
}

@test "--root: the devices a runtime gives every container, and none of the host's others" {
  R=${CANRUN_ROOTS_DIR:-}
  [ -n "$R" ] && [ -x "$R/bookworm/bin/sh" ] || skip "no bookworm test root"
  run -0 "$CANRUN" trace --root "$R/bookworm" -- /bin/sh -c \
    'test "$(stat -f -c %T /dev)" = tmpfs && test -c /dev/null && test -c /dev/urandom && test -L /dev/fd &&
     echo hi >/dev/null && ! test -e /dev/console && ! test -e /dev/sda'
  # the tmpfs and the bound devices stayed in the tracee's namespace
  ! grep -q " $R/bookworm/dev " /proc/mounts
}

@test "--root refused, clearly, when not root" {
  mkdir -p root
  run -64 setpriv --reuid=65534 --regid=65534 --clear-groups "$CANRUN" trace --root root -- /ok
  [[ $output == *"--root needs root"* ]]
}

@test "usage errors" {
  run -64 "$CANRUN" trace
  run -64 "$CANRUN" trace --bogus -- ./ok
  run -0 "$CANRUN" trace --help
  [[ $output == *"usage: canrun trace"* ]]
  run -127 "$CANRUN" trace -- no-such-program-here
}
