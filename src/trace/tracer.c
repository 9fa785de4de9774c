/* The tracer: fork, the child stops itself, the parent seizes it, then the
 * child installs a RET_TRACE filter and execs. Only traced syscalls stop
 * (2 stops each: seccomp, then exit); everything else runs at full speed.
 * A tracee that carries filters of its own (a container profile) is traced
 * with PTRACE_SYSCALL instead, because a filter's ERRNO outranks our TRACE
 * and would hide exactly the failures we look for. */
#include "trace/tracer.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/ptrace.h>
#include <pthread.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <time.h>
#include <unistd.h>

#include "trace/syscalls.h"
#include "util/xalloc.h"

#define ERR_KEEP (64 * 1024) /* stderr bytes kept for the explanations */

/* Set by the SIGINT/SIGTERM/SIGALRM handler: a signal handler can only talk
 * to the loop through a volatile sig_atomic_t, so this one file-scope flag
 * is the exception to "no global state". */
static volatile sig_atomic_t stop_signal;

static void on_stop_signal(int sig)
{
	stop_signal = sig;
}

struct thread {
	pid_t tid;
	bool in_sys;   /* between a traced entry and its exit stop */
	bool full;     /* PTRACE_SYSCALL mode: the tracee has filters of its own */
	long nr;
	uint32_t arch;
	uint64_t args[6];
	char *exec_path; /* execve's path, read at entry (gone after success) */
};

struct tracer {
	struct thread *t;
	size_t n, cap;
	struct trace_result *res;
	pid_t root;
};

static struct thread *find(struct tracer *tr, pid_t tid)
{
	for (size_t i = 0; i < tr->n; i++)
		if (tr->t[i].tid == tid)
			return &tr->t[i];
	return NULL;
}

static struct thread *add(struct tracer *tr, pid_t tid)
{
	struct thread *th = find(tr, tid);
	if (th)
		return th;
	XPUSH(tr->t, tr->n, tr->cap, ((struct thread){ .tid = tid }));
	return &tr->t[tr->n - 1];
}

static void drop(struct tracer *tr, pid_t tid)
{
	struct thread *th = find(tr, tid);
	if (!th)
		return;
	free(th->exec_path);
	*th = tr->t[--tr->n];
}

/* Bounded string read from the tracee: page-sized chunks that never cross a
 * page (process_vm_readv), PEEKDATA when that is refused. */
static char *read_str(pid_t tid, uint64_t addr, size_t max)
{
	if (!addr)
		return NULL;
	char *buf = xmalloc(max + 1);
	size_t got = 0;
	long page = sysconf(_SC_PAGESIZE);
	while (got < max) {
		uint64_t a = addr + got;
		size_t chunk = (size_t)(page - (long)(a % (uint64_t)page));
		if (chunk > max - got)
			chunk = max - got;
		struct iovec l = { buf + got, chunk }, r = { (void *)(uintptr_t)a, chunk };
		ssize_t n = process_vm_readv(tid, &l, 1, &r, 1, 0);
		if (n <= 0) {
			errno = 0;
			long w = ptrace(PTRACE_PEEKDATA, tid, (void *)(uintptr_t)(a & ~(uint64_t)7), 0);
			if (errno)
				break;
			size_t off = a & 7, take = 8 - off;
			if (take > max - got)
				take = max - got;
			memcpy(buf + got, (char *)&w + off, take);
			n = (ssize_t)take;
		}
		void *nul = memchr(buf + got, 0, (size_t)n);
		got += (size_t)n;
		if (nul) {
			buf[got] = 0;
			return buf;
		}
	}
	if (!got) {
		free(buf);
		return NULL;
	}
	buf[got] = 0; /* truncated at max */
	return buf;
}

static char *read_sockaddr(pid_t tid, uint64_t addr, uint64_t len)
{
	struct sockaddr_storage ss;
	memset(&ss, 0, sizeof ss);
	if (len > sizeof ss)
		len = sizeof ss;
	struct iovec l = { &ss, len }, r = { (void *)(uintptr_t)addr, len };
	if (!addr || len < sizeof(sa_family_t) || process_vm_readv(tid, &l, 1, &r, 1, 0) != (ssize_t)len)
		return NULL;
	char out[160];
	if (ss.ss_family == AF_UNIX) {
		const struct sockaddr_un *u = (const void *)&ss;
		size_t plen = len - offsetof(struct sockaddr_un, sun_path);
		if (plen == 0)
			return NULL;
		if (u->sun_path[0] == 0) /* abstract: shown as strace does */
			snprintf(out, sizeof out, "@%.*s", (int)(plen - 1), u->sun_path + 1);
		else
			snprintf(out, sizeof out, "%.*s", (int)strnlen(u->sun_path, plen), u->sun_path);
	} else if (ss.ss_family == AF_INET) {
		const struct sockaddr_in *in = (const void *)&ss;
		char a[INET_ADDRSTRLEN];
		inet_ntop(AF_INET, &in->sin_addr, a, sizeof a);
		snprintf(out, sizeof out, "%s:%u", a, ntohs(in->sin_port));
	} else if (ss.ss_family == AF_INET6) {
		const struct sockaddr_in6 *in = (const void *)&ss;
		char a[INET6_ADDRSTRLEN];
		inet_ntop(AF_INET6, &in->sin6_addr, a, sizeof a);
		snprintf(out, sizeof out, "[%s]:%u", a, ntohs(in->sin6_port));
	} else {
		return NULL;
	}
	return strdup(out);
}

