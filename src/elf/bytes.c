#include "elf/bytes.h"

#include <string.h>

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
