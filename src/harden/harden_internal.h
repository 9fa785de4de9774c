/* Pieces of harden_analyze() that live in their own files. */
#ifndef CANRUN_HARDEN_INTERNAL_H
#define CANRUN_HARDEN_INTERNAL_H

#include "harden/harden.h"

/* Calls fn for each named symbol of the .symtab section (the link-time
 * table that strip removes); false when the file has none. */
bool harden_symtab_each(const struct elf_file *ef, void (*fn)(const struct elf_sym *sym, void *ctx), void *ctx);

/* FORTIFY: fills fortify, the counts and the name lists. */
void harden_fortify(const struct harden_input *in, bool is_static, struct hardening *h);

#endif
