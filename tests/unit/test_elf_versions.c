/* The dynamic symbol table and symbol versioning (elf_symbols.c): the symbol
 * count from DT_HASH and DT_GNU_HASH with no section headers, .gnu.version,
 * version needs and definitions, and hostile chains (cycles, absurd counts)
 * that must end in an error, quickly. Like ld.so, the reader follows the
 * chains' links to a zero and ignores DT_VERNEEDNUM, DT_VERDEFNUM and
 * vn_cnt. */
#include "test_common.h"

#include <elf.h>
#include <string.h>

#include "elf/elf.h"
#include "elf_builder.h"

enum hash_kind { HASH_SYSV, HASH_GNU, HASH_NONE };

/* Offsets of the tables build_versioned() wrote, for tests to damage. */
struct layout {
	size_t symtab, versym, verneed, verdef, hash;
	size_t region; /* REGION_SIZE zero bytes, also mapped alone at REGION_VADDR */
	uint32_t libc, glibc_225, glibc_214;
};

#define NSYMS 5
#define REGION_SIZE 1024
#define REGION_VADDR 0x800000u

/* A library-like image: five dynamic symbols (null, puts@GLIBC_2.2.5,
 * memcpy@GLIBC_2.14 weak-version, my_func@ME_1.0, a hidden-versioned weak
 * reference), one version need file with two versions and two version
 * definitions, found only through the dynamic section. */
