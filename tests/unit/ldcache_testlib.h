/* Helpers shared by the ld.so.cache tests: parsing that must succeed,
 * hostile variants of a cache (every truncation, patched counts, flips),
 * byte order, and lookups with their expected answer. */
#ifndef CANRUN_LDCACHE_TESTLIB_H
#define CANRUN_LDCACHE_TESTLIB_H

#include "test_common.h"

#include "loader/ldcache.h"

/* A longer watchdog: ldconfig, cc and ASan make some tests slow. */
int watchdog_long(void **state);
#define LONG(f) { #f, f, watchdog_long, watchdog_off, NULL }

struct ldcache parse_ok(const void *data, size_t size);

uint32_t get32(const unsigned char *b, size_t off, bool be);
void put32(unsigned char *b, size_t off, uint32_t v, bool be);

/* Offsets of the new header, its first entry's key and the extension, for
 * an ldconfig-written cache in this host's order. */
struct landmarks {
	size_t h;        /* new header, or SIZE_MAX for old-only */
	size_t entries;  /* first entry */
	size_t ext;      /* extension directory, or 0 */
	size_t hwcaps;   /* glibc-hwcaps array, or 0 */
};

struct landmarks find_landmarks(const unsigned char *b, size_t size);

/* Every truncation (every trunc_stride bytes), absurd counts and offsets
 * and overlapping tables of a valid cache: each is refused or read
 * within bounds (ASan watches). */
void hostile_variants(const unsigned char *data, size_t size, size_t trunc_stride);
/* ROUNDS copies with random bytes flipped, from SEED. */
void random_flips(const unsigned char *data, size_t size, unsigned rounds, uint64_t seed);

struct want {
	const char *path;   /* relative to the root */
	const char *subdir; /* expected hwcaps subdir, or NULL */
};

void expect_lookup(const struct ldcache *c, const char *name, const struct ldcache_query *q, struct want w);

#endif
