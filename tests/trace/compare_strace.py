#!/usr/bin/env python3
"""Compares `canrun trace --raw` with `strace -f -Z -e trace=SET` output:
the same failed calls (syscall, path, errno), in the same order per process.
Pids differ between runs, so each side's per-pid sequences are compared as a
sorted list of sequences."""
import re
import sys

LINE = re.compile(r'^(?:\[pid\s+)?(\d+)\]?\s+(\w+)\((.*)\)\s+=\s+-1\s+(E[A-Z0-9]+)')


def load(path):
    per = {}
    with open(path) as f:
        for line in f:
            m = LINE.match(line)
            if not m:
                continue
            pid, name, args, err = m.groups()
            q = re.search(r'"((?:[^"\\]|\\.)*)"', args)
            per.setdefault(pid, []).append((name, q.group(1) if q else None, err))
    return sorted(per.values())


ours, theirs = load(sys.argv[1]), load(sys.argv[2])
if ours != theirs:
    print("canrun:", ours, "\nstrace:", theirs, sep="\n")
    sys.exit(1)
print(f"same {sum(map(len, ours))} failed calls in {len(ours)} processes")
