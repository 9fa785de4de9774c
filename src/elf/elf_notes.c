/* ELF notes: the GNU ABI tag (minimum kernel), GNU build-id, GNU property
 * (x86 ISA level needed, IBT/SHSTK) and Go's build ID. Notes are read from
 * PT_NOTE segments, as the kernel and loader see them, or from SHT_NOTE
 * sections when there are no segments (relocatable objects). */
#include <elf.h>
#include <stdio.h>
#include <string.h>

#include "elf/elf_internal.h"

static uint64_t align_up(uint64_t x, uint64_t a)
{
	return (x + (a - 1)) & ~(a - 1);
}

static void read_properties(struct elf_file *ef, const struct byte_view *desc)
{
	/* Property entries are padded to the word size of the class. */
	uint64_t pad = ef->bits == 64 ? 8 : 4;
	uint64_t o = 0;
	while (bv_has(desc, o, 8)) {
		uint32_t type = 0, size = 0;
		bv_u32(desc, o, &type);
		bv_u32(desc, o + 4, &size);
		if (!bv_has(desc, o + 8, size))
			break;
		if (size >= 4 && type == GNU_PROPERTY_X86_ISA_1_NEEDED) {
			ef->notes.has_x86_isa_needed = true;
			bv_u32(desc, o + 8, &ef->notes.x86_isa_needed);
		} else if (size >= 4 && type == GNU_PROPERTY_X86_FEATURE_1_AND) {
			ef->notes.has_x86_feature_1 = true;
			bv_u32(desc, o + 8, &ef->notes.x86_feature_1);
		}
		o = align_up(o + 8 + size, pad);
	}
}

static void read_note(struct elf_file *ef, const char *name, uint32_t namesz, uint32_t type,
		      const struct byte_view *desc)
{
	struct elf_notes *n = &ef->notes;
	bool gnu = namesz == 4 && memcmp(name, "GNU", 4) == 0;
	if (gnu && type == NT_GNU_ABI_TAG && desc->size >= 16) {
		n->has_abi_tag = true;
		bv_u32(desc, 0, &n->abi_os);
		for (int i = 0; i < 3; i++)
			bv_u32(desc, 4 + 4 * (uint64_t)i, &n->abi_version[i]);
	} else if (gnu && type == NT_GNU_BUILD_ID && desc->size > 0) {
		size_t len = desc->size > 64 ? 64 : (size_t)desc->size;
		for (size_t i = 0; i < len; i++)
			snprintf(n->build_id + 2 * i, 3, "%02x", desc->data[i]);
	} else if (gnu && type == NT_GNU_PROPERTY_TYPE_0) {
		read_properties(ef, desc);
	} else if ((namesz == 3 || namesz == 4) && memcmp(name, "Go", 3) == 0 &&
		   (namesz == 3 || name[3] == '\0') && type == 4 && desc->size > 0) {
		/* Go's linker pads the name to "Go\0\0" (namesz 4). */
		/* Go's linker writes the build ID as text (cmd/link elf.go). */
		n->go_build_id = (const char *)desc->data;
		n->go_build_id_len = (size_t)desc->size;
		while (n->go_build_id_len && n->go_build_id[n->go_build_id_len - 1] == '\0')
			n->go_build_id_len--;
	}
}

static void read_notes(struct elf_file *ef, uint64_t offset, uint64_t size, uint64_t align)
{
	struct byte_view area = bv_sub(&ef->view, offset, size);
	if (!area.data) {
		elf_warn(ef, "a note area lies past the end of the file");
		return;
	}
	/* 8-byte alignment is used for GNU property notes on ELF64; 4 otherwise. */
	uint64_t a = align == 8 ? 8 : 4;
	uint64_t o = 0;
	while (bv_has(&area, o, 12)) {
		uint32_t namesz = 0, descsz = 0, type = 0;
		bv_u32(&area, o, &namesz);
		bv_u32(&area, o + 4, &descsz);
		bv_u32(&area, o + 8, &type);
		uint64_t name_off = o + 12;
		uint64_t desc_off = align_up(name_off + namesz, a);
		if (!bv_has(&area, name_off, namesz) || !bv_has(&area, desc_off, descsz))
			break;
		struct byte_view desc = bv_sub(&area, desc_off, descsz);
		read_note(ef, (const char *)area.data + name_off, namesz, type, &desc);
		o = align_up(desc_off + descsz, a);
	}
}

/* A hostile file can point thousands of note headers at the same bytes, so
 * the bytes read in all are capped at twice the file's size. */
static bool within_budget(struct elf_file *ef, uint64_t *budget, uint64_t size)
{
	if (size > *budget) {
		elf_warn(ef, "notes overlap beyond reason; the rest were not read");
		return false;
	}
	*budget -= size;
	return true;
}

void elf_parse_notes(struct elf_file *ef)
{
	uint64_t budget = 2 * ef->view.size;
	bool any_segment = false;
	for (size_t i = 0; i < ef->nphdrs; i++) {
		const struct elf_phdr *p = &ef->phdrs[i];
		if (p->type != PT_NOTE)
			continue;
		any_segment = true;
		if (!within_budget(ef, &budget, p->filesz))
			return;
		read_notes(ef, p->offset, p->filesz, p->align);
	}
	/* Programs carry their notes in PT_NOTE; sections matter for objects
	 * without segments (relocatable files). */
	if (any_segment)
		return;
	for (size_t i = 0; i < ef->nshdrs; i++) {
		const struct elf_shdr *s = &ef->shdrs[i];
		if (s->type != SHT_NOTE)
			continue;
		if (!within_budget(ef, &budget, s->size))
			return;
		read_notes(ef, s->offset, s->size, s->addralign);
	}
}
