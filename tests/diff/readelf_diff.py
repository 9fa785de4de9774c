#!/usr/bin/env python3
"""Differential test: `canrun inspect --json` against binutils' `readelf -W`.

For every ELF file under the given targets, compare what canrun reports
(class, endianness, machine, type, interpreter, NEEDED, SONAME, RPATH,
RUNPATH, version needs and definitions, and the undefined symbols bound to
each needed version) with what readelf prints. Two independent parsers
agreeing over thousands of real files is strong evidence that both read the
format right; where they disagree, one of them has a bug.

Standard library only, so it runs wherever python3 and binutils are.
"""

import argparse
import concurrent.futures
import fnmatch
import json
import os
import re
import subprocess
import sys

# Known, reasoned differences between canrun and readelf. Key: (glob matched
# against the path as given, field name as printed in MISMATCH lines); value:
# why the difference is right. Each entry must be backed by the bytes of a
# concrete file; a mismatch it covers is not counted as a failure.
DELIBERATE = {}

BATCH = 200  # paths per canrun run: amortises process start-up

ELF_MAGIC = b"\x7fELF"


def machine_name(text, elfclass, endian):
    """Map readelf's Machine text to canrun's name (uname -m spelling).

    Returns None for a machine the table lacks; canrun is then expected to
    call it EM_<number>.
    """
    big = endian == "big"
    table = {
        "None": "none",
        "Advanced Micro Devices X86-64": "x32" if elfclass == 32 else "x86_64",
        "Intel 80386": "i386",
        "AArch64": "aarch64_be" if big else "aarch64",
        "ARM": "armeb" if big else "arm",
        # readelf calls both EM_S390 and the old 0xa390 "IBM S/390".
        "IBM S/390": "s390x" if elfclass == 64 else "s390",
        "PowerPC": "ppc" if big else "ppcle",
        "PowerPC64": "ppc64" if big else "ppc64le",
        "RISC-V": "riscv64" if elfclass == 64 else "riscv32",
        # readelf names EM_MIPS after the R3000 whatever the class or order.
        "MIPS R3000": ("mips64" if elfclass == 64 else "mips") + ("" if big else "el"),
        "LoongArch": "loongarch64" if elfclass == 64 else "loongarch32",
        "Sparc": "sparc",
        "Sparc v9": "sparc64",
        "Intel IA-64": "ia64",
        "Alpha": "alpha",
        "MC68000": "m68k",
        "HPPA": "parisc",
        "Renesas / SuperH SH": "sh",
    }
    return table.get(text)


