/* trace's pure parts: the syscall table against libseccomp's numbering, the
 * errno names the reports print, and the explanation of synthesized failed
 * calls (no program is run). */
#include "test_common.h"

#include <errno.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>

#include "trace/explain.h"
#include "trace/syscalls.h"
#include "trace/tracer.h"

static long nr_of(uint32_t arch, const char *name)
{
	return seccomp_syscall_resolve_name_arch(arch, name);
}

static void test_table_round_trip(void **state)
{
	(void)state;
	static const uint32_t arches[] = { SCMP_ARCH_X86_64, SCMP_ARCH_X86 };
	for (size_t a = 0; a < 2; a++) {
		size_t seen = 0;
		for (const char *const *n = trace_names; *n; n++) {
			long nr = nr_of(arches[a], *n);
			if (nr < 0) /* stat64 on x86_64, newfstatat on i386 */
				continue;
			seen++;
			assert_true(trace_is_traced(arches[a], nr));
			char *back = trace_syscall_name(arches[a], nr);
			assert_string_equal(back, *n);
			free(back);
			bool exec = strcmp(*n, "execve") == 0 || strcmp(*n, "execveat") == 0;
			assert_int_equal(trace_is_exec(arches[a], nr), exec);
		}
		assert_true(seen >= 18);
		assert_false(trace_is_traced(arches[a], nr_of(arches[a], "read")));
		assert_false(trace_is_traced(arches[a], nr_of(arches[a], "write")));
	}
}

static void test_path_args(void **state)
{
	(void)state;
	uint32_t x = SCMP_ARCH_X86_64;
	assert_int_equal(trace_path_arg(x, nr_of(x, "open")), 0);
	assert_int_equal(trace_path_arg(x, nr_of(x, "openat")), 1);
	assert_int_equal(trace_path_arg(x, nr_of(x, "execve")), 0);
	assert_int_equal(trace_path_arg(x, nr_of(x, "execveat")), 1);
	assert_int_equal(trace_path_arg(x, nr_of(x, "connect")), TRACE_ARG_SOCKADDR);
	assert_int_equal(trace_path_arg(x, nr_of(x, "clone3")), -1);
	assert_int_equal(trace_path_arg(x, nr_of(x, "read")), -1);
	assert_int_equal(trace_path_arg(SCMP_ARCH_X86, nr_of(SCMP_ARCH_X86, "stat64")), 0);
}

/* The names the reports print, as strace -Z spells them. */
static void test_errno_names(void **state)
{
	(void)state;
	static const struct { int e; const char *name; } names[] = {
		{ ENOENT, "ENOENT" }, { EACCES, "EACCES" }, { ENOEXEC, "ENOEXEC" }, { ELIBBAD, "ELIBBAD" },
		{ EIO, "EIO" }, { ENOSYS, "ENOSYS" }, { EPERM, "EPERM" }, { ECONNREFUSED, "ECONNREFUSED" },
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		assert_string_equal(strerrorname_np(names[i].e), names[i].name);
}

static void add(struct trace_result *r, const char *name, const char *path, int err)
{
	r->calls = realloc(r->calls, (r->ncalls + 1) * sizeof *r->calls);
	struct trace_call *c = &r->calls[r->ncalls++];
	memset(c, 0, sizeof *c);
	c->pid = 42;
	c->arch = SCMP_ARCH_X86_64;
	c->nr = nr_of(c->arch, name);
	c->err = err;
	c->path = path ? strdup(path) : NULL;
}

static const struct finding *find(const struct trace_explained *e, const char *id)
{
	for (size_t i = 0; i < e->findings.count; i++)
		if (strcmp(e->findings.items[i].id, id) == 0)
			return &e->findings.items[i];
	return NULL;
}

static void test_grouping(void **state)
{
	(void)state;
	unsetenv("SSL_CERT_FILE");
	unsetenv("SSL_CERT_DIR");
	struct trace_result r = { 0 };
	add(&r, "openat", "/sys/kernel/mm/transparent_hugepage/hpage_pmd_size", ENOENT);
	add(&r, "openat", "/etc/ssl/certs/ca-certificates.crt", ENOENT);
	add(&r, "openat", "/usr/share/zoneinfo/Europe/Paris", ENOENT);
	add(&r, "newfstatat", "/etc/hosts", ENOENT);
	add(&r, "openat", "/etc/ssl/certs", ENOENT);
	add(&r, "clone3", NULL, EPERM);
	add(&r, "openat", "/usr/lib/x86_64-linux-gnu/glibc-hwcaps/x86-64-v3/libx.so.1", ENOENT);
	add(&r, "openat", "/usr/lib/x86_64-linux-gnu/libx.so.1", ENOENT);
	r.err_text = strdup("./p: error while loading shared libraries: libx.so.1: cannot open shared object file\n");
	struct trace_explained e;
	trace_explain(&r, NULL, &e);

	/* causes (fail) before warnings, each call used once */
	assert_int_equal(e.findings.count, 5);
	assert_string_equal(e.findings.items[0].id, "library-missing");
	assert_string_equal(e.findings.items[1].id, "seccomp-profile-old");
	assert_int_equal(e.findings.items[1].severity, SEV_FAIL);
	assert_int_equal(e.findings.items[2].severity, SEV_WARN);
	/* the hwcaps subdir is probed, not worth its own line */
	assert_string_equal(find(&e, "library-missing")->evidence, "looked in /usr/lib/x86_64-linux-gnu");
	assert_string_equal(find(&e, "ca-certificates-missing")->evidence,
			    "tried /etc/ssl/certs/ca-certificates.crt: ENOENT (openat)\n"
			    "tried /etc/ssl/certs: ENOENT (openat)");
	assert_non_null(find(&e, "zoneinfo-missing"));
	assert_string_equal(find(&e, "lookup-file-missing")->evidence, "tried /etc/hosts: ENOENT (newfstatat)");
	assert_int_equal(e.noise, 1);
	assert_false(e.used[0]);
	for (size_t i = 1; i < r.ncalls; i++)
		assert_true(e.used[i]);
	trace_explained_free(&e);
	trace_result_free(&r);
}

/* ELIBBAD and EIO on a path that cannot be read: still the right finding,
 * the loader left unnamed rather than guessed. */
static void test_exec_format(void **state)
{
	(void)state;
	struct trace_result r = { 0 };
	add(&r, "execve", "/nonexistent/prog", ELIBBAD);
	add(&r, "execve", "/nonexistent/prog2", EIO);
	add(&r, "execve", "/nonexistent/prog3", ENOEXEC);
	struct trace_explained e;
	trace_explain(&r, NULL, &e);
	assert_int_equal(e.findings.count, 3);
	assert_string_equal(e.findings.items[0].id, "interpreter-bad");
	assert_string_equal(e.findings.items[0].evidence, "execve(\"/nonexistent/prog\") = ELIBBAD");
	assert_string_equal(e.findings.items[1].id, "interpreter-truncated");
	assert_string_equal(e.findings.items[2].id, "not-a-program");
	assert_int_equal(e.noise, 0);
	trace_explained_free(&e);
	trace_result_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_table_round_trip, watchdog_on),
		cmocka_unit_test_setup(test_path_args, watchdog_on),
		cmocka_unit_test_setup(test_errno_names, watchdog_on),
		cmocka_unit_test_setup(test_grouping, watchdog_on),
		cmocka_unit_test_setup(test_exec_format, watchdog_on),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
