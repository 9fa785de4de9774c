/* Writing a profile's files: the directories the loader searches, every
 * entry in them (ELF files as stubs), the chains of symlinks that lead
 * there, and of the run-time files only what the checks read. */
#include "target/profile.h"

#include <elf.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "elf/elf.h"
#include "elf/elf_stub.h"
#include "loader/ldcache.h"
#include "loader/ldconf.h"
#include "loader/ldso.h"
#include "target/runtime_files.h"
#include "util/base64.h"
#include "util/gzmem.h"
#include "util/json.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/* How much of a regular file to keep. */
enum keep_kind {
	KEEP_ALL,   /* small text files the checks parse */
	KEEP_LIB,   /* in a library directory: an ELF stub, or the head of anything else */
	KEEP_PEM,   /* a CA bundle: its first certificate's header */
	KEEP_TZIF,  /* a zone file: its magic */
	KEEP_NONE,  /* presence and size only */
};

enum { TEXT_MAX = 1 << 20, HEAD = 4096, MAX_DEPTH = 40 };

struct saver {
	struct fsroot *root;
	json_t *files; /* path -> entry; one entry per path */
	struct profile_save_stats *stats;
};

static void set_mode(json_t *e, mode_t mode)
{
	char m[8];
	snprintf(m, sizeof m, "%04o", (unsigned)(mode & 07777));
	json_object_set_new(e, "mode", json_string(m));
}

/* The readable part of an ELF entry, for people and jq. */
static json_t *elf_summary(const unsigned char *data, size_t size)
{
	struct elf_file ef;
	struct cr_err err;
	if (elf_parse_memory(&ef, data, size, &err) < 0)
		return NULL;
	char buf[24];
	json_t *e = json_object();
	json_object_set_new(e, "class", json_integer(ef.bits));
	json_object_set_new(e, "machine", json_string(elf_machine_name(ef.machine, ef.bits, ef.big_endian, buf, sizeof buf)));
	uint64_t off;
	const char *soname = elf_dyn_get(&ef, DT_SONAME, &off) ? elf_dynstr(&ef, off) : NULL;
	json_object_set_new(e, "soname", json_text(soname));
	json_t *defs = json_array();
	for (size_t i = 0; i < ef.nverdefs; i++)
		if (ef.verdefs[i].name && !(ef.verdefs[i].flags & VER_FLG_BASE))
			json_array_append_new(defs, json_string(ef.verdefs[i].name));
	json_object_set_new(e, "version_definitions", defs);
	size_t defined = 0;
	for (size_t i = 0; i < ef.ndynsyms; i++)
		defined += ef.dynsyms[i].shndx != SHN_UNDEF && ef.dynsyms[i].name && ef.dynsyms[i].name[0];
	json_object_set_new(e, "defined_symbols", json_integer((json_int_t)defined));
	elf_close(&ef);
	return e;
}

/* The extents of DATA that KIND keeps. */
static void choose_extents(const char *path, const unsigned char *data, size_t size, enum keep_kind kind,
			   struct stub_extents *x)
{
	memset(x, 0, sizeof *x);
	struct stub_extent one = { 0, 0 };
	if (kind == KEEP_LIB && size >= 4 && memcmp(data, ELFMAG, SELFMAG) == 0) {
		elf_stub_extents(data, size, elf_stub_wants_strings(path), x);
		return;
	}
	if (kind == KEEP_ALL) {
		one.length = size;
	} else if (kind == KEEP_LIB) {
		one.length = size < HEAD ? size : HEAD;
	} else if (kind == KEEP_TZIF) {
		one.length = size < 64 ? size : 64;
	} else if (kind == KEEP_PEM) {
		static const char pem[] = "-----BEGIN CERTIFICATE-----";
		const unsigned char *hit = size ? memmem(data, size, pem, sizeof pem - 1) : NULL;
		if (hit) {
			one.offset = (uint64_t)(hit - data);
			one.length = sizeof pem - 1;
		}
	}
	if (one.length) {
		x->ext = xmalloc(sizeof one);
		x->ext[0] = one;
		x->n = 1;
	}
}