static char *read_path(pid_t tid, const struct thread *th)
{
	int idx = trace_path_arg(th->arch, th->nr);
	if (idx == TRACE_ARG_SOCKADDR)
		return read_sockaddr(tid, th->args[1], th->args[2]);
	if (idx < 0)
		return NULL;
	return read_str(tid, th->args[idx], 4096);
}

static void record(struct tracer *tr, pid_t tid, struct thread *th, int err)
{
	struct trace_result *r = tr->res;
	XPUSH(r->calls, r->ncalls, r->cap, ((struct trace_call){ 0 }));
	struct trace_call *c = &r->calls[r->ncalls - 1];
	c->pid = tid;
	c->arch = th->arch;
	c->nr = th->nr;
	memcpy(c->args, th->args, sizeof c->args);
	c->err = err;
	if (th->exec_path) {
		c->path = th->exec_path;
		th->exec_path = NULL;
	} else {
		c->path = read_path(tid, th);
	}
}

/* Filters beyond ours (read from /proc: Seccomp_filters). */
static bool has_own_filters(pid_t tid)
{
	char p[64], line[128];
	snprintf(p, sizeof p, "/proc/%d/status", (int)tid);
	FILE *f = fopen(p, "re");
	if (!f)
		return false;
	long n = 0;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "Seccomp_filters: %ld", &n) == 1)
			break;
	fclose(f);
	return n > 1;
}

static void restart(struct thread *th, pid_t tid, int sig)
{
	int req = th && (th->in_sys || th->full) ? PTRACE_SYSCALL : PTRACE_CONT;
	ptrace(req, tid, 0, (void *)(uintptr_t)sig);
}

static void on_syscall_stop(struct tracer *tr, pid_t tid, struct thread *th)
{
	struct __ptrace_syscall_info info;
	memset(&info, 0, sizeof info);
	if (ptrace(PTRACE_GET_SYSCALL_INFO, tid, (void *)sizeof info, &info) <= 0)
		return;
	if (info.op == PTRACE_SYSCALL_INFO_ENTRY || info.op == PTRACE_SYSCALL_INFO_SECCOMP) {
		th->nr = (long)info.entry.nr; /* entry and seccomp share the layout */
		th->arch = info.arch;
		memcpy(th->args, info.entry.args, sizeof th->args);
		free(th->exec_path);
		th->exec_path = NULL;
		th->in_sys = trace_is_traced(th->arch, th->nr);
		if (th->in_sys && trace_is_exec(th->arch, th->nr))
			th->exec_path = read_path(tid, th);
	} else if (info.op == PTRACE_SYSCALL_INFO_EXIT) {
		int64_t rv = info.exit.rval;
		/* -512..-516: the kernel restarts the call; not a failure. */
		if (th->in_sys && info.exit.is_error && rv >= -4095 && rv < 0 && !(rv <= -512 && rv >= -516))
			record(tr, tid, th, (int)-rv);
		th->in_sys = false;
		free(th->exec_path);
		th->exec_path = NULL;
	}
}

static void kill_all(struct tracer *tr)
{
	for (size_t i = 0; i < tr->n; i++)
		kill(tr->t[i].tid, SIGKILL);
}

