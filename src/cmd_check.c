/* canrun check FILE... [--target T]...: will it run there? One verdict per
 * binary and target (runs, warns, fails, unknown), with the findings behind
 * it: their evidence and their fix. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "check/checks.h"
#include "check/gate.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "cli/exit_codes.h"
#include "cli/style.h"
#include "harden/harden.h"
#include "report/check_report.h"
#include "report/gate_report.h"
#include "report/sarif.h"
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
	unsigned *unmet;            /* with --require: REQ_* bits missing, one per target */
};

static void check_usage(FILE *out)
{
	fputs("usage: canrun check [--target T]... [--platform P] [--cpu LEVEL] [--explain]\n"
	      "                    [--json | --sarif] [--require LIST] [--deny KINDS] [--at PATH] FILE...\n\n"
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
	      "  --sarif      SARIF 2.1.0 for code scanning: a result per finding worse\n"
	      "               than ok (every finding with --explain) and per unmet --require\n"
	      "  --color WHEN auto (default), always or never\n"
	      "  -h, --help   this help\n\n"
	      "Release gate: with --require or --deny, every FILE must start on every\n"
	      "target (its verdict is not fails), have each property --require names, and\n"
	      "have no finding of a kind --deny names; other warnings pass. Each failure is\n"
	      "one line on stderr, 'canrun: gate: FILE on TARGET: REASON', then a verdict line.\n"
	      "  --require LIST runs (the verdict) and harden's properties: full-relro,\n"
	      "               relro, pie, nx, canary, fortify, no-rpath, no-runpath,\n"
	      "               safe-rpath, no-textrel, ibt, shstk, no-upx (comma-separated;\n"
	      "               FORTIFY and RPATH directories judged in each target's root,\n"
	      "               this host's for a profile)\n"
	      "  --deny KINDS warnings that fail the gate: certs-missing, tzdata-missing,\n"
	      "               user-lookup, nss-missing, cpu-level, emulated, lazy-symbol,\n"
	      "               loader-warning, library-package, unknown (every unknown),\n"
	      "               all (every warning and unknown)\n\n"
	      "Exit status: 0 everything runs (with a gate: the gate passed), 1 something\n"
	      "fails, 3 warnings or unknowns only (not with a gate), 4 a gate's --require\n"
	      "or --deny is not met, 2 some file or an image could not be read, 64 usage\n"
	      "error.\n",
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

/* Where --require's hardening is judged on one target: FORTIFY against its
 * libc and RPATH directories inside its root; a profile has no files, so
 * this host's root stands in, as for 'canrun harden'. */
struct harden_root {
	struct fsroot *root;
	bool host, have_libc;
	struct fortify_libc libc;
};

/* What a gate's run collects besides the cells: its failures, and the
 * SARIF document being built. */
struct gate_run {
	const struct gate_policy *policy;
	bool on;
	struct gate_failures failures;
	struct sarif *sarif;
	bool explain;
};

struct unmet_ctx {
	struct gate_run *run;
	const char *path, *target;
};

static void add_unmet(const char *id, const char *severity, const char *msg, const char *fix, void *vctx)
{
	struct unmet_ctx *c = vctx;
	(void)fix; /* in the SARIF result, not in the gate's line */
	if (strcmp(severity, "unmet") == 0) /* harden's notes are for 'canrun harden' */
		gate_failure_add(&c->run->failures, GATE_UNMET, c->path, c->target, id, id + strlen("require-"), msg);
}

/* The --require properties one file lacks on one target (harden's own
 * evaluation), each a gate failure and a SARIF result. */
static unsigned judge_hardening(struct gate_run *run, const struct harden_root *hr, const char *path,
				const char *file_real, const struct lib_entry *program, const struct go_analysis *ga,
				const char *target, const char *verdict)
{
	struct stat sb;
	struct harden_input in = { &program->elf, &program->needs, ga, stat(file_real, &sb) == 0 ? sb.st_mode : 0,
				   hr->root, hr->have_libc ? &hr->libc : NULL };
	struct hardening h;
	harden_analyze(&in, &h);
	if (hr->host) {
		char *origin = path_dirname(file_real);
		harden_check_origin(&h, hr->root, origin);
		free(origin);
	}
	unsigned unmet = harden_unmet(&h, run->policy->require);
	struct unmet_ctx c = { run, path, target };
	harden_each_note(&h, unmet, add_unmet, &c);
	if (run->sarif) {
		struct sarif_result where = { .path = path, .target = target, .verdict = verdict };
		sarif_add_hardening(run->sarif, &h, unmet, true, &where);
	}
	harden_free(&h);
	return unmet;
}

/* One cell's findings: SARIF results, and the gate's failures. */
static void judge_cell(struct gate_run *run, const char *path, const struct provides *target,
		       const struct check_result *cell)
{
	const char *verdict = verdict_name(findings_worst(&cell->findings));
	for (size_t k = 0; k < cell->findings.count; k++) {
		const struct finding *f = &cell->findings.items[k];
		if (run->sarif && (f->severity != SEV_OK || run->explain))
			sarif_add_finding(run->sarif, f, path, NULL, target->name, verdict);
		if (!run->on)
			continue;
		const char *kind = gate_denied_kind(run->policy, f);
		if (f->severity == SEV_FAIL)
			gate_failure_add(&run->failures, GATE_FAILS, path, target->name, f->id, NULL, f->message);
		else if (kind)
			gate_failure_add(&run->failures, GATE_DENIED, path, target->name, f->id, kind, f->message);
	}
}

int cmd_check(int argc, char **argv)
{
	static const struct option options[] = {
		{ "target", required_argument, NULL, 't' }, { "at", required_argument, NULL, 'a' },
		{ "cpu", required_argument, NULL, 'p' }, { "platform", required_argument, NULL, 'P' },
		{ "explain", no_argument, NULL, 'x' }, { "json", no_argument, NULL, 'j' },
		{ "sarif", no_argument, NULL, 'S' }, { "require", required_argument, NULL, 'r' },
		{ "deny", required_argument, NULL, 'D' },
		{ "color", required_argument, NULL, 'c' }, { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char **specs = NULL;
	size_t nspecs = 0, specs_cap = 0;
	bool json = false, explain = false, sarif = false;
	const char *color = NULL, *at = NULL, *cpu = NULL, *platform = NULL, *require = NULL, *deny = NULL;
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
		case 'S': sarif = true; break;
		case 'r': require = optarg; break;
		case 'D': deny = optarg; break;
		case 'c': color = optarg; break;
		case 'h': check_usage(stdout); free(specs); return EXIT_OK;
		default: check_usage(stderr); free(specs); return EXIT_USAGE;
		}
	}
	struct style st;
	int status = EXIT_OK;
	struct gate_policy policy = { 0 };
	struct cr_err err;
	const char *usage_error = json && sarif ? "--json and --sarif exclude each other" : NULL;
	if (!usage_error && require && gate_parse_require(require, &policy, &err) < 0)
		usage_error = err.msg;
	if (!usage_error && deny && gate_parse_deny(deny, &policy, &err) < 0)
		usage_error = err.msg;
	if (usage_error) {
		fprintf(stderr, "canrun: %s\n", usage_error);
		free(specs);
		return EXIT_USAGE;
	}
	if (cli_style(&st, color) != EXIT_OK) {
		free(specs);
		return EXIT_USAGE;
	}
	struct target_opts topts;
	if (cli_target_opts(cpu, platform, &topts) != EXIT_OK || cli_need_files(argc, optind, "check", check_usage) != EXIT_OK) {
		free(specs);
		return EXIT_USAGE;
	}
	struct fsroot *host = fsroot_open_dir("/", &err);
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

	struct harden_root *hroots = xcalloc(ntargets ? ntargets : 1, sizeof *hroots);
	for (size_t t = 0; policy.require && t < ntargets; t++) {
		hroots[t].root = targets[t].root ? targets[t].root : host;
		hroots[t].host = !targets[t].root || targets[t].kind == TARGET_HOST;
		/* Without a libc there FORTIFY is "unknown", as harden says. */
		hroots[t].have_libc = hroots[t].root && fortify_libc_load(&hroots[t].libc, hroots[t].root, &err) == 0;
	}
	struct gate_run run = { &policy, require || deny, { 0 }, sarif ? sarif_new("check", CANRUN_VERSION) : NULL,
				explain };
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
			if (run.on)
				gate_failure_add(&run.failures, GATE_UNREADABLE, fr->path, NULL, NULL, NULL, why);
			if (run.sarif)
				sarif_add_error(run.sarif, fr->path, why);
			continue;
		}
		fr->cells = xcalloc(ntargets, sizeof *fr->cells);
		fr->unmet = xcalloc(ntargets, sizeof *fr->unmet);
		/* The Go analysis reads the function table: once per file. */
		struct go_analysis ga;
		go_analyze(&program->elf, &program->needs, 0, &ga);
		for (size_t t = 0; t < ntargets; t++) {
			struct check_input in = { file_real, &program->elf, &program->needs, &ga, NULL };
			char *where = at ? xstrdup(at) : check_default_at(&targets[t], file_real);
			check_binary(&in, &targets[t], &cache, program, where, &fr->cells[t]);
			free(where);
			judge_cell(&run, fr->path, &targets[t], &fr->cells[t]);
			const char *verdict = verdict_name(findings_worst(&fr->cells[t].findings));
			if (policy.require)
				fr->unmet[t] = judge_hardening(&run, &hroots[t], fr->path, file_real, program, &ga,
							       targets[t].name, verdict);
			enum severity w = findings_worst(&fr->cells[t].findings);
			if (w > worst_all)
				worst_all = w;
		}
		go_analysis_free(&ga);
	}
	int written = 0;
	if (run.sarif) {
		if (run.on)
			sarif_set_run_property(run.sarif, "gate", gate_to_json(&policy, &run.failures));
		written = sarif_finish(run.sarif, stdout);
	} else if (json) {
		json_t *arr = json_array();
		for (size_t i = 0; i < nfiles; i++) {
			if (files[i].error) {
				json_array_append_new(arr, json_pack("{s:o, s:o}", "path", json_text(files[i].path),
								     "error", json_text(files[i].error)));
				continue;
			}
			json_t *cells = json_array();
			for (size_t t = 0; t < ntargets; t++) {
				json_t *cell = check_result_to_json(&targets[t], &files[i].cells[t]);
				if (policy.require)
					json_object_set_new(cell, "unmet", harden_require_to_json(files[i].unmet[t]));
				json_array_append_new(cells, cell);
			}
			json_array_append_new(arr, json_pack("{s:o, s:o}", "path", json_text(files[i].path), "targets", cells));
		}
		json_t *doc = json_pack("{s:o}", "files", arr);
		if (run.on)
			json_object_set_new(doc, "gate", gate_to_json(&policy, &run.failures));
		written = json_print(doc, stdout);
		json_decref(doc);
	} else {
		print_table(stdout, &st, files, nfiles, targets, ntargets, explain);
	}
	/* The gate's verdict comes last, on stderr, where CI logs show it
	 * whatever the report's format. */
	bool gate_fails = false, gate_unmet = false;
	if (run.on) {
		fflush(stdout);
		gate_print(stderr, &run.failures, nfiles, ntargets);
		for (size_t k = 0; k < run.failures.count; k++) {
			gate_fails |= run.failures.items[k].reason == GATE_FAILS;
			gate_unmet |= run.failures.items[k].reason >= GATE_UNMET;
		}
	}
	gate_failures_free(&run.failures);
	for (size_t t = 0; policy.require && t < ntargets; t++)
		if (hroots[t].have_libc)
			fortify_libc_free(&hroots[t].libc);
	free(hroots);
	for (size_t i = 0; i < nfiles; i++) {
		for (size_t t = 0; files[i].cells && t < ntargets; t++)
			check_result_free(&files[i].cells[t]);
		free(files[i].cells);
		free(files[i].unmet);
		free(files[i].error);
	}
	free(files);
	libcache_free(&cache);
	if (host)
		fsroot_close(host);
	for (size_t t = 0; t < ntargets; t++)
		provides_free(&targets[t]);
	free(targets);
	if (written < 0)
		return EXIT_OUTPUT;
	if (status != EXIT_OK)
		return status;
	if (run.on)
		return gate_fails ? 1 : gate_unmet ? EXIT_UNMET : EXIT_OK;
	return worst_all == SEV_FAIL ? 1 : worst_all >= SEV_UNKNOWN ? EXIT_WARNS : EXIT_OK;
}
