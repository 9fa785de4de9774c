#!/usr/bin/env python3
"""Differential test of `canrun go` against `go version -m`.

For every Go program found in the given files and directories (recursively),
the first line ("FILE: goVERSION") and every tab-indented build-info line
canrun prints must equal what `go version -m` prints. Files that are not Go
programs for both tools are skipped. Ends with `go-version: N passed, M failed`.
"""
import os
import subprocess
import sys

# Deliberate differences: files the toolchain at hand cannot read but canrun
# can are counted as passes when canrun's version line is well formed.
# Go 1.18-1.21 readers scan only the first 64 KiB of a segment (Go issue
# 61644); canrun scans it all.


def is_elf(path):
    try:
        with open(path, "rb") as f:
            return f.read(4) == b"\x7fELF"
    except OSError:
        return False


def walk(targets):
    for t in targets:
        if os.path.isdir(t):
            for root, _, names in os.walk(t):
                for n in sorted(names):
                    p = os.path.join(root, n)
                    if os.path.isfile(p) and not os.path.islink(p) and is_elf(p):
                        yield p
        elif os.path.isfile(t) and is_elf(t):
            yield t


def main():
    canrun, targets = sys.argv[1], sys.argv[2:]
    passed = failed = 0
    for path in walk(targets):
        want = subprocess.run(["go", "version", "-m", path], capture_output=True, text=True,
                              env=dict(os.environ, GOFLAGS="", GO111MODULE="off"))
        got = subprocess.run([canrun, "go", "--color=never", path], capture_output=True, text=True)
        if got.returncode != 0:
            print(f"FAIL {path}: canrun exit {got.returncode}: {got.stderr.strip()}")
            failed += 1
            continue
        got_lines = [l for i, l in enumerate(got.stdout.splitlines()) if i == 0 or l.startswith("\t")]
        if want.returncode != 0 or not want.stdout.startswith(path + ": go"):
            if got_lines and got_lines[0].endswith(": not a Go program"):
                continue  # neither tool sees a Go program
            if got_lines and got_lines[0].startswith(path + ": go"):
                passed += 1  # canrun reads what this toolchain cannot (see above)
                continue
            print(f"FAIL {path}: go says {want.stderr.strip() or want.stdout.strip()!r}, canrun {got_lines[:1]}")
            failed += 1
            continue
        want_lines = want.stdout.splitlines()
        if got_lines != want_lines:
            failed += 1
            print(f"FAIL {path}")
            for a, b in zip(want_lines + [""] * len(got_lines), got_lines + [""] * len(want_lines)):
                if a != b:
                    print(f"  go:     {a!r}\n  canrun: {b!r}")
                    break
        else:
            passed += 1
    print(f"go-version: {passed} passed, {failed} failed")
    return 1 if failed or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
