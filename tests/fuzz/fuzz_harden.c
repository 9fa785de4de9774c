/* libFuzzer target over `canrun harden` on one input: the relocation and
 * symbol walks behind RELRO, canary, FORTIFY and TEXTREL, the RPATH checks
 * against a root, then every harden report (JSON, the table row, its
 * notes, the one-file text). The input is read twice: as the program,
 * counted against this host's libc, and as the libc of a root, so that
 * fortify's reading of a libc's exports is fuzzed too. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/style.h"
#include "elf/elf.h"
#include "fuzz_util.h"
#include "go/analysis.h"
#include "harden/harden.h"
#include "model/needs.h"
#include "util/xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* This host's libc, read once: what `canrun harden` counts against. */
static const struct fortify_libc *host_libc(void)
{
	static struct fortify_libc libc;
	static int state; /* 0 not tried, 1 read, -1 none */
	if (state == 0) {
		struct cr_err err;
		struct fsroot *host = fsroot_open_dir("/", &err);
		state = host && fortify_libc_load(&libc, host, &err) == 0 ? 1 : -1;
		if (host)
			fsroot_close(host);
	}
	return state == 1 ? &libc : NULL;
}

/* A root whose libc is the input, with directories an RPATH may name:
 * one writable by anyone (the unsafe case), one not. */
static struct fsroot *input_root(const uint8_t *data, size_t size)
{
	struct fsroot_tree *tree = fsroot_tree_new();
	void *copy = xmalloc(size ? size : 1);
	memcpy(copy, data, size);
	fsroot_tree_put(tree, "lib/x86_64-linux-gnu/libc.so.6", S_IFREG | 0755, copy, size, NULL);
	fsroot_tree_put(tree, "tmp", S_IFDIR | 01777, NULL, 0, NULL);
	fsroot_tree_put(tree, "opt/lib", S_IFDIR | 0777, NULL, 0, NULL);
	fsroot_tree_put(tree, "usr/lib", S_IFDIR | 0755, NULL, 0, NULL);
	return fsroot_open_tree(tree, "fuzz-harden");
}

static void report(const char *path, const struct hardening *h)
{
	FILE *out = fuzz_devnull();
	struct style st = { .color = true };
	fuzz_json_done(harden_to_json(h));
	unsigned unmet = harden_unmet(h, ~0u);
	harden_print_header(out, &st);
	harden_print_row(out, &st, path, h);
	bool first = true;
	harden_print_notes(out, &st, path, h, unmet, &first);
	harden_print_text(out, &st, path, h);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct elf_file ef;
	struct cr_err err;
	if (elf_parse_memory(&ef, data, size, &err) < 0)
		return 0;
	struct needs n;
	needs_from_elf(&ef, &n);
	struct go_analysis ga;
	go_analyze(&ef, &n, 0, &ga);
	struct fsroot *root = input_root(data, size);

	/* A setuid file, so $ORIGIN in its RPATH counts against it. */
	mode_t mode = S_IFREG | 0755 | (size % 2 ? S_ISUID : 0);
	struct harden_input in = { &ef, &n, &ga, mode, root, host_libc() };
	struct hardening h;
	harden_analyze(&in, &h);
	harden_check_origin(&h, root, "/opt");
	report("input", &h);
	harden_free(&h);

	struct fortify_libc libc;
	if (fortify_libc_load(&libc, root, &err) == 0) {
		in.libc = &libc;
		harden_analyze(&in, &h);
		report("input", &h);
		harden_free(&h);
		fortify_libc_free(&libc);
	}

	fsroot_close(root);
	go_analysis_free(&ga);
	needs_free(&n);
	elf_close(&ef);
	return 0;
}
