/* libFuzzer target: the whole read path of `canrun inspect` on one input,
 * from bytes in memory to both reports, freeing everything, so that ASan
 * sees every over-read and leak and UBSan every overflow on the way. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli/style.h"
#include "elf/elf.h"
#include "model/needs.h"
#include "report/needs_report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *devnull;
	if (!devnull && !(devnull = fopen("/dev/null", "w")))
		abort();

	struct elf_file ef;
	struct cr_err err;
	if (elf_parse_memory(&ef, data, size, &err) < 0)
		return 0;
	struct needs n;
	needs_from_elf(&ef, &n);

	json_t *doc = needs_to_json("input", &ef, &n);
	/* jansson drops a member whose value could not be built (say, a string
	 * that is not UTF-8): serializing catches a report that went wrong. */
	char *text = json_dumps(doc, JSON_COMPACT);
	if (!text)
		abort();
	free(text);
	json_decref(doc);

	struct style st = { .color = true };
	needs_print_text(devnull, &st, "input", &ef, &n);

	needs_free(&n);
	elf_close(&ef);
	return 0;
}
