/* ldcache.c on synthesized caches, for the corner cases of glibc's
 * search_cache that no real ldconfig run produces: generic flags, hwcaps
 * priority, ISA levels, the sort order of names, tiny and bad files. */
#include "ldcache_testlib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct syn_entry {
	const char *name, *path;
	int32_t flags;
	uint64_t hwcap;
};

/* A little-endian cache in ldconfig's layout with the entries in the
 * given order (not sorted: tests choose the order on purpose). */
static unsigned char *synth(const struct syn_entry *e, size_t n, const char *const *hwcaps, size_t nh, bool old,
			    size_t *size)
{
	size_t cap = 65536, strings_at = old ? 16 + 12 * n : 48 + 24 * n;
	unsigned char *b = calloc(1, cap);
	size_t pos = strings_at;
	size_t base = old ? strings_at : 0;
	memcpy(b, old ? "ld.so-1.7.0" : "glibc-ld.so.cache1.1", old ? 11 : 20);
	for (size_t i = 0; i < n; i++) {
		size_t at = old ? 16 + 12 * i : 48 + 24 * i;
		put32(b, at, (uint32_t)e[i].flags, false);
		put32(b, at + 4, (uint32_t)(pos - base), false);
		memcpy(b + pos, e[i].name, strlen(e[i].name) + 1);
		pos += strlen(e[i].name) + 1;
		put32(b, at + 8, (uint32_t)(pos - base), false);
		memcpy(b + pos, e[i].path, strlen(e[i].path) + 1);
		pos += strlen(e[i].path) + 1;
		if (!old) {
			put32(b, at + 16, (uint32_t)e[i].hwcap, false);
			put32(b, at + 20, (uint32_t)(e[i].hwcap >> 32), false);
		}
	}
	size_t names[8];
	for (size_t i = 0; i < nh; i++) {
		names[i] = pos;
		memcpy(b + pos, hwcaps[i], strlen(hwcaps[i]) + 1);
		pos += strlen(hwcaps[i]) + 1;
	}
	if (old) {
		put32(b, 12, (uint32_t)n, false);
		*size = pos;
		return b;
	}
	put32(b, 20, (uint32_t)n, false);
	put32(b, 24, (uint32_t)(pos - strings_at), false);
	b[28] = 2;
	pos = (pos + 3) & ~(size_t)3;
	put32(b, 32, (uint32_t)pos, false);
	size_t ext = pos;
	put32(b, ext, 0xeaa42174u, false);
	put32(b, ext + 4, nh ? 2 : 1, false);
	pos = ext + 8 + 16 * (nh ? 2 : 1);
	size_t arr = pos;
	for (size_t i = 0; i < nh; i++)
		put32(b, arr + 4 * i, (uint32_t)names[i], false);
	pos += 4 * nh;
	static const char gen[] = "synthesized";
	memcpy(b + pos, gen, sizeof gen - 1);
	put32(b, ext + 8, 0, false);
	put32(b, ext + 16, (uint32_t)pos, false);
	put32(b, ext + 20, sizeof gen - 1, false);
	if (nh) {
		put32(b, ext + 24, 1, false);
		put32(b, ext + 32, (uint32_t)arr, false);
		put32(b, ext + 36, (uint32_t)(4 * nh), false);
	}
	*size = pos + sizeof gen - 1;
	return b;
}

static struct ldcache synth_parse(const struct syn_entry *e, size_t n, const char *const *hwcaps, size_t nh, bool old)
{
	size_t size;
	unsigned char *b = synth(e, n, hwcaps, nh, old, &size);
	struct ldcache c = parse_ok(b, size);
	free(b);
	return c;
}

static const uint64_t ext_bit = 1ull << 62;

