/* Go's function table (go/pclntab.c).
 *
 * Real programs: CANRUN_GO_PCLNTAB_DIR holds Go programs built at test time
 * by go_pclntab/build.sh (Go 1.19, the go1.18 layout) for amd64 with and
 * without cgo, internally and externally linked, PIE, stripped, 386, arm64
 * and big-endian s390x, each with `go tool nm` and `go list -deps` output.
 * Every function name must match the symbol table, a stripped build its
 * unstripped twin, and a copy without section headers the original.
 *
 * The go1.2 and go1.16 layouts are synthesized: no Go toolchain older than
 * 1.19 is available to build them; the synthesized tables also cover the
 * go1.18 and go1.20 layouts in every byte order and pointer size. Damaged
 * tables (cut short, absurd counts, offsets past the end) must give a sane
 * answer without crashing, hanging or allocating without bound. */
#include "test_common.h"

#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elf/elf.h"
#include "elf_builder.h"
#include "go/pclntab.h"
#include "util/xalloc.h"

#define MAGIC_12 0xfffffffbu
#define MAGIC_116 0xfffffffau
#define MAGIC_118 0xfffffff0u
#define MAGIC_120 0xfffffff1u

/* ---- small helpers ------------------------------------------------------- */

struct strs {
	char **v;
	size_t n, cap;
};

static void strs_push(struct strs *s, char *str)
{
	XPUSH(s->v, s->n, s->cap, str);
}

static void strs_free(struct strs *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof *s);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void strs_sort_unique(struct strs *s)
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
static void sorted_funcs(const struct go_functab *t, struct strs *out)
{
	memset(out, 0, sizeof *out);
	for (size_t i = 0; i < t->nfuncs; i++)
		strs_push(out, xstrdup(t->funcs[i]));
	strs_sort_unique(out);
}

static bool strs_has(const struct strs *s, const char *str)
{
	return bsearch(&str, s->v, s->n, sizeof *s->v, cmp_str) != NULL;
}

static void assert_strictly_sorted(char *const *v, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (strcmp(v[i - 1], v[i]) >= 0)
			fail_msg("not sorted and unique: \"%s\" before \"%s\"", v[i - 1], v[i]);
}

static void assert_same_list(char *const *a, size_t na, char *const *b, size_t nb)
{
	for (size_t i = 0; i < na && i < nb; i++)
		if (strcmp(a[i], b[i]) != 0)
			fail_msg("entry %zu differs: \"%s\" vs \"%s\"", i, a[i], b[i]);
	assert_int_equal(na, nb);
}

static unsigned char *read_whole(const char *path, size_t *size)
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

static void put(unsigned char *p, unsigned width, uint64_t v, bool be)
{
	for (unsigned i = 0; i < width; i++)
		p[i] = (unsigned char)(v >> (be ? 8 * (width - 1 - i) : 8 * i));
}

