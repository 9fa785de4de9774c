#!/usr/bin/env bats
# `canrun toolchain` against this machine's Debian Go (go version, go env,
# dpkg -S as oracles; canrun itself never runs go), PATH shadowing, the
# permission audit on copied GOROOTs, the env file's precedence in a
# temporary HOME, and --verify on tarballs built here from the installed
# tree and hostile ones (sha256sum as the oracle for the hash).

bats_require_minimum_version 1.5.0

setup() {
  : "${CANRUN:?set CANRUN to the canrun binary}"
  command -v go >/dev/null || skip "no go on PATH"
  GOROOT_REAL="$(go env GOROOT)"
  T="$(mktemp -d)"
  chmod 755 "$T"
}

teardown() {
  [ -n "${T:-}" ] && rm -rf "$T"
}

tc() { "$CANRUN" toolchain "$@"; }

# A GOROOT copy: VERSION, bin/ and one tool, enough for cmd/go's test.
copy_goroot() {
  local to="$1"
  mkdir -p "$to/pkg/tool"
  cp -a "$GOROOT_REAL/VERSION" "$GOROOT_REAL/bin" "$to/"
  mkdir -p "$to/pkg/tool/linux_amd64"
  cp -a "$GOROOT_REAL/pkg/tool/linux_amd64/vet" "$to/pkg/tool/linux_amd64/"
}

# The release layout made from the installed tree: go/VERSION and go/bin,
# without Debian's links into /usr/share.
release_tarball() {
  local out="$1"
  tar -C "$(dirname "$GOROOT_REAL")" -czf "$out" --transform "s,^$(basename "$GOROOT_REAL"),go," \
    --exclude="$(basename "$GOROOT_REAL")/pkg" --exclude='*/src' --exclude='*/api' --exclude='*/misc' \
    --exclude='*/test' "$(basename "$GOROOT_REAL")"
}

release_name() { echo "$(go env GOVERSION).$(go env GOOS)-$(go env GOARCH).tar.gz"; }

@test "--help exits 0; bad options and arguments exit 64" {
  run -0 tc --help
  [[ "$output" == usage:* ]]
  run -64 tc --no-such-option
  run -64 tc extra
  run -64 tc --sha256 "$(printf '%064d' 0)"
  run -64 --separate-stderr tc --verify x.tar.gz --sha256 abc
  [ -z "$output" ]
  run -64 tc --verify x.tar.gz --sha256 "$(printf '%064d' 0)" --sums y
  run -64 tc --color sometimes
}

@test "the go on PATH: version, GOROOT, GOOS/GOARCH as go itself says; package as dpkg -S says; runs here" {
  run -0 --separate-stderr tc --json
  doc="$output"
  goroot="$(go env GOROOT)"
  t="$(jq -c --arg r "$goroot" '.toolchains[] | select(.goroot == $r)' <<<"$doc")"
  [ -n "$t" ]
  [ "$(jq -r .version <<<"$t")" = "$(go version | awk '{print $3}')" ]
  [ "$(jq -r .goos <<<"$t")/$(jq -r .goarch <<<"$t")" = "$(go env GOOS)/$(go env GOARCH)" ]
  [ "$(jq -r .wins <<<"$t")" = true ]
  [ "$(jq -r .host.verdict <<<"$t")" = runs ]
  [ "$(jq -r '.path[0].goroot' <<<"$doc")" = "$goroot" ]
  [ "$(jq -r '.path[0].go' <<<"$doc")" = "$(command -v go)" ]
  if command -v dpkg >/dev/null && dpkg -S "$goroot/bin/go" >/dev/null 2>&1; then
    [ "$(jq -r .package <<<"$t")" = "$(dpkg -S "$goroot/bin/go" | cut -d: -f1)" ]
    [ "$(jq -r .origin <<<"$t")" = "debian package" ]
  fi
  [ "$(jq -r '.env[] | select(.name == "GOROOT") | .value' <<<"$doc")" = "$goroot" ]
  # The text says the same.
  run -0 tc --color never
  [[ "$output" == *"$goroot  $(go env GOVERSION)  $(go env GOOS)/$(go env GOARCH)"* ]]
}

