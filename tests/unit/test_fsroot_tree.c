/* fsroot's memory backend: the tree a container image's layers are merged
 * into. The resolver's rules (links restart at the tree's root, ".." stops
 * there, the 41st link is ELOOP) are checked on a tree shaped like
 * test_fsroot.c's directory, then the layer rules: replacing, hard links,
 * whiteouts, opaque directories, writes through symlinked directories, and
 * a directory large enough to churn its hash table. */
#include "test_common.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "target/fsroot.h"

static const char inside_passwd[] = "root:x:0:0:inside the image:/root:/bin/sh\n";

/* A file with a copy of TEXT as content. */
static int put_file(struct fsroot_tree *t, const char *path, const char *text)
{
	size_t n = strlen(text);
	char *data = n ? malloc(n) : NULL;
	if (n)
		memcpy(data, text, n);
	return fsroot_tree_put(t, path, S_IFREG | 0644, data, n, NULL);
}

static void put_link(struct fsroot_tree *t, const char *path, const char *target)
{
	assert_int_equal(fsroot_tree_put(t, path, S_IFLNK | 0777, NULL, 0, target), 0);
}

static void link_one(void *ctx, const char *name, const char *target)
{
	put_link(ctx, name, target);
}

static void make_chain(struct fsroot_tree *t, const char *dir, unsigned links)
{
	make_link_chain(link_one, t, dir, links);
}

static int group_setup(void **state)
{
	struct fsroot_tree *t = fsroot_tree_new();
	fsroot_tree_next_layer(t);
	assert_int_equal(put_file(t, "etc/passwd", inside_passwd), 0);
	assert_int_equal(put_file(t, "etc/hosts", "127.0.0.1 localhost\n"), 0);
	assert_int_equal(put_file(t, "usr/lib/libfoo.so.1", "libfoo"), 0);
	put_link(t, "usr/lib/libfoo.so", "libfoo.so.1");
	assert_int_equal(fsroot_tree_put(t, "usr/bin", S_IFDIR | 0755, NULL, 0, NULL), 0);
	put_link(t, "lib", "/usr/lib");
	put_link(t, "lib64", "usr/lib");
	put_link(t, "evil", "/etc/passwd");
	put_link(t, "hostetc", "/etc");
	put_link(t, "up", "../../../../../../../../etc/passwd");
	put_link(t, "a/b/c/r1", "../r2");
	put_link(t, "a/b/r2", "../../usr/./lib//libfoo.so");
	put_link(t, "a/b/c/dots", "../../../../../../../usr/lib");
	put_link(t, "a/b/c/abs", "/a/b/../../lib/../bin/../lib");
	put_link(t, "loop1", "loop2");
	put_link(t, "loop2", "loop1");
	put_link(t, "self", "self");
	put_link(t, "dangling", "/nonexistent/file");
	put_link(t, "slashlink", "etc/passwd/");
	make_chain(t, "chain40", 40);
	make_chain(t, "chain41", 41);
	assert_int_equal(fsroot_tree_put(t, "fifo", S_IFIFO | 0644, NULL, 0, NULL), 0);
	assert_int_equal(put_file(t, "empty", ""), 0);
	const char *names[] = { "b", "a", "B", "_", ".hidden", "aa", "a-", "a.b" };
	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		char p[64];
		snprintf(p, sizeof p, "list/%s", names[i]);
		assert_int_equal(put_file(t, p, ""), 0);
	}
	assert_int_equal(fsroot_tree_put(t, "list/sub", S_IFDIR | 0755, NULL, 0, NULL), 0);
	*state = fsroot_open_tree(t, "test tree");
	return 0;
}

static int group_teardown(void **state)
{
	fsroot_close(*state);
	return 0;
}

static void expect_path(struct fsroot *root, const char *path, const char *want)
{
	char buf[PATH_MAX];
	int e = 0;
	if (fsroot_realpath(root, path, buf, sizeof buf, &e) < 0)
		snprintf(buf, sizeof buf, "errno:%d", e);
	if (strcmp(buf, want) != 0)
		fail_msg("realpath(%s) = %s, want %s", path, buf, want);
}

