/* Turns a trace's failed calls and stderr into findings, cause first. */
#ifndef CANRUN_TRACE_EXPLAIN_H
#define CANRUN_TRACE_EXPLAIN_H

#include <stdbool.h>

#include "model/findings.h"
#include "trace/tracer.h"

struct trace_explained {
	struct findings findings;  /* causes, most severe first */
	bool *used;                /* per failed call: it is evidence for a finding */
	size_t noise;              /* failed calls that explain nothing (optional probes) */
};

/* root: the directory the program ran chrooted in, or NULL for "/". */
void trace_explain(const struct trace_result *r, const char *root, struct trace_explained *out);
void trace_explained_free(struct trace_explained *e);

#endif
