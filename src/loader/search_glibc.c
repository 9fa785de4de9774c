/* glibc's search for a DT_NEEDED name (elf/dl-load.c _dl_map_object):
 * RPATH chain (only when the requester has no RUNPATH), LD_LIBRARY_PATH,
 * the requester's RUNPATH, /etc/ld.so.cache, the default directories; each
 * directory tried first through its glibc-hwcaps subdirectories. */
#include <elf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "loader/ldconf.h"
#include "loader/search.h"
#include "model/needs.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

enum verify_result glibc_verify(const struct fsroot_blob *blob, const struct ldso_info *ldso,
				const char **message)
{
	struct byte_view v = { blob->data, blob->size, ldso->big_endian };
	size_t ehdr_size = ldso->bits == 64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr);
	const unsigned char *id = bv_ptr(&v, 0, EI_NIDENT);
	*message = NULL;
	if (!id || blob->size < ehdr_size) {
		*message = "file too short";
		return VERIFY_FATAL;
	}
	if (memcmp(id, ELFMAG, SELFMAG) != 0) {
		*message = "invalid ELF header";
		return VERIFY_FATAL;
	}
	if (id[EI_CLASS] != (ldso->bits == 64 ? ELFCLASS64 : ELFCLASS32))
		return VERIFY_OTHER_CLASS;
	if (id[EI_DATA] != (ldso->big_endian ? ELFDATA2MSB : ELFDATA2LSB)) {
		*message = ldso->big_endian ? "ELF file data encoding not big-endian"
					    : "ELF file data encoding not little-endian";
		return VERIFY_FATAL;
	}
	if (id[EI_VERSION] != EV_CURRENT) {
		*message = "ELF file version ident does not match current one";
		return VERIFY_FATAL;
	}
	if (id[EI_OSABI] != ELFOSABI_SYSV && id[EI_OSABI] != ELFOSABI_GNU) {
		*message = "ELF file OS ABI invalid";
		return VERIFY_FATAL;
	}
	if (id[EI_ABIVERSION] != 0 && !(id[EI_OSABI] == ELFOSABI_GNU && id[EI_ABIVERSION] < 5)) {
		*message = "ELF file ABI version invalid";
		return VERIFY_FATAL;
	}
	for (int i = EI_PAD; i < EI_NIDENT; i++) {
		if (id[i]) {
			*message = "nonzero padding in e_ident";
			return VERIFY_FATAL;
		}
	}
	uint16_t type = 0, machine = 0, phentsize = 0;
	uint32_t version = 0;
	bv_u16(&v, 16, &type);
	bv_u16(&v, 18, &machine);
	bv_u32(&v, 20, &version);
	bv_u16(&v, ldso->bits == 64 ? 54 : 42, &phentsize);
	if (version != EV_CURRENT) {
		*message = "ELF file version does not match current one";
		return VERIFY_FATAL;
	}
	if (machine != ldso->machine)
		return VERIFY_OTHER_MACHINE;
	if (type != ET_DYN && type != ET_EXEC) {
		*message = "only ET_DYN and ET_EXEC can be loaded";
		return VERIFY_FATAL;
	}
	if (phentsize != (ldso->bits == 64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr))) {
		*message = "ELF file's phentsize not the expected size";
		return VERIFY_FATAL;
	}
	return VERIFY_OK;
}

/* Expands $ORIGIN, $LIB and $PLATFORM (also in ${} form). Returns NULL when
 * a known token cannot be expanded: glibc then drops that path element. */
static char *expand_dst(const char *s, const char *origin, const struct ldso_info *ldso)
{
	struct strbuf sb = { 0 };
	sb_appendf(&sb, "%s", "");
	for (const char *p = s; *p;) {
		if (*p != '$') {
			sb_appendf(&sb, "%c", *p++);
			continue;
		}
		static const char *const names[] = { "ORIGIN", "LIB", "PLATFORM" };
		const char *values[] = { origin, ldso->lib_token, ldso->platform };
		size_t used = 0;
		int which = -1;
		for (int i = 0; i < 3 && which < 0; i++) {
			size_t n = strlen(names[i]);
			if (strncmp(p + 1, names[i], n) == 0 && !(p[1 + n] == '_' ||
			    (p[1 + n] >= 'A' && p[1 + n] <= 'Z') || (p[1 + n] >= 'a' && p[1 + n] <= 'z') ||
			    (p[1 + n] >= '0' && p[1 + n] <= '9')))
				which = i, used = 1 + n;
			else if (p[1] == '{' && strncmp(p + 2, names[i], n) == 0 && p[2 + n] == '}')
				which = i, used = 3 + n;
		}
		if (which < 0) {
			sb_appendf(&sb, "$"); /* unknown tokens stay as they are */
			p++;
			continue;
		}
		if (!values[which] || !values[which][0]) {
			free(sb_take(&sb));
			return NULL;
		}
		sb_appendf(&sb, "%s", values[which]);
		p += used;
	}
	return sb_take(&sb);
}

