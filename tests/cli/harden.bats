#!/usr/bin/env bats
# shellcheck disable=SC2016 # '$ORIGIN' is a literal expected in the output
# `canrun harden` on the fixtures of tests/fixtures/README.md.
#
# Each expected value comes from how the fixture was built, and wherever an
# independent tool can say the same (readelf, checksec) it is asked too, so
# that a fixture that silently stops being what it claims fails here.
#
# CANRUN is the binary under test; FIXTURES holds c/ and go/.

bats_require_minimum_version 1.5.0
load file_json

CANRUN=${CANRUN:-$BATS_TEST_DIRNAME/../../build/canrun}
FIXTURES=${FIXTURES:-$BATS_TEST_DIRNAME/../../build/fixtures}
C=$FIXTURES/c
GO=$FIXTURES/go

setup() {
  [ -x "$CANRUN" ] || { echo "CANRUN=$CANRUN is not an executable"; return 1; }
  command -v jq >/dev/null || { echo "jq is required"; return 1; }
  tmp=$(mktemp -d)
}

teardown() {
  rm -rf "$tmp"
}

# harden FILE [OPTION...]: canrun harden --json on FILE, which must be read;
# sets $json to its object.
harden() {
  file=$1
  shift
  [ -e "$file" ] || { echo "missing fixture $file: build the fixtures first"; return 1; }
  run --separate-stderr "$CANRUN" harden --json "$@" "$file"
  if [ "$status" -ne 0 ] && [ "$status" -ne 4 ]; then
    echo "canrun harden --json $file exited $status; stderr: $stderr"
    return 1
  fi
  take_single
}

# The oracles. (bats ignores a failing "! command" except on a test's last
# line, hence lacks and no_phdr.)
has_phdr() { readelf -lW "$1" | grep -q "^ *$2 "; }
no_phdr() { if has_phdr "$@"; then echo "$1 has $2"; return 1; fi; }
# ... | lacks PATTERN: the input has no line matching PATTERN.
lacks() { if grep -q "$1"; then echo "unexpected: $1"; return 1; fi; }
dyn_undefined() { readelf -W --dyn-syms "$1" | awk '$7 == "UND" { sub(/@.*/, "", $8); print $8 }'; }

# --- RELRO ---------------------------------------------------------------------

@test "RELRO: none, partial (lazy), full (-z now), and what readelf says" {
  harden "$C/relro-none"
  expect relro '"none"'
  no_phdr "$C/relro-none" GNU_RELRO
  harden "$C/relro-lazy"
  expect relro '"partial"'
  expect relro_note null
  has_phdr "$C/relro-lazy" GNU_RELRO
  readelf -d "$C/relro-lazy" | lacks BIND_NOW
  for f in relro-now hello-bindnow; do
    harden "$C/$f"
    expect relro '"full"'
    readelf -d "$C/$f" | grep -q BIND_NOW
  done
}

@test "RELRO: a crafted DT_FLAGS=BIND_NOW is partial, though checksec says full" {
  command -v checksec >/dev/null || { echo "checksec is required"; return 1; }
  f=$C/relro-crafted-flags
  # The crafted file really is what checksec calls full RELRO...
  checksec --output=csv --file="$f" | grep -q '^Full RELRO,'
  readelf -d "$f" | grep -q 'BIND_NOW'
  # ...but its PLT's GOT slot is outside PT_GNU_RELRO.
  harden "$f"
  expect relro '"partial"'
  jq -e '.relro_note | test("BIND_NOW is set, but the GOT slots the PLT uses lie outside PT_GNU_RELRO")' <<<"$json"
  run -0 "$CANRUN" harden "$f"
  [[ "$output" == *"warn    $f: RELRO partial: BIND_NOW is set"* ]]
}

@test "RELRO: DF_1_NOW alone is immediate binding too" {
  f=$C/relro-df1-now
  readelf -d "$f" | grep -q 'Flags: NOW'
  readelf -d "$f" | lacks 'BIND_NOW'
  harden "$f"
  expect relro '"full"'
}