static void build_versioned(struct dimg *d, const struct flavour *f, enum hash_kind hash, struct layout *L)
{
	di_init(d, f->bits, f->be);
	struct img *im = &d->im;
	uint32_t s_puts = di_str(d, "puts"), s_memcpy = di_str(d, "memcpy");
	uint32_t s_func = di_str(d, "my_func"), s_weak = di_str(d, "weak_ref");
	L->libc = di_str(d, "libc.so.6");
	L->glibc_225 = di_str(d, "GLIBC_2.2.5");
	L->glibc_214 = di_str(d, "GLIBC_2.14");
	uint32_t s_me = di_str(d, "libme.so.1"), s_me10 = di_str(d, "ME_1.0"), s_me09 = di_str(d, "ME_0.9");

	size_t ss = sym_size(f->bits);
	L->symtab = img_reserve(im, NSYMS * ss, 8);
	img_sym(im, L->symtab + 1 * ss, s_puts, ELF32_ST_INFO(STB_GLOBAL, STT_FUNC), STV_DEFAULT, SHN_UNDEF, 0, 0);
	img_sym(im, L->symtab + 2 * ss, s_memcpy, ELF32_ST_INFO(STB_GLOBAL, STT_FUNC), STV_DEFAULT, SHN_UNDEF, 0, 0);
	img_sym(im, L->symtab + 3 * ss, s_func, ELF32_ST_INFO(STB_GLOBAL, STT_FUNC), STV_PROTECTED, 12, 0x1234, 42);
	img_sym(im, L->symtab + 4 * ss, s_weak, ELF32_ST_INFO(STB_WEAK, STT_OBJECT), STV_DEFAULT, SHN_UNDEF, 0, 0);

	static const uint16_t versyms[NSYMS] = { 0, 2, 3, 4, 0x8002 };
	L->versym = img_reserve(im, sizeof versyms, 2);
	for (size_t i = 0; i < NSYMS; i++)
		img_put(im, L->versym + 2 * i, 2, versyms[i]);

	/* One Elf_Verneed and two Elf_Vernaux, back to back. */
	L->verneed = img_reserve(im, 16 + 2 * 16, 4);
	size_t vn = L->verneed;
	img_put(im, vn, 2, 1);          /* vn_version */
	img_put(im, vn + 2, 2, 2);      /* vn_cnt */
	img_put(im, vn + 4, 4, L->libc);
	img_put(im, vn + 8, 4, 16);     /* vn_aux */
	img_put(im, vn + 12, 4, 0);     /* vn_next */
	img_put(im, vn + 16, 4, 0x09691a75); /* vna_hash of GLIBC_2.2.5 */
	img_put(im, vn + 20, 2, 0);
	img_put(im, vn + 22, 2, 2);
	img_put(im, vn + 24, 4, L->glibc_225);
	img_put(im, vn + 28, 4, 16);
	img_put(im, vn + 32, 4, 0x06969194);
	img_put(im, vn + 36, 2, VER_FLG_WEAK);
	img_put(im, vn + 38, 2, 3);
	img_put(im, vn + 40, 4, L->glibc_214);
	img_put(im, vn + 44, 4, 0);

	/* Two Elf_Verdef: the base (file name) and ME_1.0 with parent ME_0.9. */
	L->verdef = img_reserve(im, 2 * 20 + 3 * 8, 4);
	size_t vd = L->verdef;
	img_put(im, vd, 2, 1);
	img_put(im, vd + 2, 2, VER_FLG_BASE);
	img_put(im, vd + 4, 2, 1);
	img_put(im, vd + 6, 2, 1);
	img_put(im, vd + 8, 4, 0x1111);
	img_put(im, vd + 12, 4, 20);    /* vd_aux */
	img_put(im, vd + 16, 4, 28);    /* vd_next: past one aux */
	img_put(im, vd + 20, 4, s_me);
	img_put(im, vd + 24, 4, 0);
	vd += 28;
	img_put(im, vd, 2, 1);
	img_put(im, vd + 2, 2, 0);
	img_put(im, vd + 4, 2, 4);
	img_put(im, vd + 6, 2, 2);
	img_put(im, vd + 8, 4, 0x2222);
	img_put(im, vd + 12, 4, 20);
	img_put(im, vd + 16, 4, 0);
	img_put(im, vd + 20, 4, s_me10);
	img_put(im, vd + 24, 4, 8);
	img_put(im, vd + 28, 4, s_me09);
	img_put(im, vd + 32, 4, 0);

	if (hash == HASH_SYSV) {
		/* nbucket 1, nchain = NSYMS; the count is nchain. */
		L->hash = img_reserve(im, 4 * (2 + 1 + NSYMS), 4);
		img_put(im, L->hash, 4, 1);
		img_put(im, L->hash + 4, 4, NSYMS);
		di_dyn(d, DT_HASH, di_vaddr(L->hash));
	} else if (hash == HASH_GNU) {
		/* symoffset 1, buckets {1, 3, 0}: bucket 1's chain (3, 4) ends
		 * at symbol 4 (low bit set), so the count is 5. */
		unsigned w = f->bits / 8;
		L->hash = img_reserve(im, 16 + w + 3 * 4 + 4 * 4, 8);
		img_put(im, L->hash, 4, 3);     /* nbuckets */
		img_put(im, L->hash + 4, 4, 1); /* symoffset */
		img_put(im, L->hash + 8, 4, 1); /* bloom_size */
		img_put(im, L->hash + 12, 4, 6);
		size_t b = L->hash + 16 + w;
		img_put(im, b, 4, 1);
		img_put(im, b + 4, 4, 3);
		img_put(im, b + 8, 4, 0);
		size_t c = b + 12;
		img_put(im, c, 4, 0x100);      /* symbol 1 */
		img_put(im, c + 4, 4, 0x201);  /* symbol 2: end of bucket 0 */
		img_put(im, c + 8, 4, 0x300);  /* symbol 3 */
		img_put(im, c + 12, 4, 0x401); /* symbol 4: end of bucket 1 */
		di_dyn(d, DT_GNU_HASH, di_vaddr(L->hash));
	}
	/* Room after the tables, so a wrong count would read more symbols
	 * instead of being clamped back to the right one by the segment. */
	img_reserve(im, 64 * ss, 8);
	/* A second PT_LOAD maps this region alone, so a table placed there
	 * ends exactly where the region does. */
	L->region = img_reserve(im, REGION_SIZE, 16);
	di_phdr_at(d, PT_LOAD, PF_R, L->region, REGION_VADDR, REGION_SIZE, 0x1000);

	di_dyn(d, DT_NEEDED, L->libc);
	di_dyn(d, DT_SONAME, s_me);
	di_dyn(d, DT_STRTAB, 0);
	di_dyn(d, DT_STRSZ, 0);
	di_dyn(d, DT_SYMTAB, di_vaddr(L->symtab));
	di_dyn(d, DT_SYMENT, ss);
	di_dyn(d, DT_VERSYM, di_vaddr(L->versym));
	di_dyn(d, DT_VERNEED, di_vaddr(L->verneed));
	di_dyn(d, DT_VERNEEDNUM, 1);
	di_dyn(d, DT_VERDEF, di_vaddr(L->verdef));
	di_dyn(d, DT_VERDEFNUM, 2);
	di_finish(d);
}