static void test_synth_generic_flags(void **state)
{
	(void)state;
	const struct ldcache_query i386 = { 1, 3, NULL, 0, false };
	/* Sorted (flags 3 first): the libc6 entry. */
	struct syn_entry sorted[] = { { "libx.so.1", "/a", 3, 0 }, { "libx.so.1", "/b", 1, 0 } };
	struct ldcache c = synth_parse(sorted, 2, NULL, 0, false);
	expect_lookup(&c, "libx.so.1", &i386, (struct want){ "/a", NULL });
	ldcache_free(&c);
	/* Flags 1 first: glibc keeps scanning after a non-default match, but
	 * in the new format the next plain entry ends the scan with the old
	 * best; the old format lets the flags-3 entry replace it. */
	struct syn_entry unsorted[] = { { "libx.so.1", "/b", 1, 0 }, { "libx.so.1", "/a", 3, 0 } };
	c = synth_parse(unsorted, 2, NULL, 0, false);
	expect_lookup(&c, "libx.so.1", &i386, (struct want){ "/b", NULL });
	ldcache_free(&c);
	c = synth_parse(unsorted, 2, NULL, 0, true);
	assert_false(c.new_format);
	expect_lookup(&c, "libx.so.1", &i386, (struct want){ "/a", NULL });
	ldcache_free(&c);
	/* arm hard-float: 0x0903 or unmarked 3; same quirk in the old format. */
	int32_t a, b;
	assert_true(ldcache_flags_for(40, 32, false, 0x05000400, &a, &b));
	const struct ldcache_query armhf = { a, b, NULL, 0, false };
	struct syn_entry arm[] = { { "liby.so.1", "/hf", 0x0903, 0 }, { "liby.so.1", "/plain", 3, 0 },
				   { "liby.so.1", "/sf", 0x0b03, 0 } };
	c = synth_parse(arm, 3, NULL, 0, false);
	expect_lookup(&c, "liby.so.1", &armhf, (struct want){ "/hf", NULL });
	ldcache_free(&c);
	c = synth_parse(arm, 3, NULL, 0, true);
	expect_lookup(&c, "liby.so.1", &armhf, (struct want){ "/plain", NULL });
	ldcache_free(&c);
}

static void test_synth_hwcaps_priority(void **state)
{
	(void)state;
	static const char *const names[] = { "power10", "power9", "z13" };
	struct syn_entry e[] = {
		{ "libp.so.1", "/p10", 0x0503, ext_bit | 0 },
		{ "libp.so.1", "/p9", 0x0503, ext_bit | 1 },
		{ "libp.so.1", "/legacy", 0x0503, 1ull << 20 },
		{ "libp.so.1", "/plain", 0x0503, 0 },
		{ "libp.so.1", "/after", 0x0503, 0 },
	};
	struct ldcache c = synth_parse(e, 5, names, 3, false);
	assert_string_equal(c.entries[0].hwcaps_subdir, "power10");
	assert_string_equal(c.entries[1].hwcaps_subdir, "power9");
	assert_null(c.entries[2].hwcaps_subdir);
	assert_string_equal(c.generator, "synthesized");

	static const char *const both[] = { "power10", "power9", NULL };
	static const char *const p9first[] = { "power9", "power10", NULL };
	static const char *const p9[] = { "power9", NULL };
	static const char *const other[] = { "z13", NULL };
	struct ldcache_query q = { 0x0503, 0x0503, both, 0, false };
	expect_lookup(&c, "libp.so.1", &q, (struct want){ "/p10", "power10" });
	q.hwcaps = p9first;
	expect_lookup(&c, "libp.so.1", &q, (struct want){ "/p9", "power9" });
	q.hwcaps = p9;
	expect_lookup(&c, "libp.so.1", &q, (struct want){ "/p9", "power9" });
	/* No usable subdir: the legacy entry is skipped (2.37+) or taken (< 2.37). */
	q.hwcaps = other;
	expect_lookup(&c, "libp.so.1", &q, (struct want){ "/plain", NULL });
	q.legacy_hwcaps = true;
	expect_lookup(&c, "libp.so.1", &q, (struct want){ "/legacy", NULL });
	q.hwcaps = NULL;
	q.legacy_hwcaps = false;
	expect_lookup(&c, "libp.so.1", &q, (struct want){ "/plain", NULL });
	/* Wrong flags everywhere. */
	q.flags_a = q.flags_b = 0x0303;
	expect_lookup(&c, "libp.so.1", &q, (struct want){ NULL, NULL });
	ldcache_free(&c);
}

