/* Runs one program under ptrace, with a seccomp filter that stops it only on
 * the syscalls that explain failing starts, and records every failed one. */
#ifndef CANRUN_TRACE_TRACER_H
#define CANRUN_TRACE_TRACER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct trace_call {
	pid_t pid;        /* the thread that made it */
	uint32_t arch;    /* AUDIT_ARCH_* */
	long nr;
	uint64_t args[6];
	int err;          /* errno */
	char *path;       /* the path argument (or socket address), or NULL */
};

struct trace_result {
	struct trace_call *calls; /* failed calls, in the order they returned */
	size_t ncalls, cap;
	char *err_text;   /* the program's stderr, passed through; first bytes kept */
	size_t err_len;
	int exit_code;    /* as a shell reports it: 128+N for signal N */
	int signal;       /* the fatal signal, or 0 */
	bool timed_out, interrupted;
	double wall;      /* seconds */
};

/* Runs argv[0] (a path; the caller resolves PATH) with argv. timeout <= 0
 * means none. root, when not NULL, is a directory to run it chrooted in, in
 * a private mount namespace with /proc mounted, as a container runtime does
 * (needs root). Returns 0, or -1 with errno when tracing could not start. */
int trace_run(char *const argv[], const char *root, double timeout, struct trace_result *out);
void trace_result_free(struct trace_result *r);

/* The syscall's name for its arch ("?" if unknown); caller frees. */
char *trace_syscall_name(uint32_t arch, long nr);

#endif
