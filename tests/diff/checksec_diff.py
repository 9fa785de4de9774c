#!/usr/bin/env python3
"""Differential test: `canrun harden --json` against Debian's checksec.

For every ELF file under the given paths (/usr/bin and the fixtures), runs
`checksec --output=json --file=F` and compares RELRO, canary, NX, PIE, RPATH
and RUNPATH. A mismatch passes only when a DELIBERATE rule below explains it,
and each rule decides from readelf's own reading of the file, not from
canrun's answer. Anything else fails the test and is printed.

Usage: checksec_diff.py CANRUN PATH... [--jobs N] [--cache FILE] [--every N DIR]...

--every N DIR compares every Nth ELF file of DIR (in sorted order) besides
the PATHs: checksec spends about a second per file, so the test run takes a
fixed third of /usr/bin and keeps the fixtures whole.
"""
import concurrent.futures
import json
import os
import re
import subprocess
import sys
import time


# The deliberate differences. Each rule: (name, field, what canrun says, what
# checksec says, applies(facts): whether readelf's reading of the file shows
# the reason, and the reason).
DELIBERATE = [
    ("static-pie", "pie", "static-pie", "yes",
     lambda f: f.elf_type == "DYN" and not f.has_interp,
     "an ET_DYN without PT_INTERP relocates itself: canrun names the kind (static-pie), "
     "checksec only sees DT_DEBUG and says PIE"),
    ("go-canary", "canary", "go", "no",
     lambda f: bool({".go.buildinfo", ".gopclntab", ".note.go.buildid"} & f.sections()),
     "Go code has no canary by design (the runtime checks stack bounds): canrun says 'go', "
     "checksec paints it 'no'"),
    ("stripped-static-canary", "canary", "unknown", "no",
     lambda f: not f.has_interp and ".symtab" not in f.sections() and f.elf_type in ("EXEC", "DYN"),
     "a stripped static program has no symbols left: canrun says unknown, checksec says no"),
    ("got-outside-relro", "relro", "partial", "full",
     lambda f: f.slots_outside_relro(),
     "BIND_NOW is set but the PLT's GOT slots lie outside PT_GNU_RELRO and stay writable "
     "(a crafted DT_FLAGS, checksec issue #161): canrun says partial"),
    ("static-glibc-relro", "relro", "full", "partial",
     lambda f: not f.has_interp and f.relro is not None and f.abi_tag and not f.slots_outside_relro(),
     "a static glibc program relocates everything at start, then glibc's start-up code protects "
     "all of PT_GNU_RELRO: there is no lazy binding to need BIND_NOW"),
    ("static-without-glibc-relro", "relro", "no", "partial",
     lambda f: not f.has_interp and f.relro is not None and not f.abi_tag,
     "a static program without glibc's start-up code (musl, no libc) has PT_GNU_RELRO but "
     "nothing ever applies it"),
    ("df1-now", "relro", "full", "partial",
     lambda f: re.search(r"\(FLAGS_1\).*\bNOW\b", f.dynamic) is not None and "BIND_NOW" not in f.dynamic,
     "DF_1_NOW in DT_FLAGS_1 makes glibc bind everything at start, as BIND_NOW does; checksec "
     "only greps for BIND_NOW"),
    ("empty-rpath", "rpath", "yes", "no",
     lambda f: "Library rpath: []" in f.dynamic,
     "an empty DT_RPATH string is one empty element, which ld.so reads as the current directory"),
    ("empty-runpath", "runpath", "yes", "no",
     lambda f: "Library runpath: []" in f.dynamic,
     "an empty DT_RUNPATH string is one empty element, which ld.so reads as the current directory"),
]
# FORTIFY is deliberately not compared: checksec counts every dynamic symbol
# (definitions too, so a libc is "fortified" by its own __*_chk) against the
# host's libc, with names cut at readelf's default column width ("[...]"),
# and says yes as soon as one _chk name appears; canrun counts the imports
# against the target's libc (docs/json.md). The two have no common scale.