static void check_symbols(const struct elf_file *ef)
{
	assert_int_equal(ef->ndynsyms, NSYMS);
	const struct elf_sym *s = ef->dynsyms;
	assert_string_equal(s[0].name, "");
	assert_int_equal(s[0].versym, 0);
	assert_string_equal(s[1].name, "puts");
	assert_int_equal(s[1].bind, STB_GLOBAL);
	assert_int_equal(s[1].type, STT_FUNC);
	assert_int_equal(s[1].shndx, SHN_UNDEF);
	assert_int_equal(s[1].versym, 2);
	assert_string_equal(s[2].name, "memcpy");
	assert_int_equal(s[2].versym, 3);
	assert_string_equal(s[3].name, "my_func");
	assert_int_equal(s[3].visibility, STV_PROTECTED);
	assert_int_equal(s[3].shndx, 12);
	assert_true(s[3].value == 0x1234);
	assert_true(s[3].size == 42);
	assert_int_equal(s[3].versym, 4);
	assert_string_equal(s[4].name, "weak_ref");
	assert_int_equal(s[4].bind, STB_WEAK);
	assert_int_equal(s[4].type, STT_OBJECT);
	assert_int_equal(s[4].versym, 0x8002);
}

static void test_symbols_from_dt_hash(void **state)
{
	struct dimg d;
	struct layout L;
	build_versioned(&d, FLAVOUR(state), HASH_SYSV, &L);
	struct elf_file ef;
	struct cr_err err;
	assert_int_equal(di_parse(&d, &ef, &err), 0);
	assert_int_equal(ef.nshdrs, 0);
	check_symbols(&ef);
	assert_int_equal(ef.nwarnings, 0);
	elf_close(&ef);
	di_free(&d);
}

static void test_symbols_from_gnu_hash(void **state)
{
	struct dimg d;
	struct layout L;
	build_versioned(&d, FLAVOUR(state), HASH_GNU, &L);
	struct elf_file ef;
	struct cr_err err;
	assert_int_equal(di_parse(&d, &ef, &err), 0);
	assert_int_equal(ef.nshdrs, 0);
	check_symbols(&ef);
	assert_int_equal(ef.nwarnings, 0);
	elf_close(&ef);

	/* All buckets empty: only the symoffset symbols below the hash. */
	unsigned w = FLAVOUR(state)->bits / 8;
	img_put(&d.im, L.hash + 4, 4, 3);
	for (int i = 0; i < 3; i++)
		img_put(&d.im, L.hash + 16 + w + 4 * (size_t)i, 4, 0);
	assert_int_equal(di_parse(&d, &ef, &err), 0);
	assert_int_equal(ef.ndynsyms, 3);
	elf_close(&ef);

	/* A GNU hash table at the end of a segment whose last chain has no
	 * terminator: the walk stops at the segment's end, with no symbols. */
	size_t h = L.region + REGION_SIZE - (16 + w + 4 + 8);
	img_put(&d.im, h, 4, 1);     /* nbuckets */
	img_put(&d.im, h + 4, 4, 1); /* symoffset */
	img_put(&d.im, h + 8, 4, 1); /* bloom_size */
	img_put(&d.im, h + 16 + w, 4, 1);
	di_patch_dyn(&d, DT_GNU_HASH, REGION_VADDR + (h - L.region));
	assert_int_equal(di_parse(&d, &ef, &err), 0);
	assert_int_equal(ef.ndynsyms, 0);
	elf_close(&ef);
	di_patch_dyn(&d, DT_GNU_HASH, di_vaddr(L.hash));

	/* nbuckets larger than the segment. */
	img_put(&d.im, L.hash, 4, 0xffffffff);
	assert_int_equal(di_parse(&d, &ef, &err), 0);
	assert_int_equal(ef.ndynsyms, 0);
	elf_close(&ef);
	di_free(&d);
}

