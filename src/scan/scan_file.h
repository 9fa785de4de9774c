/* One file of a scan: read it, and if it is ELF, what inspect, harden and
 * check say about it, reduced to a record the reporters print and the
 * summary counts. Runs on worker threads: everything shared is read-only,
 * except the library cache, which locks itself. */
#ifndef CANRUN_SCAN_FILE_H
#define CANRUN_SCAN_FILE_H

#include <jansson.h>
#include <stdbool.h>
#include <sys/types.h>

#include "harden/harden.h"
#include "loader/libcache.h"
#include "model/findings.h"
#include "model/needs.h"
#include "target/provides.h"

/* What every file of one scan is checked against. */
struct scan_config {
	struct provides *target;         /* NULL: no check (--no-check) */
	struct libcache *cache;          /* shared; its lock is set */
	const struct fortify_libc *libc; /* NULL when the target has no libc to read */
	struct fsroot *rpath_root;       /* where RPATH directories are looked up, or NULL */
	unsigned require;                /* REQ_* bits from --require */
	bool want_json;                  /* build each record's JSON */
	bool json_lines;                 /* and dump it to a line on the worker */
	bool keep_findings;              /* keep the check's findings in the record (SARIF) */
};

struct scan_job {
	char *path;          /* as reported: DIR/..., or the path inside the image */
	struct fsroot *from; /* the image the file is read from; NULL: a host path */
	char *at;            /* where it lives in the target's root; NULL: check's default */
	mode_t mode;         /* from the walk; the permission bits may be missing */
	int walk_error;      /* not a file: a directory the walk could not read (errno) */
};

struct scan_record {
	bool elf;    /* false: not an ELF file, nothing to report */
	char *error; /* an ELF file that could not be read or parsed */
	enum binary_kind kind;
	char machine[24];
	char max_glibc[16];
	bool checked; /* a program or library checked against the target */
	enum severity worst;
	char *problem;        /* the worst finding's message, when worse than ok */
	const char *problem_id;
	const char **ids;     /* every finding id at warn or fail (static strings) */
	size_t nids, ids_cap;
	struct hardening harden;
	unsigned unmet;       /* REQ_* bits required but missing */
	struct findings findings; /* the check's, with keep_findings */
	bool go;
	char *go_version;     /* "go1.19.8", or NULL */
	char *go_build;       /* how it was built: "CGO_ENABLED=0 -tags=netgo static" */
	json_t *json;         /* the record as JSON, when asked for */
	char *json_line;      /* or already dumped, for JSON Lines */
};

/* Worker side: job in, record out (never NULL). */
struct scan_record *scan_file(const struct scan_job *job, const struct scan_config *cfg);
void scan_record_free(struct scan_record *r);
void scan_job_free(struct scan_job *job);

#endif
