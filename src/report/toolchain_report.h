/* Reporters for `canrun toolchain`: grouped text and the JSON of
 * docs/json.md. */
#ifndef CANRUN_TOOLCHAIN_REPORT_H
#define CANRUN_TOOLCHAIN_REPORT_H

#include <jansson.h>
#include <stdio.h>

#include "cli/style.h"
#include "toolchain/toolchain.h"

/* The worst severity of everything the report found. */
enum severity tc_report_worst(const struct tc_report *r, const struct tc_env *e);

json_t *tc_report_json(const struct tc_report *r, const struct tc_env *e);
void tc_report_text(FILE *out, const struct style *st, const struct tc_report *r, const struct tc_env *e);

json_t *tc_verify_json(const char *file, const struct tc_verify *v);
void tc_verify_text(FILE *out, const struct style *st, const char *file, const struct tc_verify *v);

#endif
