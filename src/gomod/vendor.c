/* go.sum and vendor/modules.txt, read as Go 1.19's modfetch and modload
 * read them, and the vendor consistency check of `go build -mod=vendor`. */
#include "gomod/gomod.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"
#include "util/xalloc.h"

enum { MAX_FIELDS = 8 };

/* strings.Fields over one line, at most MAX_FIELDS (the rest counted). */
struct fields {
	const char *f[MAX_FIELDS];
	size_t len[MAX_FIELDS];
	size_t n; /* may exceed MAX_FIELDS */
};

static void split_fields(const char *p, size_t len, struct fields *out)
{
	out->n = 0;
	for (size_t i = 0; i < len;) {
		while (i < len && isspace((unsigned char)p[i]))
			i++;
		if (i == len)
			break;
		size_t s = i;
		while (i < len && !isspace((unsigned char)p[i]))
			i++;
		if (out->n < MAX_FIELDS) {
			out->f[out->n] = p + s;
			out->len[out->n] = i - s;
		}
		out->n++;
	}
}

static bool field_is(const struct fields *f, size_t i, const char *s)
{
	return i < f->n && i < MAX_FIELDS && f->len[i] == strlen(s) && memcmp(f->f[i], s, f->len[i]) == 0;
}

static char *field_dup(const struct fields *f, size_t i)
{
	return xstrndup(f->f[i], f->len[i]);
}

void gosum_parse(const char *text, size_t len, struct gosum *s)
{
	memset(s, 0, sizeof *s);
	unsigned lineno = 0;
	for (size_t pos = 0; pos < len;) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;
		lineno++;
		struct fields f;
		split_fields(text + pos, n, &f);
		pos += n + 1;
		if (f.n == 0)
			continue;
		if (f.n != 3) {
			if (!s->bad_line)
				s->bad_line = lineno;
			continue;
		}
		struct gosum_line l = { .path = field_dup(&f, 0), .version = field_dup(&f, 1) };
		XPUSH(s->lines, s->count, s->cap, l);
	}
}

bool gosum_has(const struct gosum *s, const char *path, const char *version, bool gomod)
{
	size_t vlen = strlen(version);
	for (size_t i = 0; i < s->count; i++) {
		const struct gosum_line *l = &s->lines[i];
		if (strcmp(l->path, path) != 0 || strncmp(l->version, version, vlen) != 0)
			continue;
		if (strcmp(l->version + vlen, gomod ? "/go.mod" : "") == 0)
			return true;
	}
	return false;
}

void gosum_free(struct gosum *s)
{
	for (size_t i = 0; i < s->count; i++) {
		free(s->lines[i].path);
		free(s->lines[i].version);
	}
	free(s->lines);
	memset(s, 0, sizeof *s);
}

/* golang.org/x/mod/semver.IsValid, enough of it: vMAJOR[.MINOR[.PATCH]]
 * with an optional -pre and +build tail. */
static bool semver_valid(const char *s, size_t n)
{
	if (n < 2 || s[0] != 'v')
		return false;
	size_t i = 1, parts = 0;
	while (i < n && parts < 3) {
		size_t d = i;
		while (i < n && isdigit((unsigned char)s[i]))
			i++;
		if (i == d || (i - d > 1 && s[d] == '0'))
			return false;
		parts++;
		if (i < n && s[i] == '.' && parts < 3)
			i++;
		else
			break;
	}
	if (i < n && parts < 3)
		return false; /* a tail only after a full vX.Y.Z */
	if (i < n && s[i] != '-' && s[i] != '+')
		return false;
	for (; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("-+.", s[i]))
			return false;
	return true;
}

static struct vendor_module *vendor_find(struct vendor_list *v, const char *path, size_t plen, const char *ver,
					 size_t vlen)
{
	for (size_t i = 0; i < v->count; i++) {
		struct vendor_module *m = &v->mods[i];
		bool vm = m->version ? (ver && strlen(m->version) == vlen && memcmp(m->version, ver, vlen) == 0) : !ver;
		if (vm && strlen(m->path) == plen && memcmp(m->path, path, plen) == 0)
			return m;
	}
	return NULL;
}

