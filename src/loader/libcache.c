#include "loader/libcache.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "loader/symbols.h"
#include "util/xalloc.h"

static size_t identity_hash(const struct fsroot *root, uint64_t dev, uint64_t ino)
{
	uint64_t h = (uint64_t)(uintptr_t)root * 0x9e3779b97f4a7c15ull;
	h ^= dev + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
	h ^= ino + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
	return (size_t)(h ^ (h >> 29));
}

static struct lib_entry *lookup(const struct libcache *cache, const struct fsroot *root, uint64_t dev, uint64_t ino)
{
	if (!cache->nslots)
		return NULL;
	for (size_t s = identity_hash(root, dev, ino) & (cache->nslots - 1); cache->slots[s];
	     s = (s + 1) & (cache->nslots - 1)) {
		struct lib_entry *e = cache->entries[cache->slots[s] - 1];
		if (e->root == root && e->dev == dev && e->ino == ino)
			return e;
	}
	return NULL;
}

static void insert_slot(struct libcache *cache, size_t index)
{
	const struct lib_entry *e = cache->entries[index];
	size_t s = identity_hash(e->root, e->dev, e->ino) & (cache->nslots - 1);
	while (cache->slots[s])
		s = (s + 1) & (cache->nslots - 1);
	cache->slots[s] = index + 1;
}

static void add(struct libcache *cache, struct lib_entry *e)
{
	XPUSH(cache->entries, cache->nentries, cache->cap, e);
	/* Keep the table at most half full. */
	if (cache->nentries * 2 > cache->nslots) {
		free(cache->slots);
		cache->nslots = cache->nslots ? cache->nslots * 2 : 64;
		cache->slots = xcalloc(cache->nslots, sizeof *cache->slots);
		for (size_t i = 0; i < cache->nentries; i++)
			insert_slot(cache, i);
	} else {
		insert_slot(cache, cache->nentries - 1);
	}
}

static struct lib_entry *get_locked(struct libcache *cache, struct fsroot *root, const char *path, int *error)
{
	struct fsroot_stat st;
	if (fsroot_stat(root, path, &st, error) < 0)
		return NULL;
	struct lib_entry *e = lookup(cache, root, st.dev, st.ino);
	if (e)
		return e;
	if (S_ISDIR(st.mode)) {
		*error = EISDIR;
		return NULL;
	}
	e = xcalloc(1, sizeof *e);
	if (fsroot_read(root, path, &e->blob, error) < 0) {
		free(e);
		return NULL;
	}
	e->root = root;
	e->dev = st.dev;
	e->ino = st.ino;
	if (elf_parse_memory(&e->elf, e->blob.data, e->blob.size, &e->err) == 0) {
		e->parse_ok = 1;
		needs_from_elf(&e->elf, &e->needs);
		if (cache->lock)
			e->symbols = symbol_index_build(&e->elf);
	}
	add(cache, e);
	return e;
}

struct lib_entry *libcache_get(struct libcache *cache, struct fsroot *root, const char *path, int *error)
{
	if (!cache->lock)
		return get_locked(cache, root, path, error);
	pthread_mutex_lock(cache->lock);
	struct lib_entry *e = get_locked(cache, root, path, error);
	pthread_mutex_unlock(cache->lock);
	return e;
}

void libcache_free(struct libcache *cache)
{
	for (size_t i = 0; i < cache->nentries; i++) {
		struct lib_entry *e = cache->entries[i];
		if (e->parse_ok) {
			needs_free(&e->needs);
			elf_close(&e->elf);
		}
		symbol_index_free(e->symbols);
		fsroot_release(e->root, &e->blob);
		free(e);
	}
	free(cache->entries);
	free(cache->slots);
	pthread_mutex_t *lock = cache->lock;
	memset(cache, 0, sizeof *cache);
	cache->lock = lock;
}
