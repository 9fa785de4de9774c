#!/usr/bin/env python3
"""Writes the library inventory of Debian releases: src/target/libs/debian-N.def.

For each release it records
  1. every shared library the loader of a `debootstrap --variant=minbase`
     root can find by name (the directories of the root's ld.so.conf, then
     the multiarch and standard ones), with its path and the symbol versions
     it defines, read by `canrun inspect --json` (nothing is executed);
  2. the packages of the release that ship each other SONAME-looking file in
     the standard library directories, from the archive's Contents-amd64
     indexes of every component (main, contrib, non-free, non-free-firmware).

Usage:
  scripts/gen-debian-libs.py --canrun build/canrun --roots ROOTSDIR [RELEASE...]

ROOTSDIR holds the roots tests/roots/make-roots.sh makes (bullseye, bookworm,
trixie); the archive is the one apt on this machine uses (or --mirror URL).
The output is deterministic for the same roots and the same indexes; the
header records the date of each index's Release file and the root's libc6.

Only amd64 is recorded. A name is "SONAME-looking" when it is lib*.so.N,
lib*.so.N.M or lib*-X.Y.so; deeper version suffixes are the real files
behind those names, and bare lib*.so are development links. Arch-all
packages (Contents-all) and the -updates and -security suites are not read.
"""
import argparse
import datetime
import glob
import gzip
import json
import os
import re
import subprocess
import sys
import urllib.error
import urllib.request

RELEASES = {"bullseye": "11", "bookworm": "12", "trixie": "13"}
COMPONENTS = ["main", "contrib", "non-free", "non-free-firmware"]
MULTIARCH = "x86_64-linux-gnu"
# What the Debian loader and ldconfig search after the ld.so.conf entries.
SYSTEM_DIRS = ["/lib/" + MULTIARCH, "/usr/lib/" + MULTIARCH, "/lib", "/usr/lib"]
# The standard library directories of package file lists (no leading /).
STANDARD_DIRS = {"lib", "usr/lib", "lib64", "usr/lib64", "lib/" + MULTIARCH, "usr/lib/" + MULTIARCH}
SONAME_RE = re.compile(r"^lib[^/]*(\.so\.[0-9]+(\.[0-9]+)?|-[0-9][0-9.]*\.so)$")
LIBFILE_RE = re.compile(r"^(lib|ld-)[^/]*\.so([.0-9]*)$")


def apt_mirror():
    """The first Debian archive in apt's sources (one-line or deb822)."""
    for path in ["/etc/apt/sources.list"] + sorted(glob.glob("/etc/apt/sources.list.d/*.list")):
        if not os.path.exists(path):
            continue
        for line in open(path, encoding="utf-8"):
            words = re.sub(r"\[[^]]*\]", "", line).split()
            if len(words) >= 3 and words[0] == "deb" and "security" not in words[1]:
                return words[1]
    for path in sorted(glob.glob("/etc/apt/sources.list.d/*.sources")):
        for stanza in open(path, encoding="utf-8").read().split("\n\n"):
            fields = dict((k.strip().lower(), v.strip()) for k, _, v in
                          (l.partition(":") for l in stanza.splitlines() if ":" in l and not l.startswith("#")))
            if "deb" in fields.get("types", "").split() and fields.get("enabled", "yes") != "no" \
                    and fields.get("uris") and "security" not in fields["uris"]:
                return fields["uris"].split()[0]
    sys.exit("gen-debian-libs: no Debian archive in apt's sources; pass --mirror")


def resolve_in_root(root, path, depth=0):
    """The path inside ROOT that PATH names, symlinks followed inside ROOT."""
    parts = [p for p in path.split("/") if p]
    done = ""
    for i, part in enumerate(parts):
        cand = done + "/" + part
        full = root + cand
        if os.path.islink(full):
            if depth > 40:
                return None
            target = os.readlink(full)
            base = target if target.startswith("/") else done + "/" + target
            rest = "/".join(parts[i + 1:])
            return resolve_in_root(root, os.path.normpath(base + ("/" + rest if rest else "")), depth + 1)
        if part == "..":
            done = os.path.dirname(done)
        elif part != ".":
            done = cand
    return done or "/"


def ld_so_conf_dirs(root, conf="/etc/ld.so.conf", seen=None):
    seen = seen if seen is not None else set()
    real = resolve_in_root(root, conf)
    if not real or real in seen or not os.path.isfile(root + real):
        return []
    seen.add(real)
    dirs = []
    for line in open(root + real, encoding="utf-8", errors="replace"):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("include"):
            for pattern in line.split()[1:]:
                if not pattern.startswith("/"):
                    pattern = os.path.dirname(conf) + "/" + pattern
                for inc in sorted(glob.glob(root + pattern)):
                    dirs += ld_so_conf_dirs(root, inc[len(root):], seen)
        else:
            dirs.append(line.rstrip("/"))
    return dirs