@test "RELRO: static programs, by who applies PT_GNU_RELRO" {
  # glibc's start-up applies it; the IRELATIVE GOT slots are outside unless -z now.
  harden "$C/hello-static"
  expect relro '"partial"'
  jq -e '.relro_note | test("IRELATIVE GOT slots lie outside PT_GNU_RELRO")' <<<"$json"
  harden "$C/hello-static-now"
  expect relro '"full"'
  # musl's static start-up never applies it.
  has_phdr "$C/hello-musl-static" GNU_RELRO
  harden "$C/hello-musl-static"
  expect relro '"none"'
  jq -e '.relro_note | test("only glibc")' <<<"$json"
}

# --- canary ----------------------------------------------------------------------

@test "canary: -fstack-protector-strong vs -fno-stack-protector, as readelf sees it" {
  harden "$C/fortify-full"
  expect canary '"yes"'
  dyn_undefined "$C/fortify-full" | grep -qx __stack_chk_fail
  harden "$C/fortify-none"
  expect canary '"no"'
  readelf -sW "$C/fortify-none" | lacks __stack_chk
  harden "$C/fortify-musl"
  expect canary '"yes"'
  harden "$C/fortify-aarch64"
  expect canary '"yes"'
}

@test "canary: a stripped static program is unknown, not no" {
  readelf -SW "$C/hello-static-stripped" | lacks '\.symtab'
  harden "$C/hello-static-stripped"
  expect canary '"unknown"'
  # Unstripped, the same program shows its libc's canary symbols.
  readelf -sW "$C/hello-static" | grep -q __stack_chk_fail
  harden "$C/hello-static"
  expect canary '"yes"'
}

@test "canary: Go code has none by design, and the text says so without red" {
  for f in ginserver-nocgo ginserver-cgo ginserver-pie ginserver-stripped ginserver-arm64; do
    readelf -sW "$GO/$f" | lacks __stack_chk
    harden "$GO/$f"
    expect canary '"go"'
    expect go true
  done
  harden "$GO/ginserver-cgo"
  expect cgo true
  harden "$GO/ginserver-nocgo"
  expect cgo false
  expect fortify '"n/a"'
  run -0 "$CANRUN" harden --color=always "$GO/ginserver-nocgo"
  [[ "$output" == *"canary: none by design"* ]]
  # The CANARY cell is green, never red.
  row=$(grep -F "$GO/ginserver-nocgo" <<<"$output" | head -1)
  [[ "$row" == *$'\033[32mgo\033[0m'* ]]
  [[ "$row" != *$'\033[31mgo'* ]]
}

@test "canary: cgo with the canary in its C part is yes" {
  # ginserver-static-netgo is linked by gcc with static glibc, which brings it.
  readelf -sW "$GO/ginserver-static-netgo" | grep -q __stack_chk_fail
  harden "$GO/ginserver-static-netgo"
  expect go true
  expect canary '"yes"'
}

# --- NX, PIE -----------------------------------------------------------------------

@test "NX: PT_GNU_STACK without X, with X, and none at all" {
  harden "$C/hello-pie"
  expect nx true
  expect nx_default false
  readelf -lW "$C/hello-execstack" | grep GNU_STACK | grep -q RWE
  harden "$C/hello-execstack"
  expect nx false
  expect nx_default false
  no_phdr "$C/no-gnu-stack" GNU_STACK
  harden "$C/no-gnu-stack"
  expect nx false
  expect nx_default true
  run -0 "$CANRUN" harden "$C/no-gnu-stack"
  [[ "$output" == *"no PT_GNU_STACK: the architecture's default stack applies, executable on x86"* ]]
}

@test "PIE: yes, no, static-pie, dso and rel, against readelf's type" {
  for pair in hello-pie:yes:DYN hello-nopie:no:EXEC hello-static:no:EXEC hello-static-pie:static-pie:DYN \
      libgreet.so:dso:DYN hello.o:rel:REL marker-interp:static-pie:DYN; do
    IFS=: read -r f pie type <<<"$pair"
    readelf -hW "$C/$f" | grep -Eq "Type: +$type "
    harden "$C/$f"
    expect pie "\"$pie\""
  done
  # static-pie: an ET_DYN without PT_INTERP.
  no_phdr "$C/hello-static-pie" INTERP
}

# --- RPATH / RUNPATH ------------------------------------------------------------------

