/* Runs one command and prints its wall time and peak resident memory.
 * Usage: peakrss CMD [ARG...]
 * Prints "WALL_NS CPU_NS MAXRSS_KIB STATUS" on stdout (CPU: user + system, the
 * command's children included); the command's stdout goes to /dev/null, its
 * stderr is inherited. STATUS is the exit code, or 128+signal.
 *
 * Why not wait4 straight from the Python harness: the kernel carries the
 * peak RSS of the image a process replaces at exec into ru_maxrss, so every
 * command forked from a Python interpreter reports at least the
 * interpreter's own 15-20 MiB. Forked from this small program, the floor
 * under the measurement is about 1 MiB. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s CMD [ARG...]\n", argv[0]);
		return 64;
	}
	int devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (devnull < 0) {
		perror("/dev/null");
		return 1;
	}
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid_t pid = fork();
	if (pid < 0) {
		perror("fork");
		return 1;
	}
	if (pid == 0) {
		dup2(devnull, STDOUT_FILENO);
		execvp(argv[1], argv + 1);
		fprintf(stderr, "%s: %s: %s\n", argv[0], argv[1], strerror(errno));
		_exit(127);
	}
	int status;
	struct rusage ru;
	while (wait4(pid, &status, 0, &ru) < 0) {
		if (errno != EINTR) {
			perror("wait4");
			return 1;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	long long ns = (long long)(t1.tv_sec - t0.tv_sec) * 1000000000LL + (t1.tv_nsec - t0.tv_nsec);
	int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	long long cpu = ((long long)ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000LL +
			((long long)ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000LL;
	printf("%lld %lld %ld %d\n", ns, cpu, ru.ru_maxrss, code);
	return 0;
}
