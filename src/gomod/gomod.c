/* go.mod as Go's modfile package reads it: one directive a line or a
 * parenthesised block of them, tokens bare or quoted, "//" comments, and
 * "// indirect" on a requirement. Only what the build mode and offline
 * checks need is kept. */
#include "gomod/gomod.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

enum { MAX_TOKENS = 8 };

struct line_tokens {
	char *tok[MAX_TOKENS];
	size_t n;
	bool too_many;
	bool indirect; /* the comment is "indirect" or starts "indirect;" */
	const char *error;
};

static void tokens_free(struct line_tokens *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->tok[i]);
	t->n = 0;
}

static void push_token(struct line_tokens *t, const char *s, size_t n)
{
	if (t->n == MAX_TOKENS) {
		t->too_many = true;
		return;
	}
	t->tok[t->n++] = xstrndup(s, n);
}

/* Splits one line (no newline in it) into tokens; a quoted token keeps its
 * contents without the quotes (escapes other than \" and \\ kept as written). */
static void tokenize(const char *p, size_t len, struct line_tokens *t)
{
	size_t i = 0;
	while (i < len) {
		unsigned char c = (unsigned char)p[i];
		if (c == ' ' || c == '\t' || c == '\r') {
			i++;
		} else if (c == '/' && i + 1 < len && p[i + 1] == '/') {
			size_t s = i + 2;
			while (s < len && (p[s] == ' ' || p[s] == '\t'))
				s++;
			size_t n = len - s;
			while (n && (p[s + n - 1] == ' ' || p[s + n - 1] == '\t' || p[s + n - 1] == '\r'))
				n--;
			if ((n == 8 && memcmp(p + s, "indirect", 8) == 0) ||
			    (n > 8 && memcmp(p + s, "indirect;", 9) == 0))
				t->indirect = true;
			return;
		} else if (c == '"' || c == '`') {
			size_t s = ++i;
			char *buf = xmalloc(len - s + 1);
			size_t n = 0;
			while (i < len && p[i] != (char)c) {
				if (c == '"' && p[i] == '\\' && i + 1 < len) {
					i++;
				}
				buf[n++] = p[i++];
			}
			if (i >= len) {
				free(buf);
				t->error = "unexpected newline in string";
				return;
			}
			i++;
			push_token(t, buf, n);
			free(buf);
		} else if (c == '(' || c == ')') {
			push_token(t, p + i, 1);
			i++;
		} else if (c == '=' && i + 1 < len && p[i + 1] == '>') {
			push_token(t, "=>", 2);
			i += 2;
		} else {
			size_t s = i;
			while (i < len && !strchr(" \t\r\"`()", p[i]) && !(p[i] == '/' && i + 1 < len && p[i + 1] == '/') &&
			       !(p[i] == '=' && i + 1 < len && p[i + 1] == '>'))
				i++;
			push_token(t, p + s, i - s);
		}
	}
}

static void set_error(struct gomod *g, unsigned line, const char *msg)
{
	if (g->error)
		return;
	g->error = xstrdup(msg);
	g->error_line = line;
}

/* Long tokens are cut in messages so a hostile file cannot flood them. */
static const char *short_tok(const char *s, char *buf, size_t len)
{
	snprintf(buf, len, "%s", s);
	return buf;
}

static char *take(struct line_tokens *t, size_t i)
{
	char *s = t->tok[i];
	t->tok[i] = xstrdup("");
	return s;
}

/* One directive: args are tokens[first..n). */
static void directive(struct gomod *g, const char *verb, struct line_tokens *t, size_t first, unsigned line)
{
	size_t nargs = t->n - first;
	char cut[128];
	if (strcmp(verb, "module") == 0) {
		if (nargs != 1) {
			set_error(g, line, "usage: module module/path");
			return;
		}
		free(g->module);
		g->module = take(t, first);
	} else if (strcmp(verb, "go") == 0) {
		if (nargs != 1) {
			set_error(g, line, "go directive expects exactly one argument");
			return;
		}
		free(g->go);
		g->go = take(t, first);
		g->go_line = line;
	} else if (strcmp(verb, "toolchain") == 0) {
		if (nargs != 1) {
			set_error(g, line, "toolchain directive expects exactly one argument");
			return;
		}
		free(g->toolchain);
		g->toolchain = take(t, first);
		g->toolchain_line = line;
	} else if (strcmp(verb, "require") == 0 || strcmp(verb, "exclude") == 0) {
		if (nargs != 2) {
			set_error(g, line, verb[0] == 'r' ? "usage: require module/path v1.2.3"
							  : "usage: exclude module/path v1.2.3");
			return;
		}
		if (verb[0] == 'r') {
			struct gomod_require r = { take(t, first), take(t, first + 1), t->indirect, line };
			XPUSH(g->req, g->nreq, g->capreq, r);
		} else {
			struct gomod_pair x = { take(t, first), take(t, first + 1) };
			XPUSH(g->excl, g->nexcl, g->capexcl, x);
		}
	} else if (strcmp(verb, "replace") == 0) {
		size_t arrow = 0;
		for (size_t i = first; i < t->n; i++)
			if (strcmp(t->tok[i], "=>") == 0) {
				arrow = i;
				break;
			}
		size_t before = arrow - first, after = t->n - arrow - 1;
		if (!arrow || before < 1 || before > 2 || after < 1 || after > 2) {
			set_error(g, line, "usage: replace module/path [v1.2.3] => other/module v1.4\n"
						  "\t or replace module/path [v1.2.3] => ../local/directory");
			return;
		}
		struct gomod_replace r = { take(t, first), before == 2 ? take(t, first + 1) : NULL,
					   take(t, arrow + 1), after == 2 ? take(t, arrow + 2) : NULL, line };
		XPUSH(g->rep, g->nrep, g->caprep, r);
	} else if (strcmp(verb, "retract") == 0) {
		g->nretract++;
	} else {
		if (!g->unknown_directive) {
			g->unknown_directive = xstrdup(short_tok(verb, cut, sizeof cut));
			g->unknown_line = line;
		}
	}
}

