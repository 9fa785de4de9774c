/* check_runtime_files: the files a Go program reads at run time, looked up
 * in temporary roots built for each case, with the Go analysis written by
 * hand (which packages are linked, cgo or not) instead of read from a
 * binary. Each case checks the finding ids and severities. */
#include "test_common.h"
#include "tmptree.h"

#include <stdlib.h>
#include <string.h>

#include "check/checks.h"
#include "target/fsroot.h"

static const char pem[] = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
static const char tzif[] = "TZif2\0\0\0";
static const char libc_236[] = "GNU C Library (Debian GLIBC 2.36-9) stable release version 2.36.\n";
static const char libc_231[] = "GNU C Library (Debian GLIBC 2.31-13) stable release version 2.31.\n";

struct env {
	struct tmptree tree;
	struct provides p;
	struct go_analysis go;
	struct check_input in;
	struct findings out;
};

static int env_setup(void **state)
{
	struct env *e = calloc(1, sizeof *e);
	assert_non_null(e);
	tt_create(&e->tree);
	/* A pure-Go server: net, os/user and crypto/x509 linked. */
	e->go.is_go = true;
	e->go.x509 = true;
	e->go.resolver = GO_MODE_GO;
	e->go.user_lookup = GO_MODE_GO;
	e->in.path = "/app/server";
	e->in.go = &e->go;
	e->p.kind = TARGET_ROOTFS;
	*state = e;
	alarm(10);
	return 0;
}

static int env_teardown(void **state)
{
	struct env *e = *state;
	alarm(0);
	findings_free(&e->out);
	if (e->p.root)
		fsroot_close(e->p.root);
	tt_remove(&e->tree);
	free(e);
	return 0;
}

/* Runs the check on the tree as it is now. */
static void run(struct env *e)
{
	findings_free(&e->out);
	if (!e->p.root && e->p.kind != TARGET_PROFILE) {
		struct cr_err err;
		e->p.root = fsroot_open_dir(e->tree.path, &err);
		assert_non_null(e->p.root);
	}
	check_runtime_files(&e->in, &e->p, &e->out);
}

static const struct finding *find(const struct env *e, const char *id)
{
	const struct finding *hit = NULL;
	for (size_t i = 0; i < e->out.count; i++) {
		if (strcmp(e->out.items[i].id, id) != 0)
			continue;
		assert_null(hit); /* each id at most once unless a test says so */
		hit = &e->out.items[i];
	}
	return hit;
}

static size_t count(const struct env *e, const char *id)
{
	size_t n = 0;
	for (size_t i = 0; i < e->out.count; i++)
		n += strcmp(e->out.items[i].id, id) == 0;
	return n;
}

static const struct finding *expect(const struct env *e, const char *id, enum severity sev)
{
	const struct finding *f = find(e, id);
	if (!f)
		fail_msg("no finding %s", id);
	assert_int_equal(f->severity, sev);
	assert_non_null(f->message);
	assert_null(strchr(f->message, '\n'));
	if (sev >= SEV_WARN)
		assert_non_null(f->fix);
	return f;
}

static void expect_none(const struct env *e, const char *id)
{
	if (find(e, id))
		fail_msg("unexpected finding %s: %s", id, find(e, id)->message);
}

static void expect_evidence(const struct finding *f, const char *part)
{
	assert_non_null(f->evidence);
	if (!strstr(f->evidence, part))
		fail_msg("evidence \"%s\" lacks \"%s\"", f->evidence, part);
}

/* A Debian-like glibc root: libc.so.6 under the multiarch directory,
 * /lib -> usr/lib as merged-/usr has it. */
static void glibc_root(struct env *e, const char *banner)
{
	tt_file(&e->tree, "usr/lib/x86_64-linux-gnu/libc.so.6", banner);
	tt_link(&e->tree, "lib", "usr/lib");
	tt_link(&e->tree, "lib64", "usr/lib64");
	tt_dir(&e->tree, "usr/lib64");
}

static void test_not_go(void **state)
{
	struct env *e = *state;
	e->go.is_go = false;
	run(e);
	assert_int_equal(e->out.count, 0);
}

