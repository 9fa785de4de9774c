/* libFuzzer target over Go's module text (src/go/modinfo.c: path, mod,
 * dep, => and build lines), through `canrun go`, text and JSON, and
 * through `canrun check`, which judges the build settings (CGO_ENABLED,
 * -tags, GOAMD64). The input is the text between cmd/go's frames in the
 * Go 1.18+ build info blob of a small ELF file (fuzz_goelf.h). */
#include <stdint.h>
#include <stdlib.h>

#include "cli/commands.h"
#include "fuzz_cmd.h"
#include "fuzz_goelf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t blob_size, file_size;
	unsigned char *blob = goelf_buildinfo("go1.21.0", data, size, &blob_size);
	struct goelf_section s = { ".go.buildinfo", blob, blob_size };
	unsigned char *file = goelf_build(&s, 1, &file_size);
	char path[64];
	fuzz_memfile(file, file_size, path, sizeof path);
	free(file);
	free(blob);

	const char *const text[] = { "go", "--color", "always", path, NULL };
	fuzz_cmd(cmd_go, text);
	const char *const json[] = { "go", "--json", path, NULL };
	fuzz_cmd(cmd_go, json);
	/* One profile, text or JSON by the input's size: both reports, at
	 * half the cost of running each on every input. */
	const char *const check[] = { "check", "--target", "debian-12", size % 2 ? "--json" : "--explain", path, NULL };
	fuzz_cmd(cmd_check, check);
	return 0;
}