static void expect_errno(struct fsroot *root, const char *path, int want)
{
	char buf[PATH_MAX];
	int e = 0;
	if (fsroot_realpath(root, path, buf, sizeof buf, &e) == 0)
		fail_msg("realpath(%s) = %s, want errno %d", path, buf, want);
	if (e != want)
		fail_msg("realpath(%s): errno %d (%s), want %d (%s)", path, e, strerror(e), want, strerror(want));
}

static void expect_content(struct fsroot *root, const char *path, const char *want)
{
	struct fsroot_blob blob;
	int e = 0;
	if (fsroot_read(root, path, &blob, &e) < 0)
		fail_msg("read(%s): %s", path, strerror(e));
	assert_int_equal(blob.size, strlen(want));
	assert_memory_equal(blob.data, want, blob.size);
	fsroot_release(root, &blob);
}

static int collect(const char *name, void *ctx)
{
	char *buf = ctx;
	size_t len = strlen(buf);
	snprintf(buf + len, 256 - len, "%s%s", len ? " " : "", name);
	return 0;
}

static void test_resolver_rules(void **state)
{
	struct fsroot *root = *state;
	expect_path(root, "/lib", "/usr/lib");
	expect_path(root, "/lib/libfoo.so", "/usr/lib/libfoo.so.1");
	expect_path(root, "/evil", "/etc/passwd");
	expect_path(root, "/hostetc/passwd", "/etc/passwd");
	expect_path(root, "/a/b/c/abs", "/usr/lib");
	expect_content(root, "/evil", inside_passwd);
	expect_path(root, "/..", "/");
	expect_path(root, "../../..", "/");
	expect_path(root, "/up", "/etc/passwd");
	expect_path(root, "/a/b/c/dots/../../../../..", "/");
	expect_path(root, "/lib/..", "/usr");
	expect_errno(root, "/lib/../etc", ENOENT);
	expect_path(root, "/a/b/c/r1", "/usr/lib/libfoo.so.1");
	expect_path(root, "/lib64/libfoo.so", "/usr/lib/libfoo.so.1");
	expect_errno(root, "/loop1", ELOOP);
	expect_errno(root, "/self/x", ELOOP);
	expect_errno(root, "/dangling", ENOENT);
	expect_errno(root, "", ENOENT);
	expect_errno(root, "/etc/passwd/x", ENOTDIR);
	expect_errno(root, "/etc/passwd/..", ENOTDIR);
	expect_errno(root, "/slashlink", ENOTDIR);
	expect_path(root, "/chain40/l0", "/etc/passwd");
	expect_errno(root, "/chain41/l0", ELOOP);
	expect_path(root, "/chain41/l1", "/etc/passwd");
	char buf[64];
	int e = 0;
	assert_int_equal(fsroot_readlink(root, "/loop1", buf, sizeof buf, &e), 0);
	assert_string_equal(buf, "loop2");
	assert_int_equal(fsroot_readlink(root, "/etc/passwd", buf, sizeof buf, &e), -1);
	assert_int_equal(e, EINVAL);
	assert_int_equal(fsroot_readlink(root, "/loop1", buf, 3, &e), -1);
	assert_int_equal(e, ENAMETOOLONG);
}