/* Tries DIR/NAME through the hwcaps subdirectories, then DIR/NAME. */
static struct lib_entry *try_dir(struct search_ctx *ctx, const char *dir, struct dep_library *lib,
				 enum lib_via via, char **fatal, bool *other_class)
{
	const struct ldso_info *ldso = &ctx->res->ldso;
	static const char *const x86_levels[] = { "x86-64-v4", "x86-64-v3", "x86-64-v2" };
	bool hwcaps = ldso->machine == EM_X86_64 && ldso->bits == 64 &&
		      (!ldso->glibc_version[0] || version_compare(ldso->glibc_version, "2.33") >= 0);
	size_t nsub = hwcaps ? 3 : 0;
	for (size_t i = 0; i <= nsub; i++) {
		const char *sub = i < nsub ? x86_levels[i] : NULL;
		if (sub && ctx->opts->cpu_level < (unsigned)(4 - i))
			continue;
		char *path;
		if (sub) {
			char *hw = path_join(dir, "glibc-hwcaps");
			char *hwdir = path_join(hw, sub);
			path = path_join(hwdir, lib->name);
			free(hw);
			free(hwdir);
		} else {
			path = path_join(dir, lib->name);
		}
		struct candidate c = { path, "not found" };
		int error = 0;
		struct lib_entry *e = libcache_get(ctx->cache, ctx->root, path, &error);
		if (!e && error == EISDIR) {
			struct strbuf sb = { 0 };
			sb_appendf(&sb, "%s: cannot read file data: Is a directory", path);
			*fatal = sb_take(&sb);
			c.verdict = "a directory (the loader stops here)";
		} else if (e) {
			const char *msg;
			switch (glibc_verify(&e->blob, ldso, &msg)) {
			case VERIFY_OK:
				c.verdict = "used";
				lib->path = xstrdup(path);
				lib->via = via;
				lib->hwcaps = sub;
				break;
			case VERIFY_OTHER_CLASS:
				c.verdict = "skipped: wrong ELF class";
				*other_class = true;
				e = NULL;
				break;
			case VERIFY_OTHER_MACHINE:
				c.verdict = "skipped: wrong machine";
				e = NULL;
				break;
			case VERIFY_FATAL: {
				struct strbuf sb = { 0 };
				sb_appendf(&sb, "%s: %s", path, msg);
				*fatal = sb_take(&sb);
				c.verdict = msg;
				e = NULL;
				break;
			}
			}
		}
		XPUSH(lib->tried, lib->ntried, lib->tried_cap, c);
		if (e || *fatal)
			return e;
	}
	return NULL;
}

static bool is_system_dir(const struct ldso_info *ldso, const char *path)
{
	for (size_t i = 0; i < ldso->nsystem_dirs; i++) {
		size_t n = strlen(ldso->system_dirs[i]);
		if (strncmp(path, ldso->system_dirs[i], n) == 0 && path[n] == '/')
			return true;
	}
	return false;
}

/* Searches each element of a ':'-separated list (';' too for
 * LD_LIBRARY_PATH); an empty element means the current directory. */
static struct lib_entry *try_list(struct search_ctx *ctx, char **dirs, size_t ndirs, const char *origin,
				  struct dep_library *lib, enum lib_via via, char **fatal, bool *other_class)
{
	for (size_t i = 0; i < ndirs; i++) {
		char *dir = expand_dst(dirs[i][0] ? dirs[i] : ".", origin, &ctx->res->ldso);
		if (!dir)
			continue;
		/* The process's working directory is "/" in a container. */
		char *abs = dir[0] == '/' ? xstrdup(dir) : path_join("/", dir);
		free(dir);
		struct lib_entry *e = try_dir(ctx, abs, lib, via, fatal, other_class);
		free(abs);
		if (e || *fatal)
			return e;
	}
	return NULL;
}

static void split_env_list(const char *s, char ***out, size_t *count)
{
	size_t cap = 0;
	for (;;) {
		size_t len = strcspn(s, ":;");
		char *item = xstrndup(s, len);
		XPUSH(*out, *count, cap, item);
		if (!s[len])
			break;
		s += len + 1;
	}
}

/* ld.so never reads ld.so.conf, only the cache ldconfig makes from it. When
 * a library it did not find sits in a directory ld.so.conf lists, say so:
 * the fix is running ldconfig in the target. Explanation only. */
