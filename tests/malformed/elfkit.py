"""Just enough ELF for canrun's robustness corpus.

Reads the structures canrun reads (headers, PT_DYNAMIC, version tables,
hash tables, notes, sections) so that mutations can aim at them, and writes
small, valid images in all four class/byte-order flavours, so that ELF32 and
big-endian inputs exist even on a host without such toolchains.

Run as a script, it writes those images into a directory (fuzzing seeds):
    python3 elfkit.py --write-images DIR
"""

import struct
import sys

PT_LOAD, PT_DYNAMIC, PT_INTERP, PT_NOTE = 1, 2, 3, 4
PT_GNU_STACK = 0x6474E551
PF_X, PF_W, PF_R = 1, 2, 4
SHT_PROGBITS, SHT_STRTAB, SHT_DYNAMIC, SHT_NOTE, SHT_DYNSYM = 1, 3, 6, 7, 11
SHT_GNU_VERNEED = 0x6FFFFFFE

DT_NULL, DT_NEEDED, DT_HASH, DT_STRTAB, DT_SYMTAB = 0, 1, 4, 5, 6
DT_STRSZ, DT_SYMENT, DT_SONAME, DT_RPATH, DT_RUNPATH = 10, 11, 14, 15, 29
DT_FLAGS_1 = 0x6FFFFFFB
DT_GNU_HASH = 0x6FFFFEF5
DT_VERSYM = 0x6FFFFFF0
DT_VERDEF, DT_VERDEFNUM = 0x6FFFFFFC, 0x6FFFFFFD
DT_VERNEED, DT_VERNEEDNUM = 0x6FFFFFFE, 0x6FFFFFFF

GO_MAGIC = b"\xff Go buildinf:"
# The frames cmd/go puts around the module text (modload infoStart/infoEnd).
MODINFO_START = bytes.fromhex("3077af0c9274080241e1c107e6d618e6")
MODINFO_END = bytes.fromhex("f932433186182072008242104116d8f2")


