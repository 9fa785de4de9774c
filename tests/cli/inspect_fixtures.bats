#!/usr/bin/env bats
# shellcheck disable=SC2016 # '$ORIGIN' is a literal expected in the output
# `canrun inspect --json` on every fixture of tests/fixtures/README.md.
#
# Each fixture is checked twice: against what its build guarantees (the
# values written out below) and against an independent reading of the same
# file by readelf, `go version -m` and `go tool buildid`. Nothing expected is
# taken from canrun itself.
#
# CANRUN is the binary under test; FIXTURES holds c/ (tests/fixtures/build-c.sh)
# and go/ (examples/ginserver/build.sh). Both are built before the tests run,
# so a missing fixture is a failure, not a skip.

bats_require_minimum_version 1.5.0
load file_json

CANRUN=${CANRUN:-$BATS_TEST_DIRNAME/../../build/canrun}
FIXTURES=${FIXTURES:-$BATS_TEST_DIRNAME/../../build/fixtures}
C=$FIXTURES/c
GO=$FIXTURES/go
LD_X86_64=/lib64/ld-linux-x86-64.so.2

setup() {
  [ -x "$CANRUN" ] || { echo "CANRUN=$CANRUN is not an executable"; return 1; }
  command -v jq >/dev/null || { echo "jq is required"; return 1; }
  command -v readelf >/dev/null || { echo "readelf is required"; return 1; }
}

# --- running canrun ------------------------------------------------------------

# inspect FILE: runs canrun on FILE, which must be read; sets $json to its
# object and $file to FILE. (bats' run --separate-stderr sets $stderr.)
inspect() {
  file=$1
  [ -e "$file" ] || { echo "missing fixture $file: build the fixtures first"; return 1; }
  run --separate-stderr "$CANRUN" inspect --json "$file"
  if [ "$status" -ne 0 ]; then
    echo "canrun inspect --json $file exited $status; stderr: $stderr"
    return 1
  fi
  take_single
}

# expect_set KEY JSON-ARRAY: as expect, ignoring order.
expect_set() {
  local want got
  want=$(jq -cS 'sort' <<<"$2")
  got=$(jq -cS --arg k "$1" 'getpath($k | split(".")) | if type == "array" then sort else . end' <<<"$json")
  if [ "$want" != "$got" ]; then
    echo "$file: $1: want (in any order) $want, got $got"
    return 1
  fi
}

# expect_match KEY REGEX: canrun's KEY is a string matching the ERE.
expect_match() {
  local got
  got=$(jq -r --arg k "$1" 'getpath($k | split(".")) | strings' <<<"$json")
  if ! [[ $got =~ $2 ]]; then
    echo "$file: $1: want a string matching /$2/, got $(jq -c --arg k "$1" 'getpath($k | split("."))' <<<"$json")"
    return 1
  fi
}

# --- the independent reading ---------------------------------------------------

# readelf_facts FILE: prints a JSON object with what readelf and the Go tools
# say about FILE, under canrun's key names (tests/cli/readelf_facts.py). Keys
# it cannot decide are left out.
readelf_facts() {
  python3 "$BATS_TEST_DIRNAME/readelf_facts.py" "$1"
}

