/* canrun trace -- PROGRAM [ARGS]: the one command that runs a program,
 * because the user asks for exactly that. It records the failed syscalls
 * that explain a failing start and says what they mean, cause first. */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "trace/explain.h"
#include "trace/syscalls.h"
#include "trace/tracer.h"
#include "util/json.h"

static void trace_usage(FILE *out)
{
	fprintf(out, "usage: canrun trace [--json | --raw[=FILE]] [--timeout SECONDS] [--root DIR] -- PROGRAM [ARGS...]\n\n"
		     "Runs PROGRAM under ptrace, records its failed file, exec, connect and clone calls and\n"
		     "its stderr, and explains why it failed to start (missing loader, library, symbol\n"
		     "version, CA certificates, zoneinfo, lookup files, an old container seccomp profile).\n"
		     "Exits with the program's own status (128+N when signal N killed it).\n\n"
		     "  --json              the report as JSON (see docs/json.md)\n"
		     "  --raw               the failed calls, one per line, as strace -Z prints them, on\n"
		     "                      stderr after the program's own stderr (its stdout stays its own)\n"
		     "  --raw=FILE          the same lines into FILE\n"
		     "  --timeout SECONDS   kill the whole traced tree after SECONDS\n"
		     "  --root DIR          run it chrooted in DIR, as a container runtime would: a private\n"
		     "                      mount namespace, /proc mounted, a direct execve (needs root)\n");
}

/* PATH lookup done here, as strace does, so the tracee makes one execve;
 * with --root, in the root, for a path inside it. */
static char *resolve(const char *prog, const char *root)
{
	if (strchr(prog, '/'))
		return strdup(prog);
	const char *path = getenv("PATH");
	char *copy = strdup(path && *path ? path : "/usr/local/bin:/usr/bin:/bin"), *save = NULL;
	char *found = NULL;
	for (char *d = strtok_r(copy, ":", &save); d && !found; d = strtok_r(NULL, ":", &save)) {
		char *p, *here;
		if (asprintf(&p, "%s/%s", *d ? d : ".", prog) < 0)
			break;
		if (asprintf(&here, "%s%s", root ? root : "", p) < 0) {
			free(p);
			break;
		}
		struct stat sb;
		if (stat(here, &sb) == 0 && S_ISREG(sb.st_mode) && access(here, X_OK) == 0)
			found = p;
		else
			free(p);
		free(here);
	}
	free(copy);
	return found;
}

static void print_flags(FILE *out, uint64_t fl)
{
	static const struct { int bit; const char *name; } names[] = {
		{ O_CREAT, "O_CREAT" }, { O_EXCL, "O_EXCL" }, { O_NOCTTY, "O_NOCTTY" }, { O_TRUNC, "O_TRUNC" },
		{ O_APPEND, "O_APPEND" }, { O_NONBLOCK, "O_NONBLOCK" }, { O_DIRECTORY, "O_DIRECTORY" },
		{ O_NOFOLLOW, "O_NOFOLLOW" }, { O_CLOEXEC, "O_CLOEXEC" }, { O_PATH, "O_PATH" },
	};
	int acc = (int)(fl & O_ACCMODE);
	fputs(acc == O_WRONLY ? "O_WRONLY" : acc == O_RDWR ? "O_RDWR" : "O_RDONLY", out);
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if ((fl & (uint64_t)names[i].bit) == (uint64_t)names[i].bit)
			fprintf(out, "|%s", names[i].name);
}

static void print_raw_call(FILE *out, const struct trace_call *c)
{
	char *name = trace_syscall_name(c->arch, c->nr);
	int pa = trace_path_arg(c->arch, c->nr);
	fprintf(out, "%d %s(", (int)c->pid, name);
	if (pa == TRACE_ARG_SOCKADDR) {
		fprintf(out, "%d, {\"%s\"}, %llu", (int)c->args[0], c->path ? c->path : "?",
			(unsigned long long)c->args[2]);
	} else if (pa >= 0) {
		if (pa == 1)
			(int)c->args[0] == -100 ? fputs("AT_FDCWD, ", out) : fprintf(out, "%d, ", (int)c->args[0]);
		fprintf(out, "\"%s\"", c->path ? c->path : "?");
		if (strcmp(name, "open") == 0 || strcmp(name, "openat") == 0) {
			fputs(", ", out);
			print_flags(out, c->args[pa + 1]);
		} else if (strcmp(name, "execve") != 0) {
			fputs(", ...", out);
		}
	} else {
		fputs("...", out);
	}
	fprintf(out, ") = -1 %s (%s)\n", strerrorname_np(c->err), strerror(c->err));
	free(name);
}

static void print_text(FILE *out, const char *prog, const struct trace_result *r, const struct trace_explained *e)
{
	if (r->timed_out)
		fprintf(out, "%s: killed after the timeout (%.2f s)\n", prog, r->wall);
	else if (r->interrupted)
		fprintf(out, "%s: interrupted after %.2f s\n", prog, r->wall);
	else if (r->signal)
		fprintf(out, "%s: killed by %s after %.2f s\n", prog, sigabbrev_np(r->signal), r->wall);
	else
		fprintf(out, "%s: exited with %d after %.2f s\n", prog, r->exit_code, r->wall);
	for (size_t i = 0; i < e->findings.count; i++) {
		const struct finding *f = &e->findings.items[i];
		fprintf(out, "%-7s %s [%s]\n", severity_name(f->severity), f->message, f->id);
		for (const char *p = f->evidence; p && *p;) {
			const char *nl = strchr(p, '\n');
			int n = nl ? (int)(nl - p) : (int)strlen(p);
			fprintf(out, "        %.*s\n", n, p);
			p = nl ? nl + 1 : p + n;
		}
		if (f->fix)
			fprintf(out, "        fix: %s\n", f->fix);
	}
	if (e->noise)
		fprintf(out, "noise   %zu other failed call%s (optional files probed); --raw lists them\n", e->noise,
			e->noise == 1 ? "" : "s");
}

