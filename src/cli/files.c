#include "cli/files.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/exit_codes.h"
#include "scan/pool.h"
#include "util/json.h"
#include "util/xalloc.h"

struct emit_state {
	const struct file_run *run;
	size_t emitted;
	int status;
	bool output_failed;
};

struct job {
	const char *path;
	struct file_answer answer;
};

static void *process(void *job, void *ctx)
{
	struct job *j = job;
	const struct emit_state *e = ctx;
	e->run->job(j->path, e->run->ctx, &j->answer);
	return j;
}

/* One element of the "files" array, laid out as a whole-document dump with
 * JSON_INDENT(2) would lay it out at that depth. */
static int print_element(json_t *element, bool first)
{
	char *text = json_write_indented(element, 2);
	if (!text)
		return -1;
	int rc = fputs(first ? "\n    " : ",\n    ", stdout) < 0 || fputs(text, stdout) < 0 ? -1 : 0;
	free(text);
	return rc;
}

static void emit(void *job, void *result, void *ctx)
{
	(void)result;
	struct job *j = job;
	struct emit_state *e = ctx;
	struct file_answer *a = &j->answer;
	if (a->error) {
		fprintf(stderr, "canrun: %s: %s\n", j->path, a->error);
		e->status = EXIT_UNREADABLE;
		if (e->run->json && !a->json)
			a->json = json_pack("{s:o, s:o}", "path", json_text(j->path), "error", json_text(a->error));
	} else if (a->status && e->status == EXIT_OK) {
		e->status = a->status;
	}
	if (e->run->json && a->json) {
		if (print_element(a->json, e->emitted == 0) < 0)
			e->output_failed = true;
		e->emitted++;
	} else if (!e->run->json && a->text) {
		if ((e->run->blank_between && e->emitted > 0 && fputc('\n', stdout) == EOF) || fputs(a->text, stdout) < 0)
			e->output_failed = true;
		e->emitted++;
	}
	json_decref(a->json);
	free(a->text);
	free(a->error);
	free(j);
}

int cli_run_files(const struct file_run *run, char *const *paths, size_t npaths)
{
	struct emit_state e = { run, 0, EXIT_OK, false };
	if (run->json && fputs("{\n  \"files\": [", stdout) < 0)
		e.output_failed = true;
	/* One file needs no threads; more share the CPUs, in order. */
	struct pool *pool = npaths > 1 ? pool_start(&(struct pool_ops){ process, emit, &e }, pool_cpus(), 64) : NULL;
	for (size_t i = 0; i < npaths; i++) {
		struct job *j = xcalloc(1, sizeof *j);
		j->path = paths[i];
		if (pool) {
			pool_put(pool, j);
		} else {
			process(j, &e);
			emit(j, j, &e);
		}
	}
	if (pool)
		pool_finish(pool);
	if (run->json && fputs(e.emitted ? "\n  ]\n}\n" : "]\n}\n", stdout) < 0)
		e.output_failed = true;
	if (fflush(stdout) == EOF)
		e.output_failed = true;
	return e.output_failed ? EXIT_OUTPUT : e.status;
}
