/* canrun host [--root DIR]: this machine's provides, the facts a new
 * server's first round of manual checks would give (uname -r, ldd
 * --version, openssl version, CA bundle, zoneinfo, cgroup limits), read
 * from files and syscalls without running anything. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli/commands.h"
#include "cli/common.h"
#include "cli/exit_codes.h"
#include "cli/style.h"
#include "host/host.h"
#include "report/host_report.h"
#include "util/json.h"
#include "util/xalloc.h"

static void host_usage(FILE *out)
{
	fputs("usage: canrun host [--root DIR] [--json] [--color WHEN]\n\n"
	      "Reports what this machine provides to programs: kernel and Linux version,\n"
	      "architecture, x86-64 level of the CPU (CPUID), page size; libc and every\n"
	      "program loader, binfmt_misc handlers; ld.so.cache, ld.so.conf, glibc-hwcaps;\n"
	      "OpenSSL and TLS 1.3; the CA bundle where Go looks, zoneinfo, /etc/localtime,\n"
	      "hosts, passwd, group, resolv.conf, nsswitch.conf and its NSS modules; whether\n"
	      "this is a container, cgroup version, CPU and memory limits as Go 1.25 finds\n"
	      "them, the GOMAXPROCS Go picks, seccomp and NoNewPrivs. Nothing is executed.\n\n"
	      "  --root DIR     the files of the root file system DIR instead of /; kernel,\n"
	      "                 CPU, cgroup and process facts stay this machine's\n"
	      "  --json         one JSON document (schema: docs/json.md)\n"
	      "  --color WHEN   auto (default), always or never; NO_COLOR is honoured\n"
	      "  -h, --help     this help\n\n"
	      "Exit status: 0 reported, 2 the root cannot be read, 64 usage error.\n",
	      out);
}

int cmd_host(int argc, char **argv)
{
	static const struct option options[] = {
		{ "root", required_argument, NULL, 'r' },
		{ "json", no_argument, NULL, 'j' },
		{ "color", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool json = false;
	const char *color = NULL, *root = NULL;
	int opt;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (opt) {
		case 'r': root = optarg; break;
		case 'j': json = true; break;
		case 'c': color = optarg; break;
		case 'h': host_usage(stdout); return EXIT_OK;
		default: host_usage(stderr); return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "canrun: host takes no FILE arguments\n");
		host_usage(stderr);
		return EXIT_USAGE;
	}
	struct style st;
	if (cli_style(&st, color) != EXIT_OK)
		return EXIT_USAGE;

	struct host_facts *h = xcalloc(1, sizeof *h);
	struct cr_err err;
	if (host_collect(h, root, &err) < 0) {
		fprintf(stderr, "canrun: %s\n", err.msg);
		free(h);
		return EXIT_UNREADABLE;
	}
	int status = EXIT_OK;
	if (json) {
		/* Built whole before anything is printed: never half a document. */
		json_t *doc = host_json(h);
		if (!doc) {
			fprintf(stderr, "canrun: host: could not build the JSON report\n");
			status = EXIT_INTERNAL;
		} else {
			json_print(doc, stdout);
			json_decref(doc);
		}
	} else {
		host_print_text(stdout, &st, h);
	}
	host_facts_free(h);
	free(h);
	return status;
}