@test "RPATH: relative and empty elements are unsafe, absolute ones are not" {
  readelf -d "$C/rpath-relative" | grep -qF 'Library rpath: [lib::/opt/canrun/lib]'
  harden "$C/rpath-relative"
  expect rpath '[{"dir":"lib","issues":["relative"]},{"dir":"","issues":["empty"]},{"dir":"/opt/canrun/lib","issues":[]}]'
  expect runpath '[]'
  harden "$C/rpath-empty"
  expect rpath '[{"dir":"","issues":["empty"]}]'
  harden "$C/uses-runpath"
  expect rpath '[]'
  expect runpath '[{"dir":"$ORIGIN/lib","issues":[]},{"dir":"/nonexistent/canrun/lib","issues":[]}]'
  run -0 "$CANRUN" harden "$C/rpath-relative"
  [[ "$output" == *"RPATH entry 'lib' is relative"* ]]
  [[ "$output" == *"RPATH entry '' is empty"* ]]
}

@test "RPATH: \$ORIGIN in a setuid or setgid copy is unsafe" {
  cp "$C/uses-rpath-origin" "$tmp/prog"
  harden "$tmp/prog"
  expect rpath '[{"dir":"$ORIGIN/lib","issues":[]}]'
  chmod u+s "$tmp/prog"
  harden "$tmp/prog"
  expect rpath '[{"dir":"$ORIGIN/lib","issues":["origin-setuid"]}]'
  chmod u-s,g+s "$tmp/prog"
  harden "$tmp/prog"
  expect rpath '[{"dir":"$ORIGIN/lib","issues":["origin-setuid"]}]'
  run -4 "$CANRUN" harden --require safe-rpath "$tmp/prog"
}

@test "RPATH/RUNPATH: a world-writable directory inside the target root" {
  mkdir -p "$tmp/root/opt/canrun-ww/lib"
  chmod 0755 "$tmp/root/opt/canrun-ww/lib"
  harden "$C/rpath-world" --target "$tmp/root"
  expect rpath '[{"dir":"/opt/canrun-ww/lib","issues":[]}]'
  chmod 0777 "$tmp/root/opt/canrun-ww/lib"
  harden "$C/rpath-world" --target "$tmp/root"
  expect rpath '[{"dir":"/opt/canrun-ww/lib","issues":["world-writable"]}]'
  harden "$C/runpath-world" --target "$tmp/root"
  expect runpath '[{"dir":"/opt/canrun-ww/lib","issues":["world-writable"]}]'
  # Sticky (as /tmp) is still writable by anyone: anyone can add the library.
  chmod 1777 "$tmp/root/opt/canrun-ww/lib"
  harden "$C/rpath-world" --target "$tmp/root"
  expect rpath '[{"dir":"/opt/canrun-ww/lib","issues":["world-writable"]}]'
  run -4 "$CANRUN" harden --target "$tmp/root" --require safe-rpath "$C/rpath-world"
  [[ "$output" == *"RPATH entry '/opt/canrun-ww/lib' is writable by anyone in the target"* ]]
  # The host's own directory, not the root's, is what host looks at.
  if [ ! -e /opt/canrun-ww/lib ]; then
    harden "$C/rpath-world"
    expect rpath '[{"dir":"/opt/canrun-ww/lib","issues":[]}]'
  fi
}

@test "RPATH: \$ORIGIN expanded to the file's directory on the host, not in another root" {
  mkdir -p "$tmp/app/lib"
  cp "$C/uses-rpath-origin" "$tmp/app/prog"
  harden "$tmp/app/prog"
  expect rpath '[{"dir":"$ORIGIN/lib","issues":[]}]'
  chmod 0777 "$tmp/app/lib"
  harden "$tmp/app/prog"
  expect rpath '[{"dir":"$ORIGIN/lib","issues":["world-writable"]}]'
  # In a root, where the file will live is not known.
  mkdir -p "$tmp/root"
  harden "$tmp/app/prog" --target "$tmp/root"
  expect rpath '[{"dir":"$ORIGIN/lib","issues":[]}]'
}

# --- FORTIFY -------------------------------------------------------------------------

