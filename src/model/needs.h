/* A binary's needs: everything about an ELF file that decides where it can
 * run, gathered once from the ELF reader and the Go reader. Commands print
 * needs (inspect) or match them against a target's provides (check). */
#ifndef CANRUN_NEEDS_H
#define CANRUN_NEEDS_H

#include <stdbool.h>
#include <stddef.h>

#include "elf/elf.h"
#include "go/buildinfo.h"

enum binary_kind {
	KIND_STATIC,
	KIND_STATIC_PIE,
	KIND_DYNAMIC_PIE,
	KIND_DYNAMIC_NON_PIE,
	KIND_SHARED_LIBRARY,
	KIND_RELOCATABLE,
	KIND_CORE,
	KIND_UNKNOWN,
};

enum tristate { TRI_NO, TRI_YES, TRI_UNKNOWN };

struct version_need {
	const char *name;
	bool weak;
	const char **symbols; /* undefined dynamic symbols bound to this version */
	size_t nsymbols, symbols_cap;
};

struct file_version_needs {
	const char *file;
	struct version_need *versions;
	size_t nversions;
};

struct needs {
	enum binary_kind kind;
	const char *interpreter;
	const char **needed;
	size_t nneeded;
	const char *soname;
	char **rpath, **runpath; /* split on ':' */
	size_t nrpath, nrunpath;
	bool bind_now, nodeflib;

	struct file_version_needs *version_needs;
	size_t nversion_needs;
	const char **version_defs;
	size_t nversion_defs;

	/* The highest GLIBC_x.y required, and the symbols that require it. */
	char max_glibc[16];
	const char **max_glibc_symbols;
	size_t nmax_glibc_symbols;

	char min_kernel[40];     /* "" when the file has no ABI tag */
	unsigned x86_isa_needed; /* 0 none, 1 baseline .. 4 (x86-64-v4) */
	bool ibt, shstk;
	enum tristate exec_stack;
	const char *build_id; /* hex, "" when absent */
	char *go_build_id;    /* NULL when absent */
	struct go_buildinfo go;
};

void needs_from_elf(const struct elf_file *ef, struct needs *out);
void needs_free(struct needs *n);

const char *binary_kind_name(enum binary_kind kind);   /* JSON: "dynamic-pie" */
const char *binary_kind_phrase(enum binary_kind kind); /* text: "dynamic PIE executable" */

/* Compares dotted version numbers ("2.3.4" < "2.34"); < 0, 0 or > 0. */
int version_compare(const char *a, const char *b);

#endif
