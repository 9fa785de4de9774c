#!/usr/bin/env python3
"""What readelf and the Go tools say about one ELF file, under canrun's key names.

    readelf_facts.py FILE

Prints one JSON object; keys the tools cannot decide are left out. This is
the independent reading inspect_fixtures.bats compares `canrun inspect` with:
nothing here reads the file itself, only the text readelf, `go version -m`
and `go tool buildid` print. One process per file instead of dozens of
sed/awk/jq pipes keeps the test quick.
"""
import json
import re
import shutil
import subprocess
import sys


def tool(*argv):
    """stdout of argv, or "" when it fails (readelf on a file without the part)."""
    r = subprocess.run(argv, capture_output=True, text=True, errors="replace")
    return r.stdout if r.returncode == 0 else ""


def first(pattern, text, flags=re.M):
    m = re.search(pattern, text, flags)
    return m.group(1) if m else None


MACHINES = {"Advanced Micro Devices X86-64": "x86_64", "Intel 80386": "i386", "AArch64": "aarch64",
            "ARM": "arm", "PowerPC": "ppc"}


def machine_of(name, elf_class, endian):
    if name in MACHINES:
        return MACHINES[name]
    if name == "IBM S/390":
        return "s390x" if elf_class == 64 else "s390"
    if name == "PowerPC64":
        return "ppc64le" if endian == "little" else "ppc64"
    if name == "RISC-V":
        return "riscv64" if elf_class == 64 else "riscv32"
    return "unknown to this test: " + name


def section(text, start, stops):
    """Lines of text from a line starting with `start` up to one starting with a stop."""
    out, on = [], False
    for line in text.splitlines():
        if line.startswith(start):
            on = True
            continue
        if any(line.startswith(s) for s in stops):
            on = False
        if on:
            out.append(line)
    return out


def field(words, name):
    """The word after `name` in words, or None."""
    return words[words.index(name) + 1] if name in words and words.index(name) + 1 < len(words) else None


def version_tables(vers, syms):
    """version_needs (as canrun lists them), version_defs without the base, the base."""
    needs = []  # (file, version, flags) in readelf's order
    lib = None
    for line in section(vers, "Version needs section", ("Version definition section", "Version symbols section")):
        w = line.split()
        lib = field(w, "File:") or lib
        if "Name:" in w:
            needs.append((lib, field(w, "Name:"), field(w, "Flags:")))
    bound = []  # (symbol, version) of "name@VERSION" references, not "@@" definitions
    for line in syms.splitlines():
        w = line.split()
        if len(w) >= 8 and "@" in w[7] and "@@" not in w[7]:
            name, version = w[7].split("@")[:2]
            bound.append((name, version))
    by_file = {}
    for f, v, fl in needs:
        by_file.setdefault(f, []).append({"name": v, "weak": fl == "WEAK",
                                          "symbols": sorted({s for s, sv in bound if sv == v})})
    version_needs = [{"file": f, "versions": by_file[f]} for f in sorted(by_file)]
    defs, base = [], None
    for line in section(vers, "Version definition section", ("Version needs section", "Version symbols section")):
        w = line.split()
        if "Rev:" in w:
            if field(w, "Flags:") == "BASE":
                base = base or field(w, "Name:")
            else:
                defs.append(field(w, "Name:"))
    return version_needs, [d for d in defs if d], base


