/* Reporter for scan records as text: one table row per ELF file, and the
 * reason under each one that warns or fails. */
#ifndef CANRUN_SCAN_REPORT_H
#define CANRUN_SCAN_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "cli/style.h"
#include "scan/scan_file.h"

/* checked: the scan has a target, so rows start with a verdict. */
void scan_print_header(FILE *out, const struct style *st, bool checked);
void scan_print_row(FILE *out, const struct style *st, bool checked, const char *path, const struct scan_record *r);

#endif
