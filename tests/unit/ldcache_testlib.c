/* Helpers shared by the ld.so.cache tests (test_ldcache.c against real
 * caches, test_ldcache_synth.c on synthesized ones). */
#include "ldcache_testlib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int watchdog_long(void **state)
{
	(void)state;
	alarm(240); /* ldconfig, cc and ASan make these slower than the reader tests */
	return 0;
}

struct ldcache parse_ok(const void *data, size_t size)
{
	struct ldcache c;
	struct cr_err err = { "" };
	int rc = ldcache_parse(data, size, &c, &err);
	if (rc != 0)
		print_error("parse failed: %s\n", err.msg);
	assert_int_equal(rc, 0);
	return c;
}

uint32_t get32(const unsigned char *b, size_t off, bool be)
{
	return be ? (uint32_t)b[off] << 24 | (uint32_t)b[off + 1] << 16 | (uint32_t)b[off + 2] << 8 | b[off + 3]
		  : (uint32_t)b[off + 3] << 24 | (uint32_t)b[off + 2] << 16 | (uint32_t)b[off + 1] << 8 | b[off];
}

void put32(unsigned char *b, size_t off, uint32_t v, bool be)
{
	for (int i = 0; i < 4; i++)
		b[off + (size_t)i] = (unsigned char)(v >> (be ? 24 - 8 * i : 8 * i));
}

/* ---- hostile input ---- */

/* Touches everything a successful parse hands out, so ASan sees any
 * pointer outside the copy, and runs lookups over it. */
static void exercise(const struct ldcache *c)
{
	static const char *const hw[] = { "x86-64-v4", "x86-64-v3", "x86-64-v2", NULL };
	size_t total = 0;
	for (size_t i = 0; i < c->nentries; i++) {
		const struct ldcache_entry *e = &c->entries[i];
		total += strlen(e->name) + strlen(e->path);
		if (e->hwcaps_subdir)
			total += strlen(e->hwcaps_subdir);
		if (i % 7 == 0) {
			struct ldcache_query q = { e->flags, 3, hw, 3, i % 2 == 0 };
			const char *sub;
			const char *p = ldcache_lookup(c, e->name, &q, &sub);
			if (p)
				total += strlen(p);
		}
	}
	if (c->generator)
		total += strlen(c->generator);
	(void)total;
}

/* Parses a mutated copy: -1 with a one-line reason, or a usable cache. */
static int try_parse(const unsigned char *data, size_t size)
{
	unsigned char *copy = malloc(size ? size : 1);
	memcpy(copy, data, size);
	struct ldcache c;
	struct cr_err err = { "" };
	int rc = ldcache_parse(copy, size, &c, &err);
	free(copy); /* the parse must not keep pointers into the input */
	if (rc == 0) {
		exercise(&c);
		ldcache_free(&c);
	} else {
		assert_int_equal(rc, -1);
		assert_true(err.msg[0] != '\0');
		assert_null(strchr(err.msg, '\n'));
		assert_null(c.entries);
		assert_null(c.strings_);
	}
	return rc;
}

/* -1 or 0 as try_parse; 1 when off is not inside the file (nothing to patch). */
static int try_patched32(const unsigned char *data, size_t size, size_t off, uint32_t value, bool be)
{
	if (off > size || size - off < 4)
		return 1;
	unsigned char *copy = malloc(size);
	memcpy(copy, data, size);
	put32(copy, off, value, be);
	int rc = try_parse(copy, size);
	free(copy);
	return rc;
}

struct landmarks find_landmarks(const unsigned char *b, size_t size)
{
	struct landmarks lm = { SIZE_MAX, 16, 0, 0 };
	if (memcmp(b, "glibc-ld.so.cache1.1", 20) == 0) {
		lm.h = 0;
	} else {
		size_t h = (16 + 12 * (size_t)get32(b, 12, false) + 7) & ~(size_t)7;
		if (h + 48 <= size && memcmp(b + h, "glibc-ld.so.cache1.1", 20) == 0)
			lm.h = h;
	}
	if (lm.h == SIZE_MAX)
		return lm;
	lm.entries = lm.h + 48;
	lm.ext = get32(b, lm.h + 32, false);
	if (lm.ext) {
		uint32_t count = get32(b, lm.ext + 4, false);
		for (uint32_t i = 0; i < count; i++)
			if (get32(b, lm.ext + 8 + 16 * (size_t)i, false) == 1)
				lm.hwcaps = get32(b, lm.ext + 8 + 16 * (size_t)i + 8, false);
	}
	return lm;
}

