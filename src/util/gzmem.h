/* gzip in memory, through libarchive (already linked for image layers). */
#ifndef CANRUN_GZMEM_H
#define CANRUN_GZMEM_H

#include <stddef.h>

#include "util/err.h"

/* DATA compressed as one gzip member (malloc'd, *out_size set), without a
 * name or time stamp: the same bytes give the same output. */
unsigned char *gz_compress(const unsigned char *data, size_t size, size_t *out_size);

/* Decompresses DATA, which must give exactly EXPECT bytes: more or fewer,
 * or a damaged stream, is NULL with a reason. Never allocates more than
 * EXPECT (+1 to see an overrun). */
unsigned char *gz_decompress(const unsigned char *data, size_t size, size_t expect, struct cr_err *err);

#endif