def header_machine(path, endian):
    """e_machine straight from the file, to check canrun's EM_<number>."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(20)
    except OSError:
        return None
    if len(head) < 20:
        return None
    return int.from_bytes(head[18:20], endian if endian in ("little", "big") else "little")


# ---------------------------------------------------------------- readelf

RE_DYN = re.compile(
    r"^\s*0x[0-9a-f]+ \((NEEDED|SONAME|RPATH|RUNPATH)\)\s+"
    r"(?:Shared library|Library soname|Library rpath|Library runpath): \[(.*)\]$"
)
# Where a string offset is past the string table, readelf prints the number
# instead: "(NEEDED) 0xd42", "File: 8852", "Name index: 2097175". These mark
# a file readelf could not fully read either.
RE_DYN_BAD = re.compile(r"^\s*0x[0-9a-f]+ \((NEEDED|SONAME|RPATH|RUNPATH)\)\s+0x[0-9a-f]+$")
RE_VERNEED_FILE = re.compile(r"^\s*(?:0x)?[0-9a-f]+: Version: \d+\s+File: (.*?)\s+Cnt: \d+$")
RE_VERNEED_AUX = re.compile(
    r"^\s*0x[0-9a-f]+:\s+Name: (.*?)\s+Flags: (.*?)\s+Version: (\d+)$"
)
RE_VERNEED_AUX_BAD = re.compile(r"^\s*0x[0-9a-f]+:\s+Name index: (\d+)")
RE_VERDEF = re.compile(
    r"^\s*(?:0x)?[0-9a-f]+: Rev: \d+\s+Flags: .*?\s+Index: \d+\s+Cnt: \d+\s+Name( index)?: (.*)$"
)
# An undefined symbol: "Num: Value Size Type Bind Vis [st_other extras] UND
# Name". Type and Bind may hold spaces ("<processor specific>: 15"); Vis is
# always one of four words, so anchor on it.
RE_UNDEF_SYM = re.compile(
    r"^\s*\d+: \S+\s+\S+ .*? (?:DEFAULT|INTERNAL|HIDDEN|PROTECTED)"
    r"(?: \[[^\]]*\])?\s+UND (.*)$"
)
# readelf 2.40 prints an undefined symbol bound to a version need as
# "name@VERSION (index)"; the index ties it to one File: of .gnu.version_r.
# "@<corrupt>" means readelf could not resolve the version.
RE_SYMVER = re.compile(r"^(.*)@([^@]*) \((\d+)\)$")


def as_json_text(raw):
    """Decode bytes the way canrun's JSON does: an invalid byte is U+FFFD.

    surrogateescape turns each byte that is not part of a valid UTF-8
    sequence into one lone surrogate, so replacing those is per byte too.
    """
    return re.sub("[\udc80-\udcff]", "\ufffd", raw.decode("utf-8", "surrogateescape"))


def as_readelf_symbol(name):
    """Spell a symbol name as readelf prints it, to compare with its output.

    readelf shows a control character in a symbol name as ^ and the
    character plus 0x40; for DEL that gives the lone byte 0xbf, which
    as_json_text turns into U+FFFD. Other strings it prints raw.
    """
    return re.sub(
        "[\x00-\x1f\x7f]",
        lambda m: "^" + ("\ufffd" if m.group() == "\x7f" else chr(ord(m.group()) + 0x40)),
        name,
    )


def readelf(args, path):
    """Run readelf; return (stdout as text, first error or None)."""
    try:
        p = subprocess.run(
            ["readelf", "-W"] + args + ["--", path],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=dict(os.environ, LC_ALL="C"),
        )
    except OSError as e:
        return "", "cannot run readelf: %s" % e
    # readelf may exit 0 after "Error:" lines (e.g. program headers past the
    # end of a truncated file), so those count as a failure too.
    err = p.stderr.decode("utf-8", "replace").splitlines()
    errors = [e for e in err if "Error:" in e]
    failed = None
    if p.returncode != 0 or errors:
        failed = (errors or err or ["exit %d" % p.returncode])[0]
    return as_json_text(p.stdout), failed


def run_readelf(path):
    out, failed = readelf(["-h", "-l", "-d", "-V", "--dyn-syms"], path)
    info = parse_readelf(out)
    if failed:
        info["failed"] = failed
    if info["no_sections"] and info["dynamic"]:
        # Without section headers readelf finds neither .gnu.version_r nor
        # .dynsym; -D -s reads the symbols through the dynamic segment, as
        # the loader (and canrun) does, with their version names.
        out, failed = readelf(["-D", "-s"], path)
        info["symbols"] = parse_readelf(out)["symbols"]
        if failed and "failed" not in info:
            info["failed"] = failed
    return info


def parse_readelf(out):
    info = {
        "class": None,
        "endian": None,
        "machine_text": None,
        "type": None,
        "interpreter": None,
        "dynamic": False,
        "needed": [],
        "soname": None,
        "rpath": "",  # as printed, ':'-separated
        "runpath": "",
        "verneed": [],  # [(file, [(name, weak, index)])]
        "verdef": [],
        "symbols": [],  # [(version index, version name, symbol)], undefined only
        "no_sections": False,
    }
    section = None
    # Only newlines end a line: names may hold \r or \f, printed raw.
    for line in out.split("\n"):
        if line.startswith("ELF Header:"):
            section = "header"
            continue
        if line.startswith("Program Headers:"):
            section = "phdr"
            continue
        if line.startswith("Dynamic section at offset"):
            section = "dynamic"
            info["dynamic"] = True
            continue
        if line.startswith("Version needs section"):
            section = "verneed"
            continue
        if line.startswith("Version definition section"):
            section = "verdef"
            continue
        if line.startswith("Version symbols section"):
            section = "versym"
            continue
        if line.startswith("Symbol table "):
            section = "dynsym"
            continue
        if line.startswith(" Section to Segment mapping"):
            section = None
            continue

        if section == "header":
            key, sep, val = line.strip().partition(":")
            if not sep:
                continue
            val = val.strip()
            if key == "Class":
                info["class"] = {"ELF32": 32, "ELF64": 64}.get(val, val)
            elif key == "Data":
                if "little endian" in val:
                    info["endian"] = "little"
                elif "big endian" in val:
                    info["endian"] = "big"
                else:
                    info["endian"] = val
            elif key == "Type":
                # "DYN (Shared object file)"; non-standard values such as
                # "OS Specific: (fe00)" are kept whole.
                m = re.match(r"^(NONE|REL|EXEC|DYN|CORE) \(", val)
                info["type"] = m.group(1) if m else val
            elif key == "Machine":
                info["machine_text"] = val
            elif key == "Number of section headers":
                info["no_sections"] = val == "0"
        elif section == "phdr":
            m = re.match(r"^\s*\[Requesting program interpreter: (.*)\]$", line)
            if m:
                info["interpreter"] = m.group(1)
        elif section == "dynamic":
            m = RE_DYN.match(line)
            if RE_DYN_BAD.match(line):
                info["unresolved"] = line.strip()
            elif m:
                tag, val = m.groups()
                if tag == "NEEDED":
                    info["needed"].append(val)
                elif tag == "SONAME":
                    # ld.so keeps the last entry of a repeated tag (its
                    # l_info[] is filled in order), and so does this.
                    info["soname"] = val
                else:
                    info[tag.lower()] = val
        elif section in ("verneed", "verdef") and "past end of section" in line:
            # e.g. "Version definition past end of section": readelf gave up.
            info["unresolved"] = line.strip()
        elif section == "verneed":
            m = RE_VERNEED_FILE.match(line)
            if m:
                info["verneed"].append((m.group(1), []))
                # A bare hex number is likely an offset readelf could not
                # resolve; it only ever excuses an error from canrun.
                if re.match(r"^[0-9a-f]+$", m.group(1)):
                    info["unresolved"] = line.strip()
                continue
            m = RE_VERNEED_AUX.match(line)
            if m and info["verneed"]:
                name, flags, idx = m.groups()
                weak = "WEAK" in flags.split(" | ")
                info["verneed"][-1][1].append((name, weak, int(idx)))
                continue
            m = RE_VERNEED_AUX_BAD.match(line)
            if m and info["verneed"]:
                info["verneed"][-1][1].append(("<name index %s>" % m.group(1), None, -1))
                info["unresolved"] = line.strip()
        elif section == "verdef":
            m = RE_VERDEF.match(line)
            if m and m.group(1):
                info["verdef"].append("<name index %s>" % m.group(2))
                info["unresolved"] = line.strip()
            elif m:
                info["verdef"].append(m.group(2))
        elif section == "dynsym":
            m = RE_UNDEF_SYM.match(line)
            v = m and RE_SYMVER.match(m.group(1))
            if v and v.group(2) != "<corrupt>":
                sym, ver, idx = v.groups()
                info["symbols"].append((int(idx), ver, sym))
    # An ELF header readelf cannot decode stops it as surely as an error.
    if info["class"] not in (32, 64) or info["endian"] not in ("little", "big"):
        info.setdefault("failed", "unknown class or byte order")
    return info


# ---------------------------------------------------------------- canrun


def run_canrun(canrun, paths):
    """Return {path: record} for one batch; a crash is isolated per file."""
    try:
        p = subprocess.run(
            [canrun, "inspect", "--json", "--"] + paths,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
    except OSError as e:
        return {path: {"path": path, "error": "cannot run canrun: %s" % e} for path in paths}
    # 0: all read; 2: at least one file could not be read (reported inline).
    if p.returncode in (0, 2):
        try:
            recs = json.loads(p.stdout.decode("utf-8"))["files"]
            # Records come in argument order; the path check guards that.
            if len(recs) == len(paths) and all(
                r.get("path") == as_json_text(os.fsencode(q)) for r, q in zip(recs, paths)
            ):
                return dict(zip(paths, recs))
            why = "records do not match the paths given"
        except (ValueError, KeyError, TypeError, AttributeError) as e:
            why = "unparsable JSON (%s)" % e
    else:
        if p.returncode < 0:
            why = "killed by signal %d" % -p.returncode
        else:
            why = "exit %d" % p.returncode
        err = p.stderr.decode("utf-8", "replace").strip()
        if err:
            why += ": " + err.splitlines()[0][:200]
    if len(paths) == 1:
        return {paths[0]: {"path": paths[0], "error": "canrun failed: " + why}}
    # Rerun one by one so a single bad file does not hide a whole batch.
    res = {}
    for path in paths:
        res.update(run_canrun(canrun, [path]))
    return res


# ---------------------------------------------------------------- compare


def fmt(v):
    return json.dumps(v, ensure_ascii=False, sort_keys=True)


def compare(path, cr, re_):
    """Yield (field, canrun value, readelf value) for each disagreement."""
    if "error" in cr:
        if "failed" not in re_ and "unresolved" not in re_:
            yield ("error", cr["error"], "readelf read the file without error")
        return
    if re_["class"] not in (32, 64) or re_["endian"] not in ("little", "big"):
        yield ("readelf", "read the file", re_.get("failed"))
        return

    def check(field, c, r):
        if c != r:
            return [(field, c, r)]
        return []

    out = []
    out += check("class", cr.get("class"), re_["class"])
    out += check("endian", cr.get("endian"), re_["endian"])

    mtext = re_["machine_text"]
    want = machine_name(mtext, re_["class"], re_["endian"])
    unknown = re.match(r"^<unknown>: 0x([0-9a-f]+)$", mtext or "")
    if unknown:
        want = "EM_%d" % int(unknown.group(1), 16)
    if want is None:
        # readelf knows a machine the table lacks: canrun should print its
        # number; if it prints a name instead, the table needs a row.
        num = header_machine(path, re_["endian"])
        if cr.get("machine") != "EM_%s" % num:
            out.append(("machine(unmapped)", cr.get("machine"), mtext))
    else:
        out += check("machine", cr.get("machine"), want)

    # Other e_type values: readelf prints e.g. "OS Specific: (fe00)" or
    # "<unknown>: 1234", canrun "ET_0xfe00"; compare the number.
    rtype = re_["type"]
    m = re.search(r"([0-9a-f]+)\)?$", rtype or "")
    if rtype not in ("NONE", "REL", "EXEC", "DYN", "CORE") and m:
        rtype = "ET_%#x" % int(m.group(1), 16)
    out += check("type", cr.get("type"), rtype)

    out += check("interpreter", cr.get("interpreter"), re_["interpreter"])
    out += check("needed", cr.get("needed"), re_["needed"])
    out += check("soname", cr.get("soname"), re_["soname"])
    # canrun splits on ':'; readelf prints the raw string.
    for tag in ("rpath", "runpath"):
        c = cr.get(tag)
        cj = ":".join(c) if isinstance(c, list) else c
        out += check(tag, cj, re_[tag])

    cvn = cr.get("version_needs") or []
    if re_["no_sections"]:
        # readelf finds .gnu.version_r and .gnu.version_d only through section
        # headers, so here just the symbol bindings (read by -D through the
        # dynamic segment) can be compared, by version name: readelf names
        # no file.
        def key_of(f, n):
            return n
        r_keys = {}
    else:
        def key_of(f, n):
            return "%s@%s" % (n, f)

        # Version needs: order of files, then each file's set of (name, weak).
        c_files = [vn.get("file") for vn in cvn]
        r_files = [f for f, _ in re_["verneed"]]
        out += check("version_needs.files", c_files, r_files)
        c_tuples = {
            (vn.get("file"), v.get("name"), bool(v.get("weak")))
            for vn in cvn
            for v in vn.get("versions") or []
        }
        r_tuples = {(f, n, w) for f, vs in re_["verneed"] for n, w, _ in vs}
        if c_tuples != r_tuples:
            out.append(
                ("version_needs", sorted(c_tuples - r_tuples), sorted(r_tuples - c_tuples))
            )
        out += check("version_defs", cr.get("version_defs") or [], re_["verdef"])
        # readelf's "(index)" ties a symbol to one vernaux, hence one file.
        r_keys = {idx: key_of(f, n) for f, vs in re_["verneed"] for n, _, idx in vs}

    # Undefined symbols bound to each needed version. An index that -V did
    # not list (the two disagree only in a damaged file) keys as file "?".
    r_syms = {}
    for idx, ver, sym in re_["symbols"]:
        key = r_keys.get(idx, key_of("?", ver))
        r_syms.setdefault(key, set()).add(sym)
    c_syms = {}
    for vn in cvn:
        for v in vn.get("versions") or []:
            key = key_of(vn.get("file"), v.get("name"))
            c_syms.setdefault(key, set()).update(
                as_readelf_symbol(s) for s in v.get("symbols") or []
            )
    for key in sorted(set(c_syms) | set(r_syms)):
        c = c_syms.get(key, set())
        r = r_syms.get(key, set())
        if c != r:
            out.append(("symbols[%s]" % key, sorted(c - r), sorted(r - c)))
    for item in out:
        yield item


def deliberate(path, field):
    for (glob, f), _reason in DELIBERATE.items():
        if f == field and fnmatch.fnmatch(path, glob):
            return True
    return False


# ---------------------------------------------------------------- files


def is_elf(path):
    try:
        with open(path, "rb") as fh:
            return fh.read(4) == ELF_MAGIC
    except OSError:
        return False


def collect(targets):
    """ELF paths from (target, recursive) pairs, as given or walked.

    Each real file is checked once, under the first path that reaches it; a
    symlink to a file is followed, a symlink to a directory is not walked
    into (it could loop).
    """
    seen = set()
    paths = []

    def add(p):
        try:
            st = os.stat(p)  # follows a symlink to its file
        except OSError:
            return
        if not os.path.isfile(p):
            return
        key = (st.st_dev, st.st_ino)
        if key in seen:
            return
        seen.add(key)
        if is_elf(p):
            paths.append(p)

    for t, recursive in targets:
        if os.path.isdir(t):
            if recursive:
                for root, dirs, files in os.walk(t):
                    dirs.sort()
                    for f in sorted(files):
                        add(os.path.join(root, f))
            else:
                for f in sorted(os.listdir(t)):
                    add(os.path.join(t, f))
        elif os.path.exists(t):
            add(t)
        else:
            print("readelf-diff: no such file or directory: %s" % t, file=sys.stderr)
    return paths


def main(argv):
    # Paths and names may hold any bytes; never die printing them.
    sys.stdout.reconfigure(errors="backslashreplace")
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--canrun", help="path to the canrun binary")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--recursive", action="store_true",
                    help="walk every directory TARGET recursively")
    ap.add_argument("-R", "--recursive-target", action="append", default=[], metavar="DIR",
                    help="one more directory to walk recursively (repeatable)")
    ap.add_argument("--list-differences", action="store_true",
                    help="print the deliberate differences and exit")
    ap.add_argument("targets", nargs="*", metavar="TARGET")
    args = ap.parse_args(argv)

    if args.list_differences:
        if not DELIBERATE:
            print("no deliberate differences")
        for (glob, field), reason in sorted(DELIBERATE.items()):
            print("%s %s: %s" % (glob, field, reason))
        return 0
    if not args.canrun or not (args.targets or args.recursive_target):
        ap.error("--canrun and at least one TARGET are required")

    # One collection keeps a file reachable from two targets to one check.
    paths = collect([(t, args.recursive) for t in args.targets]
                    + [(t, True) for t in args.recursive_target])
    batches = [paths[i:i + BATCH] for i in range(0, len(paths), BATCH)]
    passed = failed = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        # Queue every job now, batch by batch, so results come in the order
        # they are consumed: path order, stable from run to run.
        cfuts, rfuts = [], []
        for b in batches:
            cfuts.append(pool.submit(run_canrun, args.canrun, b))
            rfuts.append([pool.submit(run_readelf, p) for p in b])
        for batch, cfut, rbatch in zip(batches, cfuts, rfuts):
            cres = cfut.result()
            for path, rfut in zip(batch, rbatch):
                re_info = rfut.result()
                cr = cres.get(path)
                if cr is None:
                    cr = {"path": path, "error": "missing from canrun's output"}
                bad = False
                for field, c, r in compare(path, cr, re_info):
                    if deliberate(path, field):
                        continue
                    bad = True
                    print("MISMATCH %s %s: canrun=%s readelf=%s" % (path, field, fmt(c), fmt(r)))
                if bad:
                    failed += 1
                else:
                    passed += 1
                sys.stdout.flush()
    print("readelf-diff: %d passed, %d failed" % (passed, failed))
    return 1 if failed or not (passed + failed) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