void vendor_parse(const char *text, size_t len, struct vendor_list *v)
{
	memset(v, 0, sizeof *v);
	size_t cur = (size_t)-1; /* the module the following lines belong to */
	for (size_t pos = 0; pos < len;) {
		const char *line = text + pos;
		const char *nl = memchr(line, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - line) : len - pos;
		pos += n + 1;
		struct fields f;
		split_fields(line, n, &f);
		if (n >= 2 && line[0] == '#' && line[1] == ' ') {
			if (f.n < 3)
				continue;
			size_t rest;
			const char *ver = NULL;
			size_t vlen = 0;
			if (semver_valid(f.f[2], f.len[2])) {
				ver = f.f[2];
				vlen = f.len[2];
				rest = 3;
			} else if (field_is(&f, 2, "=>")) {
				rest = 2;
			} else {
				cur = (size_t)-1;
				continue;
			}
			struct vendor_module *m = vendor_find(v, f.f[1], f.len[1], ver, vlen);
			if (!m) {
				struct vendor_module nm = { .path = field_dup(&f, 1), .version = ver ? xstrndup(ver, vlen) : NULL };
				XPUSH(v->mods, v->count, v->cap, nm);
				m = &v->mods[v->count - 1];
			}
			cur = (size_t)(m - v->mods);
			size_t left = f.n - rest;
			if (left >= 2 && field_is(&f, rest, "=>") && f.n <= MAX_FIELDS) {
				if (left == 2 || (left == 3 && semver_valid(f.f[rest + 2], f.len[rest + 2]))) {
					free(m->repl_path);
					free(m->repl_version);
					m->repl_path = field_dup(&f, rest + 1);
					m->repl_version = left == 3 ? field_dup(&f, rest + 2) : NULL;
				}
			}
			continue;
		}
		if (cur == (size_t)-1)
			continue;
		struct vendor_module *m = &v->mods[cur];
		if (n >= 3 && memcmp(line, "## ", 3) == 0) {
			for (size_t i = 3; i < n;) {
				size_t e = i;
				while (e < n && line[e] != ';')
					e++;
				size_t a = i, b = e;
				while (a < b && isspace((unsigned char)line[a]))
					a++;
				while (b > a && isspace((unsigned char)line[b - 1]))
					b--;
				if (b - a == 8 && memcmp(line + a, "explicit", 8) == 0)
					m->explicit_ = true;
				if (b - a > 3 && memcmp(line + a, "go ", 3) == 0) {
					free(m->go);
					m->go = xstrndup(line + a + 3, b - a - 3);
				}
				i = e + 1;
			}
			continue;
		}
		if (f.n == 1 && f.f[0][0] != '#')
			XPUSH(m->pkgs, m->npkgs, m->cappkgs, field_dup(&f, 0));
	}
}

void vendor_free(struct vendor_list *v)
{
	for (size_t i = 0; i < v->count; i++) {
		struct vendor_module *m = &v->mods[i];
		free(m->path);
		free(m->version);
		free(m->repl_path);
		free(m->repl_version);
		free(m->go);
		for (size_t j = 0; j < m->npkgs; j++)
			free(m->pkgs[j]);
		free(m->pkgs);
	}
	free(v->mods);
	memset(v, 0, sizeof *v);
}

static const struct vendor_module *meta(const struct vendor_list *v, const char *path, const char *ver)
{
	return vendor_find((struct vendor_list *)v, path, strlen(path), ver, ver ? strlen(ver) : 0);
}

static bool same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static void describe(struct strbuf *sb, const char *path, const char *ver)
{
	sb_appendf(sb, "%s%s%s", path, ver ? "@" : "", ver ? ver : "");
}

static void problem(struct strbuf *sb, size_t *n, const char *path, const char *ver)
{
	sb_appendf(sb, "\n\t");
	describe(sb, path, ver);
	sb_appendf(sb, ": ");
	(*n)++;
}