static void test_read_stat_list(void **state)
{
	struct fsroot *root = *state;
	struct fsroot_blob blob;
	struct fsroot_stat st, st2;
	int e = 0;
	expect_content(root, "/lib/libfoo.so.1", "libfoo");
	assert_int_equal(fsroot_read(root, "/empty", &blob, &e), 0);
	assert_int_equal(blob.size, 0);
	assert_non_null(blob.data);
	fsroot_release(root, &blob);
	assert_int_equal(fsroot_read(root, "/lib", &blob, &e), -1);
	assert_int_equal(e, EISDIR);
	assert_int_equal(fsroot_read(root, "/fifo", &blob, &e), -1);
	assert_int_equal(e, EINVAL);
	assert_int_equal(fsroot_stat(root, "/usr/lib/libfoo.so", &st, &e), 0);
	assert_true(S_ISREG(st.mode));
	assert_int_equal(st.mode & 07777, 0644);
	assert_int_equal(st.size, 6);
	assert_int_equal(fsroot_stat(root, "/lib64/libfoo.so.1", &st2, &e), 0);
	assert_int_equal(st.ino, st2.ino);
	assert_int_equal(st.dev, st2.dev);
	assert_int_equal(fsroot_stat(root, "/etc/hosts", &st2, &e), 0);
	assert_true(st.ino != st2.ino);
	char names[256] = "";
	assert_int_equal(fsroot_list_dir(root, "/list", collect, names, &e), 0);
	assert_string_equal(names, ".hidden B _ a a- a.b aa b sub");
	names[0] = '\0';
	assert_int_equal(fsroot_list_dir(root, "/hostetc", collect, names, &e), 0);
	assert_string_equal(names, "hosts passwd");
	assert_int_equal(fsroot_list_dir(root, "/etc/passwd", collect, names, &e), -1);
	assert_int_equal(e, ENOTDIR);
	assert_string_equal(fsroot_describe(root), "test tree");
}

/* ---- the layer rules ---------------------------------------------------- */

static int exists(struct fsroot *root, const char *path)
{
	struct fsroot_stat st;
	int e = 0;
	return fsroot_stat(root, path, &st, &e) == 0;
}

static void test_replace(void **state)
{
	(void)state;
	struct fsroot_tree *t = fsroot_tree_new();
	fsroot_tree_next_layer(t);
	assert_int_equal(put_file(t, "d/keep", "k"), 0);
	assert_int_equal(put_file(t, "f", "file"), 0);
	assert_int_equal(put_file(t, "g/x", "under g"), 0);
	fsroot_tree_next_layer(t);
	/* A directory over a directory keeps what is in it, with the new mode. */
	assert_int_equal(fsroot_tree_put(t, "d", S_IFDIR | 0700, NULL, 0, NULL), 0);
	/* A directory over a file, a file over a directory, a link over a file. */
	assert_int_equal(fsroot_tree_put(t, "f", S_IFDIR | 0755, NULL, 0, NULL), 0);
	assert_int_equal(put_file(t, "g", "now a file"), 0);
	assert_int_equal(put_file(t, "h", "h"), 0);
	put_link(t, "h", "f");
	/* Nothing can be put where a file is used as a directory, nor as the root. */
	assert_int_equal(put_file(t, "g/y", "x"), ENOTDIR);
	assert_int_equal(put_file(t, "", "x"), EISDIR);
	assert_int_equal(put_file(t, "a/../b", "x"), EINVAL);
	assert_int_equal(put_file(t, "a//b", "x"), EINVAL);
	struct fsroot *root = fsroot_open_tree(t, "replace");
	struct fsroot_stat st;
	int e = 0;
	expect_content(root, "/d/keep", "k");
	assert_int_equal(fsroot_stat(root, "/d", &st, &e), 0);
	assert_int_equal(st.mode, S_IFDIR | 0700);
	assert_int_equal(fsroot_stat(root, "/f", &st, &e), 0);
	assert_true(S_ISDIR(st.mode));
	expect_content(root, "/g", "now a file");
	expect_path(root, "/h", "/f");
	fsroot_close(root);
}

