/* FORTIFY_SOURCE, counted against the target's own C library: a function X
 * is fortifiable when that libc exports both X and __X_chk, and a binary
 * calls it fortified when it imports __X_chk. Nothing is run and no list
 * of names is built in: the libc that will be there decides. */
#include <elf.h>
#include <stdlib.h>
#include <string.h>

#include "harden/harden_internal.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/* Where a root keeps its C library, this machine's multiarch directory
 * first; glibc before musl, whose libc is also its loader. */
static const char *const libc_paths[] = {
#if defined(__aarch64__)
	"/lib/aarch64-linux-gnu/libc.so.6", "/usr/lib/aarch64-linux-gnu/libc.so.6",
#endif
	"/lib/x86_64-linux-gnu/libc.so.6", "/usr/lib/x86_64-linux-gnu/libc.so.6", "/lib64/libc.so.6",
	"/usr/lib64/libc.so.6", "/lib/aarch64-linux-gnu/libc.so.6", "/usr/lib/aarch64-linux-gnu/libc.so.6",
	"/lib/i386-linux-gnu/libc.so.6", "/lib/libc.so.6", "/usr/lib/libc.so.6",
	"/lib/ld-musl-x86_64.so.1", "/lib/ld-musl-aarch64.so.1", "/usr/lib/x86_64-linux-musl/libc.so",
	"/usr/lib/musl/lib/libc.so",
};

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sorts and removes duplicates; frees the dropped strings when owned. */
static size_t sort_unique(char **items, size_t n, bool owned)
{
	if (n == 0)
		return 0;
	qsort(items, n, sizeof *items, cmp_str);
	size_t out = 1;
	for (size_t i = 1; i < n; i++) {
		if (strcmp(items[i], items[out - 1]) == 0) {
			if (owned)
				free(items[i]);
		} else {
			items[out++] = items[i];
		}
	}
	return out;
}

static bool sorted_has(char *const *items, size_t n, const char *name)
{
	return n && bsearch(&name, items, n, sizeof *items, cmp_str) != NULL;
}

/* "__memcpy_chk" -> "memcpy" (malloc'd), NULL for any other name. The
 * canary's __stack_chk_fail does not end in _chk and never matches. */
static char *chk_base(const char *name)
{
	size_t len = strlen(name);
	if (len <= 6 || strncmp(name, "__", 2) != 0 || strcmp(name + len - 4, "_chk") != 0)
		return NULL;
	return xstrndup(name + 2, len - 6);
}

int fortify_libc_load(struct fortify_libc *libc, struct fsroot *root, struct cr_err *err)
{
	memset(libc, 0, sizeof *libc);
	for (size_t i = 0; i < sizeof libc_paths / sizeof libc_paths[0]; i++) {
		struct fsroot_blob blob;
		int error;
		if (fsroot_read(root, libc_paths[i], &blob, &error) < 0)
			continue;
		struct elf_file ef;
		struct cr_err perr;
		if (elf_parse_memory(&ef, blob.data, blob.size, &perr) < 0) {
			fsroot_release(root, &blob);
			continue;
		}
		char **defined = xcalloc(ef.ndynsyms ? ef.ndynsyms : 1, sizeof *defined);
		size_t ndefined = 0;
		for (size_t s = 0; s < ef.ndynsyms; s++)
			if (ef.dynsyms[s].shndx != SHN_UNDEF && ef.dynsyms[s].name[0])
				defined[ndefined++] = (char *)ef.dynsyms[s].name;
		ndefined = sort_unique(defined, ndefined, false);
		size_t cap = 0;
		for (size_t s = 0; s < ndefined; s++) {
			char *base = chk_base(defined[s]);
			if (base && sorted_has(defined, ndefined, base))
				XPUSH(libc->names, libc->count, cap, base);
			else
				free(base);
		}
		libc->count = sort_unique(libc->names, libc->count, true);
		libc->machine = ef.machine;
		libc->bits = ef.bits;
		libc->big_endian = ef.big_endian;
		struct strbuf sb = { 0 };
		sb_appendf(&sb, "%s in %s", libc_paths[i], fsroot_describe(root));
		libc->source = sb_take(&sb);
		free(defined);
		elf_close(&ef);
		fsroot_release(root, &blob);
		return 0;
	}
	return cr_fail(err, "no C library (libc.so.6 or musl's libc) in %s", fsroot_describe(root));
}

