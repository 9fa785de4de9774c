/* Bounds-checked reads from an untrusted byte range.
 *
 * Every read of file data in canrun goes through these functions: they check
 * the range in an overflow-safe form (len <= size && off <= size - len) and
 * decode integers in the file's byte order, so no caller ever forms a pointer
 * past the end of the data. */
#ifndef CANRUN_BYTES_H
#define CANRUN_BYTES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define BV_HOST_BIG_ENDIAN (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__)

struct byte_view {
	const unsigned char *data;
	uint64_t size;
	bool big_endian;
};

static inline bool bv_has(const struct byte_view *v, uint64_t off, uint64_t len)
{
	return len <= v->size && off <= v->size - len;
}

/* A pointer to `len` bytes at `off`, or NULL when the range is not inside. */
static inline const unsigned char *bv_ptr(const struct byte_view *v, uint64_t off, uint64_t len)
{
	if (!v->data || !bv_has(v, off, len))
		return NULL;
	return v->data + off;
}

/* The fixed-size reads are inline: every table walk calls them per field,
 * and a call per field was a tenth of a whole-/usr inspect. memcpy keeps the
 * reads free of alignment assumptions; the swap follows the view's order. */
static inline bool bv_u8(const struct byte_view *v, uint64_t off, uint8_t *out)
{
	const unsigned char *p = bv_ptr(v, off, 1);
	if (!p)
		return false;
	*out = p[0];
	return true;
}

static inline bool bv_u16(const struct byte_view *v, uint64_t off, uint16_t *out)
{
	const unsigned char *p = bv_ptr(v, off, 2);
	if (!p)
		return false;
	uint16_t x;
	memcpy(&x, p, sizeof x);
	*out = v->big_endian == BV_HOST_BIG_ENDIAN ? x : __builtin_bswap16(x);
	return true;
}

static inline bool bv_u32(const struct byte_view *v, uint64_t off, uint32_t *out)
{
	const unsigned char *p = bv_ptr(v, off, 4);
	if (!p)
		return false;
	uint32_t x;
	memcpy(&x, p, sizeof x);
	*out = v->big_endian == BV_HOST_BIG_ENDIAN ? x : __builtin_bswap32(x);
	return true;
}

static inline bool bv_u64(const struct byte_view *v, uint64_t off, uint64_t *out)
{
	const unsigned char *p = bv_ptr(v, off, 8);
	if (!p)
		return false;
	uint64_t x;
	memcpy(&x, p, sizeof x);
	*out = v->big_endian == BV_HOST_BIG_ENDIAN ? x : __builtin_bswap64(x);
	return true;
}

/* A word of 4 or 8 bytes (ELF32 / ELF64 addresses and offsets), widened. */
static inline bool bv_word(const struct byte_view *v, uint64_t off, unsigned width, uint64_t *out)
{
	if (width == 8)
		return bv_u64(v, off, out);
	uint32_t x;
	if (width != 4 || !bv_u32(v, off, &x))
		return false;
	*out = x;
	return true;
}

/* A NUL-terminated string starting at `off` whose terminator lies before
 * `limit` (an offset into the view, clamped to its size); NULL otherwise. */
const char *bv_cstr(const struct byte_view *v, uint64_t off, uint64_t limit);

/* A sub-range of the view, or an empty view when it is not inside. */
struct byte_view bv_sub(const struct byte_view *v, uint64_t off, uint64_t len);

/* Overflow-checked arithmetic for sizes that come from the file. */
static inline bool u64_mul_ok(uint64_t a, uint64_t b, uint64_t *out)
{
	return !__builtin_mul_overflow(a, b, out);
}

static inline bool u64_add_ok(uint64_t a, uint64_t b, uint64_t *out)
{
	return !__builtin_add_overflow(a, b, out);
}

#endif
