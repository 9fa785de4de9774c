#!/usr/bin/env bash
# shellcheck disable=SC2016 # '$ORIGIN' is for the dynamic loader, not the shell
# The loader ground truth: builds small fixtures, copies each into real root
# filesystems under /app/CASE/, starts it there with canrun-runin, and checks
# the real kernel's and loader's stderr and exit status against the texts
# they are known to print. Every observation is written as one JSON line to
# OUTFILE, for canrun's own tests to compare its predictions with:
#
#   {"case": "glibc-2.34", "root": "bullseye", "root_dir": "/…/bullseye",
#    "argv0": "/app/glibc-2.34/hello", "env": [], "stdout": "",
#    "stderr": "…", "status": 1, "execve_error": null}
#
# "env" lists the variables set besides PATH and LANG. "execve_error" is the
# kernel's errno name when execve itself failed (then "status" is 127 for
# ENOENT, 126 otherwise). The fixtures stay in the roots afterwards, so a
# test can point canrun at root_dir + argv0. tests/roots/README.md lists the
# cases.
#
# Usage: run-matrix.sh ROOTSDIR RUNIN OUTFILE
#   ROOTSDIR  made by make-roots.sh
#   RUNIN     the canrun-runin executable
# Needs root (chroot); exits 77 (skip) otherwise.
set -euo pipefail

