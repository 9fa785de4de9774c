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

static size_t path_hash(const struct fsroot *root, const char *path)
{
	uint64_t h = (uint64_t)(uintptr_t)root * 0x9e3779b97f4a7c15ull;
	for (const unsigned char *s = (const unsigned char *)path; *s; s++)
		h = (h ^ *s) * 0x100000001b3ull;
	return (size_t)(h ^ (h >> 29));
}

static struct libcache_path *path_lookup(const struct libcache *cache, const struct fsroot *root, const char *path)
{
	if (!cache->npath_slots)
		return NULL;
	for (size_t s = path_hash(root, path) & (cache->npath_slots - 1); cache->path_slots[s];
	     s = (s + 1) & (cache->npath_slots - 1)) {
		struct libcache_path *p = &cache->paths[cache->path_slots[s] - 1];
		if (p->root == root && strcmp(p->path, path) == 0)
			return p;
	}
	return NULL;
}

static void path_slot(struct libcache *cache, size_t index)
{
	const struct libcache_path *p = &cache->paths[index];
	size_t s = path_hash(p->root, p->path) & (cache->npath_slots - 1);
	while (cache->path_slots[s])
		s = (s + 1) & (cache->npath_slots - 1);
	cache->path_slots[s] = index + 1;
}

static struct libcache_path *path_add(struct libcache *cache, const struct fsroot *root, const char *path)
{
	/* The array grows by doubling like the slots, which are rebuilt then
	 * (they hold indexes, so moving the array is harmless). */
	if (cache->npaths * 2 >= cache->npath_slots) {
		cache->npath_slots = cache->npath_slots ? cache->npath_slots * 2 : 256;
		cache->paths = xrealloc(cache->paths, cache->npath_slots / 2 * sizeof *cache->paths);
		free(cache->path_slots);
		cache->path_slots = xcalloc(cache->npath_slots, sizeof *cache->path_slots);
		for (size_t i = 0; i < cache->npaths; i++)
			path_slot(cache, i);
	}
	struct libcache_path *p = &cache->paths[cache->npaths++];
	*p = (struct libcache_path){ .root = root, .path = xstrdup(path) };
	path_slot(cache, cache->npaths - 1);
	return p;
}

/* Reads and parses the file at path into e (already identified). */
static int load_entry(struct fsroot *root, const char *path, const struct fsroot_stat *st, struct lib_entry *e,
		      int *error)
{
	if (fsroot_read(root, path, &e->blob, error) < 0)
		return -1;
	e->root = root;
	e->dev = st->dev;
	e->ino = st->ino;
	if (elf_parse_memory(&e->elf, e->blob.data, e->blob.size, &e->err) == 0) {
		e->parse_ok = 1;
		elf_load_relocs(&e->elf); /* before other threads can see it */
		needs_from_elf(&e->elf, &e->needs);
	}
	return 0;
}

static void entry_free(struct lib_entry *e)
{
	if (e->parse_ok) {
		needs_free(&e->needs);
		elf_close(&e->elf);
	}
	symbol_index_free(e->symbols);
	free(e->bound_by);
	if (e->ldso) {
		ldso_info_free(e->ldso);
		free(e->ldso);
	}
	fsroot_release(e->root, &e->blob);
}

int libcache_read_program(struct fsroot *root, const char *path, struct lib_entry *e, int *error)
{
	memset(e, 0, sizeof *e);
	struct fsroot_stat st;
	if (fsroot_stat(root, path, &st, error) < 0)
		return -1;
	if (S_ISDIR(st.mode)) {
		*error = EISDIR;
		return -1;
	}
	return load_entry(root, path, &st, e, error);
}

void libcache_program_free(struct lib_entry *e)
{
	entry_free(e);
	memset(e, 0, sizeof *e);
}

bool libcache_same_file(const struct lib_entry *a, const struct lib_entry *b)
{
	return a == b || (a->root == b->root && a->dev == b->dev && a->ino == b->ino);
}

static struct lib_entry *get_by_identity(struct libcache *cache, struct fsroot *root, const char *path, int *error)
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
	if (load_entry(root, path, &st, e, error) < 0) {
		free(e);
		return NULL;
	}
	if (e->parse_ok && cache->lock)
		e->symbols = symbol_index_build(&e->elf);
	add(cache, e);
	return e;
}

