/* `canrun go` on FILE (text with the package list, then JSON) and, when
 * CHECK is set, `canrun check --target debian-12` (JSON or explained text
 * by CHECK_JSON: both reports, at half the cost of running each on every
 * input), as the CLI runs them; their output goes to /dev/null. */
#ifndef CANRUN_FUZZ_GORUN_H
#define CANRUN_FUZZ_GORUN_H

#include <stdbool.h>
#include <stddef.h>

void fuzz_go_reports(const void *file, size_t size, bool check, bool check_json);

#endif