static void test_empty_root(void **state)
{
	struct env *e = *state;
	run(e);
	const struct finding *ca = expect(e, "ca-bundle-missing", SEV_WARN);
	expect_evidence(ca, "/etc/ssl/certs/ca-certificates.crt");
	expect_evidence(ca, "/etc/ssl/cert.pem");
	expect_evidence(ca, "/etc/pki/tls/certs/");
	assert_string_equal(ca->fix, "install ca-certificates (apt-get install ca-certificates / apk add "
				     "ca-certificates / dnf install ca-certificates), or copy a bundle to "
				     "/etc/ssl/certs/ca-certificates.crt");
	expect_evidence(expect(e, "tzdata-missing", SEV_WARN), "/usr/share/zoneinfo");
	expect_evidence(expect(e, "passwd-missing", SEV_WARN), "/etc/passwd");
	expect_none(e, "nss-module-missing");
	assert_int_equal(e->out.count, 3);
}

static void test_nothing_linked(void **state)
{
	struct env *e = *state;
	e->go.x509 = false;
	e->go.user_lookup = GO_MODE_ABSENT;
	e->go.resolver = GO_MODE_ABSENT;
	e->go.tzdata_embedded = true;
	run(e);
	assert_int_equal(e->out.count, 0);
}

static void test_everything_there(void **state)
{
	struct env *e = *state;
	tt_file(&e->tree, "etc/ssl/certs/ca-certificates.crt", pem);
	tt_file(&e->tree, "usr/share/zoneinfo/Europe/London", tzif);
	tt_file(&e->tree, "etc/passwd", "root:x:0:0:root:/root:/bin/sh\n");
	run(e);
	expect_evidence(expect(e, "ca-bundle", SEV_OK), "/etc/ssl/certs/ca-certificates.crt");
	expect_evidence(expect(e, "tzdata", SEV_OK), "/usr/share/zoneinfo/Europe/London");
	expect(e, "passwd", SEV_OK);
	assert_int_equal(findings_worst(&e->out), SEV_OK);
}

static void test_ca_order(void **state)
{
	struct env *e = *state;
	/* An absolute link resolves inside the root. */
	tt_file(&e->tree, "usr/share/bundle.pem", pem);
	tt_link(&e->tree, "etc/ssl/cert.pem", "/usr/share/bundle.pem");
	run(e);
	expect_evidence(expect(e, "ca-bundle", SEV_OK), "/etc/ssl/cert.pem");

	/* The first readable file wins even when it is empty: Go never reads
	 * the good bundle after it. */
	tt_file(&e->tree, "etc/ssl/ca-bundle.pem", "");
	run(e);
	const struct finding *f = expect(e, "ca-bundle-missing", SEV_WARN);
	assert_non_null(strstr(f->message, "/etc/ssl/ca-bundle.pem"));
}

static void test_ca_link_leaving_root(void **state)
{
	struct env *e = *state;
	/* Resolved by the host this would reach the host's bundle. */
	tt_link(&e->tree, "etc/ssl/certs/ca-certificates.crt", "../../../../../../../etc/ssl/certs/ca-certificates.crt");
	run(e);
	expect(e, "ca-bundle-missing", SEV_WARN);
}

static void test_ca_dir(void **state)
{
	struct env *e = *state;
	/* Hash links to a name in the same directory are skipped; other
	 * files in the directories are read. */
	tt_link(&e->tree, "etc/pki/tls/certs/5ad8a5d6.0", "gone.pem");
	tt_file(&e->tree, "etc/pki/tls/certs/README", "no certificate here\n");
	run(e);
	expect(e, "ca-bundle-missing", SEV_WARN);

	tt_file(&e->tree, "usr/share/ca-certificates/mozilla/Root.crt", pem);
	tt_link(&e->tree, "etc/pki/tls/certs/Root.pem", "/usr/share/ca-certificates/mozilla/Root.crt");
	run(e);
	expect_evidence(expect(e, "ca-bundle", SEV_OK), "/etc/pki/tls/certs/Root.pem");
}

static void test_ca_not_linked(void **state)
{
	struct env *e = *state;
	e->go.x509 = false;
	run(e);
	expect_none(e, "ca-bundle-missing");
	expect_none(e, "ca-bundle");
}