[ $# -eq 3 ] || { echo "usage: $0 ROOTSDIR RUNIN OUTFILE" >&2; exit 64; }
[ "$(id -u)" -eq 0 ] || { echo "run-matrix: needs root (chroot); skipped"; exit 77; }
here=$(cd "$(dirname "$0")" && pwd)
src=$here/src
roots=$(cd "$1" && pwd)
runin=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
out=$3
mkdir -p "$(dirname "$out")"

for r in bullseye bookworm trixie trixie-dev musl empty; do
  [ -f "$roots/$r.stamp" ] || { echo "run-matrix: root $r is missing; run make-roots.sh $roots" >&2; exit 1; }
done
# The roots are shared: one writer of /app at a time, and not while
# make-roots.sh rebuilds them.
exec 9>"$roots/.lock"
flock 9

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
b=$work/cases
lib=$work/lib
mkdir -p "$b" "$lib/32" "$lib/musl"

CFLAGS=(-O2 -Wall -Wextra)
started=$(date +%s)

# --- fixtures ---------------------------------------------------------------
# Each case is a folder under $b, laid out as it will be under /app/CASE/.
# Programs link against the libraries in $lib by path, so DT_NEEDED is the
# library's soname and the link leaves no search path behind.

shlib() { # OUT SONAME SRC [FLAGS...]
  local o=$1 so=$2 s=$3
  shift 3
  gcc "${CFLAGS[@]}" -shared -fPIC -Wl,-soname,"$so" -o "$o" "$src/$s" "$@"
}
shlib "$lib/libx.so.1" libx.so.1 libx.c
shlib "$lib/libb.so" libb.so libb.c
shlib "$lib/liba.so" liba.so liba.c "$lib/libb.so"
shlib "$lib/libf.so.1" libf.so.1 libf.c
shlib "$lib/libf-short.so.1" libf.so.1 libf.c -DDROP_GONE
# The same library as ELF32 i386, without needing gcc-multilib.
clang --target=i386-linux-gnu -fuse-ld=lld -nostdlib -shared -fPIC -O2 \
  -Wl,-soname,libx.so.1 -o "$lib/32/libx.so.1" "$src/libx.c"

prog() { # CASE NAME SRC [FLAGS...]
  local c=$1 n=$2 s=$3
  shift 3
  mkdir -p "$b/$c"
  gcc "${CFLAGS[@]}" -o "$b/$c/$n" "$src/$s" "$@"
}
rpath='-Wl,--disable-new-dtags,-rpath,$ORIGIN/lib'
runpath='-Wl,--enable-new-dtags,-rpath,$ORIGIN/lib'

# gcc 12 / glibc 2.36: any PIE needs __libc_start_main@GLIBC_2.34.
prog glibc-2.34 hello hello.c
prog no-such-file hello hello.c
rm "$b/no-such-file/hello"
prog static hello hello.c -static

# trixie's gcc and glibc 2.41, run inside trixie-dev.
dev=$roots/trixie-dev
rm -rf "$dev/build"
mkdir -p "$dev/build" "$b/glibc-2.38"
cp "$src/glibc238.c" "$dev/build/"
"$runin" "$dev" /usr/bin/gcc "${CFLAGS[@]}" -o /build/glibc238 /build/glibc238.c
cp "$dev/build/glibc238" "$b/glibc-2.38/glibc238"
rm -rf "$dev/build"
readelf -V "$b/glibc-2.38/glibc238" | grep -c 'Name: GLIBC_2.38' >/dev/null ||
  { echo "run-matrix: trixie's gcc did not produce a GLIBC_2.38 requirement" >&2; exit 1; }

prog rpath-origin usex usex.c "$lib/libx.so.1" "$rpath"
mkdir -p "$b/rpath-origin/lib" && cp "$lib/libx.so.1" "$b/rpath-origin/lib/"
prog runpath-origin usex usex.c "$lib/libx.so.1" "$runpath"
mkdir -p "$b/runpath-origin/lib" && cp "$lib/libx.so.1" "$b/runpath-origin/lib/"

# liba's own DT_NEEDED (libb) from the executable's search path.
prog runpath-not-inherited usea usea.c "$lib/liba.so" "$runpath" -Wl,-rpath-link,"$lib"
prog rpath-inherited usea usea.c "$lib/liba.so" "$rpath" -Wl,-rpath-link,"$lib"
for c in runpath-not-inherited rpath-inherited; do
  mkdir -p "$b/$c/lib" && cp "$lib/liba.so" "$lib/libb.so" "$b/$c/lib/"
done

prog missing-lib usex usex.c "$lib/libx.so.1" "$runpath"

# An ELF32 copy first in the search path is skipped; alone, it is reported.
prog wrong-class-skipped usex usex.c "$lib/libx.so.1" \
  -Wl,--enable-new-dtags,-rpath,'$ORIGIN/lib32:$ORIGIN/lib'
mkdir -p "$b/wrong-class-skipped/lib32" "$b/wrong-class-skipped/lib"
cp "$lib/32/libx.so.1" "$b/wrong-class-skipped/lib32/"
cp "$lib/libx.so.1" "$b/wrong-class-skipped/lib/"
prog wrong-class-only usex usex.c "$lib/libx.so.1" -Wl,--enable-new-dtags,-rpath,'$ORIGIN/lib32'
mkdir -p "$b/wrong-class-only/lib32" && cp "$lib/32/libx.so.1" "$b/wrong-class-only/lib32/"

# Only in a glibc-hwcaps subdirectory of the RUNPATH directory.
prog hwcaps-v2 usex usex.c "$lib/libx.so.1" "$runpath"
mkdir -p "$b/hwcaps-v2/lib/glibc-hwcaps/x86-64-v2"
cp "$lib/libx.so.1" "$b/hwcaps-v2/lib/glibc-hwcaps/x86-64-v2/"

# Linked against a libf with f_gone, shipped with a libf without it.
prog symbol-now usef usef.c "$lib/libf.so.1" "$runpath" -Wl,-z,now
prog symbol-lazy usef usef.c "$lib/libf.so.1" "$runpath" -Wl,-z,lazy
for c in symbol-now symbol-lazy; do
  mkdir -p "$b/$c/lib" && cp "$lib/libf-short.so.1" "$b/$c/lib/libf.so.1"
done

# A variable is bound at startup even when functions are bound lazily.
prog missing-variable usevar usevar.c "$lib/libf.so.1" "$runpath" -Wl,-z,lazy
mkdir -p "$b/missing-variable/lib" && cp "$lib/libf-short.so.1" "$b/missing-variable/lib/libf.so.1"

# Found through LD_LIBRARY_PATH only (set with -e).
prog ld-library-path usex usex.c "$lib/libx.so.1"
mkdir -p "$b/ld-library-path/lib" && cp "$lib/libx.so.1" "$b/ld-library-path/lib/"

# Candidates ld.so rejects: another e_machine is skipped like a missing file;
# a file that is not ELF at all stops the search at once.
aarch64-linux-gnu-gcc "${CFLAGS[@]}" -shared -fPIC -Wl,-soname,libx.so.1 -o "$lib/arm-libx.so.1" "$src/libx.c"
prog wrong-machine-skipped usex usex.c "$lib/libx.so.1" \
  -Wl,--enable-new-dtags,-rpath,'$ORIGIN/arm:$ORIGIN/lib'
mkdir -p "$b/wrong-machine-skipped/arm" "$b/wrong-machine-skipped/lib"
cp "$lib/arm-libx.so.1" "$b/wrong-machine-skipped/arm/libx.so.1"
cp "$lib/libx.so.1" "$b/wrong-machine-skipped/lib/"
prog wrong-machine-only usex usex.c "$lib/libx.so.1" -Wl,--enable-new-dtags,-rpath,'$ORIGIN/arm'
mkdir -p "$b/wrong-machine-only/arm" && cp "$lib/arm-libx.so.1" "$b/wrong-machine-only/arm/libx.so.1"
for c in bad-lib-first short-lib-first; do
  prog "$c" usex usex.c "$lib/libx.so.1" -Wl,--enable-new-dtags,-rpath,'$ORIGIN/bad:$ORIGIN/lib'
  mkdir -p "$b/$c/bad" "$b/$c/lib" && cp "$lib/libx.so.1" "$b/$c/lib/"
done
printf 'this text file is long enough to hold an ELF header, but is not one\n' >"$b/bad-lib-first/bad/libx.so.1"
printf 'short\n' >"$b/short-lib-first/bad/libx.so.1"

# Symbol versions of a library other than libc: linked against v@@V2,
# shipped with only V1, or with no version definitions at all.
shlib "$lib/libv-2.so.1" libv.so.1 libv.c -Wl,--version-script="$src/libv-2.map"
shlib "$lib/libv-1.so.1" libv.so.1 libv.c -Wl,--version-script="$src/libv-1.map"
shlib "$lib/libv-none.so.1" libv.so.1 libv.c
prog lib-version-missing usev usev.c "$lib/libv-2.so.1" "$runpath"
prog lib-unversioned usev usev.c "$lib/libv-2.so.1" "$runpath"
mkdir -p "$b/lib-version-missing/lib" "$b/lib-unversioned/lib"
cp "$lib/libv-1.so.1" "$b/lib-version-missing/lib/libv.so.1"
cp "$lib/libv-none.so.1" "$b/lib-unversioned/lib/libv.so.1"

# musl: PT_INTERP /lib/ld-musl-x86_64.so.1.
mkdir -p "$b/musl-hello" "$b/musl-runpath/lib" "$b/musl-missing-lib"
musl-gcc "${CFLAGS[@]}" -o "$b/musl-hello/hello" "$src/hello.c"
musl-gcc "${CFLAGS[@]}" -shared -fPIC -Wl,-soname,libx.so.1 -o "$lib/musl/libx.so.1" "$src/libx.c"
for c in musl-runpath musl-missing-lib; do
  musl-gcc "${CFLAGS[@]}" -o "$b/$c/usex" "$src/usex.c" "$lib/musl/libx.so.1" "$runpath"
done
cp "$lib/musl/libx.so.1" "$b/musl-runpath/lib/"

# Another machine: EM_AARCH64.
mkdir -p "$b/aarch64"
aarch64-linux-gnu-gcc "${CFLAGS[@]}" -o "$b/aarch64/hello" "$src/hello.c"

# PT_INTERP that the kernel cannot use: not ELF, shorter than an ELF header,
# not executable, or for another machine.
for c in interp-text interp-short interp-noexec interp-aarch64; do
  prog "$c" hello hello.c -Wl,--dynamic-linker="/app/$c/ld.so"
done
printf 'this text file is long enough to hold an ELF header, but is not one\n' >"$b/interp-text/ld.so"
printf 'short\n' >"$b/interp-short/ld.so"
cp /lib64/ld-linux-x86-64.so.2 "$b/interp-noexec/ld.so"
cp "$b/aarch64/hello" "$b/interp-aarch64/ld.so"
chmod 755 "$b/interp-text/ld.so" "$b/interp-short/ld.so" "$b/interp-aarch64/ld.so"
chmod 644 "$b/interp-noexec/ld.so"

# x86-64 ISA level marks (GNU_PROPERTY_X86_ISA_1_NEEDED): on the program,
# on a library, on a static program, on a program older glibc can start
# (no start files: it needs only GLIBC_2.2.5), and with a failure of the
# version check or of symbol binding beside it. The code itself is
# baseline, so a run on a lower CPU shows only what the loader decides.
for v in v3 v4; do prog "isa-$v" hello hello.c -Wl,-z,x86-64-$v; done
prog isa-static-v3 hello hello.c -static -Wl,-z,x86-64-v3
prog isa-nostart-v3 hello nostart.c -nostartfiles -no-pie -Wl,-z,x86-64-v3
shlib "$lib/libx-v3.so.1" libx.so.1 libx.c -Wl,-z,x86-64-v3
prog isa-lib-v3 usex usex.c "$lib/libx-v3.so.1" "$runpath"
mkdir -p "$b/isa-lib-v3/lib" && cp "$lib/libx-v3.so.1" "$b/isa-lib-v3/lib/libx.so.1"
prog isa-version-v3 usev usev.c "$lib/libv-2.so.1" "$runpath" -Wl,-z,x86-64-v3
mkdir -p "$b/isa-version-v3/lib" && cp "$lib/libv-1.so.1" "$b/isa-version-v3/lib/libv.so.1"
prog isa-symbol-v3 usef usef.c "$lib/libf.so.1" "$runpath" -Wl,-z,now -Wl,-z,x86-64-v3
mkdir -p "$b/isa-symbol-v3/lib" && cp "$lib/libf-short.so.1" "$b/isa-symbol-v3/lib/libf.so.1"
readelf -n "$b/isa-v3/hello" | grep -c 'x86 ISA needed:.*x86-64-v3' >/dev/null ||
  { echo "run-matrix: ld did not mark isa-v3 with the x86-64-v3 ISA level" >&2; exit 1; }

built_s=$(($(date +%s) - started))

# --- runs -------------------------------------------------------------------

pass=0
fail=0
: >"$out.tmp"
# /app holds exactly the cases of this run.
for r in bullseye bookworm trixie musl empty; do rm -rf "${roots:?}/$r/app"; done

# run [-e NAME=VALUE]... CASE ROOT PROG STATUS STDERR [STDOUT]
# Copies case CASE into ROOT at /app/CASE, runs /app/CASE/PROG there with
# the given environment, records the result and checks its exit status,
# stderr and (if given) stdout.
run() {
  local -a envs=()
  while [ "$1" = -e ]; do envs+=(-e "$2"); shift 2; done
  local c=$1 root=$2 p=$3 want_status=$4 want_err=$5 want_out=${6-}
  local rd=$roots/$root argv0=/app/$c/$p status=0 errno_name=null env_json
  rm -rf "$rd/app/$c"
  mkdir -p "$rd/app"
  cp -a "$b/$c" "$rd/app/$c"
  "$runin" "${envs[@]}" "$rd" "$argv0" >"$work/out" 2>"$work/err" || status=$?
  if grep -q '^canrun-runin: execve: ' "$work/err"; then
    errno_name=$(sed -n 's/^canrun-runin: execve: //p' "$work/err" | jq -R .)
  fi
  # Only the -e values: canrun-runin always adds PATH=/usr/bin:/bin, LANG=C.
  env_json=$(for e in "${envs[@]}"; do [ "$e" = -e ] || printf '%s\n' "$e"; done | jq -R . | jq -sc .)
  jq -nc --arg case "$c" --arg root "$root" --arg root_dir "$rd" --arg argv0 "$argv0" \
    --argjson env "$env_json" --rawfile stdout "$work/out" --rawfile stderr "$work/err" \
    --argjson status "$status" --argjson execve_error "$errno_name" \
    '{case: $case, root: $root, root_dir: $root_dir, argv0: $argv0, env: $env,
      stdout: $stdout, stderr: $stderr, status: $status, execve_error: $execve_error}' \
    >>"$out.tmp"

  shift 5
  check_result "$c on $root" "$want_status" "$want_err" "$@"
}

