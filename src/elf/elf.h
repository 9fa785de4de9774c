/* The ELF reader: maps a file once and decodes what canrun needs into native
 * structs, whatever the file's class (ELF32/ELF64) and byte order.
 *
 * Everything is validated on the way in: strings are known to be
 * NUL-terminated inside their table, counts are bounded by the bytes that
 * hold them, and chains (version records) are walked with an iteration
 * budget, so a hostile file can neither crash nor hang a reader. Strings
 * point into the mapping and live as long as the elf_file. */
#ifndef CANRUN_ELF_H
#define CANRUN_ELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "elf/bytes.h"
#include "util/err.h"

struct elf_phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

struct elf_shdr {
	const char *name; /* "" when the name table is missing or bad */
	uint32_t type, link, info;
	uint64_t flags, addr, offset, size, addralign, entsize;
};

struct elf_dyn {
	int64_t tag;
	uint64_t val;
};

struct elf_sym {
	const char *name;
	uint64_t value, size;
	uint8_t bind, type, visibility;
	uint16_t shndx;
	uint16_t versym; /* raw .gnu.version entry, 0 when there is none */
};

struct elf_vernaux {
	const char *name;
	uint32_t hash;
	uint16_t flags, other; /* other: the index symbols use to point here */
};

struct elf_verneed {
	const char *file;
	struct elf_vernaux *aux;
	size_t naux;
};

struct elf_verdef {
	const char *name;    /* the first aux entry: the version defined */
	const char *parent;  /* the second aux entry, if any */
	uint16_t flags, ndx;
};

struct elf_reloc {
	uint32_t sym; /* index into dynsyms */
	bool plt;     /* from DT_JMPREL: bound lazily unless BIND_NOW */
	bool copy;    /* a copy relocation: the definition is looked up past the program */
};

struct elf_notes {
	bool has_abi_tag;
	uint32_t abi_os, abi_version[3]; /* NT_GNU_ABI_TAG: minimum kernel */
	char build_id[2 * 64 + 1];       /* hex; "" when absent */
	bool has_x86_isa_needed, has_x86_feature_1;
	uint32_t x86_isa_needed;         /* GNU_PROPERTY_X86_ISA_1_NEEDED bits */
	uint32_t x86_feature_1;          /* GNU_PROPERTY_X86_FEATURE_1_AND bits */
	const char *go_build_id;         /* the "Go" note's text, or NULL */
	size_t go_build_id_len;
};

struct elf_file {
	struct byte_view view; /* the whole file */
	void *mapping;         /* owned; NULL when reading caller memory */
	size_t mapping_size;
	bool mapping_on_heap;  /* a small file's bytes, read into a malloc'd copy */

	unsigned bits; /* 32 or 64 */
	bool big_endian;
	uint8_t osabi, abiversion;
	uint16_t type, machine;
	uint32_t flags;
	uint64_t entry;

	struct elf_phdr *phdrs;
	size_t nphdrs;
	struct elf_shdr *shdrs;
	size_t nshdrs;

	const char *interp; /* PT_INTERP, or NULL */

	struct elf_dyn *dyn;
	size_t ndyn;
	struct byte_view dynstr; /* DT_STRTAB to its segment's end, empty when absent */
	uint64_t dynstr_terminated; /* one past dynstr's last NUL: an offset below it
				     * starts a terminated string (found once, so each
				     * name costs no scan) */

	struct elf_sym *dynsyms;
	size_t ndynsyms;
	struct elf_verneed *verneeds;
	size_t nverneeds;
	struct elf_verdef *verdefs;
	size_t nverdefs;

	struct elf_reloc *relocs; /* symbol references, in ld.so's order, once */
	size_t nrelocs;           /* elf_load_relocs has read them */
	bool relocs_loaded;

	struct elf_notes notes;
	bool bad_version_record; /* a Verneed/Verdef revision ld.so refuses */

	/* Problems that did not stop the read (say, a damaged section table
	 * that the loader never looks at); shown to the user as warnings. */
	char **warnings;
	size_t nwarnings, warnings_cap;
};

/* Opens and maps `path`; refuses directories, devices, FIFOs and files that
 * are not ELF. Returns 0, or -1 with a one-line reason in err. */
int elf_open(struct elf_file *ef, const char *path, struct cr_err *err);

/* The same for a file the caller opened (and still owns). */
int elf_open_fd(struct elf_file *ef, int fd, struct cr_err *err);

/* Parses ELF data that the caller keeps alive (fuzzing, image layers). */
int elf_parse_memory(struct elf_file *ef, const void *data, size_t size, struct cr_err *err);

void elf_close(struct elf_file *ef);

/* Reads the symbol references of the relocation tables into relocs (only
 * binding needs them, and a big library has hundreds of thousands of
 * entries); does nothing the second time. Not thread-safe on one file. */
void elf_load_relocs(struct elf_file *ef);

/* Translates a virtual address to a file offset through the PT_LOAD
 * segments; *avail gets the file bytes from there to the segment's end. */
bool elf_vaddr_to_offset(const struct elf_file *ef, uint64_t vaddr, uint64_t *offset, uint64_t *avail);

/* A separate debug file: its code segments keep their sizes but none of
 * their bytes, so there is nothing to run or load. */
bool elf_code_missing(const struct elf_file *ef);

/* The last dynamic entry with this tag (the one ld.so uses), or false. */
bool elf_dyn_get(const struct elf_file *ef, int64_t tag, uint64_t *val);

/* A string from the dynamic string table, or NULL when out of range. */
const char *elf_dynstr(const struct elf_file *ef, uint64_t offset);

/* Calls fn for each named symbol of the .symtab section (the link-time
 * table that strip removes); false when the file has none. */
/* One entry of a dynamic relocation table, as elf_reloc_each meets it. */
struct elf_reloc_entry {
	uint64_t offset;   /* of the entry in the file */
	unsigned width;    /* of each field: 4 or 8 */
	uint64_t info;     /* r_info */
	uint32_t sym, type;
	bool rela, plt;    /* has an addend; from DT_JMPREL */
};

/* Calls fn for each entry of the dynamic relocation tables in ld.so's
 * order: DT_RELA, DT_REL, then DT_JMPREL. False when a table lies outside
 * its segment (its entries are not met). */
bool elf_reloc_each(const struct elf_file *ef, void (*fn)(const struct elf_reloc_entry *e, void *ctx), void *ctx);

bool elf_symtab_each(const struct elf_file *ef, void (*fn)(const struct elf_sym *sym, void *ctx), void *ctx);

const struct elf_shdr *elf_section_by_name(const struct elf_file *ef, const char *name);
const struct elf_phdr *elf_phdr_by_type(const struct elf_file *ef, uint32_t type);

/* Names for humans and JSON: "x86_64", "s390x", "EM_1234"... */
const char *elf_machine_name(uint16_t machine, unsigned bits, bool big_endian, char *buf, size_t len);
const char *elf_osabi_name(uint8_t osabi, char *buf, size_t len);
const char *elf_type_name(uint16_t type, char *buf, size_t len);

#endif
