/* libFuzzer target over container images read in memory (src/target/
 * image.c, image_files.c, image_layers.c, tar_frame.c): the input is the
 * image archive itself, a docker-archive (manifest.json) or an OCI layout
 * (oci-layout, index.json, blobs/sha256/...) in a tar, plain or
 * compressed, with its manifests, configs and layers (tar, gzip, zstd;
 * whiteouts and opaque directories). `canrun scan image:FILE` reads it as
 * the CLI does and reports every ELF file in it: a text table, JSON or
 * JSON Lines, chosen by the input's size so each input costs one read. */
#include <stdint.h>

#include "fuzz_scanrun.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_scan_image(data, size, size);
	return 0;
}
