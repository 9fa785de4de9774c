#!/usr/bin/env python3
"""Packs a directory into one fuzz input of the tree format (fuzz_tree.h).

Usage: pack_tree.py DIR FIRST OUT
FIRST (a path below DIR) becomes the input's leading content; every other
entry follows as "@@f/@@x/@@d/@@l/@@p" records. Symlinks are written as
they are, never followed.
"""
import os
import stat
import sys


def main():
    top, first, out = sys.argv[1], sys.argv[2], sys.argv[3]
    first_path = os.path.join(top, first)
    with open(first_path, "rb") as f:
        parts = [f.read()]
    for dirpath, dirnames, filenames in os.walk(top):
        dirnames.sort()
        for name in sorted(dirnames) + sorted(filenames):
            full = os.path.join(dirpath, name)
            rel = os.path.relpath(full, top)
            if full == first_path:
                continue
            st = os.lstat(full)
            if stat.S_ISLNK(st.st_mode):
                parts.append(b"\n@@l %s %s\n" % (rel.encode(), os.readlink(full).encode()))
            elif stat.S_ISDIR(st.st_mode):
                parts.append(b"\n@@d %s\n" % rel.encode())
            elif stat.S_ISFIFO(st.st_mode):
                parts.append(b"\n@@p %s\n" % rel.encode())
            elif stat.S_ISREG(st.st_mode):
                kind = b"x" if st.st_mode & 0o111 else b"f"
                with open(full, "rb") as f:
                    parts.append(b"\n@@%s %s\n" % (kind, rel.encode()) + f.read())
    with open(out, "wb") as f:
        f.write(b"".join(parts))


if __name__ == "__main__":
    main()
