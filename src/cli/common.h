/* What every subcommand does the same way after parsing its options. */
#ifndef CANRUN_CLI_COMMON_H
#define CANRUN_CLI_COMMON_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "cli/style.h"
#include "target/provides.h"

/* Sets up colour for stdout from --color WHEN; prints the error and returns
 * EXIT_USAGE on a bad value, else EXIT_OK. */
int cli_style(struct style *st, const char *color);

/* EXIT_OK when FILE arguments follow the options, else prints why (and the
 * usage) and returns EXIT_USAGE. */
int cli_need_files(int argc, int first, const char *command, void (*usage)(FILE *out));

/* The exit status for a provides_open() failure: EXIT_USAGE for a spec
 * that names nothing, EXIT_UNREADABLE for an image that cannot be read. */
int cli_target_status(int rc);

/* "x86-64-v1".."x86-64-v4" (or "x86-64") to a level 1..4; -1 if not. */
int cli_parse_cpu(const char *s, unsigned *level);

/* --cpu and --platform into the options every target is opened with;
 * prints the error and returns EXIT_USAGE on a bad value, else EXIT_OK.
 * Either text may be NULL. */
int cli_target_opts(const char *cpu, const char *platform, struct target_opts *out);

/* Opens one target; prints the one-line reason and returns EXIT_USAGE (no
 * such profile) or EXIT_UNREADABLE (a root or image that cannot be read),
 * else EXIT_OK. */
int cli_open_target(struct provides *p, const char *spec, const struct target_opts *opts);

/* Ends a per-file command: with json, prints {"files": files}; frees files. */
void cli_finish_files(json_t *files, bool json);

#endif
