/* canrun check FILE... [--target T]...: will it run there? One verdict per
 * binary and target (runs, warns, fails, unknown), with the findings behind
 * it: their evidence and their fix. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/checks.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "cli/exit_codes.h"
#include "cli/style.h"
#include "report/check_report.h"
#include "target/provides_load.h"
#include "util/json.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

enum { EXIT_WARNS = 3 };


struct file_result {
	const char *path;
	char *error; /* set when the file could not be read */
	struct check_result *cells; /* one per target */
};

static void check_usage(FILE *out)
{
	fputs("usage: canrun check [--target T]... [--explain] [--json] [--at PATH] FILE...\n\n"
	      "Says for each binary and target whether it runs, warns (it starts, but\n"
	      "something it uses at run time is missing), fails (it will not start) or is\n"
	      "unknown (a profile cannot tell), with the reasons and the fixes.\n\n"
	      "  --target T   a profile ('canrun targets' lists them), a root file system\n"
	      "               (DIR or rootfs:DIR), a container image (image:FILE-OR-DIR, a\n"
	      "               docker save tarball or an OCI layout, [@os/arch] to pick a\n"
	      "               platform), or host; repeatable. Default: a matrix of\n"
	      "               current distributions\n"
	      "  --at PATH    where the program will live inside a root (default /app/NAME)\n"
	      "  --cpu LEVEL  the CPU that will run it, for roots: x86-64-v1..v4 (default:\n"
	      "               this CPU for host, the lowest for a root)\n"
	      "  --explain    every finding with its evidence and fix, passed checks too\n"
	      "  --json       one JSON document (schema: docs/json.md)\n"
	      "  --color WHEN auto (default), always or never\n"
	      "  -h, --help   this help\n\n"
	      "Exit status: 0 everything runs, 1 something fails, 3 warnings or unknowns\n"
	      "only, 2 some file or an image could not be read, 64 usage error.\n",
	      out);
}

static const char *verdict_colour(const struct style *st, enum severity worst)
{
	switch (worst) {
	case SEV_FAIL: return style_red(st);
	case SEV_WARN: return style_yellow(st);
	case SEV_UNKNOWN: return style_dim(st);
	default: return style_green(st);
	}
}

static void print_table(FILE *out, const struct style *st, struct file_result *files, size_t nfiles,
			struct provides *targets, size_t ntargets, bool explain)
{
	size_t w0 = 4;
	for (size_t i = 0; i < nfiles; i++)
		if (strlen(files[i].path) > w0)
			w0 = strlen(files[i].path);
	fprintf(out, "%s%-*s", style_bold(st), (int)w0, "FILE");
	for (size_t t = 0; t < ntargets; t++)
		fprintf(out, "  %-*s", (int)(strlen(targets[t].name) > 7 ? strlen(targets[t].name) : 7), targets[t].name);
	fprintf(out, "%s\n", style_reset(st));
	for (size_t i = 0; i < nfiles; i++) {
		put_untrusted(out, files[i].path);
		fprintf(out, "%*s", (int)(w0 - strlen(files[i].path)), "");
		for (size_t t = 0; t < ntargets; t++) {
			int w = (int)(strlen(targets[t].name) > 7 ? strlen(targets[t].name) : 7);
			if (files[i].error) {
				fprintf(out, "  %-*s", w, "error");
				continue;
			}
			enum severity worst = findings_worst(&files[i].cells[t].findings);
			fprintf(out, "  %s%-*s%s", verdict_colour(st, worst), w, verdict_name(worst), style_reset(st));
		}
		fputc('\n', out);
	}
	/* The reasons: every finding worse than ok (all of them with --explain). */
	bool first = true;
	for (size_t i = 0; i < nfiles; i++) {
		if (files[i].error)
			continue;
		for (size_t t = 0; t < ntargets; t++) {
			const struct findings *f = &files[i].cells[t].findings;
			for (size_t k = 0; k < f->count; k++) {
				const struct finding *x = &f->items[k];
				if (x->severity == SEV_OK && !explain)
					continue;
				if (first) {
					fputc('\n', out);
					first = false;
				}
				fputs(verdict_colour(st, x->severity), out);
				fprintf(out, "%-7s%s ", severity_name(x->severity), style_reset(st));
				put_untrusted(out, files[i].path);
				fprintf(out, " on %s: ", targets[t].name);
				put_untrusted(out, x->message);
				fprintf(out, " %s[%s]%s\n", style_dim(st), x->id, style_reset(st));
				if (explain && x->evidence) {
					fputs("        evidence: ", out);
					put_untrusted(out, x->evidence);
					fputc('\n', out);
				}
				if (x->fix && (explain || x->severity >= SEV_WARN)) {
					fputs("        fix: ", out);
					put_untrusted(out, x->fix);
					fputc('\n', out);
				}
			}
		}
	}
}

