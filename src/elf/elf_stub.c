#include "elf/elf_stub.h"

#include <elf.h>
#include <stdlib.h>
#include <string.h>

#include "elf/elf.h"
#include "loader/ldso.h"
#include "util/xalloc.h"

struct ranges {
	struct stub_extent *r;
	size_t n, cap;
};

static void add(struct ranges *rs, uint64_t off, uint64_t len, uint64_t size)
{
	if (off >= size || len == 0)
		return;
	if (len > size - off)
		len = size - off;
	struct stub_extent e = { off, len };
	XPUSH(rs->r, rs->n, rs->cap, e);
}

static int by_offset(const void *a, const void *b)
{
	const struct stub_extent *x = a, *y = b;
	return x->offset < y->offset ? -1 : x->offset > y->offset;
}

/* Sorts and merges overlapping and adjacent ranges in place. */
static void merge(struct ranges *rs)
{
	if (!rs->n)
		return;
	qsort(rs->r, rs->n, sizeof *rs->r, by_offset);
	size_t k = 0;
	for (size_t i = 1; i < rs->n; i++) {
		struct stub_extent *last = &rs->r[k];
		uint64_t end = last->offset + last->length;
		if (rs->r[i].offset <= end) {
			uint64_t e2 = rs->r[i].offset + rs->r[i].length;
			if (e2 > end)
				last->length = e2 - last->offset;
		} else {
			rs->r[++k] = rs->r[i];
		}
	}
	rs->n = k + 1;
}

/* Sections whose contents canrun never reads: code and data (PROGBITS but
 * the interpreter's name), the link-time symbol table and its strings,
 * debug information. */
static bool droppable(const struct elf_file *ef, size_t i)
{
	const struct elf_shdr *s = &ef->shdrs[i];
	if (s->type == SHT_NOBITS || s->type == SHT_NULL)
		return false;
	if (strncmp(s->name, ".debug", 6) == 0 || strncmp(s->name, ".zdebug", 7) == 0)
		return true;
	if (s->type == SHT_PROGBITS)
		return strcmp(s->name, ".interp") != 0 && strcmp(s->name, ".go.buildinfo") != 0;
	if (s->type == SHT_SYMTAB)
		return true;
	/* The reader counts symbols by the hash tables only without this. */
	if (s->type == SHT_HASH || s->type == SHT_GNU_HASH) {
		uint64_t symtab;
		if (elf_dyn_get(ef, DT_SYMTAB, &symtab))
			for (size_t j = 0; j < ef->nshdrs; j++)
				if (ef->shdrs[j].type == SHT_DYNSYM && ef->shdrs[j].addr == symtab && ef->shdrs[j].entsize)
					return true;
		return false;
	}
	if (s->type == SHT_STRTAB)
		for (size_t j = 0; j < ef->nshdrs; j++)
			if (ef->shdrs[j].type == SHT_SYMTAB && ef->shdrs[j].link == i)
				return true;
	return false;
}

/* Around every hit of PATTERN: BEFORE bytes before it, AFTER after it. */
static void keep_hits(struct ranges *rs, const unsigned char *data, size_t size, const char *pattern, size_t before,
		      size_t after, bool first_only)
{
	size_t plen = strlen(pattern);
	for (const unsigned char *p = data, *end = data + size; (p = memmem(p, (size_t)(end - p), pattern, plen)) != NULL;
	     p += plen) {
		size_t off = (size_t)(p - data);
		size_t from = off > before ? off - before : 0;
		add(rs, from, off - from + plen + after, size);
		if (first_only)
			break;
	}
}

static void keep_strings(struct ranges *rs, const unsigned char *data, size_t size)
{
	/* ldso.c walks back and forth from each "/usr/lib" through the
	 * SYSTEM_DIRS run (a few hundred bytes). */
	keep_hits(rs, data, size, "/usr/lib", 1024, 1024, false);
	keep_hits(rs, data, size, "release version ", 0, 64, true);
	keep_hits(rs, data, size, "Version ", 0, 64, true);
	keep_hits(rs, data, size, "OpenSSL ", 0, 64, false);
	keep_hits(rs, data, size, "_nss_files_getpwuid_r", 0, 0, true);
	size_t n;
	const unsigned char *musl = ldso_musl_version(data, size, &n);
	if (musl)
		add(rs, (uint64_t)(musl - data) - 1, n + 2, size);
}

static void put_word(unsigned char *p, unsigned w, bool big, uint64_t v)
{
	for (unsigned i = 0; i < w; i++)
		p[big ? w - 1 - i : i] = (unsigned char)(v >> (8 * i));
}

struct masked {
	unsigned char *copy;
	size_t size;
};

/* Offsets and addends are never read; symbol-less entries not at all. */
static void mask_reloc(const struct elf_reloc_entry *e, void *ctx)
{
	struct masked *m = ctx;
	uint64_t fields = e->rela ? 3 : 2;
	if (e->offset > m->size || fields * e->width > m->size - e->offset)
		return;
	memset(m->copy + e->offset, 0, e->width);
	if (e->rela)
		memset(m->copy + e->offset + 2 * e->width, 0, e->width);
	if (e->sym == 0)
		memset(m->copy + e->offset + e->width, 0, e->width);
}

