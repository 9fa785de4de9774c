#include "loader/libcache.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "loader/symbols.h"
#include "util/xalloc.h"

struct lib_entry *libcache_get(struct libcache *cache, struct fsroot *root, const char *path, int *error)
{
	struct fsroot_stat st;
	if (fsroot_stat(root, path, &st, error) < 0)
		return NULL;
	for (size_t i = 0; i < cache->nentries; i++) {
		struct lib_entry *e = cache->entries[i];
		if (e->root == root && e->dev == st.dev && e->ino == st.ino)
			return e;
	}
	if (S_ISDIR(st.mode)) {
		*error = EISDIR;
		return NULL;
	}
	struct lib_entry *e = xcalloc(1, sizeof *e);
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
	}
	XPUSH(cache->entries, cache->nentries, cache->cap, e);
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
	memset(cache, 0, sizeof *cache);
}
