#!/usr/bin/env python3
"""Differential test of `canrun deps` against the real loader on this host.

For every dynamic ELF executable in the given directories, the libraries
that `ld.so --list FILE` maps (which runs the loader in list mode, never the
program) must be exactly the ones canrun resolves, at the same paths.
Prints one line per mismatch and ends with `deps-ldso: N passed, M failed`.
"""
import json
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

LDSO = "/lib64/ld-linux-x86-64.so.2"
LINE = re.compile(r"^\s*(\S+)(?: => (\S+|not found))?(?: \(0x[0-9a-f]+\))?\s*$")


def is_dynamic_exec(path):
    try:
        with open(path, "rb") as f:
            head = f.read(64)
    except OSError:
        return False
    if head[:4] != b"\x7fELF" or head[4] != 2 or head[5] != 1:
        return False
    out = subprocess.run(["readelf", "-lW", path], capture_output=True, text=True).stdout
    return "Requesting program interpreter: " + LDSO in out


def ldso_list(path):
    """name -> path as the real loader maps them (ld.so prints each once)."""
    p = subprocess.run([LDSO, "--list", path], capture_output=True, text=True)
    libs = {}
    for line in p.stdout.splitlines():
        m = LINE.match(line)
        if not m or m.group(1).startswith("linux-vdso") or m.group(1) == LDSO:
            continue
        name, where = m.group(1), m.group(2)
        if where is None:  # the loader's own line: "/lib64/ld-linux-x86-64.so.2 (0x...)"
            continue
        libs[name] = None if where == "not found" else where
    return libs


def canrun_deps(canrun, paths):
    p = subprocess.run([canrun, "deps", "--json", *paths], capture_output=True, text=True)
    return json.loads(p.stdout)["files"]


def main():
    canrun, dirs = sys.argv[1], sys.argv[2:]
    files = []
    seen = set()
    for d in dirs:
        for name in sorted(os.listdir(d)):
            path = os.path.join(d, name)
            real = os.path.realpath(path)
            if real in seen or not os.path.isfile(real):
                continue
            seen.add(real)
            files.append(real)
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        files = [f for f, ok in zip(files, pool.map(is_dynamic_exec, files)) if ok]
        truths = list(pool.map(ldso_list, files))
    results = []
    for i in range(0, len(files), 200):
        results += canrun_deps(canrun, files[i:i + 200])
    passed = failed = 0
    for path, truth, res in zip(files, truths, results):
        if "error" in res:
            print(f"MISMATCH {path}: canrun error {res['error']}")
            failed += 1
            continue
        mine = {}
        for lib in res["libraries"]:
            if lib["via"] == "loader" or lib["path"] == LDSO:
                continue
            mine.setdefault(lib["name"], lib["path"])
        # ld.so --list names an object once, by the name it was first needed as.
        mine = {k: v for k, v in mine.items() if k in truth or v not in truth.values()}
        if mine != truth:
            failed += 1
            for name in sorted(set(mine) | set(truth)):
                if mine.get(name, "absent") != truth.get(name, "absent"):
                    print(f"MISMATCH {path} {name}: canrun={mine.get(name, 'absent')} ld.so={truth.get(name, 'absent')}")
        else:
            passed += 1
    print(f"deps-ldso: {passed} passed, {failed} failed")
    return 1 if failed or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