static uint64_t get(const unsigned char *p, unsigned width, bool be)
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
static void embed(struct dimg *d, const struct flavour *f, uint32_t load_flags, const void *table, size_t len,
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

static bool read_image(struct dimg *d, struct go_functab *t)
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
static void expect_sane(struct dimg *d, size_t table_size, const struct go_functab *full)
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

/* ---- a table builder for every layout ------------------------------------ */

#define MAX_SYNTH 8
enum { rec_size = 48 }; /* a _func record with room for its fixed fields */

struct synth {
	struct img t;
	uint32_t magic;
	unsigned ps;
	size_t header_words, functab, field, names;
	size_t rec[MAX_SYNTH]; /* where each _func record starts */
	size_t nameoff_at;     /* nameoff's offset inside a record */
};

/* Writes a table of `magic`'s layout for functions named names[0..n). The
 * same pointer twice shares one name offset; equal strings at different
 * pointers get a copy each, as generic instantiations do in go1.18. */
static void synth_build(struct synth *s, uint32_t magic, unsigned ps, bool be, const char *const *names, size_t n)
{
	assert_true(n <= MAX_SYNTH);
	memset(s, 0, sizeof *s);
	s->magic = magic;
	s->ps = ps;
	img_init(&s->t, ps * 8, be);
	struct img *t = &s->t;
	bool new_entry = magic == MAGIC_118 || magic == MAGIC_120;
	s->header_words = magic == MAGIC_12 ? 1 : magic == MAGIC_116 ? 7 : 8;
	s->field = new_entry ? 4 : ps;
	s->nameoff_at = s->field;
	img_reserve(t, 8 + s->header_words * ps, 8);
	img_put(t, 0, 4, magic);
	t->buf[6] = ps == 8 && !be ? 1 : 4; /* a quantum of 1 (x86) or 4 (arm64, ppc64) */
	t->buf[7] = (unsigned char)ps;
	img_put(t, 8, ps, n);

	size_t name_at[MAX_SYNTH];
	size_t cutab = 0, filetab = 0, pctab = 0;
	if (magic != MAGIC_12) {
		s->names = t->len;
		for (size_t i = 0; i < n; i++) {
			size_t j = 0;
			while (j < i && names[j] != names[i])
				j++;
			name_at[i] = j < i ? name_at[j] : img_append(t, names[i], strlen(names[i]) + 1, 1) - s->names;
		}
		cutab = img_reserve(t, 4, 4);
		filetab = img_reserve(t, 4, 4);
		pctab = img_reserve(t, 4, 4);
	}
	/* go1.2's functab follows the header directly (at 12 with 4-byte pointers). */
	s->functab = img_reserve(t, (2 * n + 1) * s->field + (magic == MAGIC_12 ? 4 : 0), magic == MAGIC_12 ? ps : 8);
	for (size_t i = 0; i < n; i++)
		s->rec[i] = img_reserve(t, rec_size, ps);
	if (magic == MAGIC_12) {
		/* Records and names count from the header. */
		s->names = 0;
		for (size_t i = 0; i < n; i++) {
			size_t j = 0;
			while (j < i && names[j] != names[i])
				j++;
			name_at[i] = j < i ? name_at[j] : img_append(t, names[i], strlen(names[i]) + 1, 1);
		}
		filetab = img_reserve(t, 8, 4);
		img_put(t, s->functab + (2 * n + 1) * s->field, 4, filetab);
	}
	size_t funcdata = magic == MAGIC_12 ? 0 : s->functab;
	uint64_t text = 0x401000;
	for (size_t i = 0; i <= n; i++) {
		uint64_t entry = new_entry ? 0x40 * i : text + 0x40 * i;
		img_put(t, s->functab + 2 * i * s->field, (unsigned)s->field, entry);
		if (i == n)
			break;
		img_put(t, s->functab + (2 * i + 1) * s->field, (unsigned)s->field, s->rec[i] - funcdata);
		img_put(t, s->rec[i], (unsigned)s->field, entry);
		img_put(t, s->rec[i] + s->nameoff_at, 4, name_at[i]);
	}
	if (magic != MAGIC_12) {
		size_t w = 8 + 2 * (size_t)ps; /* past nfunc and nfiles */
		img_put(t, 8 + ps, ps, 1);
		if (new_entry) {
			img_put(t, w, ps, text);
			w += ps;
		}
		const size_t offs[5] = { s->names, cutab, filetab, pctab, s->functab };
		for (size_t i = 0; i < 5; i++)
			img_put(t, w + i * ps, ps, offs[i]);
	}
}

static void synth_free(struct synth *s)
{
	img_free(&s->t);
}

static const char *const synth_names_pre120[] = {
	"main.main",
	"net/http.(*Server).Serve",
	"vendor/golang.org/x/net/dns/dnsmessage.(*Parser).Start",
	"type..eq.main.T",
	"go.buildid",
	"main.Keys[...]",
	"gopkg.in/yaml%2ev3.(*parser).parse",
	"crosscall2",
};
static const char *const synth_names_120[] = {
	"main.main",
	"net/http.(*Server).Serve",
	"vendor/golang.org/x/net/dns/dnsmessage.(*Parser).Start",
	"type:.eq.main.T",
	"go:buildid",
	"main.Keys[go.shape.string,go.shape.*net/http.Request]",
	"gopkg.in/yaml%2ev3.(*parser).parse",
	"crosscall2",
};
static const char *const synth_packages[] = {
	"gopkg.in/yaml.v3", "main", "net/http", "runtime/cgo", "vendor/golang.org/x/net/dns/dnsmessage",
};

struct layout_case {
	uint32_t magic;
	const char *name;
	const char *const *names;
};

static const struct layout_case layout_cases[] = {
	{ MAGIC_12, "go1.2", synth_names_pre120 },
	{ MAGIC_116, "go1.16", synth_names_pre120 },
	{ MAGIC_118, "go1.18", synth_names_pre120 },
	{ MAGIC_120, "go1.20", synth_names_120 },
};

static void expect_synth(struct dimg *d, const struct layout_case *lc, unsigned ps, bool be)
{
	struct go_functab t;
	assert_true(read_image(d, &t));
	assert_int_equal(t.magic, lc->magic);
	assert_string_equal(t.layout, lc->name);
	assert_int_equal(t.ptr_size, ps);
	assert_int_equal(t.quantum, ps == 8 && !be ? 1 : 4);
	assert_int_equal(t.big_endian, be);
	struct strs want = { 0 };
	for (size_t i = 0; i < MAX_SYNTH; i++)
		strs_push(&want, xstrdup(lc->names[i]));
	strs_sort_unique(&want);
	struct strs got;
	sorted_funcs(&t, &got);
	assert_int_equal(got.n, t.nfuncs); /* no name twice */
	assert_same_list(got.v, got.n, want.v, want.n);
	strs_free(&got);
	assert_same_list(t.packages, t.npackages, (char *const *)synth_packages,
			 sizeof synth_packages / sizeof synth_packages[0]);
	for (size_t i = 0; i < want.n; i++)
		assert_true(go_functab_has_func(&t, want.v[i]));
	assert_false(go_functab_has_func(&t, "main.missing"));
	assert_true(go_functab_has_package(&t, "net/http"));
	assert_false(go_functab_has_package(&t, "net"));
	strs_free(&want);
	go_functab_free(&t);
}

/* Every layout, in the flavour's byte order and pointer size, found through
 * either section name and by scanning, in a code or a data segment, at an 8-
 * or only 4-aligned address. */
static void test_layouts(void **state)
{
	const struct flavour *f = FLAVOUR(state);
	unsigned ps = f->bits / 8;
	static const char *const sections[] = { ".gopclntab", ".data.rel.ro.gopclntab", NULL };
	for (size_t l = 0; l < 4; l++) {
		const struct layout_case *lc = &layout_cases[l];
		struct synth s;
		synth_build(&s, lc->magic, ps, f->be, lc->names, MAX_SYNTH);
		for (size_t sec = 0; sec < 3; sec++) {
			for (size_t shift = 0; shift <= 4; shift += 4) {
				struct dimg d;
				uint32_t flags = shift ? PF_R | PF_X : PF_R;
				embed(&d, f, flags, s.t.buf, s.t.len, shift, sections[sec]);
				expect_synth(&d, lc, ps, f->be);
				di_free(&d);
			}
		}
		synth_free(&s);
	}
}

/* The table's byte order comes from its magic, not from the ELF header; and
 * a section that does not hold a table does not stop the scan. */
static void test_byte_order_and_bad_section(void **state)
{
	const struct flavour *f = FLAVOUR(state);
	unsigned ps = f->bits / 8;
	const struct layout_case *lc = &layout_cases[3];
	struct synth s;
	synth_build(&s, lc->magic, ps, !f->be, lc->names, MAX_SYNTH);
	struct dimg d;
	embed(&d, f, PF_R, s.t.buf, s.t.len, 0, NULL);
	expect_synth(&d, lc, ps, !f->be);
	di_free(&d);

	/* A .gopclntab of zero bytes, before the real table. */
	embed(&d, f, PF_R, s.t.buf, s.t.len, 0, ".gopclntab");
	struct elf_shdr empty = { NULL, SHT_PROGBITS, 0, 0, SHF_ALLOC, 0, 0, 0, 8, 0 };
	img_shdr(&d.im, d.shoff, 2, 1, &empty);
	expect_synth(&d, lc, ps, !f->be);
	di_free(&d);
	synth_free(&s);
}

/* Entries that share a name offset, and copies of one name at different
 * offsets, both give the name once. */
static void test_shared_names(void **state)
{
	const struct flavour *f = FLAVOUR(state);
	unsigned ps = f->bits / 8;
	static const char shared[] = "pkg.F[...]";
	const char *names[5] = { shared, shared, "pkg.F[...]", "pkg.G", shared };
	for (size_t l = 0; l < 4; l++) {
		struct synth s;
		synth_build(&s, layout_cases[l].magic, ps, f->be, names, 5);
		struct dimg d;
		embed(&d, f, PF_R, s.t.buf, s.t.len, 0, ".gopclntab");
		struct go_functab t;
		assert_true(read_image(&d, &t));
		/* One name per offset; the same text at two offsets may repeat. */
		assert_in_range(t.nfuncs, 2, 3);
		struct strs got;
		sorted_funcs(&t, &got);
		assert_int_equal(got.n, 2);
		assert_string_equal(got.v[0], "pkg.F[...]");
		assert_string_equal(got.v[1], "pkg.G");
		strs_free(&got);
		assert_int_equal(t.npackages, 1);
		assert_string_equal(t.packages[0], "pkg");
		go_functab_free(&t);
		di_free(&d);
		synth_free(&s);
	}
}

/* Damaged synthesized tables in every layout: cut at every length, counts
 * too large for the bytes, offsets past the end. */
static void test_damaged_synth(void **state)
{
	const struct flavour *f = FLAVOUR(state);
	unsigned ps = f->bits / 8;
	for (size_t l = 0; l < 4; l++) {
		const struct layout_case *lc = &layout_cases[l];
		struct synth s;
		synth_build(&s, lc->magic, ps, f->be, lc->names, MAX_SYNTH);
		struct dimg d;
		embed(&d, f, PF_R, s.t.buf, s.t.len, 0, ".gopclntab");
		struct go_functab full;
		assert_true(read_image(&d, &full));
		di_free(&d);

		/* Cut short: through a section of that size (in a segment that is
		 * not readable, so there is no scan past it), and at the end of
		 * the file. */
		for (size_t cut = 0; cut < s.t.len; cut++) {
			embed(&d, f, PF_X, s.t.buf, cut, 0, ".gopclntab");
			expect_sane(&d, s.t.len, &full);
			di_free(&d);
			embed(&d, f, PF_R, s.t.buf, cut, 0, NULL);
			expect_sane(&d, s.t.len, &full);
			di_free(&d);
		}

		unsigned char *copy = xmalloc(s.t.len);
		const uint64_t counts[] = { 0, MAX_SYNTH + 1, s.t.len / 8, s.t.len, 1u << 31, 0xffffffffu,
					    UINT64_MAX, UINT64_MAX / 2 + 1 };
		for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++) {
			memcpy(copy, s.t.buf, s.t.len);
			put(copy + 8, ps, counts[i], f->be);
			embed(&d, f, PF_R, copy, s.t.len, 0, ".gopclntab");
			expect_sane(&d, s.t.len, NULL);
			di_free(&d);
		}
		/* nameoff past the end, at the end, negative; in the first, a
		 * middle and the last record. */
		const uint64_t nameoffs[] = { s.t.len - s.names, s.t.len, 0x7fffffffu, 0xffffffffu, 0x80000000u };
		for (size_t i = 0; i < sizeof nameoffs / sizeof nameoffs[0]; i++) {
			for (size_t r = 0; r < MAX_SYNTH; r += 3) {
				memcpy(copy, s.t.buf, s.t.len);
				put(copy + s.rec[r] + s.nameoff_at, 4, nameoffs[i], f->be);
				embed(&d, f, PF_R, copy, s.t.len, 0, ".gopclntab");
				struct go_functab t;
				assert_false(read_image(&d, &t));
				di_free(&d);
			}
		}
		/* A funcoff past the end. */
		memcpy(copy, s.t.buf, s.t.len);
		put(copy + s.functab + 3 * s.field, (unsigned)s.field, s.t.len, f->be);
		embed(&d, f, PF_R, copy, s.t.len, 0, ".gopclntab");
		struct go_functab t;
		assert_false(read_image(&d, &t));
		di_free(&d);
		/* Each table offset in the header past the section's end, or
		 * inside the header (no scan: the segment is not readable). */
		for (size_t w = lc->magic == MAGIC_116 ? 2 : 3; w < s.header_words; w++) {
			const uint64_t bad[] = { s.t.len + 1, UINT64_MAX, 8 };
			for (size_t i = 0; i < 3; i++) {
				memcpy(copy, s.t.buf, s.t.len);
				put(copy + 8 + w * ps, ps, ps == 4 ? (uint32_t)bad[i] : bad[i], f->be);
				embed(&d, f, PF_X, copy, s.t.len, 0, ".gopclntab");
				assert_false(read_image(&d, &t));
				di_free(&d);
			}
		}
		free(copy);
		go_functab_free(&full);
		synth_free(&s);
	}
}

