/* libFuzzer target over Go build info (src/go/buildinfo.c, and recover.c
 * when the blob is not found), through `canrun go` as the CLI runs it,
 * text and JSON. An input that starts with the ELF magic is a whole file;
 * any other input is the .go.buildinfo section of a small ELF file
 * (fuzz_goelf.h), whose pointers, in the pre-1.18 format, are read
 * through the segment that maps it at GOELF_BASE. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "fuzz_cmd.h"
#include "fuzz_goelf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char *file = NULL;
	size_t file_size = size;
	if (size < 4 || memcmp(data, "\x7f" "ELF", 4) != 0) {
		struct goelf_section s = { ".go.buildinfo", data, size };
		file = goelf_build(&s, 1, &file_size);
	}
	char path[64];
	fuzz_memfile(file ? file : data, file_size, path, sizeof path);
	free(file);

	const char *const text[] = { "go", "--packages", "--color", "always", path, NULL };
	fuzz_cmd(cmd_go, text);
	const char *const json[] = { "go", "--json", path, NULL };
	fuzz_cmd(cmd_go, json);
	return 0;
}
