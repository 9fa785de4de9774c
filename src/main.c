/* canrun: will this ELF binary run there, and if not, why and how to fix it.
 * main() only dispatches to a subcommand and checks that output reached its
 * destination (so `canrun inspect x >/dev/full` fails loudly). */
#include <stdio.h>
#include <string.h>

#include "canrun_revision.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"

/* CANRUN_VERSION comes from CMake's project(VERSION), the one place it is
 * set (the .deb's version is checked against it); CANRUN_GIT_REVISION from
 * the generated header. */

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
	{ "check", cmd_check, "will it run there? verdicts against distro profiles, root file systems, this host" },
	{ "inspect", cmd_inspect, "show what a binary needs: class, machine, interpreter, libraries, versions" },
	{ "deps", cmd_deps, "resolve its libraries as the loader inside a root would, and predict its errors" },
	{ "go", cmd_go, "Go build info, cgo and resolver modes, and the rebuild that makes it portable" },
	{ "targets", cmd_targets, "the built-in target profiles: libc, kernel, CPU floor, base files, sources" },
	{ "harden", cmd_harden, "exploit mitigations: RELRO, canary, NX, PIE, RPATH, FORTIFY, CET; a CI gate" },
	{ "host", cmd_host, "this machine's provides: kernel, CPU level, libc, loaders, OpenSSL, run-time files, limits" },
	{ "toolchain", cmd_toolchain, "every Go toolchain here: version, origin, permissions, environment; --verify a release" },
	{ "module", cmd_module, "which mode go build uses in a directory, and whether it builds offline" },
	{ "trace", cmd_trace, "run a program under ptrace and explain why it failed to start" },
	{ "tls", cmd_tls, "a TLS server as clients meet it: protocol, cipher, certificates, versions" },
	{ "scan", cmd_scan, "every ELF file of a tree or an image: inspect, harden and check in one pass" },
};

static void usage(FILE *out)
{
	fprintf(out, "usage: canrun COMMAND [OPTIONS] FILE...\n\n"
		     "Tells whether an ELF binary will run on a target system, without running it.\n\n"
		     "Commands:\n");
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "\nRun 'canrun COMMAND --help' for a command's options; 'man canrun' for more.\n"
		     "'canrun --version' (or 'canrun COMMAND --version') prints the version and the git\n"
		     "revision it was built from (\"unknown\" when built outside git).\n");
}

static int finish(int status)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "canrun: error writing output\n");
		return EXIT_OUTPUT;
	}
	return status;
}

static int version(void)
{
	printf("canrun %s (git %s)\n", CANRUN_VERSION, CANRUN_GIT_REVISION);
	return finish(EXIT_OK);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	const char *name = argv[1];
	if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 || strcmp(name, "help") == 0) {
		usage(stdout);
		return finish(EXIT_OK);
	}
	if (strcmp(name, "--version") == 0)
		return version();
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
		if (strcmp(name, commands[i].name) != 0)
			continue;
		/* Only right after the command name, so that a file, or trace's
		 * program argument, spelled --version is never taken for it. */
		if (argc == 3 && strcmp(argv[2], "--version") == 0)
			return version();
		return finish(commands[i].run(argc - 1, argv + 1));
	}
	fprintf(stderr, "canrun: unknown command '%s'; see 'canrun --help'\n", name);
	return EXIT_USAGE;
}
