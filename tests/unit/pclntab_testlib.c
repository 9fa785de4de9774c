/* Helpers shared by the function-table tests (test_go_pclntab.c on
 * synthesized tables, test_go_pclntab_real.c on real Go programs). */
#include "pclntab_testlib.h"

#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

/* ---- small helpers ------------------------------------------------------- */

void strs_push(struct strs *s, char *str)
{
	XPUSH(s->v, s->n, s->cap, str);
}

void strs_free(struct strs *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof *s);
}

int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void strs_sort_unique(struct strs *s)
{
	if (s->n == 0)
		return;
	qsort(s->v, s->n, sizeof *s->v, cmp_str);
	size_t out = 1;
	for (size_t i = 1; i < s->n; i++) {
		if (strcmp(s->v[i], s->v[out - 1]) == 0)
			free(s->v[i]);
		else
			s->v[out++] = s->v[i];
	}
	s->n = out;
}

/* The function names of a table, sorted and unique, for comparisons:
 * the table gives them in its own order. */
void sorted_funcs(const struct go_functab *t, struct strs *out)
{
	memset(out, 0, sizeof *out);
	for (size_t i = 0; i < t->nfuncs; i++)
		strs_push(out, xstrdup(t->funcs[i]));
	strs_sort_unique(out);
}

bool strs_has(const struct strs *s, const char *str)
{
	return bsearch(&str, s->v, s->n, sizeof *s->v, cmp_str) != NULL;
}

void assert_strictly_sorted(char *const *v, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (strcmp(v[i - 1], v[i]) >= 0)
			fail_msg("not sorted and unique: \"%s\" before \"%s\"", v[i - 1], v[i]);
}

void assert_same_list(const char *const *a, size_t na, const char *const *b, size_t nb)
{
	for (size_t i = 0; i < na && i < nb; i++)
		if (strcmp(a[i], b[i]) != 0)
			fail_msg("entry %zu differs: \"%s\" vs \"%s\"", i, a[i], b[i]);
	assert_int_equal(na, nb);
}

unsigned char *read_whole(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 1 << 20, len = 0;
	unsigned char *buf = xmalloc(cap);
	size_t got;
	while ((got = fread(buf + len, 1, cap - len, f)) > 0) {
		len += got;
		if (len == cap)
			buf = xrealloc(buf, cap *= 2);
	}
	fclose(f);
	*size = len;
	return buf;
}

void put(unsigned char *p, unsigned width, uint64_t v, bool be)
{
	for (unsigned i = 0; i < width; i++)
		p[i] = (unsigned char)(v >> (be ? 8 * (width - 1 - i) : 8 * i));
}

uint64_t get(const unsigned char *p, unsigned width, bool be)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < width; i++)
		v |= (uint64_t)p[i] << (be ? 8 * (width - 1 - i) : 8 * i);
	return v;
}

/* ---- images holding a table ---------------------------------------------- */

/* An image whose PT_LOAD (flags `load_flags`) maps the whole file, holding
 * `table` at an 8-aligned offset plus `shift` (to test 4-aligned tables),
 * with a section `section` over it, or no section headers at all. */
void embed(struct dimg *d, const struct flavour *f, uint32_t load_flags, const void *table, size_t len,
		  size_t shift, const char *section)
{
	di_init(d, f->bits, f->be);
	d->load_flags = load_flags;
	/* Bytes before the table that look like the start of a header but are
	 * not one: a scan must pass over them. */
	size_t decoy = img_reserve(&d->im, 64, 8);
	static const unsigned char fake[] = { 0xf1, 0xff, 0xff, 0xff, 0, 0, 1, 8 };
	memcpy(d->im.buf + decoy, fake, sizeof fake);
	memcpy(d->im.buf + decoy + 16, fake, sizeof fake);
	d->im.buf[decoy + 24] = 0xff; /* nfunc: 255 */
	size_t at = img_reserve(&d->im, len + shift, 8) + shift;
	if (len)
		memcpy(d->im.buf + at, table, len);
	if (section) {
		char names[64];
		size_t nlen = (size_t)snprintf(names, sizeof names, "%c.shstrtab%c%s", 0, 0, section) + 1;
		size_t names_off = img_append(&d->im, names, nlen, 1);
		size_t shoff = img_reserve(&d->im, 3 * shdr_size(f->bits), 8);
		struct elf_shdr null = { 0 };
		struct elf_shdr strtab = { NULL, SHT_STRTAB, 0, 0, 0, 0, names_off, nlen, 1, 0 };
		struct elf_shdr tab = { NULL, SHT_PROGBITS, 0, 0, SHF_ALLOC, di_vaddr(at), at, len, 8, 0 };
		img_shdr(&d->im, shoff, 0, 0, &null);
		img_shdr(&d->im, shoff, 1, 1, &strtab);
		img_shdr(&d->im, shoff, 2, 11, &tab);
		d->shoff = shoff;
		d->shnum = 3;
		d->shstrndx = 1;
	}
	di_finish(d);
}

bool read_image(struct dimg *d, struct go_functab *t)
{
	struct elf_file ef;
	struct cr_err err;
	assert_int_equal(di_parse(d, &ef, &err), 0);
	bool ok = go_functab_read(&ef, t);
	elf_close(&ef);
	if (!ok) {
		assert_int_equal(t->nfuncs, 0);
		assert_int_equal(t->npackages, 0);
		assert_null(t->funcs);
		assert_null(t->packages);
	}
	return ok;
}

/* A damaged table may be refused, or read as far as it is sound; it must
 * never yield more names than its bytes can hold. */
void expect_sane(struct dimg *d, size_t table_size, const struct go_functab *full)
{
	struct go_functab t;
	if (read_image(d, &t)) {
		assert_true(t.nfuncs <= table_size / 8);
		assert_strictly_sorted(t.packages, t.npackages);
		if (full)
			assert_same_list(t.funcs, t.nfuncs, full->funcs, full->nfuncs);
		go_functab_free(&t);
	}
}