@test "PATH order: a copied GOROOT ahead wins, the installed go is shadowed" {
  copy_goroot "$T/fake"
  printf 'go1.19.99' >"$T/fake/VERSION"
  mkdir "$T/links" && ln -s "$T/fake/bin/go" "$T/links/go"
  PATH="$T/links:$PATH" run -0 --separate-stderr tc --json
  [ "$(jq -r '.path[0].go' <<<"$output")" = "$T/links/go" ]
  [ "$(jq -r '.path[0].resolves_to' <<<"$output")" = "$T/fake/bin/go" ]
  [ "$(jq -r '.path[0].goroot' <<<"$output")" = "$T/fake" ]
  [ "$(jq -r --arg r "$T/fake" '.toolchains[] | select(.goroot == $r) | "\(.version) \(.wins) \(.origin)"' <<<"$output")" = "go1.19.99 true tarball" ]
  [ "$(jq -r --arg r "$GOROOT_REAL" '.toolchains[] | select(.goroot == $r) | "\(.on_path) \(.wins)"' <<<"$output")" = "true false" ]
  jq -e '.findings[] | select(.id == "path-go-shadowed")' <<<"$output" >/dev/null
  # Without VERSION, the version comes from bin/go's build info.
  rm "$T/fake/VERSION"
  PATH="$T/links:$PATH" run -0 --separate-stderr tc --json
  [ "$(jq -r --arg r "$T/fake" '.toolchains[] | select(.goroot == $r) | "\(.version) \(.version_source)"' <<<"$output")" = "$(go env GOVERSION) build info" ]
}

@test "the module cache's and ~/sdk's toolchains are found, with their versions and origins" {
  mc="$T/home/go/pkg/mod/golang.org/toolchain@v0.0.1-go1.22.5.linux-amd64"
  copy_goroot "$mc" && printf 'go1.22.5\ntime 2024-06-27T20:11:12Z\n' >"$mc/VERSION"
  copy_goroot "$T/home/sdk/go1.21.0" && printf 'go1.21.0\ntime 2023-08-04T20:14:06Z\n' >"$T/home/sdk/go1.21.0/VERSION"
  mkdir "$T/home/sdk/go-not-a-goroot"
  run -0 --separate-stderr env HOME="$T/home" "$CANRUN" toolchain --json
  [ "$(jq -r --arg r "$mc" '.toolchains[] | select(.goroot == $r) | "\(.version) \(.origin) \(.on_path)"' <<<"$output")" = "go1.22.5 module cache false" ]
  [ "$(jq -r --arg r "$T/home/sdk/go1.21.0" '.toolchains[] | select(.goroot == $r) | "\(.version) \(.origin)"' <<<"$output")" = "go1.21.0 sdk" ]
  [ "$(jq '[.toolchains[] | select(.goroot | test("not-a-goroot"))] | length' <<<"$output")" = 0 ]
}

@test "permission audit: a clean copy has no finding; g+w, o+w, setuid, another owner, an escaping link each found" {
  copy_goroot "$T/goroot"
  chown -R root:root "$T/goroot" && chmod -R go-w "$T/goroot"
  audit() { PATH="$T/goroot/bin:$PATH" "$CANRUN" toolchain --json | jq -c --arg r "$T/goroot" '.toolchains[] | select(.goroot == $r) | .audit'; }
  [ "$(audit)" = "[]" ]
  chmod g+w "$T/goroot/bin/gofmt"
  chmod o+w "$T/goroot/pkg/tool"
  chmod u+s "$T/goroot/pkg/tool/linux_amd64/vet"
  chown 65534 "$T/goroot/VERSION"
  mkdir -m 777 "$T/outside" && ln -s ../../outside "$T/goroot/bin/escape"
  a="$(audit)"
  for id in goroot-group-writable goroot-world-writable goroot-setuid goroot-user-owned goroot-link-escapes; do
    jq -e --arg id "$id" '.[] | select(.id == $id)' <<<"$a" >/dev/null || { echo "missing $id: $a"; false; }
  done
  [ "$(jq -r '.[] | select(.id == "goroot-world-writable") | .fix' <<<"$a")" = "chown -R root:root $T/goroot && chmod -R go-w $T/goroot" ]
  [ "$(jq -r '.[] | select(.id == "goroot-group-writable") | .evidence' <<<"$a")" = "$T/goroot/bin/gofmt" ]
  [ "$(jq -r '.[] | select(.id == "goroot-link-escapes") | .severity' <<<"$a")" = warn ]
  # A world-writable entry fails the whole report.
  PATH="$T/goroot/bin:$PATH" run -1 tc
  [[ "$output" == *"fix: chown -R root:root $T/goroot && chmod -R go-w $T/goroot"* ]]
  # The fix it gives clears all but the link, which has its own (chown also drops the setuid bit).
  chown -R root:root "$T/goroot" && chmod -R go-w "$T/goroot"
  [ "$(audit | jq -r '[.[].id] | join(" ")')" = "goroot-link-escapes" ]
}

