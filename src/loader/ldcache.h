/* glibc's /etc/ld.so.cache, read from a target root without running
 * ldconfig: the old ("ld.so-1.7.0"), new ("glibc-ld.so.cache1.1") and
 * compat layouts, the glibc-hwcaps extension, and the lookup rules of
 * elf/dl-cache.c (flags must match the loader's ABI, hwcaps entries chosen
 * by CPU level, the first plain entry otherwise). */
#ifndef CANRUN_LDCACHE_H
#define CANRUN_LDCACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

struct ldcache_entry {
	const char *name;         /* the key: a soname such as "libc.so.6" */
	const char *path;         /* absolute path inside the root */
	int32_t flags;            /* FLAG_ELF_LIBC6 | ABI byte (0x0303 for x86-64) */
	uint64_t hwcap;           /* raw hwcap word (new format only) */
	const char *hwcaps_subdir; /* "x86-64-v3" for a glibc-hwcaps entry, else NULL */
};

struct ldcache {
	struct ldcache_entry *entries; /* in file order */
	size_t nentries;
	const char *generator; /* extension tag 0, e.g. "ldconfig (Debian GLIBC 2.36-9) ..."; or NULL */
	bool new_format;
	char *strings_; /* owned copy of the file; entries point into it */
};

/* Parses a cache file's bytes (copied; the caller may free data after).
 * Returns 0, or -1 with a reason in err for a damaged cache (which the
 * real loader would ignore). */
int ldcache_parse(const void *data, size_t size, struct ldcache *cache, struct cr_err *err);
void ldcache_free(struct ldcache *cache);

/* What the loader asking the cache accepts. */
struct ldcache_query {
	int32_t flags_a, flags_b;  /* accepted flags values (b = a when only one) */
	const char *const *hwcaps; /* usable glibc-hwcaps subdirs, best first; NULL-terminated; may be NULL */
	unsigned isa_level;        /* x86 ISA level of the CPU (1..4), for hwcap bits 32-41; 0 = ignore */
	bool legacy_hwcaps;        /* glibc < 2.37 accepted legacy (non-extension) hwcap entries: false skips them */
};

/* The path glibc's search_cache() would return for NAME, or NULL. When
 * subdir is non-NULL it receives the chosen hwcaps subdir (or NULL). */
const char *ldcache_lookup(const struct ldcache *cache, const char *name,
			   const struct ldcache_query *q, const char **subdir);

/* The flags values the loader of this ELF machine/class accepts
 * (sysdeps/.../dl-cache.h _dl_cache_check_flags); false if unknown. */
bool ldcache_flags_for(uint16_t machine, unsigned bits, bool big_endian, uint32_t e_flags,
		       int32_t *flags_a, int32_t *flags_b);

#endif