# agrees_with_readelf [KEY...]: every fact of readelf_facts about $file equals
# canrun's, except the KEYs named. Lists whose order means nothing (version
# tables) are compared sorted; needed, rpath and runpath keep their order.
agrees_with_readelf() {
  local facts diff
  facts=$(readelf_facts "$file")
  diff=$(jq -nr --argjson got "$json" --argjson want "$facts" '
    def sorted: if type == "array" then sort else . end;
    def vn: if type == "array" then
              map({file, versions: (.versions | map({name, weak, symbols: (.symbols | sorted)}) | sort_by(.name))})
              | sort_by(.file)
            else . end;
    def osabi_ok(s; g):
      if s == "UNIX - System V" then (g | test("^(sysv|system v|unix - system v|none)$"; "i"))
      elif s == "UNIX - GNU" then (g | test("gnu|linux"; "i"))
      else g == s end;
    $ARGS.positional as $skip
    | $want | to_entries[]
    | select(.key as $k | ($skip | index($k)) == null and $k != "version_base")
    | .key as $k | .value as $w
    | (if $k == "version_needs" then [($got[$k] | vn), ($w | vn)]
       elif $k == "version_defs" then
         [(if ($got[$k] | type) == "array" then $got[$k] - [$want.version_base] | sort else $got[$k] end),
          ($w | sort)]
       elif $k == "max_glibc_symbols" then [($got[$k] | sorted), ($w | sort)]
       # GNU tools call the lowest level "x86-64-baseline", Go and others v1.
       elif $k == "x86_isa_needed" and $w == "x86-64-baseline" and $got[$k] == "x86-64-v1" then [$w, $w]
       else [$got[$k], $w] end) as [$g, $e]
    | if $k == "osabi" then
        (if ($g | type) == "string" and osabi_ok($e; $g) then empty
         else "osabi: readelf says \($e | tojson), canrun \($g | tojson)" end)
      elif $g == $e then empty
      else "\($k): readelf says \($e | tojson), canrun \($g | tojson)" end
  ' --args "$@")
  if [ -n "$diff" ]; then
    echo "$file disagrees with readelf:"
    echo "$diff"
    return 1
  fi
}

# go_fixture VARIANT: inspect ginserver-VARIANT and check the facts every Go
# variant shares.
go_fixture() {
  inspect "$GO/ginserver-$1"
  agrees_with_readelf "${@:2}"
  # Computed here rather than trusted to readelf_facts: the version must be
  # the one `go version -m` prints, and is never hard-coded.
  local v
  v=$(go version -m "$file" | sed -n '1s/^.*: \(go[0-9][^ ]*\)$/\1/p')
  [ -n "$v" ] || { echo "go version -m cannot read $file"; return 1; }
  expect go_version "\"$v\""
  expect go_build_id "$(go tool buildid "$file" | jq -R .)"
  expect_match go_build_id '^[A-Za-z0-9_-]+/[A-Za-z0-9_-]+/[A-Za-z0-9_-]+/[A-Za-z0-9_-]+$'
}

# --- the kinds of x86-64 glibc program ------------------------------------------

@test "hello-pie: gcc's default dynamic PIE" {
  inspect "$C/hello-pie"
  agrees_with_readelf
  expect class 64
  expect endian '"little"'
  expect machine '"x86_64"'
  expect type '"DYN"'
  expect kind '"dynamic-pie"'
  expect interpreter "\"$LD_X86_64\""
  expect needed '["libc.so.6"]'
  expect soname null
  expect rpath '[]'
  expect runpath '[]'
  expect max_glibc '"2.34"'
  expect max_glibc_symbols '["__libc_start_main"]'
  expect min_kernel '"3.2.0"'
  expect_match x86_isa_needed '^x86-64-(baseline|v1)$'
  expect cet '{"ibt": false, "shstk": false}'
  expect exec_stack false
  expect bind_now false
  expect_match build_id '^[0-9a-f]{40}$'
  expect go_version null
  expect go_build_id null
  expect_match osabi '^(sysv|SYSV|SysV|System V|UNIX - System V|none|NONE)$'
}

@test "hello-nopie: ET_EXEC with an interpreter" {
  inspect "$C/hello-nopie"
  agrees_with_readelf
  expect type '"EXEC"'
  expect kind '"dynamic-non-pie"'
  expect interpreter "\"$LD_X86_64\""
  expect needed '["libc.so.6"]'
}

@test "hello-static: no interpreter, no dynamic section" {
  inspect "$C/hello-static"
  agrees_with_readelf
  expect type '"EXEC"'
  expect kind '"static"'
  expect interpreter null
  expect needed '[]'
  expect version_needs '[]'
  expect max_glibc null
  expect max_glibc_symbols '[]'
  expect min_kernel '"3.2.0"'
  # glibc's IFUNCs make ld mark a static glibc program ELFOSABI_GNU.
  expect_match osabi '[Gg][Nn][Uu]|[Ll]inux'
}

@test "hello-static-pie: ET_DYN without an interpreter" {
  inspect "$C/hello-static-pie"
  agrees_with_readelf
  expect type '"DYN"'
  expect kind '"static-pie"'
  expect interpreter null
  expect needed '[]'
  expect soname null
}

@test "hello.o: a relocatable object is not a program" {
  inspect "$C/hello.o"
  agrees_with_readelf
  expect type '"REL"'
  expect kind '"relocatable"'
  expect interpreter null
  expect needed '[]'
  expect build_id null
}

# --- hardening and ISA markers --------------------------------------------------

@test "hello-execstack: PT_GNU_STACK is executable" {
  inspect "$C/hello-execstack"
  agrees_with_readelf
  expect exec_stack true
  expect bind_now false
}

@test "hello-bindnow: DT_FLAGS BIND_NOW" {
  inspect "$C/hello-bindnow"
  agrees_with_readelf
  expect bind_now true
  expect exec_stack false
}

@test "hello-x86-64-v3: the GNU property names x86-64-v3" {
  inspect "$C/hello-x86-64-v3"
  agrees_with_readelf
  expect x86_isa_needed '"x86-64-v3"'
  expect kind '"dynamic-pie"'
}

@test "hello-cet: IBT and SHSTK marked" {
  inspect "$C/hello-cet"
  agrees_with_readelf
  expect cet.ibt true
  expect cet.shstk true
  expect_match x86_isa_needed '^x86-64-(baseline|v1)$'
}

# --- glibc symbol versions -------------------------------------------------------

@test "needs-glibc-2.34: closefrom@GLIBC_2.34" {
  inspect "$C/needs-glibc-2.34"
  agrees_with_readelf
  expect max_glibc '"2.34"'
  expect_set max_glibc_symbols '["__libc_start_main", "closefrom"]'
  run jq -ce '.version_needs[] | select(.file == "libc.so.6") | .versions[] | select(.name == "GLIBC_2.34")
    | .symbols | index("closefrom") != null' <<<"$json"
  [ "$status" -eq 0 ] || { echo "closefrom not listed under libc.so.6 GLIBC_2.34: $json"; false; }
}

@test "needs-glibc-2.36: the newest version wins" {
  inspect "$C/needs-glibc-2.36"
  agrees_with_readelf
  expect max_glibc '"2.36"'
  expect max_glibc_symbols '["arc4random"]'
  run jq -ce '[.version_needs[] | select(.file == "libc.so.6") | .versions[].name] | sort
    == ["GLIBC_2.2.5", "GLIBC_2.34", "GLIBC_2.36"]' <<<"$json"
  [ "$status" -eq 0 ] || { echo "libc.so.6 version needs wrong: $json"; false; }
}

# --- libraries and search paths ------------------------------------------------

@test "libgreet.so: SONAME and version definition" {
  inspect "$C/libgreet.so"
  agrees_with_readelf
  expect type '"DYN"'
  expect kind '"shared-library"'
  expect interpreter null
  expect soname '"libgreet.so.1"'
  run jq -ce '[.version_defs[] | select(. != "libgreet.so.1")] == ["GREET_1.0"]' <<<"$json"
  [ "$status" -eq 0 ] || { echo "version_defs should hold GREET_1.0 (and at most the base name): $json"; false; }
}

@test "lib/libgreet.so.1: the copy the programs load" {
  inspect "$C/lib/libgreet.so.1"
  agrees_with_readelf
  expect kind '"shared-library"'
  expect soname '"libgreet.so.1"'
}

@test "uses-rpath-origin: DT_RPATH \$ORIGIN/lib" {
  inspect "$C/uses-rpath-origin"
  agrees_with_readelf
  expect needed '["libgreet.so.1", "libc.so.6"]'
  expect rpath '["$ORIGIN/lib"]'
  expect runpath '[]'
  run jq -ce '.version_needs[] | select(.file == "libgreet.so.1") | .versions
    == [{"name": "GREET_1.0", "weak": false, "symbols": ["greet"]}]' <<<"$json"
  [ "$status" -eq 0 ] || { echo "want GREET_1.0 (greet) needed from libgreet.so.1: $json"; false; }
}

@test "uses-runpath: DT_RUNPATH split on ':'" {
  inspect "$C/uses-runpath"
  agrees_with_readelf
  expect needed '["libgreet.so.1", "libc.so.6"]'
  expect rpath '[]'
  expect runpath '["$ORIGIN/lib", "/nonexistent/canrun/lib"]'
}

@test "needs-missing-lib: DT_NEEDED on a library that exists nowhere" {
  inspect "$C/needs-missing-lib"
  agrees_with_readelf
  expect needed '["libcanrun-vanished.so.1", "libc.so.6"]'
  run jq -ce '[.version_needs[].file] | sort == ["libc.so.6", "libcanrun-vanished.so.1"]' <<<"$json"
  [ "$status" -eq 0 ] || { echo "want version needs on both libraries: $json"; false; }
}

# --- musl and foreign architectures -------------------------------------------

@test "hello-musl: musl's loader and libc.so" {
  inspect "$C/hello-musl"
  agrees_with_readelf
  expect kind '"dynamic-pie"'
  expect interpreter '"/lib/ld-musl-x86_64.so.1"'
  expect needed '["libc.so"]'
  expect version_needs '[]'
  expect max_glibc null
  expect min_kernel null
  expect build_id null
}

@test "hello-musl-static: static without glibc" {
  inspect "$C/hello-musl-static"
  agrees_with_readelf
  expect kind '"static"'
  expect interpreter null
  expect needed '[]'
  expect min_kernel null
  expect max_glibc null
}

@test "hello-aarch64: a foreign glibc program" {
  inspect "$C/hello-aarch64"
  agrees_with_readelf
  expect class 64
  expect endian '"little"'
  expect machine '"aarch64"'
  expect kind '"dynamic-pie"'
  expect interpreter '"/lib/ld-linux-aarch64.so.1"'
  expect needed '["libc.so.6"]'
  expect max_glibc '"2.34"'
  expect min_kernel '"3.7.0"'
  expect x86_isa_needed null
  expect cet '{"ibt": false, "shstk": false}'
}

# tiny_static NAME CLASS ENDIAN MACHINE BUILD-ID-HEX-DIGITS
tiny_static() {
  inspect "$C/$1"
  agrees_with_readelf
  expect class "$2"
  expect endian "\"$3\""
  expect machine "\"$4\""
  expect type '"EXEC"'
  expect kind '"static"'
  expect interpreter null
  expect needed '[]'
  expect version_needs '[]'
  expect_match build_id "^[0-9a-f]{$5}\$"
}

@test "tiny-i386: 32-bit little-endian" { tiny_static tiny-i386 32 little i386 16; }
@test "tiny-arm32: 32-bit ARM" { tiny_static tiny-arm32 32 little arm 16; }
@test "tiny-ppc32be: 32-bit big-endian" { tiny_static tiny-ppc32be 32 big ppc 16; }
@test "tiny-ppc64be: 64-bit big-endian PowerPC" { tiny_static tiny-ppc64be 64 big ppc64 16; }
@test "tiny-ppc64le: little-endian PowerPC64" { tiny_static tiny-ppc64le 64 little ppc64le 16; }
@test "tiny-riscv64: RISC-V" { tiny_static tiny-riscv64 64 little riscv64 16; }
@test "tiny-s390x: 64-bit big-endian" { tiny_static tiny-s390x 64 big s390x 40; }

# tiny_dyn ARCH CLASS ENDIAN MACHINE INTERPRETER: the libc-free dynamic pair.
tiny_dyn() {
  local lib=libtiny-$1.so.1
  inspect "$C/tiny-$1-dyn"
  agrees_with_readelf
  expect class "$2"
  expect endian "\"$3\""
  expect machine "\"$4\""
  expect type '"EXEC"'
  expect kind '"dynamic-non-pie"'
  expect interpreter "\"$5\""
  expect needed "[\"$lib\"]"
  expect rpath '[]'
  expect runpath '["$ORIGIN"]'
  expect version_needs "[{\"file\": \"$lib\", \"versions\": [{\"name\": \"TINY_1.0\", \"weak\": false, \"symbols\": [\"tiny_answer\"]}]}]"
  expect max_glibc null

  inspect "$C/$lib"
  agrees_with_readelf
  expect class "$2"
  expect endian "\"$3\""
  expect machine "\"$4\""
  expect kind '"shared-library"'
  expect soname "\"$lib\""
  expect needed '[]'
  run jq -ce --arg base "$lib" '[.version_defs[] | select(. != $base)] == ["TINY_1.0"]' <<<"$json"
  [ "$status" -eq 0 ] || { echo "version_defs should hold TINY_1.0 (and at most the base name): $json"; false; }
}

@test "tiny-s390x-dyn: big-endian 64-bit dynamic section and version tables" {
  tiny_dyn s390x 64 big s390x /lib/ld64.so.1
}

@test "tiny-ppc32be-dyn: big-endian 32-bit dynamic section and version tables" {
  tiny_dyn ppc32be 32 big ppc /lib/ld.so.1
}

@test "tiny-i386-dyn: little-endian 32-bit dynamic section and version tables" {
  tiny_dyn i386 32 little i386 /lib/ld-linux.so.2
}

# --- the marker pair --------------------------------------------------------------

@test "marker-interp: a libc-free static-pie" {
  inspect "$C/marker-interp"
  agrees_with_readelf
  expect kind '"static-pie"'
  expect interpreter null
  expect needed '[]'
}

@test "uses-marker-interp: PT_INTERP is the marker program" {
  inspect "$C/uses-marker-interp"
  agrees_with_readelf
  expect kind '"dynamic-pie"'
  expect_match interpreter '^/.*/marker-interp$'
  local real
  real=$(realpath "$C/marker-interp")
  run jq -r .interpreter <<<"$json"
  [ "$(realpath "$output")" = "$real" ] || { echo "interpreter $output is not $real"; false; }
}

@test "canrun never executes what it inspects" {
  local default
  default=/tmp/canrun-marker-$(id -u)
  export CANRUN_MARKER=$BATS_TEST_TMPDIR/marker
  [ -e "$C/uses-marker-interp" ] || { echo "missing fixture $C/uses-marker-interp"; false; }

  # The fixture works: running it creates the marker, so this test can fail.
  "$C/uses-marker-interp"
  [ -e "$CANRUN_MARKER" ] || { echo "running uses-marker-interp did not create the marker"; false; }
  rm -f "$CANRUN_MARKER" "$default"

  run "$CANRUN" inspect --json "$C/uses-marker-interp" "$C/marker-interp"
  # The default path catches a canrun that runs it with a cleaned environment.
  [ ! -e "$CANRUN_MARKER" ] && [ ! -e "$default" ] || { echo "canrun inspect executed its input"; false; }
  [ "$status" -eq 0 ]
}

# --- Go --------------------------------------------------------------------------

@test "ginserver-cgo: Go's internal linker, dynamic against glibc" {
  go_fixture cgo
  expect type '"EXEC"'
  expect kind '"dynamic-non-pie"'
  expect interpreter "\"$LD_X86_64\""
  run jq -e '.needed | index("libc.so.6") != null' <<<"$json"
  [ "$status" -eq 0 ] || { echo "libc.so.6 not needed: $json"; false; }
  expect_match max_glibc '^2\.[0-9]+$'
  expect class 64
  expect machine '"x86_64"'
}

@test "ginserver-nocgo: static" {
  go_fixture nocgo
  expect kind '"static"'
  expect interpreter null
  expect needed '[]'
  expect version_needs '[]'
  expect max_glibc null
  expect build_id null
}

@test "ginserver-static-netgo: static glibc through the system linker" {
  go_fixture static-netgo
  expect type '"EXEC"'
  expect kind '"static"'
  expect interpreter null
  expect needed '[]'
  expect min_kernel '"3.2.0"'
  expect_match build_id '^[0-9a-f]{40}$'
}

@test "ginserver-musl: dynamic against musl" {
  go_fixture musl
  expect kind '"dynamic-non-pie"'
  expect interpreter '"/lib/ld-musl-x86_64.so.1"'
  expect needed '["libc.so"]'
  expect version_needs '[]'
  expect max_glibc null
}

@test "ginserver-pie: -buildmode=pie" {
  go_fixture pie
  expect type '"DYN"'
  expect kind '"dynamic-pie"'
  expect interpreter "\"$LD_X86_64\""
  run jq -e '.needed | index("libc.so.6") != null' <<<"$json"
  [ "$status" -eq 0 ] || { echo "libc.so.6 not needed: $json"; false; }
}

@test "ginserver-stripped: build info survives -s -w" {
  go_fixture stripped
  expect kind '"dynamic-non-pie"'
  expect interpreter "\"$LD_X86_64\""
}

@test "ginserver-amd64v3: GOAMD64=v3" {
  # Go writes no ISA note, so readelf knows no level; canrun may still learn
  # x86-64-v3 from the Go build info, but nothing lower.
  go_fixture amd64v3 x86_isa_needed
  expect kind '"dynamic-non-pie"'
  run jq -e '.x86_isa_needed == null or .x86_isa_needed == "x86-64-v3"' <<<"$json"
  [ "$status" -eq 0 ] || { echo "x86_isa_needed must be null or x86-64-v3: $json"; false; }
}

@test "ginserver-arm64: static aarch64" {
  go_fixture arm64
  expect class 64
  expect endian '"little"'
  expect machine '"aarch64"'
  expect kind '"static"'
  expect interpreter null
}

@test "ginserver-386: static i386" {
  go_fixture 386
  expect class 32
  expect endian '"little"'
  expect machine '"i386"'
  expect kind '"static"'
  expect interpreter null
}

@test "ginserver-s390x: static big-endian s390x" {
  go_fixture s390x
  expect class 64
  expect endian '"big"'
  expect machine '"s390x"'
  expect kind '"static"'
  expect interpreter null
}

# --- several files, the schema, errors and usage ----------------------------------

# Every ELF fixture, C and Go.
all_fixtures() {
  find "$C" "$GO" -type f ! -name config.yaml | LC_ALL=C sort
}

@test "all fixtures at once: one object per file, in order, with the full schema" {
  local -a files
  mapfile -t files < <(all_fixtures)
  [ "${#files[@]}" -ge 40 ] || { echo "only ${#files[@]} fixtures under $FIXTURES"; false; }
  run --separate-stderr "$CANRUN" inspect --json "${files[@]}"
  [ "$status" -eq 0 ] || { echo "exit $status: $stderr"; false; }
  run jq -ce --args '
    def strs: type == "array" and all(.[]; type == "string");
    def str_or_null: type == "string" or type == "null";
    [.files[].path] == $ARGS.positional
    and (.files | all(.[]; . as $f
      | all("path", "class", "endian", "machine", "osabi", "type", "kind",
        "interpreter", "needed", "soname", "rpath", "runpath", "version_needs",
        "version_defs", "max_glibc", "max_glibc_symbols", "min_kernel", "x86_isa_needed",
        "cet", "exec_stack", "bind_now", "build_id", "go_build_id", "go_version"; . as $k | $f | has($k))
      and (has("error") | not)
      and (.class == 32 or .class == 64)
      and (.endian == "little" or .endian == "big")
      and (.machine | type == "string")
      and (.osabi | type == "string")
      and ([.type] | inside(["EXEC", "DYN", "REL", "CORE"]))
      and ([.kind] | inside(["static", "static-pie", "dynamic-pie", "dynamic-non-pie",
                             "shared-library", "relocatable", "core"]))
      and (.interpreter | str_or_null) and (.soname | str_or_null)
      and (.needed | strs) and (.rpath | strs) and (.runpath | strs)
      and (.version_defs | strs) and (.max_glibc_symbols | strs)
      and (.version_needs | type == "array" and all(.[];
            (.file | type == "string") and (.versions | type == "array" and all(.[];
              (.name | type == "string") and (.weak | type == "boolean") and (.symbols | strs)))))
      and (.max_glibc | str_or_null) and (.min_kernel | str_or_null)
      and (.x86_isa_needed | str_or_null)
      and (.cet | type == "object" and (.ibt | type == "boolean") and (.shstk | type == "boolean"))
      # An object file has no PT_GNU_STACK, so it may leave exec_stack open.
      and ((.exec_stack | type == "boolean") or (.type == "REL" and .exec_stack == null))
      and (.bind_now | type == "boolean")
      and (.build_id == null or (.build_id | test("^[0-9a-f]+$")))
      and (.go_build_id | str_or_null) and (.go_version | str_or_null)))
  ' "${files[@]}" <<<"$output"
  [ "$status" -eq 0 ] || { echo "schema or order wrong: $output"; false; }
}

@test "an unreadable file is reported, the others still are, exit 2" {
  local missing=$BATS_TEST_TMPDIR/does-not-exist
  run --separate-stderr "$CANRUN" inspect --json "$C/hello-pie" "$missing" "$GO/ginserver-nocgo"
  [ "$status" -eq 2 ] || { echo "want exit 2, got $status: $output $stderr"; false; }
  run jq -ce --arg a "$C/hello-pie" --arg m "$missing" --arg b "$GO/ginserver-nocgo" '
    (.files | length) == 3
    and .files[0].path == $a and .files[0].kind == "dynamic-pie" and (.files[0] | has("error") | not)
    and .files[1].path == $m and (.files[1].error | type == "string" and length > 0)
    and .files[2].path == $b and .files[2].kind == "static"' <<<"$output"
  [ "$status" -eq 0 ] || { echo "wrong report: $output"; false; }
}

# not_elf PATH: canrun reports PATH as an error with exit 2.
not_elf() {
  run --separate-stderr "$CANRUN" inspect --json "$1"
  [ "$status" -eq 2 ] || { echo "$1: want exit 2, got $status: $output $stderr"; return 1; }
  run jq -ce --arg p "$1" '.files == [.files[0]] and .files[0].path == $p
    and (.files[0].error | type == "string" and length > 0)' <<<"$output"
  [ "$status" -eq 0 ] || { echo "$1: want one {path, error}: $output"; return 1; }
}

@test "a text file is not ELF" {
  not_elf "$GO/config.yaml"
}

@test "a directory is not ELF" {
  not_elf "$C/lib"
}

@test "an empty file is not ELF" {
  : >"$BATS_TEST_TMPDIR/empty"
  not_elf "$BATS_TEST_TMPDIR/empty"
}

@test "an ELF file cut inside its header is unreadable" {
  head -c 40 "$C/hello-pie" >"$BATS_TEST_TMPDIR/truncated"
  not_elf "$BATS_TEST_TMPDIR/truncated"
}

@test "an ELF file cut before its program headers is unreadable" {
  head -c 64 "$C/hello-pie" >"$BATS_TEST_TMPDIR/headers-only"
  not_elf "$BATS_TEST_TMPDIR/headers-only"
}

@test "inspect without a file is a usage error" {
  run --separate-stderr "$CANRUN" inspect --json
  [ "$status" -eq 64 ] || { echo "want 64, got $status"; false; }
}

@test "an unknown option is a usage error" {
  run --separate-stderr "$CANRUN" inspect --json --no-such-option "$C/hello-pie"
  [ "$status" -eq 64 ] || { echo "want 64, got $status"; false; }
}
