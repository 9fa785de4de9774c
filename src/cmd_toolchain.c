/* canrun toolchain [--verify TARBALL [--sha256 HEX | --sums FILE]]: every
 * Go toolchain a user could run, how safe its tree is, the environment
 * that decides how go builds; or a release tarball checked before it is
 * unpacked. No go is ever run. */
#include <ctype.h>
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
#include "cli/style.h"
#include "report/toolchain_report.h"
#include "toolchain/toolchain.h"
#include "util/json.h"
#include "util/xalloc.h"

enum { EXIT_FAILS = 1, EXIT_WARNS = 3, SUMS_MAX = 16 << 20 };

static void toolchain_usage(FILE *out)
{
	fputs("usage: canrun toolchain [--json] [--color WHEN]\n"
	      "       canrun toolchain --verify TARBALL [--sha256 HEX | --sums FILE] [--json]\n\n"
	      "Lists every Go toolchain a user could run: each go on PATH in order (the first\n"
	      "runs, the others are shadowed), /usr/local/go, /usr/lib/go-*, the module\n"
	      "cache's golang.org/toolchain@*, ~/sdk/go*; for each its version (VERSION or\n"
	      "bin/go's build info), GOROOT, origin (a Debian package, per dpkg's database,\n"
	      "or an unpacked tarball), GOOS/GOARCH and whether bin/go runs on this host.\n"
	      "Audits each GOROOT: entries writable by group or others or owned by another\n"
	      "user under a root-owned prefix, setuid/setgid files, links leaving the tree.\n"
	      "Shows GOROOT, GOPATH, GO111MODULE, GOFLAGS, GOPROXY, GOSUMDB, GOPRIVATE,\n"
	      "GONOSUMDB, GOTOOLCHAIN, CGO_ENABLED and CC with where each value comes from\n"
	      "(env, the go env file, GOROOT/go.env, default) and warns on surprising ones.\n"
	      "Nothing is executed.\n\n"
	      "  --verify TARBALL  check a Go release tarball in one pass: its SHA-256, every\n"
	      "                    member under go/ (no absolute path, '..', link leaving\n"
	      "                    the tree, device, setuid/setgid), go/VERSION against the\n"
	      "                    file name, the name's GOOS/GOARCH against this machine\n"
	      "  --sha256 HEX      the expected SHA-256 (as on https://go.dev/dl/)\n"
	      "  --sums FILE       take it from FILE: sha256sum lines, a bare .sha256 file,\n"
	      "                    or the JSON of https://go.dev/dl/?mode=json\n"
	      "  --json            one JSON document (schema: docs/json.md)\n"
	      "  --color WHEN      auto (default), always or never; NO_COLOR is honoured\n"
	      "  -h, --help        this help\n\n"
	      "Exit status: 0 all is well (--verify: every check holds), 1 a failing finding\n"
	      "(--verify: a check failed), 3 warnings only, 2 the tarball or sums file cannot\n"
	      "be read, 64 usage error.\n",
	      out);
}

static const char *process_getenv(const char *name, void *ctx)
{
	(void)ctx;
	return getenv(name);
}

static int status_of(enum severity w)
{
	return w == SEV_FAIL ? EXIT_FAILS : w >= SEV_UNKNOWN ? EXIT_WARNS : EXIT_OK;
}

static int list(bool json, const struct style *st)
{
	char cwd[PATH_MAX];
	const char *here = getcwd(cwd, sizeof cwd) ? cwd : NULL;
	struct tc_where w = { getenv("PATH"), getenv("HOME"), "/var/lib/dpkg/info", here };
	struct tc_report r;
	tc_find(&w, &r);
	const struct toolchain *win = NULL;
	for (size_t i = 0; i < r.ntcs; i++)
		if (r.tcs[i].wins)
			win = &r.tcs[i];
	struct tc_env e;
	tc_env_collect(&e, process_getenv, NULL, w.home, win ? win->goroot : NULL, win ? win->version : NULL, here);
	int status = status_of(tc_report_worst(&r, &e));
	if (json) {
		json_t *doc = tc_report_json(&r, &e);
		if (json_print(doc, stdout) < 0)
			status = EXIT_OUTPUT;
		json_decref(doc);
	} else {
		tc_report_text(stdout, st, &r, &e);
	}
	tc_env_free(&e);
	tc_report_free(&r);
	return status;
}

static bool hex64(const char *s)
{
	size_t n = strlen(s);
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return false;
	return n == 64;
}

static int verify(const char *tarball, const char *sha, const char *sums, bool json, const struct style *st)
{
	char expected[65] = "";
	struct cr_err err;
	if (sums) {
		FILE *f = fopen(sums, "rb");
		if (!f) {
			fprintf(stderr, "canrun: %s: %s\n", sums, strerror(errno));
			return EXIT_UNREADABLE;
		}
		char *data = xmalloc(SUMS_MAX);
		size_t n = fread(data, 1, SUMS_MAX, f);
		fclose(f);
		const char *base = strrchr(tarball, '/');
		int rc = tc_sums_lookup(data, n, base ? base + 1 : tarball, expected, &err);
		free(data);
		if (rc < 0) {
			fprintf(stderr, "canrun: %s: %s\n", sums, err.msg);
			return EXIT_UNREADABLE;
		}
	} else if (sha) {
		snprintf(expected, sizeof expected, "%s", sha);
	}
	struct tc_verify v;
	if (tc_verify(tarball, expected[0] ? expected : NULL, &v, &err) < 0) {
		fprintf(stderr, "canrun: %s: %s\n", tarball, err.msg);
		tc_verify_free(&v);
		return EXIT_UNREADABLE;
	}
	int status = status_of(findings_worst(&v.findings));
	if (json) {
		json_t *doc = tc_verify_json(tarball, &v);
		if (json_print(doc, stdout) < 0)
			status = EXIT_OUTPUT;
		json_decref(doc);
	} else {
		tc_verify_text(stdout, st, tarball, &v);
	}
	tc_verify_free(&v);
	return status;
}

int cmd_toolchain(int argc, char **argv)
{
	static const struct option options[] = {
		{ "verify", required_argument, NULL, 'v' }, { "sha256", required_argument, NULL, 's' },
		{ "sums", required_argument, NULL, 'S' },   { "json", no_argument, NULL, 'j' },
		{ "color", required_argument, NULL, 'c' },  { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *tarball = NULL, *sha = NULL, *sums = NULL, *color = NULL;
	bool json = false;
	int opt;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (opt) {
		case 'v': tarball = optarg; break;
		case 's': sha = optarg; break;
		case 'S': sums = optarg; break;
		case 'j': json = true; break;
		case 'c': color = optarg; break;
		case 'h': toolchain_usage(stdout); return EXIT_OK;
		default: toolchain_usage(stderr); return EXIT_USAGE;
		}
	}
	const char *why = optind < argc ? "toolchain takes no FILE arguments" :
			  (sha || sums) && !tarball ? "--sha256 and --sums go with --verify" :
			  sha && sums ? "--sha256 and --sums go separately" :
			  sha && !hex64(sha) ? "--sha256 takes 64 hexadecimal digits" : NULL;
	if (why) {
		fprintf(stderr, "canrun: %s\n", why);
		toolchain_usage(stderr);
		return EXIT_USAGE;
	}
	struct style st;
	if (cli_style(&st, color) != EXIT_OK)
		return EXIT_USAGE;
	return tarball ? verify(tarball, sha, sums, json, &st) : list(json, &st);
}
