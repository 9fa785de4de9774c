/* check/gate.c and report/sarif.c's pure parts: the --require and --deny
 * lists, which finding each --deny kind denies (every kind, also those no
 * fixture can show, such as an emulated machine or a loader warning), and
 * the percent-encoding of paths into URIs. */
#include "test_common.h"

#include <stdlib.h>
#include <string.h>

#include "check/gate.h"
#include "harden/harden.h"
#include "report/sarif.h"

static void test_require(void **state)
{
	(void)state;
	struct gate_policy g = { 0 };
	struct cr_err err;
	assert_int_equal(gate_parse_require("runs,pie,full-relro", &g, &err), 0);
	assert_true(g.runs);
	assert_int_equal(g.require, REQ_PIE | REQ_FULL_RELRO);
	struct gate_policy only = { 0 };
	assert_int_equal(gate_parse_require("nx", &only, &err), 0);
	assert_false(only.runs);
	assert_int_equal(only.require, REQ_NX);
	struct gate_policy bad = { 0 };
	assert_int_equal(gate_parse_require("runs,pie,ru", &bad, &err), -1);
	assert_non_null(strstr(err.msg, "unknown property 'ru'"));
	assert_non_null(strstr(err.msg, "valid: runs, full-relro,"));
	/* An empty item is no name either. */
	assert_int_equal(gate_parse_require("runs,", &bad, &err), -1);
}

struct deny_case {
	const char *kind;
	const char *id;
	enum severity sev;
	bool denied;
};

static void test_deny_kinds(void **state)
{
	(void)state;
	static const struct deny_case cases[] = {
		{ "certs-missing", "ca-bundle-missing", SEV_WARN, true },
		{ "certs-missing", "tzdata-missing", SEV_WARN, false },
		{ "tzdata-missing", "tzdata-missing", SEV_WARN, true },
		{ "user-lookup", "passwd-missing", SEV_WARN, true },
		{ "nss-missing", "nss-module-missing", SEV_WARN, true },
		{ "nss-missing", "nss-module-missing", SEV_OK, false }, /* another source still answers */
		{ "cpu-level", "cpu-level", SEV_WARN, true },
		{ "cpu-level", "cpu-level", SEV_FAIL, false },          /* fails the gate as a failure */
		{ "emulated", "machine-emulated", SEV_WARN, true },
		{ "emulated", "machine-compat", SEV_WARN, true },
		{ "lazy-symbol", "symbol-missing-lazy", SEV_WARN, true },
		{ "loader-warning", "loader-warning", SEV_WARN, true },
		{ "library-package", "library-package", SEV_UNKNOWN, true },
		{ "library-package", "library-unknown", SEV_UNKNOWN, false },
		{ "unknown", "library-unknown", SEV_UNKNOWN, true },
		{ "unknown", "ca-bundle-missing", SEV_WARN, false },
		{ "all", "passwd-missing", SEV_WARN, true },
		{ "all", "library-package", SEV_UNKNOWN, true },
		{ "all", "glibc-too-old", SEV_FAIL, false },
		{ "all", "ca-bundle", SEV_OK, false },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct gate_policy g = { 0 };
		struct cr_err err;
		assert_int_equal(gate_parse_deny(cases[i].kind, &g, &err), 0);
		struct finding f = { cases[i].id, cases[i].sev, NULL, NULL, NULL };
		const char *kind = gate_denied_kind(&g, &f);
		if (cases[i].denied ? !kind || strcmp(kind, cases[i].kind) != 0 : kind != NULL)
			fail_msg("--deny %s on %s: got %s", cases[i].kind, cases[i].id, kind ? kind : "(not denied)");
	}
	/* Nothing denied without --deny; every kind's name parses. */
	struct gate_policy none = { 0 };
	struct finding f = { "ca-bundle-missing", SEV_WARN, NULL, NULL, NULL };
	assert_null(gate_denied_kind(&none, &f));
	unsigned n = 0;
	for (; gate_deny_name(n); n++) {
		struct gate_policy g = { 0 };
		struct cr_err err;
		assert_int_equal(gate_parse_deny(gate_deny_name(n), &g, &err), 0);
		assert_int_equal(g.deny, 1u << n);
	}
	assert_int_equal(n, 11);
}

static void test_deny_unknown(void **state)
{
	(void)state;
	struct gate_policy g = { 0 };
	struct cr_err err;
	assert_int_equal(gate_parse_deny("certs-missing,certs", &g, &err), -1);
	assert_string_equal(err.msg, "--deny: unknown kind 'certs'; valid: certs-missing, tzdata-missing, user-lookup, "
				     "nss-missing, cpu-level, emulated, lazy-symbol, loader-warning, library-package, "
				     "unknown, all");
}

static void test_uri(void **state)
{
	(void)state;
	static const char *const cases[][2] = {
		{ "dist/app", "dist/app" },
		{ "/usr/bin/[", "file:///usr/bin/%5B" },
		{ "a b/%#?:@+~._-", "a%20b/%25%23%3F%3A%40%2B~._-" },
		{ "\xc3\xa9\xff", "%C3%A9%FF" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *uri = sarif_path_uri(cases[i][0]);
		assert_string_equal(uri, cases[i][1]);
		free(uri);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_require, watchdog_on, watchdog_off),
		cmocka_unit_test_setup_teardown(test_deny_kinds, watchdog_on, watchdog_off),
		cmocka_unit_test_setup_teardown(test_deny_unknown, watchdog_on, watchdog_off),
		cmocka_unit_test_setup_teardown(test_uri, watchdog_on, watchdog_off),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
