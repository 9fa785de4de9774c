/* libFuzzer target over Go build info (src/go/buildinfo.c, and recover.c
 * when the blob is not found), through `canrun go` as the CLI runs it,
 * text and JSON. An input that starts with the ELF magic is a whole file;
 * any other input is the .go.buildinfo section of a small ELF file
 * (fuzz_goelf.h), whose pointers, in the pre-1.18 format, are read
 * through the segment that maps it at GOELF_BASE. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_goelf.h"
#include "fuzz_gorun.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char *file = NULL;
	size_t file_size = size;
	if (size < 4 || memcmp(data, "\x7f" "ELF", 4) != 0) {
		struct goelf_section s = { ".go.buildinfo", data, size };
		file = goelf_build(&s, 1, &file_size);
	}
	fuzz_go_reports(file ? file : data, file_size, false, false);
	free(file);
	return 0;
}
