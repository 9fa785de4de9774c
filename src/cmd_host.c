/* canrun host [--root DIR]: this machine's provides, the facts a new
 * server's first round of manual checks would give (uname -r, ldd
 * --version, openssl version, CA bundle, zoneinfo, cgroup limits), read
 * from files and syscalls without running anything. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli/commands.h"
#include "cli/common.h"
#include "cli/exit_codes.h"
#include "cli/style.h"
#include "host/host.h"
#include "report/host_report.h"
#include "target/profile.h"
#include "util/json.h"
#include "util/xalloc.h"

static void host_usage(FILE *out)
{
	fputs("usage: canrun host [--root DIR] [--json | --save FILE [--include DIR]...]\n"
	      "                  [--color WHEN]\n\n"
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
	      "  --save FILE    write this machine's (or DIR's) provides to FILE as a profile:\n"
	      "                 the facts, and stubs of every library the loader can find;\n"
	      "                 check it anywhere with --target profile:FILE\n"
	      "  --include DIR  with --save: also every file below DIR (where the application\n"
	      "                 and the libraries it brings live, as /opt/app); repeatable\n"
	      "  --color WHEN   auto (default), always or never; NO_COLOR is honoured\n"
	      "  -h, --help     this help\n\n"
	      "Exit status: 0 reported, 2 the root cannot be read, 64 usage error,\n"
	      "74 FILE cannot be written.\n",
	      out);
}

/* The profile document: the format, what check needs, the host facts for
 * people, the files. Written to a temporary file renamed over FILE, so a
 * reader never sees half a profile. */
static int save_profile(const struct host_facts *h, const char *root, const char *file, const char *const *includes,
			size_t nincludes)
{
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	const char *loaders[HOST_MAX_LOADERS];
	for (size_t i = 0; i < h->nloaders; i++)
		loaders[i] = h->loaders[i].path;
	struct profile_save_stats stats;
	json_t *files = profile_files_json(h->p.root, loaders, h->nloaders, includes, nincludes, &stats);
	json_t *doc = json_object();
	json_object_set_new(doc, PROFILE_FORMAT_KEY, json_integer(PROFILE_FORMAT));
	json_object_set_new(doc, "canrun_version", json_string(CANRUN_VERSION));
	json_object_set_new(doc, "target",
			    json_pack("{s:s, s:b, s:s, s:s, s:i, s:b}", "saved_from", root ? root : "/", "root", root != NULL,
				      "machine", h->machine, "kernel", root ? "" : h->kernel, "x86_level",
				      root ? 0 : (int)h->x86_level, "runs_i386", root != NULL || !h->no_i386));
	json_object_set_new(doc, "host", host_json(h));
	json_object_set_new(doc, "files", files);
	size_t n = strlen(file) + 16;
	char *tmp = xmalloc(n);
	snprintf(tmp, n, "%s.tmp", file);
	int rc = json_dump_file(doc, tmp, JSON_COMPACT);
	json_decref(doc);
	if (rc < 0 || rename(tmp, file) < 0) {
		fprintf(stderr, "canrun: %s: cannot write: %s\n", file, strerror(errno));
		remove(tmp);
		free(tmp);
		return EXIT_OUTPUT;
	}
	free(tmp);
	struct stat st;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("saved %s: %zu files (%zu ELF), %zu symlinks, %zu directories; %.1f MiB of files, %.1f MiB kept; "
	       "%.2f MiB written in %.2f s\n",
	       file, stats.files, stats.elf, stats.links, stats.dirs, (double)stats.size / 1048576.0,
	       (double)stats.kept / 1048576.0, stat(file, &st) == 0 ? (double)st.st_size / 1048576.0 : 0.0, secs);
	return EXIT_OK;
}

/* The report, or the profile, of ROOT (NULL: this machine). */
static int report(const char *root, bool json, const char *save, const char *const *includes, size_t nincludes,
		  const struct style *st)
{
	struct host_facts *h = xcalloc(1, sizeof *h);
	struct cr_err err;
	if (host_collect(h, root, &err) < 0) {
		fprintf(stderr, "canrun: %s\n", err.msg);
		free(h);
		return EXIT_UNREADABLE;
	}
	int status = EXIT_OK;
	if (save) {
		status = save_profile(h, root, save, includes, nincludes);
	} else if (json) {
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
		host_print_text(stdout, st, h);
	}
	host_facts_free(h);
	free(h);
	return status;
}

int cmd_host(int argc, char **argv)
{
	static const struct option options[] = {
		{ "root", required_argument, NULL, 'r' },
		{ "json", no_argument, NULL, 'j' },
		{ "save", required_argument, NULL, 's' },
		{ "include", required_argument, NULL, 'i' },
		{ "color", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool json = false;
	const char *color = NULL, *root = NULL, *save = NULL;
	const char **includes = NULL;
	size_t nincludes = 0, includes_cap = 0;
	int opt;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (opt) {
		case 'r': root = optarg; break;
		case 'j': json = true; break;
		case 's': save = optarg; break;
		case 'i':
			if (optarg[0] != '/') {
				fprintf(stderr, "canrun: --include takes an absolute path inside the root\n");
				free(includes);
				return EXIT_USAGE;
			}
			XPUSH(includes, nincludes, includes_cap, optarg);
			break;
		case 'c': color = optarg; break;
		case 'h': host_usage(stdout); free(includes); return EXIT_OK;
		default: host_usage(stderr); free(includes); return EXIT_USAGE;
		}
	}
	int status = EXIT_OK;
	struct style st;
	if (nincludes && !save) {
		fprintf(stderr, "canrun: host: --include goes with --save\n");
		status = EXIT_USAGE;
	} else if (json && save) {
		fprintf(stderr, "canrun: host: --json and --save go separately\n");
		status = EXIT_USAGE;
	} else if (optind < argc) {
		fprintf(stderr, "canrun: host takes no FILE arguments\n");
		host_usage(stderr);
		status = EXIT_USAGE;
	} else if (cli_style(&st, color) != EXIT_OK) {
		status = EXIT_USAGE;
	}
	if (status == EXIT_OK)
		status = report(root, json, save, includes, nincludes, &st);
	free(includes);
	return status;
}