@test "a go that cannot run here: fails when it wins, warns when shadowed" {
  arm="${FIXTURES:-}/go/ginserver-arm64"
  [ -f "$arm" ] || skip "no arm64 Go fixture"
  [ "$(uname -m)" = aarch64 ] && skip "this machine runs arm64"
  copy_goroot "$T/arm"
  cp "$arm" "$T/arm/bin/go"
  PATH="$T/arm/bin:$PATH" run -1 --separate-stderr tc --json
  [ "$(jq -r --arg r "$T/arm" '.toolchains[] | select(.goroot == $r) | "\(.wins) \(.host.verdict) \(.goarch)"' <<<"$output")" = "true fails arm64" ]
  jq -e --arg r "$T/arm" '.toolchains[] | select(.goroot == $r) | .host.findings[] | select(.id == "machine-mismatch")' <<<"$output" >/dev/null
  PATH="$PATH:$T/arm/bin" run -3 --separate-stderr tc --json
  [ "$(jq -r --arg r "$T/arm" '.toolchains[] | select(.goroot == $r) | "\(.wins) \(.host.verdict)"' <<<"$output")" = "false fails" ]
}

@test "the installed tree passes the audit" {
  run -0 --separate-stderr tc --json
  [ "$(jq -c --arg r "$GOROOT_REAL" '[.toolchains[] | select(.goroot == $r) | .audit[] | select(.severity != "ok")]' <<<"$output")" = "[]" ]
}

@test "environment: the process wins over XDG_CONFIG_HOME's env file, which wins over HOME's; GOENV=off" {
  mkdir -p "$T/home/.config/go" "$T/xdg/go"
  printf 'GOPROXY=home-proxy\nGOSUMDB=off\n' >"$T/home/.config/go/env"
  printf 'GOPROXY=direct\n' >"$T/xdg/go/env"
  src() { jq -r --arg n "$1" '.env[] | select(.name == $n) | "\(.value) [\(.source)]"' <<<"$2"; }
  run -3 --separate-stderr env -u GOPROXY -u GOSUMDB -u XDG_CONFIG_HOME -u GOENV HOME="$T/home" "$CANRUN" toolchain --json
  [ "$(src GOPROXY "$output")" = "home-proxy [env file]" ]
  [ "$(jq -r .env_file <<<"$output")" = "$T/home/.config/go/env" ]
  jq -e '.findings[] | select(.id == "env-gosumdb-off" and .severity == "warn")' <<<"$output" >/dev/null
  run -3 --separate-stderr env -u GOPROXY -u GOPRIVATE -u GOENV HOME="$T/home" XDG_CONFIG_HOME="$T/xdg" "$CANRUN" toolchain --json
  [ "$(src GOPROXY "$output")" = "direct [env file]" ]
  [ "$(src GOSUMDB "$output")" = "sum.golang.org [default]" ]
  jq -e '.findings[] | select(.id == "env-goproxy-direct")' <<<"$output" >/dev/null
  run -0 --separate-stderr env GOPROXY=https://proxy.golang.org GOENV=off HOME="$T/home" "$CANRUN" toolchain --json
  [ "$(src GOPROXY "$output")" = "https://proxy.golang.org [env]" ]
  [ "$(jq -r .env_file <<<"$output")" = null ]
  # go itself agrees on what its env file gives (go env reads, it does not build).
  [ "$(env -u GOPROXY -u GOENV HOME="$T/home" XDG_CONFIG_HOME="$T/xdg" go env GOPROXY)" = direct ]
  # -mod=vendor without vendor/ here, and with it.
  cd "$T"
  run -3 env GOFLAGS=-mod=vendor GOENV=off "$CANRUN" toolchain --json
  jq -e '.findings[] | select(.id == "env-vendor-missing")' <<<"$output" >/dev/null
  mkdir vendor
  run -0 env GOFLAGS=-mod=vendor GOENV=off "$CANRUN" toolchain --json
}