# run_cpu LEVEL CASE ROOT PROG STATUS STDERR [STDOUT]
# The same, on an emulated CPU of that x86-64 level: qemu-user, copied into
# the root, runs the program (its guest argv[0] is the program's path, and
# the root's own loader reads the emulated CPUID). The record gets "cpu".
qemu=$(command -v qemu-x86_64-static || true)
declare -A qemu_cpu=([x86-64-v1]=qemu64 [x86-64-v2]=Nehalem
  [x86-64-v3]=Haswell,-pcid,-x2apic,-tsc-deadline,-hle,-invpcid,-rtm)
run_cpu() {
  local level=$1 c=$2 root=$3 p=$4 want_status=$5 want_err=$6 want_out=${7-}
  local rd=$roots/$root argv0=/app/$c/$p status=0
  rm -rf "$rd/app/$c"
  mkdir -p "$rd/app/.qemu"
  cp -a "$b/$c" "$rd/app/$c"
  cp "$qemu" "$rd/app/.qemu/qemu-x86_64"
  "$runin" "$rd" /app/.qemu/qemu-x86_64 -cpu "${qemu_cpu[$level]}" "$argv0" >"$work/out" 2>"$work/err" || status=$?
  jq -nc --arg case "$c" --arg root "$root" --arg root_dir "$rd" --arg argv0 "$argv0" --arg cpu "$level" \
    --rawfile stdout "$work/out" --rawfile stderr "$work/err" --argjson status "$status" \
    '{case: $case, root: $root, root_dir: $root_dir, argv0: $argv0, env: [], cpu: $cpu,
      stdout: $stdout, stderr: $stderr, status: $status, execve_error: null}' >>"$out.tmp"
  shift 6
  check_result "$c on $root, $level CPU" "$want_status" "$want_err" "$@"
}

