#!/usr/bin/env bats
# `canrun host`: this machine's provides against the tools a person would
# run by hand (uname, getconf, ld.so --help, ldd, openssl, ldconfig, nproc,
# /proc/self/status), and --root on the test roots.

bats_require_minimum_version 1.5.0

setup() {
  : "${CANRUN:?set CANRUN to the canrun binary}"
}

host_json() { "$CANRUN" host --json "$@"; }
roots() { echo "${CANRUN_ROOTS_DIR:-}"; }
need_root() {
  local r; r="$(roots)/$1"
  [ -n "$(roots)" ] && [ -d "$r" ] || skip "no test root $1"
  echo "$r"
}

@test "--help exits 0; bad options, colours and arguments exit 64" {
  run -0 "$CANRUN" host --help
  [[ "$output" == usage:* ]]
  run -64 "$CANRUN" host --no-such-option
  run -64 "$CANRUN" host --color sometimes
  run -64 --separate-stderr "$CANRUN" host extra-file
  [ -z "$output" ]
}

@test "an unreadable root exits 2 with one line and no report" {
  run -2 --separate-stderr "$CANRUN" host --root /no/such/root --json
  [ -z "$output" ]
  [[ "$stderr" == *"/no/such/root"* ]]
}

@test "JSON is one document with the documented types" {
  run -0 host_json
  jq -e '(.machine.kernel.release | type == "string")
     and (.machine.cpu.page_size | type == "number")
     and (.machine.cgroup.layout | IN("v1","v2","hybrid","none","unknown"))
     and (.machine.go_maxprocs."go1.24" >= 1) and (.machine.go_maxprocs."go1.25" >= 1)
     and (.root.this_machine == true) and (.root.dir == "/")
     and (.root.loaders | type == "array")
     and (.root.files.ca.go_files | length == 6)
     and (.root.files.nsswitch.databases | has("hosts"))' <<<"$output"
}

@test "whether the kernel runs 32-bit x86 programs is what running one says" {
  [ "$(uname -m)" = x86_64 ] || skip "a question for x86_64 kernels"
  : "${FIXTURES:?set FIXTURES}"
  local want=true
  "$FIXTURES/c/tiny-i386" || { [ $? -eq 126 ]; want=false; }
  run -0 host_json
  [ "$(jq -r .machine.arch.runs_i386 <<<"$output")" = "$want" ]
}

@test "kernel release, its version and page size match uname and getconf" {
  run -0 host_json
  [ "$(jq -r .machine.kernel.release <<<"$output")" = "$(uname -r)" ]
  [[ "$(uname -r)" == "$(jq -r .machine.kernel.version <<<"$output")"* ]]
  [ "$(jq -r .machine.cpu.page_size <<<"$output")" = "$(getconf PAGESIZE)" ]
  [ "$(jq -r .machine.arch.kernel <<<"$output")" = "$(uname -m)" ]
}

@test "the CPU level is the highest glibc's loader says it supports" {
  [ "$(uname -m)" = x86_64 ] || skip "not x86-64"
  want=$(/lib64/ld-linux-x86-64.so.2 --help | sed -n 's/^ *\(x86-64-v[2-4]\) (supported, searched)$/\1/p' | head -1)
  [ -n "$want" ] || want=x86-64-v1
  run -0 host_json
  [ "$(jq -r .machine.cpu.x86_level <<<"$output")" = "$want" ]
  [ "$(jq -r .machine.cpu.source <<<"$output")" = cpuid ]
  # and the hwcaps subdirectories are the ones the loader lists as searched
  searched=$(/lib64/ld-linux-x86-64.so.2 --help | sed -n 's/^ *\(x86-64-v[2-4]\) (supported, searched)$/\1/p' | paste -sd,)
  [ "$(jq -r '.root.library_search.glibc_hwcaps | join(",")' <<<"$output")" = "$searched" ]
}

