/* JSON helpers over jansson. Strings from ELF files are arbitrary bytes and
 * jansson only takes UTF-8, so every string goes through json_text(), which
 * replaces invalid bytes with U+FFFD instead of failing. */
#ifndef CANRUN_JSON_H
#define CANRUN_JSON_H

#include <jansson.h>
#include <stdio.h>

json_t *json_text(const char *s);                 /* NULL s gives JSON null */
json_t *json_textn(const char *s, size_t len);
json_t *json_text_array(const char *const *items, size_t count);

/* The text json_dumps(v, JSON_INDENT(2)) gives, as if v sat `depth` levels
 * deep in a larger document (so its inner lines are indented 2 * depth
 * spaces more), written without jansson's per-token callbacks: a per-file
 * command's output is mostly this. NULL when a value cannot be written. */
char *json_write_indented(const json_t *v, size_t depth);

/* Writes the document and a newline; returns -1 when stdout fails. */
int json_print(json_t *doc, FILE *out);

#endif
