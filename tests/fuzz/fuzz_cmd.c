#include "fuzz_cmd.h"

#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static int memfile = -1, json_out = -1, devnull = -1;

void fuzz_memfile(const void *data, size_t size, char *path, size_t len)
{
	if (memfile < 0) {
		memfile = memfd_create("canrun-fuzz", MFD_CLOEXEC);
		json_out = memfd_create("canrun-fuzz-json", MFD_CLOEXEC);
		/* The reports go to stdout; libFuzzer speaks on stderr. */
		devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
		if (memfile < 0 || json_out < 0 || devnull < 0 || dup2(devnull, STDOUT_FILENO) < 0)
			abort();
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

static void check_json(const char *text, size_t len)
{
	json_error_t error;
	json_t *doc = json_loadb(text, len, 0, &error);
	if (!doc) {
		fprintf(stderr, "fuzz: not one JSON document: %s (line %d)\n", error.text, error.line);
		abort();
	}
	json_decref(doc);
}

int fuzz_cmd_json(int (*cmd)(int, char **), const char *const *args, bool lines)
{
	if (ftruncate(json_out, 0) < 0 || lseek(json_out, 0, SEEK_SET) < 0 || dup2(json_out, STDOUT_FILENO) < 0)
		abort();
	int status = fuzz_cmd(cmd, args);
	if (dup2(devnull, STDOUT_FILENO) < 0)
		abort();
	off_t len = lseek(json_out, 0, SEEK_CUR);
	if (len <= 0)
		return status;
	/* Read, not mapped: an unmap costs every other thread's CPU a TLB flush. */
	char *text = malloc((size_t)len);
	if (!text || pread(json_out, text, (size_t)len, 0) != len)
		abort();
	if (!lines) {
		check_json(text, (size_t)len);
	} else {
		/* Every line ends in a newline: a cut last line is a half document. */
		if (text[len - 1] != '\n') {
			fputs("fuzz: JSON Lines output ends inside a line\n", stderr);
			abort();
		}
		for (const char *p = text, *end = text + len; p < end;) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			check_json(p, (size_t)(nl - p));
			p = nl + 1;
		}
	}
	free(text);
	return status;
}