static void test_hard_links(void **state)
{
	(void)state;
	struct fsroot_tree *t = fsroot_tree_new();
	fsroot_tree_next_layer(t);
	assert_int_equal(put_file(t, "usr/bin/perl5.36", "perl"), 0);
	assert_int_equal(fsroot_tree_link(t, "usr/bin/perl", "usr/bin/perl5.36"), 0);
	assert_int_equal(fsroot_tree_link(t, "usr/bin/perl", "usr/bin/perl5.36"), 0); /* again: no change */
	put_link(t, "sym", "usr/bin/perl");
	assert_int_equal(fsroot_tree_link(t, "sym2", "sym"), 0); /* a link to the symlink itself */
	assert_int_equal(fsroot_tree_link(t, "x", "usr/bin/nothing"), ENOENT);
	assert_int_equal(fsroot_tree_link(t, "x", "usr/bin"), EPERM);
	fsroot_tree_next_layer(t);
	assert_int_equal(fsroot_tree_remove(t, "usr/bin/perl5.36"), 0);
	struct fsroot *root = fsroot_open_tree(t, "links");
	struct fsroot_stat a, b;
	int e = 0;
	assert_false(exists(root, "/usr/bin/perl5.36"));
	expect_content(root, "/usr/bin/perl", "perl");
	assert_int_equal(fsroot_stat(root, "/usr/bin/perl", &a, &e), 0);
	assert_int_equal(fsroot_stat(root, "/sym2", &b, &e), 0);
	assert_int_equal(a.ino, b.ino);
	char buf[64];
	assert_int_equal(fsroot_readlink(root, "/sym2", buf, sizeof buf, &e), 0);
	assert_string_equal(buf, "usr/bin/perl");
	fsroot_close(root);
}

static void test_whiteouts(void **state)
{
	(void)state;
	struct fsroot_tree *t = fsroot_tree_new();
	fsroot_tree_next_layer(t);
	assert_int_equal(put_file(t, "etc/passwd", "p"), 0);
	assert_int_equal(put_file(t, "usr/share/doc/a/b", "doc"), 0);
	assert_int_equal(put_file(t, "opq/lower", "lower"), 0);
	assert_int_equal(put_file(t, "opq/sub/lower", "lower"), 0);
	put_link(t, "lib", "usr/lib");
	assert_int_equal(put_file(t, "usr/lib/libgone.so", "gone"), 0);
	fsroot_tree_next_layer(t);
	/* Layer 2 writes, then whites out its own file: the whiteout only
	 * hides lower layers. */
	assert_int_equal(put_file(t, "etc/new", "new"), 0);
	assert_int_equal(fsroot_tree_remove(t, "etc/new"), 0);
	assert_int_equal(fsroot_tree_remove(t, "etc/passwd"), 0);
	assert_int_equal(fsroot_tree_remove(t, "usr/share/doc"), 0);
	assert_int_equal(fsroot_tree_remove(t, "no/such/thing"), 0);
	assert_int_equal(fsroot_tree_remove(t, "etc/passwd/x"), 0);
	/* Through a symlinked directory, as unpackers resolve it. */
	assert_int_equal(fsroot_tree_remove(t, "lib/libgone.so"), 0);
	/* Opaque: what this layer wrote before or after stays. */
	assert_int_equal(fsroot_tree_put(t, "opq/sub", S_IFDIR | 0755, NULL, 0, NULL), 0);
	assert_int_equal(put_file(t, "opq/sub/upper", "upper"), 0);
	assert_int_equal(fsroot_tree_opaque(t, "opq"), 0);
	assert_int_equal(put_file(t, "opq/after", "after"), 0);
	assert_int_equal(fsroot_tree_opaque(t, "nothing/here"), 0);
	struct fsroot *root = fsroot_open_tree(t, "whiteouts");
	expect_content(root, "/etc/new", "new");
	assert_false(exists(root, "/etc/passwd"));
	assert_false(exists(root, "/usr/share/doc"));
	assert_true(exists(root, "/usr/share"));
	assert_false(exists(root, "/usr/lib/libgone.so"));
	assert_false(exists(root, "/opq/lower"));
	assert_false(exists(root, "/opq/sub/lower"));
	expect_content(root, "/opq/sub/upper", "upper");
	expect_content(root, "/opq/after", "after");
	fsroot_close(root);
}

