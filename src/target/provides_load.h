/* Building a target's provides from what the user named. */
#ifndef CANRUN_PROVIDES_LOAD_H
#define CANRUN_PROVIDES_LOAD_H

#include "target/provides.h"
#include "util/err.h"

/* provides_open's failures: SPEC names nothing canrun knows (an unknown
 * profile or architecture, an image spec without a path or with a platform
 * that is not OS/ARCH: a usage error), or a root or image that cannot be
 * read. */
enum { PROVIDES_BAD_SPEC = -1, PROVIDES_UNREADABLE = -2 };

/* "host", "rootfs:DIR", a directory, "image:PATH[@OS/ARCH]" (docker-archive
 * or OCI layout, read in memory), "profile:FILE" (saved by `canrun host
 * --save`: its machine, and for a host its kernel and CPU), or a profile
 * name, "NAME[/ARCH]". OPTS
 * (may be NULL) names the CPU and machine that will run it; a profile
 * defaults to this host's machine and every target but host to the lowest
 * CPU level its release runs on. Returns 0, or one of the failures above
 * with a one-line reason. */
int provides_open(struct provides *p, const char *spec, const struct target_opts *opts, struct cr_err *err);
void provides_free(struct provides *p);

/* The version ("2.36", "3.0.19") after the first BANNER in the file PATH
 * inside ROOT; false when the file or the banner is not there. */
bool root_banner_version(struct fsroot *root, const char *path, const char *banner, char *out, size_t len);

#endif
