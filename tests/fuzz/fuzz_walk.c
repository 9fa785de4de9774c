/* libFuzzer target over `canrun scan` of a whole tree: the input becomes a
 * small directory tree on disk (fuzz_tree.h: names, directories, symlinks
 * that loop or lead upward out of the tree, hard links, FIFOs, ELF and
 * other contents), and the scan command itself runs on it as the CLI runs
 * it, with the tree as its own target root: the walk, each file's record,
 * the check inside the root, the text table, JSON or JSON Lines, and the
 * summary. Its stdout goes to /dev/null.
 *
 * The tree lives in a private temporary directory, emptied before each
 * input and removed at exit; fuzz_tree_to_disk never writes outside it. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/commands.h"
#include "fuzz_tree.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char tree_dir[4096];
static int tree_fd = -1;

static void remove_tree(void)
{
	if (tree_fd < 0)
		return;
	fuzz_tree_clear(tree_fd);
	close(tree_fd);
	rmdir(tree_dir);
}

static void setup(void)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(tree_dir, sizeof tree_dir, "%s/canrun-fuzz-walk.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(tree_dir))
		abort();
	tree_fd = open(tree_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (tree_fd < 0)
		abort();
	atexit(remove_tree);
	/* The reports go to stdout; libFuzzer speaks on stderr. */
	int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (null < 0 || dup2(null, STDOUT_FILENO) < 0)
		abort();
	close(null);
}

static void scan(const char *const *args, size_t nargs)
{
	char spec[4200];
	snprintf(spec, sizeof spec, "rootfs:%s", tree_dir);
	char *argv[16];
	size_t argc = 0;
	static const char *const common[] = { "scan", "--no-progress", "--jobs", "1" };
	for (size_t i = 0; i < 4; i++)
		argv[argc++] = (char *)common[i];
	for (size_t i = 0; i < nargs; i++)
		argv[argc++] = (char *)args[i];
	argv[argc++] = spec;
	argv[argc] = NULL;
	cmd_scan((int)argc, argv);
	fflush(stdout);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (tree_fd < 0)
		setup();
	fuzz_tree_clear(tree_fd);
	static struct fuzz_entry entries[FUZZ_TREE_MAX_ENTRIES];
	size_t n = fuzz_tree_split(data, size, "usr/bin/app", entries);
	fuzz_tree_to_disk(tree_fd, entries, n);

	static const char *const text[] = { "--color", "always" };
	scan(text, 2);
	/* JSON, or JSON Lines, with every protection required so each
	 * record has its unmet list. */
	const char *const json[] = {
		size % 2 ? "--jsonl" : "--json", "--require",
		"full-relro,relro,pie,nx,canary,fortify,no-rpath,no-runpath,safe-rpath,no-textrel,ibt,shstk,no-upx",
	};
	scan(json, 3);
	return 0;
}
