#!/usr/bin/env python3
"""Differential test of `canrun go` against `go version -m`.

For every Go program found in the given files and directories (recursively),
the first line ("FILE: goVERSION") and every tab-indented build-info line
canrun prints must equal what `go version -m` prints. Files that are not Go
programs for both tools are skipped. Each tool runs once on all the files
(process start-up, above all a sanitizer build's, would dominate one run per
file). Ends with `go-version: N passed, M failed`.
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


def blocks(text, paths):
    """Each path's lines in the output of a run on all of them: a block starts
    with an unindented "PATH: " line, in the order the paths were given."""
    known, out, cur = set(paths), {}, None
    for line in text.splitlines():
        if line[:1] not in ("", " ", "\t"):
            head = line.split(": ", 1)[0]
            if head in known:
                cur = head
                out[cur] = []
        if cur is not None:
            out[cur].append(line)
    return out


def main():
    canrun, targets = sys.argv[1], sys.argv[2:]
    paths = list(walk(targets))
    go_env = dict(os.environ, GOFLAGS="", GO111MODULE="off")
    # One run of each tool on every file: go prints the Go programs' blocks
    # on stdout (the others on stderr), canrun a block for every file.
    want_all = blocks(subprocess.run(["go", "version", "-m"] + paths, capture_output=True, text=True,
                                     env=go_env).stdout, paths)
    got_run = subprocess.run([canrun, "go", "--color=never"] + paths, capture_output=True, text=True)
    got_all = blocks(got_run.stdout, paths) if got_run.returncode == 0 else None
    passed = failed = 0
    for path in paths:
        want_lines = want_all.get(path, [])
        if got_all is None:  # a file made canrun fail: find it, one run each
            got = subprocess.run([canrun, "go", "--color=never", path], capture_output=True, text=True)
            if got.returncode != 0:
                print(f"FAIL {path}: canrun exit {got.returncode}: {got.stderr.strip()}")
                failed += 1
                continue
            got_text = got.stdout.splitlines()
        else:
            got_text = got_all.get(path, [])
        got_lines = [l for i, l in enumerate(got_text) if i == 0 or l.startswith("\t")]
        if not want_lines or not want_lines[0].startswith(path + ": go"):
            if got_lines and got_lines[0].endswith(": not a Go program"):
                continue  # neither tool sees a Go program
            if got_lines and got_lines[0].startswith(path + ": go"):
                passed += 1  # canrun reads what this toolchain cannot (see above)
                continue
            print(f"FAIL {path}: go cannot read it, canrun says {got_lines[:1]}")
            failed += 1
            continue
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
