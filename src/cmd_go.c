/* canrun go FILE...: Go build info as `go version -m` prints it, the
 * packages really linked, cgo and resolver modes, and the rebuild that
 * makes the binary portable. Read in C from the file; no Go toolchain. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/common.h"
#include "cli/files.h"
#include "cli/exit_codes.h"
#include "cli/style.h"
#include "elf/elf.h"
#include "go/analysis.h"
#include "model/needs.h"
#include "util/json.h"
#include "util/xalloc.h"

static void go_usage(FILE *out)
{
	fputs("usage: canrun go [--json] [--packages] [--color WHEN] FILE...\n\n"
	      "For each Go program: its build info in the form `go version -m` prints,\n"
	      "then what it means for running elsewhere: whether cgo is really used, the\n"
	      "DNS resolver and user lookup it will use, whether it needs the system's CA\n"
	      "certificates and zoneinfo, its minimum kernel, and the exact rebuild that\n"
	      "makes it portable when nothing it links needs C.\n\n"
	      "  --json         one JSON document (schema: docs/json.md)\n"
	      "  --packages     also list the packages linked into it\n"
	      "  --color WHEN   auto (default), always or never\n"
	      "  -h, --help     this help\n\n"
	      "Exit status: 0 all files read (Go or not), 2 some file could not be read,\n"
	      "64 usage error.\n",
	      out);
}

static json_t *module_json(const struct go_module *m)
{
	if (!m)
		return json_null();
	return json_pack("{s:o, s:o, s:o}", "path", json_text(m->path), "version", json_text(m->version),
			 "sum", json_text(m->sum));
}

static json_t *analysis_json(const struct needs *n, const struct go_analysis *ga, bool packages)
{
	json_t *deps = json_array();
	for (size_t i = 0; i < ga->mod.ndeps; i++) {
		json_t *d = module_json(&ga->mod.deps[i]);
		json_object_set_new(d, "replace", module_json(ga->mod.deps[i].replace));
		json_array_append_new(deps, d);
	}
	json_t *settings = json_object();
	for (size_t i = 0; i < ga->mod.nsettings; i++)
		json_object_set_new(settings, ga->mod.settings[i].key, json_text(ga->mod.settings[i].value));
	json_t *main_mod = ga->mod.has_main ? module_json(&ga->mod.main) : json_null();
	if (ga->mod.has_main)
		json_object_set_new(main_mod, "replace", module_json(ga->mod.main.replace));
	json_t *package_list = packages && ga->have_functab
		? json_text_array((const char *const *)ga->functab.packages, ga->functab.npackages) : json_null();
	const char *resolver = go_mode_name(ga->resolver), *users = go_mode_name(ga->user_lookup);
	json_t *o = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}",
		"version", json_text(n->go.version), "package", json_text(ga->mod.path),
		"main", main_mod, "deps", deps, "settings", settings,
		"build_id", json_text(n->go_build_id));
	json_object_set_new(o, "source", json_pack("{s:o, s:o}",
		"version", n->go.version_source[0] ? json_text(n->go.version_source) : json_null(),
		"modinfo", n->go.modinfo_source[0] ? json_text(n->go.modinfo_source) : json_null()));
	json_object_set_new(o, "function_table", ga->table_layout ? json_string(ga->table_layout) : json_null());
	json_object_set_new(o, "packages", package_list);
	json_object_set_new(o, "cgo", json_boolean(ga->cgo));
	json_object_set_new(o, "runtime_cgo", json_boolean(ga->runtime_cgo));
	json_object_set_new(o, "start_trap", ga->start_trap.trap
		? json_pack("{s:s, s:i, s:o}", "signal", "SIGTRAP", "exit_status", GO_START_TRAP_EXIT_STATUS,
			    "evidence", json_text(ga->start_trap.evidence))
		: json_null());
	json_object_set_new(o, "cgo_packages", json_text_array((const char *const *)ga->cgo_packages, ga->ncgo_packages));
	json_object_set_new(o, "resolver", resolver ? json_string(resolver) : json_null());
	json_object_set_new(o, "user_lookup", users ? json_string(users) : json_null());
	json_object_set_new(o, "tzdata_embedded", json_boolean(ga->tzdata_embedded));
	json_object_set_new(o, "x509", json_boolean(ga->x509));
	json_object_set_new(o, "plugin", json_boolean(ga->plugin));
	json_object_set_new(o, "race", json_boolean(ga->race));
	json_object_set_new(o, "min_kernel", json_text(ga->min_kernel));
	json_object_set_new(o, "rebuild", json_text(ga->rebuild));
	json_object_set_new(o, "rebuild_why", json_text(ga->rebuild_why));
	if (ga->mod.error[0])
		json_object_set_new(o, "modinfo_error", json_text(ga->mod.error));
	return o;
}

static void put_source(FILE *out, const char *what, const char *source)
{
	fprintf(out, "%s %s", what, source[0] ? "from" : "not found");
	if (source[0]) {
		fputc(' ', out);
		put_untrusted(out, source);
	}
}

/* Build info read from elsewhere than its blob (go/recover.c) is said so:
 * `go version` would call the file "not a Go executable". */
static void print_recovered(FILE *out, const struct style *st, const struct go_buildinfo *bi)
{
	if (strcmp(bi->version_source, "build info") == 0 || (!bi->version_source[0] && !bi->modinfo_source[0]))
		return;
	fprintf(out, "  %srecovered%s   no build info blob; ", style_dim(st), style_reset(st));
	put_source(out, "version", bi->version_source);
	put_source(out, ", module info", bi->modinfo_source);
	fputc('\n', out);
}

