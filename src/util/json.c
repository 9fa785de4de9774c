#include "util/json.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
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

/* A growable output buffer for json_write_indented. */
struct out {
	char *buf;
	size_t len, cap;
};

static void put(struct out *o, const char *s, size_t n)
{
	if (o->len + n + 1 > o->cap) {
		size_t cap = o->cap ? o->cap : 4096;
		while (o->len + n + 1 > cap)
			cap *= 2;
		o->buf = xrealloc(o->buf, cap);
		o->cap = cap;
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
	o->buf[o->len] = '\0';
}

static void put_indent(struct out *o, size_t spaces)
{
	static const char blanks[] = "                                ";
	put(o, "\n", 1);
	for (; spaces > sizeof blanks - 1; spaces -= sizeof blanks - 1)
		put(o, blanks, sizeof blanks - 1);
	put(o, blanks, spaces);
}

/* jansson's escaping without JSON_ENSURE_ASCII or JSON_ESCAPE_SLASH: the
 * quote, the backslash and control characters; the rest as it is (strings
 * in a json_t are valid UTF-8). */
static void put_string(struct out *o, const char *s, size_t n)
{
	put(o, "\"", 1);
	size_t run = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		put(o, s + run, i - run);
		run = i + 1;
		char esc[8];
		switch (c) {
		case '"': put(o, "\\\"", 2); break;
		case '\\': put(o, "\\\\", 2); break;
		case '\b': put(o, "\\b", 2); break;
		case '\f': put(o, "\\f", 2); break;
		case '\n': put(o, "\\n", 2); break;
		case '\r': put(o, "\\r", 2); break;
		case '\t': put(o, "\\t", 2); break;
		default:
			snprintf(esc, sizeof esc, "\\u%04X", c);
			put(o, esc, 6);
		}
	}
	put(o, s + run, n - run);
	put(o, "\"", 1);
}

static int put_value(struct out *o, const json_t *v, size_t depth)
{
	char num[64];
	switch (json_typeof(v)) {
	case JSON_OBJECT: {
		if (json_object_size(v) == 0) {
			put(o, "{}", 2);
			return 0;
		}
		put(o, "{", 1);
		bool first = true;
		/* Insertion order, as json_dumps writes without JSON_SORT_KEYS. */
		for (void *it = json_object_iter((json_t *)v); it; it = json_object_iter_next((json_t *)v, it)) {
			if (!first)
				put(o, ",", 1);
			first = false;
			put_indent(o, 2 * (depth + 1));
			const char *key = json_object_iter_key(it);
			put_string(o, key, strlen(key));
			put(o, ": ", 2);
			if (put_value(o, json_object_iter_value(it), depth + 1) < 0)
				return -1;
		}
		put_indent(o, 2 * depth);
		put(o, "}", 1);
		return 0;
	}
	case JSON_ARRAY: {
		size_t n = json_array_size(v);
		if (n == 0) {
			put(o, "[]", 2);
			return 0;
		}
		put(o, "[", 1);
		for (size_t i = 0; i < n; i++) {
			if (i)
				put(o, ",", 1);
			put_indent(o, 2 * (depth + 1));
			if (put_value(o, json_array_get(v, i), depth + 1) < 0)
				return -1;
		}
		put_indent(o, 2 * depth);
		put(o, "]", 1);
		return 0;
	}
	case JSON_STRING: put_string(o, json_string_value(v), json_string_length(v)); return 0;
	case JSON_INTEGER:
		put(o, num, (size_t)snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(v)));
		return 0;
	case JSON_TRUE: put(o, "true", 4); return 0;
	case JSON_FALSE: put(o, "false", 5); return 0;
	case JSON_NULL: put(o, "null", 4); return 0;
	default: {
		/* Reals: jansson's own formatting, which has its rules. */
		char *text = json_dumps(v, JSON_ENCODE_ANY);
		if (!text)
			return -1;
		put(o, text, strlen(text));
		free(text);
		return 0;
	}
	}
}

char *json_write_indented(const json_t *v, size_t depth)
{
	struct out o = { 0 };
	if (put_value(&o, v, depth) < 0) {
		free(o.buf);
		return NULL;
	}
	return o.buf ? o.buf : xstrdup("");
}
