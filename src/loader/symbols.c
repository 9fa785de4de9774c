/* Definition rules from glibc's elf/dl-lookup.c (do_lookup_x, check_match)
 * and musl's ldso/dynlink.c (find_sym): which symbol of an object may
 * satisfy a reference. */
#include "loader/symbols.h"

#include <elf.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

/* Open-addressing table from symbol name to the first dynsym index with
 * that name; further entries with the same name follow in `next`. */
struct symbol_index {
	uint32_t *slots; /* dynsym index + 1; 0 = empty */
	uint32_t *hashes; /* the name hash of each slot: most misses need no strcmp */
	size_t nslots;
	uint32_t *next;  /* per dynsym: the next index + 1 with the same name */
	bool has_versym; /* the file has a .gnu.version table */
};

uint32_t symbol_hash(const char *s)
{
	uint32_t h = 5381;
	for (; *s; s++)
		h = h * 33 + (unsigned char)*s;
	/* Spread the low bits the table is indexed by (linear probing clusters
	 * badly on names that differ only at their end). */
	h ^= h >> 16;
	h *= 0x45d9f3bu;
	h ^= h >> 16;
	return h;
}

/* The parts of a definition both loaders agree on. */
static bool usable_definition(const struct elf_sym *s, bool glibc)
{
	if (s->shndx == SHN_UNDEF)
		return false;
	if (s->value == 0 && s->shndx != SHN_ABS && s->type != STT_TLS)
		return false;
	switch (s->type) {
	case STT_NOTYPE: case STT_OBJECT: case STT_FUNC: case STT_COMMON: case STT_TLS: break;
	case STT_GNU_IFUNC:
		if (glibc)
			break;
		return false;
	default: return false;
	}
	if (s->bind != STB_GLOBAL && s->bind != STB_WEAK && s->bind != STB_GNU_UNIQUE)
		return false;
	return s->visibility != STV_HIDDEN && s->visibility != STV_INTERNAL;
}

struct symbol_index *symbol_index_build(const struct elf_file *ef)
{
	struct symbol_index *ix = xcalloc(1, sizeof *ix);
	ix->nslots = 16;
	while (ix->nslots < ef->ndynsyms * 2)
		ix->nslots *= 2;
	ix->slots = xcalloc(ix->nslots, sizeof *ix->slots);
	ix->hashes = xcalloc(ix->nslots, sizeof *ix->hashes);
	ix->next = xcalloc(ef->ndynsyms ? ef->ndynsyms : 1, sizeof *ix->next);
	uint64_t versym;
	ix->has_versym = elf_dyn_get(ef, DT_VERSYM, &versym);
	/* Insert backwards so each chain lists symbols in table order. */
	for (size_t i = ef->ndynsyms; i-- > 1;) {
		const char *name = ef->dynsyms[i].name;
		/* Only what could ever be a definition: a program's table is
		 * mostly its imports, which no lookup can bind to. */
		if (!name[0] || !usable_definition(&ef->dynsyms[i], true))
			continue;
		uint32_t h = symbol_hash(name);
		size_t slot = h & (ix->nslots - 1);
		while (ix->slots[slot] && (ix->hashes[slot] != h || strcmp(ef->dynsyms[ix->slots[slot] - 1].name, name) != 0))
			slot = (slot + 1) & (ix->nslots - 1);
		ix->next[i] = ix->slots[slot];
		ix->slots[slot] = (uint32_t)i + 1;
		ix->hashes[slot] = h;
	}
	return ix;
}

void symbol_index_free(struct symbol_index *index)
{
	if (!index)
		return;
	free(index->slots);
	free(index->hashes);
	free(index->next);
	free(index);
}

static const char *verdef_name(const struct elf_file *ef, uint16_t ndx)
{
	for (size_t i = 0; i < ef->nverdefs; i++)
		if (ef->verdefs[i].ndx == ndx)
			return ef->verdefs[i].name;
	return NULL;
}

const char *symbol_version_needed(const struct elf_file *ef, const struct elf_sym *sym)
{
	uint16_t idx = sym->versym & 0x7fff;
	if (idx < 2)
		return NULL;
	for (size_t i = 0; i < ef->nverneeds; i++)
		for (size_t j = 0; j < ef->verneeds[i].naux; j++)
			if (ef->verneeds[i].aux[j].other == idx)
				return ef->verneeds[i].aux[j].name;
	/* A relocation against the object's own definition looks up the
	 * version that definition carries (glibc's l_versions holds both). */
	return verdef_name(ef, idx);
}

bool symbol_defines(const struct elf_file *ef, struct symbol_index **index, const char *name, uint32_t hash,
		    const char *version, enum symbol_rules rules)
{
	if (ef->ndynsyms == 0)
		return false;
	if (!*index)
		*index = symbol_index_build(ef);
	struct symbol_index *ix = *index;
	size_t slot = hash & (ix->nslots - 1);
	while (ix->slots[slot] && (ix->hashes[slot] != hash || strcmp(ef->dynsyms[ix->slots[slot] - 1].name, name) != 0))
		slot = (slot + 1) & (ix->nslots - 1);
	unsigned unversioned_candidates = 0;
	for (uint32_t i = ix->slots[slot]; i; i = ix->next[i - 1]) {
		const struct elf_sym *s = &ef->dynsyms[i - 1];
		if (!usable_definition(s, rules == RULES_GLIBC))
			continue;
		if (rules == RULES_MUSL) {
			/* musl binds the default version only: hidden ones are skipped. */
			if (!(s->versym & 0x8000))
				return true;
			continue;
		}
		if (!ix->has_versym)
			return true;
		uint16_t ndx = s->versym & 0x7fff;
		if (version) {
			const char *defined = verdef_name(ef, ndx);
			if (defined && strcmp(defined, version) == 0)
				return true;
			/* A plain global definition also serves a versioned reference. */
			if (ndx <= 1 && !(s->versym & 0x8000))
				return true;
			continue;
		}
		/* An unversioned reference takes the base or oldest version, or
		 * else the only non-hidden versioned definition. */
		if (ndx < 3)
			return true;
		if (!(s->versym & 0x8000))
			unversioned_candidates++;
	}
	return unversioned_candidates == 1;
}