static void test_tzdata(void **state)
{
	struct env *e = *state;
	/* Only UTC: regional zones still fail. */
	tt_file(&e->tree, "usr/share/zoneinfo/UTC", tzif);
	run(e);
	const struct finding *f = expect(e, "tzdata-missing", SEV_WARN);
	assert_non_null(strstr(f->message, "/usr/share/zoneinfo"));
	assert_non_null(strstr(f->fix, "timetzdata"));

	/* A file that is not TZif does not count. */
	tt_file(&e->tree, "usr/share/zoneinfo/Europe/London", "not a zone");
	run(e);
	expect(e, "tzdata-missing", SEV_WARN);

	/* Go's second directory. */
	tt_file(&e->tree, "usr/share/lib/zoneinfo/America/New_York", tzif);
	run(e);
	expect_evidence(expect(e, "tzdata", SEV_OK), "/usr/share/lib/zoneinfo/America/New_York");
}

static void test_tzdata_embedded(void **state)
{
	struct env *e = *state;
	e->go.tzdata_embedded = true;
	run(e);
	expect_none(e, "tzdata-missing");
	expect_none(e, "tzdata");
}

static void test_passwd_not_linked(void **state)
{
	struct env *e = *state;
	e->go.user_lookup = GO_MODE_ABSENT;
	run(e);
	expect_none(e, "passwd-missing");
	expect_none(e, "passwd");
}

static void test_cgo_defaults(void **state)
{
	struct env *e = *state;
	e->go.cgo = true;
	e->go.resolver = GO_MODE_CGO;
	e->go.user_lookup = GO_MODE_CGO;
	glibc_root(e, libc_236);
	/* No nsswitch.conf: glibc's defaults, files inside libc.so.6. */
	run(e);
	expect(e, "nsswitch-default", SEV_OK);
	expect_evidence(expect(e, "nss-modules", SEV_OK), "inside libc.so.6 (glibc 2.36)");
	expect(e, "passwd-missing", SEV_WARN); /* files reads /etc/passwd */
	expect_none(e, "nss-module-missing");
}

static void test_cgo_old_glibc(void **state)
{
	struct env *e = *state;
	e->go.cgo = true;
	e->go.user_lookup = GO_MODE_CGO;
	glibc_root(e, libc_231);
	/* Before 2.34 even files is a module of its own. */
	run(e);
	const struct finding *f = expect(e, "nss-module-missing", SEV_WARN);
	expect_evidence(f, "libnss_files.so.2");
	expect_evidence(f, "/usr/lib/x86_64-linux-gnu");
	assert_non_null(strstr(f->message, "user lookups"));
	assert_non_null(strstr(f->message, "fail"));

	tt_file(&e->tree, "usr/lib/x86_64-linux-gnu/libnss_files.so.2", "module");
	run(e);
	expect_none(e, "nss-module-missing");
	expect_evidence(expect(e, "nss-modules", SEV_OK), "/usr/lib/x86_64-linux-gnu/libnss_files.so.2");
}

static void test_cgo_missing_module(void **state)
{
	struct env *e = *state;
	e->go.cgo = true;
	e->go.resolver = GO_MODE_CGO;
	e->go.user_lookup = GO_MODE_CGO;
	glibc_root(e, libc_236);
	tt_file(&e->tree, "etc/passwd", "root:x:0:0:root:/root:/bin/sh\n");
	tt_file(&e->tree, "etc/nsswitch.conf",
		"# comment: sss ldap\n"
		"passwd:   files sss   # trailing comment ldap\n"
		"group:    files [SUCCESS=merge] sss\n"
		"hosts:    files dns\n");
	run(e);
	/* One finding for sss, naming both databases; hosts files dns stays
	 * in Go's own resolver. files still answers, so it is no warning. */
	const struct finding *f = expect(e, "nss-module-missing", SEV_OK);
	expect_evidence(f, "passwd: files sss");
	expect_evidence(f, "group: files sss");
	expect_evidence(f, "libnss_sss.so.2");
	assert_null(strstr(f->evidence, "ldap"));
	assert_null(strstr(f->evidence, "hosts"));
	assert_non_null(strstr(f->message, "use only the other sources"));
	assert_non_null(strstr(f->fix, "libnss-sss"));
	assert_non_null(strstr(f->fix, "netgo,osusergo"));

	/* Found in the directory of libc.so.6 through /lib. */
	tt_file(&e->tree, "lib/x86_64-linux-gnu/libnss_sss.so.2", "module");
	run(e);
	expect_none(e, "nss-module-missing");
	expect_evidence(expect(e, "nss-modules", SEV_OK), "sss: /usr/lib/x86_64-linux-gnu/libnss_sss.so.2");
}

