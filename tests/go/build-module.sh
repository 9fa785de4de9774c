#!/usr/bin/env bash
# Builds a small module-mode Go program with two dependencies, each replaced
# by a local module (=> lines in its build info), offline. Debian's packages
# build in GOPATH mode, which records no deps; this covers the rest of the
# build-info grammar. Usage: build-module.sh OUTDIR
set -euo pipefail
out=$(mkdir -p "$1" && cd "$1" && pwd)
[ -x "$out/modapp" ] && [ -x "$out/modapp-trimpath" ] && [ -x "$out/modcgo" ] && [ -x "$out/modsum" ] && exit 0
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
# A dependency that is not replaced, so its build info line carries a
# go.sum hash (and the program is stripped, -s -w). It is served by a module
# proxy in a local directory (the GOPROXY protocol's layout), checked
# against no checksum database.
mkdir -p "$src/proxy/example.com/sum/@v" "$src/sumapp"
python3 - "$src/proxy/example.com/sum/@v" <<'PY'
import sys, zipfile
at = sys.argv[1]
mod = "module example.com/sum\n\ngo 1.19\n"
files = {"go.mod": mod, "sum.go": "package sum\n\nfunc Add(a, b int) int { return a + b }\n"}
open(f"{at}/list", "w").write("v1.0.0\n")
open(f"{at}/v1.0.0.info", "w").write('{"Version":"v1.0.0","Time":"2023-01-01T00:00:00Z"}\n')
open(f"{at}/v1.0.0.mod", "w").write(mod)
with zipfile.ZipFile(f"{at}/v1.0.0.zip", "w") as z:
    for name, text in files.items():
        z.writestr(f"example.com/sum@v1.0.0/{name}", text)
PY
cat > "$src/sumapp/go.mod" <<'MOD'
module example.com/sumapp

go 1.19

require example.com/sum v1.0.0
MOD
cat > "$src/sumapp/main.go" <<'GO'
package main

import (
	"fmt"

	"example.com/sum"
)

func main() { fmt.Println(sum.Add(1, 2)) }
GO
export GOPROXY=off GOFLAGS="-mod=mod -modcacherw" GO111MODULE=on GOPATH="$src/gopath" GOCACHE="${GOCACHE:-$out/../go-cache}"
(cd "$src/app" && go build -o "$out/modapp" . && go build -trimpath -ldflags='-s -w' -o "$out/modapp-trimpath" .)
(cd "$src/cgoapp" && CGO_ENABLED=1 go build -o "$out/modcgo" .)
(cd "$src/sumapp" && GOPROXY="file://$src/proxy" GOSUMDB=off go build -ldflags='-s -w' -o "$out/modsum" .)
echo "built $out/modapp $out/modapp-trimpath $out/modcgo $out/modsum"
