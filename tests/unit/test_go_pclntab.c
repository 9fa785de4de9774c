/* Go's function table (go/pclntab.c) on synthesized tables.
 *
 * The go1.2 and go1.16 layouts are synthesized: no Go toolchain older than
 * 1.19 is available to build them; the synthesized tables also cover the
 * go1.18 and go1.20 layouts in every byte order and pointer size. Damaged
 * tables (cut short, absurd counts, offsets past the end) must give a sane
 * answer without crashing, hanging or allocating without bound. Real Go
 * programs: test_go_pclntab_real.c. */
#include "pclntab_testlib.h"

#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

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
	assert_same_list((const char *const *)got.v, got.n, (const char *const *)want.v, want.n);
	strs_free(&got);
	assert_same_list((const char *const *)t.packages, t.npackages, (const char *const *)synth_packages,
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
		/* Kept until the end: the names point into the image. */
		struct dimg d, whole;
		embed(&whole, f, PF_R, s.t.buf, s.t.len, 0, ".gopclntab");
		struct go_functab full;
		assert_true(read_image(&whole, &full));

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
		di_free(&whole);
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
	};
	return cmocka_run_group_tests_name("go_pclntab", tests, NULL, NULL);
}