# check_result LABEL STATUS STDERR [STDOUT]: the last run's status and output.
check_result() {
  local label=$1 want_status=$2 want_err=$3 want_out=${4-} ok=1
  [ "$status" -eq "$want_status" ] || ok=0
  [ "$(cat "$work/err")" = "$want_err" ] || ok=0
  [ $# -lt 4 ] || [ "$(cat "$work/out")" = "$want_out" ] || ok=0
  if [ $ok -eq 1 ]; then
    pass=$((pass + 1))
    echo "ok - $label (exit $status)"
  else
    fail=$((fail + 1))
    echo "not ok - $label"
    echo "#   expected exit $want_status, stderr:"
    printf '%s\n' "$want_err" | sed 's/^/#     /'
    [ $# -lt 4 ] || { echo "#   and stdout:"; printf '%s\n' "$want_out" | sed 's/^/#     /'; }
    echo "#   got exit $status, stderr:"
    sed 's/^/#     /' "$work/err"
    echo "#   and stdout:"
    sed 's/^/#     /' "$work/out"
  fi
}

nf='cannot open shared object file: No such file or directory'
libc=/lib/x86_64-linux-gnu/libc.so.6
v234="version \`GLIBC_2.34' not found"
v238="version \`GLIBC_2.38' not found"

# The missing symbol version: ld.so maps everything, then prints every
# missing version and exits 1.
run glibc-2.34 bullseye hello 1 "/app/glibc-2.34/hello: $libc: $v234 (required by /app/glibc-2.34/hello)"
run glibc-2.34 bookworm hello 0 "" "hello"
run glibc-2.34 trixie hello 0 "" "hello"
g=/app/glibc-2.38/glibc238
run glibc-2.38 trixie glibc238 0 "" "42"
run glibc-2.38 bookworm glibc238 1 "$g: $libc: $v238 (required by $g)"
run glibc-2.38 bullseye glibc238 1 "$g: $libc: $v238 (required by $g)
$g: $libc: $v234 (required by $g)"

# The kernel: a missing PT_INTERP is ENOENT, like a missing file; another
# machine is ENOEXEC. No shell retries either.
run no-such-file bookworm hello 127 "canrun-runin: execve: ENOENT"
run musl-hello bookworm hello 127 "canrun-runin: execve: ENOENT"
run musl-hello bullseye hello 127 "canrun-runin: execve: ENOENT"
run glibc-2.34 musl hello 127 "canrun-runin: execve: ENOENT"
run glibc-2.34 empty hello 127 "canrun-runin: execve: ENOENT"
run static empty hello 0 "" "hello"
run static musl hello 0 "" "hello"
if grep -qs '^magic 7f454c460201010000000000000000000200b7' /proc/sys/fs/binfmt_misc/* 2>/dev/null; then
  echo "# skip aarch64: a binfmt_misc handler for aarch64 is registered here"
else
  run aarch64 bookworm hello 126 "canrun-runin: execve: ENOEXEC"
fi
run interp-text bookworm hello 126 "canrun-runin: execve: ELIBBAD"
run interp-short bookworm hello 126 "canrun-runin: execve: EIO"
run interp-noexec bookworm hello 126 "canrun-runin: execve: EACCES"
run interp-aarch64 bookworm hello 126 "canrun-runin: execve: ELIBBAD"

# Search paths, on the two roots whose glibc the host-built programs need.
for root in bookworm trixie; do
  run rpath-origin "$root" usex 0 "" "x=42"
  run runpath-origin "$root" usex 0 "" "x=42"
  run rpath-inherited "$root" usea 0 "" "a=2"
  run runpath-not-inherited "$root" usea 127 \
    "/app/runpath-not-inherited/usea: error while loading shared libraries: libb.so: $nf"
  run missing-lib "$root" usex 127 \
    "/app/missing-lib/usex: error while loading shared libraries: libx.so.1: $nf"
  run wrong-class-skipped "$root" usex 0 "" "x=42"
  run wrong-class-only "$root" usex 127 \
    "/app/wrong-class-only/usex: error while loading shared libraries: libx.so.1: wrong ELF class: ELFCLASS32"
  run symbol-now "$root" usef 127 \
    "/app/symbol-now/usef: symbol lookup error: /app/symbol-now/usef: undefined symbol: f_gone" ""
  run symbol-lazy "$root" usef 127 \
    "/app/symbol-lazy/usef: symbol lookup error: /app/symbol-lazy/usef: undefined symbol: f_gone" "started 1"
  run missing-variable "$root" usevar 127 \
    "/app/missing-variable/usevar: symbol lookup error: /app/missing-variable/usevar: undefined symbol: f_gone_var" ""
  run -e LD_LIBRARY_PATH=/app/ld-library-path/lib ld-library-path "$root" usex 0 "" "x=42"
  run ld-library-path "$root" usex 127 \
    "/app/ld-library-path/usex: error while loading shared libraries: libx.so.1: $nf"
  run wrong-machine-skipped "$root" usex 0 "" "x=42"
  run wrong-machine-only "$root" usex 127 \
    "/app/wrong-machine-only/usex: error while loading shared libraries: libx.so.1: $nf"
  run bad-lib-first "$root" usex 127 \
    "/app/bad-lib-first/usex: error while loading shared libraries: /app/bad-lib-first/bad/libx.so.1: invalid ELF header"
  run short-lib-first "$root" usex 127 \
    "/app/short-lib-first/usex: error while loading shared libraries: /app/short-lib-first/bad/libx.so.1: file too short"
  run lib-version-missing "$root" usev 1 \
    "/app/lib-version-missing/usev: /app/lib-version-missing/lib/libv.so.1: version \`V2' not found (required by /app/lib-version-missing/usev)"
done
# A versioned reference into a library without version definitions: a
# warning, then up to glibc 2.40 an assertion in ld.so's symbol lookup.
nover="/app/lib-unversioned/usev: /app/lib-unversioned/lib/libv.so.1: no version information available (required by /app/lib-unversioned/usev)"
run lib-unversioned bookworm usev 127 "$nover
Inconsistency detected by ld.so: dl-lookup.c: 107: check_match: Assertion \`version->filename == NULL || ! _dl_name_match_p (version->filename, map)' failed!"
run lib-unversioned trixie usev 0 "$nover" "v=7"
# glibc-hwcaps subdirectories are searched from 2.33 on, for the levels the
# CPU has; the host's ld.so says which those are.
if /lib64/ld-linux-x86-64.so.2 --help | grep -c 'x86-64-v2 (supported, searched)' >/dev/null; then
  run hwcaps-v2 bookworm usex 0 "" "x=42"
  run hwcaps-v2 trixie usex 0 "" "x=42"
else
  run hwcaps-v2 bookworm usex 127 "/app/hwcaps-v2/usex: error while loading shared libraries: libx.so.1: $nf"
  run hwcaps-v2 trixie usex 127 "/app/hwcaps-v2/usex: error while loading shared libraries: libx.so.1: $nf"
fi
# Libraries are mapped before versions are checked: on glibc 2.31 a missing
# library is reported, not the GLIBC_2.34 the program also lacks.
run hwcaps-v2 bullseye usex 127 "/app/hwcaps-v2/usex: error while loading shared libraries: libx.so.1: $nf"
run missing-lib bullseye usex 127 "/app/missing-lib/usex: error while loading shared libraries: libx.so.1: $nf"

# musl's loader: every error at startup is reported, then exit 127.
run musl-hello musl hello 0 "" "hello"
run musl-runpath musl usex 0 "" "x=42"
run musl-missing-lib musl usex 127 "Error loading shared library libx.so.1: No such file or directory (needed by /app/musl-missing-lib/usex)
Error relocating /app/musl-missing-lib/usex: x: symbol not found"

# The x86-64 ISA level: glibc 2.33 and later refuse a marked object above
# the CPU after the version check and before binding, naming the deepest
# dependency first; glibc 2.31 and static programs ignore the mark.
if [ -n "$qemu" ]; then
  isa="CPU ISA level is lower than required"
  for root in bookworm trixie; do
    run_cpu x86-64-v1 isa-v3 "$root" hello 127 "/app/isa-v3/hello: $isa"
    run_cpu x86-64-v2 isa-v3 "$root" hello 127 "/app/isa-v3/hello: $isa"
    run_cpu x86-64-v3 isa-v3 "$root" hello 0 "" "hello"
    run_cpu x86-64-v3 isa-v4 "$root" hello 127 "/app/isa-v4/hello: $isa"
    run_cpu x86-64-v2 isa-lib-v3 "$root" usex 127 "/app/isa-lib-v3/lib/libx.so.1: $isa"
    run_cpu x86-64-v3 isa-lib-v3 "$root" usex 0 "" "x=42"
    run_cpu x86-64-v1 isa-static-v3 "$root" hello 0 "" "hello"
    run_cpu x86-64-v1 isa-version-v3 "$root" usev 1 \
      "/app/isa-version-v3/usev: /app/isa-version-v3/lib/libv.so.1: version \`V2' not found (required by /app/isa-version-v3/usev)"
    run_cpu x86-64-v1 isa-symbol-v3 "$root" usef 127 "/app/isa-symbol-v3/usef: $isa" ""
  done
  run_cpu x86-64-v1 isa-nostart-v3 bookworm hello 127 "/app/isa-nostart-v3/hello: $isa"
  run_cpu x86-64-v1 isa-nostart-v3 bullseye hello 0 "" "hello"
  run_cpu x86-64-v1 isa-static-v3 empty hello 0 "" "hello"
else
  echo "# skip ISA levels: qemu-x86_64-static (qemu-user-static) is not installed"
fi
for r in bullseye bookworm trixie empty; do rm -rf "${roots:?}/$r/app/.qemu"; done

mv "$out.tmp" "$out"
echo "# fixtures built in ${built_s} s, all runs done in $(($(date +%s) - started)) s; results in $out"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
