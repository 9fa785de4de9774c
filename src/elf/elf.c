/* Opening, mapping and the structural parts of an ELF file: header, program
 * headers, section headers, PT_INTERP, the dynamic section and its string
 * table. Symbols, versions and notes are in their own files. */
#include "elf/elf.h"
#include "elf/elf_internal.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/xalloc.h"

void elf_warn(struct elf_file *ef, const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	/* A hostile file could raise thousands of the same complaint. */
	if (ef->nwarnings >= 16)
		return;
	char *copy = xstrdup(buf);
	XPUSH(ef->warnings, ef->nwarnings, ef->warnings_cap, copy);
}

static int parse_header(struct elf_file *ef, struct cr_err *err,
			uint64_t *phoff, uint64_t *shoff, uint16_t *phentsize,
			uint16_t *phnum, uint16_t *shentsize, uint16_t *shnum, uint16_t *shstrndx)
{
	const struct byte_view *v = &ef->view;
	const unsigned char *ident = bv_ptr(v, 0, EI_NIDENT);
	if (!ident || memcmp(ident, ELFMAG, SELFMAG) != 0)
		return cr_fail(err, "not an ELF file");
	if (ident[EI_CLASS] == ELFCLASS32)
		ef->bits = 32;
	else if (ident[EI_CLASS] == ELFCLASS64)
		ef->bits = 64;
	else
		return cr_fail(err, "bad ELF class byte %u", ident[EI_CLASS]);
	if (ident[EI_DATA] == ELFDATA2LSB)
		ef->big_endian = false;
	else if (ident[EI_DATA] == ELFDATA2MSB)
		ef->big_endian = true;
	else
		return cr_fail(err, "bad ELF byte-order byte %u", ident[EI_DATA]);
	ef->view.big_endian = ef->big_endian;
	ef->osabi = ident[EI_OSABI];
	ef->abiversion = ident[EI_ABIVERSION];

	unsigned w = ef->bits / 8;
	uint64_t header_size = ef->bits == 64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr);
	if (!bv_has(v, 0, header_size))
		return cr_fail(err, "truncated ELF header");
	/* Offsets after e_entry shift by one word between the classes. */
	bv_u16(v, 16, &ef->type);
	bv_u16(v, 18, &ef->machine);
	bv_word(v, 24, w, &ef->entry);
	bv_word(v, 24 + w, w, phoff);
	bv_word(v, 24 + 2 * w, w, shoff);
	uint64_t rest = 24 + 3 * (uint64_t)w;
	bv_u32(v, rest, &ef->flags);
	bv_u16(v, rest + 6, phentsize);
	bv_u16(v, rest + 8, phnum);
	bv_u16(v, rest + 10, shentsize);
	bv_u16(v, rest + 12, shnum);
	bv_u16(v, rest + 14, shstrndx);
	return 0;
}

static int parse_phdrs(struct elf_file *ef, uint64_t phoff, uint16_t phentsize,
		       uint64_t phnum, struct cr_err *err)
{
	if (phnum == 0)
		return 0;
	const struct byte_view *v = &ef->view;
	uint64_t want = ef->bits == 64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr);
	if (phentsize < want)
		return cr_fail(err, "bad program header size %u", phentsize);
	uint64_t table;
	if (!u64_mul_ok(phnum, phentsize, &table) || !bv_has(v, phoff, table))
		return cr_fail(err, "truncated: program headers end past the file");
	ef->phdrs = xcalloc((size_t)phnum, sizeof *ef->phdrs);
	ef->nphdrs = (size_t)phnum;
	for (uint64_t i = 0; i < phnum; i++) {
		struct elf_phdr *p = &ef->phdrs[i];
		uint64_t o = phoff + i * phentsize;
		bv_u32(v, o, &p->type);
		if (ef->bits == 64) {
			bv_u32(v, o + 4, &p->flags);
			bv_u64(v, o + 8, &p->offset);
			bv_u64(v, o + 16, &p->vaddr);
			bv_u64(v, o + 24, &p->paddr);
			bv_u64(v, o + 32, &p->filesz);
			bv_u64(v, o + 40, &p->memsz);
			bv_u64(v, o + 48, &p->align);
		} else {
			uint32_t x = 0;
			bv_u32(v, o + 4, &x), p->offset = x;
			bv_u32(v, o + 8, &x), p->vaddr = x;
			bv_u32(v, o + 12, &x), p->paddr = x;
			bv_u32(v, o + 16, &x), p->filesz = x;
			bv_u32(v, o + 20, &x), p->memsz = x;
			bv_u32(v, o + 24, &p->flags);
			bv_u32(v, o + 28, &x), p->align = x;
		}
	}
	return 0;
}

