/* The dynamic symbol table and the symbol-versioning tables the loader binds
 * with: .gnu.version (DT_VERSYM), .gnu.version_r (DT_VERNEED) and
 * .gnu.version_d (DT_VERDEF). All are found through the dynamic section, as
 * the loader finds them, so files without section headers read the same.
 * Also the link-time .symtab, which only its section header finds. */
#include <elf.h>
#include <stdlib.h>
#include <string.h>

#include "elf/elf_internal.h"
#include "util/xalloc.h"

/* The symbol count is not stored in the dynamic section. Ask, in order: the
 * .dynsym section header (when it describes the same table), DT_HASH's chain
 * count, and the highest index reachable through DT_GNU_HASH. */
static uint64_t gnu_hash_count(const struct elf_file *ef, uint64_t addr)
{
	uint64_t off, avail;
	if (!elf_vaddr_to_offset(ef, addr, &off, &avail))
		return 0;
	struct byte_view h = bv_sub(&ef->view, off, avail);
	uint32_t nbuckets, symoffset, bloom_size;
	if (!bv_u32(&h, 0, &nbuckets) || !bv_u32(&h, 4, &symoffset) || !bv_u32(&h, 8, &bloom_size))
		return 0;
	uint64_t buckets = 16 + (uint64_t)bloom_size * (ef->bits / 8);
	if (!bv_has(&h, buckets, (uint64_t)nbuckets * 4))
		return 0;
	uint32_t max_index = 0;
	for (uint32_t i = 0; i < nbuckets; i++) {
		uint32_t b = 0;
		bv_u32(&h, buckets + (uint64_t)i * 4, &b);
		if (b > max_index)
			max_index = b;
	}
	if (max_index < symoffset)
		return symoffset;
	uint64_t chains = buckets + (uint64_t)nbuckets * 4;
	/* Follow the last chain to its terminator (low bit set); each step
	 * reads 4 more bytes, so the walk is bounded by the table's size. */
	for (uint64_t idx = max_index;; idx++) {
		uint32_t c;
		if (!bv_u32(&h, chains + (idx - symoffset) * 4, &c))
			return 0;
		if (c & 1)
			return idx + 1;
	}
}

static uint64_t dynsym_count(struct elf_file *ef, uint64_t symtab)
{
	for (size_t i = 0; i < ef->nshdrs; i++) {
		const struct elf_shdr *s = &ef->shdrs[i];
		if (s->type == SHT_DYNSYM && s->addr == symtab && s->entsize)
			return s->size / s->entsize;
	}
	uint64_t addr, off, avail;
	if (elf_dyn_get(ef, DT_HASH, &addr) && elf_vaddr_to_offset(ef, addr, &off, &avail)) {
		uint32_t nchain;
		struct byte_view h = bv_sub(&ef->view, off, avail);
		if (bv_u32(&h, 4, &nchain))
			return nchain;
	}
	if (elf_dyn_get(ef, DT_GNU_HASH, &addr))
		return gnu_hash_count(ef, addr);
	return 0;
}