def minbase_inventory(canrun, root):
    """{name: (path, [versions])} of the libraries the root's loader finds by name."""
    found = {}      # name -> path in the first directory that has it
    real_of = {}    # name -> file inside the root
    seen_dirs = set()
    for d in ld_so_conf_dirs(root) + SYSTEM_DIRS:
        real_dir = resolve_in_root(root, d)
        if not real_dir or real_dir in seen_dirs or not os.path.isdir(root + real_dir):
            continue
        seen_dirs.add(real_dir)
        for name in sorted(os.listdir(root + real_dir)):
            if name in found or not LIBFILE_RE.match(name):
                continue
            real = resolve_in_root(root, d + "/" + name)
            if real and os.path.isfile(root + real):
                found[name] = d + "/" + name
                real_of[name] = root + real
    names = sorted(found)
    out = subprocess.run([canrun, "inspect", "--json"] + [real_of[n] for n in names],
                         check=False, capture_output=True, text=True)
    files = json.loads(out.stdout)["files"]
    inventory = {}
    for name, f in zip(names, files):
        if f.get("error") or f.get("class") != 64 or f.get("machine") != "x86_64" or f.get("type") != "DYN":
            continue
        # The loader finds a library by the name a program records: its
        # SONAME, or the file name when it has none.
        if (f.get("soname") or name) != name:
            continue
        versions = [v for v in f.get("version_defs") or [] if v != name]
        inventory[name] = (found[name], versions)
    return inventory


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=120) as r:
            return r.read()
    except urllib.error.HTTPError as e:
        if e.code == 404:
            return None
        raise


def release_date(mirror, release):
    text = fetch(f"{mirror}/dists/{release}/Release").decode("utf-8", "replace")
    m = re.search(r"^Date: (.*)$", text, re.M)
    return m.group(1).strip() if m else "unknown"


def package_index(mirror, release):
    """{soname: [package, ...]} and the components read."""
    sonames = {}
    read = []
    for comp in COMPONENTS:
        data = fetch(f"{mirror}/dists/{release}/{comp}/Contents-amd64.gz")
        if data is None:
            continue
        read.append(comp)
        for line in gzip.decompress(data).decode("utf-8", "replace").splitlines():
            path, _, locs = line.rpartition(" ")
            path = path.strip()
            d, _, name = path.rpartition("/")
            if d not in STANDARD_DIRS or not SONAME_RE.match(name):
                continue
            for loc in locs.split(","):
                pkg = loc.rsplit("/", 1)[-1]
                if comp != "main":
                    pkg = comp + "/" + pkg
                sonames.setdefault(name, set()).add(pkg)
    return {k: sorted(v) for k, v in sonames.items()}, read


def libc6_version(root):
    status = open(root + "/var/lib/dpkg/status", encoding="utf-8", errors="replace").read()
    for stanza in status.split("\n\n"):
        if re.search(r"^Package: libc6$", stanza, re.M):
            m = re.search(r"^Version: (.*)$", stanza, re.M)
            return m.group(1) if m else "unknown"
    return "unknown"


def c_string(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_def(path, release, number, inventory, packages, components, rel_date, libc6):
    today = datetime.date.today().isoformat()
    lines = [
        f"/* Debian {number} ({release}) on amd64: the libraries of a minimal install and the",
        " * packages that ship the others. Generated by scripts/gen-debian-libs.py; do not edit.",
        f" * Made on {today} from a `debootstrap --variant=minbase {release}` root (libc6 {libc6})",
        f" * read by `canrun inspect`, and dists/{release}/{{{','.join(components)}}}/Contents-amd64.gz",
        f" * of the Debian archive (Release file dated {rel_date}).",
        " *",
        " * LIBINV_SOURCE(text)",
        " * LIBINV_MINBASE(name, path, versions)  found by the loader of a minimal install",
        " * LIBINV_PACKAGES(text)  \"SONAME PACKAGE...\\n\" lines sorted by SONAME (bytes);",
        " *                        a package outside main is COMPONENT/PACKAGE */",
        "",
        "LIBINV_SOURCE(" + c_string(
            f"debootstrap --variant=minbase {release} (libc6 {libc6}) read on {today}; packages: "
            f"Contents-amd64 of {release} {', '.join(components)} ({rel_date})") + ")",
        "",
    ]
    for name in sorted(inventory):
        p, versions = inventory[name]
        lines.append(f"LIBINV_MINBASE({c_string(name)}, {c_string(p)}, {c_string(' '.join(versions))})")
    lines.append("")
    lines.append("LIBINV_PACKAGES(")
    for soname in sorted(packages, key=lambda s: s.encode()):
        if soname in inventory:
            continue
        lines.append(c_string(soname + " " + " ".join(packages[soname]))[:-1] + '\\n"')
    lines.append(")")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--canrun", required=True, help="the canrun binary that reads the libraries")
    ap.add_argument("--roots", default=os.environ.get("CANRUN_ROOTS_DIR"), help="the test roots' directory")
    ap.add_argument("--mirror", help="the Debian archive (default: apt's)")
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src",
                                                  "target", "libs"))
    ap.add_argument("releases", nargs="*", default=list(RELEASES))
    args = ap.parse_args()
    if not args.roots:
        sys.exit("gen-debian-libs: --roots or CANRUN_ROOTS_DIR is needed")
    mirror = (args.mirror or apt_mirror()).rstrip("/")
    for release in args.releases:
        root = os.path.join(args.roots, release)
        if not os.path.isdir(root + "/etc"):
            sys.exit(f"gen-debian-libs: {root}: no root (tests/roots/make-roots.sh makes it)")
        inventory = minbase_inventory(args.canrun, root)
        packages, components = package_index(mirror, release)
        out = os.path.join(args.out, f"debian-{RELEASES[release]}.def")
        write_def(out, release, RELEASES[release], inventory, packages, components,
                  release_date(mirror, release), libc6_version(root))
        more = sum(1 for name in packages if name not in inventory)
        print(f"{os.path.normpath(out)}: {len(inventory)} in minbase, {more} more SONAMEs in packages")


if __name__ == "__main__":
    main()
