/* A small ELF writer for unit tests: builds ELF32/ELF64 images of either byte
 * order in memory, so every field the reader decodes can be set to an exact
 * value, including values no linker would write.
 *
 * Two layers: `struct img` is a growable byte buffer with endian-aware
 * stores; `struct dimg` lays out a typical executable on top of it: the ELF
 * header, a program header table, one PT_LOAD that maps the whole file at
 * DI_BASE (so vaddr == DI_BASE + file offset), and, when dynamic entries
 * were added, a string table and PT_DYNAMIC written by di_finish(). */
#ifndef CANRUN_TEST_ELF_BUILDER_H
#define CANRUN_TEST_ELF_BUILDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "elf/elf.h"

struct img {
	unsigned char *buf;
	size_t len, cap;
	unsigned bits; /* 32 or 64 */
	bool be;
};

void img_init(struct img *im, unsigned bits, bool be);
void img_free(struct img *im);
/* Appends n zero bytes at the next multiple of align; returns their offset. */
size_t img_reserve(struct img *im, size_t n, size_t align);
size_t img_append(struct img *im, const void *data, size_t n, size_t align);
/* Shrinks the buffer to the image's size, so ASan sees any read past it. */
void img_fit(struct img *im);
/* Stores an integer of 1, 2, 4 or 8 bytes in the image's byte order. */
void img_put(struct img *im, size_t off, unsigned width, uint64_t v);
/* Stores an address-sized word (4 or 8 bytes by class). */
void img_word(struct img *im, size_t off, uint64_t v);
unsigned img_wordsize(const struct img *im);

size_t ehdr_size(unsigned bits);
size_t phdr_size(unsigned bits);
size_t shdr_size(unsigned bits);
size_t sym_size(unsigned bits);

void img_ehdr(struct img *im, uint16_t type, uint16_t machine, uint64_t phoff, uint16_t phnum,
	      uint64_t shoff, uint16_t shnum, uint16_t shstrndx);
void img_phdr(struct img *im, uint64_t phoff, size_t index, const struct elf_phdr *p);
void img_shdr(struct img *im, uint64_t shoff, size_t index, uint32_t name, const struct elf_shdr *s);
void img_sym(struct img *im, size_t off, uint32_t name, uint8_t info, uint8_t other,
	     uint16_t shndx, uint64_t value, uint64_t size);
/* One note record at off (header, name padded, desc padded to align);
 * returns the offset just past it. The caller has reserved the space. */
size_t img_note(struct img *im, size_t off, const void *name, uint32_t namesz, uint32_t type,
		const void *desc, uint32_t descsz, unsigned align);
size_t note_size(uint32_t namesz, uint32_t descsz, unsigned align);

#define DI_BASE 0x10000u
#define DI_MAX_PHDRS 12
#define DI_MAX_DYN 64

struct dimg {
	struct img im;
	uint16_t type, machine;
	uint32_t load_flags; /* flags of the PT_LOAD that maps the file */
	size_t phoff;
	struct elf_phdr ph[DI_MAX_PHDRS]; /* ph[0] is that PT_LOAD */
	size_t nph;
	char str[8192]; /* the dynamic string table, written by di_finish */
	size_t strsz;
	struct elf_dyn dyn[DI_MAX_DYN];
	size_t ndyn;
	size_t str_off, dyn_off; /* where di_finish put them */
	uint64_t shoff;          /* 0 unless a test adds sections */
	uint16_t shnum, shstrndx;
};

/* ET_DYN for machine x86-64, with room for DI_MAX_PHDRS program headers. */
void di_init(struct dimg *d, unsigned bits, bool be);
void di_free(struct dimg *d);
uint64_t di_vaddr(size_t off);
/* Adds s to the dynamic string table (once); returns its offset there. */
uint32_t di_str(struct dimg *d, const char *s);
void di_dyn(struct dimg *d, int64_t tag, uint64_t val);
/* A program header whose vaddr is DI_BASE + offset. */
void di_phdr(struct dimg *d, uint32_t type, uint32_t flags, uint64_t offset, uint64_t filesz, uint64_t align);
void di_phdr_at(struct dimg *d, uint32_t type, uint32_t flags, uint64_t offset, uint64_t vaddr,
		uint64_t filesz, uint64_t align);
/* Appends a NUL-terminated interpreter path and its PT_INTERP. */
void di_interp(struct dimg *d, const char *path);
/* Section headers [0] null, [1] .shstrtab, [2] `s` named `name`. The
 * .shstrtab also holds the NUL-separated names `more` (more_len bytes), so
 * a .symtab can use it as its string table (link 1); returns where `more`
 * starts in it. */
uint32_t di_one_section(struct dimg *d, const char *name, const struct elf_shdr *s, const char *more,
			size_t more_len);
/* Writes the string table, the dynamic section (if any entries), the program
 * headers and the ELF header. Returns the image size. */
size_t di_finish(struct dimg *d);
/* After di_finish: rewrites the value of the first dynamic entry with tag. */
void di_patch_dyn(struct dimg *d, int64_t tag, uint64_t val);

int di_parse(struct dimg *d, struct elf_file *ef, struct cr_err *err);

#endif