def facts(path):
    hdr = tool("readelf", "-hW", path)
    prog = tool("readelf", "-lW", path)
    dyn = tool("readelf", "-dW", path)
    notes = tool("readelf", "-nW", path)
    vers = tool("readelf", "-VW", path)
    syms = tool("readelf", "-W", "--dyn-syms", path)

    elf_class = int(first(r"^ *Class: *ELF([0-9]*)$", hdr))
    endian = first(r"^ *Data: .*, (little|big) endian$", hdr)
    elf_type = first(r"^ *Type: *([A-Z]*)", hdr)
    osabi = first(r"^ *OS/ABI: *(.*)$", hdr)
    machine = machine_of(first(r"^ *Machine: *(.*)$", hdr), elf_class, endian)
    interp = first(r"\[Requesting program interpreter: (.*)\]$", prog)
    pie = bool(re.search(r"\(FLAGS_1\).* PIE", dyn))
    kind = {"REL": "relocatable", "CORE": "core"}.get(elf_type, "")
    if elf_type == "EXEC":
        kind = "dynamic-non-pie" if interp else "static"
    elif elf_type == "DYN":
        kind = "dynamic-pie" if interp else "static-pie" if pie else "shared-library"

    def dyn_values(tag, label):
        return re.findall(r"\(%s\) *%s: \[(.*)\]$" % (tag, label), dyn, re.M)

    def split_path(values):
        return [p for v in values for p in v.split(":") if p]

    sonames = dyn_values("SONAME", "Library soname")
    bind_now = bool(re.search(r"\(BIND_NOW\)", dyn) or re.search(r"\(FLAGS\) .*BIND_NOW", dyn)
                    or re.search(r"\(FLAGS_1\) .*Flags:.* NOW( |$)", dyn, re.M))

    out = {"class": elf_class, "endian": endian, "machine": machine, "type": elf_type, "kind": kind,
           "osabi": osabi, "interpreter": interp,
           "needed": [n for n in dyn_values("NEEDED", "Shared library") if n],
           "soname": next((n for n in sonames if n), None),
           "rpath": split_path(dyn_values("RPATH", "Library rpath")),
           "runpath": split_path(dyn_values("RUNPATH", "Library runpath"))}

    version_needs, defs, base = version_tables(vers, syms)
    out.update(version_needs=version_needs, version_defs=defs, version_base=base)

    # The newest GLIBC_x.y[.z] version needed, and the symbols that need it.
    glibc = [v["name"][6:] for f in version_needs for v in f["versions"]
             if re.fullmatch(r"GLIBC_[0-9][0-9.]*", v["name"])]
    newest = max(glibc, key=lambda v: [int(p) for p in v.split(".") if p], default=None)
    out["max_glibc"] = newest
    out["max_glibc_symbols"] = sorted({s for f in version_needs for v in f["versions"]
                                       if v["name"] == "GLIBC_%s" % newest for s in v["symbols"]})

    # "x86 ISA needed: x86-64-baseline, x86-64-v3" lists every level bit; the last is the highest.
    levels = [p.replace(" ", "") for line in re.findall(r"x86 ISA needed: (.*)$", notes, re.M)
              for p in re.sub(r", x86 [A-Za-z].*", "", line).split(",")]
    levels = [p for p in levels if p]
    isa = levels[-1] if levels else None
    feature = " ".join(re.sub(r", x86 ISA.*", "", line) for line in re.findall(r"x86 feature: (.*)$", notes, re.M))
    out.update(min_kernel=first(r"OS: Linux, ABI: ([0-9.]*)", notes) or None,
               x86_isa_needed=isa,
               cet={"ibt": bool(re.search(r"\bIBT\b", feature)), "shstk": bool(re.search(r"\bSHSTK\b", feature))},
               bind_now=bind_now,
               build_id=first(r"Build ID: ([0-9a-f]*)", notes) or None)

    # PT_GNU_STACK's flags; with no program headers there is nothing to say.
    stacks = [line.split() for line in prog.splitlines() if line.split()[:1] == ["GNU_STACK"]]
    if "GNU_STACK" in prog:
        out["exec_stack"] = any(len(w) >= 7 and "E" in w[6] for w in stacks)

    # Go: what `go version -m` and `go tool buildid` print, for Go binaries only.
    out.update(go_version=None, go_build_id=None)
    if shutil.which("go"):
        line = tool("go", "version", "-m", path).split("\n")[0]
        v = first(r"^.*: (go[0-9][^ ]*)$", line)
        if v:
            out.update(go_version=v, go_build_id=tool("go", "tool", "buildid", path).rstrip("\n"))
    return out


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: readelf_facts.py FILE")
    print(json.dumps(facts(sys.argv[1]), separators=(",", ":")))
