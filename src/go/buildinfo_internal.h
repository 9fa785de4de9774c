/* Pieces of go_buildinfo_read() shared between buildinfo.c (the blob) and
 * recover.c (the runtime's copies, when the blob is gone). */
#ifndef CANRUN_GO_BUILDINFO_INTERNAL_H
#define CANRUN_GO_BUILDINFO_INTERNAL_H

#include "go/buildinfo.h"

/* The `len` file bytes at virtual address addr, all in one segment. */
bool go_vaddr_bytes(const struct elf_file *ef, uint64_t addr, uint64_t len, struct byte_view *out);

/* The bytes of a non-empty Go string whose header {data, len} (two words
 * of ptr_size) lies at header_addr. */
bool go_string_view(const struct elf_file *ef, uint64_t header_addr, unsigned ptr_size, bool big_endian,
		    struct byte_view *out);

/* Fills what it can of bi (version, modinfo and their sources) from a Go
 * program whose build info blob is missing; leaves bi empty otherwise. */
void go_buildinfo_recover(const struct elf_file *ef, struct go_buildinfo *bi);

#endif
