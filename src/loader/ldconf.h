/* ld.so.conf as ldconfig reads it (elf/ldconfig.c): comments, "include"
 * globs relative to the including file, ignored "hwcap" lines, trailing
 * slashes stripped, missing directories skipped. The real loader never
 * reads this file; canrun uses it only to explain a library that ldconfig
 * would have put in the cache ("run ldconfig"). */
#ifndef CANRUN_LDCONF_H
#define CANRUN_LDCONF_H

#include <stddef.h>

#include "target/fsroot.h"

struct ldconf {
	char **dirs; /* in order, without duplicates, as absolute paths inside the root */
	size_t ndirs;
};

/* Reads PATH (normally "/etc/ld.so.conf") inside root, following includes
 * (at most 16 deep, each file once). A missing file gives an empty list.
 * Returns 0; -1 only on a read error other than ENOENT. */
int ldconf_read(struct fsroot *root, const char *path, struct ldconf *conf, struct cr_err *err);
void ldconf_free(struct ldconf *conf);

#endif