def readelf(args, path):
    r = subprocess.run(["readelf", "-W"] + args + [path], capture_output=True, text=True,
                       errors="replace", check=False)
    return r.stdout


class Facts:
    """What readelf says about one file, read only when a rule asks."""

    def __init__(self, path):
        self.path = path
        self._cache = {}

    def get(self, what):
        if what not in self._cache:
            self._cache[what] = readelf([what], self.path)
        return self._cache[what]

    @property
    def elf_type(self):
        m = re.search(r"Type:\s+(\w+)", self.get("-h"))
        return m.group(1) if m else None

    @property
    def has_interp(self):
        return re.search(r"^\s+INTERP\s", self.get("-l"), re.M) is not None

    def sections(self):
        return set(re.findall(r"^\s*\[\s*\d+\]\s+(\S+)", self.get("-S"), re.M))

    @property
    def relro(self):
        m = re.search(r"^\s+GNU_RELRO\s+\S+\s+(0x[0-9a-f]+)\s+\S+\s+\S+\s+(0x[0-9a-f]+)", self.get("-l"), re.M)
        return (int(m.group(1), 16), int(m.group(1), 16) + int(m.group(2), 16)) if m else None

    @property
    def abi_tag(self):
        return "NT_GNU_ABI_TAG" in self.get("-n")

    def plt_slots(self):
        """r_offset of every relocation in .rela.plt / .rel.plt."""
        slots, inside = [], False
        for line in self.get("-r").splitlines():
            if line.startswith("Relocation section"):
                inside = re.search(r"'\.rela?\.plt'", line) is not None
                continue
            m = re.match(r"^([0-9a-f]{8,16})\s+[0-9a-f]+\s+R_", line)
            if inside and m:
                slots.append(int(m.group(1), 16))
        return slots

    @property
    def dynamic(self):
        return self.get("-d")

    def slots_outside_relro(self):
        r = self.relro
        return r is not None and any(not r[0] <= s < r[1] for s in self.plt_slots())


FIXTURE_RULES = {  # fixture name -> a rule it must trigger, so the rules are exercised
    "relro-crafted-flags": "got-outside-relro",
    "hello-static-pie": "static-pie",
    "hello-static-stripped": "stripped-static-canary",
    "hello-static-now": "static-glibc-relro",
    "hello-musl-static": "static-without-glibc-relro",
    "rpath-empty": "empty-rpath",
    "relro-df1-now": "df1-now",
    "ginserver-nocgo": "go-canary",
}


def elf_files(paths):
    """ELF files of paths, a list of (PATH, N): every Nth one of each."""
    seen, out = set(), []
    for top, every in paths:
        walk = [top] if os.path.isfile(top) else (
            os.path.join(d, n) for d, _, names in os.walk(top) for n in sorted(names))
        found = 0
        for p in walk:
            try:
                real = os.path.realpath(p)
                if real in seen or not os.path.isfile(real):
                    continue
                with open(real, "rb") as fh:
                    if fh.read(4) != b"\x7fELF":
                        continue
            except OSError:
                continue
            seen.add(real)
            found += 1
            if (found - 1) % every == 0:
                out.append(p)
    return out


def canrun_all(canrun, files):
    res = {}
    for i in range(0, len(files), 200):
        batch = files[i:i + 200]
        r = subprocess.run([canrun, "harden", "--json"] + batch, capture_output=True, text=True, check=False)
        doc = json.loads(r.stdout)
        for obj in doc["files"]:
            res[obj["path"]] = obj
    return res


def checksec(path):
    r = subprocess.run(["checksec", "--output=json", "--file=" + path], capture_output=True, text=True,
                       errors="replace", check=False)
    try:
        return json.loads(r.stdout)[path]
    except (ValueError, KeyError):
        return None


def file_key(path):
    st = os.stat(path)
    return f"{st.st_dev}:{st.st_ino}:{st.st_size}:{st.st_mtime_ns}"


