/* cgroups as the Go 1.25 runtime finds them (internal/runtime/cgroup):
 * the controller's path relative to its hierarchy from /proc/self/cgroup,
 * the hierarchy's mount point from /proc/self/mountinfo, then the limit
 * files below mount point + path. The parsers take the files' text, so
 * they are tested on synthesized /proc contents. */
#ifndef CANRUN_HOST_CGROUP_H
#define CANRUN_HOST_CGROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { CGROUP_PATH_MAX = 4096 };

/* In /proc/self/cgroup text, the path of the v1 hierarchy whose controller
 * list has CONTROLLER ("cpu", "memory"), which wins, else of the "0::" (v2)
 * line. Returns the version (1 or 2), 0 when neither is there, -1 for a
 * malformed line (no limit then, as Go decides). */
int cgroup_relative_path(const char *text, size_t len, const char *controller, char *out, size_t outlen);

/* In /proc/self/mountinfo text, the mount point (field 5, its \NNN escapes
 * undone) of the "cgroup" mount whose super options have CONTROLLER, which
 * wins, else of the last "cgroup2" mount. The root field is not used: Go
 * appends the relative path to the mount point. Returns 1 or 2 for the
 * kind found, 0 for none, -1 for a malformed line or escape. */
int cgroup_mount_point(const char *text, size_t len, const char *controller, char *out, size_t outlen);

/* Undoes the kernel's show_path escapes ("\040" for a space). Returns the
 * length written, or -1 for a bad escape or a too small OUT. */
int mountinfo_unescape(const char *in, size_t len, char *out, size_t outlen);

/* v2 cpu.max, "$MAX $PERIOD\n": 1 with quota and period, 0 for "max" (no
 * limit), -1 when malformed. */
int cgroup_parse_cpu_max(const char *text, size_t len, int64_t *quota, int64_t *period);

/* A v1 number file ("-1\n", "100000\n"): 0 with the value, -1 malformed. */
int cgroup_parse_number(const char *text, size_t len, int64_t *value);

/* v2 memory.max ("max") or v1 memory.limit_in_bytes (9223372036854771712,
 * LONG_MAX rounded to a page, when unlimited): 1 with the limit in bytes, 0
 * for none, -1 when malformed. */
int cgroup_parse_memory(const char *text, size_t len, uint64_t *limit);

/* GOMAXPROCS by default: Go <= 1.24 takes NCPU (the affinity mask's CPUs);
 * Go >= 1.25 takes min(NCPU, max(2, ceil(limit))) when the cgroup has a CPU
 * limit (quota / period). */
unsigned go_maxprocs_default(unsigned ncpu, bool limited, double limit, bool go125);

enum cgroup_layout { CGROUP_ABSENT, CGROUP_V1, CGROUP_V2, CGROUP_HYBRID, CGROUP_OTHER };
const char *cgroup_layout_name(enum cgroup_layout layout);

/* One controller's cgroup on this machine, found as above. */
struct cgroup_controller {
	int version;                     /* 1, 2, or 0: none found */
	char dir[2 * CGROUP_PATH_MAX];   /* mount point + relative path */
	bool limited;
	int64_t quota_us, period_us;     /* cpu */
	double cpus;                     /* cpu: quota / period */
	uint64_t bytes;                  /* memory */
	const char *problem;             /* why no limit could be read, or NULL */
};

struct cgroup_facts {
	enum cgroup_layout layout;  /* statfs of /sys/fs/cgroup */
	struct cgroup_controller cpu, memory;
};

/* This process's cgroups, from /proc and /sys of this machine. */
void cgroup_read_host(struct cgroup_facts *cg);

#endif