# fortified_oracle FILE: the X of every __X_chk FILE imports, by readelf,
# excluding the canary's __stack_chk_fail.
fortified_oracle() {
  dyn_undefined "$1" | sed -n 's/^__\(.*\)_chk$/\1/p' | sort -u | jq -Rsc 'split("\n") | map(select(. != ""))'
}

@test "FORTIFY: fortified, partly fortified and unfortified builds" {
  harden "$C/fortify-full"
  expect fortify '"yes"'
  expect fortified_functions "$(fortified_oracle "$C/fortify-full")"
  expect fortified_functions '["memcpy","sprintf"]'
  expect unfortified_functions '[]'
  expect fortifiable 2
  harden "$C/fortify-partial"
  expect fortify '"partial"'
  expect fortified_functions "$(fortified_oracle "$C/fortify-partial")"
  expect unfortified_functions '["memcpy"]'
  dyn_undefined "$C/fortify-partial" | grep -qx memcpy
  expect fortified 2
  expect fortifiable 3
  harden "$C/fortify-none"
  expect fortify '"no"'
  expect fortified 0
  expect unfortified_functions '["memcpy","sprintf"]'
  # Nothing fortifiable called at all.
  harden "$C/hello-pie"
  expect fortify '"n/a"'
  run -0 "$CANRUN" harden "$C/fortify-partial"
  [[ "$output" == *"partial 2/3"* ]]
}

@test "FORTIFY never counts the canary's __stack_chk_fail" {
  dyn_undefined "$C/fortify-full" | grep -qx __stack_chk_fail
  harden "$C/fortify-full"
  jq -e '[.fortified_functions[], .unfortified_functions[]] | map(select(test("stack"))) | length == 0' <<<"$json"
}

@test "FORTIFY is counted against the target's libc, and unknown without one" {
  # An empty root has no libc: unknown, with the reason.
  mkdir -p "$tmp/empty"
  harden "$C/fortify-full" --target "$tmp/empty"
  expect fortify '"unknown"'
  jq -e '.fortify_note | test("no C library")' <<<"$json"
  run -0 "$CANRUN" harden --json --target "$tmp/empty" "$C/fortify-full"
  jq -e '.libc == null' <<<"$output"
  # A root holding only the host's libc: the same answer as the host.
  libc=$(readlink -f /lib/x86_64-linux-gnu/libc.so.6)
  mkdir -p "$tmp/one/lib/x86_64-linux-gnu"
  cp "$libc" "$tmp/one/lib/x86_64-linux-gnu/libc.so.6"
  harden "$C/fortify-partial" --target "$tmp/one"
  expect fortify '"partial"'
  run -0 "$CANRUN" harden --json --target "$tmp/one" "$C/fortify-partial"
  jq -e --arg r "$tmp/one" '.libc | endswith("libc.so.6 in " + $r)' <<<"$output"
  # A truncated libc, and a libc link that points out of the root: neither
  # is read (the host's /etc/passwd is not the root's).
  mkdir -p "$tmp/bad/lib/x86_64-linux-gnu" "$tmp/out/lib/x86_64-linux-gnu"
  head -c 1000 "$libc" >"$tmp/bad/lib/x86_64-linux-gnu/libc.so.6"
  ln -s /etc/passwd "$tmp/out/lib/x86_64-linux-gnu/libc.so.6"
  for r in bad out; do
    harden "$C/fortify-full" --target "$tmp/$r"
    expect fortify '"unknown"'
  done
  # musl exports no __*_chk functions: nothing to count against.
  mkdir -p "$tmp/musl/lib"
  cp "$(readlink -f /usr/lib/x86_64-linux-musl/libc.so)" "$tmp/musl/lib/ld-musl-x86_64.so.1"
  harden "$C/fortify-partial" --target "$tmp/musl"
  expect fortify '"unknown"'
  jq -e '.fortify_note | test("no __\\*_chk functions")' <<<"$json"
  # Another machine's program is not compared with this libc.
  harden "$C/fortify-aarch64"
  expect fortify '"unknown"'
  jq -e '.fortify_note | test("aarch64")' <<<"$json"
}

# --- CET, TEXTREL, UPX ------------------------------------------------------------------

