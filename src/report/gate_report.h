/* The failures of check's release gate (check/gate.h): one line each for
 * CI logs, and the "gate" object of check --json (docs/json.md). */
#ifndef CANRUN_GATE_REPORT_H
#define CANRUN_GATE_REPORT_H

#include <jansson.h>
#include <stdio.h>

#include "check/gate.h"

/* Why a file fails the gate on a target. */
enum gate_reason { GATE_UNREADABLE, GATE_FAILS, GATE_UNMET, GATE_DENIED };

struct gate_failure {
	enum gate_reason reason;
	char *path, *target; /* target NULL for an unreadable file */
	char *id;            /* the finding id, "require-NAME", or NULL (unreadable) */
	char *kind;          /* the --deny kind, or the --require name; NULL otherwise */
	char *message;
};

struct gate_failures {
	struct gate_failure *items;
	size_t count, cap;
};

void gate_failure_add(struct gate_failures *g, enum gate_reason reason, const char *path, const char *target,
		      const char *id, const char *kind, const char *message);
/* "canrun: gate: FILE on TARGET: REASON" for each, then one closing line:
 * "canrun: gate: passed (N files on M targets)" or "canrun: gate: failed: ...". */
void gate_print(FILE *out, const struct gate_failures *g, size_t nfiles, size_t ntargets);
/* {"passed", "require", "deny", "failures": [{"path", "target", "reason", "id", "kind", "message"}]} */
json_t *gate_to_json(const struct gate_policy *p, const struct gate_failures *g);
void gate_failures_free(struct gate_failures *g);

#endif
