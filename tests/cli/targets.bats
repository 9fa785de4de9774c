#!/usr/bin/env bats
# `canrun targets`: the built-in profiles as JSON and as a table, their
# consistency (names, aliases, sources, the default matrix), known facts
# for a sample, and, when the test roots exist, the Debian rows against
# real bullseye, bookworm and trixie roots.

bats_require_minimum_version 1.5.0

setup() {
  : "${CANRUN:?set CANRUN to the canrun binary}"
}

json() { "$CANRUN" targets --json; }
field() { json | jq -r --arg n "$1" ".targets[] | select(.name == \$n) | .$2"; }

@test "--help exits 0; bad options, colours and names exit 64" {
  run "$CANRUN" targets --help
  [ "$status" -eq 0 ]
  [[ "$output" == usage:* ]]
  run "$CANRUN" targets --no-such-option
  [ "$status" -eq 64 ]
  run "$CANRUN" targets --color sometimes
  [ "$status" -eq 64 ]
  run --separate-stderr "$CANRUN" targets debian-12 no-such-distro
  [ "$status" -eq 64 ]
  [ -z "$output" ]
  [[ "$stderr" == *"no-such-distro"* ]]
}

@test "JSON is one valid document with every field typed as documented" {
  run "$CANRUN" targets --json
  [ "$status" -eq 0 ]
  jq -e '.targets | length > 40' <<<"$output"
  jq -e 'all(.targets[];
      (.name | type == "string") and (.title | type == "string") and (.source | type == "string")
      and (.aliases | type == "array") and (.machines | type == "array") and (.machines | length > 0)
      and (.libc == "glibc" or .libc == "musl" or .libc == null)
      and (.libc_version | type == "string" or . == null)
      and (.kernel | type == "string" or . == null)
      and (.x86_level | test("^x86-64-v[1-4]$"))
      and (.ca_bundle | type == "string" or . == null)
      and (.tzdata | type == "boolean") and (.passwd | type == "boolean")
      and (.nsswitch | type == "boolean") and (.container | type == "boolean"))' <<<"$output"
}

@test "every profile cites a source" {
  run -0 "$CANRUN" targets --json
  [ "$(jq '[.targets[] | select((.source // "") | length < 10)] | length' <<<"$output")" -eq 0 ]
}

@test "names and aliases are lowercase, free of spaces and unique across both" {
  run -0 "$CANRUN" targets --json
  all=$(jq -r '.targets[] | .name, .aliases[]' <<<"$output")
  [ -n "$all" ]
  [ -z "$(sort <<<"$all" | uniq -d)" ]
  [ -z "$(grep -E '[A-Z[:space:]]' <<<"$all" || true)" ]
}

@test "a libc has a version, no libc has none; installed systems have a kernel, images the host's" {
  run -0 "$CANRUN" targets --json
  jq -e 'all(.targets[]; (.libc == null) == (.libc_version == null))' <<<"$output"
  jq -e 'all(.targets[]; (.kernel == null) == .container)' <<<"$output"
}

@test "every name in the default matrix resolves" {
  doc=$("$CANRUN" targets --json)
  matrix=$(jq -r '.default_matrix[]' <<<"$doc")
  [ "$(wc -l <<<"$matrix")" -ge 6 ]
  for name in $matrix; do
    jq -e --arg n "$name" 'any(.targets[]; .name == $n or any(.aliases[]; . == $n))' <<<"$doc"
    run "$CANRUN" targets "$name"
    [ "$status" -eq 0 ]
  done
}

@test "names and aliases resolve in any case" {
  run -0 "$CANRUN" targets --json ROCKY-9 Bookworm debian:12 ubuntu:22.04 jammy gcr.io/distroless/static-debian12
  [ "$(jq -r '[.targets[].name] | join(" ")' <<<"$output")" = \
    "rhel-9 debian-12 debian-12-image ubuntu-22.04-image ubuntu-22.04 distroless-static" ]
}

