/* What a Go program's build and linked packages mean where it will run:
 * whether cgo is really used, which DNS resolver and user lookup it has,
 * whether it needs CA certificates and zoneinfo from the system, its
 * minimum kernel and CPU level, and the rebuild that makes it portable. */
#ifndef CANRUN_GO_ANALYSIS_H
#define CANRUN_GO_ANALYSIS_H

#include <stdbool.h>
#include <stddef.h>

#include "elf/elf.h"
#include "go/buildinfo.h"
#include "go/modinfo.h"
#include "go/pclntab.h"
#include "go/start_trap.h"
#include "model/needs.h"

enum go_mode { GO_MODE_ABSENT, GO_MODE_GO, GO_MODE_CGO }; /* absent: package not linked */

struct go_analysis {
	bool is_go;             /* build info, a Go build ID or a function table was found */
	bool upx;               /* packed with UPX: nothing else can be read */
	struct go_modinfo mod;
	const char *table_layout; /* the function table's layout, NULL without one */
	bool have_functab;        /* its function names were read (functab) */
	struct go_functab functab;

	bool cgo;               /* runtime/cgo is linked and the C side is really there */
	bool runtime_cgo;       /* runtime/cgo itself is in the function table */
	struct go_start_trap start_trap; /* killed by SIGTRAP at start (go/start_trap.h) */
	enum go_mode resolver;  /* net's DNS resolver */
	enum go_mode user_lookup;
	bool tzdata_embedded;
	bool x509;              /* crypto/x509 linked: a CA bundle matters */
	bool plugin, race;
	const char *min_kernel; /* "2.6.32", "3.2" */
	char **cgo_packages;    /* non-standard packages with C code (_Cfunc_ names) */
	size_t ncgo_packages, cgo_packages_cap;
	char *rebuild;          /* the command that fixes it, or NULL */
	char *rebuild_why;
};

/* Reads everything Go-specific from a parsed file. The function names
 * (a program's largest table) are read only where the answers need them:
 * for a program with cgo code, without build info, with the go1.2 layout,
 * or when GO_ANALYZE_PACKAGES asks for the linked-package list. Otherwise
 * the table's file list answers, with the same result. */
enum { GO_ANALYZE_PACKAGES = 1 };
void go_analyze(const struct elf_file *ef, const struct needs *n, unsigned flags, struct go_analysis *ga);
void go_analysis_free(struct go_analysis *ga);

const char *go_mode_name(enum go_mode mode); /* NULL, "go", "cgo" */

/* Packed with UPX (any ELF file, Go or not): the packed program's own
 * headers, symbols and notes are not readable until it runs. */
bool upx_packed(const struct elf_file *ef);

#endif
