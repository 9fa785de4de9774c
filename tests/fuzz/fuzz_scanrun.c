#include "fuzz_scanrun.h"

#include <stdio.h>

#include "cli/commands.h"
#include "fuzz_cmd.h"

void fuzz_scan_image(const void *image, size_t size, size_t format)
{
	char path[64], spec[80];
	fuzz_memfile(image, size, path, sizeof path);
	snprintf(spec, sizeof spec, "image:%s", path);
	static const char *const formats[] = { "--color=always", "--json", "--jsonl" };
	const char *const args[] = { "scan", "--no-progress", "--jobs", "1", formats[format % 3], spec, NULL };
	if (format % 3)
		fuzz_cmd_json(cmd_scan, args, format % 3 == 2);
	else
		fuzz_cmd(cmd_scan, args);
}