void elf_parse_symbols(struct elf_file *ef)
{
	uint64_t symtab, off, avail;
	if (!elf_dyn_get(ef, DT_SYMTAB, &symtab))
		return;
	if (!elf_vaddr_to_offset(ef, symtab, &off, &avail)) {
		elf_warn(ef, "the dynamic symbol table is outside every loaded segment");
		return;
	}
	uint64_t entsize = ef->bits == 64 ? sizeof(Elf64_Sym) : sizeof(Elf32_Sym);
	uint64_t count = dynsym_count(ef, symtab);
	if (count > avail / entsize) {
		elf_warn(ef, "the dynamic symbol table is truncated (%llu symbols claimed)",
			 (unsigned long long)count);
		count = avail / entsize;
	}
	if (count == 0)
		return;

	struct byte_view versym = { 0 };
	uint64_t versym_addr, voff, vavail;
	if (elf_dyn_get(ef, DT_VERSYM, &versym_addr)) {
		if (elf_vaddr_to_offset(ef, versym_addr, &voff, &vavail) && vavail / 2 >= count)
			versym = bv_sub(&ef->view, voff, count * 2);
		else
			elf_warn(ef, "the symbol version table (DT_VERSYM) is out of range");
	}

	const struct byte_view *v = &ef->view;
	ef->dynsyms = xcalloc((size_t)count, sizeof *ef->dynsyms);
	ef->ndynsyms = (size_t)count;
	for (uint64_t i = 0; i < count; i++) {
		struct elf_sym *s = &ef->dynsyms[i];
		uint64_t o = off + i * entsize;
		uint32_t name = 0;
		uint8_t info = 0, other = 0;
		bv_u32(v, o, &name);
		if (ef->bits == 64) {
			bv_u8(v, o + 4, &info);
			bv_u8(v, o + 5, &other);
			bv_u16(v, o + 6, &s->shndx);
			bv_u64(v, o + 8, &s->value);
			bv_u64(v, o + 16, &s->size);
		} else {
			uint32_t x = 0;
			bv_u32(v, o + 4, &x), s->value = x;
			bv_u32(v, o + 8, &x), s->size = x;
			bv_u8(v, o + 12, &info);
			bv_u8(v, o + 13, &other);
			bv_u16(v, o + 14, &s->shndx);
		}
		s->bind = info >> 4;
		s->type = info & 0xf;
		s->visibility = other & 0x3;
		const char *n = elf_dynstr(ef, name);
		s->name = n ? n : "";
		if (versym.data)
			bv_u16(&versym, i * 2, &s->versym);
	}
}

/* Both version tables are chains of records linked by relative offsets.
 * Like ld.so (_dl_check_map_versions), canrun follows the links until a zero
 * and ignores DT_VERNEEDNUM / DT_VERDEFNUM and the aux counts. A hostile
 * file can make a chain loop, so one budget, the number of 8-byte slots in
 * the segment, caps the records visited. */
static bool version_table(const struct elf_file *ef, int64_t addr_tag, struct byte_view *table,
			  bool *present)
{
	uint64_t addr, off, avail;
	*present = elf_dyn_get(ef, addr_tag, &addr);
	if (!*present || !elf_vaddr_to_offset(ef, addr, &off, &avail))
		return false;
	*table = bv_sub(&ef->view, off, avail);
	return true;
}

/* ld.so refuses a record revision other than 1; readers still show it. */
static void check_record_version(struct elf_file *ef, uint16_t version, const char *what)
{
	if (version != 1 && !ef->bad_version_record) {
		ef->bad_version_record = true;
		elf_warn(ef, "unsupported version %u of %s record (the loader refuses this file)",
			 version, what);
	}
}

static int parse_verneed(struct elf_file *ef, struct cr_err *err)
{
	struct byte_view t;
	bool present;
	if (!version_table(ef, DT_VERNEED, &t, &present))
		return present ? cr_fail(err, "the version needs (DT_VERNEED) are outside every loaded segment") : 0;
	uint64_t budget = t.size / 8 + 1;
	size_t cap = 0;
	for (uint64_t rec = 0;;) {
		uint16_t version, cnt;
		uint32_t file, aux, next;
		if (!budget-- || !bv_u16(&t, rec, &version) || !bv_u16(&t, rec + 2, &cnt) ||
		    !bv_u32(&t, rec + 4, &file) || !bv_u32(&t, rec + 8, &aux) || !bv_u32(&t, rec + 12, &next))
			return cr_fail(err, "the version needs table is truncated or loops");
		check_record_version(ef, version, "Verneed");
		struct elf_verneed vn = { elf_dynstr(ef, file), NULL, 0 };
		if (!vn.file)
			return cr_fail(err, "a version need names a file outside the string table");
		size_t aux_cap = 0;
		for (uint64_t a = rec + aux;;) {
			struct elf_vernaux va;
			uint32_t name, anext;
			if (!budget-- || !bv_u32(&t, a, &va.hash) || !bv_u16(&t, a + 4, &va.flags) ||
			    !bv_u16(&t, a + 6, &va.other) || !bv_u32(&t, a + 8, &name) ||
			    !bv_u32(&t, a + 12, &anext)) {
				free(vn.aux);
				return cr_fail(err, "the version needs of %s are truncated or loop", vn.file);
			}
			va.name = elf_dynstr(ef, name);
			if (!va.name) {
				free(vn.aux);
				return cr_fail(err, "a version needed from %s is named outside the string table", vn.file);
			}
			XPUSH(vn.aux, vn.naux, aux_cap, va);
			if (anext == 0)
				break;
			a += anext;
		}
		(void)cnt; /* ld.so ignores the count; so does canrun */
		XPUSH(ef->verneeds, ef->nverneeds, cap, vn);
		if (next == 0)
			break;
		rec += next;
	}
	return 0;
}

