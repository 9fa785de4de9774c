/* Names, not numbers: the same table serves x86_64 and i386 tracees, since
 * libseccomp resolves a number per arch. */
#include "trace/syscalls.h"

#include <seccomp.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *name;
	int path; /* -1: none */
} table[] = {
	{ "execve", 0 }, { "execveat", 1 },
	{ "open", 0 }, { "openat", 1 }, { "openat2", 1 },
	{ "stat", 0 }, { "lstat", 0 }, { "newfstatat", 1 }, { "statx", 1 },
	{ "stat64", 0 }, { "lstat64", 0 }, { "fstatat64", 1 },
	{ "access", 0 }, { "faccessat", 1 }, { "faccessat2", 1 },
	{ "readlink", 0 }, { "readlinkat", 1 },
	{ "connect", TRACE_ARG_SOCKADDR },
	{ "clone", -1 }, { "clone3", -1 }, { "fork", -1 }, { "vfork", -1 },
	{ "mmap", -1 },
};

const char *const trace_names[] = {
	"execve", "execveat", "open", "openat", "openat2", "stat", "lstat", "newfstatat", "statx",
	"stat64", "lstat64", "fstatat64", "access", "faccessat", "faccessat2", "readlink",
	"readlinkat", "connect", "clone", "clone3", "fork", "vfork", "mmap", NULL,
};

static int lookup(uint32_t arch, long nr)
{
	char *n = seccomp_syscall_resolve_num_arch(arch, (int)nr);
	if (!n)
		return -1;
	int found = -1;
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
		if (strcmp(n, table[i].name) == 0)
			found = (int)i;
	free(n);
	return found;
}

int trace_path_arg(uint32_t arch, long nr)
{
	int i = lookup(arch, nr);
	return i < 0 ? -1 : table[i].path;
}

bool trace_is_traced(uint32_t arch, long nr)
{
	return lookup(arch, nr) >= 0;
}

bool trace_is_exec(uint32_t arch, long nr)
{
	int i = lookup(arch, nr);
	return i == 0 || i == 1;
}
