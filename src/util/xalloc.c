#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void out_of_memory(size_t size)
{
	fprintf(stderr, "canrun: out of memory (%zu bytes)\n", size);
	exit(70);
}

void *xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);
	if (!p)
		out_of_memory(size);
	return p;
}

void *xcalloc(size_t count, size_t size)
{
	void *p = calloc(count ? count : 1, size ? size : 1);
	if (!p)
		out_of_memory(count * size);
	return p;
}

void *xrealloc(void *ptr, size_t size)
{
	void *p = realloc(ptr, size ? size : 1);
	if (!p)
		out_of_memory(size);
	return p;
}

void xgrow(void **ptr, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return;
	size_t new_cap = *cap ? *cap : 8;
	while (new_cap < need) {
		if (new_cap > (size_t)-1 / 2)
			out_of_memory(need);
		new_cap *= 2;
	}
	if (new_cap > (size_t)-1 / size)
		out_of_memory(new_cap);
	*ptr = xrealloc(*ptr, new_cap * size);
	*cap = new_cap;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

FILE *xmemstream(char **buf, size_t *len)
{
	FILE *f = open_memstream(buf, len);
	if (!f)
		out_of_memory(0);
	return f;
}
