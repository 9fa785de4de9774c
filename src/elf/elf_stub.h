/* A stub of an ELF file: its bytes with everything zeroed but what canrun
 * reads, at the same offsets. The stub decodes to the same header,
 * segments, sections, dynamic section, symbols, versions, relocations and
 * notes as the file, and keeps the strings that are searched for in
 * loaders, libc and libcrypto (SYSTEM_DIRS, version banners, the NSS
 * symbol), so a saved profile reads like the root it came from. The zeroed
 * code and data compress away. */
#ifndef CANRUN_ELF_STUB_H
#define CANRUN_ELF_STUB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct stub_extent {
	uint64_t offset, length;
};

struct stub_extents {
	struct stub_extent *ext; /* sorted, disjoint, not adjacent */
	size_t n;
};

/* The byte ranges of DATA to keep. A file that is not ELF, or whose
 * section table cannot be read, keeps its first 4 KiB (what a loader
 * reads to refuse it) or, with no section table, everything. STRINGS: also
 * the searched-for strings (for loaders, libc and libcrypto). */
void elf_stub_extents(const unsigned char *data, size_t size, bool strings, struct stub_extents *out);
void stub_extents_free(struct stub_extents *s);

/* Zeroes, in a copy of an ELF file, the parts of kept tables that carry no
 * fact canrun reads, so that they compress away: each relocation's offset
 * and addend (and the whole entry when it names no symbol: the reader
 * skips those), and of each dynamic symbol its size and its value but
 * whether it is zero (a definition at 0 is not one). Nothing else changes. */
void elf_stub_mask(unsigned char *copy, size_t size);

/* Whether a file of this name holds strings canrun searches for. */
bool elf_stub_wants_strings(const char *name);

/* The kept bytes, one after the other (malloc'd; *len set). */
unsigned char *stub_extents_gather(const unsigned char *data, const struct stub_extents *s, size_t *len);

/* The file again from its kept bytes: SIZE bytes, zero outside the extents
 * (calloc'd, so untouched pages cost nothing). */
unsigned char *stub_extents_scatter(const unsigned char *kept, const struct stub_extents *s, size_t size);

#endif
