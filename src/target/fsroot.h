/* A target's file system, seen from inside: a directory used as a root, or
 * a container image's merged layers kept in memory. Every path is resolved
 * the way the kernel would resolve it after chroot(ROOT): absolute symlinks
 * restart at the root, ".." stops at the root, more than 40 links is ELOOP.
 * No file outside the root is ever opened. */
#ifndef CANRUN_FSROOT_H
#define CANRUN_FSROOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "util/err.h"

struct fsroot;

struct fsroot_stat {
	mode_t mode;     /* type and permission bits, as st_mode */
	uint64_t size;
	uint64_t dev, ino; /* identity: the same file reached by two paths */
};

/* A file's bytes, valid until fsroot_release(). */
struct fsroot_blob {
	const unsigned char *data;
	size_t size;
	void *priv_; /* backend's handle */
	size_t priv_size_;
};

/* Opens DIR as a root. "/" is this host's own file system. */
struct fsroot *fsroot_open_dir(const char *dir, struct cr_err *err);

/* A tree kept in memory, built entry by entry and layer by layer from a
 * container image's layers (target/image.c), then opened as a root.
 *
 * PATH arguments are relative to the tree's root and already normalized: no
 * leading slash, no empty, "." or ".." components ("" is the root itself).
 * Their directories are resolved like any path inside the root, through
 * symlinks, as image unpackers do: with lib -> usr/lib, a layer's "lib/x"
 * lands in "usr/lib/x". Missing directories are created (mode 0755). Each
 * call returns 0 or an errno value; nothing outside the tree is touched. */
struct fsroot_tree;

struct fsroot_tree *fsroot_tree_new(void);
void fsroot_tree_free(struct fsroot_tree *tree);
/* Entries written from now on belong to the next layer. */
void fsroot_tree_next_layer(struct fsroot_tree *tree);
/* Creates PATH with MODE (type and permissions), replacing what was there,
 * except that a directory over a directory keeps its entries. A regular
 * file takes DATA over (malloc'd, SIZE bytes; freed here on failure too), a
 * symlink points to TARGET; other types have no content. */
int fsroot_tree_put(struct fsroot_tree *tree, const char *path, mode_t mode, void *data, size_t size,
		    const char *target);
/* A regular file of SIZE bytes kept sparse, as a saved profile stores it:
 * zero but for the EXTENTS (sorted, disjoint, inside SIZE; taken over),
 * whose bytes follow one another in KEPT (malloc'd, taken over). Each read
 * gives the whole file, built afresh and freed on release. */
struct stub_extents;
int fsroot_tree_put_sparse(struct fsroot_tree *tree, const char *path, mode_t mode, uint64_t size,
			   struct stub_extents *extents, void *kept);
/* PATH as another name of the non-directory EXISTING (not followed when it
 * is a symlink): one node, one inode, one content. */
int fsroot_tree_link(struct fsroot_tree *tree, const char *path, const char *existing);
/* A whiteout: removes PATH and everything below it, unless the current
 * layer wrote it. Nothing there is not an error. */
int fsroot_tree_remove(struct fsroot_tree *tree, const char *path);
/* An opaque directory: removes from DIR every entry the current layer did
 * not write, at any depth. */
int fsroot_tree_opaque(struct fsroot_tree *tree, const char *dir);
/* Opens the finished tree as a root, taking it over; DESC names it in
 * messages. */
struct fsroot *fsroot_open_tree(struct fsroot_tree *tree, const char *desc);
void fsroot_close(struct fsroot *root);

/* The root's directory on the host, for messages ("/" for the host), or
 * what fsroot_open_tree() was given. */
const char *fsroot_describe(const struct fsroot *root);

/* Resolves PATH inside the root (absolute, or relative to the root's "/")
 * through every symlink, into a canonical absolute path inside the root
 * ("/usr/lib/x86_64-linux-gnu/libc.so.6") written to out. Returns 0, or -1
 * with *error set to an errno value: ENOENT, ENOTDIR, ELOOP, EACCES,
 * ENAMETOOLONG. The last component need not be a directory. */
int fsroot_realpath(struct fsroot *root, const char *path, char *out, size_t outlen, int *error);

/* stat(2) of PATH inside the root, following symlinks as above. */
int fsroot_stat(struct fsroot *root, const char *path, struct fsroot_stat *st, int *error);

/* The same, but a final symlink is described itself, like lstat(2). */
int fsroot_lstat(struct fsroot *root, const char *path, struct fsroot_stat *st, int *error);

/* The target of the symlink PATH itself (not followed), like readlink(2). */
int fsroot_readlink(struct fsroot *root, const char *path, char *out, size_t outlen, int *error);

/* Reads a regular file (following symlinks); directories and special files
 * fail with EISDIR / EINVAL. */
int fsroot_read(struct fsroot *root, const char *path, struct fsroot_blob *blob, int *error);
void fsroot_release(struct fsroot *root, struct fsroot_blob *blob);

/* Calls fn for each entry name of directory PATH (not "." or ".."), in
 * strcmp order; stops early when fn returns non-zero and returns that. */
int fsroot_list_dir(struct fsroot *root, const char *path,
		    int (*fn)(const char *name, void *ctx), void *ctx, int *error);

#endif
