/* The checks of `canrun check`: each matches one kind of need against a
 * target's provides and adds findings. They never print. */
#ifndef CANRUN_CHECKS_H
#define CANRUN_CHECKS_H

#include "elf/elf.h"
#include "go/analysis.h"
#include "loader/libcache.h"
#include "model/findings.h"
#include "model/needs.h"
#include "target/provides.h"

struct check_input {
	const char *path;
	const struct elf_file *elf;
	const struct needs *needs;
	const struct go_analysis *go; /* go->is_go false for other programs */
};

/* Machine and class, libc family and version, kernel floor, x86-64 level:
 * what a profile can judge without files. */
void check_platform(const struct check_input *in, const struct provides *p, struct findings *out);

/* Files a Go program reads at run time, looked up inside the target's root:
 * a CA bundle where Go looks, zoneinfo unless embedded, /etc/passwd for user
 * lookups, /etc/nsswitch.conf and the NSS modules glibc would dlopen for cgo
 * resolvers and user lookups. Profiles answer from their base facts. */
void check_runtime_files(const struct check_input *in, const struct provides *p, struct findings *out);

#endif
