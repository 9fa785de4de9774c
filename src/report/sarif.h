/* SARIF 2.1.0 for code scanning, shared by check, scan and harden: one
 * run of canrun, one rule per finding id met, one result per finding.
 * Results are collected, then printed as one complete document. */
#ifndef CANRUN_SARIF_H
#define CANRUN_SARIF_H

#include <stdbool.h>
#include <stdio.h>

#include <jansson.h>

#include "harden/harden.h"
#include "model/findings.h"

enum sarif_level { SARIF_NONE, SARIF_NOTE, SARIF_WARNING, SARIF_ERROR };

/* One finding about one file. Every string is copied; only id, level,
 * message and path are required. */
struct sarif_result {
	const char *id;       /* the rule: the finding's stable id */
	enum sarif_level level;
	bool pass;            /* a check that passed (kind "pass", level "none") */
	const char *message, *evidence, *fix;
	const char *path;     /* the file as named, or its path inside image */
	const char *image;    /* the image the file was read from, or NULL */
	const char *target;   /* what it was checked against, or NULL */
	const char *verdict;  /* the verdict there, or NULL */
};

struct sarif;

/* command: "check", "scan" or "harden"; version: canrun's. */
struct sarif *sarif_new(const char *command, const char *version);
void sarif_add(struct sarif *s, const struct sarif_result *r);
/* A file or input that could not be read: a tool execution notification,
 * and the run is not "executionSuccessful". */
void sarif_add_error(struct sarif *s, const char *path, const char *reason);
/* Adds a property to the run (takes the reference), as check's gate. */
void sarif_set_run_property(struct sarif *s, const char *key, json_t *value);
/* Prints the document and frees s; -1 when writing failed. */
int sarif_finish(struct sarif *s, FILE *out);

/* error, warning, note; a passed check is none (kind "pass"). */
enum sarif_level sarif_level_of(enum severity sev);
/* A finding of check as a result: its id, level, message, evidence, fix. */
void sarif_add_finding(struct sarif *s, const struct finding *f, const char *path, const char *image,
		       const char *target, const char *verdict);

/* harden's notes of one file as results (harden_each_note): an unmet
 * --require property is an error, a warning a warning, a note a note; with
 * only_unmet, the unmet properties alone (check, scan). `where` gives the
 * path, image, target and verdict; its other fields are ignored. */
void sarif_add_hardening(struct sarif *s, const struct hardening *h, unsigned unmet, bool only_unmet,
			 const struct sarif_result *where);

/* The path as a URI reference: RFC 3986 percent-encoding of every byte
 * but the unreserved ones and '/', with "file://" before an absolute path.
 * Malloc'd. */
char *sarif_path_uri(const char *path);

#endif