static void explain_ldconfig(struct search_ctx *ctx, struct dep_library *lib)
{
	struct ldconf conf;
	struct cr_err err;
	if (ldconf_read(ctx->root, "/etc/ld.so.conf", &conf, &err) < 0)
		return;
	for (size_t i = 0; i < conf.ndirs; i++) {
		char *path = path_join(conf.dirs[i], lib->name);
		struct fsroot_stat st;
		int error;
		if (fsroot_stat(ctx->root, path, &st, &error) == 0) {
			struct candidate c = { path, "exists, in a directory /etc/ld.so.conf lists, but not in "
						     "/etc/ld.so.cache: the loader finds it only after running ldconfig" };
			XPUSH(lib->tried, lib->ntried, lib->tried_cap, c);
			break;
		}
		free(path);
	}
	ldconf_free(&conf);
}

struct lib_entry *search_glibc(struct search_ctx *ctx, size_t requester, struct dep_library *lib,
			       char **fatal, bool *other_class)
{
	struct resolution *res = ctx->res;
	const struct ldso_info *ldso = &res->ldso;
	const struct dep_object *req = &res->objects[requester];
	const struct needs *rn = &req->lib->needs;
	struct lib_entry *e;

	if (strchr(lib->name, '/')) {
		char *path = expand_dst(lib->name, req->origin, ldso);
		if (!path)
			return NULL;
		char *abs = path[0] == '/' ? xstrdup(path) : path_join("/", path);
		free(path);
		char *dir = path_dirname(abs);
		const char *saved = lib->name;
		lib->name = strrchr(abs, '/') + 1;
		e = try_dir(ctx, dir, lib, VIA_SLASH, fatal, other_class);
		lib->name = saved;
		/* A name with a slash is opened as is: no hwcaps directories. */
		free(dir);
		free(abs);
		return e;
	}

	/* RPATH of the requester and up its loader chain, then the program's;
	 * none of it when the requester has a RUNPATH. */
	if (rn->nrunpath == 0) {
		size_t i = requester;
		for (;;) {
			const struct dep_object *o = &res->objects[i];
			if (o->lib->needs.nrunpath == 0 && o->lib->needs.nrpath) {
				e = try_list(ctx, o->lib->needs.rpath, o->lib->needs.nrpath, o->origin, lib,
					     VIA_RPATH, fatal, other_class);
				if (e || *fatal)
					return e;
			}
			if (i == 0)
				break;
			i = o->loader;
		}
	}
	if (ctx->opts->ld_library_path) {
		char **dirs = NULL;
		size_t n = 0;
		split_env_list(ctx->opts->ld_library_path, &dirs, &n);
		e = try_list(ctx, dirs, n, res->objects[0].origin, lib, VIA_LD_LIBRARY_PATH, fatal, other_class);
		for (size_t i = 0; i < n; i++)
			free(dirs[i]);
		free(dirs);
		if (e || *fatal)
			return e;
	}
	if (rn->nrunpath) {
		e = try_list(ctx, rn->runpath, rn->nrunpath, req->origin, lib, VIA_RUNPATH, fatal, other_class);
		if (e || *fatal)
			return e;
	}
	if (ldso->has_cache) {
		static const char *const levels[] = { "x86-64-v4", "x86-64-v3", "x86-64-v2", NULL };
		unsigned level = ctx->opts->cpu_level;
		/* The subdirectories this CPU may use, best first. */
		const char *const *hw = level >= 2 ? &levels[4 - (level > 4 ? 4 : level)] : NULL;
		struct ldcache_query q = { 0, 0, hw, level, false };
		const char *subdir = NULL, *hit = NULL;
		if (ldcache_flags_for(ldso->machine, ldso->bits, ldso->big_endian, ldso->e_flags, &q.flags_a, &q.flags_b))
			hit = ldcache_lookup(&ldso->cache, lib->name, &q, &subdir);
		if (hit && !(rn->nodeflib && is_system_dir(ldso, hit))) {
			struct candidate c = { xstrdup(hit), "found in /etc/ld.so.cache" };
			XPUSH(lib->tried, lib->ntried, lib->tried_cap, c);
			int error;
			e = libcache_get(ctx->cache, ctx->root, hit, &error);
			const char *msg;
			if (e && glibc_verify(&e->blob, ldso, &msg) == VERIFY_OK) {
				lib->path = xstrdup(hit);
				lib->via = VIA_CACHE;
				lib->hwcaps = subdir;
				return e;
			}
			lib->tried[lib->ntried - 1].verdict = "listed in /etc/ld.so.cache but unusable";
		}
	}
	if (!rn->nodeflib) {
		for (size_t i = 0; i < ldso->nsystem_dirs; i++) {
			e = try_dir(ctx, ldso->system_dirs[i], lib, VIA_DEFAULT, fatal, other_class);
			if (e || *fatal)
				return e;
		}
	}
	explain_ldconfig(ctx, lib);
	return NULL;
}