static void test_symbols_absurd_nchain(void **state)
{
	const struct flavour *f = FLAVOUR(state);
	struct dimg d;
	struct layout L;
	build_versioned(&d, f, HASH_SYSV, &L);
	img_put(&d.im, L.hash + 4, 4, 0xffffffff);
	struct elf_file ef;
	struct cr_err err;
	double t0 = now_seconds();
	assert_int_equal(di_parse(&d, &ef, &err), 0);
	assert_true(now_seconds() - t0 < 1.0);
	/* Clamped to what the segment holds from DT_SYMTAB on. */
	assert_true(ef.ndynsyms == (d.im.len - L.symtab) / sym_size(f->bits));
	assert_string_equal(ef.warnings[0], "the dynamic symbol table is truncated (4294967295 symbols claimed)");
	assert_string_equal(ef.dynsyms[1].name, "puts");
	assert_int_equal(ef.dynsyms[1].versym, 2);
	elf_close(&ef);
	di_free(&d);
}

static void test_symbols_outside_segments(void **state)
{
	struct dimg d;
	struct layout L;
	build_versioned(&d, FLAVOUR(state), HASH_SYSV, &L);
	di_patch_dyn(&d, DT_SYMTAB, 0x7000000);
	struct elf_file ef;
	struct cr_err err;
	assert_int_equal(di_parse(&d, &ef, &err), 0);
	assert_int_equal(ef.ndynsyms, 0);
	assert_string_equal(ef.warnings[0], "the dynamic symbol table is outside every loaded segment");
	elf_close(&ef);

	/* A DT_VERSYM with room for two entries, not five: no versions. */
	di_patch_dyn(&d, DT_SYMTAB, di_vaddr(L.symtab));
	di_patch_dyn(&d, DT_VERSYM, REGION_VADDR + REGION_SIZE - 4);
	assert_int_equal(di_parse(&d, &ef, &err), 0);
	assert_int_equal(ef.ndynsyms, NSYMS);
	assert_int_equal(ef.nwarnings, 1);
	assert_string_equal(ef.warnings[0], "the symbol version table (DT_VERSYM) is out of range");
	assert_int_equal(ef.dynsyms[1].versym, 0);
	elf_close(&ef);
	di_free(&d);
}

static void test_version_tables(void **state)
{
	struct dimg d;
	struct layout L;
	build_versioned(&d, FLAVOUR(state), HASH_SYSV, &L);
	struct elf_file ef;
	struct cr_err err;
	assert_int_equal(di_parse(&d, &ef, &err), 0);
	assert_int_equal(ef.nverneeds, 1);
	assert_string_equal(ef.verneeds[0].file, "libc.so.6");
	assert_int_equal(ef.verneeds[0].naux, 2);
	const struct elf_vernaux *a = ef.verneeds[0].aux;
	assert_string_equal(a[0].name, "GLIBC_2.2.5");
	assert_int_equal(a[0].hash, 0x09691a75);
	assert_int_equal(a[0].flags, 0);
	assert_int_equal(a[0].other, 2);
	assert_string_equal(a[1].name, "GLIBC_2.14");
	assert_int_equal(a[1].flags, VER_FLG_WEAK);
	assert_int_equal(a[1].other, 3);

	assert_int_equal(ef.nverdefs, 2);
	assert_string_equal(ef.verdefs[0].name, "libme.so.1");
	assert_null(ef.verdefs[0].parent);
	assert_int_equal(ef.verdefs[0].flags, VER_FLG_BASE);
	assert_int_equal(ef.verdefs[0].ndx, 1);
	assert_string_equal(ef.verdefs[1].name, "ME_1.0");
	assert_string_equal(ef.verdefs[1].parent, "ME_0.9");
	assert_int_equal(ef.verdefs[1].ndx, 4);
	elf_close(&ef);
	di_free(&d);
}

/* Parses and expects the given error, within a second. */
static void expect_error_quickly(struct dimg *d, const char *msg)
{
	struct elf_file ef;
	struct cr_err err = { "" };
	double t0 = now_seconds();
	int rc = di_parse(d, &ef, &err);
	double took = now_seconds() - t0;
	assert_int_equal(rc, -1);
	assert_string_equal(err.msg, msg);
	assert_true(took < 1.0);
}

