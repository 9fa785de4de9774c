/* ldconf: ld.so.conf read inside a target root as ldconfig reads it. Each
 * test writes its own tree; directories named in the files exist unless a
 * test says otherwise, since missing ones are dropped. */
#include "test_common.h"
#include "tmptree.h"

#include <stdlib.h>
#include <string.h>

#include "loader/ldconf.h"

#define TREE(f) { #f, f, tt_setup, tt_teardown, NULL }

/* Reads PATH inside the tree and compares the directories, space-joined. */
static void expect_dirs(const struct tmptree *t, const char *path, const char *want)
{
	struct cr_err err = { "" };
	struct fsroot *root = fsroot_open_dir(t->path, &err);
	assert_non_null(root);
	struct ldconf conf;
	if (ldconf_read(root, path, &conf, &err) < 0)
		fail_msg("ldconf_read(%s): %s", path, err.msg);
	char got[1024] = "";
	for (size_t i = 0; i < conf.ndirs; i++) {
		size_t len = strlen(got);
		snprintf(got + len, sizeof got - len, "%s%s", i ? " " : "", conf.dirs[i]);
	}
	ldconf_free(&conf);
	fsroot_close(root);
	if (strcmp(got, want) != 0)
		fail_msg("%s gives \"%s\", want \"%s\"", path, got, want);
}

static void dirs(const struct tmptree *t, const char *const *list)
{
	for (; *list; list++)
		tt_dir(t, *list);
}

/* Debian 12's layout: merged /usr makes /lib/x86_64-linux-gnu and
 * /usr/lib/x86_64-linux-gnu one directory, so ldconfig keeps the first. */
static void test_debian_layout(void **state)
{
	struct tmptree *t = *state;
	static const char *const d[] = { "usr/local/lib/x86_64-linux-gnu", "usr/lib/x86_64-linux-gnu", NULL };
	dirs(t, d);
	tt_link(t, "lib", "usr/lib");
	tt_file(t, "etc/ld.so.conf", "include /etc/ld.so.conf.d/*.conf\n\n");
	/* Written in reverse order: the glob, not the directory, sorts them. */
	tt_file(t, "etc/ld.so.conf.d/x86_64-linux-gnu.conf",
		"# Multiarch support\n/usr/local/lib/x86_64-linux-gnu\n/lib/x86_64-linux-gnu\n"
		"/usr/lib/x86_64-linux-gnu\n");
	tt_file(t, "etc/ld.so.conf.d/libc.conf", "# libc default configuration\n/usr/local/lib\n");
	expect_dirs(t, "/etc/ld.so.conf",
		    "/usr/local/lib /usr/local/lib/x86_64-linux-gnu /lib/x86_64-linux-gnu");
}

static void test_line_syntax(void **state)
{
	struct tmptree *t = *state;
	static const char *const d[] = { "opt/a", "opt/b", "opt/c", "opt/d", "opt/e", "opt/f",
					 "opt/rel", "include", "includefoo", "hwcapdir", "usr/lib", NULL };
	dirs(t, d);
	tt_file(t, "opt/file", "not a directory\n");
	tt_link(t, "opt/alias", "/opt/a");
	tt_link(t, "opt/escape", "/../../../../opt/b");
	tt_file(t, "etc/ld.so.conf",
		"# a comment\n"
		"   \t/opt/a   # and a trailing one\n"
		"/opt/b \t \n"
		"/opt/c///\n"
		"/opt/d\r\n"
		"hwcap 0 nosegneg\n"
		"HWCAP\t1 tls\n"
		"hwcapdir\n"
		"/\n"
		"///\n"
		"#/opt/e\n"
		"/opt/missing\n"
		"/opt/file\n"
		"/opt/a\n"
		"/opt/alias\n"
		"/opt/escape/\n"
		"opt/rel\n"
		"include\n"
		"includefoo\n"
		"/opt/e=libc6\n"
		"/usr/lib");
	/* "hwcapdir" and "include" without a word are directory lines; the
	 * last line has no newline. "/opt/e=libc6" names a directory of that
	 * name since glibc 2.37, which does not exist here. */
	expect_dirs(t, "/etc/ld.so.conf",
		    "/opt/a /opt/b /opt/c /opt/d /hwcapdir /opt/rel /include /includefoo /usr/lib");
}

