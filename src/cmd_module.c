/* canrun module [DIR]: which mode `go build` would use in DIR and whether
 * it can succeed offline, from go.mod, go.sum, vendor/modules.txt and the
 * environment alone; go itself is never run. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/common.h"
#include "cli/exit_codes.h"
#include "gomod/mode.h"
#include "report/module_report.h"
#include "util/json.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

static void module_usage(FILE *out)
{
	fputs("usage: canrun module [--json] [--go-version VER] [--color WHEN] [DIR]\n\n"
	      "Says which mode 'go build' would use in DIR (default .): GOPATH or module\n"
	      "mode, and -mod=vendor, readonly or mod, from GO111MODULE, GOFLAGS, go.mod\n"
	      "and vendor/; and whether it can succeed offline: the go and toolchain lines\n"
	      "against the installed Go, go.sum entries and the module cache for every\n"
	      "module the package imports, local replacement directories, and\n"
	      "vendor/modules.txt checked as 'go build -mod=vendor' checks it. Go is not run.\n\n"
	      "  --json             one JSON document (schema: docs/json.md)\n"
	      "  --go-version VER   judge for this Go (1.19.8) instead of the go on PATH\n"
	      "  --color WHEN       auto (default), always or never; NO_COLOR is honoured\n"
	      "  -h, --help         this help\n\n"
	      "Exit status: 0 it builds, 1 it would fail, 3 warnings only, 2 DIR or a file\n"
	      "unreadable, 64 usage error.\n",
	      out);
}

/* The go on PATH: its GOROOT's VERSION file ("go1.19.8") names it. */
static char *installed_go(void)
{
	const char *path = getenv("PATH");
	for (const char *p = path; p && *p;) {
		size_t n = strcspn(p, ":");
		char *dir = xstrndup(p, n);
		p += n + (p[n] == ':');
		char *go = path_join(*dir ? dir : ".", "go");
		free(dir);
		char *real = access(go, X_OK) == 0 ? realpath(go, NULL) : NULL;
		free(go);
		if (!real)
			continue;
		char *bin = path_dirname(real), *root = path_dirname(bin);
		char *vf = path_join(root, "VERSION");
		free(real);
		free(bin);
		free(root);
		FILE *f = fopen(vf, "r");
		free(vf);
		if (!f)
			continue;
		char line[64] = "";
		char *ok = fgets(line, sizeof line, f);
		fclose(f);
		line[strcspn(line, "\r\n")] = '\0';
		if (ok && strncmp(line, "go", 2) == 0 && go_version_parse(line, (unsigned[3]){ 0 }) == 0)
			return xstrdup(line + 2);
	}
	return NULL;
}

int cmd_module(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "go-version", required_argument, NULL, 'g' },
		{ "color", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	bool json = false;
	const char *color = NULL, *gover = NULL;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'j': json = true; break;
		case 'g': gover = optarg; break;
		case 'c': color = optarg; break;
		case 'h': module_usage(stdout); return EXIT_OK;
		default: module_usage(stderr); return EXIT_USAGE;
		}
	}
	if (argc - optind > 1) {
		fprintf(stderr, "canrun module: one DIR at most\n");
		module_usage(stderr);
		return EXIT_USAGE;
	}
	unsigned v[3];
	if (gover && go_version_parse(gover, v) < 0) {
		fprintf(stderr, "canrun module: --go-version: not a Go version: %s\n", gover);
		return EXIT_USAGE;
	}
	struct style st;
	int rc = cli_style(&st, color);
	if (rc != EXIT_OK)
		return rc;
	const char *dir = optind < argc ? argv[optind] : ".";
	char *found = gover ? NULL : installed_go();
	struct module_env env = {
		.go111module = getenv("GO111MODULE"),
		.goflags = getenv("GOFLAGS"),
		.gopath = getenv("GOPATH"),
		.gomodcache = getenv("GOMODCACHE"),
		.home = getenv("HOME"),
		.go_version = gover ? (strncmp(gover, "go", 2) == 0 ? gover + 2 : gover) : found,
	};
	struct module_report r;
	if (module_analyze(dir, &env, &r) < 0) {
		fprintf(stderr, "canrun: %s: %s\n", dir, strerror(errno));
		module_report_free(&r);
		free(found);
		return EXIT_UNREADABLE;
	}
	if (json) {
		json_t *doc = module_report_json(&r, &env);
		json_print(doc, stdout);
		json_decref(doc);
	} else {
		module_report_text(stdout, &st, &r, &env);
	}
	enum severity worst = findings_worst(&r.findings);
	module_report_free(&r);
	free(found);
	return worst == SEV_FAIL ? 1 : worst >= SEV_UNKNOWN ? 3 : EXIT_OK;
}
