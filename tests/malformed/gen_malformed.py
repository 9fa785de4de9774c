#!/usr/bin/env python3
"""Writes canrun's robustness corpus: malformed variants of real ELF files.

    gen_malformed.py --out DIR [--fixtures FIXTURES_DIR] [--host FILE]...

Sources: the C fixtures (FIXTURES_DIR/c), the 32-bit and big-endian Go
fixtures (FIXTURES_DIR/go) when present, a few host binaries, and small
images of every class and byte order written by elfkit.py. From each, the
variants aim at the structures canrun reads:

  truncations  at every header and table boundary and a spread of offsets;
  counts       e_phnum/e_shnum (incl. PN_XNUM), DT_VERNEEDNUM, vn_cnt,
               nchain, GNU hash buckets, set absurdly high;
  overlaps     tables placed on top of each other or on the ELF header;
  cycles       vn_next/vna_next/vd_next pointing back (a loop under 32-bit
               pointer arithmetic) or at their own record;
  strings      dynstr, .shstrtab and PT_INTERP without their NUL;
  offsets      near 2^64 (2^32 for ELF32), so that off + size wraps;
  identity     class and byte-order bytes swapped or invalid;

plus inputs that are not ELF files at all (a directory, an empty file, a
FIFO, a symlink loop, text) and files built to make a reader do work
quadratic in their size. The corpus is rebuilt from scratch on every run.
"""

import argparse
import os
import random
import shutil
import struct
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import elfkit  # noqa: E402
from elfkit import (DT_GNU_HASH, DT_HASH, DT_NEEDED, DT_NULL, DT_STRSZ, DT_STRTAB,  # noqa: E402
                    DT_SYMTAB, DT_VERDEF, DT_VERDEFNUM, DT_VERNEED, DT_VERNEEDNUM,
                    DT_VERSYM, PF_R, PF_W, PT_DYNAMIC, PT_INTERP, PT_LOAD, PT_NOTE,
                    SHT_DYNSYM, SHT_NOTE)

HOST_SOURCES = [
    "/usr/bin/true",
    "/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2",
    "/usr/lib/x86_64-linux-gnu/libc.so.6",
]
# Go fixtures to use when present: one ELF32, one big-endian.
GO_SOURCES = ["ginserver-386", "ginserver-s390x"]
MAX_C_FIXTURES = 8
# C fixtures with the most structure for their size, every class and byte
# order among them (tests/fixtures/README.md); others fill up to the maximum.
PREFERRED_C = [
    "hello-pie", "hello-static-pie", "libgreet.so", "tiny-s390x-dyn", "libtiny-s390x.so.1",
    "tiny-ppc32be-dyn", "tiny-i386-dyn", "tiny-arm32",
]
# Larger sources get only the variants in LIGHT and fewer truncations, to
# keep the corpus (whole-file copies) small.
BIG = 512 << 10
LIGHT = {
    "class-swapped", "data-swapped", "phnum-xnum", "phnum-xnum-info-huge", "shoff-near-max",
    "shnum-0-size-huge", "shstrtab-unterminated", "strtab-unterminated", "verneednum-max",
    "vn-next-cycle", "vna-next-cycle", "vd-next-cycle", "gnuhash-buckets-max",
    "go-version-len-huge", "go-varint-endless", "go-pointer-form-wild", "loads-all-writable",
    "go-wiped-frames-open", "go-wiped-frames-many",
    "interp-unterminated", "dynamic-no-null",
}
# Go programs are ~10 MiB each: just the variants only they can have.
GO_VARIANTS = {"shstrtab-unterminated", "go-version-len-huge", "go-varint-endless", "go-pointer-form-wild",
               "go-wiped-frames-open", "go-wiped-frames-many"}


