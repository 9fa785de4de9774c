/* Go build information (what `go version -m` prints), read from the blob the
 * Go linker writes behind the magic "\xff Go buildinf:". */
#ifndef CANRUN_GO_BUILDINFO_H
#define CANRUN_GO_BUILDINFO_H

#include <stdbool.h>
#include <stddef.h>

#include "elf/elf.h"

struct go_buildinfo {
	char *version; /* "go1.19.8"; NULL when the file is not a Go program */
	char *modinfo; /* the module text without its 16-byte frames; may be "" */
};

/* Fills bi; returns true when build info was found. Never fails otherwise:
 * a damaged blob reads as "no build info". */
bool go_buildinfo_read(const struct elf_file *ef, struct go_buildinfo *bi);
void go_buildinfo_free(struct go_buildinfo *bi);

#endif