static int parse_verdef(struct elf_file *ef, struct cr_err *err)
{
	struct byte_view t;
	bool present;
	if (!version_table(ef, DT_VERDEF, &t, &present))
		return present ? cr_fail(err, "the version definitions (DT_VERDEF) are outside every loaded segment") : 0;
	uint64_t budget = t.size / 8 + 1;
	size_t cap = 0;
	for (uint64_t rec = 0;;) {
		struct elf_verdef vd = { NULL, NULL, 0, 0 };
		uint16_t version, cnt;
		uint32_t hash, aux, next, name;
		if (!budget-- || !bv_u16(&t, rec, &version) || !bv_u16(&t, rec + 2, &vd.flags) ||
		    !bv_u16(&t, rec + 4, &vd.ndx) || !bv_u16(&t, rec + 6, &cnt) ||
		    !bv_u32(&t, rec + 8, &hash) || !bv_u32(&t, rec + 12, &aux) ||
		    !bv_u32(&t, rec + 16, &next))
			return cr_fail(err, "the version definitions table is truncated or loops");
		check_record_version(ef, version, "Verdef");
		if (cnt >= 1) {
			if (!bv_u32(&t, rec + aux, &name) || !(vd.name = elf_dynstr(ef, name)))
				return cr_fail(err, "a version definition is named outside the string table");
			uint32_t anext;
			if (cnt >= 2 && bv_u32(&t, rec + aux + 4, &anext) && anext &&
			    bv_u32(&t, rec + aux + anext, &name))
				vd.parent = elf_dynstr(ef, name);
		}
		if (!vd.name)
			vd.name = "";
		XPUSH(ef->verdefs, ef->nverdefs, cap, vd);
		if (next == 0)
			break;
		rec += next;
	}
	return 0;
}

int elf_parse_versions(struct elf_file *ef, struct cr_err *err)
{
	if (parse_verneed(ef, err) < 0 || parse_verdef(ef, err) < 0)
		return -1;
	return 0;
}

bool elf_symtab_each(const struct elf_file *ef, void (*fn)(const struct elf_sym *sym, void *ctx), void *ctx)
{
	const struct elf_shdr *tab = NULL;
	for (size_t i = 0; i < ef->nshdrs && !tab; i++)
		if (ef->shdrs[i].type == SHT_SYMTAB)
			tab = &ef->shdrs[i];
	if (!tab || tab->link >= ef->nshdrs || ef->shdrs[tab->link].type != SHT_STRTAB)
		return false;
	const struct elf_shdr *str = &ef->shdrs[tab->link];
	uint64_t str_end;
	if (!u64_add_ok(str->offset, str->size, &str_end))
		return false;
	uint64_t entsize = ef->bits == 64 ? sizeof(Elf64_Sym) : sizeof(Elf32_Sym);
	const struct byte_view *v = &ef->view;
	/* Entries past the end of the file are not read: the count is what
	 * the file really holds. */
	for (uint64_t o = tab->offset, k = 0; k < tab->size / entsize && bv_has(v, o, entsize); k++, o += entsize) {
		struct elf_sym s = { 0 };
		uint32_t name = 0;
		uint8_t info = 0;
		bv_u32(v, o, &name);
		if (ef->bits == 64) {
			bv_u8(v, o + 4, &info);
			bv_u16(v, o + 6, &s.shndx);
			bv_u64(v, o + 8, &s.value);
		} else {
			uint32_t x = 0;
			bv_u32(v, o + 4, &x), s.value = x;
			bv_u8(v, o + 12, &info);
			bv_u16(v, o + 14, &s.shndx);
		}
		s.bind = info >> 4;
		s.type = info & 0xf;
		uint64_t at;
		if (name == 0 || !u64_add_ok(str->offset, name, &at))
			continue;
		s.name = bv_cstr(v, at, str_end);
		if (s.name && s.name[0])
			fn(&s, ctx);
	}
	return true;
}
