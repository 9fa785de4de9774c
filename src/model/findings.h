/* Findings: what a check concluded about one binary on one target, each
 * with a stable id, a severity, the evidence and the fix. A verdict is the
 * worst severity among them. Reporters print findings; checks make them. */
#ifndef CANRUN_FINDINGS_H
#define CANRUN_FINDINGS_H

#include <stddef.h>

enum severity {
	SEV_OK,      /* a check that passed, kept for --explain */
	SEV_UNKNOWN, /* the target cannot say (a profile knows no files beyond its base) */
	SEV_WARN,    /* it starts, but something it uses at run time is missing */
	SEV_FAIL,    /* it will not start */
};

struct finding {
	const char *id;  /* stable, e.g. "glibc-too-old"; a literal, so it outlives the finding */
	enum severity severity;
	char *message;   /* one line: what is wrong */
	char *evidence;  /* which symbol, which file, which version; may be NULL */
	char *fix;       /* what to do; may be NULL */
};

struct findings {
	struct finding *items;
	size_t count, cap;
};

/* Adds a finding; message, evidence and fix are printf-formatted copies
 * (evidence and fix may be NULL). */
void findings_add(struct findings *f, const char *id, enum severity sev, const char *evidence,
		  const char *fix, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
enum severity findings_worst(const struct findings *f);
void findings_free(struct findings *f);

const char *severity_name(enum severity sev); /* "ok", "unknown", "warn", "fail" */
/* The verdict word for the worst severity: "runs", "unknown", "warns", "fails". */
const char *verdict_name(enum severity worst);

#endif
