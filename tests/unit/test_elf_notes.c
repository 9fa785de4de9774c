/* ELF notes (elf_notes.c): the GNU ABI tag, build-id, GNU property (x86 ISA
 * level and CET) with the 8-byte note alignment ELF64 property notes use,
 * Go's build ID note, and notes in sections no segment covers. */
#include "test_common.h"

#include <elf.h>
#include <string.h>

#include "elf/elf.h"
#include "elf_builder.h"
#include "model/needs.h"

static const unsigned char build_id[20] = {
	0xde, 0xad, 0xbe, 0xef, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05,
	0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0xff,
};
#define BUILD_ID_HEX "deadbeef000102030405060708090a0b0c0d0eff"

static void abi_tag_desc(const struct img *im, unsigned char desc[16], uint32_t os, uint32_t a, uint32_t b, uint32_t c)
{
	struct img tmp = { desc, 16, 16, im->bits, im->be };
	img_put(&tmp, 0, 4, os);
	img_put(&tmp, 4, 4, a);
	img_put(&tmp, 8, 4, b);
	img_put(&tmp, 12, 4, c);
}

/* GNU property descriptor: ISA_1_NEEDED then FEATURE_1_AND, each padded to
 * the class's word size (8 on ELF64, 4 on ELF32). Returns its size. */
static uint32_t property_desc(const struct img *im, unsigned char desc[32], uint32_t isa, uint32_t features)
{
	unsigned pad = im->bits == 64 ? 8 : 4;
	size_t entry = (8 + 4 + pad - 1) / pad * pad;
	struct img tmp = { desc, 32, 32, im->bits, im->be };
	memset(desc, 0, 32);
	img_put(&tmp, 0, 4, GNU_PROPERTY_X86_ISA_1_NEEDED);
	img_put(&tmp, 4, 4, 4);
	img_put(&tmp, 8, 4, isa);
	img_put(&tmp, entry, 4, GNU_PROPERTY_X86_FEATURE_1_AND);
	img_put(&tmp, entry + 4, 4, 4);
	img_put(&tmp, entry + 8, 4, features);
	return (uint32_t)(2 * entry);
}

/* One PT_NOTE of alignment `align` holding: build-id (20-byte desc, so the
 * next note's offset differs between 4- and 8-byte alignment), a GNU
 * property note and the ABI tag. */
static void build_notes(struct dimg *d, const struct flavour *f, unsigned align)
{
	di_init(d, f->bits, f->be);
	struct img *im = &d->im;
	unsigned char abi[16], prop[32];
	abi_tag_desc(im, abi, 0, 3, 2, 0);
	uint32_t propsz = property_desc(im, prop, GNU_PROPERTY_X86_ISA_1_BASELINE | GNU_PROPERTY_X86_ISA_1_V3,
					GNU_PROPERTY_X86_FEATURE_1_IBT | GNU_PROPERTY_X86_FEATURE_1_SHSTK);
	size_t size = note_size(4, sizeof build_id, align) + note_size(4, propsz, align) + note_size(4, 16, align);
	size_t off = img_reserve(im, size, align);
	size_t o = img_note(im, off, "GNU", 4, NT_GNU_BUILD_ID, build_id, sizeof build_id, align);
	o = img_note(im, o, "GNU", 4, NT_GNU_PROPERTY_TYPE_0, prop, propsz, align);
	o = img_note(im, o, "GNU", 4, NT_GNU_ABI_TAG, abi, 16, align);
	assert_true(o == off + size);
	di_phdr(d, PT_NOTE, PF_R, off, size, align);
	di_phdr(d, PT_GNU_STACK, PF_R | PF_W, 0, 0, 16);
	di_finish(d);
}

static void check_notes(const struct elf_file *ef)
{
	const struct elf_notes *n = &ef->notes;
	assert_string_equal(n->build_id, BUILD_ID_HEX);
	assert_true(n->has_x86_isa_needed);
	assert_int_equal(n->x86_isa_needed, GNU_PROPERTY_X86_ISA_1_BASELINE | GNU_PROPERTY_X86_ISA_1_V3);
	assert_true(n->has_x86_feature_1);
	assert_int_equal(n->x86_feature_1, 3);
	assert_true(n->has_abi_tag);
	assert_int_equal(n->abi_os, 0);
	assert_int_equal(n->abi_version[0], 3);
	assert_int_equal(n->abi_version[1], 2);
	assert_int_equal(n->abi_version[2], 0);

	struct needs nd;
	needs_from_elf(ef, &nd);
	assert_string_equal(nd.min_kernel, "3.2.0");
	assert_int_equal(nd.x86_isa_needed, 3);
	assert_true(nd.ibt);
	assert_true(nd.shstk);
	assert_string_equal(nd.build_id, BUILD_ID_HEX);
	assert_int_equal(nd.exec_stack, TRI_NO);
	needs_free(&nd);
}