class Elf:
    """A parsed view of an ELF file. Every structure is recorded with the
    file offset of each field, so callers can patch exactly that field."""

    def __init__(self, data):
        if data[:4] != b"\x7fELF" or data[4] not in (1, 2) or data[5] not in (1, 2):
            raise ValueError("not an ELF file canrun can read")
        self.data = bytes(data)
        self.bits = 32 if data[4] == 1 else 64
        self.end = "<" if data[5] == 1 else ">"
        self.w = self.bits // 8
        self.W = "I" if self.bits == 32 else "Q"
        self.word_max = (1 << self.bits) - 1
        w, W = self.w, self.W
        self.hfield = {
            "e_type": (16, "H"), "e_machine": (18, "H"), "e_entry": (24, W),
            "e_phoff": (24 + w, W), "e_shoff": (24 + 2 * w, W), "e_flags": (24 + 3 * w, "I"),
            "e_ehsize": (28 + 3 * w, "H"), "e_phentsize": (30 + 3 * w, "H"),
            "e_phnum": (32 + 3 * w, "H"), "e_shentsize": (34 + 3 * w, "H"),
            "e_shnum": (36 + 3 * w, "H"), "e_shstrndx": (38 + 3 * w, "H"),
        }
        self.ehsize = 52 if self.bits == 32 else 64
        if len(data) < self.ehsize:
            raise ValueError("truncated header")
        h = {k: self.get(*v) for k, v in self.hfield.items()}
        self.h = h
        if self.bits == 64:
            self.pfield = {"p_type": (0, "I"), "p_flags": (4, "I"), "p_offset": (8, "Q"),
                           "p_vaddr": (16, "Q"), "p_paddr": (24, "Q"), "p_filesz": (32, "Q"),
                           "p_memsz": (40, "Q"), "p_align": (48, "Q")}
        else:
            self.pfield = {"p_type": (0, "I"), "p_offset": (4, "I"), "p_vaddr": (8, "I"),
                           "p_paddr": (12, "I"), "p_filesz": (16, "I"), "p_memsz": (20, "I"),
                           "p_flags": (24, "I"), "p_align": (28, "I")}
        self.sfield = {"sh_name": (0, "I"), "sh_type": (4, "I"), "sh_flags": (8, W),
                       "sh_addr": (8 + w, W), "sh_offset": (8 + 2 * w, W), "sh_size": (8 + 3 * w, W),
                       "sh_link": (8 + 4 * w, "I"), "sh_info": (12 + 4 * w, "I"),
                       "sh_addralign": (16 + 4 * w, W), "sh_entsize": (16 + 5 * w, W)}
        self.phdrs = []
        phsize = 56 if self.bits == 64 else 32
        if h["e_phentsize"] >= phsize and h["e_phnum"] not in (0, 0xFFFF):
            for i in range(h["e_phnum"]):
                at = h["e_phoff"] + i * h["e_phentsize"]
                if at + phsize > len(data):
                    break
                p = {k: self.get(at + o, f) for k, (o, f) in self.pfield.items()}
                p["at"] = at
                self.phdrs.append(p)
        self.shdrs = []
        shsize = 64 if self.bits == 64 else 40
        if h["e_shoff"] and h["e_shentsize"] >= shsize and h["e_shnum"]:
            for i in range(h["e_shnum"]):
                at = h["e_shoff"] + i * h["e_shentsize"]
                if at + shsize > len(data):
                    break
                s = {k: self.get(at + o, f) for k, (o, f) in self.sfield.items()}
                s["at"] = at
                self.shdrs.append(s)
        names = self.shdrs[h["e_shstrndx"]] if h["e_shstrndx"] < len(self.shdrs) else None
        for s in self.shdrs:
            s["name"] = ""
            if names:
                start = names["sh_offset"] + s["sh_name"]
                end = data.find(b"\0", start, names["sh_offset"] + names["sh_size"])
                if end >= 0:
                    s["name"] = data[start:end].decode("latin-1")
        self.dyn = []
        dynp = self.phdr(PT_DYNAMIC)
        if dynp and dynp["p_offset"] + dynp["p_filesz"] <= len(data):
            for i in range(dynp["p_filesz"] // (2 * w)):
                at = dynp["p_offset"] + 2 * w * i
                tag, val = self.get(at, W), self.get(at + w, W)
                self.dyn.append({"tag": tag, "val": val, "at": at, "val_at": at + w})
                if tag == DT_NULL:
                    break

    def get(self, off, fmt):
        return struct.unpack_from(self.end + fmt, self.data, off)[0]

    def phdr(self, ptype):
        return next((p for p in self.phdrs if p["p_type"] == ptype), None)

    def section(self, name):
        return next((s for s in self.shdrs if s["name"] == name), None)

    def dyn_entry(self, tag):
        return next((d for d in self.dyn if d["tag"] == tag), None)

    def vaddr_to_off(self, vaddr):
        for p in self.phdrs:
            if p["p_type"] == PT_LOAD and p["p_vaddr"] <= vaddr < p["p_vaddr"] + p["p_filesz"]:
                off = p["p_offset"] + vaddr - p["p_vaddr"]
                return off if off < len(self.data) else None
        return None

    def dyn_table(self, tag):
        """File offset of the table a dynamic entry points at, or None."""
        d = self.dyn_entry(tag)
        return self.vaddr_to_off(d["val"]) if d else None

    def verneed_chain(self):
        """[(record offset, [aux offsets])] following vn_next/vna_next."""
        start = self.dyn_table(DT_VERNEED)
        out = []
        if start is None:
            return out
        rec, seen = start, 0
        while rec + 16 <= len(self.data) and seen < 64:
            cnt, aux, nxt = self.get(rec + 2, "H"), self.get(rec + 8, "I"), self.get(rec + 12, "I")
            auxes, a = [], rec + aux
            for _ in range(min(cnt, 64)):
                if a + 16 > len(self.data):
                    break
                auxes.append(a)
                step = self.get(a + 12, "I")
                if not step:
                    break
                a += step
            out.append((rec, auxes))
            seen += 1
            if not nxt:
                break
            rec += nxt
        return out

    def verdef_chain(self):
        start = self.dyn_table(DT_VERDEF)
        out = []
        if start is None:
            return out
        rec = start
        while rec + 20 <= len(self.data) and len(out) < 64:
            out.append(rec)
            nxt = self.get(rec + 16, "I")
            if not nxt:
                break
            rec += nxt
        return out

    def go_buildinfo(self):
        """File offset of the Go build info header, or None."""
        at = self.data.find(GO_MAGIC)
        while at >= 0 and at % 16:
            at = self.data.find(GO_MAGIC, at + 1)
        return at if at >= 0 else None


# --- Writing small valid images ---------------------------------------------

class Image:
    """A growable byte image with stores in one byte order."""

    def __init__(self, bits, big_endian):
        self.b = bytearray()
        self.bits, self.end = bits, ">" if big_endian else "<"
        self.w = bits // 8
        self.W = "I" if bits == 32 else "Q"

    def reserve(self, n, align=1):
        while len(self.b) % align:
            self.b.append(0)
        off = len(self.b)
        self.b.extend(bytes(n))
        return off

    def append(self, data, align=1):
        off = self.reserve(len(data), align)
        self.b[off:off + len(data)] = data
        return off

    def put(self, off, fmt, *values):
        struct.pack_into(self.end + fmt, self.b, off, *values)

    def word(self, off, value):
        self.put(off, self.W, value)


def _note(img, name, ntype, desc, align):
    """A note record as bytes, padded to align."""
    def pad(x):
        return x + bytes(-len(x) % align)
    head = struct.pack(img.end + "III", len(name), len(desc), ntype)
    return pad(pad(head + name) + desc)


def build_image(bits, big_endian, hash_kind="sysv", dynamic=True, go=True):
    """A small dynamically linked ET_DYN (or, without `dynamic`, a static
    ET_EXEC) with everything canrun reads: interpreter, NEEDED/SONAME/
    RUNPATH, symbols with versions, version needs and definitions, a SysV or
    GNU hash table, build-id/property/ABI-tag notes, Go build info, and
    section headers naming the tables."""
    base = 0x400000
    img = Image(bits, big_endian)
    w, W = img.w, img.W
    ehsize, phsize, shsize = (64, 56, 64) if bits == 64 else (52, 32, 40)
    img.reserve(ehsize)
    nph_max = 8
    phoff = img.reserve(nph_max * phsize, 8)
    phdrs = []

    strings = bytearray(b"\0")

    def s(text):
        raw = text.encode() + b"\0"
        at = strings.find(raw)
        if at < 0:
            at = len(strings)
            strings.extend(raw)
        return at

    interp = None
    if dynamic:
        interp = img.append(b"/lib/ld-canrun-test.so.1\0")
        phdrs.append((PT_INTERP, PF_R, interp, 25, 1))

    dyn = []
    if dynamic:
        names = ["", "puts", "memcpy", "exported", "weak_ref"]
        name_at = [s(n) for n in names]
        s_libc, s_225, s_214 = s("libc.so.6"), s("GLIBC_2.2.5"), s("GLIBC_2.14")
        s_me, s_v1 = s("libcanrun-test.so.1"), s("CANRUN_1.0")
        s_runpath = s("$ORIGIN/../lib:/opt/canrun/lib")
        symsize = 24 if bits == 64 else 16
        symtab = img.reserve(len(names) * symsize, 8)
        for i, n in enumerate(name_at[1:], 1):
            at = symtab + i * symsize
            shndx = 7 if names[i] == "exported" else 0
            info = 0x12 if names[i] != "weak_ref" else 0x21
            if bits == 64:
                img.put(at, "IBBHQQ", n, info, 0, shndx, 0x1000 if shndx else 0, 8 if shndx else 0)
            else:
                img.put(at, "IIIBBH", n, 0x1000 if shndx else 0, 8 if shndx else 0, info, 0, shndx)
        versym = img.reserve(2 * len(names), 2)
        for i, v in enumerate([0, 2, 3, 4, 0x8002]):
            img.put(versym + 2 * i, "H", v)
        verneed = img.reserve(16 + 2 * 16, 4)
        img.put(verneed, "HHIII", 1, 2, s_libc, 16, 0)
        img.put(verneed + 16, "IHHII", 0x09691A75, 0, 2, s_225, 16)
        img.put(verneed + 32, "IHHII", 0x06969194, 2, 3, s_214, 0)
        verdef = img.reserve(2 * 20 + 2 * 8, 4)
        img.put(verdef, "HHHHIII", 1, 1, 1, 1, 0x1111, 20, 28)
        img.put(verdef + 20, "II", s_me, 0)
        img.put(verdef + 28, "HHHHIII", 1, 0, 4, 1, 0x2222, 20, 0)
        img.put(verdef + 48, "II", s_v1, 0)
        if hash_kind == "sysv":
            hashtab = img.reserve(4 * (2 + 1 + len(names)), 4)
            img.put(hashtab, "II", 1, len(names))
            hash_tag = DT_HASH
        else:
            hashtab = img.reserve(16 + w + 4 + 4 * (len(names) - 1), 8)
            img.put(hashtab, "IIII", 1, 1, 1, 6)
            img.put(hashtab + 16 + w, "I", 1)
            for i in range(1, len(names)):
                img.put(hashtab + 16 + w + 4 + 4 * (i - 1), "I", (i << 1) | (i == len(names) - 1))
            hash_tag = DT_GNU_HASH
        dyn = [(DT_NEEDED, s_libc), (DT_SONAME, s_me), (DT_RUNPATH, s_runpath),
               (DT_STRTAB, None), (DT_STRSZ, None), (DT_SYMTAB, base + symtab), (DT_SYMENT, symsize),
               (hash_tag, base + hashtab), (DT_VERSYM, base + versym),
               (DT_VERNEED, base + verneed), (DT_VERNEEDNUM, 1),
               (DT_VERDEF, base + verdef), (DT_VERDEFNUM, 2), (DT_FLAGS_1, 0x08000001)]

    note_align = 8 if bits == 64 else 4
    prop_pad = 8 if bits == 64 else 4
    prop = b""
    for ptype, value in ((0xC0008002, 0x3), (0xC0000002, 0x3)):
        entry = struct.pack(img.end + "III", ptype, 4, value)
        prop += entry + bytes(-len(entry) % prop_pad)
    notes = (_note(img, b"GNU\0", 3, bytes(range(0xA0, 0xB4)), note_align)
             + _note(img, b"GNU\0", 5, prop, note_align)
             + _note(img, b"GNU\0", 1, struct.pack(img.end + "IIII", 0, 3, 2, 0), note_align))
    note_off = img.append(notes, note_align)
    phdrs.append((PT_NOTE, PF_R, note_off, len(notes), note_align))
    gonote = _note(img, b"Go\0\0", 4, b"canrunTestBuildID/xyz", 4)
    gonote_off = img.append(gonote, 4)
    phdrs.append((PT_NOTE, PF_R, gonote_off, len(gonote), 4))

    data_off = img.reserve(0, 16)
    if go:
        text = (b"path\tcanrun.test/prog\nmod\tcanrun.test/prog\t(devel)\t\n"
                b"build\t-compiler=gc\nbuild\tGOOS=linux\n")
        framed = MODINFO_START + text + MODINFO_END
        blob = bytearray(GO_MAGIC + bytes([w, 2 | big_endian]) + bytes(16))
        for part in (b"go1.21.0", framed):
            n = len(part)
            while n >= 0x80:
                blob.append((n & 0x7F) | 0x80)
                n >>= 7
            blob.append(n)
            blob += part
        img.append(bytes(blob), 16)
    data_end = len(img.b)

    str_off = dyn_off = None
    if dynamic:
        str_off = img.append(bytes(strings), 8)
        dyn_off = img.reserve((len(dyn) + 1) * 2 * w, 8)
        for i, (tag, val) in enumerate(dyn):
            if tag == DT_STRTAB:
                val = base + str_off
            elif tag == DT_STRSZ:
                val = len(strings)
            img.word(dyn_off + 2 * w * i, tag)
            img.word(dyn_off + 2 * w * i + w, val)
        phdrs.append((PT_DYNAMIC, PF_R | PF_W, dyn_off, (len(dyn) + 1) * 2 * w, w))
    phdrs.append((PT_GNU_STACK, PF_R | PF_W, 0, 0, 16))

    shstr = bytearray(b"\0")
    sections = []

    def section(name, stype, flags, off, size, addr=None, link=0, info=0, entsize=0, align=1):
        if addr is None:
            addr = base + off if flags & 2 else 0
        sections.append((len(shstr), stype, flags, addr, off, size, link, info, align, entsize))
        shstr.extend(name.encode() + b"\0")
        return len(sections)  # its index: section 0 is the null one

    if dynamic:
        section(".interp", SHT_PROGBITS, 2, interp, 25)
    section(".note.gnu", SHT_NOTE, 2, note_off, len(notes), align=note_align)
    section(".note.go.buildid", SHT_NOTE, 2, gonote_off, len(gonote), align=4)
    if go:
        section(".go.buildinfo", SHT_PROGBITS, 3, data_off, data_end - data_off,
                addr=base + 0x200000 + data_off, align=16)
    if dynamic:
        dynstr = section(".dynstr", SHT_STRTAB, 2, str_off, len(strings))
        section(".dynsym", SHT_DYNSYM, 2, symtab, len(names) * symsize, link=dynstr, info=1,
                entsize=symsize, align=8)
        section(".gnu.version_r", SHT_GNU_VERNEED, 2, verneed, 48, link=dynstr, info=1, align=4)
        section(".dynamic", SHT_DYNAMIC, 3, dyn_off, (len(dyn) + 1) * 2 * w, link=dynstr,
                entsize=2 * w, align=8)
    shstrndx = len(sections) + 1
    section(".shstrtab", SHT_STRTAB, 0, 0, 0)
    shstr_off = img.append(bytes(shstr))
    sections[-1] = sections[-1][:4] + (shstr_off, len(shstr)) + sections[-1][6:]
    shoff = img.reserve((len(sections) + 1) * shsize, 8)
    for i, sec in enumerate(sections, 1):
        img.put(shoff + i * shsize, "II" + W * 4 + "II" + W * 2, *sec)

    size = len(img.b)
    phdrs.insert(0, (PT_LOAD, PF_R | PF_X, 0, size, 0x1000))
    if go:
        # The data segment at its own address: Go's reader finds the blob
        # in the first writable, non-executable PT_LOAD.
        phdrs.insert(1, (PT_LOAD, PF_R | PF_W, data_off, data_end - data_off, 0x1000))
    for i, (ptype, flags, off, filesz, align) in enumerate(phdrs):
        at = phoff + i * phsize
        vaddr = base + off
        if ptype == PT_LOAD and flags & PF_W:
            vaddr = base + 0x200000 + off
        if bits == 64:
            img.put(at, "IIQQQQQQ", ptype, flags, off, vaddr, vaddr, filesz, filesz, align)
        else:
            img.put(at, "IIIIIIII", ptype, off, vaddr, vaddr, filesz, filesz, flags, align)
    machine = 62 if bits == 64 else 3
    if big_endian:
        machine = 22 if bits == 64 else 2  # s390x, sparc: big-endian machines
    img.b[0:16] = b"\x7fELF" + bytes([1 if bits == 32 else 2, 2 if big_endian else 1, 1]) + bytes(9)
    img.put(16, "HHI" + W * 3 + "IHHHHHH", 3 if dynamic else 2, machine, 1, base + 0x100, phoff, shoff,
            0, ehsize, phsize, len(phdrs), shsize, len(sections) + 1, shstrndx)
    return bytes(img.b)


def images():
    """(name, bytes) of every flavour and layout build_image() makes."""
    out = []
    for bits in (32, 64):
        for be in (False, True):
            tag = "elf%d%s" % (bits, "be" if be else "le")
            out.append((tag + "-sysv", build_image(bits, be, "sysv")))
            out.append((tag + "-gnuhash", build_image(bits, be, "gnu")))
            out.append((tag + "-static", build_image(bits, be, dynamic=False)))
    return out


if __name__ == "__main__":
    import os
    if len(sys.argv) != 3 or sys.argv[1] != "--write-images":
        sys.exit("usage: elfkit.py --write-images DIR")
    os.makedirs(sys.argv[2], exist_ok=True)
    for name, data in images():
        with open(os.path.join(sys.argv[2], "synthetic-" + name), "wb") as f:
            f.write(data)
