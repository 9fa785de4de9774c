/* Pieces of harden_analyze() that live in their own files. */
#ifndef CANRUN_HARDEN_INTERNAL_H
#define CANRUN_HARDEN_INTERNAL_H

#include "harden/harden.h"

/* FORTIFY: fills fortify, the counts and the name lists. */
void harden_fortify(const struct harden_input *in, bool is_static, struct hardening *h);

#endif