static void save_regular(struct saver *s, const char *path, mode_t mode, enum keep_kind kind)
{
	if (json_object_get(s->files, path))
		return;
	struct fsroot_blob blob;
	int error;
	if (fsroot_read(s->root, path, &blob, &error) < 0)
		return; /* unreadable: as if absent, which is how the loader sees it too */
	if (kind == KEEP_ALL && blob.size > TEXT_MAX)
		kind = KEEP_NONE;
	json_t *e = json_object();
	json_object_set_new(e, "path", json_string(path));
	json_object_set_new(e, "type", json_string("file"));
	set_mode(e, mode);
	json_object_set_new(e, "size", json_integer((json_int_t)blob.size));
	struct stub_extents x;
	choose_extents(path, blob.data, blob.size, kind, &x);
	json_t *kept = json_array();
	for (size_t i = 0; i < x.n; i++)
		json_array_append_new(kept, json_pack("[II]", (json_int_t)x.ext[i].offset, (json_int_t)x.ext[i].length));
	json_object_set_new(e, "kept", kept);
	size_t len, zlen;
	unsigned char *masked = NULL;
	if (kind == KEEP_LIB && x.n && blob.size >= 4 && memcmp(blob.data, ELFMAG, SELFMAG) == 0) {
		masked = xmalloc(blob.size);
		memcpy(masked, blob.data, blob.size);
		elf_stub_mask(masked, blob.size);
	}
	unsigned char *bytes = stub_extents_gather(masked ? masked : blob.data, &x, &len);
	free(masked);
	/* Nothing kept: no gzip member either. */
	unsigned char *z = len ? gz_compress(bytes, len, &zlen) : NULL;
	char *b64 = base64_encode(z, len ? zlen : 0);
	json_object_set_new(e, "gzip", json_string(b64));
	free(b64);
	free(z);
	free(bytes);
	json_t *elf = kind == KEEP_LIB ? elf_summary(blob.data, blob.size) : NULL;
	if (elf) {
		json_object_set_new(e, "elf", elf);
		s->stats->elf++;
	}
	s->stats->files++;
	s->stats->size += blob.size;
	s->stats->kept += len;
	stub_extents_free(&x);
	fsroot_release(s->root, &blob);
	json_object_set_new(s->files, path, e);
}

static void save_dir_node(struct saver *s, const char *path, mode_t mode)
{
	if (json_object_get(s->files, path))
		return;
	json_t *e = json_object();
	json_object_set_new(e, "path", json_string(path));
	json_object_set_new(e, "type", json_string("dir"));
	set_mode(e, mode);
	json_object_set_new(s->files, path, e);
	s->stats->dirs++;
}

static void save_chain(struct saver *s, const char *path, enum keep_kind kind, int depth);

static void save_link(struct saver *s, const char *path, enum keep_kind kind, int depth)
{
	char target[4096];
	int error;
	if (json_object_get(s->files, path) || fsroot_readlink(s->root, path, target, sizeof target, &error) < 0)
		return;
	json_t *e = json_object();
	json_object_set_new(e, "path", json_string(path));
	json_object_set_new(e, "type", json_string("symlink"));
	json_object_set_new(e, "target", json_string(target));
	json_object_set_new(s->files, path, e);
	s->stats->links++;
	/* What it leads to, through any other link on the way. */
	char *dir = path_dirname(path);
	char *next = target[0] == '/' ? xstrdup(target) : path_join(dir, target);
	save_chain(s, next, kind, depth + 1);
	free(next);
	free(dir);
}

/* PATH (absolute, inside the root) and every symlink and directory on the
 * way to it, the final file kept as KIND. */
static void save_chain(struct saver *s, const char *path, enum keep_kind kind, int depth)
{
	if (depth > MAX_DEPTH)
		return;
	char cur[4096] = "";
	const char *p = path;
	while (*p) {
		while (*p == '/')
			p++;
		size_t n = strcspn(p, "/");
		if (!n)
			break;
		if (n == 1 && p[0] == '.') {
			p += n;
			continue;
		}
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			char *slash = strrchr(cur, '/');
			if (slash)
				*slash = '\0';
			p += n;
			continue;
		}
		size_t len = strlen(cur);
		if (len + 1 + n >= sizeof cur)
			return;
		snprintf(cur + len, sizeof cur - len, "/%.*s", (int)n, p);
		p += n;
		bool last = !*p || !p[strspn(p, "/")];
		struct fsroot_stat st;
		int error;
		if (fsroot_lstat(s->root, cur, &st, &error) < 0)
			return;
		if (S_ISLNK(st.mode)) {
			save_link(s, cur, last ? kind : KEEP_NONE, depth);
			if (fsroot_realpath(s->root, cur, cur, sizeof cur, &error) < 0)
				return;
		} else if (S_ISDIR(st.mode)) {
			save_dir_node(s, cur, st.mode);
		} else if (S_ISREG(st.mode) && last) {
			save_regular(s, cur, st.mode, kind);
		} else {
			return;
		}
	}
}

