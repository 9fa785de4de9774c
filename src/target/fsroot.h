/* A target's file system, seen from inside: a directory used as a root
 * (later also a container image's merged layers). Every path is resolved
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
void fsroot_close(struct fsroot *root);

/* The root's directory on the host, for messages ("/" for the host). */
const char *fsroot_describe(const struct fsroot *root);

/* Resolves PATH inside the root (absolute, or relative to the root's "/")
 * through every symlink, into a canonical absolute path inside the root
 * ("/usr/lib/x86_64-linux-gnu/libc.so.6") written to out. Returns 0, or -1
 * with *error set to an errno value: ENOENT, ENOTDIR, ELOOP, EACCES,
 * ENAMETOOLONG. The last component need not be a directory. */
int fsroot_realpath(struct fsroot *root, const char *path, char *out, size_t outlen, int *error);

/* stat(2) of PATH inside the root, following symlinks as above. */
int fsroot_stat(struct fsroot *root, const char *path, struct fsroot_stat *st, int *error);

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