static void test_cgo_only_source_missing(void **state)
{
	struct env *e = *state;
	e->go.cgo = true;
	e->go.user_lookup = GO_MODE_CGO;
	glibc_root(e, libc_236);
	tt_file(&e->tree, "etc/nsswitch.conf", "passwd: files\npasswd: ldap\ngroup: files\n");
	run(e);
	/* The later line wins; /etc/passwd is then irrelevant to glibc. */
	const struct finding *f = expect(e, "nss-module-missing", SEV_WARN);
	expect_evidence(f, "passwd: ldap");
	assert_non_null(strstr(f->message, "user lookups (user.Current, user.Lookup) fail"));
	expect_none(e, "passwd-missing");
	expect_none(e, "passwd");
}

static void test_cgo_hosts(void **state)
{
	struct env *e = *state;
	e->go.cgo = true;
	e->go.resolver = GO_MODE_CGO;
	e->go.user_lookup = GO_MODE_ABSENT;
	glibc_root(e, libc_236);
	/* mdns* alone stays in Go unless /etc/mdns.allow exists; criteria
	 * after mdns are not Go's concern. */
	tt_file(&e->tree, "etc/nsswitch.conf", "hosts: files mdns4_minimal [NOTFOUND=return] dns\n");
	run(e);
	expect_none(e, "nss-module-missing");
	expect_none(e, "nss-modules");

	tt_file(&e->tree, "etc/mdns.allow", ".local\n");
	run(e);
	expect_evidence(expect(e, "nss-module-missing", SEV_OK), "libnss_mdns4_minimal.so.2");
}

static void test_cgo_hosts_criteria(void **state)
{
	struct env *e = *state;
	e->go.cgo = true;
	e->go.resolver = GO_MODE_CGO;
	e->go.user_lookup = GO_MODE_ABSENT;
	glibc_root(e, libc_231);
	tt_file(&e->tree, "usr/lib/x86_64-linux-gnu/libnss_files.so.2", "module");
	/* Default actions keep Go's own resolver: no module matters. */
	tt_file(&e->tree, "etc/nsswitch.conf", "hosts: files [SUCCESS=return NOTFOUND=continue] dns [NOTFOUND=return]\n");
	run(e);
	expect_none(e, "nss-module-missing");
	/* A negated one sends lookups to glibc, which needs libnss_dns on 2.31. */
	tt_file(&e->tree, "etc/nsswitch.conf", "hosts: files dns [!UNAVAIL=return]\n");
	run(e);
	const struct finding *f = expect(e, "nss-module-missing", SEV_OK);
	expect_evidence(f, "libnss_dns.so.2");
	assert_non_null(strstr(f->message, "host lookups"));
	assert_non_null(strstr(f->message, "use only the other sources"));

	/* A source Go does not know: to glibc; resolve and dns both missing. */
	tt_file(&e->tree, "etc/nsswitch.conf", "hosts: resolve dns\n");
	run(e);
	assert_int_equal(count(e, "nss-module-missing"), 2);
}

static void test_cgo_resolver_go_users(void **state)
{
	struct env *e = *state;
	/* -tags netgo with cgo users: the hosts line is Go's business. */
	e->go.cgo = true;
	e->go.resolver = GO_MODE_GO;
	e->go.user_lookup = GO_MODE_CGO;
	glibc_root(e, libc_236);
	tt_file(&e->tree, "etc/passwd", "root:x:0:0:root:/root:/bin/sh\n");
	tt_file(&e->tree, "etc/nsswitch.conf", "passwd: files\ngroup: files\nhosts: files resolve dns\n");
	run(e);
	expect_none(e, "nss-module-missing");
	expect(e, "nss-modules", SEV_OK);
}

