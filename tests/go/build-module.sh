#!/usr/bin/env bash
# Builds a small module-mode Go program with two dependencies, each replaced
# by a local module (=> lines in its build info), offline. Debian's packages
# build in GOPATH mode, which records no deps; this covers the rest of the
# build-info grammar. Usage: build-module.sh OUTDIR
set -euo pipefail
out=$(mkdir -p "$1" && cd "$1" && pwd)
[ -x "$out/modapp" ] && [ -x "$out/modapp-trimpath" ] && [ -x "$out/modcgo" ] && exit 0
src=$(mktemp -d)
trap 'rm -rf "$src"' EXIT

mkdir -p "$src/app" "$src/greet" "$src/util"
cat > "$src/greet/go.mod" <<'MOD'
module example.com/greet

go 1.19
MOD
cat > "$src/greet/greet.go" <<'GO'
package greet

func Hello(name string) string { return "hello, " + name }
GO
cat > "$src/util/go.mod" <<'MOD'
module example.com/util

go 1.19
MOD
cat > "$src/util/util.go" <<'GO'
package util

import "strings"

func Shout(s string) string { return strings.ToUpper(s) }
GO
cat > "$src/app/go.mod" <<'MOD'
module example.com/app

go 1.19

require (
	example.com/greet v1.2.3
	example.com/util v0.1.0
)

replace example.com/greet v1.2.3 => ../greet

replace example.com/util => ../util
MOD
cat > "$src/app/main.go" <<'GO'
package main

import (
	"fmt"

	"example.com/greet"
	"example.com/util"
)

func main() { fmt.Println(util.Shout(greet.Hello("module"))) }
GO
# A dependency with C code of its own: it really needs cgo.
mkdir -p "$src/cdep" "$src/cgoapp"
cat > "$src/cdep/go.mod" <<'MOD'
module example.com/cdep

go 1.19
MOD
cat > "$src/cdep/cdep.go" <<'GO'
package cdep

// static int twice(int x) { return 2 * x; }
import "C"

func Twice(x int) int { return int(C.twice(C.int(x))) }
GO
cat > "$src/cgoapp/go.mod" <<'MOD'
module example.com/cgoapp

go 1.19

require example.com/cdep v0.0.0

replace example.com/cdep => ../cdep
MOD
cat > "$src/cgoapp/main.go" <<'GO'
package main

import (
	"fmt"

	"example.com/cdep"
)

func main() { fmt.Println(cdep.Twice(21)) }
GO
export GOPROXY=off GOFLAGS=-mod=mod GO111MODULE=on GOPATH="$src/gopath" GOCACHE="${GOCACHE:-$out/../go-cache}"
(cd "$src/app" && go build -o "$out/modapp" . && go build -trimpath -ldflags='-s -w' -o "$out/modapp-trimpath" .)
(cd "$src/cgoapp" && CGO_ENABLED=1 go build -o "$out/modcgo" .)
echo "built $out/modapp $out/modapp-trimpath $out/modcgo"
