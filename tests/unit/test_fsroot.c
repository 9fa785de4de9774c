/* fsroot: resolution inside a directory used as a root. The tree holds
 * links that would leave the root if the host resolved them (absolute
 * targets, ".." chains), so every test that follows one also checks that
 * the file reached is the root's own: ROOT/etc/passwd has content of its
 * own and its inode is compared with what the host sees. */
#include "test_common.h"
#include "tmptree.h"

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "target/fsroot.h"

#if defined(__x86_64__)
#define NATIVE_AUDIT_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define NATIVE_AUDIT_ARCH AUDIT_ARCH_AARCH64
#endif

static const char inside_passwd[] = "root:x:0:0:inside the test root:/root:/bin/sh\n";

struct fixture {
	struct tmptree tree;
	struct fsroot *root;
};

static void link_one(void *ctx, const char *name, const char *target)
{
	tt_link(ctx, name, target);
}

static void make_chain(struct tmptree *t, const char *dir, unsigned links)
{
	make_link_chain(link_one, t, dir, links);
}

static int group_setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof *fx);
	assert_non_null(fx);
	struct tmptree *t = &fx->tree;
	tt_create(t);
	tt_file(t, "etc/passwd", inside_passwd);
	tt_file(t, "etc/hosts", "127.0.0.1 localhost\n");
	tt_file(t, "usr/lib/libfoo.so.1", "libfoo");
	tt_link(t, "usr/lib/libfoo.so", "libfoo.so.1");
	tt_dir(t, "usr/bin");
	tt_link(t, "lib", "/usr/lib");
	tt_link(t, "lib64", "usr/lib");
	tt_link(t, "evil", "/etc/passwd");
	tt_link(t, "hostetc", "/etc");
	tt_link(t, "up", "../../../../../../../../etc/passwd");
	tt_link(t, "a/b/c/r1", "../r2");
	tt_link(t, "a/b/r2", "../../usr/./lib//libfoo.so");
	tt_link(t, "a/b/c/dots", "../../../../../../../usr/lib");
	tt_link(t, "a/b/c/abs", "/a/b/../../lib/../bin/../lib");
	tt_link(t, "loop1", "loop2");
	tt_link(t, "loop2", "loop1");
	tt_link(t, "self", "self");
	tt_link(t, "dangling", "/nonexistent/file");
	tt_link(t, "dangling_rel", "nowhere");
	tt_link(t, "slashlink", "etc/passwd/");
	make_chain(t, "chain40", 40);
	make_chain(t, "chain41", 41);
	tt_fifo(t, "fifo");
	tt_file(t, "empty", "");
	const char *names[] = { "b", "a", "B", "_", ".hidden", "aa", "a-", "a.b" };
	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		char p[64];
		snprintf(p, sizeof p, "list/%s", names[i]);
		tt_file(t, p, "");
	}
	tt_dir(t, "list/sub");

	struct cr_err err;
	fx->root = fsroot_open_dir(t->path, &err);
	assert_non_null(fx->root);
	*state = fx;
	return 0;
}

static int group_teardown(void **state)
{
	struct fixture *fx = *state;
	fsroot_close(fx->root);
	tt_remove(&fx->tree);
	free(fx);
	return 0;
}

#define FX(state) ((struct fixture *)*(state))

/* The canonical path of PATH, or the errno as "errno:N". */
static const char *real(struct fsroot *root, const char *path, char *buf, size_t len)
{
	int e = 0;
	if (fsroot_realpath(root, path, buf, len, &e) < 0)
		snprintf(buf, len, "errno:%d", e);
	return buf;
}

static void expect_path(struct fsroot *root, const char *path, const char *want)
{
	char buf[PATH_MAX];
	const char *got = real(root, path, buf, sizeof buf);
	if (strcmp(got, want) != 0)
		fail_msg("realpath(%s) = %s, want %s", path, got, want);
}

