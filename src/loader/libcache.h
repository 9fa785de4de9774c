/* Parsed ELF files of one run, keyed by the file's identity (device and
 * inode inside its root), so that a library needed by many binaries is read
 * and parsed once however it is reached. */
#ifndef CANRUN_LIBCACHE_H
#define CANRUN_LIBCACHE_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "elf/elf.h"
#include "loader/ldso.h"
#include "model/needs.h"
#include "target/fsroot.h"

struct lib_entry {
	uint64_t dev, ino;
	struct fsroot_blob blob;
	struct fsroot *root;
	int parse_ok;          /* 1 parsed, 0 parse failed (err holds why) */
	struct cr_err err;
	struct elf_file elf;
	struct needs needs;
	struct symbol_index *symbols; /* built on first lookup, or at once when shared */
	/* Binding memo: the last time every symbol reference of this object
	 * bound under `bound_rules`, these objects held the definitions. Where
	 * all of them are loaded again, it binds again, whatever else is loaded
	 * (a definition is found or not by membership, never by order). */
	/* When this file is a loader: its facts (ld.so.cache, default dirs),
	 * read once per run for the PT_INTERP text they were read for. */
	struct ldso_info *ldso;
	bool bound_clean;
	int bound_rules;
	struct lib_entry **bound_by;
	size_t nbound_by;
};

/* A path already asked for: the file it reached (or why not), and its
 * real path once someone asked. The tree does not change during a run. */
struct libcache_path {
	const struct fsroot *root;
	char *path;
	bool looked_up;          /* entry and error are known */
	struct lib_entry *entry; /* NULL: error holds the errno */
	int error;
	char *real;              /* NULL until libcache_realpath */
};

struct libcache {
	struct lib_entry **entries; /* in the order they were added */
	size_t nentries, cap;
	size_t *slots;  /* open addressing over (root, dev, ino): entry index + 1 */
	size_t nslots;
	/* Each (root, path) asked for, so that a library met by hundreds of
	 * programs, or a search directory that lacks it, costs one walk of the
	 * path inside the root. */
	struct libcache_path *paths;
	size_t npaths;
	size_t *path_slots; /* open addressing: paths index + 1 */
	size_t npath_slots;
	/* Set by callers that share the cache between threads (scan): lookups
	 * are then serialized, and entries are complete (symbol index built)
	 * before anyone sees them, so readers never write to them. NULL for
	 * single-threaded use. */
	pthread_mutex_t *lock;
};

/* The parsed file at PATH inside root, or NULL with *error (an errno) when it
 * cannot be opened or read. A file that is not valid ELF still gets an entry
 * with parse_ok = 0. */
struct lib_entry *libcache_get(struct libcache *cache, struct fsroot *root, const char *path, int *error);
/* A program to resolve, read outside the cache, so that a run over many
 * programs keeps only their libraries. 0, or -1 with *error (an errno);
 * e->parse_ok tells whether it is valid ELF (e->err why not). Free it with
 * libcache_program_free. */
int libcache_read_program(struct fsroot *root, const char *path, struct lib_entry *e, int *error);
void libcache_program_free(struct lib_entry *e);

/* Whether two entries are the same file (the same entry, or a program read
 * apart from the cache and a cached library of the same identity). */
bool libcache_same_file(const struct lib_entry *a, const struct lib_entry *b);

/* fsroot_realpath of PATH, remembered; 0, or -1 with *error. */
int libcache_realpath(struct libcache *cache, struct fsroot *root, const char *path, char *out, size_t outlen,
		      int *error);

/* The binding memo of `e` (see struct lib_entry), read and written under
 * the cache's lock when it is shared. `known` is true when the memo holds
 * for these loaded objects; `record` stores the definers of a clean bind. */
bool libcache_bind_known(struct libcache *cache, const struct lib_entry *e, int rules,
			 struct lib_entry *const *loaded, size_t nloaded);
void libcache_bind_record(struct libcache *cache, struct lib_entry *e, int rules,
			  struct lib_entry *const *definers, size_t ndefiners);

/* The loader facts of `ldso` (a loader's entry) as ldso_info_load reads
 * them for `interp`, read once and shared: the copy in *info borrows every
 * pointer and must not be freed. */
void libcache_ldso_info(struct libcache *cache, struct fsroot *root, struct lib_entry *ldso, const char *interp,
			const char *interp_real, struct ldso_info *info);

void libcache_free(struct libcache *cache);

#endif
