/* All checks of one binary on one target, in the order they matter: the
 * platform first (a binary for another machine need not be resolved), then
 * the loader inside the root, then the Go runtime's own start, then the
 * files it reads once running. */
#include <stdlib.h>
#include <string.h>

#include "check/checks.h"
#include "check/loader_check.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

void check_binary(const struct check_input *in, struct provides *p, struct libcache *cache,
		  struct lib_entry *program, const char *at, struct check_result *out)
{
	memset(out, 0, sizeof *out);
	struct check_input here = *in;
	here.at = at;
	int platform_status = 0;
	check_platform(&here, p, &out->findings, &platform_status);
	if (p->root && findings_worst(&out->findings) < SEV_FAIL)
		check_loader(&here, p, cache, program, at, &out->findings, &out->loader_error, &out->exit_status);
	bool trap = check_go_start(&here, &out->findings);
	/* What stops it first gives the status: execve, the loader, then the Go
	 * runtime's CPU check, which runs before the TLS check that traps. */
	if (!out->exit_status)
		out->exit_status = platform_status;
	if (trap && !out->exit_status)
		out->exit_status = GO_START_TRAP_EXIT_STATUS;
	check_runtime_files(&here, p, &out->findings);
}

void check_result_free(struct check_result *r)
{
	findings_free(&r->findings);
	free(r->loader_error);
	memset(r, 0, sizeof *r);
}

char *check_default_at(const struct provides *p, const char *file_real)
{
	if (p->kind == TARGET_HOST)
		return xstrdup(file_real);
	const char *base = strrchr(file_real, '/');
	return path_join("/app", base ? base + 1 : file_real);
}
