/* libinv: the compiled-in Debian inventories. Every line of every package
 * list must be found by the binary search (so the generator's order is the
 * one the search needs), names between and around them must not, and the
 * minimal installs' libraries must be sorted and found. */
#include "test_common.h"

#include <string.h>

#include "target/libinv.h"

static const char *const releases[] = { "debian-11", "debian-12", "debian-13" };

static const struct libinv *inventory(const char *name)
{
	const struct profile *p = profile_find(name);
	assert_non_null(p);
	const struct libinv *inv = libinv_for_profile(p, NULL);
	assert_non_null(inv);
	return inv;
}

static void test_every_package_line_is_found(void **state)
{
	(void)state;
	for (size_t r = 0; r < sizeof releases / sizeof releases[0]; r++) {
		const struct libinv *inv = inventory(releases[r]);
		char prev[256] = "", name[256], probe[300], pkgs[256];
		size_t lines = 0;
		for (const char *p = inv->packages; *p; lines++) {
			size_t n = strcspn(p, " ");
			size_t end = strcspn(p, "\n");
			assert_true(n < end && n < sizeof name);
			memcpy(name, p, n);
			name[n] = '\0';
			if (lines)
				assert_true(strcmp(prev, name) < 0);
			assert_true(libinv_packages(inv, name, pkgs, sizeof pkgs));
			assert_int_equal(strlen(pkgs), end - n - 1);
			assert_memory_equal(pkgs, p + n + 1, end - n - 1);
			/* A longer name is another name. */
			snprintf(probe, sizeof probe, "%s~", name);
			assert_false(libinv_packages(inv, probe, pkgs, sizeof pkgs));
			memcpy(prev, p, n);
			prev[n] = '\0';
			p += end + 1;
		}
		assert_int_equal(lines, libinv_package_count(inv));
		assert_true(lines > 5000);
		assert_false(libinv_packages(inv, "", pkgs, sizeof pkgs));
		assert_false(libinv_packages(inv, "a", pkgs, sizeof pkgs));
		assert_false(libinv_packages(inv, "zzz", pkgs, sizeof pkgs));
		assert_false(libinv_packages(inv, "libcanrun-nowhere.so.7", pkgs, sizeof pkgs));
	}
}

static void test_minbase_sorted_and_found(void **state)
{
	(void)state;
	for (size_t r = 0; r < sizeof releases / sizeof releases[0]; r++) {
		const struct libinv *inv = inventory(releases[r]);
		assert_true(inv->nlibs > 40);
		for (size_t i = 0; i < inv->nlibs; i++) {
			if (i)
				assert_true(strcmp(inv->libs[i - 1].name, inv->libs[i].name) < 0);
			assert_ptr_equal(libinv_find(inv, inv->libs[i].name), &inv->libs[i]);
			/* The minimal install's libraries are not repeated as packages. */
			assert_false(libinv_packages(inv, inv->libs[i].name, NULL, 0));
		}
		const struct libinv_lib *libc = libinv_find(inv, "libc.so.6");
		assert_non_null(libc);
		assert_true(libinv_defines(libc, "GLIBC_2.2.5"));
		assert_true(libinv_defines(libc, "GLIBC_2.3"));
		assert_false(libinv_defines(libc, "GLIBC_2.3.9"));
		assert_false(libinv_defines(libc, "GLIBC_2"));
		assert_null(libinv_find(inv, "libc.so.7"));
	}
}

static void test_known_pairs(void **state)
{
	(void)state;
	char pkgs[256];
	assert_true(libinv_packages(inventory("debian-12"), "libssl.so.3", pkgs, sizeof pkgs));
	assert_string_equal(pkgs, "libssl3");
	assert_false(libinv_packages(inventory("debian-12"), "libssl.so.1.1", pkgs, sizeof pkgs));
	assert_non_null(libinv_find(inventory("debian-11"), "libssl.so.1.1"));
	assert_non_null(libinv_find(inventory("debian-13"), "libssl.so.3"));
	assert_true(libinv_packages(inventory("debian-13"), "libcurl.so.4", pkgs, sizeof pkgs));
	assert_string_equal(pkgs, "libcurl4t64");
	/* The image and the server share the minimal install. */
	assert_ptr_equal(inventory("debian:12"), inventory("debian-12"));
}

static void test_who_has_none(void **state)
{
	(void)state;
	const char *why = "";
	assert_null(libinv_for_profile(profile_find("debian-10"), &why));
	assert_non_null(why);
	assert_null(libinv_for_profile(profile_find("debian:10"), &why));
	assert_non_null(why);
	assert_null(libinv_for_profile(profile_find("ubuntu-24.04"), &why));
	assert_null(why);
	assert_null(libinv_for_profile(profile_find("alpine-3.22"), &why));
	assert_null(why);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_package_line_is_found),
		cmocka_unit_test(test_minbase_sorted_and_found),
		cmocka_unit_test(test_known_pairs),
		cmocka_unit_test(test_who_has_none),
	};
	return cmocka_run_group_tests_name("libinv", tests, NULL, NULL);
}
