/* canrun tls: the findings a probe gives, and its text and JSON reports. */
#ifndef CANRUN_TLS_REPORT_H
#define CANRUN_TLS_REPORT_H

#include <jansson.h>
#include <stdio.h>

#include "model/findings.h"
#include "tls/probe.h"

void tls_findings(const struct tls_result *r, long warn_days, struct findings *f);
void tls_report_text(FILE *out, const char *target, const struct tls_result *r, const struct findings *f);
json_t *tls_report_json(const char *target, const struct tls_result *r, const struct findings *f);

#endif
