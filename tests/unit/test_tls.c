/* tls: the parts of `canrun tls` that need no server: HOST:PORT parsing,
 * and each finding's threshold on facts made up here rather than probed. */
#include "test_common.h"

#include <stdlib.h>
#include <string.h>

#include "report/tls_report.h"

static int split(const char *spec, const char **host, const char **port)
{
	static char buf[128];
	return tls_split_hostport(spec, buf, host, port);
}

static void test_hostport(void **state)
{
	(void)state;
	const char *h, *p;
	assert_int_equal(split("localhost:8443", &h, &p), 0);
	assert_string_equal(h, "localhost");
	assert_string_equal(p, "8443");
	assert_int_equal(split("[::1]:443", &h, &p), 0);
	assert_string_equal(h, "::1");
	assert_string_equal(p, "443");
	assert_int_equal(split("[fe80::1%lo]:1", &h, &p), 0);
	assert_string_equal(h, "fe80::1%lo");
	assert_int_equal(split("127.0.0.1:65535", &h, &p), 0);
	static const char *bad[] = {
		"localhost",  "localhost:", ":443",	  "[]:443",	 "[::1]",      "[::1]443",
		"::1:443",    "[::1:443",   "host:0",	  "host:65536", "host:99999", "host:123456",
		"host:https", "host:44 3",  "host:-443", "host:+443",	 "",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		if (split(bad[i], &h, &p) != -1)
			fail_msg("accepted %s", bad[i]);
	}
}

/* A leaf with nothing wrong, 300 days left, and all versions but 1.0/1.1. */
static struct tls_cert leaf(void)
{
	return (struct tls_cert){ .subject = "CN = a", .issuer = "CN = ca", .key_type = "EC", .key_bits = 256,
				  .sig_alg = "ecdsa-with-SHA256", .not_before = "b", .not_after = "a", .days_left = 300 };
}

static struct tls_result result(struct tls_cert *chain, size_t n)
{
	struct tls_result r = { .chain = chain, .nchain = n, .verify_text = "ok", .ca = "system", .name = "a",
				.name_match = 1 };
	static const char *names[4] = { "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3" };
	for (size_t i = 0; i < 4; i++)
		r.versions[i] = (struct tls_version_probe){ names[i], i < 2 ? TLSV_REFUSED : TLSV_ACCEPTED, "x" };
	return r;
}

/* The ids found, comma-joined in order, into a static buffer. */
static const char *ids(const struct tls_result *r, long warn_days)
{
	static char out[512];
	struct findings f = { 0 };
	tls_findings(r, warn_days, &f);
	out[0] = '\0';
	for (size_t i = 0; i < f.count; i++)
		snprintf(out + strlen(out), sizeof out - strlen(out), "%s%s", i ? "," : "", f.items[i].id);
	findings_free(&f);
	return out;
}

static void test_clean_has_no_findings(void **state)
{
	(void)state;
	struct tls_cert c = leaf();
	struct tls_result r = result(&c, 1);
	assert_string_equal(ids(&r, 30), "");
	r.versions[2].result = TLSV_REFUSED; /* 1.2 refused is no finding of its own */
	assert_string_equal(ids(&r, 30), "");
}

static void test_expiry_thresholds(void **state)
{
	(void)state;
	struct tls_cert c = leaf();
	struct tls_result r = result(&c, 1);
	c.days_left = 30;
	assert_string_equal(ids(&r, 30), ""); /* "within N days" is strictly fewer */
	c.days_left = 29;
	assert_string_equal(ids(&r, 30), "cert-expiring");
	assert_string_equal(ids(&r, 0), "");
	c.days_left = 0;
	assert_string_equal(ids(&r, 0), "");
	c.days_left = -1;
	c.expired = true;
	assert_string_equal(ids(&r, 30), "cert-expired"); /* not also expiring */
	c.expired = false;
	c.days_left = 500;
	c.not_yet_valid = true;
	assert_string_equal(ids(&r, 30), "cert-not-yet-valid");
}