@test "glibc version is ldd's, the cache's entry count is ldconfig's" {
  command -v ldd >/dev/null || skip "no ldd"
  run -0 host_json
  [ "$(jq -r .root.libc.kind <<<"$output")" = glibc ]
  [ "$(jq -r .root.libc.version <<<"$output")" = "$(ldd --version | head -1 | awk '{print $NF}')" ]
  n=$(ldconfig -p | head -1 | awk '{print $1}')
  [ "$(jq -r .root.library_search.ld_so_cache.entries <<<"$output")" = "$n" ]
  [ "$(jq -r .root.library_search.ld_so_cache.format <<<"$output")" = new ]
}

@test "every loader reported exists, and the usual ones are reported" {
  run -0 host_json
  for p in $(jq -r '.root.loaders[].path' <<<"$output"); do test -e "$p"; done
  for p in /lib64/ld-linux-x86-64.so.2 /lib/ld-linux.so.2 /lib/ld-musl-x86_64.so.1 /lib/ld-linux-aarch64.so.1; do
    if test -e "$p"; then
      jq -e --arg p "$p" 'any(.root.loaders[]; .path == $p)' <<<"$output"
    else
      jq -e --arg p "$p" 'all(.root.loaders[]; .path != $p)' <<<"$output"
    fi
  done
}

@test "the OpenSSL version read from libcrypto is the one openssl prints" {
  command -v openssl >/dev/null || skip "no openssl"
  run -0 host_json
  [ "$(jq -r .root.openssl.version <<<"$output")" = "$(openssl version | awk '{print $2}')" ]
  [ "$(jq -r .root.openssl.found_via <<<"$output")" = cache ]
  test -e "$(jq -r .root.openssl.libcrypto <<<"$output")"
  jq -e '.root.openssl.tls13 == true' <<<"$output"
}

@test "affinity CPUs are nproc's, and Go <= 1.24 picks that many" {
  run -0 host_json
  [ "$(jq -r .machine.cpus.affinity <<<"$output")" = "$(nproc)" ]
  [ "$(jq -r '.machine.go_maxprocs."go1.24"' <<<"$output")" = "$(nproc)" ]
  if [ "$(jq -r .machine.go_maxprocs.cpu_limited <<<"$output")" = false ]; then
    [ "$(jq -r '.machine.go_maxprocs."go1.25"' <<<"$output")" = "$(nproc)" ]
  fi
}

@test "a CPU mask of one CPU is seen: GOMAXPROCS 1 for every Go" {
  command -v taskset >/dev/null || skip "no taskset"
  run -0 taskset -c 0 "$CANRUN" host --json
  [ "$(jq -r .machine.cpus.affinity <<<"$output")" = 1 ]
  [ "$(jq -r '.machine.go_maxprocs."go1.25"' <<<"$output")" = 1 ]
}

@test "seccomp and NoNewPrivs are this process's" {
  run -0 host_json
  want=$(awk '$1 == "Seccomp:" {print $2}' /proc/self/status)
  [ "$(jq -r .machine.process.seccomp <<<"$output")" = "$want" ]
  run -0 setpriv --no-new-privs "$CANRUN" host --json
  [ "$(jq -r .machine.process.no_new_privs <<<"$output")" = 1 ]
}

@test "the run-time files' presence is what test -e says" {
  run -0 host_json
  for f in hosts passwd group; do
    if test -f /etc/$f; then want=true; else want=false; fi
    [ "$(jq -r .root.files.$f <<<"$output")" = "$want" ]
  done
  if test -f /etc/resolv.conf; then want=true; else want=false; fi
  [ "$(jq -r .root.files.resolv_conf <<<"$output")" = "$want" ]
  bundle=$(jq -r .root.files.ca.bundle <<<"$output")
  if test -e /etc/ssl/certs/ca-certificates.crt; then [ "$bundle" = /etc/ssl/certs/ca-certificates.crt ]; fi
  if test -L /etc/localtime; then
    [ "$(jq -r .root.files.localtime.link <<<"$output")" = "$(readlink /etc/localtime)" ]
  fi
}

