/* Grammar (runtime/debug/mod.go): TAB-separated lines "path", "mod",
 * "dep", "=>" (replaces the module on the line before) and "build KEY=VALUE"
 * where a key or value may be a Go-quoted string. Unknown lines are
 * ignored. */
#include "go/modinfo.h"

#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"
#include "util/xalloc.h"

static void module_free(struct go_module *m)
{
	free(m->path);
	free(m->version);
	free(m->sum);
	if (m->replace) {
		module_free(m->replace);
		free(m->replace);
	}
	memset(m, 0, sizeof *m);
}

/* Splits "a\tb\tc" into at most 4 fields; returns the count. */
static size_t split_tabs(const char *line, size_t len, char *fields[4])
{
	size_t n = 0;
	const char *p = line, *end = line + len;
	while (n < 4) {
		const char *tab = memchr(p, '\t', (size_t)(end - p));
		size_t flen = tab ? (size_t)(tab - p) : (size_t)(end - p);
		fields[n++] = xstrndup(p, flen);
		if (!tab)
			break;
		p = tab + 1;
	}
	if (n == 4) /* more columns than any line may have */
		n = 5;
	return n;
}

static void free_fields(char *fields[4], size_t n)
{
	for (size_t i = 0; i < n && i < 4; i++)
		free(fields[i]);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* strconv.Unquote for the forms Go's quoting produces: "..." with \-escapes
 * and `...`. Returns the length consumed, or 0 when s is not a whole quoted
 * string prefix. *out receives the unquoted text. */
static size_t unquote_prefix(const char *s, char **out)
{
	struct strbuf sb = { 0 };
	sb_appendf(&sb, "%s", "");
	if (s[0] == '`') {
		const char *end = strchr(s + 1, '`');
		if (!end)
			goto bad;
		sb_appendf(&sb, "%.*s", (int)(end - s - 1), s + 1);
		*out = sb_take(&sb);
		return (size_t)(end - s + 1);
	}
	if (s[0] != '"')
		goto bad;
	for (const char *p = s + 1; *p; p++) {
		if (*p == '"') {
			*out = sb_take(&sb);
			return (size_t)(p - s + 1);
		}
		if (*p != '\\') {
			sb_appendf(&sb, "%c", *p);
			continue;
		}
		p++;
		switch (*p) {
		case 'a': sb_appendf(&sb, "\a"); break;
		case 'b': sb_appendf(&sb, "\b"); break;
		case 'f': sb_appendf(&sb, "\f"); break;
		case 'n': sb_appendf(&sb, "\n"); break;
		case 'r': sb_appendf(&sb, "\r"); break;
		case 't': sb_appendf(&sb, "\t"); break;
		case 'v': sb_appendf(&sb, "\v"); break;
		case '\\': sb_appendf(&sb, "\\"); break;
		case '"': sb_appendf(&sb, "\""); break;
		case '\'': sb_appendf(&sb, "'"); break;
		case 'x': {
			int hi = hexval(p[1]), lo = hi < 0 ? -1 : hexval(p[2]);
			if (lo < 0)
				goto bad;
			sb_appendf(&sb, "%c", (char)(hi * 16 + lo));
			p += 2;
			break;
		}
		default:
			goto bad; /* \u and octal escapes: rare; treated as malformed */
		}
	}
bad:
	free(sb_take(&sb));
	return 0;
}

static bool parse_build(const char *kv, struct go_modinfo *mi)
{
	struct go_setting s = { 0 };
	const char *raw_value;
	if (!kv[0] || kv[0] == '=')
		return false;
	if (kv[0] == '"' || kv[0] == '`') {
		size_t used = unquote_prefix(kv, &s.key);
		if (!used || kv[used] != '=') {
			free(s.key);
			return false;
		}
		raw_value = kv + used + 1;
	} else {
		const char *eq = strchr(kv, '=');
		if (!eq)
			return false;
		s.key = xstrndup(kv, (size_t)(eq - kv));
		raw_value = eq + 1;
	}
	if (raw_value[0] == '"' || raw_value[0] == '`') {
		size_t used = unquote_prefix(raw_value, &s.value);
		if (!used || raw_value[used]) {
			free(s.key);
			free(s.value);
			return false;
		}
	} else {
		s.value = xstrdup(raw_value);
	}
	XPUSH(mi->settings, mi->nsettings, mi->settings_cap, s);
	return true;
}

void go_modinfo_parse(const char *text, struct go_modinfo *mi)
{
	memset(mi, 0, sizeof *mi);
	struct go_module *last = NULL;
	for (const char *p = text; *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char *line = xstrndup(p, len);
		char *fields[4];
		size_t n;
		bool ok = true;
		if (strncmp(line, "path\t", 5) == 0) {
			free(mi->path);
			mi->path = xstrdup(line + 5);
		} else if (strncmp(line, "mod\t", 4) == 0 || strncmp(line, "dep\t", 4) == 0) {
			bool is_main = line[0] == 'm';
			n = split_tabs(line + 4, len - 4, fields);
			if (n == 2 || n == 3) {
				struct go_module m = { fields[0], fields[1], n == 3 ? fields[2] : xstrdup(""), NULL };
				if (is_main) {
					module_free(&mi->main);
					mi->main = m;
					mi->has_main = true;
					last = &mi->main;
				} else {
					XPUSH(mi->deps, mi->ndeps, mi->deps_cap, m);
					last = &mi->deps[mi->ndeps - 1];
				}
			} else {
				free_fields(fields, n);
				snprintf(mi->error, sizeof mi->error, "expected 2 or 3 columns; got %zu", n);
				ok = false;
			}
		} else if (strncmp(line, "=>\t", 3) == 0) {
			n = split_tabs(line + 3, len - 3, fields);
			if (n != 3 || !last) {
				free_fields(fields, n);
				snprintf(mi->error, sizeof mi->error, n != 3 ? "expected 3 columns for replacement"
									   : "replacement with no module on previous line");
				ok = false;
			} else {
				last->replace = xcalloc(1, sizeof *last->replace);
				*last->replace = (struct go_module){ fields[0], fields[1], fields[2], NULL };
				last = NULL;
			}
		} else if (strncmp(line, "build\t", 6) == 0) {
			if (!parse_build(line + 6, mi)) {
				snprintf(mi->error, sizeof mi->error, "malformed build line");
				ok = false;
			}
		}
		free(line);
		if (!ok)
			return;
		p += len + (nl ? 1 : 0);
	}
}

void go_modinfo_free(struct go_modinfo *mi)
{
	free(mi->path);
	module_free(&mi->main);
	for (size_t i = 0; i < mi->ndeps; i++)
		module_free(&mi->deps[i]);
	free(mi->deps);
	for (size_t i = 0; i < mi->nsettings; i++) {
		free(mi->settings[i].key);
		free(mi->settings[i].value);
	}
	free(mi->settings);
	memset(mi, 0, sizeof *mi);
}

const char *go_modinfo_setting(const struct go_modinfo *mi, const char *key)
{
	for (size_t i = 0; i < mi->nsettings; i++)
		if (strcmp(mi->settings[i].key, key) == 0)
			return mi->settings[i].value;
	return NULL;
}

/* strconv.Quote, for the characters build settings can hold. */
static void put_quoted(FILE *out, const char *s)
{
	fputc('"', out);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"': fputs("\\\"", out); break;
		case '\\': fputs("\\\\", out); break;
		case '\n': fputs("\\n", out); break;
		case '\r': fputs("\\r", out); break;
		case '\t': fputs("\\t", out); break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				fprintf(out, "\\x%02x", *p);
			else
				fputc(*p, out);
		}
	}
	fputc('"', out);
}

