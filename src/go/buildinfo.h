/* Go build information (what `go version -m` prints), read from the blob the
 * Go linker writes behind the magic "\xff Go buildinf:", or, when a vendor
 * removed that blob, recovered from the runtime's own copies (recover.c). */
#ifndef CANRUN_GO_BUILDINFO_H
#define CANRUN_GO_BUILDINFO_H

#include <stdbool.h>
#include <stddef.h>

#include "elf/elf.h"

struct go_buildinfo {
	char *version; /* "go1.19.8"; NULL when the file is not a Go program */
	char *modinfo; /* the module text without its 16-byte frames; may be "" */
	/* Where each came from: "build info" (the blob), or the place it was
	 * recovered from ("runtime.buildVersion", ".rodata section", ...);
	 * "" when absent. Section names come from the file: untrusted. */
	char version_source[64], modinfo_source[64];
};

/* Fills bi; returns true when a Go version was found. Never fails
 * otherwise: a damaged blob reads as "no build info". Module text may be
 * recovered without a version (then it returns false). */
bool go_buildinfo_read(const struct elf_file *ef, struct go_buildinfo *bi);
void go_buildinfo_free(struct go_buildinfo *bi);

/* The module text in raw bytes: the first blob at or after `from` made of
 * cmd/go's 16-byte start frame, text in the grammar of module info (tabs,
 * newlines and printable bytes, ending in a newline, at most max_text
 * bytes) and the end frame. Sets *at and *len (frames included). Linear in
 * the view's size whatever it holds. */
bool go_modinfo_blob_find(const struct byte_view *v, uint64_t from, uint64_t max_text, uint64_t *at,
			  uint64_t *len);

#endif
