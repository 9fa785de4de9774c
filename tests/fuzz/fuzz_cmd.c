#include "fuzz_cmd.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

static int memfile = -1;

void fuzz_memfile(const void *data, size_t size, char *path, size_t len)
{
	if (memfile < 0) {
		memfile = memfd_create("canrun-fuzz", MFD_CLOEXEC);
		/* The reports go to stdout; libFuzzer speaks on stderr. */
		int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
		if (memfile < 0 || null < 0 || dup2(null, STDOUT_FILENO) < 0)
			abort();
		close(null);
	}
	/* Shrinking first drops the last input's tail. */
	if (ftruncate(memfile, 0) < 0)
		abort();
	for (size_t done = 0; done < size;) {
		ssize_t n = pwrite(memfile, (const char *)data + done, size - done, (off_t)done);
		if (n <= 0)
			abort();
		done += (size_t)n;
	}
	snprintf(path, len, "/proc/self/fd/%d", memfile);
}

int fuzz_cmd(int (*cmd)(int, char **), const char *const *args)
{
	char *argv[32];
	int argc = 0;
	while (args[argc] && argc < 31) {
		argv[argc] = (char *)args[argc];
		argc++;
	}
	argv[argc] = NULL;
	int status = cmd(argc, argv);
	fflush(stdout);
	return status;
}
