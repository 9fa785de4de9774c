/* ld.so.conf parsed the way glibc's ldconfig does it (parse_conf,
 * parse_conf_include, add_dir_1 in elf/ldconfig.c), run as "ldconfig -r
 * ROOT" after its chroot: every path is inside the target root. */
#include "loader/ldconf.h"

#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/xalloc.h"

/* ldconfig itself has no limit and recurses until it crashes on a loop. */
enum { max_depth = 16 };

struct file_id {
	uint64_t dev, ino;
};

struct reader {
	struct fsroot *root;
	struct ldconf *conf;
	size_t dirs_cap;
	struct file_id *dir_ids; /* parallel to conf->dirs, for duplicates */
	size_t ndir_ids, dir_ids_cap;
	struct file_id *files;   /* configuration files already read */
	size_t nfiles, files_cap;
};

static bool id_in(const struct file_id *ids, size_t n, const struct fsroot_stat *st)
{
	for (size_t i = 0; i < n; i++)
		if (ids[i].dev == st->dev && ids[i].ino == st->ino)
			return true;
	return false;
}

/* DIR/NAME without doubling a slash when DIR is "/". */
static char *join(const char *dir, const char *name)
{
	size_t dlen = strlen(dir), nlen = strlen(name);
	bool slash = dlen > 0 && dir[dlen - 1] != '/';
	char *p = xmalloc(dlen + slash + nlen + 1);
	memcpy(p, dir, dlen);
	if (slash)
		p[dlen] = '/';
	memcpy(p + dlen + slash, name, nlen + 1);
	return p;
}

/* dirname(3) of a path that has a slash. */
static char *dir_of(const char *path)
{
	size_t len = (size_t)(strrchr(path, '/') - path);
	while (len > 0 && path[len - 1] == '/')
		len--;
	return len ? xstrndup(path, len) : xstrdup("/");
}

static void add_dir(struct reader *r, char *line)
{
	/* Lines are never empty here; what is left after stripping can be
	 * ("/" strips to nothing and, as in ldconfig, is dropped). */
	size_t i = strlen(line);
	while (i > 0 && isspace((unsigned char)line[i - 1]))
		line[--i] = '\0';
	while (i > 0 && line[i - 1] == '/')
		line[--i] = '\0';
	if (i == 0)
		return;
	/* Before glibc 2.37 "DIR=TYPE" named a library type; newer
	 * ldconfig, followed here, takes the whole line as the directory. A
	 * relative directory is relative to the root, ldconfig's working
	 * directory after its chroot. */
	char *path = line[0] == '/' ? xstrdup(line) : join("/", line);
	struct fsroot_stat st;
	int e;
	/* ldconfig keeps the path as written and drops a later line naming
	 * the same directory by another path (/lib and /usr/lib on merged
	 * /usr). A file is dropped too: it would give the cache nothing. */
	if (fsroot_stat(r->root, path, &st, &e) < 0 || !S_ISDIR(st.mode) ||
	    id_in(r->dir_ids, r->ndir_ids, &st)) {
		free(path);
		return;
	}
	struct file_id id = { st.dev, st.ino };
	XPUSH(r->dir_ids, r->ndir_ids, r->dir_ids_cap, id);
	XPUSH(r->conf->dirs, r->conf->ndirs, r->dirs_cap, path);
}

struct matches {
	const char *pattern;
	char **names;
	size_t n, cap;
};

static int collect_match(const char *name, void *ctx)
{
	struct matches *m = ctx;
	/* glob(3) without GLOB_PERIOD: a wildcard does not match a leading dot. */
	if (fnmatch(m->pattern, name, FNM_PERIOD) == 0) {
		char *copy = xstrdup(name);
		XPUSH(m->names, m->n, m->cap, copy);
	}
	return 0;
}

static int read_file(struct reader *r, const char *path, unsigned depth, struct cr_err *err);

/* One word of an "include" line. Only the last component is matched as a
 * pattern (ld.so.conf files put their globs there); a wildcard in a
 * directory component is taken literally, so that directory is not found. */
