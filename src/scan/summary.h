/* The end of a scan: what a whole tree or image amounts to. Fed one record
 * at a time (in order, on one thread); keeps counts and a few examples, so
 * its size does not grow with the number of files. */
#ifndef CANRUN_SCAN_SUMMARY_H
#define CANRUN_SCAN_SUMMARY_H

#include <jansson.h>
#include <stdio.h>

#include "cli/style.h"
#include "scan/scan_file.h"

struct summary_count {
	char *key;     /* a finding id, a Go version and build, an error */
	size_t count;
	char *example; /* the first file it was seen in */
};

struct summary_counts {
	struct summary_count *items;
	size_t count, cap;
};

struct scan_summary {
	size_t files; /* regular files walked: set by the walker, not summary_add */
	size_t elf, errors, checked;
	size_t verdicts[SEV_FAIL + 1];
	struct summary_counts reasons; /* finding ids at warn or fail */
	struct summary_counts go;      /* "go1.19.8 CGO_ENABLED=0 static" */
	struct summary_counts error_kinds;
	size_t kinds[KIND_UNKNOWN + 1];
	char max_glibc[16];
	char *max_glibc_file;
	size_t go_files;
	/* Hardening, over the files harden applies to (not objects or cores). */
	size_t hardened, relro_full, relro_partial, pie, nx, canary, canary_go, fortify_full,
		fortify_partial, textrel, exec_stack, unsafe_rpath;
	size_t unmet_files;
	size_t unmet_by_bit[16];
};

void summary_add(struct scan_summary *s, const char *path, const struct scan_record *r);
/* A directory that could not be read. */
void summary_add_walk_error(struct scan_summary *s, const char *path, const char *why);
/* Both sort the lists (most frequent first) before they report them. */
void summary_print(FILE *out, const struct style *st, struct scan_summary *s, const char *target, unsigned require);
json_t *summary_to_json(struct scan_summary *s, const char *target, unsigned require);
void summary_free(struct scan_summary *s);

#endif