@test "NSS modules named by nsswitch.conf: found ones exist, missing ones do not" {
  run -0 host_json
  while IFS=$'\t' read -r src avail where; do
    if [ "$avail" = true ]; then
      [[ "$where" == inside* ]] || test -e "$where"
    else
      ! ls /lib/x86_64-linux-gnu/libnss_"$src".so.2 /usr/lib/x86_64-linux-gnu/libnss_"$src".so.2 2>/dev/null
    fi
  done < <(jq -r '.root.files.nsswitch.modules[] | [.source, .available, .where // ""] | @tsv' <<<"$output")
}

@test "cgroup layout agrees with the file system type of /sys/fs/cgroup" {
  run -0 host_json
  layout=$(jq -r .machine.cgroup.layout <<<"$output")
  case "$(stat -f -c %T /sys/fs/cgroup 2>/dev/null)" in
    cgroup2fs) [ "$layout" = v2 ] ;;
    tmpfs) [ "$layout" = v1 ] || [ "$layout" = hybrid ] ;;
    *) skip "no cgroup file system" ;;
  esac
}

@test "text output has every section, no colour off a terminal, and exits 0" {
  run -0 "$CANRUN" host
  for s in "kernel and CPU" "libc and loaders" "library search" "OpenSSL" "run-time files" "container and limits"; do
    grep -qx "$s" <<<"$output"
  done
  [[ "$output" != *$'\e['* ]]
  run -0 env NO_COLOR=1 "$CANRUN" host --color auto
  [[ "$output" != *$'\e['* ]]
  run -0 "$CANRUN" host --color always
  [[ "$output" == *$'\e['* ]]
}

@test "--root bookworm: glibc 2.36, its loader, its own cache; machine facts marked" {
  r=$(need_root bookworm)
  run -0 host_json --root "$r"
  jq -e '.root.this_machine == false and .root.libc.kind == "glibc" and .root.libc.version == "2.36"' <<<"$output"
  jq -e '[.root.loaders[].path] == ["/lib64/ld-linux-x86-64.so.2"]' <<<"$output"
  n=$(ldconfig -p -C "$r/etc/ld.so.cache" | head -1 | awk '{print $1}')
  [ "$(jq -r .root.library_search.ld_so_cache.entries <<<"$output")" = "$n" ]
  # minbase has no ca-certificates
  if ! test -e "$r/etc/ssl/certs/ca-certificates.crt"; then jq -e '.root.files.ca.bundle == null' <<<"$output"; fi
  run -0 "$CANRUN" host --root "$r"
  [[ "$output" == *"(this machine, not the root)"* ]]
}

@test "--root bullseye: glibc 2.31 and OpenSSL 1.1.1 read from its libcrypto" {
  r=$(need_root bullseye)
  run -0 host_json --root "$r"
  jq -e '.root.libc.version == "2.31"' <<<"$output"
  lib=$(jq -r .root.openssl.libcrypto <<<"$output")
  if [ "$lib" != null ]; then
    v=$(grep -a -o 'OpenSSL 1\.1\.1[a-z]* ' "$r$lib" | head -1 | awk '{print $2}')
    [ "$(jq -r .root.openssl.version <<<"$output")" = "$v" ]
  fi
}

@test "--root musl: musl and its version, no NSS modules" {
  r=$(need_root musl)
  run -0 host_json --root "$r"
  jq -e '.root.libc.kind == "musl" and .root.libc.version != null' <<<"$output"
  jq -e 'any(.root.loaders[]; .family == "musl")' <<<"$output"
  jq -e '.root.files.nsswitch.modules == []' <<<"$output"
}

@test "--root empty: no libc, no loader, no files, still a whole report" {
  r=$(need_root empty)
  run -0 host_json --root "$r"
  jq -e '.root.libc.kind == "none" and .root.loaders == [] and .root.files.ca.bundle == null
         and .root.files.passwd == false and .root.library_search.ld_so_cache.present == false' <<<"$output"
  run -0 "$CANRUN" host --root "$r"
}
