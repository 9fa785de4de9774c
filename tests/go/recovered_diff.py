#!/usr/bin/env python3
"""Go build info recovered from programs whose build info blob is gone.

Each Go program found in the given files and directories (recursively) is
copied twice into a scratch directory, as some vendors ship them: without
its .go.buildinfo section (objcopy --remove-section) and with the 14-byte
magic "\\xff Go buildinf:" zeroed in place. `go version -m` must call both
copies "not a Go executable" (else the copy tests nothing). On each copy
`canrun go` must print what `go version -m` prints for the original, say in
its JSON where it recovered each part (and `canrun inspect --json` where the
version came from), and everything else must be what the original gives: the
rest of `canrun go --packages`, `canrun check --json` and the Go, check and
version parts of `canrun scan --jsonl`.

Ends with `go-recovered: N passed, M failed`, and fails unless both ways
in were taken: the runtime's symbols (unstripped programs) and the data
alone (stripped with -s -w).
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from version_diff import walk  # noqa: E402

MAGIC = b"\xff Go buildinf:"
GO_ENV = dict(os.environ, GOFLAGS="", GO111MODULE="off")
TARGETS = ["--target", "debian-12", "--target", "alpine-3.22", "--target", "rhel-8"]
# The binutils that can rewrite each machine's files (e_machine), then LLVM's.
OBJCOPY = {62: ["objcopy"], 3: ["objcopy"], 183: ["aarch64-linux-gnu-objcopy"],
           22: ["s390x-linux-gnu-objcopy"]}


def go_version(path):
    r = subprocess.run(["go", "version", "-m", path], capture_output=True, text=True, env=GO_ENV)
    return r.stdout if r.returncode == 0 and r.stdout.startswith(path + ": go") else None


def run(args):
    """stdout of a canrun command; check and scan exit 1 or 3 for verdicts."""
    r = subprocess.run(args, capture_output=True, text=True)
    if r.returncode not in (0, 1, 3):
        raise SystemExit(f"FAIL {' '.join(args[:2])}: exit {r.returncode}: {r.stderr.strip()}")
    return r.stdout


def machine(data):
    return int.from_bytes(data[18:20], "big" if data[5] == 2 else "little")


def remove_section(src, dst):
    with open(src, "rb") as f:
        tools = OBJCOPY.get(machine(f.read(20)), []) + ["llvm-objcopy"]
    for tool in tools:
        if shutil.which(tool) and subprocess.run([tool, "--remove-section", ".go.buildinfo", src, dst],
                                                 capture_output=True).returncode == 0:
            return True
    return False


def zero_magic(src, dst):
    with open(src, "rb") as f:
        data = bytearray(f.read())
    at = data.find(MAGIC)
    while at >= 0:
        data[at:at + len(MAGIC)] = bytes(len(MAGIC))
        at = data.find(MAGIC, at + 1)
    with open(dst, "wb") as f:
        f.write(data)
    shutil.copymode(src, dst)


def go_text(canrun, path):
    """canrun go's lines, the file's name taken out, and the recovered line apart."""
    lines = run([canrun, "go", "--color=never", "--packages", path]).splitlines()
    lines[0] = lines[0].replace(path, "FILE", 1)
    recovered = [l for l in lines if l.startswith("  recovered ")]
    return [l for l in lines if not l.startswith("  recovered ")], recovered


class Copies:
    """The originals and their copies, one folder per kind, each file under
    its original's name, and what canrun says about each folder."""

    def __init__(self, canrun, tmp):
        self.canrun = canrun
        self.dirs = {k: os.path.join(tmp, k) for k in ("orig", "no-section", "zeroed")}
        for d in self.dirs.values():
            os.mkdir(d)

    def add(self, path, name):
        orig = os.path.join(self.dirs["orig"], name)
        shutil.copy2(path, orig)
        zero_magic(orig, os.path.join(self.dirs["zeroed"], name))
        return remove_section(orig, os.path.join(self.dirs["no-section"], name))

    def path(self, kind, name):
        return os.path.join(self.dirs[kind], name)

    def names(self, kind):
        return sorted(os.listdir(self.dirs[kind]))

    def json(self, kind, args, key):
        """{name: entry[key]} from one JSON document over the folder's files."""
        files = [self.path(kind, n) for n in self.names(kind)]
        out = json.loads(run([self.canrun] + args + files))["files"]
        return {os.path.basename(f["path"]): f.get(key) for f in out}

    def scan(self, kind):
        lines = run([self.canrun, "scan", "--jsonl", "--target", "rhel-8", self.dirs[kind]]).splitlines()
        return {os.path.basename(r["path"]): (r.get("go"), r.get("check"), r["inspect"].get("go_version"))
                for r in map(json.loads, lines) if "path" in r}

    def said(self, kind):
        """Everything compared, per file of the folder."""
        checks = self.json(kind, ["check", "--json"] + TARGETS, "targets")
        inspected = self.json(kind, ["inspect", "--json"], "go_version_source")
        sources = self.json(kind, ["go", "--json"], "go")
        scans = self.scan(kind)
        return {n: {"text": go_text(self.canrun, self.path(kind, n)), "check": checks.get(n),
                    "source": (sources.get(n) or {}).get("source") or {}, "scan": scans.get(n),
                    "inspect_source": inspected.get(n)}
                for n in self.names(kind)}