/* Many functions whose names are suffixes of one long string: reading them
 * all would copy gigabytes, so the table is refused, quickly. The same
 * functions sharing one name offset are fine. */
static void test_overlapping_names(void **state)
{
	(void)state;
	enum { nfunc = 50000, namelen = 60000 };
	for (int overlap = 0; overlap < 2; overlap++) {
		struct img t;
		img_init(&t, 64, false);
		size_t hdr = img_reserve(&t, 8 + 8 * 8, 8);
		img_put(&t, 0, 4, MAGIC_120);
		t.buf[6] = 1;
		t.buf[7] = 8;
		size_t names = img_reserve(&t, namelen + 1, 1);
		memset(t.buf + names, 'a', namelen);
		memcpy(t.buf + names, "pkg.F", 5);
		size_t functab = img_reserve(&t, (2 * nfunc + 1) * 4, 8);
		size_t rec = img_reserve(&t, rec_size, 8);
		img_put(&t, rec + 4, 4, 0);
		for (size_t i = 0; i < nfunc; i++)
			img_put(&t, functab + (2 * i + 1) * 4, 4, rec - functab);
		if (overlap) {
			/* One record per function, each naming a later suffix. */
			size_t recs = img_reserve(&t, (size_t)nfunc * 8, 8);
			for (size_t i = 0; i < nfunc; i++) {
				img_put(&t, functab + (2 * i + 1) * 4, 4, recs + 8 * i - functab);
				img_put(&t, recs + 8 * i + 4, 4, i % (namelen - 1));
			}
		}
		const uint64_t words[] = { nfunc, 1, 0x401000, names, functab, functab, functab, functab };
		for (size_t i = 0; i < 8; i++)
			img_put(&t, hdr + 8 + 8 * i, 8, words[i]);
		struct dimg d;
		embed(&d, &flavours[2], PF_R, t.buf, t.len, 0, ".gopclntab");
		double start = now_seconds();
		struct go_functab ft;
		bool ok = read_image(&d, &ft);
		assert_true(now_seconds() - start < 5);
		if (overlap) {
			assert_false(ok);
		} else {
			assert_true(ok);
			assert_int_equal(ft.nfuncs, 1);
			assert_int_equal(strlen(ft.funcs[0]), namelen);
			assert_int_equal(ft.npackages, 1);
			assert_string_equal(ft.packages[0], "pkg");
			go_functab_free(&ft);
		}
		di_free(&d);
		img_free(&t);
	}
}

