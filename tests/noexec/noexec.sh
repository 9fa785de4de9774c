#!/usr/bin/env bash
# Proof that canrun never executes what it reads.
#
# The C fixture uses-marker-interp names marker-interp as its PT_INTERP, and
# marker-interp creates the file $CANRUN_MARKER when it runs. So:
#   1. control: running uses-marker-interp creates the marker (else this test
#      could not fail, and proves nothing);
#   2. every canrun subcommand below, in text and --json mode, on both files
#      and with the same environment, leaves no marker;
#   3. under strace -f, the only execve of the whole process tree is canrun's
#      own.
#
# Usage: noexec.sh CANRUN C_FIXTURES_DIR
set -uo pipefail

# The canrun subcommands that read ELF files: add new ones here.
SUBCOMMANDS=(inspect deps go check harden scan)
# Option sets tried with each subcommand ("" is the plain text mode).
MODES=("" "--json")

[ $# -eq 2 ] || { echo "usage: $0 CANRUN C_FIXTURES_DIR" >&2; exit 64; }
canrun=$(realpath "$1")
victim=$2/uses-marker-interp
interp=$2/marker-interp
for f in "$canrun" "$victim" "$interp"; do
  [ -x "$f" ] || { echo "noexec: FAIL: $f is missing or not executable"; exit 1; }
done
command -v strace >/dev/null || { echo "noexec: FAIL: strace is not installed"; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export CANRUN_MARKER=$tmp/marker
# LeakSanitizer cannot run under ptrace; leaks are the other tests' business.
export ASAN_OPTIONS=detect_leaks=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}
passed=0
failed=0
problem=0
fail() {
  echo "noexec: FAIL: $*"
  problem=1
}
# end_check: counts the check that just ran.
end_check() {
  if [ $problem -eq 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
  problem=0
}

# 1. Control.
"$victim" >/dev/null 2>&1
if [ ! -e "$CANRUN_MARKER" ]; then
  echo "noexec: FAIL: control: running $victim did not create $CANRUN_MARKER,"
  echo "so the checks below could not see an execution either"
  exit 1
fi
rm -f "$CANRUN_MARKER"
echo "noexec: control: executing uses-marker-interp creates the marker"

# scan reads directories: one holding both files (the copy keeps the
# absolute PT_INTERP that points at marker-interp).
tree=$tmp/tree
mkdir "$tree"
cp "$victim" "$interp" "$tree/"

for sub in "${SUBCOMMANDS[@]}"; do
  for mode in "${MODES[@]}"; do
    files=("$victim" "$interp")
    [ "$sub" = scan ] && files=("$tree")
    for file in "${files[@]}"; do
      # shellcheck disable=SC2206 # a mode is zero or more words
      cmd=("$canrun" "$sub" $mode "$file")
      what="canrun $sub${mode:+ $mode} $(basename "$file")"

      # 2. No marker.
      "${cmd[@]}" >"$tmp/out" 2>"$tmp/err"
      status=$?
      if [ -e "$CANRUN_MARKER" ]; then
        fail "$what created the marker: canrun executed its input"
        rm -f "$CANRUN_MARKER"
      fi
      # A usage error or a crash would mean nothing was really read.
      if [ $status -eq 64 ] || [ $status -ge 128 ]; then
        fail "$what: exit status $status: $(head -c 300 "$tmp/err")"
      fi
      end_check

      # 3. One execve, canrun's.
      if ! strace -f -qq -e trace=execve,execveat -o "$tmp/trace" "${cmd[@]}" >/dev/null 2>"$tmp/err"; then
        if grep -q "strace:" "$tmp/err"; then
          fail "$what: strace could not trace: $(grep strace: "$tmp/err" | head -1)"
          end_check
          continue
        fi
      fi
      grep -E 'execve(at)?\(' "$tmp/trace" >"$tmp/execs" || true
      first=$(head -n 1 "$tmp/execs")
      if [ "$(wc -l <"$tmp/execs")" -ne 1 ] || [[ $first != *" execve(\"$canrun\", "*") = 0" ]]; then
        fail "$what: want exactly one execve, of $canrun; strace saw:"
        sed 's/^/    /' "$tmp/execs"
      fi
      [ -e "$CANRUN_MARKER" ] && { fail "$what under strace created the marker"; rm -f "$CANRUN_MARKER"; }
      end_check
    done
  done
done

echo "noexec: $passed passed, $failed failed"
[ $failed -eq 0 ]
