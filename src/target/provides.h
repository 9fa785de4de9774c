/* A target's provides: what a system offers a binary. A built-in profile
 * knows only its base (libc, kernel, CPU floor, CA bundle, tzdata); a root
 * file system or this host also has files to look at. */
#ifndef CANRUN_PROVIDES_H
#define CANRUN_PROVIDES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "target/fsroot.h"

enum libc_kind { LIBC_NONE, LIBC_GLIBC, LIBC_MUSL, LIBC_UNKNOWN };

/* TARGET_SAVED: a profile saved by `canrun host --save`, read into memory. */
enum target_kind { TARGET_PROFILE, TARGET_ROOTFS, TARGET_HOST, TARGET_IMAGE, TARGET_SAVED };

struct profile {
	const char *name;        /* "debian-12" */
	const char *aliases;     /* space-separated other names: "bookworm debian:12" */
	const char *title;       /* "Debian 12 (bookworm)" */
	const char *machines;    /* space-separated uname -m names: "x86_64 aarch64 ..." */
	enum libc_kind libc;
	const char *libc_version; /* "2.36", "1.2.3"; NULL when no libc */
	const char *kernel;       /* the release's kernel, "6.1"; NULL when it is the host's (containers) */
	unsigned x86_level;       /* x86-64 CPU floor: 1 (baseline) .. 3 (RHEL 10) */
	const char *ca_bundle;    /* path of the CA bundle in the base, or NULL when none */
	bool tzdata;              /* /usr/share/zoneinfo in the base */
	bool passwd;              /* /etc/passwd in the base */
	bool nsswitch;            /* /etc/nsswitch.conf in the base */
	bool container;           /* an image base: the kernel is the host's */
	const char *source;       /* where the facts come from */
};

/* The built-in profiles, in the order `canrun targets` lists them. */
const struct profile *profiles_all(size_t *count);
/* A profile by name or alias (case-insensitive), or NULL. */
const struct profile *profile_find(const char *name);
/* Whether the release exists for MACHINE (the kernel's spelling). */
bool profile_has_machine(const struct profile *p, const char *machine);
/* The default matrix for `canrun check` without --target. */
const char *const *profiles_default_matrix(size_t *count);

struct provides {
	enum target_kind kind;
	char *name;          /* what the user named: "debian-12", "/srv/root", "host" */
	const struct profile *profile; /* TARGET_PROFILE only */
	struct fsroot *root;           /* every kind but TARGET_PROFILE */
	char *distro;        /* PRETTY_NAME from os-release, or the profile's title */
	enum libc_kind libc;
	char libc_version[32];
	char kernel[80];     /* "" when unknown (a root: the host that runs it decides) */
	char machine[24];    /* the machine that runs it, in the kernel's spelling */
	unsigned x86_level;  /* its CPU's x86-64 level: 1..4 */
	bool cpu_assumed;    /* x86_level is the lowest the target runs on, not a known CPU */
	bool cpu_saved;      /* x86_level is the CPU a saved profile's host had */
	bool no_i386;        /* host, or a host's saved profile: its x86-64 kernel runs no 32-bit x86 program */
};

/* What the user said of every target: the CPU and the machine that will
 * run it. Zeroes mean "not said". */
struct target_opts {
	unsigned cpu_level;  /* --cpu; ignored for host, whose CPU is read */
	const char *machine; /* --platform, in the kernel's spelling */
};


#endif
