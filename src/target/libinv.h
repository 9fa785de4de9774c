/* The library inventory of a built-in Debian release on amd64: the
 * libraries a minimal install has (name, path, the symbol versions each
 * defines) and, for the others, which packages of the release ship them.
 * Generated from real roots and the archive's Contents indexes by
 * scripts/gen-debian-libs.py into target/libs/debian-N.def. */
#ifndef CANRUN_LIBINV_H
#define CANRUN_LIBINV_H

#include <stdbool.h>
#include <stddef.h>

#include "target/provides.h"

struct libinv_lib {
	const char *name;     /* as a program's DT_NEEDED names it: the SONAME */
	const char *path;     /* where the loader finds it */
	const char *versions; /* the versions it defines, space-separated */
};

struct libinv {
	const char *release;  /* "bookworm" */
	const char *machine;  /* the only machine it knows, kernel spelling */
	const char *source;   /* how it was made */
	const struct libinv_lib *libs; /* sorted by name */
	size_t nlibs;
	const char *packages; /* "SONAME PACKAGE...\n" lines sorted by SONAME */
	size_t packages_len;
};

/* The inventory of a profile, whatever machine it is judged on; NULL when
 * it has none. Then *why (may be NULL) says why not, or is NULL when the
 * profile is not a Debian one. */
const struct libinv *libinv_for_profile(const struct profile *p, const char **why);

/* The library of the minimal install by name, or NULL. */
const struct libinv_lib *libinv_find(const struct libinv *inv, const char *name);

/* Whether the library defines VERSION. */
bool libinv_defines(const struct libinv_lib *lib, const char *version);

/* The packages that ship SONAME, space-separated ("libssl3"; outside main
 * "non-free/libcuda1"), into buf; false when no package does. */
bool libinv_packages(const struct libinv *inv, const char *soname, char *buf, size_t len);

/* How many SONAMEs the packages ship beyond the minimal install. */
size_t libinv_package_count(const struct libinv *inv);

#endif
