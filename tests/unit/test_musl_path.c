/* musl's /etc/ld-musl-ARCH.path as ldso.c reads it, on roots kept in
 * memory: elements split at ':' and newlines, empty ones skipped, the list
 * ended by the first NUL byte as musl's getdelim(..., 0, ...) ends it, an
 * empty file meaning no directories and a missing one musl's defaults. */
#include "test_common.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "loader/ldso.h"

static const char loader[] = "/lib/ld-musl-x86_64.so.1";

/* The directories read from a root whose path file holds SIZE bytes of
 * TEXT (no file when TEXT is NULL), joined by spaces. */
static char *path_of(const char *text, size_t size)
{
	struct fsroot_tree *t = fsroot_tree_new();
	if (text) {
		char *data = malloc(size ? size : 1);
		memcpy(data, text, size);
		assert_int_equal(fsroot_tree_put(t, "etc/ld-musl-x86_64.path", S_IFREG | 0644, data, size, NULL), 0);
	}
	struct fsroot *root = fsroot_open_tree(t, "test");
	struct elf_file ef = { 0 };
	ef.machine = 62;
	ef.bits = 64;
	struct ldso_info info;
	ldso_info_load(&info, root, loader, loader, &ef);
	assert_string_equal(info.musl_path_file, "/etc/ld-musl-x86_64.path");
	assert_true(info.musl_path_file_found == (text != NULL));
	char *out = calloc(1, 1024);
	for (size_t i = 0; i < info.nmusl_path; i++) {
		if (i)
			strcat(out, " ");
		strcat(out, info.musl_path[i]);
	}
	ldso_info_free(&info);
	fsroot_close(root);
	return out;
}

static void expect(const char *text, size_t size, const char *want)
{
	char *got = path_of(text, size);
	assert_string_equal(got, want);
	free(got);
}

static void test_elements(void **state)
{
	(void)state;
	static const char debian[] = "/lib/x86_64-linux-musl\n/usr/lib/x86_64-linux-musl\n";
	expect(debian, sizeof debian - 1, "/lib/x86_64-linux-musl /usr/lib/x86_64-linux-musl");
	static const char empties[] = "::/a:\n\n:/b";
	expect(empties, sizeof empties - 1, "/a /b");
	expect("", 0, "");
	expect(NULL, 0, "/lib /usr/local/lib /usr/lib");
}

static void test_nul_ends_the_list(void **state)
{
	(void)state;
	static const char after[] = "/a:/b\0:/evil\n/x", first[] = "\0/evil", inside[] = "/a/b\0c:/d";
	expect(after, sizeof after - 1, "/a /b");
	expect(first, sizeof first - 1, "");
	expect(inside, sizeof inside - 1, "/a/b");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_elements),
		cmocka_unit_test(test_nul_ends_the_list),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