@test "--verify: a release made from the installed tree, hash equal to sha256sum's, by --sha256, sha256sum file and go.dev JSON" {
  name="$(release_name)"
  release_tarball "$T/$name"
  tar -xzOf "$T/$name" go/VERSION | head -1 | grep -qx "$(go env GOVERSION)"
  sum="$(sha256sum "$T/$name" | cut -d' ' -f1)"
  run -0 --separate-stderr tc --verify "$T/$name" --sha256 "$sum" --json
  [ "$(jq -r .sha256 <<<"$output")" = "$sum" ]
  [ "$(jq -r .ok <<<"$output")" = true ]
  [ "$(jq -r .version <<<"$output")" = "$(go env GOVERSION)" ]
  (cd "$T" && sha256sum "$name" >SHA256SUMS && sha256sum -c SHA256SUMS >/dev/null)
  run -0 tc --verify "$T/$name" --sums "$T/SHA256SUMS"
  [[ "$output" == *"(matches)"* && "$output" == *verified ]]
  printf '[{"version": "%s", "stable": true, "files": [{"filename": "%s", "os": "linux", "arch": "%s", "sha256": "%s", "size": 1, "kind": "archive"}]}]\n' \
    "$(go env GOVERSION)" "$name" "$(go env GOARCH)" "$sum" >"$T/dl.json"
  run -0 tc --verify "$T/$name" --sums "$T/dl.json"
  # Bytes after the archive's end are part of the file, and of its hash.
  mkdir "$T/pad" && cp "$T/$name" "$T/pad/" && head -c 200000 /dev/zero >>"$T/pad/$name"
  run -0 tc --verify "$T/pad/$name" --sha256 "$(sha256sum "$T/pad/$name" | cut -d' ' -f1)"
  # No checksum: contents checked, warning only.
  run -3 tc --verify "$T/$name"
  [[ "$output" == *tarball-not-verified* ]]
  # A sums file without this file's entry cannot be used.
  echo "$sum  other.tar.gz" >"$T/OTHER"
  run -2 --separate-stderr tc --verify "$T/$name" --sums "$T/OTHER"
  [ -z "$output" ] && [ "$stderr" = "canrun: $T/OTHER: no entry for $name" ]
  run -2 --separate-stderr tc --verify "$T/$name" --sums "$T/none"
  [ "$stderr" = "canrun: $T/none: No such file or directory" ]
}