static void test_notes_align8(void **state)
{
	struct dimg d;
	build_notes(&d, FLAVOUR(state), 8);
	struct elf_file ef;
	struct cr_err err;
	assert_int_equal(di_parse(&d, &ef, &err), 0);
	check_notes(&ef);
	elf_close(&ef);
	di_free(&d);
}

static void test_notes_align4(void **state)
{
	struct dimg d;
	build_notes(&d, FLAVOUR(state), 4);
	struct elf_file ef;
	struct cr_err err;
	assert_int_equal(di_parse(&d, &ef, &err), 0);
	check_notes(&ef);
	elf_close(&ef);
	di_free(&d);
}

/* The same 8-aligned notes read with 4-byte steps would be misparsed: this
 * pins that p_align (not the class) picks the step. */
static void test_notes_align_from_segment(void **state)
{
	struct dimg d;
	build_notes(&d, FLAVOUR(state), 8);
	struct elf_phdr p = d.ph[1];
	assert_int_equal(p.type, PT_NOTE);
	p.align = 4;
	img_phdr(&d.im, d.phoff, 1, &p);
	struct elf_file ef;
	struct cr_err err;
	assert_int_equal(di_parse(&d, &ef, &err), 0);
	assert_string_equal(ef.notes.build_id, BUILD_ID_HEX);
	assert_false(ef.notes.has_abi_tag);
	elf_close(&ef);
	di_free(&d);
}

static void test_non_linux_abi_tag(void **state)
{
	struct dimg d;
	di_init(&d, FLAVOUR(state)->bits, FLAVOUR(state)->be);
	unsigned char abi[16];
	abi_tag_desc(&d.im, abi, 3 /* ELF_NOTE_OS_FREEBSD */, 12, 0, 0);
	size_t off = img_reserve(&d.im, note_size(4, 16, 4), 4);
	img_note(&d.im, off, "GNU", 4, NT_GNU_ABI_TAG, abi, 16, 4);
	di_phdr(&d, PT_NOTE, PF_R, off, note_size(4, 16, 4), 4);
	di_finish(&d);
	struct elf_file ef;
	struct cr_err err;
	assert_int_equal(di_parse(&d, &ef, &err), 0);
	assert_true(ef.notes.has_abi_tag);
	assert_int_equal(ef.notes.abi_os, 3);
	struct needs n;
	needs_from_elf(&ef, &n);
	assert_string_equal(n.min_kernel, "");
	/* No PT_GNU_STACK: the kernel gives the program an executable stack. */
	assert_int_equal(n.exec_stack, TRI_YES);
	needs_free(&n);
	elf_close(&ef);
	di_free(&d);
}

/* Go's linker names its notes "Go\0\0" (namesz 4) with type 4 for the build
 * ID (cmd/link/internal/ld/elf.go: ELF_NOTE_GO_NAME, ELF_NOTE_GOBUILDID_TAG). */
static void test_go_build_id_note(void **state)
{
	struct dimg d;
	di_init(&d, FLAVOUR(state)->bits, FLAVOUR(state)->be);
	static const char id[] = "abcDEF123/ghi_456-xyz/jkl/mno"; /* 29 bytes, padded to 32 */
	size_t size = note_size(4, sizeof id - 1, 4);
	size_t off = img_reserve(&d.im, size, 4);
	img_note(&d.im, off, "Go\0", 4, 4, id, sizeof id - 1, 4);
	di_phdr(&d, PT_NOTE, PF_R, off, size, 4);
	di_finish(&d);
	struct elf_file ef;
	struct cr_err err;
	assert_int_equal(di_parse(&d, &ef, &err), 0);
	assert_non_null(ef.notes.go_build_id);
	assert_int_equal(ef.notes.go_build_id_len, sizeof id - 1);
	assert_memory_equal(ef.notes.go_build_id, id, sizeof id - 1);
	struct needs n;
	needs_from_elf(&ef, &n);
	assert_string_equal(n.go_build_id, id);
	needs_free(&n);
	elf_close(&ef);
	di_free(&d);
}