static json_t *to_json(const char *prog, const struct trace_result *r, const struct trace_explained *e)
{
	json_t *fs = json_array(), *calls = json_array();
	for (size_t i = 0; i < e->findings.count; i++) {
		const struct finding *f = &e->findings.items[i];
		json_array_append_new(fs, json_pack("{s:s, s:s, s:s, s:s?, s:s?}", "id", f->id, "severity",
						     severity_name(f->severity), "message", f->message, "evidence",
						     f->evidence, "fix", f->fix));
	}
	for (size_t i = 0; i < r->ncalls; i++) {
		const struct trace_call *c = &r->calls[i];
		char *name = trace_syscall_name(c->arch, c->nr);
		json_array_append_new(calls, json_pack("{s:i, s:s, s:s?, s:s, s:b}", "pid", (int)c->pid, "syscall",
						       name, "path", c->path, "errno", strerrorname_np(c->err),
						       "noise", !e->used[i]));
		free(name);
	}
	return json_pack("{s:s, s:i, s:s?, s:b, s:b, s:f, s:o, s:i, s:o}", "program", prog, "exit_code",
			 r->exit_code, "signal", r->signal ? sigabbrev_np(r->signal) : NULL, "timed_out",
			 r->timed_out, "interrupted", r->interrupted, "wall_seconds", r->wall, "findings", fs,
			 "noise", (int)e->noise, "failed_calls", calls);
}

int cmd_trace(int argc, char **argv)
{
	bool json = false, raw = false;
	const char *root = NULL, *raw_file = NULL;
	double timeout = 0;
	int i = 1;
	for (; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--") == 0) {
			i++;
			break;
		} else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			trace_usage(stdout);
			return EXIT_OK;
		} else if (strcmp(a, "--json") == 0) {
			json = true;
		} else if (strcmp(a, "--raw") == 0) {
			raw = true;
		} else if (strncmp(a, "--raw=", 6) == 0 && a[6]) {
			raw = true;
			raw_file = a + 6;
		} else if (strcmp(a, "--root") == 0 && i + 1 < argc) {
			root = argv[++i];
		} else if (strcmp(a, "--timeout") == 0 && i + 1 < argc) {
			char *end;
			timeout = strtod(argv[++i], &end);
			if (*end || timeout <= 0) {
				fprintf(stderr, "canrun trace: --timeout wants seconds > 0, not '%s'\n", argv[i]);
				return EXIT_USAGE;
			}
		} else if (a[0] == '-') {
			fprintf(stderr, "canrun trace: unknown option '%s'\n", a);
			trace_usage(stderr);
			return EXIT_USAGE;
		} else {
			break;
		}
	}
	if (i >= argc || (json && raw)) {
		fprintf(stderr, i >= argc ? "canrun trace: no PROGRAM given\n" : "canrun trace: --json or --raw, not both\n");
		trace_usage(stderr);
		return EXIT_USAGE;
	}
	if (root) {
		struct stat sb;
		if (geteuid() != 0) {
			fprintf(stderr, "canrun trace: --root needs root: it makes a mount namespace and chroots\n");
			return EXIT_USAGE;
		}
		if (stat(root, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
			fprintf(stderr, "canrun trace: --root %s: not a directory\n", root);
			return EXIT_USAGE;
		}
	}
	char *path = resolve(argv[i], root);
	if (!path) {
		fprintf(stderr, "canrun trace: %s: not found in PATH\n", argv[i]);
		return 127;
	}
	char *prog_argv0 = argv[i];
	argv[i] = path;
	struct trace_result r;
	int rc = trace_run(argv + i, root, timeout, &r);
	argv[i] = prog_argv0;
	if (rc != 0) {
		fprintf(stderr, "canrun trace: cannot trace %s: %s\n", path, strerror(errno));
		trace_result_free(&r);
		free(path);
		return EXIT_INTERNAL;
	}
	fflush(stderr);
	struct trace_explained e;
	trace_explain(&r, root, &e);
	if (raw) {
		/* stdout is the program's: raw lines never mix into what it printed */
		FILE *out = raw_file ? fopen(raw_file, "w") : stderr;
		if (!out) {
			fprintf(stderr, "canrun trace: --raw=%s: %s\n", raw_file, strerror(errno));
		} else {
			for (size_t k = 0; k < r.ncalls; k++)
				print_raw_call(out, &r.calls[k]);
			if (out != stderr && fclose(out) != 0)
				fprintf(stderr, "canrun trace: --raw=%s: %s\n", raw_file, strerror(errno));
		}
	} else if (json) {
		json_t *j = to_json(path, &r, &e);
		json_dumpf(j, stdout, JSON_INDENT(2));
		fputc('\n', stdout);
		json_decref(j);
	} else {
		print_text(stdout, path, &r, &e);
	}
	int status = r.exit_code;
	trace_explained_free(&e);
	trace_result_free(&r);
	free(path);
	return status;
}