/* ---- go_func_package ------------------------------------------------------ */

static void test_func_package(void **state)
{
	(void)state;
	static const char *const cases[][2] = {
		{ "main.main", "main" },
		{ "main.main.func1", "main" },
		{ "main.(*greeter).Greet-fm", "main" },
		{ "fmt.Println", "fmt" },
		{ "net/http.(*Server).Serve", "net/http" },
		{ "net.(*Resolver).goLookupHostOrder", "net" },
		{ "os/user.lookupUnixUid", "os/user" },
		{ "go/ast.Walk", "go/ast" },
		{ "vendor/golang.org/x/net/dns/dnsmessage.(*Parser).Start", "vendor/golang.org/x/net/dns/dnsmessage" },
		{ "main.Keys[...]", "main" },
		{ "main.Keys[go.shape.string_0,go.shape.*uint8_1]", "main" },
		{ "crypto/elliptic.(*nistCurve[*crypto/internal/nistec.P224Point]).IsOnCurve", "crypto/elliptic" },
		{ "internal/sync.(*HashTrieMap[go.shape.struct { net/netip.isV6 bool },go.shape.interface {}]).All.func1",
		  "internal/sync" },
		{ "slices.pdqsortCmpFunc[go.shape.interface { Info() (io/fs.FileInfo, error) }]", "slices" },
		{ "gopkg.in/yaml%2ev3.(*parser).parse", "gopkg.in/yaml.v3" },
		{ "example.com/a%25b.F", "example.com/a%b" },
		{ "example.com/odd%zz.F", "example.com/odd%zz" },
		{ "runtime/cgo.set_crosscall2", "runtime/cgo" },
		{ "crosscall2", "runtime/cgo" },
		{ "x_cgo_init", "runtime/cgo" },
		{ "x_cgo_munmap.cold", "runtime/cgo" },
		/* Made by the compiler, the linker or gcc, or not Go at all. */
		{ "type..eq.[2]interface {}", NULL },
		{ "type..eq.net.dialResult\xc2\xb7" "1", NULL },
		{ "type:.eq.main.T", NULL },
		{ "type:.eq.[...]time.zone", NULL },
		{ "type:.hash.main.T", NULL },
		{ "go.buildid", NULL },
		{ "go:buildid", NULL },
		{ "go:textfipsstart", NULL },
		{ "runtime.gcbits.0102", NULL },
		{ "__x86.get_pc_thunk.bx", NULL },
		{ "fatalf.cold", NULL },
		{ "threadentry.part.0", NULL },
		{ "f.constprop.0.isra.0", NULL },
		{ "_rt0_amd64_linux", NULL },
		{ "aeshashbody", NULL },
		{ "_cgo_2ac87069779a_C2func_getaddrinfo", NULL },
		{ "main", NULL },
		{ ".text", NULL },
		{ "a/.F", NULL },
		{ "", NULL },
	};
	char buf[128];
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *got = go_func_package(cases[i][0], buf, sizeof buf);
		if (!cases[i][1] != !got || (got && strcmp(got, cases[i][1]) != 0))
			fail_msg("%s: got %s, want %s", cases[i][0], got ? got : "NULL",
				 cases[i][1] ? cases[i][1] : "NULL");
	}
	/* The buffer must hold the path and its terminator. */
	assert_null(go_func_package("net/http.Get", buf, 8));
	assert_string_equal(go_func_package("net/http.Get", buf, 9), "net/http");
	assert_null(go_func_package("crosscall2", buf, 11));
	assert_string_equal(go_func_package("crosscall2", buf, 12), "runtime/cgo");
	assert_null(go_func_package("main.main", buf, 0));
}

