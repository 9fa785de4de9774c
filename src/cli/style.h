/* How human text is decorated: colour only on a terminal, never when
 * NO_COLOR is set (https://no-color.org) or --color=never is given. */
#ifndef CANRUN_STYLE_H
#define CANRUN_STYLE_H

#include <stdbool.h>
#include <stdio.h>

struct style {
	bool color;
};

/* when: "auto" (or NULL), "always" or "never"; returns -1 on a bad value. */
int style_init(struct style *st, const char *when, FILE *out);

const char *style_bold(const struct style *st);
const char *style_dim(const struct style *st);
const char *style_red(const struct style *st);
const char *style_yellow(const struct style *st);
const char *style_green(const struct style *st);
const char *style_reset(const struct style *st);

/* Prints a string taken from a file: control bytes (a terminal escape
 * hidden in a library name, say) come out as \xNN instead of acting. */
void put_untrusted(FILE *out, const char *s);

#endif
