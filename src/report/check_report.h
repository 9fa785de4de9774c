/* Reporter for check results: the stable JSON of docs/json.md. */
#ifndef CANRUN_CHECK_REPORT_H
#define CANRUN_CHECK_REPORT_H

#include <jansson.h>

#include "check/checks.h"
#include "model/findings.h"

json_t *findings_to_json(const struct findings *f);
/* {"target", "distro", "verdict", "loader_error", "exit_status", "findings"} */
json_t *check_result_to_json(const struct provides *p, const struct check_result *c);

#endif