/* go.mod's replacement for path@ver: the exact one, else the wildcard. */
static const struct gomod_replace *replacement(const struct gomod *g, const char *path, const char *ver)
{
	const struct gomod_replace *wild = NULL;
	for (size_t i = 0; i < g->nrep; i++) {
		const struct gomod_replace *r = &g->rep[i];
		if (strcmp(r->old_path, path) != 0)
			continue;
		if (r->old_version && ver && strcmp(r->old_version, ver) == 0)
			return r;
		if (!r->old_version)
			wild = r;
	}
	return wild;
}

size_t vendor_check(const struct gomod *g, const struct vendor_list *v, char **out)
{
	struct strbuf sb = { 0 };
	size_t n = 0;
	bool pre114 = !g->go || go_version_cmp(g->go, "1.14") < 0;
	for (size_t i = 0; i < g->nreq; i++) {
		const struct gomod_require *r = &g->req[i];
		const struct vendor_module *m = meta(v, r->path, r->version);
		if (m && m->explicit_)
			continue;
		if (!pre114) {
			problem(&sb, &n, r->path, r->version);
			sb_appendf(&sb, "is explicitly required in go.mod, but not marked as explicit in vendor/modules.txt");
			continue;
		}
		/* before 1.14 only a version the packages came from can contradict */
		for (size_t j = 0; j < v->count; j++) {
			const struct vendor_module *o = &v->mods[j];
			if (o->npkgs && o->version && strcmp(o->path, r->path) == 0 && strcmp(o->version, r->version) != 0) {
				problem(&sb, &n, r->path, r->version);
				sb_appendf(&sb, "is explicitly required in go.mod, but vendor/modules.txt indicates %s@%s",
					   o->path, o->version);
				break;
			}
		}
	}
	for (size_t i = 0; i < g->nrep; i++) {
		const struct gomod_replace *r = &g->rep[i];
		const struct vendor_module *m = meta(v, r->old_path, r->old_version);
		if (!m || !m->repl_path) {
			if (pre114)
				continue;
			problem(&sb, &n, r->old_path, r->old_version);
			sb_appendf(&sb, "is replaced in go.mod, but not marked as replaced in vendor/modules.txt");
		} else if (strcmp(m->repl_path, r->new_path) != 0 || !same(m->repl_version, r->new_version)) {
			problem(&sb, &n, r->old_path, r->old_version);
			sb_appendf(&sb, "is replaced by ");
			describe(&sb, r->new_path, r->new_version);
			sb_appendf(&sb, " in go.mod, but marked as replaced by ");
			describe(&sb, m->repl_path, m->repl_version);
			sb_appendf(&sb, " in vendor/modules.txt");
		}
	}
	for (size_t i = 0; i < v->count; i++) {
		const struct vendor_module *m = &v->mods[i];
		if (!m->explicit_ || !m->npkgs)
			continue;
		bool required = false;
		for (size_t j = 0; j < g->nreq && !required; j++)
			required = strcmp(g->req[j].path, m->path) == 0 && same(g->req[j].version, m->version);
		if (!required) {
			problem(&sb, &n, m->path, m->version);
			sb_appendf(&sb, "is marked as explicit in vendor/modules.txt, but not explicitly required in go.mod");
		}
	}
	for (size_t i = 0; i < v->count; i++) {
		const struct vendor_module *m = &v->mods[i];
		if (!m->repl_path)
			continue;
		const struct gomod_replace *r = replacement(g, m->path, m->version);
		if (!r) {
			problem(&sb, &n, m->path, m->version);
			sb_appendf(&sb, "is marked as replaced in vendor/modules.txt, but not replaced in go.mod");
		} else if (strcmp(m->repl_path, r->new_path) != 0 || !same(m->repl_version, r->new_version)) {
			problem(&sb, &n, m->path, m->version);
			sb_appendf(&sb, "is marked as replaced by ");
			describe(&sb, m->repl_path, m->repl_version);
			sb_appendf(&sb, " in vendor/modules.txt, but replaced by ");
			describe(&sb, r->new_path, r->new_version);
			sb_appendf(&sb, " in go.mod");
		}
	}
	*out = sb_take(&sb);
	return n;
}