/* Section headers are optional for running a program, so damage here is a
 * warning, not a failure: the loader never reads them. */
static void parse_shdrs(struct elf_file *ef, uint64_t shoff, uint16_t shentsize,
			uint64_t shnum, uint64_t shstrndx)
{
	const struct byte_view *v = &ef->view;
	if (shoff == 0 || shnum == 0)
		return;
	uint64_t want = ef->bits == 64 ? sizeof(Elf64_Shdr) : sizeof(Elf32_Shdr);
	uint64_t table;
	if (shentsize < want || !u64_mul_ok(shnum, shentsize, &table) || !bv_has(v, shoff, table)) {
		elf_warn(ef, "section header table is damaged or truncated; ignored");
		return;
	}
	ef->shdrs = xcalloc((size_t)shnum, sizeof *ef->shdrs);
	ef->nshdrs = (size_t)shnum;
	uint32_t *name_offsets = xcalloc((size_t)shnum, sizeof *name_offsets);
	unsigned w = ef->bits / 8;
	for (uint64_t i = 0; i < shnum; i++) {
		struct elf_shdr *s = &ef->shdrs[i];
		uint64_t o = shoff + i * shentsize;
		bv_u32(v, o, &name_offsets[i]);
		bv_u32(v, o + 4, &s->type);
		bv_word(v, o + 8, w, &s->flags);
		bv_word(v, o + 8 + w, w, &s->addr);
		bv_word(v, o + 8 + 2 * w, w, &s->offset);
		bv_word(v, o + 8 + 3 * w, w, &s->size);
		bv_u32(v, o + 8 + 4 * w, &s->link);
		bv_u32(v, o + 12 + 4 * w, &s->info);
		bv_word(v, o + 16 + 4 * w, w, &s->addralign);
		bv_word(v, o + 16 + 5 * w, w, &s->entsize);
		s->name = "";
	}
	if (shstrndx < shnum) {
		const struct elf_shdr *names = &ef->shdrs[shstrndx];
		uint64_t end;
		if (names->type != SHT_NOBITS && u64_add_ok(names->offset, names->size, &end) &&
		    bv_has(v, names->offset, names->size)) {
			/* A name starting before the table's last NUL ends inside it:
			 * one search for the table, none per section. */
			const unsigned char *last = names->size ? memrchr(v->data + names->offset, '\0', (size_t)names->size) : NULL;
			uint64_t terminated = last ? (uint64_t)(last - (v->data + names->offset)) + 1 : 0;
			for (size_t i = 0; i < ef->nshdrs; i++)
				if (name_offsets[i] < terminated)
					ef->shdrs[i].name = (const char *)v->data + names->offset + name_offsets[i];
		} else {
			elf_warn(ef, "section name table is out of range");
		}
	}
	free(name_offsets);
}