static void *pump_stderr(void *arg)
{
	void **a = arg;
	int fd = *(int *)a[0];
	struct trace_result *r = a[1];
	char buf[4096];
	for (;;) {
		ssize_t n = read(fd, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		for (ssize_t off = 0; off < n;) { /* pass it through as it comes */
			ssize_t w = write(STDERR_FILENO, buf + off, (size_t)(n - off));
			if (w <= 0)
				break;
			off += w;
		}
		size_t keep = r->err_len + (size_t)n > ERR_KEEP ? ERR_KEEP - r->err_len : (size_t)n;
		memcpy(r->err_text + r->err_len, buf, keep);
		r->err_len += keep;
	}
	return NULL;
}

static int install_filter(void)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (!ctx)
		return -1;
	/* A foreign-arch call must run (traced or not), not die of SIGSYS. */
	seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_ALLOW);
	for (size_t i = 0; trace_names[i]; i++) {
		int nr = seccomp_syscall_resolve_name(trace_names[i]);
		if (nr != __NR_SCMP_ERROR && seccomp_rule_add(ctx, SCMP_ACT_TRACE(0), nr, 0) != 0) {
			seccomp_release(ctx);
			return -1;
		}
	}
	int rc = seccomp_load(ctx);
	seccomp_release(ctx);
	return rc;
}

/* A container's /dev: a tmpfs holding the few devices runtimes give every
 * container (OCI runtime spec, "Default Devices"), bound from the host's,
 * and the /dev/fd links. Only inside the private mount namespace. */
static int make_dev(const char *root)
{
	static const char *const devices[] = { "null", "zero", "full", "random", "urandom", "tty" };
	static const char *const links[][2] = {
		{ "fd", "/proc/self/fd" }, { "stdin", "/proc/self/fd/0" },
		{ "stdout", "/proc/self/fd/1" }, { "stderr", "/proc/self/fd/2" },
	};
	char dev[4096], path[4200];
	struct stat sb;
	if (snprintf(dev, sizeof dev, "%s/dev", root) >= (int)sizeof dev || stat(dev, &sb) != 0 || !S_ISDIR(sb.st_mode))
		return 0; /* no /dev in the root: none, as in an empty image */
	if (mount("tmpfs", dev, "tmpfs", MS_NOSUID | MS_NOEXEC, "mode=755,size=65536k") != 0)
		return -1;
	for (size_t i = 0; i < sizeof devices / sizeof devices[0]; i++) {
		char host[64];
		snprintf(host, sizeof host, "/dev/%s", devices[i]);
		snprintf(path, sizeof path, "%s/%s", dev, devices[i]);
		int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0666);
		if (fd < 0)
			return -1;
		close(fd);
		if (stat(host, &sb) == 0 && mount(host, path, NULL, MS_BIND, NULL) != 0)
			return -1;
	}
	for (size_t i = 0; i < sizeof links / sizeof links[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", dev, links[i][0]);
		if (symlink(links[i][1], path) != 0)
			return -1;
	}
	return 0;
}

/* The container runtime's steps: a private mount namespace (so no mount
 * ever reaches the host's), /proc, /dev, chroot, chdir. */
