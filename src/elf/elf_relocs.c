/* The symbols that dynamic relocations refer to, in the order ld.so
 * processes them: DT_REL/DT_RELA first (always bound at start), then the PLT
 * relocations of DT_JMPREL (bound lazily unless BIND_NOW). Only the symbol
 * index is kept: it is all a "will it bind?" check needs. */
#include <elf.h>
#include <stdlib.h>

#include "elf/elf_internal.h"
#include "util/xalloc.h"

/* The machine's copy relocation type (psABI documents), or 0. */
static uint32_t copy_type(uint16_t machine)
{
	switch (machine) {
	case EM_X86_64: return R_X86_64_COPY;
	case EM_386: return R_386_COPY;
	case EM_AARCH64: return R_AARCH64_COPY;
	case EM_ARM: return R_ARM_COPY;
	case EM_S390: return R_390_COPY;
	case EM_PPC: return R_PPC_COPY;
	case EM_PPC64: return R_PPC64_COPY;
	case EM_RISCV: return R_RISCV_COPY;
	default: return 0;
	}
}

/* Where a table lies: false when it lies outside its segment, true with
 * *size 0 when the file has none. */
static bool table_range(const struct elf_file *ef, int64_t addr_tag, int64_t size_tag, uint64_t *off, uint64_t *size)
{
	uint64_t addr, avail;
	*size = 0;
	if (!elf_dyn_get(ef, addr_tag, &addr) || !elf_dyn_get(ef, size_tag, size) || *size == 0) {
		*size = 0;
		return true;
	}
	return elf_vaddr_to_offset(ef, addr, off, &avail) && *size <= avail;
}

/* One table's entries; false when it lies outside its segment. */
static bool walk_table(const struct elf_file *ef, int64_t addr_tag, int64_t size_tag, bool rela, bool plt,
		       void (*fn)(const struct elf_reloc_entry *e, void *ctx), void *ctx)
{
	uint64_t off = 0, size;
	if (!table_range(ef, addr_tag, size_tag, &off, &size))
		return false;
	unsigned w = ef->bits / 8;
	uint64_t entsize = (rela ? 3 : 2) * (uint64_t)w;
	for (uint64_t o = 0; o + entsize <= size; o += entsize) {
		struct elf_reloc_entry e = { .offset = off + o, .width = w, .rela = rela, .plt = plt };
		if (!bv_word(&ef->view, off + o + w, w, &e.info))
			break;
		e.sym = w == 8 ? (uint32_t)(e.info >> 32) : (uint32_t)(e.info >> 8);
		e.type = w == 8 ? (uint32_t)e.info : (uint32_t)(e.info & 0xff);
		fn(&e, ctx);
	}
	return true;
}

bool elf_reloc_each(const struct elf_file *ef, void (*fn)(const struct elf_reloc_entry *e, void *ctx), void *ctx)
{
	bool inside = walk_table(ef, DT_RELA, DT_RELASZ, true, false, fn, ctx);
	inside &= walk_table(ef, DT_REL, DT_RELSZ, false, false, fn, ctx);
	uint64_t pltrel = DT_RELA;
	/* Machines that use REL for everything say so in DT_PLTREL. */
	if (!elf_dyn_get(ef, DT_PLTREL, &pltrel))
		pltrel = ef->bits == 64 ? DT_RELA : DT_REL;
	inside &= walk_table(ef, DT_JMPREL, DT_PLTRELSZ, pltrel == DT_RELA, true, fn, ctx);
	return inside;
}

struct collect {
	struct elf_file *ef;
	size_t cap;
	uint32_t copy; /* the machine's copy relocation type, or 0 */
};

static void collect_one(const struct elf_reloc_entry *e, void *ctx)
{
	struct collect *c = ctx;
	if (e->sym == 0)
		return; /* relative and similar: no symbol to look up */
	struct elf_reloc r = { e->sym, e->plt, c->copy && e->type == c->copy };
	XPUSH(c->ef->relocs, c->ef->nrelocs, c->cap, r);
}

void elf_check_reloc_tables(struct elf_file *ef)
{
	uint64_t off, size;
	if (!table_range(ef, DT_RELA, DT_RELASZ, &off, &size) || !table_range(ef, DT_REL, DT_RELSZ, &off, &size) ||
	    !table_range(ef, DT_JMPREL, DT_PLTRELSZ, &off, &size))
		elf_warn(ef, "a relocation table lies outside its segment");
}

void elf_load_relocs(struct elf_file *ef)
{
	if (ef->relocs_loaded)
		return;
	ef->relocs_loaded = true;
	struct collect c = { ef, 0, copy_type(ef->machine) };
	elf_reloc_each(ef, collect_one, &c);
}
