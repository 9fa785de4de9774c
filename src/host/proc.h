/* This machine's kernel files (/proc, /sys) and what they say about the
 * process: read directly, never through a target root, since they describe
 * the machine that runs canrun. */
#ifndef CANRUN_HOST_PROC_H
#define CANRUN_HOST_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Reads at most CAP-1 bytes of PATH into BUF, NUL-terminated; the length,
 * or -1. */
ssize_t proc_read(const char *path, char *buf, size_t cap);

/* The whole file (proc files have no size), NUL-terminated, at most 16 MiB;
 * NULL when unreadable. */
char *proc_read_all(const char *path, size_t *len);

/* A "Key:\tN" line of /proc/PID/status: 0 with the number, -1 when the
 * field is absent or not a number. */
int status_field(const char *text, size_t len, const char *key, long *value);

/* Whether the NUL-separated environment block has NAME=..., and its value. */
bool environ_value(const char *block, size_t len, const char *name, char *out, size_t outlen);

struct container_facts {
	bool dockerenv;             /* /.dockerenv */
	bool containerenv;          /* /run/.containerenv (podman) */
	char systemd_container[64]; /* /run/systemd/container: "docker", "lxc", ... */
	char environ_container[64]; /* container= in /proc/1/environ */
	bool environ_readable;
	int cgroup_ns;              /* 1 a cgroup namespace of its own, 0 the initial one, -1 unknown */
	int pid_ns;                 /* the same for the PID namespace */
	bool detected;
	long seccomp;               /* 0 off, 1 strict, 2 filter; -1 unknown */
	long no_new_privs;          /* 0, 1; -1 unknown */
	unsigned cpus_online;       /* sysconf(_SC_NPROCESSORS_ONLN) */
	unsigned cpus_affinity;     /* CPUs in sched_getaffinity's mask; 0 unknown */
	long page_size;
};

void container_read_host(struct container_facts *c);

#endif