void hostile_variants(const unsigned char *data, size_t size, size_t trunc_stride)
{
	const bool le = false;
	struct landmarks lm = find_landmarks(data, size);
	bool has_new = lm.h != SIZE_MAX;

	/* Truncation. Every truncation of a cache with a new part loses
	 * part of the string table or the extension, so it is an error. */
	for (size_t n = 0; n < size; n += (n < 512 || size - n < 512) ? 1 : trunc_stride) {
		int rc = try_parse(data, n);
		if (has_new)
			assert_int_equal(rc, -1);
	}

	/* Absurd counts. */
	size_t nlibs_at = has_new ? lm.h + 20 : 12;
	const uint32_t counts[] = { 0xffffffffu, 0x80000000u, 0x0aaaaaabu, (uint32_t)(size / 24 + 1),
				    (uint32_t)(size / 12 + 1) };
	for (size_t i = 0; i < sizeof counts / sizeof *counts; i++) {
		assert_int_equal(try_patched32(data, size, nlibs_at, counts[i], le), -1);
		if (has_new)
			try_patched32(data, size, 12, counts[i], le); /* the old count of a compat file */
	}
	if (has_new) {
		assert_int_equal(try_patched32(data, size, lm.h + 24, 0xffffffffu, le), -1); /* len_strings */
		assert_int_equal(try_patched32(data, size, lm.h + 24, (uint32_t)size, le), -1);
	}

	/* String offsets past the end, and at the last byte: the unterminated
	 * generator in a new-only file, past the end from a later base in the
	 * others. */
	const uint32_t offs[] = { 0xffffffffu, 0x80000000u, (uint32_t)size, (uint32_t)size - 1 };
	for (size_t i = 0; i < sizeof offs / sizeof *offs; i++)
		for (size_t field = 4; field <= 8; field += 4)
			assert_int_equal(try_patched32(data, size, lm.entries + field, offs[i], le), -1);
	/* Overlapping: strings taken from the header and the entry table. */
	for (uint32_t off = 0; off < 96; off += 4) {
		try_patched32(data, size, lm.entries + 4, off, le);
		try_patched32(data, size, lm.entries + 8, off, le);
	}
	if (!has_new)
		return;

	/* Header flags: the low two bits are the byte order and the rest is
	 * ignored; 1 is "invalid", and other bits without an order match no
	 * loader; 3 reads this little-endian file as big-endian. */
	static const struct {
		unsigned char flags;
		int rc;
	} flag_cases[] = { { 1, -1 }, { 4, -1 }, { 5, -1 }, { 0x80, -1 }, { 0x81, -1 },
			   { 3, -1 }, { 6, 0 },  { 0x82, 0 }, { 0xfe, 0 } };
	for (size_t i = 0; i < sizeof flag_cases / sizeof *flag_cases; i++) {
		unsigned char *copy = malloc(size);
		memcpy(copy, data, size);
		copy[lm.h + 28] = flag_cases[i].flags;
		assert_int_equal(try_parse(copy, size), flag_cases[i].rc);
		free(copy);
	}

	/* Extension offset past the end, misaligned, into other tables. */
	const uint32_t ext_offs[] = { 0xfffffffcu, (uint32_t)size, (uint32_t)(size & ~3u) - 4, 2, 48, 0 };
	for (size_t i = 0; i < sizeof ext_offs / sizeof *ext_offs; i++) {
		int rc = try_patched32(data, size, lm.h + 32, ext_offs[i], le);
		if (ext_offs[i] != 0 && lm.ext != 0)
			assert_int_equal(rc, -1);
	}
	if (lm.ext == 0)
		return;
	/* Extension count huge, sections past the end or overflowing. */
	assert_int_equal(try_patched32(data, size, lm.ext + 4, 0xffffffffu, le), -1);
	assert_int_equal(try_patched32(data, size, lm.ext + 4, 0x10000000u, le), -1);
	try_patched32(data, size, lm.ext + 4, 0, le);
	assert_int_equal(try_patched32(data, size, lm.ext + 8 + 8, 0xfffffff0u, le), -1);
	assert_int_equal(try_patched32(data, size, lm.ext + 8 + 12, 0xfffffff0u, le), -1);
	/* A hwcaps section laid over the extension directory itself. */
	try_patched32(data, size, lm.ext + 24 + 8, (uint32_t)lm.ext, le);
	if (lm.hwcaps) {
		assert_int_equal(try_patched32(data, size, lm.hwcaps, 0xffffffffu, le), -1);
		assert_int_equal(try_patched32(data, size, lm.hwcaps, (uint32_t)size, le), -1);
	}
	/* An entry whose hwcaps index is out of range. */
	for (size_t i = 0; i < 64 && i < get32(data, lm.h + 20, le); i++) {
		size_t e = lm.entries + 24 * i;
		if (get32(data, e + 20, le) >> 30 == 1)
			assert_int_equal(try_patched32(data, size, e + 16, 999, le), -1);
	}
}

/* Deterministic byte flips over the whole file. */
void random_flips(const unsigned char *data, size_t size, unsigned rounds, uint64_t seed)
{
	unsigned char *copy = malloc(size);
	uint64_t x = seed;
	for (unsigned r = 0; r < rounds; r++) {
		memcpy(copy, data, size);
		unsigned flips = 1 + r % 4;
		for (unsigned k = 0; k < flips; k++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			/* Mostly the header, entries and extension, where the numbers live. */
			size_t span = r % 3 == 0 ? size : (size < 1024 ? size : 1024);
			size_t at = (size_t)(x % span);
			if (r % 3 == 1 && size > 1024)
				at = size - 1 - at; /* the tail: strings and extension */
			copy[at] = (unsigned char)(x >> 32);
		}
		try_parse(copy, size);
	}
	free(copy);
}

void expect_lookup(const struct ldcache *c, const char *name, const struct ldcache_query *q, struct want w)
{
	const char *sub = "unset";
	const char *p = ldcache_lookup(c, name, q, &sub);
	if (!w.path) {
		assert_null(p);
		return;
	}
	assert_non_null(p);
	assert_string_equal(p, w.path);
	if (w.subdir) {
		assert_non_null(sub);
		assert_string_equal(sub, w.subdir);
	} else {
		assert_null(sub);
	}
}
