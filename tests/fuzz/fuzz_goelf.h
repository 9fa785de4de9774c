/* The smallest ELF file the Go readers accept, built around fuzzed bytes:
 * an x86-64 ELF64 little-endian executable whose one PT_LOAD (read-write)
 * maps the whole file at GOELF_BASE, so that every virtual address a blob
 * holds is GOELF_BASE plus a file offset, and named sections over the
 * given bytes. The first section starts at GOELF_FIRST; the others follow
 * on 16-byte boundaries. The seed scripts rely on both numbers. */
#ifndef CANRUN_FUZZ_GOELF_H
#define CANRUN_FUZZ_GOELF_H

#include <stddef.h>

#define GOELF_BASE 0x400000u
#define GOELF_FIRST 0x80u
#define GOELF_MAX_SECTIONS 4

struct goelf_section {
	const char *name;
	const void *data;
	size_t size;
};

/* A malloc'ed image of the file; its size in *size. */
unsigned char *goelf_build(const struct goelf_section *s, size_t n, size_t *size);

/* Go's module text as the linker stores it: cmd/go's 16-byte frames
 * around TEXT (malloc'ed; its size in *size). */
unsigned char *goelf_framed(const void *text, size_t len, size_t *size);

/* A Go 1.18+ build info blob (32-byte header, inline strings) of VERSION
 * and the framed MODINFO (text without frames; NULL for none). */
unsigned char *goelf_buildinfo(const char *version, const void *modinfo, size_t len, size_t *size);

#endif
