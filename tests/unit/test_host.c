/* host: the parsers behind `canrun host`, on synthesized /proc text (the
 * cgroup and mountinfo layouts of v1, v2 and hybrid machines, escaped mount
 * points, "max" and -1), CPUID words of real CPUs, the GOMAXPROCS rule of
 * Go 1.25, and binfmt_misc handlers in a temporary directory. */
#include "test_common.h"
#include "tmptree.h"

#include <stdlib.h>
#include <string.h>

#include "host/cgroup.h"
#include "host/cpu.h"
#include "host/host.h"
#include "host/proc.h"
#include "loader/binfmt.h"

#define TEXT(s) s, sizeof s - 1

/* ---- /proc/self/cgroup ---------------------------------------------------- */

static const char cgroup_hybrid[] = "9:name=systemd:/\n"
				    "4:memory:/process_api/47d3\n"
				    "2:cpuacct:/\n"
				    "1:cpu:/svc\n"
				    "0::/\n";

static void test_relative_path_v1_wins(void **state)
{
	(void)state;
	char out[CGROUP_PATH_MAX];
	assert_int_equal(cgroup_relative_path(TEXT(cgroup_hybrid), "cpu", out, sizeof out), 1);
	assert_string_equal(out, "/svc");
	assert_int_equal(cgroup_relative_path(TEXT(cgroup_hybrid), "memory", out, sizeof out), 1);
	assert_string_equal(out, "/process_api/47d3");
	/* "cpuacct" is not "cpu"; a controller in a comma list is. */
	static const char joined[] = "3:cpu,cpuacct:/a\n0::/b\n";
	assert_int_equal(cgroup_relative_path(TEXT(joined), "cpu", out, sizeof out), 1);
	assert_string_equal(out, "/a");
	static const char acct_only[] = "2:cpuacct:/x\n0::/y\n";
	assert_int_equal(cgroup_relative_path(TEXT(acct_only), "cpu", out, sizeof out), 2);
	assert_string_equal(out, "/y");
}

static void test_relative_path_v2_and_none(void **state)
{
	(void)state;
	char out[CGROUP_PATH_MAX];
	static const char v2[] = "0::/system.slice/app.service\n";
	assert_int_equal(cgroup_relative_path(TEXT(v2), "cpu", out, sizeof out), 2);
	assert_string_equal(out, "/system.slice/app.service");
	static const char none[] = "5:devices:/\n";
	assert_int_equal(cgroup_relative_path(TEXT(none), "cpu", out, sizeof out), 0);
	assert_int_equal(cgroup_relative_path("", 0, "cpu", out, sizeof out), 0);
	static const char bad[] = "garbage\n";
	assert_int_equal(cgroup_relative_path(TEXT(bad), "cpu", out, sizeof out), -1);
	/* no final newline */
	static const char tail[] = "0::/t";
	assert_int_equal(cgroup_relative_path(TEXT(tail), "cpu", out, sizeof out), 2);
	assert_string_equal(out, "/t");
}

/* ---- /proc/self/mountinfo ------------------------------------------------- */

static const char mounts_hybrid[] =
	"22 1 8:1 / / rw,relatime - ext4 /dev/root rw\n"
	"31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
	"41 31 0:38 / /sys/fs/cgroup/unified rw,relatime shared:9 - cgroup2 cgroup2 rw\n"
	"33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct\n"
	"32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime shared:5 master:2 - cgroup cgroup rw,cpu\n"
	"35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n";

static void test_mount_point_v1_wins_over_v2(void **state)
{
	(void)state;
	char out[CGROUP_PATH_MAX];
	assert_int_equal(cgroup_mount_point(TEXT(mounts_hybrid), "cpu", out, sizeof out), 1);
	assert_string_equal(out, "/sys/fs/cgroup/cpu");
	assert_int_equal(cgroup_mount_point(TEXT(mounts_hybrid), "memory", out, sizeof out), 1);
	assert_string_equal(out, "/sys/fs/cgroup/memory");
	/* No v1 hierarchy with pids: the cgroup2 mount. */
	assert_int_equal(cgroup_mount_point(TEXT(mounts_hybrid), "pids", out, sizeof out), 2);
	assert_string_equal(out, "/sys/fs/cgroup/unified");
}

