/* A Go program that cannot start anywhere, whatever the target provides:
 * the runtime's start-up check traps (go/start_trap.h). */
#include <stdlib.h>

#include "check/checks.h"
#include "util/strbuf.h"

bool check_go_start(const struct check_input *in, struct findings *out)
{
	const struct go_analysis *ga = in->go;
	if (!ga || !ga->is_go || !ga->start_trap.trap)
		return false;
	struct strbuf fix = { 0 };
	if (ga->rebuild)
		sb_appendf(&fix, "%s (Go's own linker: no -linkmode external), or ", ga->rebuild);
	sb_appendf(&fix, "keep the external link and add import _ \"runtime/cgo\" to the main package");
	char *text = sb_take(&fix);
	findings_add(out, "go-external-link-no-runtime-cgo", SEV_FAIL, ga->start_trap.evidence, text,
		     "killed by SIGTRAP at start (a shell reports exit status %d): linked by the system linker "
		     "without runtime/cgo, the Go runtime looks for g in a TLS slot where the linker did not put it",
		     GO_START_TRAP_EXIT_STATUS);
	free(text);
	return true;
}