static void expect_errno(struct fsroot *root, const char *path, int want)
{
	char buf[PATH_MAX];
	int e = 0;
	if (fsroot_realpath(root, path, buf, sizeof buf, &e) == 0)
		fail_msg("realpath(%s) = %s, want errno %d", path, buf, want);
	if (e != want)
		fail_msg("realpath(%s): errno %d (%s), want %d (%s)", path, e, strerror(e), want,
			 strerror(want));
	struct fsroot_stat st;
	e = 0;
	assert_int_equal(fsroot_stat(root, path, &st, &e), -1);
	assert_int_equal(e, want);
}

/* The contents of PATH inside the root, compared with want. */
static void expect_content(struct fsroot *root, const char *path, const char *want)
{
	struct fsroot_blob blob;
	int e = 0;
	if (fsroot_read(root, path, &blob, &e) < 0)
		fail_msg("read(%s): %s", path, strerror(e));
	assert_int_equal(blob.size, strlen(want));
	assert_memory_equal(blob.data, want, blob.size);
	fsroot_release(root, &blob);
	assert_null(blob.data);
}

/* Which file the host sees at ROOT/REL (not following a last link). */
static void host_id(const struct tmptree *t, const char *rel, struct stat *st)
{
	char p[PATH_MAX];
	tt_path(t, rel, p);
	assert_int_equal(lstat(p, st), 0);
}

static void test_absolute_links_stay_inside(void **state)
{
	struct fixture *fx = FX(state);
	struct fsroot *root = fx->root;
	expect_path(root, "/lib", "/usr/lib");
	expect_path(root, "/lib/libfoo.so", "/usr/lib/libfoo.so.1");
	expect_path(root, "/evil", "/etc/passwd");
	expect_path(root, "/hostetc/passwd", "/etc/passwd");
	expect_path(root, "/a/b/c/abs", "/usr/lib");
	/* Read through the link: the root's passwd, not the host's. */
	expect_content(root, "/evil", inside_passwd);
	expect_content(root, "/hostetc/passwd", inside_passwd);

	struct fsroot_stat st;
	struct stat host;
	int e;
	assert_int_equal(fsroot_stat(root, "/evil", &st, &e), 0);
	host_id(&fx->tree, "etc/passwd", &host);
	assert_int_equal(st.ino, host.st_ino);
	assert_int_equal(st.dev, host.st_dev);
	assert_true(S_ISREG(st.mode));
	assert_int_equal(st.size, strlen(inside_passwd));
}

static int collect(const char *name, void *ctx)
{
	char *buf = ctx;
	size_t len = strlen(buf);
	snprintf(buf + len, 256 - len, "%s%s", len ? " " : "", name);
	return 0;
}

static void test_absolute_dir_link_lists_inside(void **state)
{
	struct fsroot *root = FX(state)->root;
	char names[256] = "";
	int e = 0;
	assert_int_equal(fsroot_list_dir(root, "/hostetc", collect, names, &e), 0);
	assert_string_equal(names, "hosts passwd");
}

static void test_dotdot_stops_at_root(void **state)
{
	struct fsroot *root = FX(state)->root;
	expect_path(root, "/", "/");
	expect_path(root, "/..", "/");
	expect_path(root, "../../..", "/");
	expect_path(root, "/../../etc/../etc/passwd", "/etc/passwd");
	expect_path(root, "/up", "/etc/passwd");
	expect_content(root, "/up", inside_passwd);
	expect_path(root, "/a/b/c/dots", "/usr/lib");
	expect_path(root, "/a/b/c/dots/../../../../..", "/");
	/* ".." after a link is taken from where the link led (/usr/lib),
	 * as the kernel does, not by deleting the link's name. */
	expect_path(root, "/lib/..", "/usr");
	expect_errno(root, "/lib/../etc", ENOENT);
	expect_path(root, "/usr//lib/./", "/usr/lib");
	expect_path(root, "usr/lib", "/usr/lib");
}

