/* Symbol lookup as the loaders do it: a name (and, for glibc, a version)
 * looked up across the objects of the global scope, first match wins. */
#ifndef CANRUN_SYMBOLS_H
#define CANRUN_SYMBOLS_H

#include <stdbool.h>
#include <stdint.h>

#include "elf/elf.h"

struct symbol_index;

/* Builds the index symbol_defines() would build on first use, for objects
 * shared between threads (which must then never be written). */
struct symbol_index *symbol_index_build(const struct elf_file *ef);
/* Frees an index built by symbol_defines(); NULL is fine. */
void symbol_index_free(struct symbol_index *index);

enum symbol_rules { RULES_GLIBC, RULES_MUSL };

/* The hash symbol_defines() wants: computed once per name, whatever the
 * number of objects it is looked up in. */
uint32_t symbol_hash(const char *name);

/* Does ef define NAME (whose symbol_hash is HASH) in a way that satisfies
 * a reference asking for VERSION (NULL: unversioned)? *index caches the
 * file's name index. */
bool symbol_defines(const struct elf_file *ef, struct symbol_index **index, const char *name, uint32_t hash,
		    const char *version, enum symbol_rules rules);

/* The version a symbol of ef is looked up with: the needed version of an
 * undefined symbol, or the version of a definition; NULL if unversioned. */
const char *symbol_version_needed(const struct elf_file *ef, const struct elf_sym *sym);

#endif