static void test_mount_point_last_v2_and_escapes(void **state)
{
	(void)state;
	char out[CGROUP_PATH_MAX];
	static const char two[] = "30 1 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw,nsdelegate\n"
				  "90 1 0:26 /sub /mnt/my\\040cg\\134x rw - cgroup2 cgroup2 rw\n"
				  "91 1 0:5 / /proc rw - proc proc rw\n";
	assert_int_equal(cgroup_mount_point(TEXT(two), "cpu", out, sizeof out), 2);
	/* The root field (/sub) is not used; \040 is a space, \134 a backslash. */
	assert_string_equal(out, "/mnt/my cg\\x");
	static const char none[] = "91 1 0:5 / /proc rw - proc proc rw\n";
	assert_int_equal(cgroup_mount_point(TEXT(none), "cpu", out, sizeof out), 0);
	static const char no_dash[] = "30 1 0:26 / /sys/fs/cgroup rw cgroup2 cgroup2 rw\n";
	assert_int_equal(cgroup_mount_point(TEXT(no_dash), "cpu", out, sizeof out), -1);
	static const char bad_escape[] = "30 1 0:26 / /a\\04 rw - cgroup2 cgroup2 rw\n";
	assert_int_equal(cgroup_mount_point(TEXT(bad_escape), "cpu", out, sizeof out), -1);
	char small[4];
	assert_int_equal(mountinfo_unescape(TEXT("/long/path"), small, sizeof small), -1);
	assert_int_equal(mountinfo_unescape(TEXT("/a\\011b"), out, sizeof out), 4);
	assert_string_equal(out, "/a\tb");
	assert_int_equal(mountinfo_unescape(TEXT("/a\\09b"), out, sizeof out), -1);
}

/* ---- limit files ---------------------------------------------------------- */

static void test_cpu_max(void **state)
{
	(void)state;
	int64_t q = 0, p = 0;
	assert_int_equal(cgroup_parse_cpu_max(TEXT("max 100000\n"), &q, &p), 0);
	assert_int_equal(cgroup_parse_cpu_max(TEXT("150000 100000\n"), &q, &p), 1);
	assert_int_equal(q, 150000);
	assert_int_equal(p, 100000);
	assert_int_equal(cgroup_parse_cpu_max(TEXT("150000 100000"), &q, &p), -1); /* Go wants the newline */
	assert_int_equal(cgroup_parse_cpu_max(TEXT("150000\n"), &q, &p), -1);
	assert_int_equal(cgroup_parse_cpu_max(TEXT("1x 100000\n"), &q, &p), -1);
	assert_int_equal(cgroup_parse_cpu_max(TEXT("5 0\n"), &q, &p), -1);
}

static void test_v1_numbers_and_memory(void **state)
{
	(void)state;
	int64_t v = 0;
	assert_int_equal(cgroup_parse_number(TEXT("-1\n"), &v), 0);
	assert_int_equal(v, -1);
	assert_int_equal(cgroup_parse_number(TEXT("100000\n"), &v), 0);
	assert_int_equal(v, 100000);
	assert_int_equal(cgroup_parse_number(TEXT("100000"), &v), -1);
	assert_int_equal(cgroup_parse_number(TEXT("\n"), &v), -1);
	uint64_t bytes = 0;
	assert_int_equal(cgroup_parse_memory(TEXT("max\n"), &bytes), 0);
	assert_int_equal(cgroup_parse_memory(TEXT("9223372036854771712\n"), &bytes), 0);
	assert_int_equal(cgroup_parse_memory(TEXT("-1\n"), &bytes), 0);
	assert_int_equal(cgroup_parse_memory(TEXT("536870912\n"), &bytes), 1);
	assert_int_equal(bytes, 536870912);
	assert_int_equal(cgroup_parse_memory(TEXT("lots\n"), &bytes), -1);
}

static void test_go_maxprocs(void **state)
{
	(void)state;
	/* Go <= 1.24: the affinity mask, whatever the limit. */
	assert_int_equal(go_maxprocs_default(8, true, 0.5, false), 8);
	/* Go 1.25: min(ncpu, max(2, ceil(limit))). */
	assert_int_equal(go_maxprocs_default(8, true, 0.5, true), 2);
	assert_int_equal(go_maxprocs_default(8, true, 2.5, true), 3);
	assert_int_equal(go_maxprocs_default(8, true, 3.0, true), 3);
	assert_int_equal(go_maxprocs_default(8, true, 16.0, true), 8);
	assert_int_equal(go_maxprocs_default(1, true, 0.5, true), 1); /* a 1-CPU mask stays 1 */
	assert_int_equal(go_maxprocs_default(4, false, 0, true), 4);
	assert_int_equal(go_maxprocs_default(0, false, 0, true), 1);
}

