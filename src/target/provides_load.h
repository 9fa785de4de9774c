/* Building a target's provides from what the user named. */
#ifndef CANRUN_PROVIDES_LOAD_H
#define CANRUN_PROVIDES_LOAD_H

#include "target/provides.h"
#include "util/err.h"

/* provides_open's failures: SPEC names nothing canrun knows (a usage
 * error), or an image that cannot be read. */
enum { PROVIDES_BAD_SPEC = -1, PROVIDES_UNREADABLE = -2 };

/* "host", "rootfs:DIR", a directory, "image:PATH[@OS/ARCH]" (docker-archive
 * or OCI layout, read in memory), or a profile name. Returns 0, or one of
 * the failures above with a one-line reason. */
int provides_open(struct provides *p, const char *spec, struct cr_err *err);
void provides_free(struct provides *p);

/* The x86-64 level of this machine's CPU, from /proc/cpuinfo (1..4). */
unsigned host_cpu_level(void);

#endif
