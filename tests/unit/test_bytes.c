/* bytes.c: every read of file data goes through these, so their edges are
 * pinned exactly: the last readable byte, one past it, offsets and lengths
 * near UINT64_MAX (where a naive off + len wraps), both byte orders. */
#include "test_common.h"

#include <stdlib.h>
#include <string.h>

#include "elf/bytes.h"

static const unsigned char seq[8] = { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x88 };

static struct byte_view view_of(const void *p, uint64_t size, bool be)
{
	struct byte_view v = { p, size, be };
	return v;
}

static void test_has_edges(void **state)
{
	(void)state;
	struct byte_view v = view_of(seq, 8, false);
	assert_true(bv_has(&v, 0, 8));
	assert_true(bv_has(&v, 7, 1));
	assert_true(bv_has(&v, 8, 0));
	assert_false(bv_has(&v, 1, 8));
	assert_false(bv_has(&v, 8, 1));
	assert_false(bv_has(&v, 9, 0));
	assert_false(bv_has(&v, 0, 9));
	/* off + len would wrap to a small number in every one of these. */
	assert_false(bv_has(&v, UINT64_MAX, 1));
	assert_false(bv_has(&v, UINT64_MAX, 0));
	assert_false(bv_has(&v, 1, UINT64_MAX));
	assert_false(bv_has(&v, UINT64_MAX, UINT64_MAX));
	assert_false(bv_has(&v, UINT64_MAX - 6, 8));
	assert_false(bv_has(&v, 2, UINT64_MAX - 1));

	struct byte_view empty = view_of(seq, 0, false);
	assert_true(bv_has(&empty, 0, 0));
	assert_false(bv_has(&empty, 0, 1));
	assert_false(bv_has(&empty, 1, 0));
}

static void test_integers_little_endian(void **state)
{
	(void)state;
	struct byte_view v = view_of(seq, 8, false);
	uint8_t b;
	uint16_t h;
	uint32_t w;
	uint64_t q;
	assert_true(bv_u8(&v, 7, &b));
	assert_int_equal(b, 0x88);
	assert_true(bv_u16(&v, 0, &h));
	assert_int_equal(h, 0x0201);
	assert_true(bv_u16(&v, 6, &h));
	assert_int_equal(h, 0x8807);
	assert_true(bv_u32(&v, 4, &w));
	assert_int_equal(w, 0x88070605u);
	assert_true(bv_u64(&v, 0, &q));
	assert_true(q == 0x8807060504030201ull);
	assert_true(bv_word(&v, 4, 4, &q));
	assert_true(q == 0x88070605ull);
	assert_true(bv_word(&v, 0, 8, &q));
	assert_true(q == 0x8807060504030201ull);
}

static void test_integers_big_endian(void **state)
{
	(void)state;
	struct byte_view v = view_of(seq, 8, true);
	uint8_t b;
	uint16_t h;
	uint32_t w;
	uint64_t q;
	assert_true(bv_u8(&v, 0, &b));
	assert_int_equal(b, 0x01);
	assert_true(bv_u16(&v, 0, &h));
	assert_int_equal(h, 0x0102);
	assert_true(bv_u16(&v, 6, &h));
	assert_int_equal(h, 0x0788);
	assert_true(bv_u32(&v, 4, &w));
	assert_int_equal(w, 0x05060788u);
	assert_true(bv_u64(&v, 0, &q));
	assert_true(q == 0x0102030405060788ull);
	assert_true(bv_word(&v, 4, 4, &q));
	assert_true(q == 0x05060788ull);
	assert_true(bv_word(&v, 0, 8, &q));
	assert_true(q == 0x0102030405060788ull);
}

/* A failed read must not touch *out: callers rely on their defaults. */
static void test_integers_out_of_range(void **state)
{
	(void)state;
	/* Exactly 8 bytes on the heap, so ASan catches any read past them. */
	unsigned char *p = malloc(8);
	memcpy(p, seq, 8);
	struct byte_view v = view_of(p, 8, false);
	uint8_t b = 0xaa;
	uint16_t h = 0xaaaa;
	uint32_t w = 0xaaaaaaaa;
	uint64_t q = 0xaaaaaaaaaaaaaaaaull;
	assert_false(bv_u8(&v, 8, &b));
	assert_false(bv_u16(&v, 7, &h));
	assert_false(bv_u32(&v, 5, &w));
	assert_false(bv_u64(&v, 1, &q));
	assert_false(bv_word(&v, 5, 4, &q));
	assert_false(bv_word(&v, 1, 8, &q));
	const uint64_t near_max[] = { UINT64_MAX, UINT64_MAX - 1, UINT64_MAX - 3, UINT64_MAX - 7,
				      (uint64_t)1 << 63, UINT64_MAX - 8 + 1 };
	for (size_t i = 0; i < sizeof near_max / sizeof near_max[0]; i++) {
		uint64_t off = near_max[i];
		assert_false(bv_u8(&v, off, &b));
		assert_false(bv_u16(&v, off, &h));
		assert_false(bv_u32(&v, off, &w));
		assert_false(bv_u64(&v, off, &q));
		assert_false(bv_word(&v, off, 8, &q));
		assert_null(bv_ptr(&v, off, 1));
		assert_null(bv_ptr(&v, 0, off));
	}
	assert_int_equal(b, 0xaa);
	assert_int_equal(h, 0xaaaa);
	assert_int_equal(w, 0xaaaaaaaau);
	assert_true(q == 0xaaaaaaaaaaaaaaaaull);
	free(p);
}