void fortify_libc_free(struct fortify_libc *libc)
{
	for (size_t i = 0; i < libc->count; i++)
		free(libc->names[i]);
	free(libc->names);
	free(libc->source);
	memset(libc, 0, sizeof *libc);
}

struct name_list {
	char **items;
	size_t count, cap;
};

static void collect_defined(const struct elf_sym *sym, void *ctx)
{
	struct name_list *l = ctx;
	if (sym->shndx != SHN_UNDEF && (sym->type == STT_FUNC || sym->type == STT_GNU_IFUNC))
		XPUSH(l->items, l->count, l->cap, (char *)sym->name);
}

static void set_names(char ***names, size_t *count, struct name_list *l)
{
	*count = sort_unique(l->items, l->count, true);
	*names = l->items;
}

void harden_fortify(const struct harden_input *in, bool is_static, struct hardening *h)
{
	const struct fortify_libc *libc = in->libc;
	h->fortify = FORTIFY_UNKNOWN;
	if (in->go && in->go->is_go && !in->go->cgo) {
		h->fortify = FORTIFY_NA;
		h->fortify_note = xstrdup("pure Go calls no C library functions");
		return;
	}
	if (in->elf->type == ET_REL || in->elf->type == ET_CORE) {
		h->fortify_note = xstrdup("not a linked program or library");
		return;
	}
	if (!libc) {
		h->fortify_note = xstrdup("no C library in the target to compare with");
		return;
	}
	if (libc->count == 0) {
		h->fortify_note = xstrdup("the target's C library has no __*_chk functions (musl's fortify-headers "
					  "check inline, which leaves no symbol to see)");
		return;
	}
	if (libc->machine != in->elf->machine) {
		struct strbuf sb = { 0 };
		char a[32], b[32];
		sb_appendf(&sb, "the target's C library is for %s, this file for %s",
			   elf_machine_name(libc->machine, libc->bits, libc->big_endian, a, sizeof a),
			   elf_machine_name(in->elf->machine, in->elf->bits, in->elf->big_endian, b, sizeof b));
		h->fortify_note = sb_take(&sb);
		return;
	}
	struct name_list fortified = { 0 }, plain = { 0 };
	if (is_static) {
		/* A static program carries its libc: a function counts as fortified
		 * when its __X_chk is linked in, else as unfortified when X is. The
		 * libc's own internal calls are in there too. */
		struct name_list defined = { 0 };
		if (!elf_symtab_each(in->elf, collect_defined, &defined)) {
			h->fortify_note = xstrdup("a static program without a symbol table: nothing left to count");
			return;
		}
		size_t n = sort_unique(defined.items, defined.count, false);
		for (size_t i = 0; i < n; i++) {
			char *base = chk_base(defined.items[i]);
			if (base && sorted_has(libc->names, libc->count, base))
				XPUSH(fortified.items, fortified.count, fortified.cap, base);
			else
				free(base);
		}
		size_t nf = sort_unique(fortified.items, fortified.count, true);
		fortified.count = nf;
		for (size_t i = 0; i < n; i++)
			if (sorted_has(libc->names, libc->count, defined.items[i]) &&
			    !sorted_has(fortified.items, nf, defined.items[i]))
				XPUSH(plain.items, plain.count, plain.cap, xstrdup(defined.items[i]));
		free(defined.items);
		if (fortified.count || plain.count)
			h->fortify_note = xstrdup("static: the libc linked in counts, its own internal calls included");
	} else {
		for (size_t i = 0; i < in->elf->ndynsyms; i++) {
			const struct elf_sym *s = &in->elf->dynsyms[i];
			if (s->shndx != SHN_UNDEF || !s->name[0])
				continue;
			char *base = chk_base(s->name);
			if (base && sorted_has(libc->names, libc->count, base)) {
				XPUSH(fortified.items, fortified.count, fortified.cap, base);
				continue;
			}
			free(base);
			if (sorted_has(libc->names, libc->count, s->name))
				XPUSH(plain.items, plain.count, plain.cap, xstrdup(s->name));
		}
	}
	set_names(&h->fortified_names, &h->nfortified_names, &fortified);
	set_names(&h->unfortified_names, &h->nunfortified_names, &plain);
	h->fortified = h->nfortified_names;
	h->fortifiable = h->nfortified_names + h->nunfortified_names;
	h->fortify = h->fortifiable == 0 ? FORTIFY_NA
		     : h->fortified == h->fortifiable ? FORTIFY_YES
		     : h->fortified == 0 ? FORTIFY_NO : FORTIFY_PARTIAL;
}
