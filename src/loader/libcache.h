/* Parsed ELF files of one run, keyed by the file's identity (device and
 * inode inside its root), so that a library needed by many binaries is read
 * and parsed once however it is reached. */
#ifndef CANRUN_LIBCACHE_H
#define CANRUN_LIBCACHE_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "elf/elf.h"
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
};

struct libcache {
	struct lib_entry **entries; /* in the order they were added */
	size_t nentries, cap;
	size_t *slots;  /* open addressing over (root, dev, ino): entry index + 1 */
	size_t nslots;
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
void libcache_free(struct libcache *cache);

#endif