/* ---- real Go programs ------------------------------------------------------ */

struct variant {
	const char *name;
	const char *twin; /* the unstripped build of the same source and flags */
	bool external;    /* linked by the system linker: the symbol table adds C functions */
	unsigned ptr_size, quantum;
	bool big_endian;
	bool uses_net; /* imports net, os/user, crypto/x509 */
	bool cgo;
};

static const struct variant variants[] = {
	{ "net-cgo", NULL, false, 8, 1, false, true, true },
	{ "net-cgo-sw", "net-cgo", false, 8, 1, false, true, true },
	{ "net-ext", NULL, true, 8, 1, false, true, true },
	{ "net-pie", NULL, false, 8, 1, false, true, true },
	{ "net-nocgo", NULL, false, 8, 1, false, true, false },
	{ "net-386", NULL, false, 4, 1, false, true, false },
	{ "net-arm64", NULL, false, 8, 4, false, true, false },
	{ "net-s390x", NULL, false, 8, 2, true, true, false },
	{ "plain", NULL, false, 8, 1, false, false, false },
	{ "plain-sw", "plain", false, 8, 1, false, false, false },
};

static const char *fixture_dir(void)
{
	const char *dir = getenv("CANRUN_GO_PCLNTAB_DIR");
	return dir && dir[0] ? dir : NULL;
}