static int parse_interp(struct elf_file *ef, struct cr_err *err)
{
	const struct elf_phdr *p = elf_phdr_by_type(ef, PT_INTERP);
	if (!p)
		return 0;
	/* A separate debug file keeps its segments' sizes but none of their
	 * bytes: readable, but not a program (execve says ENOEXEC for fewer
	 * than 2 bytes of interpreter name). */
	if (p->filesz == 0) {
		elf_warn(ef, "PT_INTERP holds no bytes in the file (a separate debug file?): the kernel would refuse to run it");
		return 0;
	}
	uint64_t end;
	if (!u64_add_ok(p->offset, p->filesz, &end) || !bv_has(&ef->view, p->offset, p->filesz))
		return cr_fail(err, "truncated: PT_INTERP lies past the end of the file");
	ef->interp = bv_cstr(&ef->view, p->offset, end);
	if (!ef->interp)
		return cr_fail(err, "PT_INTERP is not a terminated string");
	return 0;
}

bool elf_vaddr_to_offset(const struct elf_file *ef, uint64_t vaddr, uint64_t *offset, uint64_t *avail)
{
	for (size_t i = 0; i < ef->nphdrs; i++) {
		const struct elf_phdr *p = &ef->phdrs[i];
		if (p->type != PT_LOAD || vaddr < p->vaddr || vaddr - p->vaddr >= p->filesz)
			continue;
		uint64_t delta = vaddr - p->vaddr, off;
		if (!u64_add_ok(p->offset, delta, &off) || off >= ef->view.size)
			return false;
		uint64_t left = p->filesz - delta;
		if (left > ef->view.size - off)
			left = ef->view.size - off;
		*offset = off;
		if (avail)
			*avail = left;
		return true;
	}
	return false;
}

/* Like ld.so, the dynamic array is found through PT_DYNAMIC's address and
 * read up to DT_NULL; its file offset and size are only a fallback for
 * files without loadable segments. */
static int parse_dynamic(struct elf_file *ef, struct cr_err *err)
{
	const struct elf_phdr *p = elf_phdr_by_type(ef, PT_DYNAMIC);
	if (!p)
		return 0;
	const struct byte_view *v = &ef->view;
	uint64_t off, avail;
	if (!elf_vaddr_to_offset(ef, p->vaddr, &off, &avail)) {
		if (!bv_has(v, p->offset, p->filesz))
			return cr_fail(err, "truncated: the dynamic section lies past the end of the file");
		off = p->offset;
		avail = p->filesz;
	}
	unsigned w = ef->bits / 8;
	size_t cap = 0;
	for (uint64_t o = off; o - off + 2 * (uint64_t)w <= avail; o += 2 * (uint64_t)w) {
		uint64_t tag, val;
		if (!bv_word(v, o, w, &tag) || !bv_word(v, o + w, w, &val))
			break;
		/* Tags are signed; widen a 32-bit one with its sign. */
		int64_t stag = w == 4 ? (int64_t)(int32_t)(uint32_t)tag : (int64_t)tag;
		if (stag == DT_NULL)
			break;
		struct elf_dyn d = { stag, val };
		XPUSH(ef->dyn, ef->ndyn, cap, d);
	}

	/* ld.so never limits strings by DT_STRSZ: a string may run to the end
	 * of the segment that holds the table. */
	uint64_t strtab;
	if (elf_dyn_get(ef, DT_STRTAB, &strtab)) {
		if (!elf_vaddr_to_offset(ef, strtab, &off, &avail))
			return cr_fail(err, "the dynamic string table (DT_STRTAB) is outside every loaded segment");
		ef->dynstr = bv_sub(v, off, avail);
		const unsigned char *last = ef->dynstr.data && ef->dynstr.size
			? memrchr(ef->dynstr.data, '\0', (size_t)ef->dynstr.size) : NULL;
		ef->dynstr_terminated = last ? (uint64_t)(last - ef->dynstr.data) + 1 : 0;
	}
	/* Every string the loader will read must resolve. */
	for (size_t i = 0; i < ef->ndyn; i++) {
		int64_t t = ef->dyn[i].tag;
		const char *tag = t == DT_NEEDED ? "DT_NEEDED" : t == DT_SONAME ? "DT_SONAME"
				  : t == DT_RPATH ? "DT_RPATH" : t == DT_RUNPATH ? "DT_RUNPATH" : NULL;
		if (!tag || elf_dynstr(ef, ef->dyn[i].val))
			continue;
		if (!ef->dynstr.data)
			return cr_fail(err, "the dynamic section has %s but no string table (DT_STRTAB)", tag);
		return cr_fail(err, "%s names a string outside the dynamic string table", tag);
	}
	return 0;
}

