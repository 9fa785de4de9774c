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
#include "target/machine.h"
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
	fputs("usage: canrun check [--target T]... [--platform P] [--cpu LEVEL] [--explain] [--json]\n"
	      "                    [--at PATH] FILE...\n\n"
	      "Says for each binary and target whether it runs, warns (it starts, but\n"
	      "something it uses at run time is missing), fails (it will not start) or is\n"
	      "unknown (a profile cannot tell), with the reasons and the fixes.\n\n"
	      "  --target T   a profile ('canrun targets' lists them; NAME/ARCH for another\n"
	      "               machine than this one, as debian-12/arm64), a root file\n"
	      "               system (DIR or rootfs:DIR), a container image\n"
	      "               (image:FILE-OR-DIR, a docker save tarball or an OCI layout,\n"
	      "               [@os/arch] to pick a platform), or host; repeatable.\n"
	      "               Default: a matrix of current distributions on this machine,\n"
	      "               and on the machine of any FILE built for another\n"
	      "  --platform P the machine that runs the targets, as linux/arm64 (default:\n"
	      "               this one; an image's own architecture)\n"
	      "  --at PATH    where the program will live inside a root (default /app/NAME)\n"
	      "  --cpu LEVEL  the CPU that will run it: x86-64-v1..v4 (default: this CPU\n"
	      "               for host; for others the lowest their release runs on)\n"
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
	/* The machine each target runs on, under its name. */
	fprintf(out, "%s%-*s", style_dim(st), (int)w0, "");
	for (size_t t = 0; t < ntargets; t++)
		fprintf(out, "  %-*s", (int)(strlen(targets[t].name) > 7 ? strlen(targets[t].name) : 7),
			machine_platform_arch(targets[t].machine));
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
				if (x->fix && (explain || x->severity >= SEV_UNKNOWN)) {
					fputs("        fix: ", out);
					put_untrusted(out, x->fix);
					fputc('\n', out);
				}
			}
		}
	}
}

/* The default matrix: current releases on this machine, and on the machine
 * of every FILE the kernel here would refuse, so that a foreign program
 * still learns where it runs. Pushes onto SPECS; returns the names it
 * made (the caller frees them). */
static char **default_matrix(struct libcache *cache, struct fsroot *host, char **paths, size_t npaths,
			     const struct target_opts *topts, const char ***specs, size_t *nspecs, size_t *cap,
			     size_t *nowned)
{
	size_t n;
	const char *const *matrix = profiles_default_matrix(&n);
	char here[32];
	const char *machine = topts->machine ? topts->machine : machine_host(here, sizeof here);
	const char **machines = NULL;
	size_t nmachines = 0, machines_cap = 0;
	XPUSH(machines, nmachines, machines_cap, machine);
	for (size_t i = 0; host && i < npaths; i++) {
		char real[PATH_MAX], buf[32];
		int error;
		struct lib_entry *e = realpath(paths[i], real) ? libcache_get(cache, host, real, &error) : NULL;
		if (!e || !e->parse_ok)
			continue;
		const char *m = machine_canonical(elf_machine_name(e->elf.machine, e->elf.bits, e->elf.big_endian, buf,
								   sizeof buf));
		bool seen = !m || machine_fit(machine, m) != MACHINE_FOREIGN;
		for (size_t k = 0; k < nmachines && !seen; k++)
			seen = strcmp(machines[k], m) == 0;
		if (!seen)
			XPUSH(machines, nmachines, machines_cap, m);
	}
	char **owned = NULL;
	size_t owned_cap = 0;
	for (size_t k = 0; k < nmachines; k++) {
		for (size_t i = 0; i < n; i++) {
			if (!profile_has_machine(profile_find(matrix[i]), machines[k]))
				continue;
			if (k == 0) {
				XPUSH(*specs, *nspecs, *cap, matrix[i]);
				continue;
			}
			size_t len = strlen(matrix[i]) + 34;
			char *spec = xmalloc(len);
			snprintf(spec, len, "%s/%s", matrix[i], machine_platform_arch(machines[k]));
			XPUSH(owned, *nowned, owned_cap, spec);
			XPUSH(*specs, *nspecs, *cap, spec);
		}
	}
	free(machines);
	return owned;
}

int cmd_check(int argc, char **argv)
{
	static const struct option options[] = {
		{ "target", required_argument, NULL, 't' }, { "at", required_argument, NULL, 'a' },
		{ "cpu", required_argument, NULL, 'p' }, { "platform", required_argument, NULL, 'P' },
		{ "explain", no_argument, NULL, 'x' }, { "json", no_argument, NULL, 'j' },
		{ "color", required_argument, NULL, 'c' }, { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char **specs = NULL;
	size_t nspecs = 0, specs_cap = 0;
	bool json = false, explain = false;
	const char *color = NULL, *at = NULL, *cpu = NULL, *platform = NULL;
	int opt;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "t:h", options, NULL)) != -1) {
		switch (opt) {
		case 't': XPUSH(specs, nspecs, specs_cap, optarg); break;
		case 'a': at = optarg; break;
		case 'p': cpu = optarg; break;
		case 'P': platform = optarg; break;
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
	struct target_opts topts;
	if (cli_target_opts(cpu, platform, &topts) != EXIT_OK || cli_need_files(argc, optind, "check", check_usage) != EXIT_OK) {
		free(specs);
		return EXIT_USAGE;
	}
	struct fsroot *host = NULL;
	struct cr_err err;
	host = fsroot_open_dir("/", &err);
	struct libcache cache = { 0 };
	size_t nfiles = (size_t)(argc - optind);
	char **owned_specs = NULL;
	size_t nowned = 0;
	if (nspecs == 0)
		owned_specs = default_matrix(&cache, host, argv + optind, nfiles, &topts, &specs, &nspecs, &specs_cap, &nowned);
	struct provides *targets = xcalloc(nspecs ? nspecs : 1, sizeof *targets);
	size_t ntargets = 0;
	int open_status = EXIT_OK;
	for (size_t i = 0; i < nspecs && open_status == EXIT_OK; i++)
		if ((open_status = cli_open_target(&targets[ntargets], specs[i], &topts)) == EXIT_OK)
			ntargets++;
	free(specs);
	for (size_t i = 0; i < nowned; i++)
		free(owned_specs[i]);
	free(owned_specs);
	if (open_status != EXIT_OK) {
		for (size_t k = 0; k < ntargets; k++)
			provides_free(&targets[k]);
		free(targets);
		libcache_free(&cache);
		if (host)
			fsroot_close(host);
		return open_status;
	}

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
			struct check_input in = { file_real, &program->elf, &program->needs, &ga, NULL };
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
