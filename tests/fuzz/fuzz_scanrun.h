/* `canrun scan image:FILE` on an image archive held in memory, as the CLI
 * runs it: a text table, JSON or JSON Lines by FORMAT % 3 (one read of
 * the image an input), the JSON checked whole (fuzz_cmd_json). */
#ifndef CANRUN_FUZZ_SCANRUN_H
#define CANRUN_FUZZ_SCANRUN_H

#include <stddef.h>

void fuzz_scan_image(const void *image, size_t size, size_t format);

#endif
