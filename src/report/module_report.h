/* canrun module: the report on one directory, as text and as JSON. */
#ifndef CANRUN_MODULE_REPORT_H
#define CANRUN_MODULE_REPORT_H

#include <jansson.h>
#include <stdio.h>

#include "cli/style.h"
#include "gomod/mode.h"

json_t *module_report_json(const struct module_report *r, const struct module_env *env);
void module_report_text(FILE *out, const struct style *st, const struct module_report *r,
			const struct module_env *env);
/* "builds", "warns", "fails" (or "unknown") for the worst finding. */
const char *module_verdict(const struct module_report *r);

#endif