def compare(path, want, got, orig):
    problems = []
    if go_version(path) is not None:
        problems.append("go version -m still reads it: the copy tests nothing")
    text, recovered = got["text"]
    build_info = [l for i, l in enumerate(text) if i == 0 or l.startswith("\t")]
    if build_info != want:
        a, b = next((a, b) for a, b in zip(want + [""] * len(build_info), build_info + [""] * len(want))
                    if a != b)
        problems.append(f"build info differs: go {a!r}, canrun {b!r}")
    if text != orig["text"][0]:
        problems.append("canrun go's analysis differs from the original's")
    source = got["source"]
    if source.get("version") in (None, "build info") or (len(want) > 1) != bool(source.get("modinfo")) \
            or len(recovered) != 1 or got["inspect_source"] != source.get("version"):
        problems.append(f"source not said: {source}, {recovered}, inspect: {got['inspect_source']}")
    for key in ("check", "scan"):
        if got[key] != orig[key]:
            problems.append(f"canrun {key} differs from the original's: {got[key]} vs {orig[key]}")
    return problems


def main():
    canrun, inputs = sys.argv[1], sys.argv[2:]
    passed = failed = 0
    sources = set()
    with tempfile.TemporaryDirectory(prefix="go-recovered.") as tmp:
        copies = Copies(canrun, tmp)
        want = {}
        for path in walk(inputs):
            name = os.path.basename(path)
            oracle = go_version(path)
            if oracle is None or name in want:
                continue
            want[name] = oracle.replace(path + ":", "FILE:", 1).splitlines()
            if not copies.add(path, name):
                print(f"FAIL {path}: no objcopy could remove .go.buildinfo")
                failed += 1
        orig = copies.said("orig")
        for kind in ("no-section", "zeroed"):
            for name, got in copies.said(kind).items():
                sources.add(got["source"].get("version"))
                problems = compare(copies.path(kind, name), want[name], got, orig[name])
                if problems:
                    failed += 1
                    print(f"FAIL {kind}/{name}: " + "; ".join(problems))
                else:
                    passed += 1
    print(f"go-recovered: {passed} passed, {failed} failed; version sources: {sorted(filter(None, sources))}")
    both = {"runtime.buildVersion", "string header in .data"} <= sources
    if not both:
        print("FAIL: the inputs did not take both ways in (symbols and data alone)")
    return 1 if failed or passed == 0 or not both else 0


if __name__ == "__main__":
    sys.exit(main())