static struct lib_entry *get_locked(struct libcache *cache, struct fsroot *root, const char *path, int *error)
{
	struct libcache_path *p = path_lookup(cache, root, path);
	if (!p)
		p = path_add(cache, root, path);
	if (!p->looked_up) {
		p->entry = get_by_identity(cache, root, path, &p->error);
		p->looked_up = true;
	}
	if (!p->entry)
		*error = p->error;
	return p->entry;
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

int libcache_realpath(struct libcache *cache, struct fsroot *root, const char *path, char *out, size_t outlen,
		      int *error)
{
	if (cache->lock)
		pthread_mutex_lock(cache->lock);
	struct libcache_path *p = path_lookup(cache, root, path);
	if (!p)
		p = path_add(cache, root, path);
	int rc = 0;
	if (!p->real) {
		char real[4096];
		if (fsroot_realpath(root, path, real, sizeof real, error) < 0)
			rc = -1; /* not remembered: rare, and the errno must come back */
		else
			p->real = xstrdup(real);
	}
	if (p->real && strlen(p->real) >= outlen) {
		*error = ENAMETOOLONG;
		rc = -1;
	} else if (p->real) {
		memcpy(out, p->real, strlen(p->real) + 1);
	}
	if (cache->lock)
		pthread_mutex_unlock(cache->lock);
	return rc;
}

bool libcache_bind_known(struct libcache *cache, const struct lib_entry *e, int rules,
			 struct lib_entry *const *loaded, size_t nloaded)
{
	if (cache->lock)
		pthread_mutex_lock(cache->lock);
	bool known = e->bound_clean && e->bound_rules == rules;
	for (size_t i = 0; known && i < e->nbound_by; i++) {
		bool present = false;
		for (size_t j = 0; j < nloaded && !present; j++)
			present = loaded[j] == e->bound_by[i];
		known = present;
	}
	if (cache->lock)
		pthread_mutex_unlock(cache->lock);
	return known;
}

void libcache_bind_record(struct libcache *cache, struct lib_entry *e, int rules,
			  struct lib_entry *const *definers, size_t ndefiners)
{
	struct lib_entry **copy = xcalloc(ndefiners ? ndefiners : 1, sizeof *copy);
	/* An object that binds no symbol has no definers, and may pass NULL:
	 * memcpy from NULL is undefined even for 0 bytes. */
	if (ndefiners)
		memcpy(copy, definers, ndefiners * sizeof *copy);
	if (cache->lock)
		pthread_mutex_lock(cache->lock);
	free(e->bound_by);
	e->bound_by = copy;
	e->nbound_by = ndefiners;
	e->bound_rules = rules;
	e->bound_clean = true;
	if (cache->lock)
		pthread_mutex_unlock(cache->lock);
}

void libcache_ldso_info(struct libcache *cache, struct fsroot *root, struct lib_entry *ldso, const char *interp,
			const char *interp_real, struct ldso_info *info)
{
	if (cache->lock)
		pthread_mutex_lock(cache->lock);
	/* Another PT_INTERP text for the same file (a symlink's name) may read
	 * as another family or musl path file: read afresh, keep the first. */
	if (ldso->ldso && strcmp(ldso->ldso->interp, interp) != 0) {
		if (cache->lock)
			pthread_mutex_unlock(cache->lock);
		ldso_info_load(info, root, interp, interp_real, &ldso->elf);
		info->owned = true;
		return;
	}
	if (!ldso->ldso) {
		ldso->ldso = xcalloc(1, sizeof *ldso->ldso);
		ldso_info_load(ldso->ldso, root, interp, interp_real, &ldso->elf);
	}
	*info = *ldso->ldso;
	info->owned = false;
	if (cache->lock)
		pthread_mutex_unlock(cache->lock);
}

void libcache_free(struct libcache *cache)
{
	for (size_t i = 0; i < cache->nentries; i++) {
		struct lib_entry *e = cache->entries[i];
		entry_free(e);
		free(e);
	}
	free(cache->entries);
	free(cache->slots);
	for (size_t i = 0; i < cache->npaths; i++) {
		free(cache->paths[i].path);
		free(cache->paths[i].real);
	}
	free(cache->paths);
	free(cache->path_slots);
	pthread_mutex_t *lock = cache->lock;
	memset(cache, 0, sizeof *cache);
	cache->lock = lock;
}