static void test_nul_ends_line(void **state)
{
	struct tmptree *t = *state;
	tt_dir(t, "opt/a");
	tt_dir(t, "opt/b");
	char p[PATH_MAX];
	tt_dir(t, "etc");
	tt_path(t, "etc/ld.so.conf", p);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	static const char text[] = "/opt/a\0garbage\n/opt/b\n";
	assert_int_equal(fwrite(text, 1, sizeof text - 1, f), sizeof text - 1);
	assert_int_equal(fclose(f), 0);
	expect_dirs(t, "/etc/ld.so.conf", "/opt/a /opt/b");
}

static void test_nested_relative_includes(void **state)
{
	struct tmptree *t = *state;
	static const char *const d[] = { "opt/a", "opt/b", "opt/n1", "opt/n2", "opt/x", "opt/o1",
					 "opt/o2", "opt/top", "opt/hidden", "opt/txt", NULL };
	dirs(t, d);
	tt_file(t, "etc/ld.so.conf", "include conf.d/*.conf\n/opt/top\n");
	tt_file(t, "etc/conf.d/2-b.conf", "/opt/b\n");
	tt_file(t, "etc/conf.d/10-a.conf", "/opt/a\ninclude nested/*.conf\ninclude\tsub/x.conf  other/o?.conf\n");
	tt_file(t, "etc/conf.d/nested/n2.conf", "/opt/n2\n");
	tt_file(t, "etc/conf.d/nested/n1.conf", "/opt/n1\n");
	tt_file(t, "etc/conf.d/sub/x.conf", "/opt/x\n");
	tt_file(t, "etc/conf.d/other/o2.conf", "/opt/o2\n");
	tt_file(t, "etc/conf.d/other/o1.conf", "/opt/o1\n");
	tt_file(t, "etc/conf.d/other/o10.conf", "/opt/top\n");
	/* Not matched: a leading dot needs an explicit one, and the suffix. */
	tt_file(t, "etc/conf.d/.hidden.conf", "/opt/hidden\n");
	tt_file(t, "etc/conf.d/c.txt", "/opt/txt\n");
	/* A directory matched by the glob is read as nothing. */
	tt_dir(t, "etc/conf.d/dir.conf");
	/* strcmp order puts "10-a" before "2-b". */
	expect_dirs(t, "/etc/ld.so.conf", "/opt/a /opt/n1 /opt/n2 /opt/x /opt/o1 /opt/o2 /opt/b /opt/top");
}

static void test_includes_stay_inside(void **state)
{
	struct tmptree *t = *state;
	/* The directories a host's own ld.so.conf.d names exist here too, so
	 * reading the host's files would show. */
	static const char *const d[] = { "opt/a", "srv/conf", "usr/local/lib", "usr/lib/x86_64-linux-gnu",
					 "usr/local/lib/x86_64-linux-gnu", NULL };
	dirs(t, d);
	/* An absolute link to the include directory, and ".." past the
	 * root: both resolve inside the root. */
	tt_link(t, "etc/ld.so.conf.d", "/srv/conf");
	tt_file(t, "srv/conf/a.conf", "/opt/a\n");
	tt_file(t, "etc/ld.so.conf",
		"include /etc/ld.so.conf.d/*.conf\ninclude /../../etc/ld.so.conf.d/*.conf /etc/*.conf\n");
	expect_dirs(t, "/etc/ld.so.conf", "/opt/a");
}

