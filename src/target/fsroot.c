/* Path resolution inside a target root, done by canrun itself one component
 * at a time so that it follows the rules of a process chroot()ed to the
 * root, whatever the host is. The resolver is written once over a small
 * table of backend operations (lstat, readlink, read, list) that only ever
 * see paths it has already resolved: a directory on this host, or a tree
 * in memory holding a container image's merged layers. */
#include "target/fsroot.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(SYS_openat2) && __has_include(<linux/openat2.h>)
#include <linux/openat2.h>
#define HAVE_OPENAT2 1
#endif

#include "target/fsroot_internal.h"
#include "util/xalloc.h"

/* Linux's MAXSYMLINKS: the 41st link followed in one lookup is ELOOP. */
enum { max_links = 40 };



/* ---- the directory backend ---------------------------------------------- */

static const char *dir_rel(const char *rel)
{
	return *rel ? rel : ".";
}

static void stat_from_host(const struct stat *hst, struct fsroot_stat *st)
{
	st->mode = hst->st_mode;
	st->size = hst->st_size > 0 ? (uint64_t)hst->st_size : 0;
	st->dev = hst->st_dev;
	st->ino = hst->st_ino;
}

static int dir_lstat(struct fsroot *root, const char *rel, struct fsroot_stat *st)
{
	/* rel's directories were checked not to be links, but the tree may
	 * change under us; a race here can only reveal metadata. Contents are
	 * read only through dir_open(), which cannot leave the root. */
	struct stat hst;
	if (fstatat(root->dirfd, dir_rel(rel), &hst, AT_SYMLINK_NOFOLLOW) < 0)
		return errno;
	stat_from_host(&hst, st);
	return 0;
}

static int dir_readlink(struct fsroot *root, const char *rel, char *buf, size_t size)
{
	if (size == 0)
		return ENAMETOOLONG;
	ssize_t n = readlinkat(root->dirfd, dir_rel(rel), buf, size);
	if (n < 0)
		return errno;
	if ((size_t)n >= size) /* readlink(2) truncates silently */
		return ENAMETOOLONG;
	buf[n] = '\0';
	return 0;
}

/* Opens an already resolved path. openat2's RESOLVE_IN_ROOT makes the
 * kernel keep even a concurrently swapped-in symlink inside the root; the
 * fallback for older kernels still refuses a link as the last component. */
static int dir_open(struct fsroot *root, const char *rel, int flags)
{
	const char *p = dir_rel(rel);
#ifdef HAVE_OPENAT2
	if (!root->no_openat2) {
		struct open_how how;
		memset(&how, 0, sizeof how);
		how.flags = (uint64_t)flags;
		how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
		long fd = syscall(SYS_openat2, root->dirfd, p, &how, sizeof how);
		if (fd >= 0)
			return (int)fd;
		/* Some container seccomp profiles answer EPERM for syscalls
		 * they do not know, so EPERM also gets the fallback, but
		 * only for this call: it can be a genuine answer too. */
		if (errno == ENOSYS)
			root->no_openat2 = true;
		else if (errno != EPERM)
			return -1;
	}
#endif
	return openat(root->dirfd, p, flags);
}