static char *fixture_path(const char *name, const char *suffix)
{
	char *path = xmalloc(strlen(fixture_dir()) + strlen(name) + strlen(suffix) + 2);
	sprintf(path, "%s/%s%s", fixture_dir(), name, suffix);
	return path;
}

/* A symbol name as the function table holds it: the symbol table marks
 * ABI0 bodies that have wrappers with ".abi0", writes '·' as '.', and go1.19
 * shortens type arguments to "[...]" in the function table only. */
static char *normalize(const char *name)
{
	size_t n = strlen(name);
	char *out = xmalloc(n + 6), *o = out;
	const char *open = strchr(name, '['), *close = strrchr(name, ']');
	for (const char *p = name; *p;) {
		if (p == open && close > open) {
			memcpy(o, "[...]", 5);
			o += 5;
			p = close + 1;
		} else if ((unsigned char)p[0] == 0xc2 && (unsigned char)p[1] == 0xb7) {
			*o++ = '.';
			p += 2;
		} else {
			*o++ = *p++;
		}
	}
	*o = '\0';
	size_t len = (size_t)(o - out);
	if (len > 5 && strcmp(out + len - 5, ".abi0") == 0)
		out[len - 5] = '\0';
	return out;
}

/* The text symbols of `go tool nm` output, normalized; *raw counts the
 * functions (one per symbol, so ABI0 bodies and their wrappers twice). The
 * linker's text markers and host objects' section symbols ("net(.text)")
 * have no table entry. */
static void read_nm(const char *path, struct strs *out, size_t *raw)
{
	FILE *f = fopen(path, "r");
	if (!f)
		fail_msg("cannot read %s", path);
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	*raw = 0;
	while ((len = getline(&line, &cap, f)) > 0) {
		if (line[len - 1] == '\n')
			line[--len] = '\0';
		/* "%8x %c %s": address, type, name (which may hold spaces). */
		char *p = line + strspn(line, " ");
		p += strspn(p, "0123456789abcdef");
		if (p[0] != ' ' || (p[1] != 'T' && p[1] != 't') || p[2] != ' ')
			continue;
		const char *name = p + 3;
		if (strcmp(name, "runtime.text") == 0 || strcmp(name, "runtime.etext") == 0 || strstr(name, "(.text"))
			continue;
		(*raw)++;
		strs_push(out, normalize(name));
	}
	free(line);
	fclose(f);
	strs_sort_unique(out);
}

static void read_lines(const char *path, struct strs *out)
{
	FILE *f = fopen(path, "r");
	if (!f)
		fail_msg("cannot read %s", path);
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	while ((len = getline(&line, &cap, f)) > 0) {
		if (line[len - 1] == '\n')
			line[--len] = '\0';
		strs_push(out, xstrdup(line));
	}
	free(line);
	fclose(f);
	strs_sort_unique(out);
}

/* nfunc from the header of the table in the section, to compare the raw
 * count of functions (names repeat) with the symbol table's. */
static uint64_t header_nfunc(const struct elf_file *ef, const struct go_functab *t)
{
	const struct elf_shdr *s = elf_section_by_name(ef, ".gopclntab");
	if (!s)
		s = elf_section_by_name(ef, ".data.rel.ro.gopclntab");
	assert_non_null(s);
	struct byte_view v = bv_sub(&ef->view, s->offset, s->size);
	v.big_endian = t->big_endian;
	uint64_t n;
	assert_true(bv_word(&v, 8, t->ptr_size, &n));
	return n;
}

static void read_variant(const char *name, struct go_functab *t, uint64_t *nfunc)
{
	char *path = fixture_path(name, "");
	struct elf_file ef;
	struct cr_err err;
	if (elf_open(&ef, path, &err) != 0)
		fail_msg("%s: cannot open", path);
	assert_true(go_functab_read(&ef, t));
	if (nfunc)
		*nfunc = header_nfunc(&ef, t);
	elf_close(&ef);
	free(path);
}

/* The same file with e_shoff, e_shnum and e_shstrndx zeroed: the table is
 * then found by scanning the loaded segments. */
static void read_without_sections(const char *name, struct go_functab *t)
{
	char *path = fixture_path(name, "");
	size_t size;
	unsigned char *data = read_whole(path, &size);
	assert_non_null(data);
	assert_true(size > 64);
	bool is64 = data[EI_CLASS] == ELFCLASS64;
	memset(data + (is64 ? 0x28 : 0x20), 0, is64 ? 8 : 4);
	memset(data + (is64 ? 0x3c : 0x30), 0, 4);
	struct elf_file ef;
	struct cr_err err;
	assert_int_equal(elf_parse_memory(&ef, data, size, &err), 0);
	assert_int_equal(ef.nshdrs, 0);
	assert_true(go_functab_read(&ef, t));
	elf_close(&ef);
	free(data);
	free(path);
}