static void test_relative_links(void **state)
{
	struct fixture *fx = FX(state);
	struct fsroot *root = fx->root;
	expect_path(root, "/a/b/c/r1", "/usr/lib/libfoo.so.1");
	expect_path(root, "a/b/c/r1", "/usr/lib/libfoo.so.1");
	expect_path(root, "/lib64/libfoo.so", "/usr/lib/libfoo.so.1");
	expect_content(root, "/a/b/c/r1", "libfoo");

	/* These links never leave the tree, so the host agrees. */
	char p[PATH_MAX], host[PATH_MAX], want[PATH_MAX + 32];
	tt_path(&fx->tree, "a/b/c/r1", p);
	assert_non_null(realpath(p, host));
	char top[PATH_MAX];
	assert_non_null(realpath(fx->tree.path, top));
	snprintf(want, sizeof want, "%s/usr/lib/libfoo.so.1", top);
	assert_string_equal(host, want);
}

static void test_loops(void **state)
{
	struct fsroot *root = FX(state)->root;
	expect_errno(root, "/loop1", ELOOP);
	expect_errno(root, "/self", ELOOP);
	expect_errno(root, "/self/x", ELOOP);
	char buf[64];
	int e;
	assert_int_equal(fsroot_readlink(root, "/loop1", buf, sizeof buf, &e), 0);
	assert_string_equal(buf, "loop2");
}

static void test_dangling(void **state)
{
	struct fsroot *root = FX(state)->root;
	expect_errno(root, "/dangling", ENOENT);
	expect_errno(root, "/dangling_rel", ENOENT);
	expect_errno(root, "/usr/missing/x", ENOENT);
	expect_errno(root, "/nothing", ENOENT);
	expect_errno(root, "", ENOENT);
	char buf[64];
	int e;
	assert_int_equal(fsroot_readlink(root, "/dangling", buf, sizeof buf, &e), 0);
	assert_string_equal(buf, "/nonexistent/file");
}

static void test_not_a_directory(void **state)
{
	struct fsroot *root = FX(state)->root;
	expect_errno(root, "/etc/passwd/x", ENOTDIR);
	expect_errno(root, "/etc/passwd/", ENOTDIR);
	expect_errno(root, "/etc/passwd/.", ENOTDIR);
	expect_errno(root, "/etc/passwd/..", ENOTDIR);
	expect_errno(root, "/evil/x", ENOTDIR);
	expect_errno(root, "/slashlink", ENOTDIR); /* target ends in a slash */
	int e = 0;
	char names[256] = "";
	assert_int_equal(fsroot_list_dir(root, "/etc/passwd", collect, names, &e), -1);
	assert_int_equal(e, ENOTDIR);
}