bool elf_dyn_get(const struct elf_file *ef, int64_t tag, uint64_t *val)
{
	/* glibc fills its table in order, so a repeated tag's last entry wins. */
	for (size_t i = ef->ndyn; i-- > 0;) {
		if (ef->dyn[i].tag == tag) {
			*val = ef->dyn[i].val;
			return true;
		}
	}
	return false;
}

const char *elf_dynstr(const struct elf_file *ef, uint64_t offset)
{
	/* Tables built by hand (tests, stubs) may not have the bound: scan. */
	if (!ef->dynstr_terminated)
		return bv_cstr(&ef->dynstr, offset, ef->dynstr.size);
	return offset < ef->dynstr_terminated ? (const char *)ef->dynstr.data + offset : NULL;
}

const struct elf_shdr *elf_section_by_name(const struct elf_file *ef, const char *name)
{
	for (size_t i = 0; i < ef->nshdrs; i++)
		if (strcmp(ef->shdrs[i].name, name) == 0)
			return &ef->shdrs[i];
	return NULL;
}

const struct elf_phdr *elf_phdr_by_type(const struct elf_file *ef, uint32_t type)
{
	for (size_t i = 0; i < ef->nphdrs; i++)
		if (ef->phdrs[i].type == type)
			return &ef->phdrs[i];
	return NULL;
}

int elf_parse_memory(struct elf_file *ef, const void *data, size_t size, struct cr_err *err)
{
	memset(ef, 0, sizeof *ef);
	ef->view.data = data;
	ef->view.size = size;

	uint64_t phoff = 0, shoff = 0;
	uint16_t phentsize = 0, phnum = 0, shentsize = 0, shnum = 0, shstrndx = 0;
	if (parse_header(ef, err, &phoff, &shoff, &phentsize, &phnum, &shentsize, &shnum, &shstrndx) < 0)
		return -1;

	/* Extended numbering: counts that do not fit 16 bits live in section 0. */
	uint64_t real_phnum = phnum, real_shnum = shnum, real_shstrndx = shstrndx;
	uint64_t shdr0_size = ef->bits == 64 ? sizeof(Elf64_Shdr) : sizeof(Elf32_Shdr);
	if (shoff != 0 && bv_has(&ef->view, shoff, shdr0_size) &&
	    (phnum == PN_XNUM || shnum == 0 || shstrndx == SHN_XINDEX)) {
		unsigned w = ef->bits / 8;
		uint32_t link = 0, info = 0;
		uint64_t size0 = 0;
		bv_word(&ef->view, shoff + 8 + 3 * w, w, &size0);
		bv_u32(&ef->view, shoff + 8 + 4 * w, &link);
		bv_u32(&ef->view, shoff + 12 + 4 * w, &info);
		if (phnum == PN_XNUM)
			real_phnum = info;
		if (shnum == 0)
			real_shnum = size0;
		if (shstrndx == SHN_XINDEX)
			real_shstrndx = link;
	}

	if (parse_phdrs(ef, phoff, phentsize, real_phnum, err) < 0)
		goto fail;
	parse_shdrs(ef, shoff, shentsize, real_shnum, real_shstrndx);
	if (parse_interp(ef, err) < 0 || parse_dynamic(ef, err) < 0)
		goto fail;
	elf_parse_symbols(ef);
	if (elf_parse_versions(ef, err) < 0)
		goto fail;
	elf_parse_notes(ef);
	elf_check_reloc_tables(ef);
	return 0;
fail:
	elf_close(ef);
	return -1;
}