static void test_synth_isa_levels(void **state)
{
	(void)state;
	static const char *const names[] = { "x86-64-v2", "x86-64-v3", "x86-64-v4" };
	static const char *const all[] = { "x86-64-v4", "x86-64-v3", "x86-64-v2", NULL };
	/* Each subdir's library needs a level one above its name says. */
	struct syn_entry e[] = {
		{ "libi.so.1", "/v2", 0x0303, ext_bit | 2ull << 32 | 0 },
		{ "libi.so.1", "/v3", 0x0303, ext_bit | 3ull << 32 | 1 },
		{ "libi.so.1", "/v4", 0x0303, ext_bit | 4ull << 32 | 2 },
		{ "libi.so.1", "/base", 0x0303, 0 },
	};
	struct ldcache c = synth_parse(e, 4, names, 3, false);
	struct ldcache_query q = { 0x0303, 0x0303, all, 4, false };
	expect_lookup(&c, "libi.so.1", &q, (struct want){ "/v3", "x86-64-v3" });
	q.isa_level = 3;
	expect_lookup(&c, "libi.so.1", &q, (struct want){ "/v2", "x86-64-v2" });
	q.isa_level = 2;
	expect_lookup(&c, "libi.so.1", &q, (struct want){ "/base", NULL });
	q.isa_level = 0; /* not x86: the bits mean nothing */
	expect_lookup(&c, "libi.so.1", &q, (struct want){ "/v4", "x86-64-v4" });
	ldcache_free(&c);
}

/* An independent port of glibc's _dl_cache_libcmp (int arithmetic; the
 * test names keep digit runs short). */
static int ref_libcmp(const char *p1, const char *p2)
{
	while (*p1 != '\0') {
		if (*p1 >= '0' && *p1 <= '9') {
			if (*p2 >= '0' && *p2 <= '9') {
				int v1 = *p1++ - '0', v2 = *p2++ - '0';
				while (*p1 >= '0' && *p1 <= '9')
					v1 = v1 * 10 + *p1++ - '0';
				while (*p2 >= '0' && *p2 <= '9')
					v2 = v2 * 10 + *p2++ - '0';
				if (v1 != v2)
					return v1 - v2;
			} else {
				return 1;
			}
		} else if (*p2 >= '0' && *p2 <= '9') {
			return -1;
		} else if (*p1 != *p2) {
			return *p1 - *p2;
		} else {
			++p1;
			++p2;
		}
	}
	return *p1 - *p2;
}

static int by_libcmp_desc(const void *a, const void *b)
{
	const struct syn_entry *x = a, *y = b;
	int r = ref_libcmp(y->name, x->name);
	if (r == 0)
		r = (y->flags > x->flags) - (y->flags < x->flags);
	return r != 0 ? r : strcmp(x->path, y->path);
}

