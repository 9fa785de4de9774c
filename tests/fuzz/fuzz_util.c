#include "fuzz_util.h"

#include <stdlib.h>

FILE *fuzz_devnull(void)
{
	static FILE *devnull;
	if (!devnull && !(devnull = fopen("/dev/null", "w")))
		abort();
	return devnull;
}

void fuzz_json_done(json_t *doc)
{
	if (!doc)
		abort();
	char *text = json_dumps(doc, JSON_COMPACT);
	if (!text)
		abort();
	free(text);
	json_decref(doc);
}
