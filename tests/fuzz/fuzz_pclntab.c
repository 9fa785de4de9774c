/* libFuzzer target over Go's function table (src/go/pclntab.c: the
 * layouts of Go 1.2, 1.16, 1.18 and 1.20, either byte order and pointer
 * size) and what src/go/analysis.c makes of the functions it names (cgo,
 * the DNS resolver and user lookup, crypto/x509, tzdata), through `canrun
 * go` (text with the package list, and JSON) and `canrun check`.
 *
 * The first input byte chooses the build info beside the table (none,
 * CGO_ENABLED=0, CGO_ENABLED=1, or cgo with the netgo and osusergo tags),
 * so that the findings that weigh the two against each other are reached;
 * the rest is the .gopclntab section of a small ELF file (fuzz_goelf.h). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_goelf.h"
#include "fuzz_gorun.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const modinfo[] = {
	NULL,
	"path\texample.com/app\nmod\texample.com/app\t(devel)\t\nbuild\t-compiler=gc\n"
	"build\tCGO_ENABLED=0\nbuild\tGOARCH=amd64\nbuild\tGOOS=linux\nbuild\tGOAMD64=v1\n",
	"path\texample.com/app\nmod\texample.com/app\t(devel)\t\n"
	"dep\tgithub.com/mattn/go-sqlite3\tv1.14.16\th1:yOQRA0RpS5PFz/oikGwBEqvAWhWg5ufRz4ETLjwpU1Y=\n"
	"build\t-compiler=gc\nbuild\tCGO_ENABLED=1\nbuild\tCGO_CFLAGS=-O2 -g\nbuild\tGOARCH=amd64\n"
	"build\tGOOS=linux\nbuild\tGOAMD64=v3\n",
	"path\texample.com/app\nmod\texample.com/app\tv1.2.3\th1:abc=\nbuild\t-compiler=gc\n"
	"build\t-ldflags=\"-extldflags=-static\"\nbuild\t-tags=netgo,osusergo\nbuild\tCGO_ENABLED=1\n"
	"build\tGOARCH=amd64\nbuild\tGOOS=linux\n",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	const char *mod = modinfo[data[0] % 4];
	struct goelf_section s[2];
	size_t n = 0, blob_size = 0, file_size;
	unsigned char *blob = NULL;
	if (mod) {
		blob = goelf_buildinfo(data[0] % 4 == 3 ? "go1.22.0" : "go1.19.8", mod, strlen(mod), &blob_size);
		s[n++] = (struct goelf_section){ ".go.buildinfo", blob, blob_size };
	}
	s[n++] = (struct goelf_section){ ".gopclntab", data + 1, size - 1 };
	unsigned char *file = goelf_build(s, n, &file_size);
	fuzz_go_reports(file, file_size, true, size % 2);
	free(file);
	free(blob);
	return 0;
}