@test "IBT/SHSTK from the GNU property note; none off x86" {
  readelf -nW "$C/hello-cet" | grep -q 'x86 feature: IBT, SHSTK'
  harden "$C/hello-cet"
  expect ibt true
  expect shstk true
  harden "$C/hello-pie"
  expect ibt false
  expect shstk false
  harden "$C/hello-aarch64"
  expect ibt null
  expect shstk null
  run -0 "$CANRUN" harden --require ibt,shstk "$C/hello-cet"
  run -4 "$CANRUN" harden --require ibt "$C/hello-pie"
}

@test "TEXTREL and UPX" {
  readelf -d "$C/libtextrel.so" | grep -q TEXTREL
  harden "$C/libtextrel.so"
  expect textrel true
  expect pie '"dso"'
  harden "$C/hello-pie"
  expect textrel false
  expect upx false
  run -4 "$CANRUN" harden --require no-textrel "$C/libtextrel.so"
  [[ "$output" == *"TEXTREL: relocations patch the code"* ]]
  harden "$C/upx-banner"
  expect upx true
  run -4 "$CANRUN" harden --require no-upx "$C/upx-banner"
}

# --- --require ---------------------------------------------------------------------------

@test "--require: exit 0 when met, 4 when not, with the unmet list" {
  run -0 "$CANRUN" harden --require full-relro,pie,nx "$C/hello-bindnow"
  run --separate-stderr "$CANRUN" harden --json --require full-relro,pie,nx "$C/hello-bindnow" "$C/hello-pie"
  [ "$status" -eq 4 ]
  jq -e '.require == ["full-relro","pie","nx"]' <<<"$output"
  jq -e '.files[0].unmet == [] and .files[1].unmet == ["full-relro"]' <<<"$output"
  run -4 "$CANRUN" harden --require full-relro "$C/hello-pie"
  [[ "$output" == *"unmet   $C/hello-pie: --require full-relro: RELRO is partial"* ]]
  # Without --require, no "unmet" key and exit 0.
  run -0 "$CANRUN" harden --json "$C/hello-pie"
  jq -e '.files[0] | has("unmet") | not' <<<"$output"
}

@test "--require: Go meets canary by design, static-pie and shared objects meet pie" {
  run -0 "$CANRUN" harden --require canary "$GO/ginserver-nocgo"
  run -0 "$CANRUN" harden --require pie "$C/hello-static-pie" "$C/libgreet.so"
  run -4 "$CANRUN" harden --require pie "$C/hello-nopie"
  run -4 "$CANRUN" harden --require canary "$C/hello-static-stripped"
  run -4 "$CANRUN" harden --require nx "$C/hello-execstack"
  run -0 "$CANRUN" harden --require relro,no-rpath,no-runpath "$C/hello-pie"
  run -4 "$CANRUN" harden --require no-rpath "$C/uses-rpath-origin"
  run -4 "$CANRUN" harden --require no-runpath "$C/uses-runpath"
  run -4 "$CANRUN" harden --require fortify "$C/fortify-partial"
  run -0 "$CANRUN" harden --require fortify "$C/fortify-full" "$C/hello-pie"
}

@test "--require: an unknown name is a usage error naming the valid ones" {
  run --separate-stderr "$CANRUN" harden --require full-relro,bogus "$C/hello-pie"
  [ "$status" -eq 64 ]
  [ -z "$output" ]
  [ "$(wc -l <<<"$stderr")" -eq 1 ]
  [[ "$stderr" == "canrun: --require: unknown property 'bogus'; valid: full-relro, relro, pie, nx, canary, fortify, no-rpath, no-runpath, safe-rpath, no-textrel, ibt, shstk, no-upx" ]]
  run --separate-stderr "$CANRUN" harden --require "" "$C/hello-pie"
  [ "$status" -eq 64 ]
}

# --- errors, JSON, text, colour -------------------------------------------------------------

