/* canrun inspect FILE...: what each binary needs, read without running it. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/common.h"
#include "cli/exit_codes.h"
#include "cli/style.h"
#include "elf/elf.h"
#include "model/needs.h"
#include "report/needs_report.h"
#include "util/json.h"

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

	int status = EXIT_OK;
	json_t *files = json_array();
	for (int i = optind; i < argc; i++) {
		const char *path = argv[i];
		struct elf_file ef;
		struct cr_err err;
		if (elf_open(&ef, path, &err) < 0) {
			fprintf(stderr, "canrun: %s: %s\n", path, err.msg);
			json_array_append_new(files, json_pack("{s:o, s:o}", "path", json_text(path),
							       "error", json_text(err.msg)));
			status = EXIT_UNREADABLE;
			continue;
		}
		struct needs n;
		needs_from_elf(&ef, &n);
		if (json) {
			json_array_append_new(files, needs_to_json(path, &ef, &n));
		} else {
			if (i > optind)
				fputc('\n', stdout);
			needs_print_text(stdout, &st, path, &ef, &n);
		}
		needs_free(&n);
		elf_close(&ef);
	}
	cli_finish_files(files, json);
	return status;
}
