#include "elf/bytes.h"

#include <string.h>

const unsigned char *bv_ptr(const struct byte_view *v, uint64_t off, uint64_t len)
{
	if (!v->data || !bv_has(v, off, len))
		return NULL;
	return v->data + off;
}

bool bv_u8(const struct byte_view *v, uint64_t off, uint8_t *out)
{
	const unsigned char *p = bv_ptr(v, off, 1);
	if (!p)
		return false;
	*out = p[0];
	return true;
}

/* Assemble `n` bytes in the view's byte order; callers have checked the range. */
static uint64_t decode(const unsigned char *p, unsigned n, bool big_endian)
{
	uint64_t value = 0;
	for (unsigned i = 0; i < n; i++) {
		unsigned shift = big_endian ? 8 * (n - 1 - i) : 8 * i;
		value |= (uint64_t)p[i] << shift;
	}
	return value;
}

bool bv_u16(const struct byte_view *v, uint64_t off, uint16_t *out)
{
	const unsigned char *p = bv_ptr(v, off, 2);
	if (!p)
		return false;
	*out = (uint16_t)decode(p, 2, v->big_endian);
	return true;
}

bool bv_u32(const struct byte_view *v, uint64_t off, uint32_t *out)
{
	const unsigned char *p = bv_ptr(v, off, 4);
	if (!p)
		return false;
	*out = (uint32_t)decode(p, 4, v->big_endian);
	return true;
}

bool bv_u64(const struct byte_view *v, uint64_t off, uint64_t *out)
{
	const unsigned char *p = bv_ptr(v, off, 8);
	if (!p)
		return false;
	*out = decode(p, 8, v->big_endian);
	return true;
}

bool bv_word(const struct byte_view *v, uint64_t off, unsigned width, uint64_t *out)
{
	if (width != 4 && width != 8)
		return false;
	const unsigned char *p = bv_ptr(v, off, width);
	if (!p)
		return false;
	*out = decode(p, width, v->big_endian);
	return true;
}

const char *bv_cstr(const struct byte_view *v, uint64_t off, uint64_t limit)
{
	if (!v->data)
		return NULL;
	if (limit > v->size)
		limit = v->size;
	if (off >= limit)
		return NULL;
	const unsigned char *start = v->data + off;
	if (!memchr(start, '\0', (size_t)(limit - off)))
		return NULL;
	return (const char *)start;
}

struct byte_view bv_sub(const struct byte_view *v, uint64_t off, uint64_t len)
{
	struct byte_view sub = { NULL, 0, v->big_endian };
	const unsigned char *p = bv_ptr(v, off, len);
	if (p) {
		sub.data = p;
		sub.size = len;
	}
	return sub;
}
