/* canrun-runin: run a program inside a root filesystem the way a container
 * runtime starts a container's command, so that the tests see exactly what
 * the kernel and the root's dynamic loader do.
 *
 *   canrun-runin [-e NAME=VALUE]... ROOT PROG [ARG]...
 *
 * In a new mount namespace: a fresh proc on ROOT/proc (the loader reads
 * /proc/self/exe for $ORIGIN), chroot(ROOT), chdir("/"), then execve(PROG)
 * with argv[0] = PROG. No shell, no PATH search and no retry through /bin/sh
 * on ENOEXEC (chroot(8) and execvp(3) do that), so the kernel's answer is
 * the result:
 *
 *   - execve fails: one line "canrun-runin: execve: ENAME" on stderr, exit
 *     127 for ENOENT and 126 otherwise, as a shell would;
 *   - it succeeds: PROG's own stderr and exit status (a loader's message);
 *   - runin itself fails before execve: "canrun-runin: ..." and exit 125,
 *     as docker run does for its own errors.
 *
 * The environment is PATH=/usr/bin:/bin and LANG=C plus each -e. The proc
 * mount goes away with the namespace when the program exits. Needs root.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

enum { EXIT_RUNIN = 125, EXIT_NOEXEC = 126, EXIT_NOENT = 127, MAX_ENV = 64 };

/* The symbolic name of the errno values execve(2) documents, so that a test
 * compares names, not locale-dependent strerror texts. */
static const char *errno_name(int e)
{
	switch (e) {
	case E2BIG: return "E2BIG";
	case EACCES: return "EACCES";
	case EAGAIN: return "EAGAIN";
	case EFAULT: return "EFAULT";
	case EINVAL: return "EINVAL";
	case EIO: return "EIO";
	case EISDIR: return "EISDIR";
	case ELIBBAD: return "ELIBBAD";
	case ELOOP: return "ELOOP";
	case EMFILE: return "EMFILE";
	case ENAMETOOLONG: return "ENAMETOOLONG";
	case ENFILE: return "ENFILE";
	case ENOENT: return "ENOENT";
	case ENOEXEC: return "ENOEXEC";
	case ENOMEM: return "ENOMEM";
	case ENOTDIR: return "ENOTDIR";
	case EPERM: return "EPERM";
	case ETXTBSY: return "ETXTBSY";
	default: return NULL;
	}
}

static void usage(void)
{
	fputs("usage: canrun-runin [-e NAME=VALUE]... ROOT PROG [ARG]...\n", stderr);
	exit(EXIT_RUNIN);
}

static _Noreturn void fail(const char *what, const char *arg)
{
	fprintf(stderr, "canrun-runin: %s%s%s: %s\n", what, arg ? " " : "", arg ? arg : "",
		strerror(errno));
	exit(EXIT_RUNIN);
}

int main(int argc, char **argv)
{
	char *env[MAX_ENV + 3];
	int nenv = 0;
	char path_var[] = "PATH=/usr/bin:/bin", lang_var[] = "LANG=C";
	int i = 1;

	env[nenv++] = path_var;
	env[nenv++] = lang_var;
	while (i < argc && strcmp(argv[i], "-e") == 0) {
		if (i + 1 >= argc || !strchr(argv[i + 1], '=') || argv[i + 1][0] == '=')
			usage();
		if (nenv == MAX_ENV + 2) {
			fputs("canrun-runin: too many -e options\n", stderr);
			return EXIT_RUNIN;
		}
		env[nenv++] = argv[i + 1];
		i += 2;
	}
	env[nenv] = NULL;
	if (argc - i < 2)
		usage();
	const char *root = argv[i];
	char **prog_argv = argv + i + 1;

	if (unshare(CLONE_NEWNS) != 0)
		fail("unshare", NULL);
	/* Keep the proc mount from propagating back to the host's namespace. */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0)
		fail("make / private", NULL);

	char proc[4096];
	if (snprintf(proc, sizeof proc, "%s/proc", root) >= (int)sizeof proc) {
		errno = ENAMETOOLONG;
		fail("mount proc on", root);
	}
	if (mount("proc", proc, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) != 0)
		fail("mount proc on", proc);
	if (chroot(root) != 0)
		fail("chroot", root);
	if (chdir("/") != 0)
		fail("chdir", "/");

	execve(prog_argv[0], prog_argv, env);

	int e = errno;
	const char *name = errno_name(e);
	if (name)
		fprintf(stderr, "canrun-runin: execve: %s\n", name);
	else
		fprintf(stderr, "canrun-runin: execve: errno %d\n", e);
	return e == ENOENT ? EXIT_NOENT : EXIT_NOEXEC;
}
