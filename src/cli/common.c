#include "cli/common.h"

#include <string.h>

#include "cli/exit_codes.h"
#include "target/machine.h"
#include "target/provides_load.h"
#include "util/json.h"

int cli_style(struct style *st, const char *color)
{
	if (style_init(st, color, stdout) < 0) {
		fprintf(stderr, "canrun: --color takes auto, always or never\n");
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

int cli_need_files(int argc, int first, const char *command, void (*usage)(FILE *out))
{
	if (first < argc)
		return EXIT_OK;
	fprintf(stderr, "canrun: %s needs at least one FILE\n", command);
	usage(stderr);
	return EXIT_USAGE;
}

int cli_target_status(int rc)
{
	return rc == PROVIDES_UNREADABLE ? EXIT_UNREADABLE : EXIT_USAGE;
}

void cli_finish_files(json_t *files, bool json)
{
	if (!json) {
		json_decref(files);
		return;
	}
	json_t *doc = json_pack("{s:o}", "files", files);
	json_print(doc, stdout);
	json_decref(doc);
}

int cli_parse_cpu(const char *s, unsigned *level)
{
	if (strncmp(s, "x86-64-v", 8) == 0 && s[8] >= '1' && s[8] <= '4' && !s[9]) {
		*level = (unsigned)(s[8] - '0');
		return 0;
	}
	if (strcmp(s, "x86-64") == 0) {
		*level = 1;
		return 0;
	}
	return -1;
}

int cli_target_opts(const char *cpu, const char *platform, struct target_opts *out)
{
	memset(out, 0, sizeof *out);
	if (cpu && cli_parse_cpu(cpu, &out->cpu_level) < 0) {
		fprintf(stderr, "canrun: --cpu takes x86-64-v1, x86-64-v2, x86-64-v3 or x86-64-v4\n");
		return EXIT_USAGE;
	}
	if (platform && !(out->machine = machine_from_platform(platform))) {
		fprintf(stderr, "canrun: --platform takes linux/ARCH, as linux/amd64 or linux/arm64\n");
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

int cli_open_target(struct provides *p, const char *spec, const struct target_opts *opts)
{
	struct cr_err err;
	int rc = provides_open(p, spec, opts, &err);
	if (rc == 0)
		return EXIT_OK;
	fprintf(stderr, "canrun: %s\n", err.msg);
	return cli_target_status(rc);
}