static void test_verneed_cycles(void **state)
{
	struct dimg d;
	struct layout L;
	build_versioned(&d, FLAVOUR(state), HASH_SYSV, &L);
	struct img *im = &d.im;
	size_t vn = L.verneed;

	/* vn_next pointing back at the record itself (a loop to a 32-bit
	 * loader, whose pointer arithmetic wraps), and DT_VERNEEDNUM
	 * claiming that many records. */
	di_patch_dyn(&d, DT_VERNEEDNUM, 0xffffffff);
	img_put(im, vn + 12, 4, 0xffffffff - 15);
	expect_error_quickly(&d, "the version needs table is truncated or loops");
	img_put(im, vn + 12, 4, 0xffffffff); /* back by one byte */
	expect_error_quickly(&d, "the version needs table is truncated or loops");
	img_put(im, vn + 12, 4, 0);

	/* vna_next of the second aux pointing back to the first, with
	 * vn_cnt claiming that many. */
	img_put(im, vn + 2, 2, 0xffff);
	img_put(im, vn + 44, 4, 0xffffffff - 15);
	expect_error_quickly(&d, "the version needs of libc.so.6 are truncated or loop");
	img_put(im, vn + 44, 4, 0xffffffff);
	expect_error_quickly(&d, "the version needs of libc.so.6 are truncated or loop");
	di_free(&d);
}

static void test_verneed_absurd_counts(void **state)
{
	struct dimg d;
	struct layout L;
	build_versioned(&d, FLAVOUR(state), HASH_SYSV, &L);
	struct img *im = &d.im;
	size_t vn = L.verneed;
	struct elf_file ef;
	struct cr_err err;

	/* Huge counts, but the chains end (next == 0): read what is there;
	 * counts of zero do not stop the chains either. */
	const uint64_t counts[] = { FLAVOUR(state)->bits == 64 ? UINT64_MAX : UINT32_MAX, 0 };
	for (size_t i = 0; i < 2; i++) {
		di_patch_dyn(&d, DT_VERNEEDNUM, counts[i]);
		img_put(im, vn + 2, 2, i ? 0 : 0xffff);
		double t0 = now_seconds();
		assert_int_equal(di_parse(&d, &ef, &err), 0);
		assert_true(now_seconds() - t0 < 1.0);
		assert_int_equal(ef.nverneeds, 1);
		assert_int_equal(ef.verneeds[0].naux, 2);
		assert_int_equal(ef.nwarnings, 0);
		elf_close(&ef);
	}

	/* Records of one need and one version each that keep going
	 * (vn_next = 32) to the end of their segment: an error there. */
	for (size_t o = L.region; o < L.region + REGION_SIZE; o += 32) {
		img_put(im, o, 2, 1);      /* vn_version */
		img_put(im, o + 2, 2, 1);  /* vn_cnt */
		img_put(im, o + 8, 4, 16); /* vn_aux */
		img_put(im, o + 12, 4, 32);
	}
	di_patch_dyn(&d, DT_VERNEED, REGION_VADDR);
	expect_error_quickly(&d, "the version needs table is truncated or loops");
	/* One record with vn_cnt = 0xffff and auxes that keep going. */
	memset(im->buf + L.region, 0, REGION_SIZE);
	img_put(im, L.region, 2, 1);
	img_put(im, L.region + 2, 2, 0xffff);
	img_put(im, L.region + 8, 4, 16);
	for (size_t o = L.region + 16; o < L.region + REGION_SIZE; o += 16)
		img_put(im, o + 12, 4, 16);
	expect_error_quickly(&d, "the version needs of  are truncated or loop");
	di_free(&d);
}

static void test_verneed_bad_names(void **state)
{
	struct dimg d;
	struct layout L;
	build_versioned(&d, FLAVOUR(state), HASH_SYSV, &L);
	struct img *im = &d.im;
	size_t vn = L.verneed;
	/* The string table runs to its segment's end, not to DT_STRSZ. */
	img_put(im, vn + 4, 4, d.strsz);
	struct elf_file ef;
	struct cr_err err;
	assert_int_equal(di_parse(&d, &ef, &err), 0);
	elf_close(&ef);
	img_put(im, vn + 4, 4, d.im.len - d.str_off);
	expect_error_quickly(&d, "a version need names a file outside the string table");
	img_put(im, vn + 4, 4, L.libc);
	img_put(im, vn + 40, 4, 0xffffffff);
	expect_error_quickly(&d, "a version needed from libc.so.6 is named outside the string table");
	img_put(im, vn + 40, 4, L.glibc_214);
	di_patch_dyn(&d, DT_VERNEED, 0x7000000);
	expect_error_quickly(&d, "the version needs (DT_VERNEED) are outside every loaded segment");
	di_patch_dyn(&d, DT_VERNEED, di_vaddr(d.im.len - 8));
	expect_error_quickly(&d, "the version needs table is truncated or loops");
	di_free(&d);
}