static void test_synth_sorted_names(void **state)
{
	(void)state;
	/* Names whose order depends on numeric digit runs, plus duplicate
	 * keys with many flags so that the binary search lands inside runs. */
	static char names[300][32];
	struct syn_entry e[300];
	size_t n = 0;
	const char *stems[] = { "libq.so.", "libq-", "libQ.so.", "lib", "libq.so.1.", "a" };
	for (size_t s = 0; s < sizeof stems / sizeof *stems; s++)
		for (unsigned v = 0; v < 25; v++, n++) {
			snprintf(names[n], sizeof names[n], "%s%u", stems[s], (v * 7) % 23);
			e[n] = (struct syn_entry){ names[n], names[n], 0x0303, 0 };
		}
	for (unsigned k = 0; k < 40; k++, n++) {
		snprintf(names[n], sizeof names[n], "/dup/%u", k);
		e[n] = (struct syn_entry){ "libdup.so.2", names[n], (int32_t)(0x0103 + 0x100 * (k % 20)), 0 };
	}
	qsort(e, n, sizeof *e, by_libcmp_desc);
	size_t size;
	unsigned char *b = synth(e, n, NULL, 0, false, &size);
	struct ldcache c = parse_ok(b, size);
	for (size_t i = 0; i < n; i++) {
		/* The first entry of an equal key with matching flags wins. */
		size_t first = i;
		while (first > 0 && ref_libcmp(e[first - 1].name, e[i].name) == 0)
			first--;
		while (e[first].flags != e[i].flags)
			first++;
		struct ldcache_query q = { e[i].flags, e[i].flags, NULL, 0, false };
		expect_lookup(&c, e[i].name, &q, (struct want){ e[first].path, NULL });
	}
	/* libcmp equates leading zeros, so glibc finds "libq.so.1" for "libq.so.01". */
	const struct ldcache_query q = { 0x0303, 0x0303, NULL, 0, false };
	expect_lookup(&c, "libq.so.01", &q, (struct want){ "libq.so.1", NULL });
	expect_lookup(&c, "libq.so.000000000000000000000000000007", &q, (struct want){ "libq.so.7", NULL });
	expect_lookup(&c, "libq.so.99999999999999999999999999999", &q, (struct want){ NULL, NULL });
	expect_lookup(&c, "libq.so.23", &q, (struct want){ NULL, NULL });
	expect_lookup(&c, "libq.so.", &q, (struct want){ NULL, NULL });
	expect_lookup(&c, "libdup.so.2", &(struct ldcache_query){ 0x0303, 0x0303, NULL, 0, false },
		      (struct want){ "/dup/2", NULL });
	ldcache_free(&c);
	free(b);

	hostile_variants(b = synth(e, n, NULL, 0, false, &size), size, 1);
	free(b);
	hostile_variants(b = synth(e, 40, NULL, 0, true, &size), size, 1);
	free(b);
}

static void test_synth_tiny_and_bad_magic(void **state)
{
	(void)state;
	struct ldcache c;
	struct cr_err err = { "" };
	assert_int_equal(ldcache_parse(NULL, 0, &c, &err), -1);
	assert_int_equal(ldcache_parse("", 0, &c, &err), -1);
	assert_int_equal(ldcache_parse("x", 1, &c, &err), -1);
	assert_int_equal(ldcache_parse("ld.so-1.7.", 10, &c, &err), -1);
	assert_int_equal(ldcache_parse("ld.so-1.7.0", 11, &c, &err), -1);
	assert_int_equal(ldcache_parse("glibc-ld.so.cache1.1", 20, &c, &err), -1);
	assert_int_equal(ldcache_parse("glibc-ld.so.cache1.0xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", 48, &c, &err), -1);
	/* Empty but well-formed: no entries, no error. */
	size_t size;
	unsigned char *b = synth(NULL, 0, NULL, 0, false, &size);
	c = parse_ok(b, size);
	assert_int_equal(c.nentries, 0);
	const struct ldcache_query q = { 0x0303, 0x0303, NULL, 0, false };
	assert_null(ldcache_lookup(&c, "libc.so.6", &q, NULL));
	ldcache_free(&c);
	free(b);
	b = synth(NULL, 0, NULL, 0, true, &size);
	c = parse_ok(b, size);
	assert_int_equal(c.nentries, 0);
	ldcache_free(&c);
	free(b);
	ldcache_free(NULL);
}

