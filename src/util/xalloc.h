/* Allocation that cannot fail silently: on exhaustion canrun prints one line
 * and exits, since no command can give a useful answer without memory. */
#ifndef CANRUN_XALLOC_H
#define CANRUN_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *ptr, size_t size);
/* Grows *ptr (of *cap elements of `size` bytes) so that it holds `need`. */
void xgrow(void **ptr, size_t *cap, size_t need, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* open_memstream that cannot fail silently, for text made off the main thread. */
#include <stdio.h>
FILE *xmemstream(char **buf, size_t *len);

/* Appends one element to a growable array: XPUSH(arr, count, cap, value). */
#define XPUSH(arr, count, cap, value)                                          \
	do {                                                                   \
		void *xpush_tmp_ = (arr);                                      \
		xgrow(&xpush_tmp_, &(cap), (count) + 1, sizeof *(arr));        \
		(arr) = xpush_tmp_;                                            \
		(arr)[(count)++] = (value);                                    \
	} while (0)

#endif