static void test_real_variant(void **state)
{
	const struct variant *v = *state;
	if (!fixture_dir()) {
		print_message("CANRUN_GO_PCLNTAB_DIR is not set: no Go programs to read\n");
		skip();
	}
	struct go_functab t;
	uint64_t nfunc;
	read_variant(v->name, &t, &nfunc);
	assert_int_equal(t.magic, MAGIC_118);
	assert_string_equal(t.layout, "go1.18");
	assert_int_equal(t.ptr_size, v->ptr_size);
	assert_int_equal(t.quantum, v->quantum);
	assert_int_equal(t.big_endian, v->big_endian);
	assert_true(t.nfuncs > 1000);
	assert_strictly_sorted(t.packages, t.npackages);

	/* Against the symbol table. */
	const char *oracle = v->twin ? v->twin : v->name;
	if (!v->twin) {
		struct strs nm = { 0 }, ours = { 0 };
		size_t raw;
		char *path = fixture_path(oracle, ".nm");
		read_nm(path, &nm, &raw);
		free(path);
		for (size_t i = 0; i < t.nfuncs; i++)
			strs_push(&ours, normalize(t.funcs[i]));
		strs_sort_unique(&ours);
		for (size_t i = 0; i < ours.n; i++)
			if (!strs_has(&nm, ours.v[i]))
				fail_msg("%s: \"%s\" is not in the symbol table", v->name, ours.v[i]);
		if (!v->external) {
			for (size_t i = 0; i < nm.n; i++)
				if (!strs_has(&ours, nm.v[i]))
					fail_msg("%s: \"%s\" is missing", v->name, nm.v[i]);
			assert_int_equal(ours.n, nm.n);
			assert_int_equal(nfunc, raw);
		}
		strs_free(&nm);
		strs_free(&ours);
	} else {
		struct go_functab twin;
		read_variant(v->twin, &twin, NULL);
		assert_same_list(t.funcs, t.nfuncs, twin.funcs, twin.nfuncs);
		assert_same_list(t.packages, t.npackages, twin.packages, twin.npackages);
		go_functab_free(&twin);
	}

	/* Without section headers. */
	struct go_functab bare;
	read_without_sections(v->name, &bare);
	assert_int_equal(bare.magic, t.magic);
	assert_int_equal(bare.ptr_size, t.ptr_size);
	assert_int_equal(bare.big_endian, t.big_endian);
	assert_same_list(bare.funcs, bare.nfuncs, t.funcs, t.nfuncs);
	assert_same_list(bare.packages, bare.npackages, t.packages, t.npackages);
	go_functab_free(&bare);

	/* Packages: what the program imports, and nothing `go list -deps` does
	 * not know, but for main and runtime/debug, whose functions the runtime
	 * defines through go:linkname. */
	assert_int_equal(go_functab_has_package(&t, "net"), v->uses_net);
	assert_int_equal(go_functab_has_package(&t, "crypto/x509"), v->uses_net);
	assert_int_equal(go_functab_has_package(&t, "os/user"), v->uses_net);
	assert_int_equal(go_functab_has_package(&t, "vendor/golang.org/x/net/dns/dnsmessage"), v->uses_net);
	assert_int_equal(go_functab_has_package(&t, "runtime/cgo"), v->cgo);
	assert_true(go_functab_has_package(&t, "main"));
	assert_true(go_functab_has_package(&t, "runtime"));
	assert_false(go_functab_has_package(&t, "plugin"));
	struct strs deps = { 0 };
	char *path = fixture_path(oracle, ".deps");
	read_lines(path, &deps);
	free(path);
	for (size_t i = 0; i < t.npackages; i++) {
		const char *p = t.packages[i];
		if (!strs_has(&deps, p) && strcmp(p, "main") != 0 && strcmp(p, "runtime/debug") != 0)
			fail_msg("%s: package %s is not a dependency", v->name, p);
	}
	strs_free(&deps);
	/* Every function's package is listed, and every function is found. */
	char buf[4096];
	for (size_t i = 0; i < t.nfuncs; i++) {
		assert_true(go_functab_has_func(&t, t.funcs[i]));
		const char *p = go_func_package(t.funcs[i], buf, sizeof buf);
		if (p && !go_functab_has_package(&t, p))
			fail_msg("%s: %s's package %s is not listed", v->name, t.funcs[i], p);
	}

	/* Names of each kind. */
	assert_true(go_functab_has_func(&t, "main.main"));
	assert_true(go_functab_has_func(&t, "runtime.main"));
	assert_false(go_functab_has_func(&t, "main.missing"));
	if (v->uses_net) {
		assert_true(go_functab_has_func(&t, "main.main.func1"));
		assert_true(go_functab_has_func(&t, "main.Keys[...]"));
		assert_true(go_functab_has_func(&t, "main.(*List[...]).Push"));
		assert_true(go_functab_has_func(&t, "main.(*greeter).Greet-fm"));
		assert_true(go_functab_has_func(&t, "net.(*Resolver).LookupHost"));
	}
	if (v->uses_net && v->cgo) {
		assert_true(go_functab_has_func(&t, "crosscall2"));
		assert_true(go_functab_has_func(&t, "net._C2func_getaddrinfo"));
		assert_true(go_functab_has_func(&t, "os/user._Cfunc_mygetpwuid_r"));
	}
	go_functab_free(&t);
}

