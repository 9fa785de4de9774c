#!/usr/bin/env bats
# `canrun go` on the example server's variants: what each build means where
# it runs, checked against how each variant was built (examples/ginserver/build.sh)
# and against readelf for the libc facts.

bats_require_minimum_version 1.5.0

setup() {
  : "${CANRUN:?set CANRUN}" "${FIXTURES:?set FIXTURES}"
}

go_json() {
  run "$CANRUN" go --json "$FIXTURES/go/ginserver-$1"
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
  go_json stripped
  stripped=$(jq -c '.files[0].go.packages' <<<"$json")
  go_json cgo
  [ "$(jq -c '.files[0].go.packages' <<<"$json")" = "$stripped" ]
  [ "$stripped" != null ]
}

@test "foreign architectures keep their GOARCH in the rebuild" {
  go_json arm64
  [ "$(field 'settings.GOARCH')" = arm64 ]
  [ "$(field cgo)" = false ]
  go_json s390x
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
