/* Helpers shared by the function-table tests: string lists, byte order,
 * and ELF images that hold a table (built with elf_builder). */
#ifndef CANRUN_PCLNTAB_TESTLIB_H
#define CANRUN_PCLNTAB_TESTLIB_H

#include "test_common.h"

#include "elf/elf.h"
#include "elf_builder.h"
#include "go/pclntab.h"

/* The table magics, by the Go version that introduced the layout. */
#define MAGIC_12 0xfffffffbu
#define MAGIC_116 0xfffffffau
#define MAGIC_118 0xfffffff0u
#define MAGIC_120 0xfffffff1u

struct strs {
	char **v;
	size_t n, cap;
};

void strs_push(struct strs *s, char *str);
void strs_free(struct strs *s);
int cmp_str(const void *a, const void *b);
void strs_sort_unique(struct strs *s);
/* The function names of a table, sorted and unique, for comparisons:
 * the table gives them in its own order. */
void sorted_funcs(const struct go_functab *t, struct strs *out);
bool strs_has(const struct strs *s, const char *str);
void assert_strictly_sorted(char *const *v, size_t n);
void assert_same_list(const char *const *a, size_t na, const char *const *b, size_t nb);
unsigned char *read_whole(const char *path, size_t *size);
void put(unsigned char *p, unsigned width, uint64_t v, bool be);
uint64_t get(const unsigned char *p, unsigned width, bool be);
/* An image whose PT_LOAD (flags `load_flags`) maps the whole file, holding
 * `table` at an 8-aligned offset plus `shift` (to test 4-aligned tables),
 * with a section `section` over it, or no section headers at all. */
void embed(struct dimg *d, const struct flavour *f, uint32_t load_flags, const void *table, size_t len,
	   size_t shift, const char *section);
/* Reads the table of an image; an empty answer when there is none. */
bool read_image(struct dimg *d, struct go_functab *t);
/* A damaged table may be refused, or read as far as it is sound; it must
 * never yield more names than its bytes can hold. */
void expect_sane(struct dimg *d, size_t table_size, const struct go_functab *full);

#endif