static void test_writes_through_symlinks(void **state)
{
	(void)state;
	struct fsroot_tree *t = fsroot_tree_new();
	fsroot_tree_next_layer(t);
	assert_int_equal(fsroot_tree_put(t, "usr/lib", S_IFDIR | 0755, NULL, 0, NULL), 0);
	assert_int_equal(fsroot_tree_put(t, "etc", S_IFDIR | 0755, NULL, 0, NULL), 0);
	put_link(t, "lib", "usr/lib");
	put_link(t, "x", "../../../../etc");
	put_link(t, "loop", "loop");
	put_link(t, "dangling", "/nowhere");
	put_link(t, "file-link", "f");
	assert_int_equal(put_file(t, "f", "f"), 0);
	fsroot_tree_next_layer(t);
	assert_int_equal(put_file(t, "lib/x86_64-linux-gnu/libc.so.6", "libc"), 0);
	assert_int_equal(put_file(t, "x/escaped", "inside"), 0);
	assert_int_equal(put_file(t, "loop/f", "x"), ELOOP);
	assert_int_equal(put_file(t, "dangling/f", "x"), ENOENT);
	assert_int_equal(put_file(t, "file-link/f", "x"), ENOTDIR);
	struct fsroot *root = fsroot_open_tree(t, "through");
	expect_content(root, "/usr/lib/x86_64-linux-gnu/libc.so.6", "libc");
	expect_content(root, "/etc/escaped", "inside");
	fsroot_close(root);
}

/* Enough names to grow, probe and shift the directory's table many times. */
static void test_big_directory(void **state)
{
	(void)state;
	enum { n = 20000 };
	struct fsroot_tree *t = fsroot_tree_new();
	fsroot_tree_next_layer(t);
	char p[64];
	for (int i = n - 1; i >= 0; i--) {
		snprintf(p, sizeof p, "d/f%d", i);
		assert_int_equal(put_file(t, p, "x"), 0);
	}
	fsroot_tree_next_layer(t);
	for (int i = 0; i < n; i += 2) {
		snprintf(p, sizeof p, "d/f%d", i);
		assert_int_equal(fsroot_tree_remove(t, p), 0);
	}
	for (int i = 0; i < n; i += 6) {
		snprintf(p, sizeof p, "d/f%d", i);
		assert_int_equal(put_file(t, p, "again"), 0);
	}
	struct fsroot *root = fsroot_open_tree(t, "big");
	for (int i = 0; i < n; i++) {
		snprintf(p, sizeof p, "/d/f%d", i);
		bool want = i % 2 == 1 || i % 6 == 0;
		if (exists(root, p) != want)
			fail_msg("%s: %s", p, want ? "missing" : "still there");
	}
	fsroot_close(root);
}

int main(void)
{
	const struct CMUnitTest resolver[] = {
		cmocka_unit_test_setup_teardown(test_resolver_rules, watchdog_on, watchdog_off),
		cmocka_unit_test_setup_teardown(test_read_stat_list, watchdog_on, watchdog_off),
	};
	const struct CMUnitTest layers[] = {
		cmocka_unit_test_setup_teardown(test_replace, watchdog_on, watchdog_off),
		cmocka_unit_test_setup_teardown(test_hard_links, watchdog_on, watchdog_off),
		cmocka_unit_test_setup_teardown(test_whiteouts, watchdog_on, watchdog_off),
		cmocka_unit_test_setup_teardown(test_writes_through_symlinks, watchdog_on, watchdog_off),
		cmocka_unit_test_setup_teardown(test_big_directory, watchdog_on, watchdog_off),
	};
	int failed = cmocka_run_group_tests_name("fsroot tree: resolver", resolver, group_setup, group_teardown);
	failed += cmocka_run_group_tests_name("fsroot tree: layers", layers, NULL, NULL);
	return failed ? 1 : 0;
}