static void test_word_widths(void **state)
{
	(void)state;
	struct byte_view v = view_of(seq, 8, false);
	uint64_t q = 42;
	const unsigned bad[] = { 0, 1, 2, 3, 5, 7, 16 };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_false(bv_word(&v, 0, bad[i], &q));
	assert_true(q == 42);
}

static void test_ptr(void **state)
{
	(void)state;
	struct byte_view v = view_of(seq, 8, false);
	assert_ptr_equal(bv_ptr(&v, 0, 8), seq);
	assert_ptr_equal(bv_ptr(&v, 3, 5), seq + 3);
	/* An empty range at the end is inside (a zero-length table). */
	assert_ptr_equal(bv_ptr(&v, 8, 0), seq + 8);
	assert_null(bv_ptr(&v, 3, 6));
	assert_null(bv_ptr(&v, 9, 0));

	struct byte_view none = { NULL, 0, false };
	assert_null(bv_ptr(&none, 0, 0));
	uint8_t b;
	assert_false(bv_u8(&none, 0, &b));
	assert_null(bv_cstr(&none, 0, 0));
}

static void test_cstr(void **state)
{
	(void)state;
	/* No terminator anywhere in the view; the heap block is exact. */
	unsigned char *raw = malloc(3);
	memcpy(raw, "abc", 3);
	struct byte_view v = view_of(raw, 3, false);
	assert_null(bv_cstr(&v, 0, 3));
	assert_null(bv_cstr(&v, 2, 3));
	assert_null(bv_cstr(&v, 0, UINT64_MAX)); /* limit is clamped to the view */
	free(raw);

	static const char text[] = "ab\0cd\0ef"; /* 9 bytes with the final NUL */
	struct byte_view t = view_of(text, 9, false);
	assert_string_equal(bv_cstr(&t, 0, 9), "ab");
	assert_string_equal(bv_cstr(&t, 1, 9), "b");
	assert_string_equal(bv_cstr(&t, 2, 9), ""); /* the NUL itself */
	assert_string_equal(bv_cstr(&t, 3, 9), "cd");
	/* The terminator must lie before the limit, not at it. */
	assert_string_equal(bv_cstr(&t, 3, 6), "cd");
	assert_null(bv_cstr(&t, 3, 5));
	assert_null(bv_cstr(&t, 6, 8)); /* "ef" without its NUL */
	assert_string_equal(bv_cstr(&t, 6, 9), "ef");
	assert_null(bv_cstr(&t, 9, 9));
	assert_null(bv_cstr(&t, 5, 5));
	assert_null(bv_cstr(&t, 7, 3)); /* off past limit */
	assert_null(bv_cstr(&t, UINT64_MAX, UINT64_MAX));
	assert_null(bv_cstr(&t, UINT64_MAX - 1, 9));
	/* A view that ends before a NUL that follows it in memory. */
	struct byte_view cut = view_of(text, 5, false);
	assert_null(bv_cstr(&cut, 3, 9));
}

static void test_sub(void **state)
{
	(void)state;
	struct byte_view v = view_of(seq, 8, true);
	struct byte_view s = bv_sub(&v, 2, 4);
	assert_ptr_equal(s.data, seq + 2);
	assert_true(s.size == 4);
	assert_true(s.big_endian);
	uint32_t w;
	assert_true(bv_u32(&s, 0, &w));
	assert_int_equal(w, 0x03040506u);
	assert_false(bv_u8(&s, 4, (uint8_t *)&w));

	struct byte_view s2 = bv_sub(&s, 1, 3);
	assert_ptr_equal(s2.data, seq + 3);
	assert_true(s2.size == 3);
	struct byte_view bad = bv_sub(&s, 1, 4);
	assert_null(bad.data);
	assert_true(bad.size == 0);
	assert_true(bad.big_endian);

	struct byte_view wrap = bv_sub(&v, UINT64_MAX, 2);
	assert_null(wrap.data);
	assert_true(wrap.size == 0);
	wrap = bv_sub(&v, 4, UINT64_MAX - 2);
	assert_null(wrap.data);

	struct byte_view end = bv_sub(&v, 8, 0);
	assert_ptr_equal(end.data, seq + 8);
	assert_true(end.size == 0);
	assert_null(bv_cstr(&end, 0, 0));
}

static void test_checked_arithmetic(void **state)
{
	(void)state;
	uint64_t r = 0;
	assert_true(u64_add_ok(UINT64_MAX - 1, 1, &r));
	assert_true(r == UINT64_MAX);
	assert_false(u64_add_ok(UINT64_MAX, 1, &r));
	assert_false(u64_add_ok(1ull << 63, 1ull << 63, &r));
	assert_true(u64_mul_ok(1ull << 32, (1ull << 32) - 1, &r));
	assert_true(r == 0xffffffff00000000ull);
	assert_false(u64_mul_ok(1ull << 32, 1ull << 32, &r));
	assert_false(u64_mul_ok(UINT64_MAX, 2, &r));
	assert_true(u64_mul_ok(UINT64_MAX, 0, &r));
	assert_true(r == 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		ONE(test_has_edges),
		ONE(test_integers_little_endian),
		ONE(test_integers_big_endian),
		ONE(test_integers_out_of_range),
		ONE(test_word_widths),
		ONE(test_ptr),
		ONE(test_cstr),
		ONE(test_sub),
		ONE(test_checked_arithmetic),
	};
	return cmocka_run_group_tests_name("bytes", tests, NULL, NULL);
}