@test "--verify fails each hostile tarball with its own finding" {
  name="$(release_name)"
  release_tarball "$T/$name"
  sum="$(sha256sum "$T/$name" | cut -d' ' -f1)"
  ids() { "$CANRUN" toolchain --verify "$1" --json | jq -r '[.findings[] | select(.severity == "fail") | .id] | unique | join(" ")'; }
  # Bad hash.
  run -1 tc --verify "$T/$name" --sha256 "$(printf '%064d' 0)"
  [ "$(tc --verify "$T/$name" --sha256 "$(printf '%064d' 0)" --json | jq -r '[.findings[].id] | join(" ")')" = tarball-hash-mismatch ]
  run -0 tc --verify "$T/$name" --sha256 "${sum^^}"
  # The Debian tree as is: its links into /usr/share leave go/.
  mkdir "$T/deb"
  tar -C "$(dirname "$GOROOT_REAL")" -czf "$T/deb/$name" --transform "s,^$(basename "$GOROOT_REAL"),go," \
    --exclude="$(basename "$GOROOT_REAL")/pkg/*_*" "$(basename "$GOROOT_REAL")"
  [ "$(ids "$T/deb/$name")" = tarball-link-escapes ]
  # Name against VERSION, and a platform that is not this machine's.
  mkdir "$T/n" && cp "$T/$name" "$T/n/go1.19.99.$(go env GOOS)-$(go env GOARCH).tar.gz"
  [ "$(ids "$T/n/go1.19.99.$(go env GOOS)-$(go env GOARCH).tar.gz")" = tarball-version-mismatch ]
  other=arm64; [ "$(go env GOARCH)" = arm64 ] && other=amd64
  cp "$T/$name" "$T/n/$(go env GOVERSION).linux-$other.tar.gz"
  [ "$(ids "$T/n/$(go env GOVERSION).linux-$other.tar.gz")" = tarball-wrong-platform ]
  # Hostile members, each in an otherwise good release.
  for kind in traversal absolute symlink device setuid fifo hardlink outside; do
    mkdir "$T/$kind"
    python3 - "$T/$kind/$name" "$kind" "$(go env GOVERSION)" <<'PY'
import io, sys, tarfile
out, kind, ver = sys.argv[1:]
with tarfile.open(out, "w:gz", format=tarfile.GNU_FORMAT) as t:
    def add(name, data=b"", **kw):
        i = tarfile.TarInfo(name); i.size = len(data)
        for k, v in kw.items(): setattr(i, k, v)
        t.addfile(i, io.BytesIO(data) if data else None)
    add("go/", type=tarfile.DIRTYPE, mode=0o755)
    add("go/VERSION", ver.encode())
    if kind == "traversal": add("go/../x", b"x")
    if kind == "absolute": add("/tmp/x", b"x")
    if kind == "symlink": add("go/bin/evil", type=tarfile.SYMTYPE, linkname="../../../etc/passwd")
    if kind == "device": add("go/dev", type=tarfile.CHRTYPE, devmajor=1, devminor=3)
    if kind == "setuid": add("go/bin/su", b"\x7fELF", mode=0o4755)
    if kind == "fifo": add("go/fifo", type=tarfile.FIFOTYPE)
    if kind == "hardlink": add("go/bin/h", type=tarfile.LNKTYPE, linkname="etc/shadow")
    if kind == "outside": add("other/file", b"x")
PY
  done
  [ "$(ids "$T/traversal/$name")" = tarball-path-traversal ]
  [ "$(ids "$T/absolute/$name")" = tarball-absolute-path ]
  [ "$(ids "$T/symlink/$name")" = tarball-link-escapes ]
  [ "$(ids "$T/device/$name")" = tarball-special-file ]
  [ "$(ids "$T/fifo/$name")" = tarball-special-file ]
  [ "$(ids "$T/setuid/$name")" = tarball-setuid ]
  [ "$(ids "$T/hardlink/$name")" = tarball-link-escapes ]
  [ "$(ids "$T/outside/$name")" = tarball-outside-go ]
  run -1 tc --verify "$T/device/$name" --sha256 "$(sha256sum "$T/device/$name" | cut -d' ' -f1)"
  [[ "$output" == *"is a character device"* && "$output" == *"verify failed" ]]
  # No go/VERSION at all.
  mkdir "$T/nov" && tar -C "$T/deb" -czf "$T/nov/$name" --files-from /dev/null
  [ "$(ids "$T/nov/$name")" = tarball-no-version ]
}

@test "--verify: truncated or not gzip exits 2 with one line and no report" {
  name="$(release_name)"
  release_tarball "$T/full.tgz"
  mkdir "$T/cut"
  head -c $(( $(stat -c %s "$T/full.tgz") / 2 )) "$T/full.tgz" >"$T/cut/$name"
  run -2 --separate-stderr tc --verify "$T/cut/$name" --json
  [ -z "$output" ]
  [ "$(wc -l <<<"$stderr")" = 1 ] && [[ "$stderr" == "canrun: $T/cut/$name: "* ]]
  echo "not gzip" >"$T/cut/x.tar.gz"
  run -2 --separate-stderr tc --verify "$T/cut/x.tar.gz"
  [ -z "$output" ] && [ "$(wc -l <<<"$stderr")" = 1 ]
  run -2 --separate-stderr tc --verify "$T/none.tar.gz"
  [ "$stderr" = "canrun: $T/none.tar.gz: No such file or directory" ]
}