int gomod_parse(const char *text, size_t len, struct gomod *g)
{
	memset(g, 0, sizeof *g);
	char *block = NULL; /* the verb of the open "verb (" block */
	unsigned lineno = 0;
	for (size_t pos = 0; pos < len && !g->error;) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;
		lineno++;
		struct line_tokens t = { 0 };
		tokenize(text + pos, n, &t);
		pos += n + 1;
		if (t.error) {
			set_error(g, lineno, t.error);
		} else if (t.too_many) {
			set_error(g, lineno, "too many fields");
		} else if (t.n == 0) {
			/* blank or comment */
		} else if (block) {
			if (t.n == 1 && strcmp(t.tok[0], ")") == 0) {
				free(block);
				block = NULL;
			} else {
				directive(g, block, &t, 0, lineno);
			}
		} else if (t.n == 2 && strcmp(t.tok[1], "(") == 0) {
			block = xstrdup(t.tok[0]);
		} else if (strcmp(t.tok[0], "(") == 0 || strcmp(t.tok[0], ")") == 0) {
			set_error(g, lineno, t.tok[0][0] == '(' ? "unexpected (" : "unexpected )");
		} else {
			directive(g, t.tok[0], &t, 1, lineno);
		}
		tokens_free(&t);
	}
	if (block && !g->error)
		set_error(g, lineno, "unexpected EOF");
	free(block);
	return g->error ? -1 : 0;
}

void gomod_free(struct gomod *g)
{
	free(g->module);
	free(g->go);
	free(g->toolchain);
	for (size_t i = 0; i < g->nreq; i++) {
		free(g->req[i].path);
		free(g->req[i].version);
	}
	free(g->req);
	for (size_t i = 0; i < g->nrep; i++) {
		free(g->rep[i].old_path);
		free(g->rep[i].old_version);
		free(g->rep[i].new_path);
		free(g->rep[i].new_version);
	}
	free(g->rep);
	for (size_t i = 0; i < g->nexcl; i++) {
		free(g->excl[i].path);
		free(g->excl[i].version);
	}
	free(g->excl);
	free(g->unknown_directive);
	free(g->error);
	memset(g, 0, sizeof *g);
}

/* Digits without a leading zero (except "0"), at most 9 so they fit. */
static int number(const char **p, unsigned *out)
{
	const char *s = *p;
	size_t n = 0;
	while (isdigit((unsigned char)s[n]) && n < 10)
		n++;
	if (n == 0 || n > 9 || (n > 1 && s[0] == '0'))
		return -1;
	*out = (unsigned)strtoul(s, NULL, 10);
	*p = s + n;
	return 0;
}

int go_version_parse(const char *s, unsigned v[3])
{
	v[0] = v[1] = v[2] = 0;
	if (!s)
		return -1;
	if (strncmp(s, "go", 2) == 0)
		s += 2;
	for (int i = 0; i < 3; i++) {
		if (number(&s, &v[i]) < 0)
			return -1;
		if (*s != '.')
			break;
		s++;
	}
	/* a pre-release tail (rc1, beta2) sorts with its release here */
	return (*s == '\0' || isalpha((unsigned char)*s)) ? 0 : -1;
}

int go_version_cmp(const char *a, const char *b)
{
	unsigned x[3], y[3];
	int pa = go_version_parse(a, x), pb = go_version_parse(b, y);
	if (pa < 0 || pb < 0)
		return pa - pb;
	for (int i = 0; i < 3; i++)
		if (x[i] != y[i])
			return x[i] < y[i] ? -1 : 1;
	return 0;
}

bool go_version_two_part(const char *s)
{
	unsigned a, b;
	return s && number(&s, &a) == 0 && a > 0 && *s++ == '.' && number(&s, &b) == 0 && *s == '\0';
}
