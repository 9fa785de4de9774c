#include "model/needs.h"

#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

const char *binary_kind_name(enum binary_kind kind)
{
	static const char *const names[] = {
		[KIND_STATIC] = "static",
		[KIND_STATIC_PIE] = "static-pie",
		[KIND_DYNAMIC_PIE] = "dynamic-pie",
		[KIND_DYNAMIC_NON_PIE] = "dynamic-non-pie",
		[KIND_SHARED_LIBRARY] = "shared-library",
		[KIND_RELOCATABLE] = "relocatable",
		[KIND_CORE] = "core",
		[KIND_UNKNOWN] = "unknown",
	};
	return names[kind];
}

const char *binary_kind_phrase(enum binary_kind kind)
{
	static const char *const phrases[] = {
		[KIND_STATIC] = "static executable",
		[KIND_STATIC_PIE] = "static-pie executable",
		[KIND_DYNAMIC_PIE] = "dynamic PIE executable",
		[KIND_DYNAMIC_NON_PIE] = "dynamic non-PIE executable",
		[KIND_SHARED_LIBRARY] = "shared library",
		[KIND_RELOCATABLE] = "relocatable object",
		[KIND_CORE] = "core dump",
		[KIND_UNKNOWN] = "unknown ELF type",
	};
	return phrases[kind];
}

/* The kind follows elfclassify's facts: an ET_DYN with DF_1_PIE is a
 * program; without an interpreter it relocates itself (static-pie). An
 * ET_DYN with an interpreter but no DF_1_PIE is a PIE from an older linker
 * unless it has a SONAME (libc.so.6 is runnable yet still a library). */
static enum binary_kind classify(const struct elf_file *ef)
{
	uint64_t flags1 = 0;
	elf_dyn_get(ef, DT_FLAGS_1, &flags1);
	bool pie_flag = flags1 & DF_1_PIE;
	uint64_t soname;
	bool has_soname = elf_dyn_get(ef, DT_SONAME, &soname);
	switch (ef->type) {
	case ET_REL: return KIND_RELOCATABLE;
	case ET_CORE: return KIND_CORE;
	case ET_EXEC: return ef->interp ? KIND_DYNAMIC_NON_PIE : KIND_STATIC;
	case ET_DYN:
		if (pie_flag)
			return ef->interp ? KIND_DYNAMIC_PIE : KIND_STATIC_PIE;
		if (ef->interp && !has_soname)
			return KIND_DYNAMIC_PIE;
		return KIND_SHARED_LIBRARY;
	default: return KIND_UNKNOWN;
	}
}

static void split_path_list(const char *s, char ***out, size_t *count)
{
	size_t cap = 0;
	for (;;) {
		const char *colon = strchr(s, ':');
		size_t len = colon ? (size_t)(colon - s) : strlen(s);
		char *item = xstrndup(s, len);
		XPUSH(*out, *count, cap, item);
		if (!colon)
			break;
		s = colon + 1;
	}
}

int version_compare(const char *a, const char *b)
{
	while (*a || *b) {
		char *ea, *eb;
		unsigned long x = strtoul(a, &ea, 10), y = strtoul(b, &eb, 10);
		if (x != y)
			return x < y ? -1 : 1;
		if (ea == a && eb == b)
			return strcmp(a, b); /* not numeric: keep a total order */
		a = *ea == '.' ? ea + 1 : ea;
		b = *eb == '.' ? eb + 1 : eb;
	}
	return 0;
}

/* "GLIBC_2.34" -> "2.34"; GLIBC_ABI_DT_RELR means the loader must know
 * DT_RELR, which glibc 2.36 added. NULL for any other version name. */
static const char *glibc_version_of(const char *name)
{
	if (strncmp(name, "GLIBC_", 6) == 0 && name[6] >= '0' && name[6] <= '9')
		return name + 6;
	if (strcmp(name, "GLIBC_ABI_DT_RELR") == 0)
		return "2.36";
	return NULL;
}

static void collect_version_needs(const struct elf_file *ef, struct needs *n)
{
	n->nversion_needs = ef->nverneeds;
	n->version_needs = xcalloc(ef->nverneeds, sizeof *n->version_needs);
	for (size_t i = 0; i < ef->nverneeds; i++) {
		const struct elf_verneed *vn = &ef->verneeds[i];
		struct file_version_needs *f = &n->version_needs[i];
		f->file = vn->file;
		f->nversions = vn->naux;
		f->versions = xcalloc(vn->naux, sizeof *f->versions);
		for (size_t j = 0; j < vn->naux; j++) {
			f->versions[j].name = vn->aux[j].name;
			f->versions[j].weak = vn->aux[j].flags & VER_FLG_WEAK;
		}
	}
	/* Attach each undefined symbol to the version its .gnu.version entry
	 * names; the index matches a vna_other of exactly one need. */
	for (size_t s = 0; s < ef->ndynsyms; s++) {
		const struct elf_sym *sym = &ef->dynsyms[s];
		uint16_t idx = sym->versym & 0x7fff;
		if (sym->shndx != SHN_UNDEF || idx < 2 || !sym->name[0])
			continue;
		/* Only the first need with that index: a hostile file may repeat
		 * an index across thousands of needs. */
		bool attached = false;
		for (size_t i = 0; i < ef->nverneeds && !attached; i++) {
			for (size_t j = 0; j < ef->verneeds[i].naux && !attached; j++) {
				if (ef->verneeds[i].aux[j].other != idx)
					continue;
				struct version_need *v = &n->version_needs[i].versions[j];
				XPUSH(v->symbols, v->nsymbols, v->symbols_cap, sym->name);
				attached = true;
			}
		}
	}
	for (size_t i = 0; i < n->nversion_needs; i++) {
		for (size_t j = 0; j < n->version_needs[i].nversions; j++) {
			const struct version_need *v = &n->version_needs[i].versions[j];
			const char *ver = glibc_version_of(v->name);
			if (!ver || strlen(ver) >= sizeof n->max_glibc)
				continue;
			int cmp = n->max_glibc[0] ? version_compare(ver, n->max_glibc) : 1;
			if (cmp > 0) {
				snprintf(n->max_glibc, sizeof n->max_glibc, "%s", ver);
				n->nmax_glibc_symbols = 0;
			}
			if (cmp >= 0) {
				for (size_t k = 0; k < v->nsymbols; k++) {
					size_t cap = n->nmax_glibc_symbols; /* exact growth is fine */
					n->max_glibc_symbols = xrealloc(n->max_glibc_symbols,
						(cap + 1) * sizeof *n->max_glibc_symbols);
					n->max_glibc_symbols[n->nmax_glibc_symbols++] = v->symbols[k];
				}
			}
		}
	}
}

