/* canrun-runtime-check: the findings of canrun's run-time file check for one
 * program in one root file system, for selftest_truth.sh to compare with
 * what the program itself reports when it runs there.
 *
 *   canrun-runtime-check ROOT PROGRAM
 *
 * Prints one line per finding: its id, a tab, its severity ("ok", "unknown",
 * "warn", "fail"), a tab and its evidence. Exit status 0, or 2 when ROOT or
 * PROGRAM cannot be read. */
#include <stdio.h>
#include <string.h>

#include "check/checks.h"
#include "target/fsroot.h"

int main(int argc, char **argv)
{
	if (argc != 3) {
		fputs("usage: canrun-runtime-check ROOT PROGRAM\n", stderr);
		return 64;
	}
	struct cr_err err = { { 0 } };
	struct elf_file ef;
	if (elf_open(&ef, argv[2], &err) < 0) {
		fprintf(stderr, "canrun-runtime-check: %s: %s\n", argv[2], err.msg);
		return 2;
	}
	struct provides p;
	memset(&p, 0, sizeof p);
	p.kind = TARGET_ROOTFS;
	p.name = argv[1];
	p.root = fsroot_open_dir(argv[1], &err);
	if (!p.root) {
		fprintf(stderr, "canrun-runtime-check: %s: %s\n", argv[1], err.msg);
		elf_close(&ef);
		return 2;
	}
	struct needs n;
	struct go_analysis ga;
	needs_from_elf(&ef, &n);
	go_analyze(&ef, &n, 0, &ga);
	struct check_input in = { argv[2], &ef, &n, &ga, NULL };
	struct findings out = { 0 };
	check_runtime_files(&in, &p, &out);
	for (size_t i = 0; i < out.count; i++)
		printf("%s\t%s\t%s\n", out.items[i].id, severity_name(out.items[i].severity),
		       out.items[i].evidence ? out.items[i].evidence : "");
	findings_free(&out);
	go_analysis_free(&ga);
	needs_free(&n);
	fsroot_close(p.root);
	elf_close(&ef);
	return 0;
}
