#include "util/base64.h"

#include <stdint.h>
#include <stdlib.h>

#include "util/xalloc.h"

static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

char *base64_encode(const unsigned char *data, size_t size)
{
	char *out = xmalloc((size + 2) / 3 * 4 + 1), *o = out;
	for (size_t i = 0; i < size; i += 3) {
		uint32_t v = (uint32_t)data[i] << 16;
		if (i + 1 < size)
			v |= (uint32_t)data[i + 1] << 8;
		if (i + 2 < size)
			v |= data[i + 2];
		*o++ = alphabet[v >> 18 & 63];
		*o++ = alphabet[v >> 12 & 63];
		*o++ = i + 1 < size ? alphabet[v >> 6 & 63] : '=';
		*o++ = i + 2 < size ? alphabet[v & 63] : '=';
	}
	*o = '\0';
	return out;
}

static int sextet(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	return c == '+' ? 62 : c == '/' ? 63 : -1;
}

unsigned char *base64_decode(const char *text, size_t len, size_t max, size_t *size)
{
	if (len % 4 || len / 4 * 3 > max + 2)
		return NULL;
	size_t pad = len && text[len - 1] == '=' ? (text[len - 2] == '=' ? 2 : 1) : 0;
	size_t n = len / 4 * 3 - pad;
	if (n > max)
		return NULL;
	unsigned char *out = xmalloc(n ? n : 1);
	size_t k = 0;
	for (size_t i = 0; i < len; i += 4) {
		uint32_t v = 0;
		for (size_t j = 0; j < 4; j++) {
			bool padding = i + 4 == len && j >= 4 - pad;
			int s = padding ? 0 : sextet(text[i + j]);
			if (s < 0) {
				free(out);
				return NULL;
			}
			v = v << 6 | (uint32_t)s;
		}
		unsigned char b[3] = { (unsigned char)(v >> 16), (unsigned char)(v >> 8), (unsigned char)v };
		for (size_t j = 0; j < 3 && k < n; j++)
			out[k++] = b[j];
	}
	*size = n;
	return out;
}
