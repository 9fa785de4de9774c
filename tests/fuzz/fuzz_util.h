/* What every fuzz target does with a report: text to a stream nobody
 * reads, JSON serialized in full, so that each reporter runs to the end. */
#ifndef CANRUN_FUZZ_UTIL_H
#define CANRUN_FUZZ_UTIL_H

#include <jansson.h>
#include <stdio.h>

/* /dev/null, opened once for the process; aborts when it cannot be. */
FILE *fuzz_devnull(void);

/* Serializes DOC and drops it. jansson leaves out a member whose value
 * could not be built (a string that is not UTF-8, say), and a NULL
 * document means a reporter went wrong: both abort, so the fuzzer keeps
 * the input. */
void fuzz_json_done(json_t *doc);

#endif
