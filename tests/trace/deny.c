/* deny ERRNO SYSCALL PROGRAM [ARGS]: runs PROGRAM under a seccomp filter
 * that answers SYSCALL with ERRNO, as an old container profile does. */
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: deny ENOSYS|EPERM SYSCALL PROGRAM [ARGS]\n");
		return 64;
	}
	int e = strcmp(argv[1], "EPERM") == 0 ? EPERM : ENOSYS;
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (!ctx || seccomp_rule_add(ctx, SCMP_ACT_ERRNO((unsigned)e), seccomp_syscall_resolve_name(argv[2]), 0) ||
	    seccomp_load(ctx)) {
		fprintf(stderr, "deny: cannot install the filter\n");
		return 70;
	}
	execv(argv[3], argv + 3);
	perror("deny: exec");
	return 127;
}
