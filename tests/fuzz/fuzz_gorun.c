/* The reports every Go target reaches, on an ELF file held in memory. */
#include "fuzz_gorun.h"

#include "cli/commands.h"
#include "fuzz_cmd.h"

void fuzz_go_reports(const void *file, size_t size, bool check, bool check_json)
{
	char path[64];
	fuzz_memfile(file, size, path, sizeof path);
	const char *const text[] = { "go", "--packages", "--color", "always", path, NULL };
	fuzz_cmd(cmd_go, text);
	const char *const json[] = { "go", "--json", path, NULL };
	fuzz_cmd_json(cmd_go, json, false);
	if (!check)
		return;
	const char *const args[] = { "check", "--target", "debian-12", check_json ? "--json" : "--explain", path, NULL };
	if (check_json)
		fuzz_cmd_json(cmd_check, args, false);
	else
		fuzz_cmd(cmd_check, args);
}