static void collect_dynamic(const struct elf_file *ef, struct needs *n)
{
	size_t cap = 0;
	for (size_t i = 0; i < ef->ndyn; i++) {
		const struct elf_dyn *d = &ef->dyn[i];
		const char *s = NULL;
		if (d->tag == DT_NEEDED)
			s = elf_dynstr(ef, d->val); /* validated when the file was read */
		if (!s)
			s = "";
		switch (d->tag) {
		case DT_NEEDED: XPUSH(n->needed, n->nneeded, cap, s); break;
		case DT_BIND_NOW: n->bind_now = true; break;
		case DT_FLAGS:
			if (d->val & DF_BIND_NOW)
				n->bind_now = true;
			break;
		case DT_FLAGS_1:
			if (d->val & DF_1_NOW)
				n->bind_now = true;
			if (d->val & DF_1_NODEFLIB)
				n->nodeflib = true;
			break;
		default: break;
		}
	}
	/* A repeated SONAME, RPATH or RUNPATH: the loader uses the last one. */
	uint64_t val;
	if (elf_dyn_get(ef, DT_SONAME, &val))
		n->soname = elf_dynstr(ef, val);
	if (elf_dyn_get(ef, DT_RPATH, &val))
		split_path_list(elf_dynstr(ef, val), &n->rpath, &n->nrpath);
	if (elf_dyn_get(ef, DT_RUNPATH, &val))
		split_path_list(elf_dynstr(ef, val), &n->runpath, &n->nrunpath);
}

static enum tristate exec_stack(const struct elf_file *ef)
{
	if (ef->type != ET_EXEC && ef->type != ET_DYN)
		return TRI_UNKNOWN;
	const struct elf_phdr *p = elf_phdr_by_type(ef, PT_GNU_STACK);
	/* Without PT_GNU_STACK the kernel and glibc assume an executable stack. */
	if (!p)
		return TRI_YES;
	return (p->flags & PF_X) ? TRI_YES : TRI_NO;
}

void needs_from_elf(const struct elf_file *ef, struct needs *n)
{
	memset(n, 0, sizeof *n);
	n->kind = classify(ef);
	n->interpreter = ef->interp;
	collect_dynamic(ef, n);
	collect_version_needs(ef, n);

	size_t cap = 0;
	for (size_t i = 0; i < ef->nverdefs; i++)
		XPUSH(n->version_defs, n->nversion_defs, cap, ef->verdefs[i].name);

	const struct elf_notes *notes = &ef->notes;
	if (notes->has_abi_tag && notes->abi_os == 0)
		snprintf(n->min_kernel, sizeof n->min_kernel, "%u.%u.%u", notes->abi_version[0],
			 notes->abi_version[1], notes->abi_version[2]);
	if (notes->has_x86_isa_needed) {
		for (unsigned level = 4; level >= 1; level--) {
			if (notes->x86_isa_needed & (1u << (level - 1))) {
				n->x86_isa_needed = level;
				break;
			}
		}
	}
	if (notes->has_x86_feature_1) {
		n->ibt = notes->x86_feature_1 & GNU_PROPERTY_X86_FEATURE_1_IBT;
		n->shstk = notes->x86_feature_1 & GNU_PROPERTY_X86_FEATURE_1_SHSTK;
	}
	n->exec_stack = exec_stack(ef);
	n->build_id = notes->build_id;
	if (notes->go_build_id)
		n->go_build_id = xstrndup(notes->go_build_id, notes->go_build_id_len);
	go_buildinfo_read(ef, &n->go);
}

void needs_free(struct needs *n)
{
	free(n->needed);
	for (size_t i = 0; i < n->nrpath; i++)
		free(n->rpath[i]);
	free(n->rpath);
	for (size_t i = 0; i < n->nrunpath; i++)
		free(n->runpath[i]);
	free(n->runpath);
	for (size_t i = 0; i < n->nversion_needs; i++) {
		for (size_t j = 0; j < n->version_needs[i].nversions; j++)
			free(n->version_needs[i].versions[j].symbols);
		free(n->version_needs[i].versions);
	}
	free(n->version_needs);
	free(n->version_defs);
	free(n->max_glibc_symbols);
	free(n->go_build_id);
	go_buildinfo_free(&n->go);
	memset(n, 0, sizeof *n);
}
