#include "model/findings.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

void findings_add(struct findings *f, const char *id, enum severity sev, const char *evidence,
		  const char *fix, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	struct finding item = { id, sev, xstrdup(buf), evidence ? xstrdup(evidence) : NULL,
				fix ? xstrdup(fix) : NULL };
	XPUSH(f->items, f->count, f->cap, item);
}

enum severity findings_worst(const struct findings *f)
{
	enum severity worst = SEV_OK;
	for (size_t i = 0; i < f->count; i++)
		if (f->items[i].severity > worst)
			worst = f->items[i].severity;
	return worst;
}

void findings_free(struct findings *f)
{
	for (size_t i = 0; i < f->count; i++) {
		free(f->items[i].message);
		free(f->items[i].evidence);
		free(f->items[i].fix);
	}
	free(f->items);
	memset(f, 0, sizeof *f);
}

const char *severity_name(enum severity sev)
{
	static const char *const names[] = { "ok", "unknown", "warn", "fail" };
	return names[sev];
}

const char *verdict_name(enum severity worst)
{
	static const char *const names[] = { "runs", "unknown", "warns", "fails" };
	return names[worst];
}