void elf_stub_mask(unsigned char *copy, size_t size)
{
	struct elf_file ef;
	struct cr_err err;
	if (elf_parse_memory(&ef, copy, size, &err) < 0)
		return;
	struct masked m = { copy, size };
	elf_reloc_each(&ef, mask_reloc, &m);
	/* st_value and st_size: at 4 and 8 (ELF32), at 8 and 16 (ELF64). */
	unsigned w = ef.bits / 8;
	for (size_t i = 0; i < ef.nshdrs; i++) {
		const struct elf_shdr *sh = &ef.shdrs[i];
		if (sh->type != SHT_DYNSYM || sh->entsize < 3u * w || !bv_has(&ef.view, sh->offset, sh->size))
			continue;
		uint64_t value_at = w == 8 ? 8 : 4, size_at = w == 8 ? 16 : 8;
		for (uint64_t o = sh->offset; o + sh->entsize <= sh->offset + sh->size; o += sh->entsize) {
			uint64_t value;
			if (!bv_word(&ef.view, o + value_at, w, &value))
				break;
			put_word(copy + o + value_at, w, ef.big_endian, value != 0);
			memset(copy + o + size_at, 0, w);
		}
	}
	elf_close(&ef);
}

bool elf_stub_wants_strings(const char *name)
{
	const char *base = strrchr(name, '/');
	base = base ? base + 1 : name;
	/* glibc before 2.34 names the files behind the links ld-2.31.so and
	 * libc-2.31.so. */
	return strncmp(base, "ld-", 3) == 0 || strncmp(base, "ld64", 4) == 0 || strncmp(base, "libc.so", 7) == 0 ||
	       strncmp(base, "libc-", 5) == 0 || strncmp(base, "libc.musl", 9) == 0 ||
	       strncmp(base, "libcrypto.so", 12) == 0;
}

/* The section and program header tables' places, from the ELF header. */
static void keep_tables(struct ranges *rs, const struct elf_file *ef, size_t size)
{
	const struct byte_view *v = &ef->view;
	bool is64 = ef->bits == 64;
	uint64_t phoff = 0, shoff = 0;
	uint16_t ehsize = 0, phentsize = 0, shentsize = 0;
	bv_word(v, is64 ? 0x20 : 0x1c, is64 ? 8 : 4, &phoff);
	bv_word(v, is64 ? 0x28 : 0x20, is64 ? 8 : 4, &shoff);
	bv_u16(v, is64 ? 0x34 : 0x28, &ehsize);
	bv_u16(v, is64 ? 0x36 : 0x2a, &phentsize);
	bv_u16(v, is64 ? 0x3a : 0x2e, &shentsize);
	add(rs, 0, ehsize > 64 ? ehsize : 64, size);
	add(rs, phoff, (uint64_t)phentsize * ef->nphdrs, size);
	add(rs, shoff, (uint64_t)shentsize * ef->nshdrs, size);
}

void elf_stub_extents(const unsigned char *data, size_t size, bool strings, struct stub_extents *out)
{
	struct ranges keep = { 0 };
	struct elf_file ef;
	struct cr_err err;
	if (elf_parse_memory(&ef, data, size, &err) < 0) {
		add(&keep, 0, 4096, size);
	} else if (ef.nshdrs == 0) {
		add(&keep, 0, size, size);
		elf_close(&ef);
	} else {
		struct ranges drop = { 0 };
		for (size_t i = 0; i < ef.nshdrs; i++)
			if (droppable(&ef, i))
				add(&drop, ef.shdrs[i].offset, ef.shdrs[i].size, size);
		merge(&drop);
		uint64_t at = 0;
		for (size_t i = 0; i < drop.n; i++) {
			add(&keep, at, drop.r[i].offset - at, size);
			at = drop.r[i].offset + drop.r[i].length;
		}
		add(&keep, at, size - at, size);
		free(drop.r);
		keep_tables(&keep, &ef, size);
		for (size_t i = 0; i < ef.nphdrs; i++) {
			const struct elf_phdr *p = &ef.phdrs[i];
			if (p->type == PT_INTERP || p->type == PT_DYNAMIC || p->type == PT_NOTE ||
			    p->type == PT_GNU_PROPERTY)
				add(&keep, p->offset, p->filesz, size);
		}
		if (strings)
			keep_strings(&keep, data, size);
		elf_close(&ef);
	}
	merge(&keep);
	out->ext = keep.r;
	out->n = keep.n;
}

void stub_extents_free(struct stub_extents *s)
{
	free(s->ext);
	memset(s, 0, sizeof *s);
}

unsigned char *stub_extents_gather(const unsigned char *data, const struct stub_extents *s, size_t *len)
{
	size_t total = 0;
	for (size_t i = 0; i < s->n; i++)
		total += s->ext[i].length;
	unsigned char *out = xmalloc(total ? total : 1), *o = out;
	for (size_t i = 0; i < s->n; i++) {
		memcpy(o, data + s->ext[i].offset, s->ext[i].length);
		o += s->ext[i].length;
	}
	*len = total;
	return out;
}

unsigned char *stub_extents_scatter(const unsigned char *kept, const struct stub_extents *s, size_t size)
{
	unsigned char *out = xcalloc(size ? size : 1, 1);
	for (size_t i = 0; i < s->n; i++) {
		memcpy(out + s->ext[i].offset, kept, s->ext[i].length);
		kept += s->ext[i].length;
	}
	return out;
}