static void print_text(FILE *out, const struct style *st, const char *path, const struct needs *n,
		       const struct go_analysis *ga, bool packages)
{
	put_untrusted(out, path);
	if (ga->upx) {
		fputs(": packed with UPX; unpack it (upx -d) to read its Go build info\n", out);
		return;
	}
	if (!ga->is_go) {
		fputs(": not a Go program\n", out);
		return;
	}
	fputs(": ", out);
	put_untrusted(out, n->go.version ? n->go.version : "unknown Go version (no build info)");
	fputc('\n', out);
	go_modinfo_print(out, &ga->mod);
	print_recovered(out, st, &n->go);

	fprintf(out, "  %scgo%s         %s", style_dim(st), style_reset(st), ga->cgo ? "used" : "not used");
	if (ga->cgo && n->nneeded)
		fprintf(out, " (needs %s%s)", n->needed[0], n->nneeded > 1 ? " and more" : "");
	fputc('\n', out);
	if (ga->resolver)
		fprintf(out, "  %sDNS%s         %s\n", style_dim(st), style_reset(st),
			ga->resolver == GO_MODE_CGO
				? "Go's resolver, or libc's (cgo, NSS) when /etc/nsswitch.conf or the environment asks for it"
				: "Go's own resolver only (/etc/hosts, /etc/resolv.conf)");
	if (ga->user_lookup)
		fprintf(out, "  %susers%s       %s\n", style_dim(st), style_reset(st),
			ga->user_lookup == GO_MODE_CGO ? "libc's getpwuid_r (cgo, NSS: /etc/nsswitch.conf)"
							 : "Go reads /etc/passwd and /etc/group");
	if (ga->x509)
		fprintf(out, "  %sTLS roots%s   from the system (crypto/x509 is linked): the target needs a CA bundle\n",
			style_dim(st), style_reset(st));
	fprintf(out, "  %szoneinfo%s    %s\n", style_dim(st), style_reset(st),
		ga->tzdata_embedded ? "embedded (time/tzdata)" : "from the system, if it loads zones");
	if (ga->min_kernel)
		fprintf(out, "  %skernel%s      Linux %s or newer (this Go version's floor)\n", style_dim(st),
			style_reset(st), ga->min_kernel);
	if (ga->start_trap.trap)
		fprintf(out, "  %sstart%s       %skilled by SIGTRAP at start (exit status %d)%s: %s\n", style_dim(st),
			style_reset(st), style_red(st), GO_START_TRAP_EXIT_STATUS, style_reset(st),
			ga->start_trap.evidence);
	if (ga->rebuild)
		fprintf(out, "  %srebuild%s     %s%s%s\n                (%s)\n", style_dim(st), style_reset(st),
			style_bold(st), ga->rebuild, style_reset(st), ga->rebuild_why);
	else if (ga->rebuild_why)
		fprintf(out, "  %srebuild%s     %s\n", style_dim(st), style_reset(st), ga->rebuild_why);
	if (packages && ga->have_functab) {
		fprintf(out, "  %spackages%s    %zu linked:", style_dim(st), style_reset(st), ga->functab.npackages);
		for (size_t i = 0; i < ga->functab.npackages; i++) {
			fputc(' ', out);
			put_untrusted(out, ga->functab.packages[i]);
		}
		fputc('\n', out);
	}
}

struct go_ctx {
	bool json, packages;
	const struct style *st;
};

static void go_one(const char *path, void *ctx, struct file_answer *out)
{
	const struct go_ctx *gc = ctx;
	struct elf_file ef;
	struct cr_err err;
	if (elf_open(&ef, path, &err) < 0) {
		out->error = xstrdup(err.msg);
		return;
	}
	struct needs n;
	struct go_analysis ga;
	needs_from_elf(&ef, &n);
	go_analyze(&ef, &n, gc->packages ? GO_ANALYZE_PACKAGES : 0, &ga);
	if (gc->json) {
		out->json = json_pack("{s:o, s:o, s:o}", "path", json_text(path),
				      "go", ga.is_go ? analysis_json(&n, &ga, gc->packages) : json_null(),
				      "packed", ga.upx ? json_string("upx") : json_null());
	} else {
		size_t len;
		FILE *mem = xmemstream(&out->text, &len);
		print_text(mem, gc->st, path, &n, &ga, gc->packages);
		fclose(mem);
	}
	go_analysis_free(&ga);
	needs_free(&n);
	elf_close(&ef);
}

int cmd_go(int argc, char **argv)
{
	static const struct option options[] = {
		{ "json", no_argument, NULL, 'j' }, { "packages", no_argument, NULL, 'p' },
		{ "color", required_argument, NULL, 'c' }, { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool json = false, packages = false;
	const char *color = NULL;
	int opt;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (opt) {
		case 'j': json = true; break;
		case 'p': packages = true; break;
		case 'c': color = optarg; break;
		case 'h': go_usage(stdout); return EXIT_OK;
		default: go_usage(stderr); return EXIT_USAGE;
		}
	}
	struct style st;
	if (cli_style(&st, color) != EXIT_OK)
		return EXIT_USAGE;
	if (cli_need_files(argc, optind, "go", go_usage) != EXIT_OK)
		return EXIT_USAGE;
	struct go_ctx ctx = { json, packages, &st };
	struct file_run run = { json, false, go_one, &ctx };
	return cli_run_files(&run, argv + optind, (size_t)(argc - optind));
}
