#include "scan/walk.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/strbuf.h"
#include "util/xalloc.h"

/* Deeper trees are hostile or broken; each level holds a descriptor. */
enum { MAX_DEPTH = 200 };

struct names {
	char **items;
	unsigned char *types; /* d_type per item (host walks) */
	size_t count, cap, types_cap;
};

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void names_free(struct names *n)
{
	for (size_t i = 0; i < n->count; i++)
		free(n->items[i]);
	free(n->items);
	free(n->types);
}

/* Sorts names and their types together (types[i] rides at the end of
 * each name, after its NUL, while sorting). */
static void sort_typed(struct names *n)
{
	if (n->count == 0)
		return;
	for (size_t i = 0; i < n->count; i++) {
		size_t len = strlen(n->items[i]);
		n->items[i] = xrealloc(n->items[i], len + 2);
		n->items[i][len + 1] = (char)n->types[i];
	}
	qsort(n->items, n->count, sizeof *n->items, by_name);
	for (size_t i = 0; i < n->count; i++)
		n->types[i] = (unsigned char)n->items[i][strlen(n->items[i]) + 1];
}

struct host_walk {
	const struct walk_ops *ops;
	struct strbuf path; /* the directory being walked, as the user named it */
	size_t root_len;    /* where "rel" starts in path */
	dev_t dev;
};

/* Walks the directory open at fd (taken over) whose path is w->path. */
static int walk_host_dir(struct host_walk *w, int fd, unsigned depth)
{
	DIR *d = fdopendir(fd);
	if (!d) {
		w->ops->error(w->path.s, errno, w->ops->ctx);
		close(fd);
		return 0;
	}
	struct names names = { 0 };
	struct dirent *de;
	errno = 0;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		size_t n = names.count;
		XPUSH(names.types, n, names.types_cap, de->d_type);
		XPUSH(names.items, names.count, names.cap, xstrdup(de->d_name));
	}
	if (errno)
		w->ops->error(w->path.s, errno, w->ops->ctx);
	sort_typed(&names);
	int stop = 0;
	size_t len = w->path.len;
	for (size_t i = 0; i < names.count && !stop; i++) {
		w->path.len = len;
		w->path.s[len] = '\0';
		if (len == 0 || w->path.s[len - 1] != '/')
			sb_appendf(&w->path, "/");
		sb_appendf(&w->path, "%s", names.items[i]);
		/* The type from readdir saves a stat per file; directories
		 * are stat'ed for their device (mount points are not crossed). */
		unsigned char type = names.types[i];
		if (type == DT_REG) {
			const char *rel = w->path.s + w->root_len;
			struct walk_file f = { w->path.s, *rel ? rel : "/", S_IFREG, 0 };
			stop = w->ops->file(&f, w->ops->ctx);
			continue;
		}
		if (type != DT_DIR && type != DT_UNKNOWN)
			continue;
		struct stat st;
		if (fstatat(dirfd(d), names.items[i], &st, AT_SYMLINK_NOFOLLOW) < 0) {
			w->ops->error(w->path.s, errno, w->ops->ctx);
			continue;
		}
		if (S_ISREG(st.st_mode)) {
			const char *rel = w->path.s + w->root_len;
			struct walk_file f = { w->path.s, *rel ? rel : "/", st.st_mode, (uint64_t)st.st_size };
			stop = w->ops->file(&f, w->ops->ctx);
		} else if (S_ISDIR(st.st_mode) && st.st_dev == w->dev) {
			if (depth >= MAX_DEPTH) {
				w->ops->error(w->path.s, ELOOP, w->ops->ctx);
				continue;
			}
			int sub = openat(dirfd(d), names.items[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (sub < 0) {
				w->ops->error(w->path.s, errno, w->ops->ctx);
				continue;
			}
			stop = walk_host_dir(w, sub, depth + 1);
		}
	}
	w->path.len = len;
	w->path.s[len] = '\0';
	names_free(&names);
	closedir(d);
	return stop;
}

int walk_host(const char *dir, const struct walk_ops *ops)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	struct stat st;
	if (fstat(fd, &st) < 0) {
		int e = errno;
		close(fd);
		return e;
	}
	struct host_walk w = { .ops = ops, .dev = st.st_dev };
	sb_appendf(&w.path, "%s", dir);
	/* "dir/" and "dir" name the same tree; keep one slash between parts. */
	while (w.path.len > 1 && w.path.s[w.path.len - 1] == '/')
		w.path.s[--w.path.len] = '\0';
	w.root_len = strcmp(w.path.s, "/") == 0 ? 0 : w.path.len;
	walk_host_dir(&w, fd, 0);
	free(w.path.s);
	return 0;
}

static int collect_name(const char *name, void *ctx)
{
	struct names *n = ctx;
	XPUSH(n->items, n->count, n->cap, xstrdup(name));
	return 0;
}

static int walk_tree_dir(struct fsroot *root, struct strbuf *path, const struct walk_ops *ops, unsigned depth)
{
	struct names names = { 0 };
	int error;
	if (fsroot_list_dir(root, path->len ? path->s : "/", collect_name, &names, &error) < 0) {
		ops->error(path->len ? path->s : "/", error, ops->ctx);
		names_free(&names);
		return 0;
	}
	int stop = 0;
	size_t len = path->len;
	for (size_t i = 0; i < names.count && !stop; i++) {
		path->len = len;
		if (path->s)
			path->s[len] = '\0';
		sb_appendf(path, "/%s", names.items[i]);
		struct fsroot_stat st;
		if (fsroot_lstat(root, path->s, &st, &error) < 0) {
			ops->error(path->s, error, ops->ctx);
			continue;
		}
		if (S_ISREG(st.mode)) {
			struct walk_file f = { path->s, path->s, st.mode, st.size };
			stop = ops->file(&f, ops->ctx);
		} else if (S_ISDIR(st.mode)) {
			if (depth >= MAX_DEPTH) {
				ops->error(path->s, ELOOP, ops->ctx);
				continue;
			}
			stop = walk_tree_dir(root, path, ops, depth + 1);
		}
	}
	path->len = len;
	if (path->s)
		path->s[len] = '\0';
	names_free(&names);
	return stop;
}

int walk_fsroot(struct fsroot *root, const struct walk_ops *ops)
{
	struct strbuf path = { 0 };
	walk_tree_dir(root, &path, ops, 0);
	free(path.s);
	return 0;
}