int cmd_check(int argc, char **argv)
{
	static const struct option options[] = {
		{ "target", required_argument, NULL, 't' }, { "at", required_argument, NULL, 'a' },
		{ "cpu", required_argument, NULL, 'p' },
		{ "explain", no_argument, NULL, 'x' }, { "json", no_argument, NULL, 'j' },
		{ "color", required_argument, NULL, 'c' }, { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char **specs = NULL;
	size_t nspecs = 0, specs_cap = 0;
	bool json = false, explain = false;
	const char *color = NULL, *at = NULL, *cpu = NULL;
	int opt;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "t:h", options, NULL)) != -1) {
		switch (opt) {
		case 't': XPUSH(specs, nspecs, specs_cap, optarg); break;
		case 'a': at = optarg; break;
		case 'p': cpu = optarg; break;
		case 'x': explain = true; break;
		case 'j': json = true; break;
		case 'c': color = optarg; break;
		case 'h': check_usage(stdout); free(specs); return EXIT_OK;
		default: check_usage(stderr); free(specs); return EXIT_USAGE;
		}
	}
	struct style st;
	int status = EXIT_OK;
	if (cli_style(&st, color) != EXIT_OK) {
		free(specs);
		return EXIT_USAGE;
	}
	unsigned cpu_level = 0;
	if (cpu && cli_parse_cpu(cpu, &cpu_level) < 0) {
		fprintf(stderr, "canrun: --cpu takes x86-64-v1, x86-64-v2, x86-64-v3 or x86-64-v4\n");
		free(specs);
		return EXIT_USAGE;
	}
	if (cli_need_files(argc, optind, "check", check_usage) != EXIT_OK) {
		free(specs);
		return EXIT_USAGE;
	}
	if (nspecs == 0) {
		size_t n;
		const char *const *matrix = profiles_default_matrix(&n);
		for (size_t i = 0; i < n; i++)
			XPUSH(specs, nspecs, specs_cap, matrix[i]);
	}
	struct provides *targets = xcalloc(nspecs, sizeof *targets);
	size_t ntargets = 0;
	for (size_t i = 0; i < nspecs; i++) {
		struct cr_err err;
		int rc = provides_open(&targets[ntargets], specs[i], &err);
		if (rc < 0) {
			fprintf(stderr, "canrun: %s\n", err.msg);
			for (size_t k = 0; k < ntargets; k++)
				provides_free(&targets[k]);
			free(targets);
			free(specs);
			return cli_target_status(rc);
		}
		/* A root's CPU is the machine that will run it: unknown unless given. */
		if (cpu_level && targets[ntargets].kind != TARGET_PROFILE)
			targets[ntargets].x86_level = cpu_level;
		ntargets++;
	}
	free(specs);

	struct fsroot *host = NULL;
	struct cr_err err;
	host = fsroot_open_dir("/", &err);
	struct libcache cache = { 0 };
	size_t nfiles = (size_t)(argc - optind);
	struct file_result *files = xcalloc(nfiles, sizeof *files);
	enum severity worst_all = SEV_OK;
	for (size_t i = 0; i < nfiles; i++) {
		struct file_result *fr = &files[i];
		fr->path = argv[optind + (int)i];
		char file_real[PATH_MAX];
		int error = 0;
		struct lib_entry *program = NULL;
		if (host && realpath(fr->path, file_real))
			program = libcache_get(&cache, host, file_real, &error);
		else
			error = errno;
		const char *why = !program ? strerror(error) : !program->parse_ok ? program->err.msg : NULL;
		if (why) {
			fprintf(stderr, "canrun: %s: %s\n", fr->path, why);
			fr->error = xstrdup(why);
			status = EXIT_UNREADABLE;
			continue;
		}
		fr->cells = xcalloc(ntargets, sizeof *fr->cells);
		/* The Go analysis reads the function table: once per file. */
		struct go_analysis ga;
		go_analyze(&program->elf, &program->needs, &ga);
		for (size_t t = 0; t < ntargets; t++) {
			struct check_input in = { file_real, &program->elf, &program->needs, &ga };
			char *where = at ? xstrdup(at) : check_default_at(&targets[t], file_real);
			check_binary(&in, &targets[t], &cache, program, where, &fr->cells[t]);
			free(where);
			enum severity w = findings_worst(&fr->cells[t].findings);
			if (w > worst_all)
				worst_all = w;
		}
		go_analysis_free(&ga);
	}
	if (json) {
		json_t *arr = json_array();
		for (size_t i = 0; i < nfiles; i++) {
			if (files[i].error) {
				json_array_append_new(arr, json_pack("{s:o, s:o}", "path", json_text(files[i].path),
								     "error", json_text(files[i].error)));
				continue;
			}
			json_t *cells = json_array();
			for (size_t t = 0; t < ntargets; t++)
				json_array_append_new(cells, check_result_to_json(&targets[t], &files[i].cells[t]));
			json_array_append_new(arr, json_pack("{s:o, s:o}", "path", json_text(files[i].path), "targets", cells));
		}
		cli_finish_files(arr, true);
	} else {
		print_table(stdout, &st, files, nfiles, targets, ntargets, explain);
	}
	for (size_t i = 0; i < nfiles; i++) {
		for (size_t t = 0; files[i].cells && t < ntargets; t++)
			check_result_free(&files[i].cells[t]);
		free(files[i].cells);
		free(files[i].error);
	}
	free(files);
	libcache_free(&cache);
	if (host)
		fsroot_close(host);
	for (size_t t = 0; t < ntargets; t++)
		provides_free(&targets[t]);
	free(targets);
	if (status != EXIT_OK)
		return status;
	return worst_all == SEV_FAIL ? 1 : worst_all >= SEV_UNKNOWN ? EXIT_WARNS : EXIT_OK;
}
