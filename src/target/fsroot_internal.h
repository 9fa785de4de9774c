/* What the directory and memory backends of fsroot share with the
 * resolver; not for use outside src/target/fsroot*.c. */
#ifndef CANRUN_FSROOT_INTERNAL_H
#define CANRUN_FSROOT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "target/fsroot.h"

/* Every operation takes a path relative to the root with no symlink in its
 * directories ("" is the root itself) and returns 0 or an errno value. */
struct fsroot_ops {
	int (*lstat)(struct fsroot *root, const char *rel, struct fsroot_stat *st);
	/* The link's target, NUL-terminated; ENAMETOOLONG when it does not fit. */
	int (*readlink)(struct fsroot *root, const char *rel, char *buf, size_t size);
	/* Only called for regular files. */
	int (*read)(struct fsroot *root, const char *rel, struct fsroot_blob *blob);
	void (*release)(struct fsroot *root, struct fsroot_blob *blob);
	/* Entry names (not "." or "..") in any order, each and the array malloc'd. */
	int (*list)(struct fsroot *root, const char *rel, char ***names, size_t *count);
	void (*close)(struct fsroot *root);
};

struct fsroot {
	const struct fsroot_ops *ops;
	char *desc;
	/* Directory backend. */
	int dirfd;
	bool no_openat2; /* the kernel said ENOSYS once; don't ask again */
	/* Memory backend. */
	struct fsroot_tree *tree;
};

/* Resolves PATH inside the root into `rel` (relative, no symlinks in it);
 * follow: also follow a final symlink. Returns 0 or an errno value. */
int fsroot_resolve_rel(struct fsroot *root, const char *path, bool follow, char *rel, struct fsroot_stat *st);

#endif