/* Files up to this size are read into the heap rather than mapped: most
 * files of a system are this small, and unmapping in a process whose
 * threads run on other CPUs costs each of them a TLB shootdown. */
#define ELF_READ_LIMIT (256 * 1024)

static int open_small(struct elf_file *ef, int fd, size_t size, struct cr_err *err)
{
	unsigned char *buf = xmalloc(size);
	size_t got = 0;
	while (got < size) {
		ssize_t n = pread(fd, buf + got, size - got, (off_t)got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int saved = errno;
			free(buf);
			return cr_fail(err, "%s", strerror(saved));
		}
		if (n == 0)
			break; /* shrunk since fstat: what is there is the file */
		got += (size_t)n;
	}
	if (got < EI_NIDENT) {
		free(buf);
		return cr_fail(err, got == 0 ? "empty file, not ELF" : "not an ELF file");
	}
	if (elf_parse_memory(ef, buf, got, err) < 0) {
		free(buf);
		return -1;
	}
	ef->mapping = buf;
	ef->mapping_size = got;
	ef->mapping_on_heap = true;
	return 0;
}

int elf_open_fd(struct elf_file *ef, int fd, struct cr_err *err)
{
	memset(ef, 0, sizeof *ef);
	struct stat st;
	if (fstat(fd, &st) < 0)
		return cr_fail(err, "%s", strerror(errno));
	if (S_ISDIR(st.st_mode))
		return cr_fail(err, "is a directory");
	if (!S_ISREG(st.st_mode))
		return cr_fail(err, "not a regular file");
	if (st.st_size < EI_NIDENT)
		return cr_fail(err, st.st_size == 0 ? "empty file, not ELF" : "not an ELF file");
	if ((uint64_t)st.st_size > (uint64_t)SIZE_MAX)
		return cr_fail(err, "file too large to map");
	size_t size = (size_t)st.st_size;
	if (size <= ELF_READ_LIMIT)
		return open_small(ef, fd, size, err);
	void *map = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (map == MAP_FAILED)
		return cr_fail(err, "cannot map: %s", strerror(errno));
	if (elf_parse_memory(ef, map, size, err) < 0) {
		munmap(map, size);
		return -1;
	}
	ef->mapping = map;
	ef->mapping_size = size;
	return 0;
}

int elf_open(struct elf_file *ef, const char *path, struct cr_err *err)
{
	memset(ef, 0, sizeof *ef);
	/* O_NONBLOCK so that opening a FIFO cannot hang; refused by elf_open_fd. */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return cr_fail(err, "%s", strerror(errno));
	int rc = elf_open_fd(ef, fd, err);
	close(fd);
	return rc;
}

bool elf_code_missing(const struct elf_file *ef)
{
	bool code = false, missing = true;
	for (size_t i = 0; i < ef->nphdrs; i++) {
		const struct elf_phdr *p = &ef->phdrs[i];
		if (p->type != PT_LOAD || !(p->flags & PF_X) || p->memsz == 0)
			continue;
		code = true;
		missing &= p->filesz == 0;
	}
	return code && missing;
}

void elf_close(struct elf_file *ef)
{
	free(ef->phdrs);
	free(ef->shdrs);
	free(ef->dyn);
	free(ef->dynsyms);
	free(ef->relocs);
	for (size_t i = 0; i < ef->nverneeds; i++)
		free(ef->verneeds[i].aux);
	free(ef->verneeds);
	free(ef->verdefs);
	for (size_t i = 0; i < ef->nwarnings; i++)
		free(ef->warnings[i]);
	free(ef->warnings);
	if (ef->mapping_on_heap)
		free(ef->mapping);
	else if (ef->mapping)
		munmap(ef->mapping, ef->mapping_size);
	memset(ef, 0, sizeof *ef);
}
