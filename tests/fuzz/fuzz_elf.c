/* libFuzzer target: the whole read path of `canrun inspect` on one input,
 * from bytes in memory to both reports, freeing everything, so that ASan
 * sees every over-read and leak and UBSan every overflow on the way. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli/style.h"
#include "elf/elf.h"
#include "fuzz_util.h"
#include "model/needs.h"
#include "report/needs_report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct elf_file ef;
	struct cr_err err;
	if (elf_parse_memory(&ef, data, size, &err) < 0)
		return 0;
	struct needs n;
	needs_from_elf(&ef, &n);

	fuzz_json_done(needs_to_json("input", &ef, &n));

	struct style st = { .color = true };
	needs_print_text(fuzz_devnull(), &st, "input", &ef, &n);

	needs_free(&n);
	elf_close(&ef);
	return 0;
}
