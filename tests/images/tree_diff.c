/* canrun-image-tree IMAGE DIR: compares the tree canrun merges from a
 * container image's layers with DIR, the same image unpacked by a real tool
 * (umoci), through canrun's own fsroot interface: every path, its type,
 * permissions, size, symlink target and content, and which paths are hard
 * links of one file. Prints each difference (the first 30) and a summary;
 * exit status 0 when the trees are the same, 1 when not, 2 when one of them
 * cannot be opened. */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "target/fsroot.h"
#include "target/image.h"
#include "util/xalloc.h"

struct names {
	char **items;
	size_t count, cap;
};

static int collect(const char *name, void *ctx)
{
	struct names *n = ctx;
	char *copy = xstrdup(name);
	XPUSH(n->items, n->count, n->cap, copy);
	return 0;
}

struct link_pair {
	uint64_t a, b; /* the image's inode, the directory's */
};

struct diff {
	struct fsroot *img, *dir;
	size_t paths, differences;
	struct link_pair *pairs;
	size_t npairs, pairs_cap;
};

__attribute__((format(printf, 3, 4)))
static void differ(struct diff *d, const char *path, const char *fmt, ...)
{
	if (d->differences++ >= 30)
		return;
	printf("%s: ", path);
	va_list ap;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static void list(struct fsroot *root, const char *path, struct names *n)
{
	int error = 0;
	memset(n, 0, sizeof *n);
	if (fsroot_list_dir(root, path, collect, n, &error) < 0)
		fprintf(stderr, "%s: cannot list: %s\n", path, strerror(error));
}

static void free_names(struct names *n)
{
	for (size_t i = 0; i < n->count; i++)
		free(n->items[i]);
	free(n->items);
}

static void compare(struct diff *d, const char *path);

static void compare_entry(struct diff *d, const char *path)
{
	d->paths++;
	char la[PATH_MAX], lb[PATH_MAX];
	int ea = 0, eb = 0;
	int ra = fsroot_readlink(d->img, path, la, sizeof la, &ea);
	int rb = fsroot_readlink(d->dir, path, lb, sizeof lb, &eb);
	if ((ra == 0) != (rb == 0)) {
		differ(d, path, "a symlink in %s only", ra == 0 ? "the image" : "the directory");
		return;
	}
	if (ra == 0) {
		if (strcmp(la, lb) != 0)
			differ(d, path, "symlink to %s in the image, to %s in the directory", la, lb);
		return;
	}
	struct fsroot_stat sa, sb;
	if (fsroot_stat(d->img, path, &sa, &ea) < 0 || fsroot_stat(d->dir, path, &sb, &eb) < 0) {
		differ(d, path, "cannot stat");
		return;
	}
	if ((sa.mode & S_IFMT) != (sb.mode & S_IFMT)) {
		differ(d, path, "type %o in the image, %o in the directory", (unsigned)(sa.mode & S_IFMT),
		       (unsigned)(sb.mode & S_IFMT));
		return;
	}
	if ((sa.mode & 07777) != (sb.mode & 07777))
		differ(d, path, "mode %04o in the image, %04o in the directory", (unsigned)(sa.mode & 07777),
		       (unsigned)(sb.mode & 07777));
	if (S_ISDIR(sa.mode)) {
		compare(d, path);
		return;
	}
	if (!S_ISREG(sa.mode))
		return;
	struct link_pair p = { sa.ino, sb.ino };
	XPUSH(d->pairs, d->npairs, d->pairs_cap, p);
	struct fsroot_blob ba, bb;
	if (fsroot_read(d->img, path, &ba, &ea) < 0) {
		differ(d, path, "cannot read in the image: %s", strerror(ea));
		return;
	}
	if (fsroot_read(d->dir, path, &bb, &eb) < 0) {
		differ(d, path, "cannot read in the directory: %s", strerror(eb));
		fsroot_release(d->img, &ba);
		return;
	}
	if (ba.size != bb.size)
		differ(d, path, "%zu bytes in the image, %zu in the directory", ba.size, bb.size);
	else if (ba.size && memcmp(ba.data, bb.data, ba.size) != 0)
		differ(d, path, "different content");
	fsroot_release(d->img, &ba);
	fsroot_release(d->dir, &bb);
}

/* Both listings come in strcmp order (fsroot_list_dir's promise): merge them. */
static void compare(struct diff *d, const char *path)
{
	struct names a, b;
	list(d->img, path, &a);
	list(d->dir, path, &b);
	size_t i = 0, k = 0;
	while (i < a.count || k < b.count) {
		int c = i == a.count ? 1 : k == b.count ? -1 : strcmp(a.items[i], b.items[k]);
		const char *name = c <= 0 ? a.items[i] : b.items[k];
		char *child = xmalloc(strlen(path) + strlen(name) + 2);
		sprintf(child, "%s%s%s", path, strcmp(path, "/") == 0 ? "" : "/", name);
		if (c == 0)
			compare_entry(d, child);
		else
			differ(d, child, "in the %s only", c < 0 ? "image" : "directory");
		free(child);
		i += c <= 0;
		k += c >= 0;
	}
	free_names(&a);
	free_names(&b);
}

static int by_a(const void *x, const void *y)
{
	const struct link_pair *p = x, *q = y;
	return p->a < q->a ? -1 : p->a > q->a ? 1 : p->b < q->b ? -1 : p->b > q->b;
}

static int by_b(const void *x, const void *y)
{
	const struct link_pair *p = x, *q = y;
	return p->b < q->b ? -1 : p->b > q->b ? 1 : p->a < q->a ? -1 : p->a > q->a;
}

/* Hard links: one inode in the image must be one inode in the directory,
 * and the other way round. Returns how many multi-name files there are. */
static size_t check_links(struct diff *d)
{
	size_t groups = 0;
	if (d->npairs < 2)
		return 0;
	qsort(d->pairs, d->npairs, sizeof *d->pairs, by_a);
	for (size_t i = 1; i < d->npairs; i++) {
		if (d->pairs[i].a != d->pairs[i - 1].a)
			continue;
		if (i == 1 || d->pairs[i - 2].a != d->pairs[i].a)
			groups++;
		if (d->pairs[i].b != d->pairs[i - 1].b)
			differ(d, "(hard links)", "one file in the image, several in the directory (inode %llu)",
			       (unsigned long long)d->pairs[i].a);
	}
	qsort(d->pairs, d->npairs, sizeof *d->pairs, by_b);
	for (size_t i = 1; i < d->npairs; i++)
		if (d->pairs[i].b == d->pairs[i - 1].b && d->pairs[i].a != d->pairs[i - 1].a)
			differ(d, "(hard links)", "one file in the directory, several in the image (inode %llu)",
			       (unsigned long long)d->pairs[i].b);
	return groups;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: %s IMAGE[@PLATFORM] DIR\n", argv[0]);
		return 2;
	}
	struct cr_err err;
	struct diff d = { 0 };
	d.img = image_open(argv[1], &err, NULL);
	if (!d.img) {
		fprintf(stderr, "%s\n", err.msg);
		return 2;
	}
	d.dir = fsroot_open_dir(argv[2], &err);
	if (!d.dir) {
		fprintf(stderr, "%s: %s\n", argv[2], err.msg);
		fsroot_close(d.img);
		return 2;
	}
	compare(&d, "/");
	size_t groups = check_links(&d);
	printf("%zu paths compared, %zu hard-linked files, %zu differences\n", d.paths, groups, d.differences);
	free(d.pairs);
	fsroot_close(d.img);
	fsroot_close(d.dir);
	return d.differences ? 1 : 0;
}