static void test_flags_for(void **state)
{
	(void)state;
	struct {
		uint16_t machine;
		unsigned bits;
		bool be;
		uint32_t e_flags;
		bool ok;
		int32_t a, b;
	} cases[] = {
		{ 62, 64, false, 0, true, 0x0303, 0x0303 },          /* x86_64 */
		{ 62, 32, false, 0, true, 0x0803, 0x0803 },          /* x32 */
		{ 3, 32, false, 0, true, 1, 3 },                     /* i386 */
		{ 183, 64, false, 0, true, 0x0a03, 0x0a03 },         /* aarch64 */
		{ 183, 64, true, 0, true, 0x0a03, 0x0a03 },          /* aarch64_be */
		{ 21, 64, false, 2, true, 0x0503, 0x0503 },          /* ppc64le */
		{ 21, 64, true, 1, true, 0x0503, 0x0503 },           /* ppc64 */
		{ 20, 32, true, 0, true, 1, 3 },                     /* ppc */
		{ 22, 64, true, 0, true, 0x0403, 0x0403 },           /* s390x */
		{ 22, 32, true, 0, true, 1, 3 },                     /* s390 */
		{ 43, 64, true, 0, true, 0x0103, 0x0103 },           /* sparc64 */
		{ 243, 64, false, 0x5, true, 0x1003, 0x1003 },       /* riscv64 lp64d, RVC */
		{ 243, 64, false, 0x1, true, 0x0f03, 0x0f03 },       /* riscv64 lp64 */
		{ 243, 64, false, 0x2, false, 0, 0 },                /* lp64f: no glibc loader */
		{ 243, 32, false, 0x4, true, 0x1003, 0x1003 },       /* riscv32 ilp32d */
		{ 40, 32, false, 0x05000400, true, 0x0903, 3 },      /* armhf */
		{ 40, 32, false, 0x05000200, true, 0x0b03, 3 },      /* armel */
		{ 8, 64, false, 0, true, 0x0703, 0x0703 },           /* mips64 n64 */
		{ 8, 64, false, 0x400, true, 0x0e03, 0x0e03 },       /* n64 nan2008 */
		{ 8, 32, false, 0x20, true, 0x0603, 0x0603 },        /* n32 */
		{ 8, 32, false, 0x420, true, 0x0d03, 0x0d03 },       /* n32 nan2008 */
		{ 8, 32, true, 0, true, 1, 3 },                      /* o32 */
		{ 8, 32, false, 0x400, true, 0x0c03, 0x0c03 },       /* o32 nan2008 */
		{ 258, 64, false, 0x43, true, 0x1203, 0x1203 },      /* loongarch64 lp64d, objabi v1 */
		{ 258, 64, false, 0x1, true, 0x1103, 0x1103 },       /* lp64s */
		{ 0x9026, 64, false, 0, true, 1, 3 },                /* alpha */
		{ 4, 32, true, 0, true, 1, 3 },                      /* m68k */
		{ 0, 64, false, 0, false, 0, 0 },
		{ 183, 32, false, 0, false, 0, 0 },
		{ 0xbeef, 64, false, 0, false, 0, 0 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		int32_t a = -7, b = -7;
		bool ok = ldcache_flags_for(cases[i].machine, cases[i].bits, cases[i].be, cases[i].e_flags, &a, &b);
		assert_int_equal(ok, cases[i].ok);
		if (ok) {
			assert_int_equal(a, cases[i].a);
			assert_int_equal(b, cases[i].b);
		}
	}
}

int main(void)
{
	const struct CMUnitTest synthesized[] = {
		ONE(test_synth_generic_flags),
		ONE(test_synth_hwcaps_priority),
		ONE(test_synth_isa_levels),
		LONG(test_synth_sorted_names),
		ONE(test_synth_tiny_and_bad_magic),
		ONE(test_flags_for),
	};
	return cmocka_run_group_tests_name("ldcache synthesized", synthesized, NULL, NULL) ? 1 : 0;
}