/* ---- /proc/self/status, /proc/1/environ ------------------------------------ */

static void test_status_fields(void **state)
{
	(void)state;
	static const char status[] = "Name:\tcat\nNoNewPrivs:\t1\nSeccomp:\t2\nSeccomp_filters:\t3\n";
	long v = -1;
	assert_int_equal(status_field(TEXT(status), "Seccomp", &v), 0);
	assert_int_equal(v, 2);
	assert_int_equal(status_field(TEXT(status), "Seccomp_filters", &v), 0);
	assert_int_equal(v, 3);
	assert_int_equal(status_field(TEXT(status), "NoNewPrivs", &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(status_field(TEXT(status), "Name", &v), -1);
	assert_int_equal(status_field(TEXT(status), "Speculation", &v), -1);
	static const char env[] = "PATH=/bin\0container=podman\0HOME=/";
	char out[32];
	assert_true(environ_value(env, sizeof env - 1, "container", out, sizeof out));
	assert_string_equal(out, "podman");
	assert_false(environ_value(env, sizeof env - 1, "contain", out, sizeof out));
}

/* ---- CPU ------------------------------------------------------------------ */

static void test_cpuid_levels(void **state)
{
	(void)state;
	/* An AMD EPYC (Zen 3) with AVX enabled by the OS: v3, not v4. */
	struct cpuid_words w = { .max_leaf = 16, .l1_ecx = 0xfffa3203, .l1_edx = 0x178bfbff, .l7_ebx = 0x219c07ab,
				 .max_ext = 0x80000023, .e1_ecx = 0x4003f3, .xcr0 = 0x207 };
	assert_int_equal(cpu_level_from_cpuid(&w), 3);
	/* The OS saving no YMM state makes AVX unusable: glibc says v2. */
	struct cpuid_words no_ymm = w;
	no_ymm.xcr0 = 0x3;
	assert_int_equal(cpu_level_from_cpuid(&no_ymm), 2);
	/* Nor without OSXSAVE. */
	struct cpuid_words no_osxsave = w;
	no_osxsave.l1_ecx &= ~(1u << 27);
	assert_int_equal(cpu_level_from_cpuid(&no_osxsave), 2);
	/* AVX-512 F/DQ/CD/BW/VL with opmask and ZMM state: v4; without the state, v3. */
	struct cpuid_words v4 = w;
	v4.l7_ebx |= (1u << 16) | (1u << 17) | (1u << 28) | (1u << 30) | (1u << 31);
	assert_int_equal(cpu_level_from_cpuid(&v4), 3);
	v4.xcr0 = 0xe7;
	assert_int_equal(cpu_level_from_cpuid(&v4), 4);
	/* No BMI2 (some Pentium/Celeron): v2, the Debian 2.35-2 fix. */
	struct cpuid_words no_bmi2 = w;
	no_bmi2.l7_ebx &= ~(1u << 8);
	assert_int_equal(cpu_level_from_cpuid(&no_bmi2), 2);
	/* No LAHF_LM in 64-bit mode (early x86-64): v1. */
	struct cpuid_words early = w;
	early.e1_ecx = 0;
	assert_int_equal(cpu_level_from_cpuid(&early), 1);
	struct cpuid_words nothing = { 0 };
	assert_int_equal(cpu_level_from_cpuid(&nothing), 0);
}

static void test_cpuinfo_flags(void **state)
{
	(void)state;
	assert_int_equal(cpu_level_from_flags("flags\t\t: fpu sse2 cx16 lahf_lm popcnt pni sse4_1 sse4_2 ssse3\n"), 2);
	/* "avx" only inside "avx2" is not avx. */
	assert_int_equal(cpu_level_from_flags("flags : cx16 lahf_lm popcnt pni sse4_1 sse4_2 ssse3 avx2 bmi1 bmi2 "
					      "f16c fma abm movbe xsave\n"),
			 2);
	assert_int_equal(cpu_level_from_flags("flags : cx16\n"), 1);
}

static void test_this_cpu(void **state)
{
	(void)state;
	const char *source = NULL;
	unsigned level = host_cpu_level_from(&source);
	assert_true(level >= 1 && level <= 4);
	assert_non_null(source);
#if defined(__x86_64__)
	assert_string_equal(source, "cpuid");
#endif
}

/* ---- versions --------------------------------------------------------------- */

static void test_versions(void **state)
{
	(void)state;
	char out[32];
	kernel_version_of("6.1.0-18-amd64", out, sizeof out);
	assert_string_equal(out, "6.1.0");
	kernel_version_of("6.18.44-fc-v782", out, sizeof out);
	assert_string_equal(out, "6.18.44");
	kernel_version_of("5.15.", out, sizeof out);
	assert_string_equal(out, "5.15");
	static const unsigned char crypto[] = "x\0OpenSSL default\0OpenSSL 3\0OpenSSL 3.0.19 27 Jan 2026\0";
	assert_true(openssl_banner_version(crypto, sizeof crypto - 1, out, sizeof out));
	assert_string_equal(out, "3.0.19");
	static const unsigned char old[] = "OpenSSL 1.1.1w  11 Sep 2023";
	assert_true(openssl_banner_version(old, sizeof old - 1, out, sizeof out));
	assert_string_equal(out, "1.1.1w");
	static const unsigned char none[] = "OpenSSL X9.42 OpenSSL 3.0";
	assert_false(openssl_banner_version(none, sizeof none - 1, out, sizeof out));
}

/* ---- binfmt_misc ------------------------------------------------------------ */

static void test_binfmt_list(void **state)
{
	struct tmptree *t = *state;
	tt_file(t, "status", "enabled\n");
	tt_file(t, "register", "");
	tt_file(t, "qemu-aarch64", "enabled\ninterpreter /usr/libexec/qemu-binfmt/aarch64-binfmt-P\nflags: POF\n"
				   "offset 0\nmagic 7f454c460201010000000000000000000200b700\n"
				   "mask ffffffffffffff00fffffffffffffffffeffffff\n");
	tt_file(t, "qemu-s390x", "disabled\ninterpreter /usr/bin/qemu-s390x\nflags: \noffset 0\n"
				 "magic 7f454c4602020100000000000000000000020016\n");
	tt_file(t, "jar", "enabled\ninterpreter /usr/bin/jexec\nflags: \nextension .jar\n");
	struct binfmt_entry *e;
	size_t n;
	bool enabled;
	assert_int_equal(binfmt_list(t->path, &e, &n, &enabled), 0);
	assert_true(enabled);
	assert_int_equal(n, 3);
	assert_string_equal(e[0].name, "jar");
	assert_false(e[0].magic);
	assert_string_equal(e[0].machine, "");
	assert_string_equal(e[1].name, "qemu-aarch64");
	assert_true(e[1].enabled);
	assert_string_equal(e[1].machine, "aarch64");
	assert_string_equal(e[1].flags, "POF");
	assert_string_equal(e[1].interpreter, "/usr/libexec/qemu-binfmt/aarch64-binfmt-P");
	assert_string_equal(e[2].machine, "s390x"); /* big-endian e_machine */
	assert_false(e[2].enabled);
	free(e);
	char missing[PATH_MAX];
	tt_path(t, "nowhere", missing);
	assert_int_equal(binfmt_list(missing, &e, &n, &enabled), -1);
	assert_int_equal(n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_relative_path_v1_wins, watchdog_on, watchdog_off),
		cmocka_unit_test_setup_teardown(test_relative_path_v2_and_none, watchdog_on, watchdog_off),
		cmocka_unit_test_setup_teardown(test_mount_point_v1_wins_over_v2, watchdog_on, watchdog_off),
		cmocka_unit_test_setup_teardown(test_mount_point_last_v2_and_escapes, watchdog_on, watchdog_off),
		cmocka_unit_test_setup_teardown(test_cpu_max, watchdog_on, watchdog_off),
		cmocka_unit_test_setup_teardown(test_v1_numbers_and_memory, watchdog_on, watchdog_off),
		cmocka_unit_test_setup_teardown(test_go_maxprocs, watchdog_on, watchdog_off),
		cmocka_unit_test_setup_teardown(test_status_fields, watchdog_on, watchdog_off),
		cmocka_unit_test_setup_teardown(test_cpuid_levels, watchdog_on, watchdog_off),
		cmocka_unit_test_setup_teardown(test_cpuinfo_flags, watchdog_on, watchdog_off),
		cmocka_unit_test_setup_teardown(test_this_cpu, watchdog_on, watchdog_off),
		cmocka_unit_test_setup_teardown(test_versions, watchdog_on, watchdog_off),
		cmocka_unit_test_setup_teardown(test_binfmt_list, tt_setup, tt_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