/* A relocatable object has no segments; its notes are in sections. */
static void test_notes_in_sections(void **state)
{
	const struct flavour *f = FLAVOUR(state);
	struct img im;
	img_init(&im, f->bits, f->be);
	img_reserve(&im, ehdr_size(f->bits), 1);
	size_t nsz = note_size(4, sizeof build_id, 4);
	size_t note = img_reserve(&im, nsz, 4);
	img_note(&im, note, "GNU", 4, NT_GNU_BUILD_ID, build_id, sizeof build_id, 4);
	static const char names[] = "\0.shstrtab\0.note.gnu.build-id\0";
	size_t names_off = img_append(&im, names, sizeof names, 1);
	size_t shoff = img_reserve(&im, 3 * shdr_size(f->bits), 8);
	struct elf_shdr null = { 0 };
	struct elf_shdr strtab = { NULL, SHT_STRTAB, 0, 0, 0, 0, names_off, sizeof names, 1, 0 };
	struct elf_shdr notes = { NULL, SHT_NOTE, 0, 0, SHF_ALLOC, 0, note, nsz, 4, 0 };
	img_shdr(&im, shoff, 0, 0, &null);
	img_shdr(&im, shoff, 1, 1, &strtab);
	img_shdr(&im, shoff, 2, 11, &notes);
	img_ehdr(&im, ET_REL, EM_X86_64, 0, 0, shoff, 3, 1);
	img_fit(&im);
	struct elf_file ef;
	struct cr_err err;
	assert_int_equal(elf_parse_memory(&ef, im.buf, im.len, &err), 0);
	assert_int_equal(ef.nphdrs, 0);
	assert_string_equal(ef.shdrs[2].name, ".note.gnu.build-id");
	assert_string_equal(ef.notes.build_id, BUILD_ID_HEX);
	struct needs n;
	needs_from_elf(&ef, &n);
	assert_int_equal(n.kind, KIND_RELOCATABLE);
	assert_int_equal(n.exec_stack, TRI_UNKNOWN);
	needs_free(&n);
	elf_close(&ef);
	img_free(&im);
}

static void test_damaged_notes(void **state)
{
	struct dimg d;
	build_notes(&d, FLAVOUR(state), 8);
	struct img *im = &d.im;
	struct elf_phdr p = d.ph[1];
	struct elf_file ef;
	struct cr_err err;

	/* A note area past the end of the file: a warning, nothing read. */
	struct elf_phdr bad = p;
	bad.filesz = im->len;
	img_phdr(im, d.phoff, 1, &bad);
	assert_int_equal(di_parse(&d, &ef, &err), 0);
	assert_int_equal(ef.nwarnings, 1);
	assert_string_equal(ef.warnings[0], "a note area lies past the end of the file");
	assert_string_equal(ef.notes.build_id, "");
	elf_close(&ef);
	img_phdr(im, d.phoff, 1, &p);

	/* descsz past the area stops the walk at that note. */
	img_put(im, p.offset + 4, 4, 0xfffffff0);
	assert_int_equal(di_parse(&d, &ef, &err), 0);
	assert_string_equal(ef.notes.build_id, "");
	assert_false(ef.notes.has_abi_tag);
	elf_close(&ef);
	img_put(im, p.offset + 4, 4, sizeof build_id);

	/* namesz near 2^32: no wrap into the area. */
	img_put(im, p.offset, 4, 0xfffffffc);
	assert_int_equal(di_parse(&d, &ef, &err), 0);
	assert_false(ef.notes.has_abi_tag);
	elf_close(&ef);
	img_put(im, p.offset, 4, 4);

	/* A property whose size runs past the descriptor ends the list. */
	size_t prop = p.offset + note_size(4, sizeof build_id, 8) + 16;
	img_put(im, prop + 4, 4, 0x7ffffff0);
	assert_int_equal(di_parse(&d, &ef, &err), 0);
	assert_false(ef.notes.has_x86_isa_needed);
	assert_false(ef.notes.has_x86_feature_1);
	assert_true(ef.notes.has_abi_tag);
	elf_close(&ef);
	di_free(&d);
}

static void test_long_build_id(void **state)
{
	struct dimg d;
	di_init(&d, FLAVOUR(state)->bits, FLAVOUR(state)->be);
	unsigned char id[100];
	for (size_t i = 0; i < sizeof id; i++)
		id[i] = (unsigned char)(0xa0 + (i % 16));
	size_t size = note_size(4, sizeof id, 4);
	size_t off = img_reserve(&d.im, size, 4);
	img_note(&d.im, off, "GNU", 4, NT_GNU_BUILD_ID, id, sizeof id, 4);
	di_phdr(&d, PT_NOTE, PF_R, off, size, 4);
	di_finish(&d);
	struct elf_file ef;
	struct cr_err err;
	assert_int_equal(di_parse(&d, &ef, &err), 0);
	/* Kept to the first 64 bytes. */
	assert_int_equal(strlen(ef.notes.build_id), 128);
	assert_memory_equal(ef.notes.build_id, "a0a1a2a3a4a5a6a7a8a9aaabacadaeafa0a1", 36);
	elf_close(&ef);
	di_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		EACH_FLAVOUR(test_notes_align8),
		EACH_FLAVOUR(test_notes_align4),
		EACH_FLAVOUR(test_notes_align_from_segment),
		EACH_FLAVOUR(test_non_linux_abi_tag),
		EACH_FLAVOUR(test_go_build_id_note),
		EACH_FLAVOUR(test_notes_in_sections),
		EACH_FLAVOUR(test_damaged_notes),
		EACH_FLAVOUR(test_long_build_id),
	};
	return cmocka_run_group_tests_name("elf_notes", tests, NULL, NULL);
}
