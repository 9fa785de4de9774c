/* A growable string for building messages. */
#ifndef CANRUN_STRBUF_H
#define CANRUN_STRBUF_H

#include <stddef.h>

struct strbuf {
	char *s; /* NULL until the first append */
	size_t len, cap;
};

void sb_appendf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Hands over the string (NULL if nothing was appended) and resets sb. */
char *sb_take(struct strbuf *sb);

/* Path helpers over plain strings. */
char *path_join(const char *dir, const char *name);
char *path_dirname(const char *path);

#endif
