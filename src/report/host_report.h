/* `canrun host` reports: text in short sections, and one JSON document
 * (schema in docs/json.md). */
#ifndef CANRUN_HOST_REPORT_H
#define CANRUN_HOST_REPORT_H

#include <jansson.h>
#include <stdio.h>

#include "cli/style.h"
#include "host/host.h"

json_t *host_json(const struct host_facts *h);
void host_print_text(FILE *out, const struct style *st, const struct host_facts *h);

/* "glibc", "musl", "none", "unknown". */
const char *host_libc_name(enum libc_kind libc);
/* "present", "no certificate", "absent" for a CA bundle file. */
const char *host_ca_state_name(enum rf_ca_state state);

#endif