/* The real table of `plain` cut at many lengths: through a section of that
 * size in a segment that is not scanned, and without sections at the end
 * of the file; then with an absurd nfunc and with names and records out of
 * range. A cut table is refused or, when the cut spares every name, read
 * whole. */
static void test_real_damaged(void **state)
{
	(void)state;
	if (!fixture_dir()) {
		print_message("CANRUN_GO_PCLNTAB_DIR is not set: no Go programs to read\n");
		skip();
	}
	char *path = fixture_path("plain", "");
	struct elf_file ef;
	struct cr_err err;
	assert_int_equal(elf_open(&ef, path, &err), 0);
	free(path);
	const struct elf_shdr *s = elf_section_by_name(&ef, ".gopclntab");
	assert_non_null(s);
	size_t size = (size_t)s->size;
	const unsigned char *table = bv_ptr(&ef.view, s->offset, size);
	assert_non_null(table);
	struct go_functab full;
	assert_true(go_functab_read(&ef, &full));
	const struct flavour *f = &flavours[2];

	size_t cuts[400], ncuts = 0;
	for (size_t i = 0; i < 96; i++)
		cuts[ncuts++] = i;
	for (size_t i = 1; i < 280; i++)
		cuts[ncuts++] = size * i / 280 + i % 8;
	for (size_t i = 1; i <= 16; i++)
		cuts[ncuts++] = size - i;
	for (size_t i = 0; i < ncuts; i++) {
		struct dimg d;
		embed(&d, f, PF_X, table, cuts[i], 0, ".gopclntab");
		expect_sane(&d, size, &full);
		di_free(&d);
		if (i % 4 == 0) {
			embed(&d, f, PF_R, table, cuts[i], 0, NULL);
			expect_sane(&d, size, &full);
			di_free(&d);
		}
	}

	unsigned char *copy = xmalloc(size);
	uint64_t nfunc = get(table + 8, 8, false), pcln = get(table + 8 + 7 * 8, 8, false);
	const uint64_t counts[] = { nfunc + 1, nfunc * 2, size / 8, size / 8 + 1, 1ull << 31, 1ull << 32, UINT64_MAX };
	for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++) {
		memcpy(copy, table, size);
		put(copy + 8, 8, counts[i], false);
		struct dimg d;
		embed(&d, f, PF_R, copy, size, 0, ".gopclntab");
		expect_sane(&d, size, NULL);
		di_free(&d);
	}
	const uint64_t nameoffs[] = { size, 0x7fffffff, 0xffffffff };
	const uint64_t which[] = { 0, nfunc / 2, nfunc - 1 };
	for (size_t i = 0; i < 3; i++) {
		for (size_t w = 0; w < 3; w++) {
			memcpy(copy, table, size);
			uint64_t funcoff = get(copy + pcln + (2 * which[w] + 1) * 4, 4, false);
			assert_true(pcln + funcoff + 8 <= size);
			put(copy + pcln + funcoff + 4, 4, nameoffs[i], false);
			struct dimg d;
			embed(&d, f, PF_R, copy, size, 0, ".gopclntab");
			struct go_functab t;
			assert_false(read_image(&d, &t));
			di_free(&d);
			/* The funcoff itself out of range. */
			memcpy(copy, table, size);
			put(copy + pcln + (2 * which[w] + 1) * 4, 4, size - pcln - 4 + i, false);
			embed(&d, f, PF_R, copy, size, 0, ".gopclntab");
			assert_false(read_image(&d, &t));
			di_free(&d);
		}
	}
	free(copy);
	go_functab_free(&full);
	elf_close(&ef);
}

/* Not a Go program: no table, an empty answer. */
static void test_no_table(void **state)
{
	const struct flavour *f = FLAVOUR(state);
	struct dimg d;
	embed(&d, f, PF_R | PF_X, "\0\0\0\0\0\0\0\0", 8, 0, NULL);
	struct go_functab t;
	assert_false(read_image(&d, &t));
	go_functab_free(&t);
	di_free(&d);
}

#define VARIANT(i) { variants[i].name, test_real_variant, watchdog_on, watchdog_off, (void *)&variants[i] }

int main(void)
{
	const struct CMUnitTest tests[] = {
		EACH_FLAVOUR(test_layouts),
		EACH_FLAVOUR(test_byte_order_and_bad_section),
		EACH_FLAVOUR(test_shared_names),
		EACH_FLAVOUR(test_damaged_synth),
		EACH_FLAVOUR(test_no_table),
		ONE(test_overlapping_names),
		ONE(test_func_package),
		VARIANT(0),
		VARIANT(1),
		VARIANT(2),
		VARIANT(3),
		VARIANT(4),
		VARIANT(5),
		VARIANT(6),
		VARIANT(7),
		VARIANT(8),
		VARIANT(9),
		ONE(test_real_damaged),
	};
	return cmocka_run_group_tests_name("go_pclntab", tests, NULL, NULL);
}