struct dir_walk {
	struct saver *s;
	const char *dir;
	const char *pattern; /* only names matching it (fnmatch), or NULL */
	enum keep_kind kind;
	char **subdirs;      /* directories met, when collected */
	size_t nsubdirs, cap;
};

static int dir_entry(const char *name, void *ctx)
{
	struct dir_walk *w = ctx;
	if (w->pattern && fnmatch(w->pattern, name, 0) != 0)
		return 0;
	char *path = path_join(w->dir, name);
	struct fsroot_stat st;
	int error;
	if (fsroot_lstat(w->s->root, path, &st, &error) == 0) {
		if (S_ISLNK(st.mode))
			save_link(w->s, path, w->kind, 0);
		else if (S_ISREG(st.mode))
			save_regular(w->s, path, st.mode, w->kind);
		else if (S_ISDIR(st.mode))
			save_dir_node(w->s, path, st.mode);
		if (S_ISDIR(st.mode) && w->subdirs) {
			XPUSH(w->subdirs, w->nsubdirs, w->cap, path);
			path = NULL;
		}
	}
	free(path);
	return 0;
}

/* The entries of directory DIR (after its own chain) matching PATTERN;
 * SUBDIRS: also return its subdirectories' paths. */
static void save_dir(struct saver *s, const char *dir, const char *pattern, enum keep_kind kind, char ***subdirs,
		     size_t *nsubdirs)
{
	char real[4096];
	int error;
	struct fsroot_stat st;
	if (fsroot_realpath(s->root, dir, real, sizeof real, &error) < 0 ||
	    fsroot_stat(s->root, real, &st, &error) < 0 || !S_ISDIR(st.mode))
		return;
	save_chain(s, dir, KEEP_NONE, 0);
	struct dir_walk w = { s, real, pattern, kind, NULL, 0, 0 };
	if (subdirs) /* non-NULL: collect them */
		w.subdirs = xcalloc(1, sizeof *w.subdirs);
	fsroot_list_dir(s->root, real, dir_entry, &w, &error);
	if (subdirs) {
		*subdirs = w.subdirs;
		*nsubdirs = w.nsubdirs;
	} else {
		free(w.subdirs);
	}
}

/* A library directory: its entries, and those of its glibc-hwcaps levels. */
static void save_lib_dir(struct saver *s, const char *dir)
{
	save_dir(s, dir, NULL, KEEP_LIB, NULL, NULL);
	char *hw = path_join(dir, "glibc-hwcaps");
	char **levels = NULL;
	size_t n = 0;
	save_dir(s, hw, NULL, KEEP_NONE, &levels, &n);
	for (size_t i = 0; i < n; i++) {
		save_dir(s, levels[i], NULL, KEEP_LIB, NULL, NULL);
		free(levels[i]);
	}
	free(levels);
	free(hw);
}

struct runpath_walk {
	struct saver *s;
	const char *dir;
	char ***dirs;
	size_t *ndirs, *cap;
};

static int runpath_entry(const char *name, void *ctx);

/* Every directory a loader of the root can search, as far as the root
 * tells: the usual ones and each multiarch directory, ld.so.conf's, each
 * loader's compiled-in SYSTEM_DIRS and musl path, the cache's, and the
 * absolute RPATH and RUNPATH entries of the system's programs. */