static void test_verdef_cycles_and_counts(void **state)
{
	struct dimg d;
	struct layout L;
	build_versioned(&d, FLAVOUR(state), HASH_SYSV, &L);
	struct img *im = &d.im;
	size_t vd2 = L.verdef + 28;
	struct elf_file ef;
	struct cr_err err;

	const uint64_t counts[] = { 0xffffffff, 0, 1 };
	for (size_t i = 0; i < 3; i++) {
		di_patch_dyn(&d, DT_VERDEFNUM, counts[i]);
		double t0 = now_seconds();
		assert_int_equal(di_parse(&d, &ef, &err), 0);
		assert_true(now_seconds() - t0 < 1.0);
		assert_int_equal(ef.nverdefs, 2);
		elf_close(&ef);
	}

	img_put(im, vd2 + 16, 4, 0xffffffff - 27); /* back to the first record */
	expect_error_quickly(&d, "the version definitions table is truncated or loops");
	img_put(im, vd2 + 16, 4, 0);

	/* Nameless records (vd_cnt = 0) that keep going to the segment's end. */
	for (size_t o = L.region; o + 20 <= L.region + REGION_SIZE; o += 20) {
		img_put(im, o, 2, 1);
		img_put(im, o + 16, 4, 20);
	}
	di_patch_dyn(&d, DT_VERDEF, REGION_VADDR);
	expect_error_quickly(&d, "the version definitions table is truncated or loops");
	di_patch_dyn(&d, DT_VERDEF, di_vaddr(L.verdef));

	/* A parent link pointing out of the table costs the parent only. */
	img_put(im, vd2 + 24, 4, 0xffffff00);
	assert_int_equal(di_parse(&d, &ef, &err), 0);
	assert_string_equal(ef.verdefs[1].name, "ME_1.0");
	assert_null(ef.verdefs[1].parent);
	elf_close(&ef);

	img_put(im, vd2 + 20, 4, d.im.len - d.str_off);
	expect_error_quickly(&d, "a version definition is named outside the string table");
	img_put(im, vd2 + 20, 4, 0);
	img_put(im, vd2 + 12, 4, 0xfffffff0); /* vd_aux out of the table */
	expect_error_quickly(&d, "a version definition is named outside the string table");
	di_patch_dyn(&d, DT_VERDEF, 0x7000000);
	expect_error_quickly(&d, "the version definitions (DT_VERDEF) are outside every loaded segment");
	di_free(&d);
}

/* ld.so refuses records of another revision than 1; the reader reads on
 * and warns once. */
static void test_record_revision(void **state)
{
	struct dimg d;
	struct layout L;
	build_versioned(&d, FLAVOUR(state), HASH_SYSV, &L);
	img_put(&d.im, L.verneed, 2, 2);
	img_put(&d.im, L.verdef + 28, 2, 0);
	struct elf_file ef;
	struct cr_err err;
	assert_int_equal(di_parse(&d, &ef, &err), 0);
	assert_true(ef.bad_version_record);
	assert_int_equal(ef.nwarnings, 1);
	assert_string_equal(ef.warnings[0], "unsupported version 2 of Verneed record (the loader refuses this file)");
	assert_int_equal(ef.nverneeds, 1);
	assert_int_equal(ef.nverdefs, 2);
	elf_close(&ef);
	di_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		EACH_FLAVOUR(test_symbols_from_dt_hash),
		EACH_FLAVOUR(test_symbols_from_gnu_hash),
		EACH_FLAVOUR(test_symbols_absurd_nchain),
		EACH_FLAVOUR(test_symbols_outside_segments),
		EACH_FLAVOUR(test_version_tables),
		EACH_FLAVOUR(test_verneed_cycles),
		EACH_FLAVOUR(test_verneed_absurd_counts),
		EACH_FLAVOUR(test_verneed_bad_names),
		EACH_FLAVOUR(test_verdef_cycles_and_counts),
		EACH_FLAVOUR(test_record_revision),
	};
	return cmocka_run_group_tests_name("elf_versions", tests, NULL, NULL);
}
