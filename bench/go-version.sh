#!/usr/bin/env bash
# canrun go against `go version -m` on the same Go programs, side by side:
# the median of several runs of each over the whole set, and the ratio.
# Usage: bench/go-version.sh CANRUN [FILES_OR_DIRS...]
# Defaults to the Go toolchain's own programs and the example server's variants.
set -euo pipefail
canrun=${1:?usage: $0 CANRUN [FILES_OR_DIRS...]}
shift
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(/usr/lib/go-1.19/bin /usr/lib/go-1.19/pkg/tool build/fixtures/go)
mapfile -t files < <(find "${targets[@]}" -type f -perm -u+x 2>/dev/null | sort)
[ ${#files[@]} -gt 0 ] || { echo "no files" >&2; exit 1; }
runs=${RUNS:-7}

# shellcheck source=bench/median.sh
. "$(dirname "$0")/median.sh"

go_ms=$(median_ms go version -m "${files[@]}")
canrun_ms=$(median_ms "$canrun" go "${files[@]}")
canrun_json_ms=$(median_ms "$canrun" go --json "${files[@]}")
printf '%d Go files, median of %d runs\n' "${#files[@]}" "$runs"
printf '%-28s %8s %8s\n' tool ms ratio
printf '%-28s %8d %8s\n' "go version -m" "$go_ms" 1.00
printf '%-28s %8d %8.2f\n' "canrun go" "$canrun_ms" "$(echo "$canrun_ms / ($go_ms + 0.0001)" | bc -l)"
printf '%-28s %8d %8.2f\n' "canrun go --json" "$canrun_json_ms" "$(echo "$canrun_json_ms / ($go_ms + 0.0001)" | bc -l)"