static void test_key_and_signature(void **state)
{
	(void)state;
	struct tls_cert c = leaf();
	struct tls_result r = result(&c, 1);
	c.key_type = "RSA";
	c.key_bits = 2048;
	assert_string_equal(ids(&r, 30), "");
	c.key_bits = 2047;
	assert_string_equal(ids(&r, 30), "rsa-key-too-small");
	c.key_type = "EC"; /* 256-bit EC is not small */
	c.key_bits = 256;
	c.sha1 = true;
	assert_string_equal(ids(&r, 30), "sha1-signature");
	c.self_signed = true; /* a root's own signature is never checked */
	assert_string_equal(ids(&r, 30), "self-signed");
}

static void test_chain_certificates(void **state)
{
	(void)state;
	struct tls_cert chain[3] = { leaf(), leaf(), leaf() };
	struct tls_result r = result(chain, 2);
	chain[1].subject = chain[1].issuer = "CN = ca";
	chain[1].self_signed = true; /* a root sent along: no self-signed finding */
	chain[1].sha1 = true;
	assert_string_equal(ids(&r, 30), "");
	chain[1].expired = true;
	chain[1].days_left = -3;
	assert_string_equal(ids(&r, 30), "cert-expired");
	chain[1].expired = false;
	chain[1].days_left = 300;
	/* Not followed by its issuer: the issuer later in the chain, or not sent. */
	chain[2] = chain[1];
	chain[1] = leaf();
	chain[1].subject = "CN = other";
	chain[1].issuer = "CN = ca";
	r = result(chain, 3);
	assert_string_equal(ids(&r, 30), "chain-order");
	chain[2].subject = chain[2].issuer = "CN = another root";
	assert_string_equal(ids(&r, 30), "chain-order");
}

static void test_verify_name_versions(void **state)
{
	(void)state;
	struct tls_cert c = leaf();
	struct tls_result r = result(&c, 1);
	r.verify_code = 18;
	assert_string_equal(ids(&r, 30), "verify-failed");
	/* Each other error is named after the reported one; a repeat is not. */
	r.verify_code = 10;
	r.verify_text = "certificate has expired";
	r.verify_errors[0] = (struct tls_verify_error){ 68, 0, "CA signature digest algorithm too weak" };
	r.verify_errors[1] = (struct tls_verify_error){ 10, 0, "certificate has expired" };
	r.nverify_errors = 2;
	struct findings v = { 0 };
	tls_findings(&r, 30, &v);
	assert_int_equal(v.count, 1);
	assert_string_equal(v.items[0].message, "the chain does not verify against the system CA store: certificate "
						"has expired (10); also: CA signature digest algorithm too weak (68, depth 0)");
	findings_free(&v);
	r.nverify_errors = 0;
	r.verify_code = 0;
	r.name_match = -1; /* could not check: no finding */
	assert_string_equal(ids(&r, 30), "");
	r.name_match = 0;
	assert_string_equal(ids(&r, 30), "name-mismatch");
	r.name_match = 1;
	r.versions[0].result = TLSV_ACCEPTED;
	r.versions[1].result = TLSV_ACCEPTED;
	assert_string_equal(ids(&r, 30), "legacy-tls-accepted,legacy-tls-accepted");
	r.versions[0].result = TLSV_ERROR; /* an error is not acceptance */
	r.versions[1].result = TLSV_REFUSED;
	r.versions[3].result = TLSV_ERROR; /* nor a refusal */
	assert_string_equal(ids(&r, 30), "");
	r.versions[3].result = TLSV_REFUSED;
	assert_string_equal(ids(&r, 30), "no-tls13");
	struct findings f = { 0 };
	tls_findings(&r, 30, &f);
	assert_int_equal(findings_worst(&f), SEV_WARN);
	findings_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hostport),
		cmocka_unit_test(test_clean_has_no_findings),
		cmocka_unit_test(test_expiry_thresholds),
		cmocka_unit_test(test_key_and_signature),
		cmocka_unit_test(test_chain_certificates),
		cmocka_unit_test(test_verify_name_versions),
	};
	return cmocka_run_group_tests(tests, watchdog_on, NULL);
}
