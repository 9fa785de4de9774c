/* Reporters for a binary's needs: JSON (the stable schema in docs/json.md)
 * and human text. */
#ifndef CANRUN_NEEDS_REPORT_H
#define CANRUN_NEEDS_REPORT_H

#include <jansson.h>
#include <stdio.h>

#include "cli/style.h"
#include "elf/elf.h"
#include "model/needs.h"

json_t *needs_to_json(const char *path, const struct elf_file *ef, const struct needs *n);
void needs_print_text(FILE *out, const struct style *st, const char *path,
		      const struct elf_file *ef, const struct needs *n);

/* "x86-64-v3", or NULL for level 0. */
const char *x86_isa_level_name(unsigned level);

#endif