static void include(struct reader *r, const char *from, const char *pattern, unsigned depth)
{
	if (depth >= max_depth)
		return;
	char *full;
	if (pattern[0] != '/' && strchr(from, '/')) {
		char *dir = dir_of(from);
		full = join(dir, pattern);
		free(dir);
	} else {
		full = xstrdup(pattern);
	}
	const char *slash = strrchr(full, '/');
	const char *base = slash ? slash + 1 : full;
	if (!strpbrk(base, "*?[\\")) {
		/* No wildcard: glob returns the name if it exists, and a
		 * missing file reads as empty anyway. */
		read_file(r, full, depth + 1, NULL);
		free(full);
		return;
	}
	/* glob names its results DIR/NAME, or NAME for a pattern without a
	 * slash, which is relative to the root like every relative path. */
	char *dir = !slash ? xstrdup("/") : slash == full ? xstrdup("/")
		  : xstrndup(full, (size_t)(slash - full));
	struct matches m = { base, NULL, 0, 0 };
	int e;
	/* An unreadable directory matches nothing, as glob's GLOB_ABORTED is
	 * only reported by ldconfig -v. The names come sorted by strcmp,
	 * glob's order under the C collation ldconfig sets. */
	fsroot_list_dir(r->root, dir, collect_match, &m, &e);
	for (size_t i = 0; i < m.n; i++) {
		char *file = slash ? join(dir, m.names[i]) : xstrdup(m.names[i]);
		read_file(r, file, depth + 1, NULL);
		free(file);
		free(m.names[i]);
	}
	free(m.names);
	free(dir);
	free(full);
}

static void parse_line(struct reader *r, const char *file, char *line, unsigned depth)
{
	/* No quoting exists, so the first '#' always starts a comment. */
	*strchrnul(line, '#') = '\0';
	char *cp = line;
	while (isspace((unsigned char)*cp))
		cp++;
	if (*cp == '\0')
		return;
	if (strncmp(cp, "include", 7) == 0 && isblank((unsigned char)cp[7])) {
		cp += 8;
		char *word;
		while ((word = strsep(&cp, " \t")) != NULL)
			if (*word)
				include(r, file, word, depth);
	} else if (strncasecmp(cp, "hwcap", 5) == 0 && isblank((unsigned char)cp[5])) {
		/* Ignored since glibc 2.32 ("hwcap directive ignored"). */
	} else {
		add_dir(r, cp);
	}
}

/* Reads one configuration file. Only the top-level file (err non-NULL)
 * reports errors: ldconfig warns about an included file it cannot open and
 * goes on without it, which is what its cache then reflects. */
static int read_file(struct reader *r, const char *path, unsigned depth, struct cr_err *err)
{
	struct fsroot_stat st;
	int e;
	if (fsroot_stat(r->root, path, &st, &e) < 0) {
		if (e == ENOENT || !err)
			return 0;
		return cr_fail(err, "%s: %s", path, strerror(e));
	}
	/* Each file once, by identity, so that include loops end. */
	if (id_in(r->files, r->nfiles, &st))
		return 0;
	struct file_id id = { st.dev, st.ino };
	XPUSH(r->files, r->nfiles, r->files_cap, id);

	struct fsroot_blob blob;
	if (fsroot_read(r->root, path, &blob, &e) < 0) {
		if (!err)
			return 0;
		return cr_fail(err, "%s: %s", path, strerror(e));
	}
	const char *p = (const char *)blob.data;
	const char *end = p + blob.size;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		/* A copy, NUL-terminated: like getline's buffer, a NUL byte
		 * inside a line ends it for every string function below. */
		char *line = xstrndup(p, len);
		parse_line(r, path, line, depth);
		free(line);
		p += len + (nl != NULL);
	}
	fsroot_release(r->root, &blob);
	return 0;
}

int ldconf_read(struct fsroot *root, const char *path, struct ldconf *conf, struct cr_err *err)
{
	memset(conf, 0, sizeof *conf);
	struct reader r = { .root = root, .conf = conf };
	struct cr_err local;
	int rc = read_file(&r, path, 0, err ? err : &local);
	free(r.dir_ids);
	free(r.files);
	if (rc < 0)
		ldconf_free(conf);
	return rc;
}

void ldconf_free(struct ldconf *conf)
{
	if (!conf)
		return;
	for (size_t i = 0; i < conf->ndirs; i++)
		free(conf->dirs[i]);
	free(conf->dirs);
	conf->dirs = NULL;
	conf->ndirs = 0;
}
