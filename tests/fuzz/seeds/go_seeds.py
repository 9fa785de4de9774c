#!/usr/bin/env python3
"""Seeds for the Go fuzz targets, made at test time from real Go programs
and from tables and blobs synthesized here for the layouts no installed
toolchain writes any more.

usage: go_seeds.py buildinfo|modinfo|pclntab OUTDIR PROGRAM...

  buildinfo  each program's .go.buildinfo section (Go 1.18+ inline strings,
             either byte order and pointer size as the programs have them),
             pre-1.18 blobs of pointers to string headers in all four
             combinations, addressed as fuzz_goelf.h maps the section, and
             two small whole ELF files (one without section headers)
  modinfo    the module text of each program's build info, without frames,
             and a few texts with replaced and hashed dependencies
  pclntab    a leading byte (fuzz_pclntab.c's choice of build info) and a
             function table: the smallest programs' .gopclntab sections,
             and synthesized tables of the go1.2, go1.16, go1.18 and go1.20
             layouts in either byte order and pointer size
"""
import hashlib
import os
import struct
import sys

GOELF_BASE = 0x400000   # fuzz_goelf.h
GOELF_FIRST = 0x80
MAX_SEED = 512 * 1024
MAX_REAL_TABLES = 3
MAGIC = b"\xff Go buildinf:"
FRAME_START = bytes.fromhex("3077af0c9274080241e1c107e6d618e6")
FRAME_END = bytes.fromhex("f932433186182072008242104116d8f2")