static void collect_lib_dirs(struct saver *s, const char *const *loaders, size_t nloaders, char ***dirs, size_t *ndirs)
{
	size_t cap = 0;
	static const char *const usual[] = { "/lib", "/lib64", "/lib32", "/libx32", "/usr/lib", "/usr/lib64",
					     "/usr/lib32", "/usr/libx32", "/usr/local/lib" };
	for (size_t i = 0; i < sizeof usual / sizeof usual[0]; i++) {
		char *d = xstrdup(usual[i]);
		XPUSH(*dirs, *ndirs, cap, d);
	}
	/* Multiarch directories: /lib/x86_64-linux-gnu, /usr/lib/aarch64-linux-musl... */
	static const char *const parents[] = { "/lib", "/usr/lib" };
	for (size_t i = 0; i < 2; i++) {
		char **sub = NULL;
		size_t nsub = 0;
		save_dir(s, parents[i], "*-linux-*", KEEP_LIB, &sub, &nsub);
		for (size_t j = 0; j < nsub; j++)
			XPUSH(*dirs, *ndirs, cap, sub[j]);
		free(sub);
	}
	static const char *const programs[] = { "/usr/bin", "/usr/sbin", "/bin", "/sbin", "/usr/local/bin" };
	for (size_t i = 0; i < sizeof programs / sizeof programs[0]; i++) {
		char real[4096];
		int error;
		if (fsroot_realpath(s->root, programs[i], real, sizeof real, &error) < 0)
			continue;
		struct runpath_walk w = { s, real, dirs, ndirs, &cap };
		fsroot_list_dir(s->root, real, runpath_entry, &w, &error);
	}
	struct ldconf conf = { 0 };
	struct cr_err err;
	if (ldconf_read(s->root, "/etc/ld.so.conf", &conf, &err) == 0)
		for (size_t i = 0; i < conf.ndirs; i++) {
			char *d = xstrdup(conf.dirs[i]);
			XPUSH(*dirs, *ndirs, cap, d);
		}
	ldconf_free(&conf);
	for (size_t i = 0; i < nloaders; i++) {
		char real[4096];
		int error;
		struct fsroot_blob blob;
		if (fsroot_realpath(s->root, loaders[i], real, sizeof real, &error) < 0 ||
		    fsroot_read(s->root, real, &blob, &error) < 0)
			continue;
		struct elf_file ef;
		if (elf_parse_memory(&ef, blob.data, blob.size, &err) == 0) {
			struct ldso_info info;
			ldso_info_load(&info, s->root, loaders[i], real, &ef);
			for (size_t j = 0; j < info.nsystem_dirs; j++) {
				char *d = xstrdup(info.system_dirs[j]);
				XPUSH(*dirs, *ndirs, cap, d);
			}
			for (size_t j = 0; j < info.nmusl_path; j++) {
				char *d = info.musl_path[j][0] == '/' ? xstrdup(info.musl_path[j])
								       : path_join("/", info.musl_path[j]);
				XPUSH(*dirs, *ndirs, cap, d);
			}
			if (info.musl_path_file[0])
				save_chain(s, info.musl_path_file, KEEP_ALL, 0);
			for (size_t j = 0; info.has_cache && j < info.cache.nentries; j++) {
				char *d = path_dirname(info.cache.entries[j].path);
				XPUSH(*dirs, *ndirs, cap, d);
			}
			ldso_info_free(&info);
			elf_close(&ef);
		}
		fsroot_release(s->root, &blob);
	}
}

/* The absolute RPATH and RUNPATH entries of one program: the system's own
 * programs keep private libraries there (systemd, man-db). Entries with
 * $ORIGIN depend on where a program sits and cannot be saved in general. */
static int runpath_entry(const char *name, void *ctx)
{
	struct runpath_walk *w = ctx;
	char *path = path_join(w->dir, name);
	struct fsroot_stat st;
	struct fsroot_blob blob;
	int error;
	if (fsroot_lstat(w->s->root, path, &st, &error) == 0 && S_ISREG(st.mode) &&
	    fsroot_read(w->s->root, path, &blob, &error) == 0) {
		struct elf_file ef;
		struct cr_err err;
		if (blob.size >= 4 && memcmp(blob.data, ELFMAG, SELFMAG) == 0 &&
		    elf_parse_memory(&ef, blob.data, blob.size, &err) == 0) {
			static const int64_t tags[] = { DT_RPATH, DT_RUNPATH };
			for (size_t t = 0; t < 2; t++) {
				uint64_t off;
				const char *list = elf_dyn_get(&ef, tags[t], &off) ? elf_dynstr(&ef, off) : NULL;
				for (const char *p = list; p && *p; p += *p == ':') {
					size_t n = strcspn(p, ":");
					if (p[0] == '/' && !memchr(p, '$', n)) {
						char *d = xstrndup(p, n);
						XPUSH(*w->dirs, *w->ndirs, *w->cap, d);
					}
					p += n;
				}
			}
			elf_close(&ef);
		}
		fsroot_release(w->s->root, &blob);
	}
	free(path);
	return 0;
}