static void test_include_loop(void **state)
{
	struct tmptree *t = *state;
	static const char *const d[] = { "opt/a", "opt/b", "opt/top", NULL };
	dirs(t, d);
	tt_file(t, "etc/ld.so.conf", "include ld.so.conf\ninclude conf.d/*\n/opt/top\n");
	tt_file(t, "etc/conf.d/a", "include ../ld.so.conf\ninclude b\n/opt/a\n");
	tt_file(t, "etc/conf.d/b", "include a\ninclude /etc/ld.so.conf\n/opt/b\n");
	/* The same file under another name is still the same file. */
	tt_link(t, "etc/conf.d/c", "a");
	expect_dirs(t, "/etc/ld.so.conf", "/opt/b /opt/a /opt/top");
}

static void test_include_depth(void **state)
{
	struct tmptree *t = *state;
	/* f0 includes f1 ... includes f19; each then names its directory. */
	char name[64], text[128], want[512] = "";
	for (unsigned i = 0; i < 20; i++) {
		snprintf(name, sizeof name, "d%u", i);
		tt_dir(t, name);
		snprintf(name, sizeof name, "etc/f%u", i);
		snprintf(text, sizeof text, "include f%u\n/d%u\n", i + 1, i);
		tt_file(t, name, text);
	}
	/* The top file is depth 0; includes go 16 deeper, to f16. */
	for (int i = 16; i >= 0; i--) {
		size_t len = strlen(want);
		snprintf(want + len, sizeof want - len, "%s/d%d", i == 16 ? "" : " ", i);
	}
	expect_dirs(t, "/etc/f0", want);
}

static void test_missing_and_unreadable(void **state)
{
	struct tmptree *t = *state;
	expect_dirs(t, "/etc/ld.so.conf", "");

	tt_dir(t, "opt/a");
	tt_file(t, "etc/ld.so.conf",
		"include /etc/none/*.conf /etc/absent.conf /etc/*/x.conf /etc/dir /etc/fifo\n/opt/a\n");
	tt_dir(t, "etc/dir");
	tt_file(t, "etc/sub/x.conf", "/opt/b\n"); /* behind a wildcard directory */
	tt_dir(t, "opt/b");
	tt_fifo(t, "etc/fifo");
	expect_dirs(t, "/etc/ld.so.conf", "/opt/a");

	/* The top file itself unreadable: an error, with the path. */
	struct cr_err err = { "" };
	struct fsroot *root = fsroot_open_dir(t->path, &err);
	assert_non_null(root);
	struct ldconf conf = { (char **)&err, 5 }; /* overwritten */
	assert_int_equal(ldconf_read(root, "/etc/dir", &conf, &err), -1);
	assert_non_null(strstr(err.msg, "/etc/dir"));
	assert_non_null(strstr(err.msg, strerror(EISDIR)));
	assert_null(conf.dirs);
	assert_int_equal(conf.ndirs, 0);
	assert_int_equal(ldconf_read(root, "/etc/fifo", &conf, NULL), -1);
	assert_int_equal(ldconf_read(root, "/etc/ld.so.conf/x", &conf, &err), -1);
	assert_non_null(strstr(err.msg, strerror(ENOTDIR)));
	ldconf_free(&conf);
	fsroot_close(root);
}

static void test_relative_top_file(void **state)
{
	struct tmptree *t = *state;
	static const char *const d[] = { "opt/a", "opt/b", NULL };
	dirs(t, d);
	/* A file named without a slash: its includes are relative to the root. */
	tt_file(t, "top.conf", "include etc/*.conf\n");
	tt_file(t, "etc/a.conf", "/opt/a\ninclude b.inc\n");
	tt_file(t, "etc/b.inc", "/opt/b\n");
	expect_dirs(t, "top.conf", "/opt/a /opt/b");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TREE(test_debian_layout),
		TREE(test_line_syntax),
		TREE(test_nul_ends_line),
		TREE(test_nested_relative_includes),
		TREE(test_includes_stay_inside),
		TREE(test_include_loop),
		TREE(test_include_depth),
		TREE(test_missing_and_unreadable),
		TREE(test_relative_top_file),
	};
	return cmocka_run_group_tests_name("ldconf", tests, NULL, NULL);
}
