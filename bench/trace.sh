#!/usr/bin/env bash
# canrun trace's overhead: each command untraced, under `canrun trace` and
# under `strace -f --seccomp-bpf` recording the same syscall set's failures;
# the median of several runs, and the ratios to the untraced run and to strace.
# Usage: bench/trace.sh CANRUN      (RUNS=7 runs each)
set -euo pipefail
canrun=${1:?usage: $0 CANRUN}
runs=${RUNS:-7}
command -v go >/dev/null || { echo "needs go" >&2; exit 1; }
command -v strace >/dev/null || { echo "needs strace" >&2; exit 1; }
set_=execve,execveat,open,openat,openat2,stat,lstat,newfstatat,statx,access,faccessat,faccessat2,readlink,readlinkat,connect,clone,clone3,fork,vfork,mmap
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# shellcheck source=bench/median.sh
. "$(dirname "$0")/median.sh"

# One untimed warm-up run (page cache, Go's build cache), then the median.
warm_median_ms() {
  "$@" >/dev/null 2>&1 || true
  median_ms "$@"
}

ratio() { echo "$1 / ($2 + 0.0001)" | bc -l; }

printf 'median of %d runs, ms; trace/untraced, strace/untraced and trace/strace\n' "$runs"
printf '%-14s %9s %9s %9s %9s %9s %9s\n' command untraced trace strace "trace/un" "strace/un" "trace/st"
for cmd in "go env" "go version" "go list std"; do
  read -r -a argv <<<"$cmd"
  un=$(warm_median_ms "${argv[@]}")
  tr=$(warm_median_ms "$canrun" trace --raw="$tmp/raw" -- "${argv[@]}")
  st=$(warm_median_ms strace -f --seccomp-bpf -Z -qq -e trace=$set_ -o "$tmp/strace" "${argv[@]}")
  printf '%-14s %9d %9d %9d %9.2f %9.2f %9.2f\n' "$cmd" "$un" "$tr" "$st" "$(ratio "$tr" "$un")" \
    "$(ratio "$st" "$un")" "$(ratio "$tr" "$st")"
done
