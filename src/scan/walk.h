/* Finding the files of a tree to scan: a directory on this host, or a
 * container image's merged tree. Symlinks are never followed (a link to a
 * file is the file's other name, a link to a directory could loop), a host
 * walk stays on the file system it started on (no /proc inside a root), and
 * entries come in strcmp order so every scan of a tree reads the same. */
#ifndef CANRUN_WALK_H
#define CANRUN_WALK_H

#include <stdint.h>
#include <sys/types.h>

#include "target/fsroot.h"

struct walk_file {
	const char *path; /* host path (DIR/...), or the path inside the image */
	const char *rel;  /* the path below the walked directory, starting with "/" */
	mode_t mode;   /* S_IFREG, with the permission bits when known (images) */
	uint64_t size; /* 0 when not known */
};

struct walk_ops {
	/* A regular file. Non-zero stops the walk. */
	int (*file)(const struct walk_file *f, void *ctx);
	/* A directory that could not be read (errno value); the walk goes on. */
	void (*error)(const char *path, int error, void *ctx);
	void *ctx;
};

/* Walks DIR on this host. Returns 0, or an errno value when DIR itself
 * cannot be opened as a directory. */
int walk_host(const char *dir, const struct walk_ops *ops);

/* Walks the whole tree of ROOT (an image's). Returns 0 or an errno value. */
int walk_fsroot(struct fsroot *root, const struct walk_ops *ops);

#endif