@test "unreadable files: exit 2, one stderr line each, valid JSON in every mode" {
  printf 'not an elf\n' >"$tmp/text"
  : >"$tmp/empty"
  head -c 100 "$C/hello-pie" >"$tmp/truncated"
  for mode in "" "--require full-relro" "--require pie" "--target $tmp"; do
    # shellcheck disable=SC2086 # a mode is zero or more words
    run --separate-stderr "$CANRUN" harden --json $mode "$C/hello-pie" "$tmp/text" "$tmp/missing" \
      "$tmp/empty" "$tmp/truncated" "$tmp"
    [ "$status" -eq 2 ]
    jq -e '.files | length == 6' <<<"$output"
    jq -e '.files[0].relro == "partial" and ([.files[1:][] | has("error")] | all)' <<<"$output"
    [ "$(wc -l <<<"$stderr")" -eq 5 ]
  done
  run --separate-stderr "$CANRUN" harden "$tmp/missing"
  [ "$status" -eq 2 ]
  [ "$stderr" = "canrun: $tmp/missing: No such file or directory" ]
  [ -z "$output" ]
}

@test "every fixture gives one valid JSON object and a text row, and never crashes" {
  files=()
  for f in "$C"/* "$GO"/ginserver-*; do [ -f "$f" ] && files+=("$f"); done
  [ "${#files[@]}" -gt 40 ]
  run --separate-stderr "$CANRUN" harden --json "${files[@]}"
  [ "$status" -eq 0 ]
  jq -e --argjson n "${#files[@]}" '.files | length == $n and (map(has("relro") and has("canary")) | all)' <<<"$output"
  run -0 "$CANRUN" harden "${files[@]}"
  [ "$(grep -c '' <<<"$output")" -gt "${#files[@]}" ]
  [[ "${lines[0]}" == "RELRO   CANARY  NX  PIE        RPATH  RUNPATH FORTIFY       CET       FILE" ]]
}

@test "--target: a profile has no files (64), a missing root or image cannot be read (2)" {
  run --separate-stderr "$CANRUN" harden --target debian-12 "$C/hello-pie"
  [ "$status" -eq 64 ]
  [ "$(wc -l <<<"$stderr")" -eq 1 ]
  [[ "$stderr" == "canrun: --target debian-12 is a profile"* ]]
  run --separate-stderr "$CANRUN" harden --target "$tmp/nonexistent/" "$C/hello-pie"
  [ "$status" -eq 2 ]
  run --separate-stderr "$CANRUN" harden --target "image:$tmp/nonexistent.tar" "$C/hello-pie"
  [ "$status" -eq 2 ]
  [ "$(wc -l <<<"$stderr")" -eq 1 ]
}

@test "--target image:FILE reads the image's libc (with CANRUN_IMAGES from tests/images)" {
  [ -n "${CANRUN_IMAGES:-}" ] || skip "CANRUN_IMAGES is not set"
  run -0 "$CANRUN" harden --json --target "image:$CANRUN_IMAGES/bookworm-docker.tar" "$C/fortify-partial"
  jq -e '(.libc | startswith("/lib/x86_64-linux-gnu/libc.so.6 in image:")) and .files[0].fortify == "partial"' <<<"$output"
}

@test "usage: --help, no file, a bad option" {
  run -0 "$CANRUN" harden --help
  [[ "$output" == *"--require LIST"* ]]
  run -64 "$CANRUN" harden
  run -64 "$CANRUN" harden --bogus "$C/hello-pie"
  run -64 "$CANRUN" harden --color=sometimes "$C/hello-pie"
}

@test "control bytes in a path are shown escaped, never sent to the terminal" {
  name=$tmp/evil$'\033'"[31mname"
  cp "$C/rpath-relative" "$name"
  run -0 "$CANRUN" harden "$name"
  [[ "$output" != *$'\033'* ]]
  [[ "$output" == *'evil\x1b[31mname'* ]]
}

@test "colour only when asked or on a terminal, never with NO_COLOR" {
  run -0 "$CANRUN" harden "$C/hello-pie"
  [[ "$output" != *$'\033['* ]]
  run -0 "$CANRUN" harden --color=always "$C/hello-pie"
  [[ "$output" == *$'\033['* ]]
  run script -qec "$CANRUN harden $C/hello-pie" /dev/null
  [[ "$output" == *$'\033['* ]]
  run env NO_COLOR=1 script -qec "$CANRUN harden $C/hello-pie" /dev/null
  [[ "$output" != *$'\033['* ]]
}
