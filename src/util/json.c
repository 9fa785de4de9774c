#include "util/json.h"

#include <stdint.h>
#include <string.h>

#include "util/xalloc.h"

/* Length of the valid UTF-8 sequence at p (1-4), or 0 if it is invalid. */
static size_t utf8_sequence(const unsigned char *p, size_t left)
{
	unsigned char c = p[0];
	size_t len;
	uint32_t cp;
	if (c < 0x80)
		return c ? 1 : 0; /* NUL would end the C string jansson sees */
	if (c >= 0xc2 && c <= 0xdf)
		len = 2, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4, cp = c & 0x07;
	else
		return 0;
	if (len > left)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

json_t *json_textn(const char *s, size_t len)
{
	if (!s)
		return json_null();
	const unsigned char *p = (const unsigned char *)s;
	char *clean = xmalloc(len * 3 + 1);
	size_t o = 0;
	for (size_t i = 0; i < len;) {
		size_t n = utf8_sequence(p + i, len - i);
		if (n) {
			memcpy(clean + o, p + i, n);
			o += n;
			i += n;
		} else {
			memcpy(clean + o, "\xef\xbf\xbd", 3);
			o += 3;
			i++;
		}
	}
	json_t *j = json_stringn(clean, o);
	free(clean);
	return j;
}

json_t *json_text(const char *s)
{
	return s ? json_textn(s, strlen(s)) : json_null();
}

json_t *json_text_array(const char *const *items, size_t count)
{
	json_t *a = json_array();
	for (size_t i = 0; i < count; i++)
		json_array_append_new(a, json_text(items[i]));
	return a;
}

int json_print(json_t *doc, FILE *out)
{
	if (json_dumpf(doc, out, JSON_INDENT(2)) < 0)
		return -1;
	if (fputc('\n', out) == EOF)
		return -1;
	return 0;
}
