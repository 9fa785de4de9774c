#include "cli/common.h"

#include <string.h>

#include "cli/exit_codes.h"
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