static int by_string(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The run-time files, as little of each as check and host read. */
static void save_runtime_files(struct saver *s)
{
	static const char *const texts[] = {
		"/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/os-release", "/usr/lib/os-release", "/etc/nsswitch.conf",
		"/etc/passwd", "/etc/group", "/etc/hosts", "/etc/mdns.allow",
	};
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
		save_chain(s, texts[i], KEEP_ALL, 0);
	save_chain(s, "/etc/resolv.conf", KEEP_NONE, 0); /* its presence, not the site's servers */
	save_dir(s, "/etc/ld.so.conf.d", NULL, KEEP_ALL, NULL, NULL);
	save_dir(s, "/etc", "ld-musl-*.path", KEEP_ALL, NULL, NULL);
	for (size_t i = 0; i < RF_NCA_FILES; i++)
		save_chain(s, runtime_ca_files[i], KEEP_PEM, 0);
	/* A directory's first certificate file, as crypto/x509 finds it: the
	 * reader lists the directory in strcmp order and stops there. */
	struct runtime_files rf;
	struct provides p = { .root = s->root, .kind = TARGET_ROOTFS, .libc = LIBC_UNKNOWN };
	runtime_files_read(&rf, &p, NULL, RF_CA | RF_CA_DIRS);
	for (size_t i = 0; i < RF_NCA_DIRS; i++) {
		if (rf.ca_dir_exists[i])
			save_chain(s, runtime_ca_dirs[i], KEEP_NONE, 0);
		if (rf.ca_dir_cert[i])
			save_chain(s, rf.ca_dir_cert[i], KEEP_PEM, 0);
	}
	runtime_files_free(&rf);
	for (size_t d = 0; d < RF_NTZ_DIRS; d++) {
		save_chain(s, runtime_tz_dirs[d], KEEP_NONE, 0);
		for (size_t z = 0; z < RF_NTZ_ZONES; z++) {
			char *path = path_join(runtime_tz_dirs[d], runtime_tz_zones[z]);
			save_chain(s, path, KEEP_TZIF, 0);
			free(path);
		}
	}
	save_chain(s, "/etc/localtime", KEEP_TZIF, 0);
}

/* A directory of the user's own (--include, where the application and the
 * libraries it brings will live): every entry below it, ELF files as
 * stubs. Symlinked directories are saved as links, not followed. */
static void save_tree(struct saver *s, const char *dir, int depth)
{
	char **sub = NULL;
	size_t nsub = 0;
	save_dir(s, dir, NULL, KEEP_LIB, &sub, &nsub);
	for (size_t i = 0; i < nsub; i++) {
		if (depth < MAX_DEPTH)
			save_tree(s, sub[i], depth + 1);
		free(sub[i]);
	}
	free(sub);
}

json_t *profile_files_json(struct fsroot *root, const char *const *loaders, size_t nloaders,
			   const char *const *includes, size_t nincludes, struct profile_save_stats *stats)
{
	memset(stats, 0, sizeof *stats);
	struct saver s = { root, json_object(), stats };
	save_dir_node(&s, "/", 0755);
	for (size_t i = 0; i < nloaders; i++)
		save_chain(&s, loaders[i], KEEP_LIB, 0);
	save_runtime_files(&s);
	char **dirs = NULL;
	size_t ndirs = 0;
	collect_lib_dirs(&s, loaders, nloaders, &dirs, &ndirs);
	/* The cache names one directory many times: each once. */
	qsort(dirs, ndirs, sizeof *dirs, by_string);
	for (size_t i = 0; i < ndirs; i++)
		if (i == 0 || strcmp(dirs[i], dirs[i - 1]) != 0)
			save_lib_dir(&s, dirs[i]);
	for (size_t i = 0; i < ndirs; i++)
		free(dirs[i]);
	free(dirs);
	for (size_t i = 0; i < nincludes; i++)
		save_tree(&s, includes[i], 0);
	/* Sorted by path: parents first, the same root gives the same file. */
	size_t n = json_object_size(s.files), k = 0;
	const char **keys = xcalloc(n ? n : 1, sizeof *keys);
	const char *key;
	json_t *value;
	json_object_foreach(s.files, key, value)
		keys[k++] = key;
	qsort(keys, k, sizeof *keys, by_string);
	json_t *out = json_array();
	for (size_t i = 0; i < k; i++)
		json_array_append(out, json_object_get(s.files, keys[i]));
	free(keys);
	json_decref(s.files);
	return out;
}
