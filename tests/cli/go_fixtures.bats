#!/usr/bin/env bats
# `canrun go` on the example server's variants: what each build means where
# it runs, checked against how each variant was built (examples/ginserver/build.sh)
# and against readelf for the libc facts.

bats_require_minimum_version 1.5.0

setup() {
  : "${CANRUN:?set CANRUN}" "${FIXTURES:?set FIXTURES}"
}

go_json() {
  run "$CANRUN" go --json "${@:2}" "$FIXTURES/go/ginserver-$1"
  [ "$status" -eq 0 ]
  json=$output
}

field() { jq -r ".files[0].go.$1" <<<"$json"; }

@test "cgo build: cgo resolver and user lookup, libc needed, a pure-Go rebuild offered" {
  go_json cgo
  [ "$(field cgo)" = true ]
  [ "$(field resolver)" = cgo ]
  [ "$(field user_lookup)" = cgo ]
  [ "$(field x509)" = true ]
  [ "$(field tzdata_embedded)" = false ]
  [[ "$(field rebuild)" == "CGO_ENABLED=0 GOOS=linux GOARCH=amd64 go build -trimpath -tags netgo,osusergo "* ]]
  readelf -d "$FIXTURES/go/ginserver-cgo" | grep -q 'NEEDED.*libc.so.6'
}

@test "CGO_ENABLED=0 build: pure Go, static, nothing to rebuild" {
  go_json nocgo
  [ "$(field cgo)" = false ]
  [ "$(field resolver)" = go ]
  [ "$(field user_lookup)" = go ]
  [ "$(field rebuild)" = null ]
  [ "$(field 'settings.CGO_ENABLED')" = 0 ]
}

@test "netgo,osusergo static build: Go resolver and user lookup although cgo is linked" {
  go_json static-netgo
  [ "$(field resolver)" = go ]
  [ "$(field user_lookup)" = go ]
  [ "$(field 'settings["-tags"]')" = netgo,osusergo ]
}

@test "musl build: cgo against musl, rebuild offered" {
  go_json musl
  [ "$(field cgo)" = true ]
  [ "$(field resolver)" = cgo ]
  [[ "$(field rebuild)" == *"CGO_ENABLED=0"* ]]
}

@test "stripped build: same packages as its unstripped twin" {
  go_json stripped --packages
  stripped=$(jq -c '.files[0].go.packages' <<<"$json")
  go_json cgo --packages
  [ "$(jq -c '.files[0].go.packages' <<<"$json")" = "$stripped" ]
  [ "$stripped" != null ]
}

# Without --packages the function names are skipped where the file list
# answers (no cgo code); every answer must be the one the names give.
@test "without --packages: the same answers as with it, on every variant and every Go program under /usr" {
  local files=("$FIXTURES"/go/ginserver-* "$FIXTURES"/gomod/* "$FIXTURES"/gostart/*)
  mapfile -t -O "${#files[@]}" files < <(find /usr/bin /usr/sbin /usr/lib -maxdepth 4 -type f -size +1M -perm -u+x 2>/dev/null)
  answers='[.files[] | select(.go != null) | {path, go: (.go | del(.packages))}]'
  # Files that are not ELF give exit 2 and a stderr line each; the JSON is whole.
  without=$("$CANRUN" go --json "${files[@]}" 2>/dev/null) || true
  with=$("$CANRUN" go --json --packages "${files[@]}" 2>/dev/null) || true
  fast=$(jq -c "$answers" <<<"$without")
  [ "$(jq -c "$answers" <<<"$with")" = "$fast" ]
  [ "$(jq -c '[.files[].go | select(. != null) | .packages] | unique' <<<"$without")" = '[null]' ]
  [ "$(jq '[.files[].go | select(. != null) | .packages | select(. != null)] | length' <<<"$with")" -ge 10 ]
  # Both kinds are among them: pure Go (answered by the file list) and cgo.
  [ "$(jq '[.[] | select(.go.cgo == false and .go.function_table != null)] | length' <<<"$fast")" -ge 3 ]
  [ "$(jq '[.[] | select(.go.runtime_cgo)] | length' <<<"$fast")" -ge 3 ]
}

@test "foreign architectures keep their GOARCH in the rebuild" {
  go_json arm64
  [ "$(field 'settings.GOARCH')" = arm64 ]
  [ "$(field cgo)" = false ]
  go_json s390x --packages
  [ "$(field function_table)" != null ]
  [ "$(field 'packages | index("net/http") != null')" = true ]
}

@test "a C program is not a Go program; text says so, exit 0" {
  run "$CANRUN" go /bin/true
  [ "$status" -eq 0 ]
  [ "$output" = "/bin/true: not a Go program" ]
  run "$CANRUN" go --json /bin/true
  [ "$(jq -r '.files[0].go' <<<"$output")" = null ]
}

@test "unreadable input: exit 2, one stderr line" {
  run --separate-stderr "$CANRUN" go /nonexistent
  [ "$status" -eq 2 ]
  [ "$stderr" = "canrun: /nonexistent: No such file or directory" ]
}

@test "module build: deps with => replacements, as go version -m lists them" {
  run "$CANRUN" go --json "$FIXTURES/gomod/modapp"
  [ "$status" -eq 0 ]
  [ "$(jq -r '.files[0].go.main.path' <<<"$output")" = example.com/app ]
  [ "$(jq -r '.files[0].go.deps[0].path' <<<"$output")" = example.com/greet ]
  [ "$(jq -r '.files[0].go.deps[0].version' <<<"$output")" = v1.2.3 ]
  [ "$(jq -r '.files[0].go.deps[0].replace.path' <<<"$output")" = ../greet ]
  [ "$(jq -r '.files[0].go.deps | length' <<<"$output")" = "$(go version -m "$FIXTURES/gomod/modapp" | grep -c $'\tdep\t')" ]
}

@test "a dependency with C code: no pure-Go rebuild, the honest alternatives instead" {
  run "$CANRUN" go --json "$FIXTURES/gomod/modcgo"
  [ "$(jq -r '.files[0].go.cgo_packages[0]' <<<"$output")" = example.com/cdep ]
  [ "$(jq -r '.files[0].go.rebuild' <<<"$output")" = null ]
  [[ "$(jq -r '.files[0].go.rebuild_why' <<<"$output")" == *"cannot drop cgo"* ]]
  # The pure-Go module build needs no C at all.
  run "$CANRUN" go --json "$FIXTURES/gomod/modapp"
  [ "$(jq -r '.files[0].go.cgo_packages | length' <<<"$output")" = 0 ]
}

@test "a UPX-packed program is said to be packed, not 'not a Go program'" {
  # UPX is not packaged in Debian 12's main archive: mark a static program
  # the way UPX does (its magic in the first block) instead.
  tmp=$(mktemp -d)
  cp "$FIXTURES/c/hello-static" "$tmp/packed"
  printf 'UPX!' | dd of="$tmp/packed" bs=1 seek=3000 conv=notrunc status=none
  run "$CANRUN" go "$tmp/packed"
  [ "$status" -eq 0 ]
  [[ "$output" == *"packed with UPX"* ]]
  run "$CANRUN" go --json "$tmp/packed"
  [ "$(jq -r '.files[0].packed' <<<"$output")" = upx ]
  run "$CANRUN" go "$FIXTURES/c/hello-static"
  [[ "$output" == *"not a Go program" ]]
  rm -rf "$tmp"
}
