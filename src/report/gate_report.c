#include "report/gate_report.h"

#include <stdlib.h>

#include "cli/style.h"
#include "harden/harden.h"
#include "util/json.h"
#include "util/xalloc.h"

static const char *const reason_names[] = { "unreadable", "fails", "unmet", "denied" };

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

void gate_failure_add(struct gate_failures *g, enum gate_reason reason, const char *path, const char *target,
		      const char *id, const char *kind, const char *message)
{
	struct gate_failure f = { reason, xstrdup(path), dup_or_null(target), dup_or_null(id), dup_or_null(kind),
				  xstrdup(message) };
	XPUSH(g->items, g->count, g->cap, f);
}

void gate_print(FILE *out, const struct gate_failures *g, size_t nfiles, size_t ntargets)
{
	size_t counts[4] = { 0 };
	for (size_t i = 0; i < g->count; i++) {
		const struct gate_failure *f = &g->items[i];
		counts[f->reason]++;
		fputs("canrun: gate: ", out);
		put_untrusted(out, f->path);
		if (f->target)
			fprintf(out, " on %s", f->target);
		fputs(": ", out);
		switch (f->reason) {
		case GATE_UNREADABLE: fputs("unreadable: ", out); break;
		case GATE_FAILS: fputs("fails: ", out); break;
		case GATE_UNMET: break; /* the message starts "--require NAME:" */
		case GATE_DENIED: fprintf(out, "--deny %s: ", f->kind); break;
		}
		put_untrusted(out, f->message);
		if (f->id && f->reason != GATE_UNMET)
			fprintf(out, " [%s]", f->id);
		fputc('\n', out);
	}
	if (!g->count) {
		fprintf(out, "canrun: gate: passed (%zu file%s on %zu target%s)\n", nfiles, nfiles == 1 ? "" : "s",
			ntargets, ntargets == 1 ? "" : "s");
		return;
	}
	fprintf(out, "canrun: gate: failed:");
	const char *sep = " ";
	for (int r = 0; r < 4; r++) {
		if (counts[r]) {
			fprintf(out, "%s%zu %s", sep, counts[r], reason_names[r]);
			sep = ", ";
		}
	}
	fputc('\n', out);
}

json_t *gate_to_json(const struct gate_policy *p, const struct gate_failures *g)
{
	json_t *require = json_array(), *deny = json_array(), *failures = json_array();
	if (p->runs)
		json_array_append_new(require, json_string("runs"));
	for (unsigned bit = 1; harden_require_name(bit); bit <<= 1)
		if (p->require & bit)
			json_array_append_new(require, json_string(harden_require_name(bit)));
	for (unsigned i = 0; gate_deny_name(i); i++)
		if (p->deny & (1u << i))
			json_array_append_new(deny, json_string(gate_deny_name(i)));
	for (size_t i = 0; i < g->count; i++) {
		const struct gate_failure *f = &g->items[i];
		json_array_append_new(failures, json_pack("{s:o, s:o, s:s, s:o, s:o, s:o}", "path", json_text(f->path),
			"target", json_text(f->target), "reason", reason_names[f->reason], "id", json_text(f->id),
			"kind", json_text(f->kind), "message", json_text(f->message)));
	}
	return json_pack("{s:b, s:o, s:o, s:o}", "passed", g->count == 0, "require", require, "deny", deny,
			 "failures", failures);
}

void gate_failures_free(struct gate_failures *g)
{
	for (size_t i = 0; i < g->count; i++) {
		struct gate_failure *f = &g->items[i];
		free(f->path);
		free(f->target);
		free(f->id);
		free(f->kind);
		free(f->message);
	}
	free(g->items);
	g->items = NULL;
	g->count = g->cap = 0;
}
