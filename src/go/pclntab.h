/* Go's function table (pclntab): the names of every function the linker
 * kept, which tells which packages a Go program really links (dead code is
 * gone), also in stripped binaries. Layouts of Go 1.2 to today. */
#ifndef CANRUN_GO_PCLNTAB_H
#define CANRUN_GO_PCLNTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "elf/elf.h"

struct go_functab {
	uint32_t magic;     /* 0xfffffffb (1.2), 0xfffffffa (1.16), 0xfffffff0 (1.18), 0xfffffff1 (1.20) */
	const char *layout; /* "go1.2", "go1.16", "go1.18", "go1.20" */
	unsigned ptr_size, quantum;
	bool big_endian;
	const char **funcs; /* every function name, in the table's order, pointing into
			     * the file (valid while it is open); a name that two
			     * entries hold apart (Go 1.18's "F[...]") comes twice */
	size_t nfuncs;
	char **packages;    /* import paths of the packages those functions belong to, sorted, unique */
	size_t npackages;
	char **cgo_packages; /* packages outside the standard library with cgo wrappers
			      * ("pkg._Cfunc_name", "pkg._C2func_name"), sorted */
	size_t ncgo_packages;
};

/* Finds the table by section (.gopclntab, .data.rel.ro.gopclntab) or, in
 * binaries without section headers, by its header's magic in the loaded
 * segments: *table is then the bytes from its header to the end of the
 * section or segment, for the readers below. */
bool go_pclntab_find(const struct elf_file *ef, struct byte_view *table);

/* Reads every function name of a table go_pclntab_find gave. Returns false
 * (and an empty table) when it is damaged. */
bool go_functab_read_table(struct byte_view table, struct go_functab *t);
/* Both steps. */
bool go_functab_read(const struct elf_file *ef, struct go_functab *t);
void go_functab_free(struct go_functab *t);

/* What the table's small file list tells without reading one function
 * name (go1.16 layouts and later): a package whose code is linked has its
 * source files there, under GOROOT/src (or bare, under -trimpath), and a
 * package compiled by cgo has "_cgo_gotypes.go". */
enum go_std_package {
	GO_STD_NET, GO_STD_OS_USER, GO_STD_TIME_TZDATA, GO_STD_CRYPTO_X509, GO_STD_RUNTIME_CGO,
	GO_NSTD
};

struct go_filetab {
	const char *layout; /* as go_functab's */
	bool cgo_code;      /* some package's cgo wrappers are linked */
	bool std[GO_NSTD];  /* indexed by enum go_std_package */
};

/* Reads the file list of a table go_pclntab_find gave. False (and all
 * empty) with a go1.2 layout, a damaged file list, or no runtime/proc.go
 * to tell GOROOT by. */
bool go_filetab_read(struct byte_view table, struct go_filetab *f);

bool go_functab_has_func(const struct go_functab *t, const char *name);
bool go_functab_has_package(const struct go_functab *t, const char *import_path);

/* The package of a function name: "net/http.(*Server).Serve" -> "net/http";
 * "type:.eq.main.T" and other linker-made names give NULL. Writes into buf. */
const char *go_func_package(const char *func, char *buf, size_t len);

#endif
