/* The release gate of `canrun check --require LIST --deny KINDS`: what must
 * hold for every file on every target before a release. The verdict must
 * not be "fails" (named "runs" in --require), the hardening properties
 * --require names must be met (harden's own evaluation), and no finding of
 * a kind --deny names may be there. The gate never prints: the command
 * reports its failures. */
#ifndef CANRUN_GATE_H
#define CANRUN_GATE_H

#include <stdbool.h>

#include "model/findings.h"
#include "util/err.h"

struct gate_policy {
	bool runs;        /* "runs" was named */
	unsigned require; /* REQ_* bits of harden.h */
	unsigned deny;    /* GATE_DENY_* bits below */
};

/* Parses "runs,pie,full-relro": "runs" and harden's --require names; -1 with
 * a one-line reason (listing the valid names) on an unknown one. */
int gate_parse_require(const char *list, struct gate_policy *g, struct cr_err *err);
/* Parses "certs-missing,tzdata-missing"; -1 with a one-line reason (listing
 * the valid kinds) on an unknown one. */
int gate_parse_deny(const char *list, struct gate_policy *g, struct cr_err *err);

/* The kind of --deny that denies this finding, or NULL: only findings at
 * warn or unknown are denied (a failing one already fails the gate). */
const char *gate_denied_kind(const struct gate_policy *g, const struct finding *f);

/* The kind names, in order, for help and JSON: NULL past the last. */
const char *gate_deny_name(unsigned index);

#endif
