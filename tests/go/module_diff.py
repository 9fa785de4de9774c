#!/usr/bin/env python3
"""Differential test of `canrun module` against the installed `go build`.

Each case is a small tree written here (standard library and local
replacements only, so nothing needs a network). go runs offline with its
caches in a temporary directory (one build cache shared by all cases, since
compiled packages never change whether a build resolves); canrun reads the same tree without running
go. Both must agree on builds/fails, and canrun's findings must contain the
key message go printed.

usage: module_diff.py CANRUN [GO] [--root ROOT --runin RUNIN]

With --root, each case is also built by the Go inside ROOT (a Debian root
with its own go, e.g. Go 1.24), the tree bound onto ROOT/tmp in a private
mount namespace and go run there by canrun-runin; canrun then judges for
that Go (--go-version) and the verdicts must agree.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

MAIN = 'package main\n\nimport (\n\t"fmt"\n%s)\n\nfunc main() {\n\tfmt.Println("hi")\n%s}\n'
LIB = 'package lib\n\nfunc X() {}\n'


def write(root, files):
    for rel, text in files.items():
        p = os.path.join(root, rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "w") as f:
            f.write(text)


def main_go(uses_lib):
    return MAIN % (('\t"example.com/lib"\n', '\tlib.X()\n') if uses_lib else ("", ""))


LIBMOD = {"lib/go.mod": "module example.com/lib\n\ngo 1.16\n", "lib/lib.go": LIB}
REQ = "require example.com/lib v1.0.0\n"
REP = "replace example.com/lib => ../lib\n"
VENDOR_TXT = "# example.com/lib v1.0.0 => ../lib\n## explicit; go 1.16\nexample.com/lib\n# example.com/lib => ../lib\n"
VENDORED = {"app/vendor/example.com/lib/lib.go": LIB}

# name: (files, dir (under the tree), env overrides, key message go prints or None)
CASES = {
    "stdlib-only": ({"app/go.mod": "module example.com/app\n\ngo 1.19\n", "app/main.go": main_go(False)},
                    "app", {}, None),
    "local-replace": (dict(LIBMOD, **{"app/go.mod": "module example.com/app\n\ngo 1.19\n\n" + REQ + REP,
                                      "app/main.go": main_go(True)}), "app", {}, None),
    "vendor-consistent": (dict(VENDORED, **{"app/go.mod": "module example.com/app\n\ngo 1.19\n\n" + REQ + REP,
                                            "app/main.go": main_go(True), "app/vendor/modules.txt": VENDOR_TXT}),
                          "app", {}, None),
    "vendor-not-explicit": (dict(VENDORED, **{"app/go.mod": "module example.com/app\n\ngo 1.19\n\n" + REQ + REP,
                                              "app/main.go": main_go(True),
                                              "app/vendor/modules.txt": VENDOR_TXT.replace("## explicit; go 1.16\n", "")}),
                            "app", {}, "is explicitly required in go.mod, but not marked as explicit in vendor/modules.txt"),
    "vendor-version-mismatch": (dict(VENDORED, **{"app/go.mod": "module example.com/app\n\ngo 1.19\n\n"
                                                  + REQ.replace("v1.0.0", "v1.1.0") + REP,
                                                  "app/main.go": main_go(True), "app/vendor/modules.txt": VENDOR_TXT}),
                                "app", {}, "inconsistent vendoring"),
    "vendor-replace-differs": (dict(VENDORED, **{"app/go.mod": "module example.com/app\n\ngo 1.19\n\n" + REQ
                                                 + REP.replace("../lib", "../lib2"),
                                                 "app/main.go": main_go(True), "app/vendor/modules.txt": VENDOR_TXT}),
                               "app", {}, "is replaced by ../lib2 in go.mod, but marked as replaced by ../lib in vendor/modules.txt"),
    "vendor-ignored-mod-mod": (dict(LIBMOD, **VENDORED, **{"app/go.mod": "module example.com/app\n\ngo 1.19\n\n" + REQ + REP,
                                                           "app/main.go": main_go(True),
                                                           "app/vendor/modules.txt": "# stale\n"}),
                               "app", {"GOFLAGS": "-mod=mod"}, None),
    "gosum-missing": ({"app/go.mod": "module example.com/app\n\ngo 1.19\n\n" + REQ, "app/main.go": main_go(True)},
                      "app", {}, "missing go.sum entry for module providing package example.com/lib"),
    "replace-dir-missing": ({"app/go.mod": "module example.com/app\n\ngo 1.19\n\n" + REQ + REP,
                             "app/main.go": main_go(True)}, "app", {}, "replacement directory ../lib does not exist"),
    "go-too-new": ({"app/go.mod": "module example.com/app\n\ngo 1.99\n", "app/main.go": main_go(False)},
                   "app", {}, None),
    "go-three-part": ({"app/go.mod": "module example.com/app\n\ngo 1.21.0\n", "app/main.go": main_go(False)},
                      "app", {}, "invalid go version '1.21.0': must match format 1.23"),
    "toolchain-line": ({"app/go.mod": "module example.com/app\n\ngo 1.19\n\ntoolchain go1.21.0\n",
                        "app/main.go": main_go(False)}, "app", {}, "unknown directive: toolchain"),
    "gomod-syntax": ({"app/go.mod": "module example.com/app\n\ngo 1.19\n\nrequire (\n\texample.com/lib\n)\n",
                      "app/main.go": main_go(False)}, "app", {}, "usage: require module/path v1.2.3"),
    "gopath-off": ({"gopath/src/example.com/g/main.go": main_go(False)}, "gopath/src/example.com/g",
                   {"GO111MODULE": "off"}, None),
    "gopath-off-import": ({"gopath/src/example.com/g/main.go": main_go(True).replace("example.com/lib", "example.com/nolib").replace("lib.X", "nolib.X")},
                          "gopath/src/example.com/g", {"GO111MODULE": "off"}, 'cannot find package "example.com/nolib"'),
    "auto-no-gomod": ({"app/main.go": main_go(False)}, "app", {"GO111MODULE": "auto"}, None),
    "on-no-gomod": ({"app/main.go": main_go(False)}, "app", {}, "go.mod file not found in current directory or any parent directory"),
}


def root_go(root, runin, tmp, cache, sub, extra):
    """go build inside ROOT on the tree in tmp, seen there as /tmp, with the
    shared build cache bound onto /tmp/cache."""
    envs = dict(HOME="/tmp/home", GOCACHE="/tmp/cache", GOPATH="/tmp/gopath", GOPROXY="off", GOFLAGS="")
    envs.update(extra)
    cmd = [runin]
    for k, v in envs.items():
        cmd += ["-e", "%s=%s" % (k, v)]
    cmd += [root, "/usr/bin/go", "-C", "/tmp/" + sub, "build", "-o", "/dev/null", "."]
    os.makedirs(os.path.join(tmp, "cache"), exist_ok=True)
    script = 'mount --bind "$1" "$3/tmp" && mount --bind "$2" "$3/tmp/cache" && shift 3 && exec "$@"'
    return subprocess.run(["unshare", "-m", "--propagation", "private", "sh", "-c", script, "sh", tmp, cache, root] + cmd,
                          capture_output=True, text=True)


def run_root_case(canrun, root, runin, version, cache, files, sub, extra):
    tmp = tempfile.mkdtemp(prefix="canrun-module-")
    try:
        write(tmp, files)
        g = root_go(root, runin, tmp, cache, sub, extra)
        env = {k: v for k, v in os.environ.items() if not k.startswith("GO") and k != "HOME"}
        env.update(HOME=os.path.join(tmp, "home"), GOPATH=os.path.join(tmp, "gopath"), GOFLAGS="")
        env.update(extra)
        c = subprocess.run([canrun, "module", "--json", "--go-version", version, os.path.join(tmp, sub)],
                           env=env, capture_output=True, text=True)
        doc = json.loads(c.stdout)
        go_builds, cr_builds = g.returncode == 0, c.returncode != 1
        first = g.stderr.strip().splitlines()[-1] if g.stderr.strip() else "ok"
        detail = "go %s: %s | canrun: %s %s" % (version, first, doc["verdict"], [f["id"] for f in doc["findings"]])
        return go_builds == cr_builds, detail
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def run_case(canrun, go, cache, files, sub, extra, key):
    tmp = tempfile.mkdtemp(prefix="canrun-module-")
    try:
        write(tmp, files)
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("GO") and k not in ("HOME",)}
        env.update(HOME=os.path.join(tmp, "home"), GOCACHE=cache,
                   GOPATH=os.path.join(tmp, "gopath"), GOPROXY="off", GOFLAGS="")
        env.update(extra)
        d = os.path.join(tmp, sub)
        g = subprocess.run([go, "build", "-o", os.devnull, "."], cwd=d, env=env,
                           capture_output=True, text=True)
        c = subprocess.run([canrun, "module", "--json", d], env=env, capture_output=True, text=True)
        if c.returncode not in (0, 1, 3):
            return False, "canrun exit %d: %s" % (c.returncode, c.stderr.strip())
        doc = json.loads(c.stdout)
        go_builds = g.returncode == 0
        cr_builds = c.returncode != 1
        text = "\n".join((f["message"] or "") + "\n" + (f["evidence"] or "") for f in doc["findings"])
        problems = []
        if go_builds != cr_builds:
            problems.append("go %s (rc %d) but canrun says %s" % ("builds" if go_builds else "fails",
                                                                 g.returncode, doc["verdict"]))
        if key and key not in g.stderr:
            problems.append("go's output lacks the expected %r: %s" % (key, g.stderr.strip()))
        if key and key not in text:
            problems.append("canrun lacks %r; findings: %s" % (key, text.strip()))
        detail = "go: %s | canrun: %s %s" % (g.stderr.strip().splitlines()[0] if g.stderr.strip() else "ok",
                                            doc["verdict"], [f["id"] for f in doc["findings"]])
        return not problems, "; ".join(problems) or detail
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    args = sys.argv[1:]
    root = runin = None
    if "--root" in args:
        i = args.index("--root")
        root = args[i + 1]
        del args[i:i + 2]
    if "--runin" in args:
        i = args.index("--runin")
        runin = args[i + 1]
        del args[i:i + 2]
    canrun = os.path.abspath(args[0])
    go = args[1] if len(args) > 1 else shutil.which("go")
    if not go:
        print("1..0 # SKIP no go on PATH")
        return 0
    version = None
    if root and runin and os.geteuid() == 0 and os.path.exists(os.path.join(root, "usr/lib/go/VERSION")):
        with open(os.path.join(root, "usr/lib/go/VERSION")) as f:
            version = f.readline().strip()[2:]
    print("1..%d" % (len(CASES) * (2 if version else 1)))
    caches = tempfile.mkdtemp(prefix="canrun-module-cache-")
    try:
        return run_all(canrun, go, root, runin, version, caches)
    finally:
        shutil.rmtree(caches, ignore_errors=True)


def run_all(canrun, go, root, runin, version, caches):
    host_cache, root_cache = os.path.join(caches, "host"), os.path.join(caches, "root")
    os.makedirs(root_cache)
    failed = n = 0
    for name, (files, sub, extra, key) in CASES.items():
        n += 1
        ok, why = run_case(canrun, go, host_cache, files, sub, extra, key)
        print("%s %d - %s # %s" % ("ok" if ok else "not ok", n, name, why))
        failed += not ok
    print("# %d/%d cases equal to go build" % (n - failed, n))
    if version:
        rfailed = 0
        for name, (files, sub, extra, key) in CASES.items():
            n += 1
            ok, why = run_root_case(canrun, root, runin, version, root_cache, files, sub, extra)
            print("%s %d - go%s: %s # %s" % ("ok" if ok else "not ok", n, version, name, why))
            rfailed += not ok
        print("# %d/%d cases equal to go%s build in %s" % (len(CASES) - rfailed, len(CASES), version, root))
        failed += rfailed
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
