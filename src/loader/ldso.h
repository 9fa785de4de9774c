/* What canrun knows of a target's program loader, read from its files:
 * which loader family, glibc's compiled-in default directories and version,
 * the $LIB and $PLATFORM expansions, the ld.so.cache, musl's path file. */
#ifndef CANRUN_LDSO_H
#define CANRUN_LDSO_H

#include <stdbool.h>
#include <stddef.h>

#include "elf/elf.h"
#include "loader/ldcache.h"
#include "target/fsroot.h"

enum loader_family { LOADER_NONE, LOADER_GLIBC, LOADER_MUSL };

struct ldso_info {
	bool owned; /* false in a copy that borrows a shared one's memory */
	enum loader_family family;
	char *interp;      /* PT_INTERP as written */
	char *interp_real; /* canonical path inside the root */
	uint16_t machine;
	uint32_t e_flags; /* the ABI bits the cache flags depend on (armhf, riscv) */
	unsigned bits;
	bool big_endian;

	/* glibc */
	char **system_dirs; /* without trailing '/' */
	size_t nsystem_dirs;
	char glibc_version[16]; /* "2.36", from ld.so's banner; "" unknown */
	char lib_token[64];     /* $LIB */
	const char *platform;   /* $PLATFORM */
	bool has_cache;
	struct ldcache cache;
	char cache_problem[400]; /* why a cache present on disk was not usable */

	/* musl */
	char **musl_path;
	size_t nmusl_path;
	char musl_path_file[96]; /* "/etc/ld-musl-x86_64.path" */
	bool musl_path_file_found;
};

/* "ld-musl-x86_64.so.1" means musl; any other interpreter, glibc. */
enum loader_family ldso_family_of(const char *interp);

/* musl keeps its version as a bare NUL-terminated "X.Y.Z" (__libc_version,
 * src/internal/version.c), away from the "Version %s" its loader prints:
 * the first such string in DATA and its length, or NULL. */
const unsigned char *ldso_musl_version(const unsigned char *data, size_t size, size_t *len);

/* Reads the loader's facts from its file and the root. The ELF of the
 * loader itself is given (already parsed by the caller). */
void ldso_info_load(struct ldso_info *info, struct fsroot *root, const char *interp,
		    const char *interp_real, const struct elf_file *ldso_elf);
void ldso_info_free(struct ldso_info *info);

#endif