@test "glibc and musl versions agree with the distributions' own for a sample" {
  run -0 "$CANRUN" targets --json debian-11 debian-12 ubuntu-22.04 rhel-8 rhel-9 alpine-3.20 distroless-static
  [ "$(jq -r '[.targets[] | "\(.libc) \(.libc_version)"] | join(", ")' <<<"$output")" = \
    "glibc 2.31, glibc 2.36, glibc 2.35, glibc 2.28, glibc 2.34, musl 1.2.5, null null" ]
}

@test "CPU floors: RHEL 9 needs x86-64-v2, RHEL 10 x86-64-v3, Debian the baseline" {
  [ "$(field rhel-9 x86_level)" = x86-64-v2 ]
  [ "$(field rhel-10 x86_level)" = x86-64-v3 ]
  [ "$(field debian-12 x86_level)" = x86-64-v1 ]
}

@test "a server has the CA bundle its image lacks" {
  [ "$(field debian-12 ca_bundle)" = /etc/ssl/certs/ca-certificates.crt ]
  [ "$(field debian-12-image ca_bundle)" = null ]
  [ "$(field ubuntu-24.04-image tzdata)" = false ]
  [ "$(field distroless-static ca_bundle)" = /etc/ssl/certs/ca-certificates.crt ]
  [ "$(field scratch passwd)" = false ]
}

@test "the table has a header, one row per profile, and colour only when asked" {
  run -0 "$CANRUN" targets
  [[ "${lines[0]}" == NAME*LIBC*KERNEL*CPU*TITLE ]]
  count=$("$CANRUN" targets --json | jq '.targets | length')
  [ "$(grep -c '^[a-z]' <<<"$output")" -eq "$count" ]
  [[ "$output" == *"distroless-static "*"none"*"host"* ]]
  [[ "$output" != *$'\e['* ]]
  run -0 "$CANRUN" targets --color always debian-12
  [[ "$output" == *$'\e['* ]]
  NO_COLOR=1 run -0 "$CANRUN" targets --color auto debian-12
  [[ "$output" != *$'\e['* ]]
}

# The real roots tests/roots/make-roots.sh builds: debootstrap minbase, which
# is how the debian:N images are made. Skipped when they do not exist.
roots_or_skip() {
  [ -n "${CANRUN_ROOTS_DIR:-}" ] || skip "CANRUN_ROOTS_DIR is not set"
  for suite in bullseye bookworm trixie; do
    [ -f "$CANRUN_ROOTS_DIR/$suite.stamp" ] || skip "no $suite root in $CANRUN_ROOTS_DIR (tests/roots/make-roots.sh)"
  done
}

@test "the Debian profiles' glibc is the one in real bullseye, bookworm and trixie roots" {
  roots_or_skip
  for pair in 11:bullseye 12:bookworm 13:trixie; do
    ver=${pair%%:*} suite=${pair#*:}
    real=$(grep -a -o -m1 'release version [0-9][0-9.]*[0-9]' "$CANRUN_ROOTS_DIR/$suite/lib/x86_64-linux-gnu/libc.so.6" |
      head -n1 | awk '{print $3}')
    [ -n "$real" ]
    echo "debian-$ver: root has glibc $real, profile says $(field debian-$ver libc_version)"
    [ "$(field debian-$ver libc_version)" = "$real" ]
    [ "$(field debian-$ver-image libc_version)" = "$real" ]
  done
}

@test "the Debian image profiles' base files are those of real minbase roots" {
  roots_or_skip
  for pair in 11:bullseye 12:bookworm 13:trixie; do
    ver=${pair%%:*} root=$CANRUN_ROOTS_DIR/${pair#*:}
    has() { [ -e "$root$1" ] && echo true || echo false; }
    ca=$(field debian-$ver-image ca_bundle)
    if [ "$ca" = null ]; then [ "$(has /etc/ssl/certs/ca-certificates.crt)" = false ]; else [ -s "$root$ca" ]; fi
    [ "$(field debian-$ver-image tzdata)" = "$(has /usr/share/zoneinfo/UTC)" ]
    [ "$(field debian-$ver-image passwd)" = "$(has /etc/passwd)" ]
    [ "$(field debian-$ver-image nsswitch)" = "$(has /etc/nsswitch.conf)" ]
  done
}
