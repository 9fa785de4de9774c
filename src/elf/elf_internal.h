/* Steps of elf_parse_memory() that live in their own files. */
#ifndef CANRUN_ELF_INTERNAL_H
#define CANRUN_ELF_INTERNAL_H

#include "elf/elf.h"

void elf_warn(struct elf_file *ef, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void elf_parse_symbols(struct elf_file *ef);
int elf_parse_versions(struct elf_file *ef, struct cr_err *err);
void elf_parse_notes(struct elf_file *ef);
/* Warns when a relocation table lies outside its segment, without reading it. */
void elf_check_reloc_tables(struct elf_file *ef);

#endif
