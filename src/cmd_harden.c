/* canrun harden FILE...: the exploit mitigations each binary was built with
 * (RELRO, canary, NX, PIE, RPATH/RUNPATH, FORTIFY, CET, TEXTREL, UPX), as a
 * checksec-like table or JSON, and a CI gate (--require). */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/common.h"
#include "cli/exit_codes.h"
#include "cli/style.h"
#include "harden/harden.h"
#include "report/sarif.h"
#include "target/provides_load.h"
#include "util/json.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

static void harden_usage(FILE *out)
{
	fputs("usage: canrun harden [--json | --sarif] [--require LIST] [--target T] [--color WHEN] FILE...\n\n"
	      "Shows the exploit mitigations each ELF file was built with: RELRO (none,\n"
	      "partial, full), stack canary, NX, PIE (also static-pie and shared objects),\n"
	      "RPATH/RUNPATH and their unsafe entries, FORTIFY (fortified of fortifiable\n"
	      "calls, counted against the target's libc), IBT/SHSTK, TEXTREL and UPX.\n"
	      "Go code has no canary by design (\"go\"). The files are read, never executed.\n\n"
	      "  --require LIST  fail (exit 4) unless every file has all of: full-relro,\n"
	      "                 relro, pie, nx, canary, fortify, no-rpath, no-runpath,\n"
	      "                 safe-rpath, no-textrel, ibt, shstk, no-upx (comma-separated)\n"
	      "  --target T      where FORTIFY's libc and RPATH directories are looked up:\n"
	      "                 host (default), a root directory, or image:FILE\n"
	      "  --json          one JSON document (schema: docs/json.md)\n"
	      "  --sarif         SARIF 2.1.0 for code scanning: each note, warning and unmet\n"
	      "                 --require property is a result (docs/json.md)\n"
	      "  --color WHEN    auto (default), always or never; NO_COLOR is honoured\n"
	      "  -h, --help      this help\n\n"
	      "Exit status: 0 all files read (and every --require met), 2 some file or the\n"
	      "target image could not be read, 4 a required property is missing, 64 usage\n"
	      "error.\n",
	      out);
}

struct result {
	const char *path;
	char *error; /* why it could not be read */
	bool ok;
	struct hardening h;
	unsigned unmet;
};

/* Reads one file; its mode (setuid/setgid) comes from the same open file.
 * On the host $ORIGIN is known (the file's own directory); in another root
 * it depends on where the file will be installed, so it stays unknown. */
static int analyze_file(const char *path, struct fsroot *root, bool host, const struct fortify_libc *libc,
			struct hardening *h, struct cr_err *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return cr_fail(err, "%s", strerror(errno));
	struct stat st;
	struct elf_file ef;
	int rc = fstat(fd, &st) < 0 ? cr_fail(err, "%s", strerror(errno)) : elf_open_fd(&ef, fd, err);
	close(fd);
	if (rc < 0)
		return -1;
	struct needs n;
	needs_from_elf(&ef, &n);
	struct go_analysis ga;
	go_analyze(&ef, &n, 0, &ga);
	struct harden_input in = { &ef, &n, &ga, st.st_mode, root, libc };
	harden_analyze(&in, h);
	char real[PATH_MAX];
	if (host && realpath(path, real)) {
		char *origin = path_dirname(real);
		harden_check_origin(h, root, origin);
		free(origin);
	}
	go_analysis_free(&ga);
	needs_free(&n);
	elf_close(&ef);
	return 0;
}

