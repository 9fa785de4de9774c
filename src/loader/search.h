/* Finding one needed library the way each loader searches. */
#ifndef CANRUN_SEARCH_H
#define CANRUN_SEARCH_H

#include "loader/resolve.h"

struct search_ctx {
	struct resolution *res;
	struct fsroot *root;
	struct libcache *cache;
	const struct resolve_opts *opts;
};

/* Looks for lib->name on behalf of object `requester`. Fills lib->path,
 * via, hwcaps and tried. Returns the parsed file, or NULL when not found;
 * *fatal gets the loader's error text (without "argv0: ") when it would stop
 * at once on a bad candidate, and NULL otherwise. */
struct lib_entry *search_glibc(struct search_ctx *ctx, size_t requester, struct dep_library *lib,
			       char **fatal, bool *other_class);
struct lib_entry *search_musl(struct search_ctx *ctx, size_t requester, struct dep_library *lib,
			      char **fatal);

/* glibc's test of a candidate file's header (elf/dl-load.c open_verify). */
enum verify_result { VERIFY_OK, VERIFY_OTHER_CLASS, VERIFY_OTHER_MACHINE, VERIFY_FATAL };
enum verify_result glibc_verify(const struct fsroot_blob *blob, const struct ldso_info *ldso,
				const char **message);

#endif
