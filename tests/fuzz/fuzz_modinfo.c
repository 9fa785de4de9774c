/* libFuzzer target over Go's module text (src/go/modinfo.c: path, mod,
 * dep, => and build lines), through `canrun go`, text and JSON, and
 * through `canrun check`, which judges the build settings (CGO_ENABLED,
 * -tags, GOAMD64). The input is the text between cmd/go's frames in the
 * Go 1.18+ build info blob of a small ELF file (fuzz_goelf.h). */
#include <stdint.h>
#include <stdlib.h>

#include "fuzz_goelf.h"
#include "fuzz_gorun.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t blob_size, file_size;
	unsigned char *blob = goelf_buildinfo("go1.21.0", data, size, &blob_size);
	struct goelf_section s = { ".go.buildinfo", blob, blob_size };
	unsigned char *file = goelf_build(&s, 1, &file_size);
	fuzz_go_reports(file, file_size, true, size % 2);
	free(file);
	free(blob);
	return 0;
}