int cmd_harden(int argc, char **argv)
{
	static const struct option options[] = {
		{ "json", no_argument, NULL, 'j' }, { "sarif", no_argument, NULL, 'S' },
		{ "require", required_argument, NULL, 'r' },
		{ "target", required_argument, NULL, 't' }, { "color", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 },
	};
	bool json = false, sarif = false;
	const char *color = NULL, *require = NULL, *target = "host";
	int opt;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (opt) {
		case 'j': json = true; break;
		case 'S': sarif = true; break;
		case 'r': require = optarg; break;
		case 't': target = optarg; break;
		case 'c': color = optarg; break;
		case 'h': harden_usage(stdout); return EXIT_OK;
		default: harden_usage(stderr); return EXIT_USAGE;
		}
	}
	if (json && sarif) {
		fprintf(stderr, "canrun: --json and --sarif exclude each other\n");
		return EXIT_USAGE;
	}
	struct style st;
	if (cli_style(&st, color) != EXIT_OK)
		return EXIT_USAGE;
	struct cr_err err;
	unsigned mask = 0;
	if (require && harden_require_parse(require, &mask, &err) < 0) {
		fprintf(stderr, "canrun: %s\n", err.msg);
		return EXIT_USAGE;
	}
	if (cli_need_files(argc, optind, "harden", harden_usage) != EXIT_OK)
		return EXIT_USAGE;
	struct provides p;
	int open_status = cli_open_target(&p, target, NULL);
	if (open_status != EXIT_OK)
		return open_status;
	if (!p.root) {
		fprintf(stderr, "canrun: --target %s is a profile, which has no files to read a libc or "
				"RPATH directories from; give host, a root directory or image:FILE\n", target);
		provides_free(&p);
		return EXIT_USAGE;
	}
	/* Without a libc in the target FORTIFY is "unknown"; the rest still holds. */
	struct fortify_libc libc;
	bool have_libc = fortify_libc_load(&libc, p.root, &err) == 0;

	size_t nfiles = (size_t)(argc - optind);
	struct result *res = xcalloc(nfiles, sizeof *res);
	json_t *files = json_array();
	int status = EXIT_OK;
	bool any_unmet = false, any_read = false;
	for (size_t i = 0; i < nfiles; i++) {
		struct result *r = &res[i];
		r->path = argv[optind + (int)i];
		if (analyze_file(r->path, p.root, p.kind == TARGET_HOST, have_libc ? &libc : NULL, &r->h, &err) < 0) {
			fprintf(stderr, "canrun: %s: %s\n", r->path, err.msg);
			r->error = xstrdup(err.msg);
			json_array_append_new(files, json_pack("{s:o, s:o}", "path", json_text(r->path),
							       "error", json_text(err.msg)));
			status = EXIT_UNREADABLE;
			continue;
		}
		r->ok = any_read = true;
		r->unmet = harden_unmet(&r->h, mask);
		any_unmet |= r->unmet != 0;
		json_t *o = json_pack("{s:o}", "path", json_text(r->path));
		json_t *hj = harden_to_json(&r->h);
		json_object_update(o, hj);
		json_decref(hj);
		if (require)
			json_object_set_new(o, "unmet", harden_require_to_json(r->unmet));
		json_array_append_new(files, o);
	}
	int written = 0;
	if (sarif) {
		json_decref(files);
		struct sarif *doc = sarif_new("harden", CANRUN_VERSION);
		for (size_t i = 0; i < nfiles; i++) {
			if (!res[i].ok) {
				sarif_add_error(doc, res[i].path, res[i].error);
				continue;
			}
			struct sarif_result where = { .path = res[i].path, .target = p.name };
			sarif_add_hardening(doc, &res[i].h, res[i].unmet, false, &where);
		}
		written = sarif_finish(doc, stdout);
	} else if (json) {
		json_t *doc = json_pack("{s:o, s:o}", "target", json_text(p.name), "libc",
					json_text(have_libc ? libc.source : NULL));
		if (require)
			json_object_set_new(doc, "require", harden_require_to_json(mask));
		json_object_set_new(doc, "files", files);
		written = json_print(doc, stdout);
		json_decref(doc);
	} else {
		json_decref(files);
		if (any_read)
			harden_print_header(stdout, &st);
		for (size_t i = 0; i < nfiles; i++)
			if (res[i].ok)
				harden_print_row(stdout, &st, res[i].path, &res[i].h);
		bool first = true, counted = false;
		for (size_t i = 0; i < nfiles; i++) {
			if (!res[i].ok)
				continue;
			harden_print_notes(stdout, &st, res[i].path, &res[i].h, res[i].unmet, &first);
			counted |= res[i].h.fortify != FORTIFY_UNKNOWN && res[i].h.fortify != FORTIFY_NA;
		}
		if (counted && have_libc)
			printf("%s%snote    FORTIFY counted against %s (%zu fortifiable functions)%s\n",
			       first ? "\n" : "", style_dim(&st), libc.source, libc.count, style_reset(&st));
	}
	for (size_t i = 0; i < nfiles; i++) {
		if (res[i].ok)
			harden_free(&res[i].h);
		free(res[i].error);
	}
	free(res);
	if (have_libc)
		fortify_libc_free(&libc);
	provides_free(&p);
	if (written < 0)
		return EXIT_OUTPUT;
	if (status != EXIT_OK)
		return status;
	return any_unmet ? EXIT_UNMET : EXIT_OK;
}