static void test_module_in_usr_lib(void **state)
{
	struct env *e = *state;
	e->go.cgo = true;
	e->go.user_lookup = GO_MODE_CGO;
	glibc_root(e, libc_236);
	tt_file(&e->tree, "etc/passwd", "root:x:0:0:root:/root:/bin/sh\n");
	tt_file(&e->tree, "etc/nsswitch.conf", "passwd: files systemd\ngroup: files systemd\n");
	/* Only in /usr/lib: still a default directory. */
	tt_file(&e->tree, "usr/lib/libnss_systemd.so.2", "module");
	run(e);
	expect_evidence(expect(e, "nss-modules", SEV_OK), "systemd: /usr/lib/libnss_systemd.so.2");
}

static void test_no_glibc(void **state)
{
	struct env *e = *state;
	e->go.cgo = true;
	e->go.user_lookup = GO_MODE_CGO;
	e->go.resolver = GO_MODE_CGO;
	tt_file(&e->tree, "etc/nsswitch.conf", "passwd: sss\n");
	/* musl or nothing: no NSS modules to look for. */
	run(e);
	expect_none(e, "nss-module-missing");
	expect_none(e, "nss-modules");
	e->p.libc = LIBC_MUSL;
	tt_file(&e->tree, "usr/lib/x86_64-linux-gnu/libc.so.6", libc_236);
	run(e);
	expect_none(e, "nss-module-missing");
	/* musl's getpwuid reads /etc/passwd itself. */
	expect(e, "passwd-missing", SEV_WARN);
}

static void test_profile(void **state)
{
	struct env *e = *state;
	struct profile bare = { .name = "scratch", .libc = LIBC_NONE, .container = true };
	struct profile distro = { .name = "debian-12", .libc = LIBC_GLIBC, .libc_version = "2.36",
				  .ca_bundle = "/etc/ssl/certs/ca-certificates.crt", .tzdata = true,
				  .passwd = true, .nsswitch = true };
	struct profile slim = distro;
	slim.name = "debian-12-slim";
	slim.container = true;
	slim.ca_bundle = NULL;
	slim.tzdata = false;
	e->p.kind = TARGET_PROFILE;

	e->p.profile = &bare;
	run(e);
	expect(e, "ca-bundle-missing", SEV_WARN);
	expect(e, "tzdata-missing", SEV_WARN);
	expect(e, "passwd-missing", SEV_WARN);
	expect_none(e, "nss-unknown");

	e->p.profile = &distro;
	run(e);
	expect_evidence(expect(e, "ca-bundle", SEV_OK), "/etc/ssl/certs/ca-certificates.crt");
	assert_int_equal(findings_worst(&e->out), SEV_OK);

	/* cgo on an installed system: its NSS modules cannot be known, but an
	 * installed system has what its nsswitch.conf names: informational. */
	e->go.cgo = true;
	e->go.resolver = GO_MODE_CGO;
	e->go.user_lookup = GO_MODE_CGO;
	run(e);
	expect(e, "nss-unknown", SEV_OK);
	assert_int_equal(findings_worst(&e->out), SEV_OK);

	/* A container base has no modules beyond its base. */
	e->p.profile = &slim;
	run(e);
	expect_none(e, "nss-unknown");
	expect(e, "ca-bundle-missing", SEV_WARN);
	expect(e, "tzdata-missing", SEV_WARN);
	expect_none(e, "passwd-missing");

	e->go.tzdata_embedded = true;
	e->go.x509 = false;
	run(e);
	assert_int_equal(e->out.count, 0);
}

#define CASE(f) { #f, f, env_setup, env_teardown, NULL }

int main(void)
{
	const struct CMUnitTest tests[] = {
		CASE(test_not_go),
		CASE(test_empty_root),
		CASE(test_nothing_linked),
		CASE(test_everything_there),
		CASE(test_ca_order),
		CASE(test_ca_link_leaving_root),
		CASE(test_ca_dir),
		CASE(test_ca_not_linked),
		CASE(test_tzdata),
		CASE(test_tzdata_embedded),
		CASE(test_passwd_not_linked),
		CASE(test_cgo_defaults),
		CASE(test_cgo_old_glibc),
		CASE(test_cgo_missing_module),
		CASE(test_cgo_only_source_missing),
		CASE(test_cgo_hosts),
		CASE(test_cgo_hosts_criteria),
		CASE(test_cgo_resolver_go_users),
		CASE(test_module_in_usr_lib),
		CASE(test_no_glibc),
		CASE(test_profile),
	};
	return cmocka_run_group_tests_name("runtime_files", tests, NULL, NULL);
}
