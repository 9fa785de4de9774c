#include "cli/style.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int style_init(struct style *st, const char *when, FILE *out)
{
	if (!when || strcmp(when, "auto") == 0) {
		const char *no_color = getenv("NO_COLOR");
		const char *term = getenv("TERM");
		st->color = isatty(fileno(out)) && !(no_color && no_color[0]) &&
			    !(term && strcmp(term, "dumb") == 0);
	} else if (strcmp(when, "always") == 0) {
		st->color = true;
	} else if (strcmp(when, "never") == 0) {
		st->color = false;
	} else {
		return -1;
	}
	return 0;
}

static const char *sgr(const struct style *st, const char *code)
{
	return st->color ? code : "";
}

const char *style_bold(const struct style *st) { return sgr(st, "\033[1m"); }
const char *style_dim(const struct style *st) { return sgr(st, "\033[2m"); }
const char *style_red(const struct style *st) { return sgr(st, "\033[31m"); }
const char *style_yellow(const struct style *st) { return sgr(st, "\033[33m"); }
const char *style_green(const struct style *st) { return sgr(st, "\033[32m"); }
const char *style_reset(const struct style *st) { return sgr(st, "\033[0m"); }

void put_untrusted(FILE *out, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x20 || *p == 0x7f)
			fprintf(out, "\\x%02x", *p);
		else
			fputc(*p, out);
	}
}
