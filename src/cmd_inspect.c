/* canrun inspect FILE...: what each binary needs, read without running it. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/common.h"
#include "cli/files.h"
#include "cli/exit_codes.h"
#include "cli/style.h"
#include "elf/elf.h"
#include "model/needs.h"
#include "report/needs_report.h"
#include "util/json.h"
#include "util/xalloc.h"

static void inspect_usage(FILE *out)
{
	fputs("usage: canrun inspect [--json] [--color WHEN] FILE...\n\n"
	      "Shows what each ELF file needs to run: class, byte order, machine, kind\n"
	      "(static, static-pie, dynamic), interpreter, libraries, RPATH/RUNPATH, symbol\n"
	      "versions and the symbols behind each, the highest glibc version, minimum\n"
	      "kernel, x86 ISA level, executable stack, build-id and Go version.\n"
	      "The files are read, never executed.\n\n"
	      "  --json         one JSON document (schema: docs/json.md)\n"
	      "  --color WHEN   auto (default), always or never; NO_COLOR is honoured\n"
	      "  -h, --help     this help\n\n"
	      "Exit status: 0 all files read, 2 some file could not be read, 64 usage error.\n",
	      out);
}

struct inspect_ctx {
	bool json;
	const struct style *st;
};

static void inspect_one(const char *path, void *ctx, struct file_answer *out)
{
	const struct inspect_ctx *ic = ctx;
	struct elf_file ef;
	struct cr_err err;
	if (elf_open(&ef, path, &err) < 0) {
		out->error = xstrdup(err.msg);
		return;
	}
	struct needs n;
	needs_from_elf(&ef, &n);
	if (ic->json) {
		out->json = needs_to_json(path, &ef, &n);
	} else {
		size_t len;
		FILE *mem = xmemstream(&out->text, &len);
		needs_print_text(mem, ic->st, path, &ef, &n);
		fclose(mem);
	}
	needs_free(&n);
	elf_close(&ef);
}

int cmd_inspect(int argc, char **argv)
{
	static const struct option options[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "color", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool json = false;
	const char *color = NULL;
	int opt;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (opt) {
		case 'j': json = true; break;
		case 'c': color = optarg; break;
		case 'h': inspect_usage(stdout); return EXIT_OK;
		default: inspect_usage(stderr); return EXIT_USAGE;
		}
	}
	struct style st;
	if (cli_style(&st, color) != EXIT_OK)
		return EXIT_USAGE;
	if (cli_need_files(argc, optind, "inspect", inspect_usage) != EXIT_OK)
		return EXIT_USAGE;

	struct inspect_ctx ctx = { json, &st };
	struct file_run run = { json, true, inspect_one, &ctx };
	return cli_run_files(&run, argv + optind, (size_t)(argc - optind));
}