static void put_module(FILE *out, const char *word, const struct go_module *m)
{
	fprintf(out, "\t%s\t%s\t%s", word, m->path, m->version);
	if (!m->replace) {
		fprintf(out, "\t%s\n", m->sum);
		return;
	}
	fputc('\n', out);
	put_module(out, "=>", m->replace);
	/* Go 1.19 writes a blank line after a replacement; `go version -m`
	 * then prints it as a lone tab. */
	fputs("\t\n", out);
}

void go_modinfo_print(FILE *out, const struct go_modinfo *mi)
{
	if (mi->path)
		fprintf(out, "\tpath\t%s\n", mi->path);
	if (mi->has_main)
		put_module(out, "mod", &mi->main);
	for (size_t i = 0; i < mi->ndeps; i++)
		put_module(out, "dep", &mi->deps[i]);
	for (size_t i = 0; i < mi->nsettings; i++) {
		const struct go_setting *s = &mi->settings[i];
		fputs("\tbuild\t", out);
		if (!s->key[0] || strpbrk(s->key, "= \t\r\n\"`"))
			put_quoted(out, s->key);
		else
			fputs(s->key, out);
		fputc('=', out);
		if (strpbrk(s->value, " \t\r\n\"`"))
			put_quoted(out, s->value);
		else
			fputs(s->value, out);
		fputc('\n', out);
	}
}