static int enter_root(const char *root)
{
	char proc[4096];
	struct stat sb;
	if (unshare(CLONE_NEWNS) != 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0)
		return -1;
	if (snprintf(proc, sizeof proc, "%s/proc", root) < (int)sizeof proc && stat(proc, &sb) == 0 &&
	    S_ISDIR(sb.st_mode) && mount("proc", proc, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) != 0)
		return -1;
	if (make_dev(root) != 0)
		return -1;
	return chroot(root) != 0 || chdir("/") != 0 ? -1 : 0;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void handle_stop(struct tracer *tr, pid_t tid, int st)
{
	int sig = WSTOPSIG(st), ev = st >> 16;
	struct thread *th = add(tr, tid); /* a new child may report before its parent's event */
	if (sig == (SIGTRAP | 0x80) || ev == PTRACE_EVENT_SECCOMP) {
		on_syscall_stop(tr, tid, th);
		restart(th, tid, 0);
		return;
	}
	switch (ev) {
	case 0: /* signal-delivery-stop: re-inject */
		restart(th, tid, sig);
		return;
	case PTRACE_EVENT_EXEC: {
		unsigned long former = 0;
		ptrace(PTRACE_GETEVENTMSG, tid, 0, &former);
		if ((pid_t)former != tid) { /* a non-leader thread exec'd: take its state */
			struct thread *old = find(tr, (pid_t)former);
			if (old) {
				struct thread keep = *old;
				old->exec_path = NULL;
				drop(tr, (pid_t)former);
				th = find(tr, tid);
				free(th->exec_path);
				*th = keep;
				th->tid = tid;
			}
		}
		th->full = has_own_filters(tid);
		restart(th, tid, 0);
		return;
	}
	case PTRACE_EVENT_CLONE: case PTRACE_EVENT_FORK: case PTRACE_EVENT_VFORK: {
		unsigned long child = 0;
		ptrace(PTRACE_GETEVENTMSG, tid, 0, &child);
		struct thread *c = add(tr, (pid_t)child);
		th = find(tr, tid); /* add() may have moved it */
		c->full = th->full;
		restart(th, tid, 0);
		return;
	}
	case PTRACE_EVENT_STOP:
		if (sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU) {
			ptrace(PTRACE_LISTEN, tid, 0, 0); /* group-stop: stay stopped until SIGCONT */
			return;
		}
		/* A new tracee may stop before its parent's clone event says
		 * which mode it inherits: ask /proc. */
		th->full = th->full || has_own_filters(tid);
		restart(th, tid, 0);
		return;
	default:
		restart(th, tid, 0);
	}
}

int trace_run(char *const argv[], const char *root, double timeout, struct trace_result *out)
{
	memset(out, 0, sizeof *out);
	out->err_text = xmalloc(ERR_KEEP);
	int pfd[2];
	if (pipe2(pfd, O_CLOEXEC) != 0)
		return -1;
	double t0 = now();
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		dup2(pfd[1], STDERR_FILENO);
		if (root && enter_root(root) != 0) {
			fprintf(stderr, "canrun trace: --root %s: %s\n", root, strerror(errno));
			_exit(125);
		}
		raise(SIGSTOP); /* wait to be seized; the filter needs a tracer first */
		if (install_filter() != 0) {
			perror("canrun trace: seccomp filter");
			_exit(127);
		}
		execv(argv[0], argv);
		fprintf(stderr, "canrun trace: %s: %s\n", argv[0], strerror(errno));
		_exit(errno == ENOENT ? 127 : 126);
	}
	close(pfd[1]);
	int st;
	if (waitpid(pid, &st, WSTOPPED) != pid || !WIFSTOPPED(st) ||
	    ptrace(PTRACE_SEIZE, pid, 0, (void *)(uintptr_t)(PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACECLONE |
		PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACEEXEC | PTRACE_O_TRACESECCOMP |
		PTRACE_O_EXITKILL)) != 0) {
		int e = errno;
		kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
		close(pfd[0]);
		errno = e;
		return -1;
	}
	ptrace(PTRACE_INTERRUPT, pid, 0, 0);
	kill(pid, SIGCONT);

	int rfd = pfd[0];
	void *pump_arg[2] = { &rfd, out };
	pthread_t pump;
	bool pumping = pthread_create(&pump, NULL, pump_stderr, pump_arg) == 0;

	/* No SA_RESTART: the signal must interrupt waitpid. */
	struct sigaction sa, old_int, old_term, old_alrm;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop_signal;
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	sigaction(SIGALRM, &sa, &old_alrm);
	stop_signal = 0;
	if (timeout > 0) {
		struct itimerval it = { { 0, 0 }, { (time_t)timeout, (suseconds_t)((timeout - (double)(time_t)timeout) * 1e6) } };
		if (it.it_value.tv_sec == 0 && it.it_value.tv_usec == 0)
			it.it_value.tv_usec = 1;
		setitimer(ITIMER_REAL, &it, NULL);
	}

	struct tracer tr = { .res = out, .root = pid };
	add(&tr, pid);
	bool killed = false;
	for (;;) {
		if (stop_signal && !killed) {
			if (stop_signal == SIGALRM)
				out->timed_out = true;
			else
				out->interrupted = true;
			kill_all(&tr);
			killed = true;
		}
		pid_t w = waitpid(-1, &st, __WALL);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			break; /* ECHILD: every tracee is gone */
		}
		if (WIFEXITED(st) || WIFSIGNALED(st)) {
			if (w == pid) {
				out->signal = WIFSIGNALED(st) ? WTERMSIG(st) : 0;
				out->exit_code = WIFSIGNALED(st) ? 128 + out->signal : WEXITSTATUS(st);
			}
			drop(&tr, w);
			continue;
		}
		if (WIFSTOPPED(st))
			handle_stop(&tr, w, st);
	}
	struct itimerval off = { { 0, 0 }, { 0, 0 } };
	setitimer(ITIMER_REAL, &off, NULL);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	sigaction(SIGALRM, &old_alrm, NULL);
	if (pumping)
		pthread_join(pump, NULL);
	close(rfd);
	for (size_t i = 0; i < tr.n; i++)
		free(tr.t[i].exec_path);
	free(tr.t);
	out->wall = now() - t0;
	return 0;
}

void trace_result_free(struct trace_result *r)
{
	for (size_t i = 0; i < r->ncalls; i++)
		free(r->calls[i].path);
	free(r->calls);
	free(r->err_text);
	memset(r, 0, sizeof *r);
}

char *trace_syscall_name(uint32_t arch, long nr)
{
	char *n = seccomp_syscall_resolve_num_arch(arch, (int)nr);
	return n ? n : strdup("?");
}
