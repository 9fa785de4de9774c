/* libFuzzer target over container images read in memory (src/target/
 * image.c, image_files.c, image_layers.c, tar_frame.c): the input is the
 * image archive itself, a docker-archive (manifest.json) or an OCI layout
 * (oci-layout, index.json, blobs/sha256/...) in a tar, plain or
 * compressed, with its manifests, configs and layers (tar, gzip, zstd;
 * whiteouts and opaque directories). `canrun scan image:FILE` reads it as
 * the CLI does and reports every ELF file in it: a text table, JSON or
 * JSON Lines, chosen by the input's size so each input costs one read. */
#include <stdint.h>
#include <stdio.h>

#include "cli/commands.h"
#include "fuzz_cmd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64], spec[80];
	fuzz_memfile(data, size, path, sizeof path);
	snprintf(spec, sizeof spec, "image:%s", path);
	static const char *const formats[] = { "--color=always", "--json", "--jsonl" };
	const char *const args[] = { "scan", "--no-progress", "--jobs", "1", formats[size % 3], spec, NULL };
	if (size % 3)
		fuzz_cmd_json(cmd_scan, args, size % 3 == 2);
	else
		fuzz_cmd(cmd_scan, args);
	return 0;
}