class Variants:
    """Builds the variants of one source file."""

    def __init__(self, elf):
        self.elf = elf
        self.d = elf.data
        self.out = []

    def add(self, name, data):
        if data is not None and data != self.d:
            self.out.append((name, data))

    def patched(self, *patches):
        if any(p is None for p in patches):
            return None
        b = bytearray(self.d)
        for off, fmt, value in patches:
            size = struct.calcsize(fmt)
            if off is None or off < 0 or off + size > len(b):
                return None
            struct.pack_into(self.elf.end + fmt, b, off, value & ((1 << (8 * size)) - 1))
        return bytes(b)

    def hdr(self, field, value):
        off, fmt = self.elf.hfield[field]
        return (off, fmt, value)

    def ph(self, p, field, value):
        off, fmt = self.elf.pfield[field]
        return (p["at"] + off, fmt, value)

    def sh(self, s, field, value):
        off, fmt = self.elf.sfield[field]
        return (s["at"] + off, fmt, value)

    def dynval(self, tag, value):
        e = self.elf.dyn_entry(tag)
        return (e["val_at"], self.elf.W, value) if e else None

    def replace_nuls(self, start, length, fill=b"A"):
        if start is None or start < 0 or length <= 0 or start + length > len(self.d):
            return None
        b = bytearray(self.d)
        b[start:start + length] = bytes(self.d[start:start + length]).replace(b"\0", fill)
        return bytes(b)

    def build(self):
        self.header()
        self.program_headers()
        if self.elf.dyn:
            self.dynamic()
            self.versions()
            self.hashes()
        self.sections()
        self.go()
        return self.out

    def header(self):
        d, e, wmax = self.d, self.elf, self.elf.word_max
        h = e.h
        self.add("class-swapped", d[:4] + bytes([3 - d[4]]) + d[5:])
        self.add("class-0", d[:4] + b"\0" + d[5:])
        self.add("class-9", d[:4] + b"\x09" + d[5:])
        self.add("data-swapped", d[:5] + bytes([3 - d[5]]) + d[6:])
        self.add("data-0", d[:5] + b"\0" + d[6:])
        self.add("data-3", d[:5] + b"\x03" + d[6:])
        self.add("phnum-xnum", self.patched(self.hdr("e_phnum", 0xFFFF)))
        self.add("phnum-fffe", self.patched(self.hdr("e_phnum", 0xFFFE)))
        for v in (0, 1, 0xFFFF):
            self.add("phentsize-%x" % v, self.patched(self.hdr("e_phentsize", v)))
            self.add("shentsize-%x" % v, self.patched(self.hdr("e_shentsize", v)))
        self.add("phoff-max", self.patched(self.hdr("e_phoff", wmax)))
        self.add("phoff-near-max", self.patched(self.hdr("e_phoff", wmax - h["e_phentsize"] + 2)))
        self.add("phoff-eof", self.patched(self.hdr("e_phoff", len(d))))
        self.add("phoff-on-header", self.patched(self.hdr("e_phoff", 0)))
        self.add("shoff-max", self.patched(self.hdr("e_shoff", wmax)))
        self.add("shoff-near-max", self.patched(self.hdr("e_shoff", wmax - 15)))
        self.add("shoff-eof", self.patched(self.hdr("e_shoff", len(d))))
        self.add("shnum-ffff", self.patched(self.hdr("e_shnum", 0xFFFF)))
        self.add("shstrndx-fffe", self.patched(self.hdr("e_shstrndx", 0xFFFE)))
        if e.shdrs:
            s0 = e.shdrs[0]
            self.add("phoff-on-shdrs", self.patched(self.hdr("e_phoff", h["e_shoff"])))
            self.add("phnum-xnum-info-huge", self.patched(
                self.hdr("e_phnum", 0xFFFF), self.sh(s0, "sh_info", 0xFFFFFFFF)))
            self.add("phnum-xnum-info-all", self.patched(
                self.hdr("e_phnum", 0xFFFF), self.sh(s0, "sh_info", len(e.phdrs))))
            self.add("shnum-0-size-huge", self.patched(
                self.hdr("e_shnum", 0), self.sh(s0, "sh_size", wmax)))
            self.add("shstrndx-xindex-link-huge", self.patched(
                self.hdr("e_shstrndx", 0xFFFF), self.sh(s0, "sh_link", 0xFFFFFFFF)))

    def program_headers(self):
        d, e, wmax = self.d, self.elf, self.elf.word_max
        interp = e.phdr(PT_INTERP)
        if interp:
            self.add("interp-unterminated", self.replace_nuls(interp["p_offset"], interp["p_filesz"], b"X"))
            self.add("interp-filesz-0", self.patched(self.ph(interp, "p_filesz", 0)))
            self.add("interp-filesz-max", self.patched(self.ph(interp, "p_filesz", wmax)))
            self.add("interp-offset-max", self.patched(self.ph(interp, "p_offset", wmax)))
        dyn = e.phdr(PT_DYNAMIC)
        if dyn:
            self.add("dynamic-filesz-max", self.patched(self.ph(dyn, "p_filesz", wmax)))
            self.add("dynamic-offset-near-max", self.patched(self.ph(dyn, "p_offset", wmax - 2 * e.w + 1)))
            self.add("dynamic-on-header", self.patched(self.ph(dyn, "p_offset", 0)))
            # No DT_NULL (linkers pad with several): the entries run on to
            # the end of the file.
            b = bytearray(d)
            for at in range(dyn["p_offset"], min(dyn["p_offset"] + dyn["p_filesz"], len(d)) - 2 * e.w + 1, 2 * e.w):
                if e.get(at, e.W) == DT_NULL:
                    struct.pack_into(e.end + e.W, b, at, DT_NEEDED)
            self.d, saved = bytes(b), self.d
            self.add("dynamic-no-null", self.patched(self.ph(dyn, "p_filesz", len(d) - dyn["p_offset"])))
            self.d = saved
        note = e.phdr(PT_NOTE)
        if note:
            at = note["p_offset"]
            self.add("note-filesz-max", self.patched(self.ph(note, "p_filesz", wmax)))
            self.add("note-offset-near-max", self.patched(self.ph(note, "p_offset", wmax - 15)))
            self.add("note-namesz-max", self.patched((at, "I", 0xFFFFFFFF)))
            self.add("note-descsz-max", self.patched((at + 4, "I", 0xFFFFFFFF)))
            self.add("note-descsz-wrap", self.patched((at + 4, "I", 0xFFFFFFF0)))
            self.add("note-align-swapped", self.patched(self.ph(note, "p_align", 12 - note["p_align"]
                                                                if note["p_align"] in (4, 8) else 8)))
        if e.phdrs:
            # Every program header a note over the whole file (overlapping).
            self.add("phdrs-all-notes", self.patched(*[x for p in e.phdrs for x in (
                self.ph(p, "p_type", PT_NOTE), self.ph(p, "p_offset", 0),
                self.ph(p, "p_filesz", len(d)), self.ph(p, "p_align", 4))]))
        loads = [p for p in e.phdrs if p["p_type"] == PT_LOAD]
        if loads:
            first = loads[0]
            self.add("load-vaddr-near-max", self.patched(self.ph(first, "p_vaddr", wmax - 0xFFF)))
            self.add("load-filesz-max", self.patched(self.ph(first, "p_filesz", wmax)))
            self.add("load-offset-max", self.patched(self.ph(first, "p_offset", wmax)))
            self.add("loads-all-writable", self.patched(*[self.ph(p, "p_flags", PF_R | PF_W) for p in loads]))
            self.add("loads-none", self.patched(*[self.ph(p, "p_type", 0) for p in loads]))

    def dynamic(self):
        e, wmax = self.elf, self.elf.word_max
        strtab, strsz = e.dyn_entry(DT_STRTAB), e.dyn_entry(DT_STRSZ)
        if strtab:
            self.add("strtab-outside", self.patched(self.dynval(DT_STRTAB, 0xDEAD0000)))
            self.add("strtab-near-max", self.patched(self.dynval(DT_STRTAB, wmax - 8)))
            symtab = e.dyn_entry(DT_SYMTAB)
            if symtab:
                self.add("strtab-on-symtab", self.patched(self.dynval(DT_STRTAB, symtab["val"])))
                self.add("symtab-on-strtab", self.patched(self.dynval(DT_SYMTAB, strtab["val"])))
                self.add("symtab-near-max", self.patched(self.dynval(DT_SYMTAB, wmax - 8)))
        if strsz:
            self.add("strsz-max", self.patched(self.dynval(DT_STRSZ, wmax)))
            self.add("strsz-0", self.patched(self.dynval(DT_STRSZ, 0)))
            self.add("strsz-minus-1", self.patched(self.dynval(DT_STRSZ, strsz["val"] - 1)))
            self.add("strtab-unterminated", self.replace_nuls(e.dyn_table(DT_STRTAB), strsz["val"]))
            self.add("needed-at-strsz", self.patched(self.dynval(DT_NEEDED, strsz["val"])))
        self.add("needed-max", self.patched(self.dynval(DT_NEEDED, wmax)))
        self.add("versym-near-max", self.patched(self.dynval(DT_VERSYM, wmax - 1)))
        if strtab:
            self.add("versym-on-strtab", self.patched(self.dynval(DT_VERSYM, strtab["val"])))

    def versions(self):
        e, wmax = self.elf, self.elf.word_max
        chain = e.verneed_chain()
        if e.dyn_entry(DT_VERNEED):
            self.add("verneednum-max", self.patched(self.dynval(DT_VERNEEDNUM, wmax)))
            self.add("verneed-near-max", self.patched(self.dynval(DT_VERNEED, wmax - 15)))
            symtab = e.dyn_entry(DT_SYMTAB)
            if symtab:
                self.add("verneed-on-symtab", self.patched(self.dynval(DT_VERNEED, symtab["val"])))
        if chain:
            first, auxes = chain[0]
            last = chain[-1][0]
            many = self.dynval(DT_VERNEEDNUM, wmax)
            self.add("vn-cnt-ffff", self.patched((first + 2, "H", 0xFFFF)))
            self.add("vn-next-back-16", self.patched((first + 12, "I", -16), many))
            self.add("vn-next-max", self.patched((first + 12, "I", 0xFFFFFFFF), many))
            self.add("vn-next-1", self.patched((first + 12, "I", 1), many))
            # The last record pointing back at the first: a cycle to a loader
            # doing 32-bit pointer arithmetic.
            self.add("vn-next-cycle", self.patched((last + 12, "I", first - last if last != first else -16), many))
            self.add("vn-aux-max", self.patched((first + 8, "I", 0xFFFFFFFF)))
            self.add("vn-aux-back", self.patched((first + 8, "I", -16)))
            self.add("vn-file-max", self.patched((first + 4, "I", 0xFFFFFFFF)))
            if auxes:
                a0, an = auxes[0], auxes[-1]
                self.add("vna-next-back-16", self.patched((a0 + 12, "I", -16), (first + 2, "H", 0xFFFF)))
                self.add("vna-next-1", self.patched((a0 + 12, "I", 1), (first + 2, "H", 0xFFFF)))
                self.add("vna-next-cycle", self.patched((an + 12, "I", a0 - an if an != a0 else -16),
                                                        (first + 2, "H", 0xFFFF)))
                self.add("vna-name-max", self.patched((a0 + 8, "I", 0xFFFFFFFF)))
                # Every version the same index: each symbol matches them all.
                self.add("vna-other-all-same", self.patched(*[(a + 6, "H", 2) for _, auxs in chain for a in auxs]))
        defs = e.verdef_chain()
        if defs:
            first, last = defs[0], defs[-1]
            many = self.dynval(DT_VERDEFNUM, wmax)
            self.add("verdefnum-max", self.patched(many))
            self.add("verdef-near-max", self.patched(self.dynval(DT_VERDEF, wmax - 15)))
            self.add("vd-next-cycle", self.patched((last + 16, "I", first - last if last != first else -20), many))
            self.add("vd-next-1", self.patched((first + 16, "I", 1), many))
            self.add("vd-cnt-ffff", self.patched((first + 6, "H", 0xFFFF)))
            self.add("vd-aux-max", self.patched((first + 12, "I", 0xFFFFFFFF)))
            aux = first + e.get(first + 12, "I")
            self.add("vda-next-max", self.patched((aux + 4, "I", 0xFFFFFFFF), (first + 6, "H", 2)))

    def hashes(self):
        e, d = self.elf, self.d
        h = e.dyn_table(DT_HASH)
        if h is not None:
            self.add("hash-nchain-max", self.patched((h + 4, "I", 0xFFFFFFFF)))
            self.add("hash-nbucket-max", self.patched((h, "I", 0xFFFFFFFF)))
        g = e.dyn_table(DT_GNU_HASH)
        if g is not None and g + 16 <= len(d):
            nbuckets, _, bloom = (e.get(g + o, "I") for o in (0, 4, 8))
            buckets = g + 16 + bloom * e.w
            self.add("gnuhash-nbuckets-max", self.patched((g, "I", 0xFFFFFFFF)))
            self.add("gnuhash-symoffset-max", self.patched((g + 4, "I", 0xFFFFFFFF)))
            self.add("gnuhash-bloom-max", self.patched((g + 8, "I", 0xFFFFFFFF)))
            if buckets + 4 * nbuckets <= len(d):
                self.add("gnuhash-buckets-max", self.patched(
                    *[(buckets + 4 * i, "I", 0xFFFFFFFF) for i in range(min(nbuckets, 4096))]))
                # No chain ever ends: clear the low bit of every word after
                # the buckets, to the end of the file.
                b = bytearray(d)
                start = buckets + 4 * nbuckets
                for o in range(start, len(b) - 3, 4):
                    v = struct.unpack_from(e.end + "I", b, o)[0]
                    struct.pack_into(e.end + "I", b, o, v & ~1)
                self.add("gnuhash-chains-endless", bytes(b))

    def sections(self):
        e, wmax = self.elf, self.elf.word_max
        if not e.shdrs:
            return
        idx = e.h["e_shstrndx"]
        if idx < len(e.shdrs):
            names = e.shdrs[idx]
            self.add("shstrtab-unterminated", self.replace_nuls(names["sh_offset"], names["sh_size"]))
            self.add("shstrtab-size-max", self.patched(self.sh(names, "sh_size", wmax)))
        for s in e.shdrs:
            if s["sh_type"] == SHT_DYNSYM:
                self.add("dynsym-entsize-1", self.patched(self.sh(s, "sh_entsize", 1)))
                self.add("dynsym-size-max", self.patched(self.sh(s, "sh_size", wmax)))
                break
        self.add("sections-all-notes", self.patched(*[x for s in e.shdrs[1:] for x in (
            self.sh(s, "sh_type", SHT_NOTE), self.sh(s, "sh_offset", 0),
            self.sh(s, "sh_size", len(self.d)), self.sh(s, "sh_addralign", 4))]))

    def go(self):
        e, d = self.elf, self.d
        at = e.go_buildinfo()
        if at is None:
            return
        b = bytearray(d)
        b[at + 32:at + 37] = b"\xff\xff\xff\xff\x0f"
        self.add("go-version-len-huge", bytes(b))
        b = bytearray(d)
        b[at + 32:at + 48] = b"\x80" * 16
        self.add("go-varint-endless", bytes(b))
        b = bytearray(d)
        b[at + 15] = 1 if e.end == ">" else 0  # the pointer form
        struct.pack_into(e.end + e.W * 2, b, at + 16, e.word_max - 7, e.word_max)
        self.add("go-pointer-form-wild", bytes(b))
        b = bytearray(d)
        b[at + 14:at + 16] = b"\x00\x00"
        self.add("go-pointer-form-size-0", bytes(b))
        # Build info without its magic is recovered from the runtime's
        # copies: module text whose end frames are all gone, and start
        # frames over the whole file after the blob, every 16 bytes.
        b = bytearray(d)
        b[at:at + 14] = bytes(14)
        wiped = bytes(b)
        self.add("go-wiped-frames-open", wiped.replace(elfkit.MODINFO_END, b"A" * 16))
        b[at + 32:] = elfkit.MODINFO_START * ((len(b) - at - 32) // 16) + bytes((len(b) - at - 32) % 16)
        self.add("go-wiped-frames-many", bytes(b))


def truncation_points(e):
    size = len(e.data)
    h = e.h
    points = {1, 4, 5, 6, 15, 16, 17, 18, 24, e.ehsize - 1, e.ehsize, size - 1}
    points.update(size * k // 8 for k in range(1, 8))
    ph_end = h["e_phoff"] + h["e_phnum"] * h["e_phentsize"]
    for i in range(min(len(e.phdrs), 4)):
        at = h["e_phoff"] + i * h["e_phentsize"]
        points.update((at, at + 1))
    points.update((ph_end - 1, ph_end))
    for p in e.phdrs:
        if p["p_type"] in (PT_INTERP, PT_DYNAMIC, PT_NOTE):
            points.update((p["p_offset"], p["p_offset"] + p["p_filesz"] - 1))
    for tag in (DT_STRTAB, DT_VERNEED, DT_VERDEF, DT_HASH, DT_GNU_HASH, DT_SYMTAB):
        at = e.dyn_table(tag)
        if at is not None:
            points.update((at + 1, at + 8))
    if e.h["e_shoff"]:
        sh_end = h["e_shoff"] + h["e_shnum"] * h["e_shentsize"]
        points.update((h["e_shoff"], h["e_shoff"] + h["e_shentsize"], sh_end - 1))
    go = e.go_buildinfo()
    if go is not None:
        points.update((go + 8, go + 32, go + 34))
    points = sorted(p for p in points if 0 < p < size)
    if size > BIG:
        # Few whole-megabyte copies: the headers' region and the Go build
        # info cut in its header.
        points = [p for p in points if p < 65536 or (go is not None and p == go + 34)]
    return points


def safe_name(path):
    base = os.path.basename(path)
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in base)


def is_elf(path):
    try:
        with open(path, "rb") as f:
            return f.read(4) == b"\x7fELF"
    except OSError:
        return False


def collect_sources(fixtures, hosts):
    """[(tag, path or None, bytes)] of every source: fixtures, host files,
    synthetic images (no path)."""
    sources = []
    cdir = os.path.join(fixtures, "c") if fixtures else None
    if cdir and os.path.isdir(cdir):
        files = sorted((os.path.join(cdir, f) for f in os.listdir(cdir)), key=lambda p: (os.path.getsize(p), p))
        files = [f for f in files if os.path.isfile(f) and is_elf(f)]
        pick = [f for f in files if os.path.basename(f) in PREFERRED_C]
        pick += [f for f in files if f not in pick][:max(0, MAX_C_FIXTURES - len(pick))]
        sources += [("c-" + safe_name(f), f) for f in pick]
    godir = os.path.join(fixtures, "go") if fixtures else None
    for name in GO_SOURCES:
        path = os.path.join(godir, name) if godir else None
        if path and os.path.isfile(path) and is_elf(path):
            sources.append(("go-" + safe_name(path), path))
    for path in hosts:
        real = os.path.realpath(path)
        if os.path.isfile(real) and is_elf(real):
            sources.append(("host-" + safe_name(path), real))
    out = []
    for tag, path in sources:
        with open(path, "rb") as f:
            out.append((tag, path, f.read()))
    # Every flavour with a SysV hash; the GNU hash and static layouts add
    # less, so one or two flavours of those.
    keep = {"-sysv", "elf32be-gnuhash", "elf64le-gnuhash", "elf32be-static"}
    out += [("syn-" + name, None, data) for name, data in elfkit.images()
            if any(name.endswith(k) for k in keep)]
    return out


def special_inputs(out, valid_elf):
    """Inputs that are not (regular, ELF) files."""
    def write(name, data):
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
    write("special-empty", b"")
    write("special-magic-only", b"\x7fELF")
    write("special-15-bytes", b"\x7fELF\x02\x01\x01" + bytes(8))
    write("special-ident-only", b"\x7fELF\x02\x01\x01" + bytes(9))
    write("special-text", b"#!/bin/sh\necho this is not ELF\n")
    write("special-pe", b"MZ" + bytes(58) + struct.pack("<I", 64) + b"PE\0\0" + bytes(200))
    write("special-random", random.Random(1).randbytes(4096))
    os.mkdir(os.path.join(out, "special-directory"))
    os.mkfifo(os.path.join(out, "special-fifo"))
    os.symlink("special-loop-b", os.path.join(out, "special-loop-a"))
    os.symlink("special-loop-a", os.path.join(out, "special-loop-b"))
    os.symlink("special-nowhere", os.path.join(out, "special-dangling"))
    os.symlink(valid_elf, os.path.join(out, "special-symlink-to-elf"))
    # Unreadable unless the tests run as root (then it is just an ELF file).
    shutil.copyfile(os.path.join(out, valid_elf), os.path.join(out, "special-no-permission"))
    os.chmod(os.path.join(out, "special-no-permission"), 0)


def quadratic_inputs(out):
    """Files that are small for the work a naive reader does on them: each
    one costs work proportional to (count of one table) x (size of another),
    so a linear reader answers in milliseconds and a quadratic one times
    out."""
    def ehdr32(phoff, phnum, etype=2):
        return (b"\x7fELF\x01\x01\x01" + bytes(9)
                + struct.pack("<HHIIIIIHHHHHH", etype, 3, 1, 0x8048000, phoff, 0, 0, 52, 32, phnum, 40, 0, 0))

    # 16384 PT_NOTE headers, each over the same 512 KiB of empty notes.
    k, size = 16384, 1 << 20
    area = 52 + 32 * k
    ph = struct.pack("<IIIIIIII", PT_NOTE, area, 0, 0, size - area, size - area, 4, 4) * k
    data = ehdr32(52, k) + ph
    with open(os.path.join(out, "quadratic-notes"), "wb") as f:
        f.write(data + bytes(size - len(data)))

    # 65534 writable PT_LOAD headers, each over the same 3 MiB (Go's build
    # info scan per segment).
    k, size = 0xFFFE, 3 << 20
    ph = struct.pack("<IIIIIIII", PT_LOAD, 0, 0x10000000, 0, size, size, PF_R | PF_W, 0x1000) * k
    data = ehdr32(52, k) + ph
    with open(os.path.join(out, "quadratic-go-scan"), "wb") as f:
        f.write(data + b"\xff" * (size - len(data)))

    # 3000 undefined symbols x 3000 versions sharing one vna_other: every
    # symbol is attached to every version (and to the highest glibc list).
    with open(os.path.join(out, "quadratic-version-symbols"), "wb") as f:
        f.write(version_fanout(3000, 3000))


def version_fanout(nsyms, naux):
    base = 0x10000
    out = bytearray(64 + 2 * 56)
    strtab = b"\0libc.so.6\0GLIBC_2.2.5\0f\0"

    def place(data, align):
        out.extend(bytes(-len(out) % align))
        at = len(out)
        out.extend(data)
        return at
    str_off = place(strtab, 8)
    sym_off = place(bytes(24) + struct.pack("<IBBHQQ", 23, 0x12, 0, 0, 0, 0) * (nsyms - 1), 8)
    vs_off = place(struct.pack("<H", 0) + struct.pack("<H", 2) * (nsyms - 1), 2)
    hash_off = place(struct.pack("<III", 1, nsyms, 0) + bytes(4 * nsyms), 4)
    aux = b"".join(struct.pack("<IHHII", 0, 0, 2, 11, 16 if j < naux - 1 else 0) for j in range(naux))
    vn_off = place(struct.pack("<HHIII", 1, naux, 1, 16, 0) + aux, 4)
    dyn = [(DT_NEEDED, 1), (DT_STRTAB, base + str_off), (DT_STRSZ, len(strtab)),
           (DT_SYMTAB, base + sym_off), (11, 24), (DT_HASH, base + hash_off),
           (DT_VERSYM, base + vs_off), (DT_VERNEED, base + vn_off), (DT_VERNEEDNUM, 1), (DT_NULL, 0)]
    dyn_off = place(b"".join(struct.pack("<qQ", t, v) for t, v in dyn), 8)
    size = len(out)
    out[0:64] = (b"\x7fELF\x02\x01\x01" + bytes(9)
                 + struct.pack("<HHIQQQIHHHHHH", 3, 62, 1, 0, 64, 0, 0, 64, 56, 2, 64, 0, 0))
    struct.pack_into("<IIQQQQQQ", out, 64, PT_LOAD, PF_R, 0, base, base, size, size, 0x1000)
    struct.pack_into("<IIQQQQQQ", out, 120, PT_DYNAMIC, PF_R | PF_W, dyn_off, base + dyn_off,
                     base + dyn_off, 16 * len(dyn), 16 * len(dyn), 8)
    return bytes(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True, help="corpus directory (emptied first)")
    ap.add_argument("--fixtures", help="CANRUN_FIXTURES_DIR (c/ and go/ are used when present)")
    ap.add_argument("--host", action="append", help="host ELF files to use (default: a fixed few)")
    args = ap.parse_args()

    if os.path.lexists(args.out):
        shutil.rmtree(args.out)
    os.makedirs(args.out)
    sources = collect_sources(args.fixtures, args.host if args.host else HOST_SOURCES)
    count, total = 0, 0
    for tag, path, data in sources:
        try:
            elf = elfkit.Elf(data)
        except (ValueError, struct.error):
            continue
        variants = Variants(elf).build()
        if tag.startswith("go-"):
            variants = [(n, v) for n, v in variants if n in GO_VARIANTS]
        elif len(data) > BIG:
            variants = [(n, v) for n, v in variants if n in LIGHT]
        variants += [("trunc-%d" % p, data[:p]) for p in truncation_points(elf)]
        if path and len(data) > BIG:
            os.symlink(path, os.path.join(args.out, tag))  # the unmodified file
        else:
            with open(os.path.join(args.out, tag), "wb") as f:
                f.write(data)
        for name, v in variants:
            with open(os.path.join(args.out, "%s.%s" % (tag, name)), "wb") as f:
                f.write(v)
            total += len(v)
        count += 1 + len(variants)
    valid = next(tag for tag, _, _ in sources if tag.startswith("syn-"))
    special_inputs(args.out, valid)
    quadratic_inputs(args.out)
    print("malformed corpus: %d files from %d sources (%.0f MiB) in %s"
          % (len(os.listdir(args.out)), len(sources), total / 2**20, args.out))


if __name__ == "__main__":
    main()