static void test_link_limit(void **state)
{
	struct fixture *fx = FX(state);
	struct fsroot *root = fx->root;
	expect_path(root, "/chain40/l0", "/etc/passwd");
	expect_content(root, "/chain40/l0", inside_passwd);
	expect_errno(root, "/chain41/l0", ELOOP);
	expect_path(root, "/chain41/l1", "/etc/passwd");

	/* The kernel draws the line at the same place (from the tree's own
	 * directory, so that links above it do not count). */
	int dfd = open(fx->tree.path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	assert_true(dfd >= 0);
	int fd = openat(dfd, "chain40/l0", O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	close(fd);
	errno = 0;
	assert_int_equal(openat(dfd, "chain41/l0", O_RDONLY | O_CLOEXEC), -1);
	assert_int_equal(errno, ELOOP);
	close(dfd);
}

static void test_read(void **state)
{
	struct fsroot *root = FX(state)->root;
	expect_content(root, "/usr/lib/libfoo.so", "libfoo");
	expect_content(root, "/lib/libfoo.so.1", "libfoo");

	struct fsroot_blob blob;
	int e = 0;
	assert_int_equal(fsroot_read(root, "/empty", &blob, &e), 0);
	assert_int_equal(blob.size, 0);
	assert_non_null(blob.data);
	fsroot_release(root, &blob);

	assert_int_equal(fsroot_read(root, "/usr", &blob, &e), -1);
	assert_int_equal(e, EISDIR);
	assert_null(blob.data);
	fsroot_release(root, &blob); /* harmless after a failure */
	assert_int_equal(fsroot_read(root, "/", &blob, &e), -1);
	assert_int_equal(e, EISDIR);
	assert_int_equal(fsroot_read(root, "/lib", &blob, &e), -1);
	assert_int_equal(e, EISDIR);
	assert_int_equal(fsroot_read(root, "/dangling", &blob, &e), -1);
	assert_int_equal(e, ENOENT);
}

static void test_fifo_refused(void **state)
{
	/* Opening a FIFO for reading would wait for a writer; the
	 * watchdog turns such a hang into a failure. */
	struct fsroot *root = FX(state)->root;
	struct fsroot_blob blob;
	int e = 0;
	assert_int_equal(fsroot_read(root, "/fifo", &blob, &e), -1);
	assert_int_equal(e, EINVAL);
	struct fsroot_stat st;
	assert_int_equal(fsroot_stat(root, "/fifo", &st, &e), 0);
	assert_true(S_ISFIFO(st.mode));
	/* A device, found on any host: refused without opening it. */
	struct fsroot *host = fsroot_open_dir("/", NULL);
	assert_non_null(host);
	if (fsroot_stat(host, "/dev/null", &st, &e) == 0 && S_ISCHR(st.mode)) {
		assert_int_equal(fsroot_read(host, "/dev/null", &blob, &e), -1);
		assert_int_equal(e, EINVAL);
	}
	fsroot_close(host);
}

static int stop_at_a(const char *name, void *ctx)
{
	int *seen = ctx;
	++*seen;
	return strcmp(name, "a") == 0 ? 7 : 0;
}

static void test_list_dir(void **state)
{
	struct fsroot *root = FX(state)->root;
	char names[256] = "";
	int e = 0;
	assert_int_equal(fsroot_list_dir(root, "/list", collect, names, &e), 0);
	/* strcmp order: bytes, so '.' < 'B' < '_' < 'a' and "a" < "a-" < "a.b" < "aa". */
	assert_string_equal(names, ".hidden B _ a a- a.b aa b sub");

	int seen = 0;
	assert_int_equal(fsroot_list_dir(root, "/list", stop_at_a, &seen, &e), 7);
	assert_int_equal(seen, 4);

	names[0] = '\0';
	assert_int_equal(fsroot_list_dir(root, "/list/sub", collect, names, &e), 0);
	assert_string_equal(names, "");
	assert_int_equal(fsroot_list_dir(root, "/nothing", collect, names, &e), -1);
	assert_int_equal(e, ENOENT);
	assert_int_equal(fsroot_list_dir(root, "/loop1", collect, names, &e), -1);
	assert_int_equal(e, ELOOP);
}

static void test_stat(void **state)
{
	struct fixture *fx = FX(state);
	struct fsroot *root = fx->root;
	struct fsroot_stat st;
	int e = 0;
	assert_int_equal(fsroot_stat(root, "/lib", &st, &e), 0);
	assert_true(S_ISDIR(st.mode));
	struct stat host;
	host_id(&fx->tree, "usr/lib", &host);
	assert_int_equal(st.ino, host.st_ino);

	assert_int_equal(fsroot_stat(root, "/usr/lib/libfoo.so", &st, &e), 0);
	assert_true(S_ISREG(st.mode));
	assert_int_equal(st.size, 6);

	/* The root itself. */
	assert_int_equal(fsroot_stat(root, "/", &st, &e), 0);
	assert_true(S_ISDIR(st.mode));
	assert_int_equal(stat(fx->tree.path, &host), 0);
	assert_int_equal(st.ino, host.st_ino);
}

static void test_readlink(void **state)
{
	struct fsroot *root = FX(state)->root;
	char buf[64];
	int e = 0;
	assert_int_equal(fsroot_readlink(root, "/lib", buf, sizeof buf, &e), 0);
	assert_string_equal(buf, "/usr/lib");
	/* Links in the directories are followed, the last one is not. */
	assert_int_equal(fsroot_readlink(root, "/lib/libfoo.so", buf, sizeof buf, &e), 0);
	assert_string_equal(buf, "libfoo.so.1");
	assert_int_equal(fsroot_readlink(root, "/a/b/c/r1", buf, sizeof buf, &e), 0);
	assert_string_equal(buf, "../r2");

	assert_int_equal(fsroot_readlink(root, "/etc/passwd", buf, sizeof buf, &e), -1);
	assert_int_equal(e, EINVAL);
	assert_int_equal(fsroot_readlink(root, "/", buf, sizeof buf, &e), -1);
	assert_int_equal(e, EINVAL);
	/* A trailing slash makes even readlink follow, as in the kernel. */
	assert_int_equal(fsroot_readlink(root, "/lib/", buf, sizeof buf, &e), -1);
	assert_int_equal(e, EINVAL);
	assert_int_equal(fsroot_readlink(root, "/nothing", buf, sizeof buf, &e), -1);
	assert_int_equal(e, ENOENT);

	char tiny[8]; /* "/usr/lib" needs 9 bytes */
	assert_int_equal(fsroot_readlink(root, "/lib", tiny, sizeof tiny, &e), -1);
	assert_int_equal(e, ENAMETOOLONG);
}

static void test_name_limits(void **state)
{
	struct fsroot *root = FX(state)->root;
	char small[9];
	int e = 0;
	assert_int_equal(fsroot_realpath(root, "/lib", small, sizeof small, &e), 0);
	assert_string_equal(small, "/usr/lib");
	assert_int_equal(fsroot_realpath(root, "/lib", small, 8, &e), -1);
	assert_int_equal(e, ENAMETOOLONG);

	char *longpath = malloc(PATH_MAX + 16);
	assert_non_null(longpath);
	memset(longpath, '/', PATH_MAX + 15);
	longpath[PATH_MAX + 15] = '\0';
	expect_errno(root, longpath, ENAMETOOLONG);
	/* "/" and one component of NAME_MAX + 1 bytes */
	memset(longpath, 'x', NAME_MAX + 2);
	longpath[0] = '/';
	longpath[NAME_MAX + 2] = '\0';
	expect_errno(root, longpath, ENAMETOOLONG);
	free(longpath);
}

static void test_permissions(void **state)
{
	struct fixture *fx = FX(state);
	if (geteuid() == 0)
		skip(); /* root searches any directory */
	tt_file(&fx->tree, "locked/inner", "x");
	char p[PATH_MAX];
	tt_path(&fx->tree, "locked", p);
	assert_int_equal(chmod(p, 0), 0);
	char buf[PATH_MAX];
	int e = 0;
	int rc = fsroot_realpath(fx->root, "/locked/inner", buf, sizeof buf, &e);
	chmod(p, 0755);
	assert_int_equal(rc, -1);
	assert_int_equal(e, EACCES);
}

static void test_open_dir(void **state)
{
	struct fixture *fx = FX(state);
	struct cr_err err = { "" };
	char p[PATH_MAX];
	tt_path(&fx->tree, "missing", p);
	assert_null(fsroot_open_dir(p, &err));
	assert_string_equal(err.msg, strerror(ENOENT));
	tt_path(&fx->tree, "etc/passwd", p);
	assert_null(fsroot_open_dir(p, &err));
	assert_string_equal(err.msg, strerror(ENOTDIR));

	/* Trailing slashes do not show in messages. */
	char slashed[PATH_MAX + 8];
	snprintf(slashed, sizeof slashed, "%s///", fx->tree.path);
	struct fsroot *root = fsroot_open_dir(slashed, &err);
	assert_non_null(root);
	assert_string_equal(fsroot_describe(root), fx->tree.path);
	fsroot_close(root);
	root = fsroot_open_dir("/", &err);
	assert_non_null(root);
	assert_string_equal(fsroot_describe(root), "/");
	fsroot_close(root);
	fsroot_close(NULL);
}

static void test_host_interpreter(void **state)
{
	(void)state;
	const char *interp = "/lib64/ld-linux-x86-64.so.2";
	char want[PATH_MAX];
	if (!realpath(interp, want))
		skip(); /* not an x86-64 glibc host */
	struct cr_err err;
	struct fsroot *root = fsroot_open_dir("/", &err);
	assert_non_null(root);
	char got[PATH_MAX];
	int e = 0;
	assert_int_equal(fsroot_realpath(root, interp, got, sizeof got, &e), 0);
	assert_string_equal(got, want);
	struct fsroot_blob blob;
	assert_int_equal(fsroot_read(root, interp, &blob, &e), 0);
	assert_true(blob.size > 4);
	assert_memory_equal(blob.data, "\177ELF", 4);
	fsroot_release(root, &blob);
	fsroot_close(root);
}

#if defined(NATIVE_AUDIT_ARCH) && defined(SYS_openat2)
/* Makes openat2 fail with ENOSYS in this process, as on kernels before 5.6. */
static bool hide_openat2(void)
{
	struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, NATIVE_AUDIT_ARCH, 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_openat2, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { sizeof code / sizeof *code, code };
	return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0 &&
	       prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) == 0;
}

/* The same answers through the openat fallback, checked in a child so
 * that the filter does not outlive the test. */
static void test_without_openat2(void **state)
{
	struct fsroot *root = FX(state)->root;
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (!hide_openat2())
			_exit(77);
		struct fsroot_blob blob;
		char names[256] = "";
		int e = 0, bad = 0;
		if (syscall(SYS_openat2, AT_FDCWD, "/", NULL, 0) != -1 || errno != ENOSYS)
			bad |= 1;
		if (fsroot_read(root, "/evil", &blob, &e) != 0 || blob.size != strlen(inside_passwd) ||
		    memcmp(blob.data, inside_passwd, blob.size) != 0)
			bad |= 2;
		fsroot_release(root, &blob);
		if (fsroot_read(root, "/fifo", &blob, &e) != -1 || e != EINVAL)
			bad |= 4;
		if (fsroot_list_dir(root, "/hostetc", collect, names, &e) != 0 ||
		    strcmp(names, "hosts passwd") != 0)
			bad |= 8;
		_exit(bad);
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	if (WEXITSTATUS(status) == 77)
		skip(); /* seccomp filters not allowed here */
	assert_int_equal(WEXITSTATUS(status), 0);
}
#else
static void test_without_openat2(void **state)
{
	(void)state;
	skip();
}
#endif

int main(void)
{
	const struct CMUnitTest tests[] = {
		ONE(test_absolute_links_stay_inside),
		ONE(test_absolute_dir_link_lists_inside),
		ONE(test_dotdot_stops_at_root),
		ONE(test_relative_links),
		ONE(test_loops),
		ONE(test_dangling),
		ONE(test_not_a_directory),
		ONE(test_link_limit),
		ONE(test_read),
		ONE(test_fifo_refused),
		ONE(test_list_dir),
		ONE(test_stat),
		ONE(test_readlink),
		ONE(test_name_limits),
		ONE(test_permissions),
		ONE(test_open_dir),
		ONE(test_host_interpreter),
		ONE(test_without_openat2),
	};
	return cmocka_run_group_tests_name("fsroot", tests, group_setup, group_teardown);
}
