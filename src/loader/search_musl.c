/* musl's search for a needed name (ldso/dynlink.c load_library): its own
 * names first (libc, libpthread, ... are the loader itself), then
 * LD_LIBRARY_PATH, the rpath chain (RUNPATH and RPATH alike, $ORIGIN only),
 * then the path file or its built-in defaults. No cache, no hwcaps, no
 * class or machine check while searching. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "loader/search.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/* Names musl answers with itself: lib + c., pthread., rt., m., dl., util.,
 * xnet. */
static bool musl_reserved(const char *name)
{
	static const char *const stems[] = { "c.", "pthread.", "rt.", "m.", "dl.", "util.", "xnet." };
	if (strncmp(name, "lib", 3) != 0)
		return false;
	for (size_t i = 0; i < sizeof stems / sizeof stems[0]; i++)
		if (strncmp(name + 3, stems[i], strlen(stems[i])) == 0)
			return true;
	return false;
}

/* $ORIGIN and ${ORIGIN} only; any other '$' makes musl ignore the rpath. */
static char *expand_origin(const char *s, const char *origin)
{
	struct strbuf sb = { 0 };
	sb_appendf(&sb, "%s", "");
	for (const char *p = s; *p;) {
		if (*p != '$') {
			sb_appendf(&sb, "%c", *p++);
		} else if (strncmp(p, "${ORIGIN}", 9) == 0) {
			sb_appendf(&sb, "%s", origin);
			p += 9;
		} else if (strncmp(p, "$ORIGIN", 7) == 0) {
			sb_appendf(&sb, "%s", origin);
			p += 7;
		} else {
			free(sb_take(&sb));
			return NULL;
		}
	}
	return sb_take(&sb);
}

static struct lib_entry *try_path(struct search_ctx *ctx, const char *dir, struct dep_library *lib,
				  enum lib_via via, char **fatal)
{
	char *path = dir[0] == '/' ? path_join(dir, lib->name) : NULL;
	if (!path) {
		char *abs = path_join("/", dir);
		path = path_join(abs, lib->name);
		free(abs);
	}
	struct candidate c = { path, "not found" };
	int error = 0;
	struct lib_entry *e = libcache_get(ctx->cache, ctx->root, path, &error);
	if (e) {
		c.verdict = "used";
		lib->path = xstrdup(path);
		lib->via = via;
	} else if (error != ENOENT && error != ENOTDIR && error != EACCES && error != ENAMETOOLONG) {
		/* musl stops the search on any other error. */
		*fatal = xstrdup(strerror(error));
		c.verdict = "an error that stops the search";
	}
	XPUSH(lib->tried, lib->ntried, lib->tried_cap, c);
	return e;
}

static struct lib_entry *try_list(struct search_ctx *ctx, const char *list, const char *seps,
				  struct dep_library *lib, enum lib_via via, char **fatal)
{
	for (const char *p = list; *p;) {
		size_t len = strcspn(p, seps);
		if (len) {
			char *dir = xstrndup(p, len);
			struct lib_entry *e = try_path(ctx, dir, lib, via, fatal);
			free(dir);
			if (e || *fatal)
				return e;
		}
		p += len;
		if (*p)
			p++;
	}
	return NULL;
}

struct lib_entry *search_musl(struct search_ctx *ctx, size_t requester, struct dep_library *lib,
			      char **fatal)
{
	struct resolution *res = ctx->res;
	if (strchr(lib->name, '/')) {
		char *dir = path_dirname(lib->name);
		const char *saved = lib->name;
		lib->name = strrchr(saved, '/') + 1;
		struct lib_entry *e = try_path(ctx, dir, lib, VIA_SLASH, fatal);
		lib->name = saved;
		free(dir);
		return e;
	}
	if (musl_reserved(lib->name)) {
		lib->path = xstrdup(res->ldso.interp);
		lib->via = VIA_LOADER;
		int error;
		return libcache_get(ctx->cache, ctx->root, res->ldso.interp_real, &error);
	}
	struct lib_entry *e;
	if (ctx->opts->ld_library_path) {
		e = try_list(ctx, ctx->opts->ld_library_path, ":\n", lib, VIA_LD_LIBRARY_PATH, fatal);
		if (e || *fatal)
			return e;
	}
	for (size_t i = requester;;) {
		const struct dep_object *o = &res->objects[i];
		const struct needs *n = &o->lib->needs;
		/* RUNPATH wins over RPATH; both are inherited by the needs. */
		char **list = n->nrunpath ? n->runpath : n->rpath;
		size_t count = n->nrunpath ? n->nrunpath : n->nrpath;
		for (size_t j = 0; j < count; j++) {
			char *dir = expand_origin(list[j], o->origin);
			if (!dir)
				break;
			e = try_list(ctx, dir, ":", lib, n->nrunpath ? VIA_RUNPATH : VIA_RPATH, fatal);
			free(dir);
			if (e || *fatal)
				return e;
		}
		if (i == 0)
			break;
		i = o->loader;
	}
	for (size_t i = 0; i < res->ldso.nmusl_path; i++) {
		e = try_path(ctx, res->ldso.musl_path[i], lib, VIA_DEFAULT, fatal);
		if (e || *fatal)
			return e;
	}
	return NULL;
}
