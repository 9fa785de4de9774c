/* The checks of `canrun check`: each matches one kind of need against a
 * target's provides and adds findings. They never print. */
#ifndef CANRUN_CHECKS_H
#define CANRUN_CHECKS_H

#include "elf/elf.h"
#include "go/analysis.h"
#include "loader/libcache.h"
#include "model/findings.h"
#include "model/needs.h"
#include "target/libinv.h"
#include "target/provides.h"

struct check_input {
	const char *path;
	const struct elf_file *elf;
	const struct needs *needs;
	const struct go_analysis *go; /* go->is_go false for other programs */
	const char *at;               /* where it runs (argv[0]), or NULL: path */
};

/* Machine and class, libc family and version, kernel floor, x86-64 level:
 * what a profile can judge without files. */
void check_platform(const struct check_input *in, const struct provides *p, struct findings *out, int *exit_status);

/* The libraries a program needs, on a profile that has a library inventory:
 * in its minimal install (and then its symbol versions), in a package of
 * the release, or nowhere. Sets *exit_status (if 0) as the loader would end. */
void check_profile_libs(const struct check_input *in, const struct provides *p, const struct libinv *inv,
			struct findings *out, int *exit_status);

/* The CPU a verdict is for, ending a message: "on this CPU (x86-64-v3)",
 * "on x86-64-v1, assumed as the lowest the target runs on (--cpu names
 * yours)". */
void check_describe_cpu(const struct provides *p, char *out, size_t len);

/* A Go program the Go runtime itself stops at start on any target (a
 * system-linker build without runtime/cgo); true when it added a finding. */
bool check_go_start(const struct check_input *in, struct findings *out);

/* Files a Go program reads at run time, looked up inside the target's root:
 * a CA bundle where Go looks, zoneinfo unless embedded, /etc/passwd for user
 * lookups, /etc/nsswitch.conf and the NSS modules glibc would dlopen for cgo
 * resolvers and user lookups. Profiles answer from their base facts. */
void check_runtime_files(const struct check_input *in, const struct provides *p, struct findings *out);

/* One binary against one target: every check above, and for targets with
 * files the loader's own verdict (check/loader_check.h). */
struct check_result {
	struct findings findings;
	char *loader_error; /* the loader's exact text, or NULL */
	int exit_status;    /* the status the start would end with */
};

/* Runs the checks for the program living at `at` inside p->root (ignored
 * for profiles). PROGRAM may come from the cache or be the caller's own. */
void check_binary(const struct check_input *in, struct provides *p, struct libcache *cache,
		  struct lib_entry *program, const char *at, struct check_result *out);
void check_result_free(struct check_result *r);

/* Where a program outside the root is placed when the user does not say:
 * its own path on the host, /app/NAME inside any other root. Malloc'd. */
char *check_default_at(const struct provides *p, const char *file_real);

#endif