def checksec_all(files, jobs, cache_path):
    """checksec's answer for each file. checksec starts readelf several
    times per file, so the answers are kept in CACHE_PATH (when given) for
    the next build's run, keyed by the file's identity, size and mtime: the
    same oracle on the same bytes."""
    cache = {}
    if cache_path and os.path.exists(cache_path):
        try:
            with open(cache_path) as f:
                cache = json.load(f)
        except ValueError:
            cache = {}
    keys = {p: file_key(p) for p in files}
    todo = [p for p in files if cache.get(p, {}).get("key") != keys[p]]
    with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
        for p, answer in zip(todo, pool.map(checksec, todo)):
            cache[p] = {"key": keys[p], "answer": answer}
    if cache_path and todo:
        tmp = cache_path + ".tmp"
        with open(tmp, "w") as f:
            json.dump(cache, f)
        os.replace(tmp, cache_path)
    return {p: cache[p]["answer"] for p in files}


def ours_in_their_terms(o):
    return {
        "relro": {"none": "no"}.get(o["relro"], o["relro"]),
        "canary": o["canary"],
        "nx": "yes" if o["nx"] else "no",
        "pie": o["pie"],
        "rpath": "yes" if o["rpath"] else "no",
        "runpath": "yes" if o["runpath"] else "no",
    }


def main():
    args = sys.argv[1:]
    jobs = 2
    if "--jobs" in args:
        i = args.index("--jobs")
        jobs = int(args[i + 1])
        del args[i:i + 2]
    cache_path = None
    if "--cache" in args:
        i = args.index("--cache")
        cache_path = args[i + 1]
        del args[i:i + 2]
    sampled = []
    while "--every" in args:
        i = args.index("--every")
        sampled.append((args[i + 2], int(args[i + 1])))
        del args[i:i + 3]
    if len(args) < 2 and not (args and sampled):
        sys.exit(__doc__)
    canrun, paths = args[0], args[1:]
    start = time.time()
    files = elf_files(sampled + [(p, 1) for p in paths])
    ours = canrun_all(canrun, files)
    theirs = checksec_all(files, jobs, cache_path)

    counts = {rule[0]: [] for rule in DELIBERATE}
    failures, compared, skipped = [], 0, 0
    for path in files:
        o, t = ours.get(path), theirs[path]
        if o is None or "error" in o or t is None:
            # canrun refusing a file checksec reads (or the reverse) is a failure too.
            if (o is None or "error" in o) != (t is None):
                failures.append(f"{path}: canrun {o and o.get('error')!r}, checksec {'no answer' if t is None else 'read it'}")
            skipped += 1
            continue
        compared += 1
        mine = ours_in_their_terms(o)
        facts = Facts(path)
        for field in ("relro", "canary", "nx", "pie", "rpath", "runpath"):
            if mine[field] == t.get(field):
                continue
            rule = next((r for r in DELIBERATE
                         if r[1] == field and r[2] == mine[field] and r[3] == t.get(field) and r[4](facts)), None)
            if rule:
                counts[rule[0]].append(path)
            else:
                failures.append(f"{path}: {field}: canrun {mine[field]!r}, checksec {t.get(field)!r}")

    for path in files:
        rule = FIXTURE_RULES.get(os.path.basename(path))
        if rule and path not in counts[rule]:
            failures.append(f"{path}: expected the deliberate difference '{rule}', which did not show")

    print(f"checksec_diff: {compared} ELF files compared, {skipped} unreadable by both, "
          f"{time.time() - start:.0f} s")
    for name, field, mine, their, _, reason in DELIBERATE:
        print(f"  deliberate {name} ({field}: canrun {mine}, checksec {their}): {len(counts[name])} files")
        print(f"    why: {reason}")
        for p in counts[name][:3]:
            print(f"    e.g. {p}")
    if compared < 50:
        failures.append(f"only {compared} files compared: the test would prove nothing")
    for f in failures:
        print("FAIL: " + f)
    sys.exit(1 if failures else 0)


main()