def sections(path):
    """{name: bytes} of an ELF file's sections (any class, byte order)."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:4] != b"\x7fELF":
        return {}
    is64, be = data[4] == 2, data[5] == 2
    e = ">" if be else "<"
    if is64:
        shoff, = struct.unpack_from(e + "Q", data, 0x28)
        shentsize, shnum, shstrndx = struct.unpack_from(e + "HHH", data, 0x3a)
        fmt = e + "IIQQQQIIQQ"
    else:
        shoff, = struct.unpack_from(e + "I", data, 0x20)
        shentsize, shnum, shstrndx = struct.unpack_from(e + "HHH", data, 0x2e)
        fmt = e + "IIIIIIIIII"
    if not shoff or shstrndx >= shnum:
        return {}
    hdrs = [struct.unpack_from(fmt, data, shoff + i * shentsize) for i in range(shnum)]
    strtab = hdrs[shstrndx]
    names = data[strtab[4]:strtab[4] + strtab[5]]
    out = {}
    for h in hdrs:
        name = names[h[0]:names.index(b"\0", h[0])].decode()
        if h[1] != 8:  # not SHT_NOBITS
            out[name] = data[h[4]:h[4] + h[5]]
    return out


def uvarint(b, at):
    value = shift = 0
    while True:
        c = b[at]
        at += 1
        value |= (c & 0x7f) << shift
        shift += 7
        if not c & 0x80:
            return value, at


def put_uvarint(n):
    out = bytearray()
    while n >= 0x80:
        out.append(n & 0x7f | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def module_text(blob):
    """The module text of an inline (Go 1.18+) blob, frames removed."""
    at = blob.find(MAGIC)
    if at < 0 or not blob[at + 15] & 2:
        return None
    n, p = uvarint(blob, at + 32)
    n, p = uvarint(blob, p + n)
    framed = blob[p:p + n]
    return framed[16:-16] if len(framed) >= 33 else b""


def inline_blob(version, text, ptr_size=8, be=False):
    framed = FRAME_START + text + FRAME_END if text is not None else b""
    head = MAGIC + bytes([ptr_size, 2 | int(be)]) + bytes(16)
    return head + put_uvarint(len(version)) + version + put_uvarint(len(framed)) + framed


def pointer_blob(version, text, ptr_size, be):
    """A pre-1.18 blob: two pointers to Go string headers {data, len},
    all inside the section, which fuzz_goelf.h maps at BASE + FIRST."""
    e = ">" if be else "<"
    w = e + ("Q" if ptr_size == 8 else "I")
    addr = GOELF_BASE + GOELF_FIRST
    framed = FRAME_START + text + FRAME_END
    hdr_at = 32 + 2 * ptr_size
    hdr_at = (hdr_at + 15) & ~15
    vers_at = hdr_at + 4 * ptr_size
    mod_at = vers_at + len(version)
    out = bytearray(MAGIC + bytes([ptr_size, int(be)]))
    out += bytes(16 - len(out) % 16 if len(out) % 16 else 0)
    out += struct.pack(w, addr + hdr_at) + struct.pack(w, addr + hdr_at + 2 * ptr_size)
    out += bytes(hdr_at - len(out))
    out += struct.pack(w, addr + vers_at) + struct.pack(w, len(version))
    out += struct.pack(w, addr + mod_at) + struct.pack(w, len(framed))
    out += version + framed
    return bytes(out)


def tiny_elf(blob, with_sections):
    """An x86-64 ELF64 file with blob in a writable segment, with or
    without a .go.buildinfo section over it."""
    data_at = 0x80
    shstr = b"\0.go.buildinfo\0.shstrtab\0"
    str_at = data_at + len(blob)
    shoff = (str_at + len(shstr) + 7) & ~7
    shnum = 3 if with_sections else 0
    total = shoff + shnum * 64
    img = bytearray(total)
    img[0:16] = b"\x7fELF\x02\x01\x01" + bytes(9)
    struct.pack_into("<HHIQQQIHHHHHH", img, 16, 2, 62, 1, GOELF_BASE + data_at, 64,
                     shoff if shnum else 0, 0, 64, 56, 1, 64, shnum, 2 if shnum else 0)
    struct.pack_into("<IIQQQQQQ", img, 64, 1, 6, 0, GOELF_BASE, GOELF_BASE, total, total, 0x1000)
    img[data_at:data_at + len(blob)] = blob
    img[str_at:str_at + len(shstr)] = shstr
    if shnum:
        struct.pack_into("<IIQQQQIIQQ", img, shoff + 64, 1, 1, 3, GOELF_BASE + data_at, data_at,
                         len(blob), 0, 0, 16, 0)
        struct.pack_into("<IIQQQQIIQQ", img, shoff + 128, 15, 3, 0, 0, str_at, len(shstr), 0, 0, 1, 0)
    return bytes(img)


# ---- synthesized function tables (layout: src/go/pclntab.c) ----------------

MAGICS = {"go1.2": 0xfffffffb, "go1.16": 0xfffffffa, "go1.18": 0xfffffff0, "go1.20": 0xfffffff1}
NAMES = [
    "main.main", "runtime.main", "runtime/cgo.init", "runtime.cgocall", "crosscall2",
    "net._C2func_getaddrinfo", "net.cgoLookupHost", "net.(*Resolver).goLookupHost",
    "os/user._Cfunc_mygetpwuid_r", "os/user.lookupUser", "crypto/x509.(*CertPool).AddCert",
    "crypto/x509.loadSystemRoots", "time/tzdata.init", "time.loadLocation",
    "github.com/mattn/go-sqlite3._Cfunc_sqlite3_open_v2", "gopkg.in/yaml%2ev3.(*parser).parse",
    "plugin.Open", "runtime.racefuncenter", "type..eq.main.T", "main.Keys[...]",
]


def synth_table(layout, ptr_size, be, names):
    e = ">" if be else "<"
    magic = MAGICS[layout]
    new_entry = layout in ("go1.18", "go1.20")
    words = 1 if layout == "go1.2" else 7 if layout == "go1.16" else 8
    field = 4 if new_entry else ptr_size
    if layout == "go1.20":
        names = [n.replace("type..", "type:.").replace("[...]", "[go.shape.string]") for n in names]
    n = len(names)
    t = bytearray(8 + words * ptr_size)

    def put(off, width, v):
        fmt = {1: "B", 2: "H", 4: "I", 8: "Q"}[width]
        struct.pack_into(e + fmt, t, off, v)

    def reserve(size, align):
        while len(t) % align:
            t.append(0)
        at = len(t)
        t.extend(bytes(size))
        return at

    def append(b):
        at = len(t)
        t.extend(b)
        return at

    put(0, 4, magic)
    t[6] = 1 if ptr_size == 8 and not be else 4
    t[7] = ptr_size
    put(8, ptr_size, n)
    name_at = []
    if layout != "go1.2":
        names_off = len(t)
        for s in names:
            name_at.append(append(s.encode() + b"\0") - names_off)
        cutab, filetab, pctab = reserve(4, 4), reserve(4, 4), reserve(4, 4)
    functab = reserve((2 * n + 1) * field + (4 if layout == "go1.2" else 0), ptr_size if layout == "go1.2" else 8)
    recs = [reserve(48, ptr_size) for _ in names]
    if layout == "go1.2":
        names_off = 0
        for s in names:
            name_at.append(append(s.encode() + b"\0"))
        filetab = reserve(8, 4)
        put(functab + (2 * n + 1) * field, 4, filetab)
    funcdata = 0 if layout == "go1.2" else functab
    text = 0x401000
    for i in range(n + 1):
        entry = 0x40 * i if new_entry else text + 0x40 * i
        put(functab + 2 * i * field, field, entry)
        if i == n:
            break
        put(functab + (2 * i + 1) * field, field, recs[i] - funcdata)
        put(recs[i], field, entry)
        put(recs[i] + field, 4, name_at[i])
    if layout != "go1.2":
        w = 8 + 2 * ptr_size
        put(8 + ptr_size, ptr_size, 1)
        if new_entry:
            put(w, ptr_size, text)
            w += ptr_size
        for i, off in enumerate((names_off, cutab, filetab, pctab, functab)):
            put(w + i * ptr_size, ptr_size, off)
    return bytes(t)


def main():
    mode, out, programs = sys.argv[1], sys.argv[2], sys.argv[3:]
    os.makedirs(out, exist_ok=True)
    seen = set()

    def write(name, data):
        digest = hashlib.sha256(data).digest()
        if digest in seen or len(data) > MAX_SEED:
            return
        seen.add(digest)
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)

    blobs, tables = [], []
    for p in programs:
        try:
            secs = sections(p)
        except (OSError, struct.error, ValueError):
            continue
        base = os.path.basename(p)
        if ".go.buildinfo" in secs:
            blobs.append((base, secs[".go.buildinfo"]))
        if mode == "pclntab" and ".gopclntab" in secs:
            b = secs[".go.buildinfo"] if ".go.buildinfo" in secs else b""
            text = module_text(b) or b""
            choice = 0 if not b else 2 if b"CGO_ENABLED=1" in text else 1
            tables.append((len(secs[".gopclntab"]), base, bytes([choice]) + secs[".gopclntab"]))

    text = (b"path\texample.com/app\nmod\texample.com/app\t(devel)\t\n"
            b"dep\tgithub.com/gin-gonic/gin\tv1.8.1\th1:4+fr/el88TOO3ewCmQr8cx/CtZ/umlIRIs5M4NTNjf8=\n"
            b"build\t-compiler=gc\nbuild\tCGO_ENABLED=1\nbuild\tGOARCH=amd64\nbuild\tGOOS=linux\n")
    if mode == "buildinfo":
        for base, b in blobs:
            write("real-" + base, b)
        for ps in (4, 8):
            for be in (False, True):
                tag = "%d%s" % (ps * 8, "be" if be else "le")
                write("pointers-" + tag, pointer_blob(b"go1.16.15", text, ps, be))
                write("inline-" + tag, inline_blob(b"go1.21.0", text, ps, be))
        write("inline-nomod", inline_blob(b"go1.20", None))
        blob = inline_blob(b"go1.22.1", text)
        write("elf-sections", tiny_elf(blob, True))
        write("elf-no-sections", tiny_elf(blob, False))
    elif mode == "modinfo":
        for base, b in blobs:
            t = module_text(b)
            if t is not None:
                write("real-" + base, t)
        write("replaced", b"path\texample.com/app\nmod\texample.com/app\tv0.0.0-20240101000000-abcdef123456\t\n"
              b"dep\texample.com/lib\tv1.2.3\n=>\t../lib\t(devel)\t\n"
              b"dep\texample.com/other\tv1.0.0\th1:abc=\n=>\texample.com/fork\tv1.0.1\th1:def=\n"
              b"build\t-buildmode=pie\nbuild\t-tags=netgo,osusergo\nbuild\t-ldflags=\"-s -w\"\n"
              b"build\tCGO_ENABLED=0\nbuild\tGOAMD64=v3\nbuild\tvcs=git\nbuild\tvcs.modified=true\n")
        write("quoted", b"path\tcmd/go\nbuild\t\"-gcflags=all=-N -l\"\nbuild\tDefaultGODEBUG=panicnil=1\n")
        write("synthetic", text)
    elif mode == "pclntab":
        # A real table is large: the few smallest are enough, and more
        # would slow every mutation down.
        for _, base, t in sorted(tables)[:MAX_REAL_TABLES]:
            write("real-" + base, t)
        for i, layout in enumerate(MAGICS):
            for ps in (4, 8):
                for be in (False, True):
                    choice = (i + ps + be) % 4
                    write("%s-%d%s" % (layout, ps * 8, "be" if be else "le"),
                          bytes([choice]) + synth_table(layout, ps, be, NAMES))
    else:
        sys.exit("unknown mode " + mode)


if __name__ == "__main__":
    main()