static int dir_read(struct fsroot *root, const char *rel, struct fsroot_blob *blob)
{
	/* O_NONBLOCK: should a FIFO replace the file after it was checked,
	 * opening it must still not wait for a writer. */
	int fd = dir_open(root, rel, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	struct stat hst;
	int e = 0;
	if (fstat(fd, &hst) < 0)
		e = errno;
	else if (S_ISDIR(hst.st_mode))
		e = EISDIR;
	else if (!S_ISREG(hst.st_mode))
		e = EINVAL;
	else if ((uint64_t)hst.st_size > (uint64_t)SIZE_MAX)
		e = EFBIG;
	if (e) {
		close(fd);
		return e;
	}
	size_t size = (size_t)hst.st_size;
	if (size == 0) {
		/* mmap refuses a zero length; an empty file is still a file. */
		close(fd);
		blob->data = (const unsigned char *)"";
		blob->size = 0;
		return 0;
	}
	void *map = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
	e = errno;
	close(fd);
	if (map == MAP_FAILED)
		return e;
	blob->data = map;
	blob->size = size;
	blob->priv_ = map;
	blob->priv_size_ = size;
	return 0;
}

static void dir_release(struct fsroot *root, struct fsroot_blob *blob)
{
	(void)root;
	if (blob->priv_)
		munmap(blob->priv_, blob->priv_size_);
}

static int dir_list(struct fsroot *root, const char *rel, char ***names, size_t *count)
{
	int fd = dir_open(root, rel, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return errno;
	DIR *d = fdopendir(fd);
	if (!d) {
		int e = errno;
		close(fd);
		return e;
	}
	char **list = NULL;
	size_t n = 0, cap = 0;
	int e = 0;
	for (;;) {
		errno = 0;
		struct dirent *de = readdir(d);
		if (!de) {
			e = errno;
			break;
		}
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		char *name = xstrdup(de->d_name);
		XPUSH(list, n, cap, name);
	}
	closedir(d);
	if (e) {
		for (size_t i = 0; i < n; i++)
			free(list[i]);
		free(list);
		return e;
	}
	*names = list;
	*count = n;
	return 0;
}

static void dir_close(struct fsroot *root)
{
	close(root->dirfd);
}

static const struct fsroot_ops dir_ops = {
	.lstat = dir_lstat,
	.readlink = dir_readlink,
	.read = dir_read,
	.release = dir_release,
	.list = dir_list,
	.close = dir_close,
};

struct fsroot *fsroot_open_dir(const char *dir, struct cr_err *err)
{
	/* O_PATH: the root only anchors *at() calls, it need not be readable. */
	int fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		cr_fail(err, "%s", strerror(errno));
		return NULL;
	}
	struct fsroot *root = xcalloc(1, sizeof *root);
	root->ops = &dir_ops;
	root->dirfd = fd;
	size_t len = strlen(dir);
	while (len > 1 && dir[len - 1] == '/')
		len--;
	root->desc = xstrndup(dir, len);
	return root;
}

/* ---- the resolver, common to every backend ------------------------------- */

void fsroot_close(struct fsroot *root)
{
	if (!root)
		return;
	root->ops->close(root);
	free(root->desc);
	free(root);
}

const char *fsroot_describe(const struct fsroot *root)
{
	return root->desc;
}

static int fail(int *error, int e)
{
	if (error)
		*error = e;
	return -1;
}

/* A path being resolved: rel is what is resolved so far, relative to the
 * root without a leading slash ("" for the root) and free of links; todo
 * from pos on is what is left to walk. A link's target is spliced in front
 * of the remainder, so a path that grows past PATH_MAX that way is
 * ENAMETOOLONG, where the kernel, keeping a stack of links, would go on. */
struct walk {
	char todo[PATH_MAX];
	size_t pos;
	char *rel; /* PATH_MAX bytes */
	size_t rlen;
	unsigned links;
};

/* "..": rel has no links in it, so this is the physical parent; at the
 * root it stays at the root. */
static void walk_up(struct walk *w)
{
	while (w->rlen > 0 && w->rel[w->rlen - 1] != '/')
		w->rlen--;
	if (w->rlen > 0)
		w->rlen--;
	w->rel[w->rlen] = '\0';
}

static int walk_down(struct walk *w, const char *name, size_t len)
{
	if (len > NAME_MAX || w->rlen + 1 + len >= PATH_MAX)
		return ENAMETOOLONG;
	if (w->rlen > 0)
		w->rel[w->rlen++] = '/';
	memcpy(w->rel + w->rlen, name, len);
	w->rlen += len;
	w->rel[w->rlen] = '\0';
	return 0;
}

/* Replaces the link rel now ends in (its parent is parent_len long) by its
 * target, ahead of todo[end...]. */
static int walk_link(struct fsroot *root, struct walk *w, size_t parent_len, size_t end)
{
	char target[PATH_MAX];
	if (++w->links > max_links)
		return ELOOP;
	int e = root->ops->readlink(root, w->rel, target, sizeof target);
	if (e)
		return e;
	size_t tlen = strlen(target);
	if (tlen == 0)
		return ENOENT;
	/* An absolute target restarts at the root, a relative one at the
	 * link's directory. */
	w->rlen = target[0] == '/' ? 0 : parent_len;
	w->rel[w->rlen] = '\0';
	size_t rest = strlen(w->todo + end);
	if (tlen + rest + 1 > sizeof w->todo)
		return ENAMETOOLONG;
	memmove(w->todo + tlen, w->todo + end, rest + 1);
	memcpy(w->todo, target, tlen);
	w->pos = 0;
	return 0;
}

/* Resolves PATH into rel (PATH_MAX bytes), as described for struct walk.
 * Every link is followed except the last component's when follow is
 * false (and the path does not end in a slash, which makes the kernel
 * follow it too). On success *st is the lstat of what rel names. Returns
 * 0 or an errno value. */
int fsroot_resolve_rel(struct fsroot *root, const char *path, bool follow, char *rel,
		   struct fsroot_stat *st)
{
	struct walk w = { .rel = rel };
	size_t len = strlen(path);
	if (len == 0)
		return ENOENT; /* as the kernel does for "" */
	if (len >= sizeof w.todo)
		return ENAMETOOLONG;
	memcpy(w.todo, path, len + 1);
	rel[0] = '\0';
	bool have_st = false; /* *st describes rel */
	for (;;) {
		const char *todo = w.todo;
		while (todo[w.pos] == '/')
			w.pos++;
		if (todo[w.pos] == '\0')
			break;
		size_t end = w.pos;
		while (todo[end] && todo[end] != '/')
			end++;
		size_t clen = end - w.pos;
		size_t next = end;
		while (todo[next] == '/')
			next++;
		/* More follows, or a trailing slash. */
		bool must_be_dir = todo[next] != '\0' || next != end;

		if (clen == 1 && todo[w.pos] == '.') {
			w.pos = end;
			continue;
		}
		if (clen == 2 && todo[w.pos] == '.' && todo[w.pos + 1] == '.') {
			walk_up(&w);
			have_st = false;
			w.pos = end;
			continue;
		}
		size_t parent_len = w.rlen;
		int e;
		if ((e = walk_down(&w, todo + w.pos, clen)) != 0)
			return e;
		if ((e = root->ops->lstat(root, rel, st)) != 0)
			return e;
		if (S_ISLNK(st->mode) && (follow || must_be_dir)) {
			if ((e = walk_link(root, &w, parent_len, end)) != 0)
				return e;
			have_st = false;
			continue;
		}
		if (must_be_dir && !S_ISDIR(st->mode))
			return ENOTDIR;
		have_st = true;
		w.pos = end;
	}
	if (!have_st)
		return root->ops->lstat(root, rel, st);
	return 0;
}

int fsroot_realpath(struct fsroot *root, const char *path, char *out, size_t outlen, int *error)
{
	char rel[PATH_MAX];
	struct fsroot_stat st;
	int e = fsroot_resolve_rel(root, path, true, rel, &st);
	if (e)
		return fail(error, e);
	size_t rlen = strlen(rel);
	if (outlen < rlen + 2)
		return fail(error, ENAMETOOLONG);
	out[0] = '/';
	memcpy(out + 1, rel, rlen + 1);
	return 0;
}

int fsroot_stat(struct fsroot *root, const char *path, struct fsroot_stat *st, int *error)
{
	char rel[PATH_MAX];
	int e = fsroot_resolve_rel(root, path, true, rel, st);
	return e ? fail(error, e) : 0;
}

int fsroot_lstat(struct fsroot *root, const char *path, struct fsroot_stat *st, int *error)
{
	char rel[PATH_MAX];
	int e = fsroot_resolve_rel(root, path, false, rel, st);
	return e ? fail(error, e) : 0;
}

int fsroot_readlink(struct fsroot *root, const char *path, char *out, size_t outlen, int *error)
{
	char rel[PATH_MAX];
	struct fsroot_stat st;
	int e = fsroot_resolve_rel(root, path, false, rel, &st);
	if (!e && !S_ISLNK(st.mode))
		e = EINVAL;
	if (!e)
		e = root->ops->readlink(root, rel, out, outlen);
	return e ? fail(error, e) : 0;
}

int fsroot_read(struct fsroot *root, const char *path, struct fsroot_blob *blob, int *error)
{
	memset(blob, 0, sizeof *blob);
	char rel[PATH_MAX];
	struct fsroot_stat st;
	int e = fsroot_resolve_rel(root, path, true, rel, &st);
	/* Decided before opening, so that a device is never opened. */
	if (!e && S_ISDIR(st.mode))
		e = EISDIR;
	else if (!e && !S_ISREG(st.mode))
		e = EINVAL;
	if (!e)
		e = root->ops->read(root, rel, blob);
	if (e) {
		memset(blob, 0, sizeof *blob);
		return fail(error, e);
	}
	return 0;
}

void fsroot_release(struct fsroot *root, struct fsroot_blob *blob)
{
	if (!blob || !blob->data)
		return;
	root->ops->release(root, blob);
	memset(blob, 0, sizeof *blob);
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int fsroot_list_dir(struct fsroot *root, const char *path,
		    int (*fn)(const char *name, void *ctx), void *ctx, int *error)
{
	char rel[PATH_MAX];
	struct fsroot_stat st;
	int e = fsroot_resolve_rel(root, path, true, rel, &st);
	if (!e && !S_ISDIR(st.mode))
		e = ENOTDIR;
	char **names = NULL;
	size_t n = 0;
	if (!e)
		e = root->ops->list(root, rel, &names, &n);
	if (e)
		return fail(error, e);
	if (n > 1)
		qsort(names, n, sizeof *names, cmp_names);
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		if (rc == 0)
			rc = fn(names[i], ctx);
		free(names[i]);
	}
	free(names);
	return rc;
}
