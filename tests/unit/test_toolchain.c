/* toolchain: the parsers behind `canrun toolchain`: the go env file as
 * cmd/go reads it, the sums formats (sha256sum text and binary lines, BSD
 * tags, a bare .sha256 sidecar, go.dev's JSON), release file names, and
 * the environment's precedence (process, env file, GOROOT/go.env, default)
 * with its warnings, in a temporary HOME. */
#include "test_common.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "toolchain/toolchain.h"

#define TEXT(s) s, sizeof s - 1

static const char H1[] = "9f49f7fd3b5d3e3ab8f2d2d8e3b6f1d6a0a4b4d1f2c2e3d4a5b6c7d8e9f0a1b2";
static const char H2[] = "0000000000000000000000000000000000000000000000000000000000000abc";

static void test_envfile_last_wins_and_skips_comments(void **state)
{
	(void)state;
	static const char f[] = "# GOPROXY=commented\nGOPROXY=a\nbad line\ngoproxy=lower\nGOPROXY=b \nGOSUMDB=off";
	char *v = tc_envfile_lookup(TEXT(f), "GOPROXY");
	assert_string_equal(v, "b "); /* kept as written, as cmd/go keeps it */
	free(v);
	v = tc_envfile_lookup(TEXT(f), "GOSUMDB"); /* no final newline */
	assert_string_equal(v, "off");
	free(v);
	assert_null(tc_envfile_lookup(TEXT(f), "GOPRIVATE"));
	assert_null(tc_envfile_lookup(TEXT(f), "GOPROX"));
	v = tc_envfile_lookup(TEXT("GOFLAGS=\n"), "GOFLAGS");
	assert_string_equal(v, "");
	free(v);
}

static void test_sums_sha256sum_formats(void **state)
{
	(void)state;
	char out[65], line[512];
	struct cr_err err;
	snprintf(line, sizeof line, "%s  other.tar.gz\n%s  go1.22.5.linux-amd64.tar.gz\n", H2, H1);
	assert_int_equal(tc_sums_lookup(line, strlen(line), "go1.22.5.linux-amd64.tar.gz", out, &err), 0);
	assert_string_equal(out, H1);
	snprintf(line, sizeof line, "%s *go.tar.gz\r\n", H1); /* binary mode, CRLF */
	assert_int_equal(tc_sums_lookup(line, strlen(line), "go.tar.gz", out, &err), 0);
	assert_string_equal(out, H1);
	snprintf(line, sizeof line, "%s go.tar.gz", H1); /* one space, no newline */
	assert_int_equal(tc_sums_lookup(line, strlen(line), "go.tar.gz", out, &err), 0);
	snprintf(line, sizeof line, "SHA256 (go.tar.gz) = %s\n", H1);
	assert_int_equal(tc_sums_lookup(line, strlen(line), "go.tar.gz", out, &err), 0);
	assert_string_equal(out, H1);
	/* Upper case is accepted and reported lower. */
	char upper[65];
	for (int i = 0; i < 64; i++)
		upper[i] = (char)((H1[i] >= 'a' && H1[i] <= 'f') ? H1[i] - 32 : H1[i]);
	upper[64] = '\0';
	snprintf(line, sizeof line, "%s  go.tar.gz\n", upper);
	assert_int_equal(tc_sums_lookup(line, strlen(line), "go.tar.gz", out, &err), 0);
	assert_string_equal(out, H1);
	/* A bare sidecar: the hex alone. */
	assert_int_equal(tc_sums_lookup(H1, 64, "anything.tar.gz", out, &err), 0);
	assert_string_equal(out, H1);
	/* Another file's line, a prefix of the name, a short hash: no entry. */
	snprintf(line, sizeof line, "%s  go.tar.gz.sig\n%s  o.tar.gz\n%.63s  go.tar.gz\n", H1, H1, H1);
	assert_int_equal(tc_sums_lookup(line, strlen(line), "go.tar.gz", out, &err), -1);
	assert_non_null(strstr(err.msg, "no entry"));
}

static void test_sums_go_dev_json(void **state)
{
	(void)state;
	char doc[2048], out[65];
	struct cr_err err;
	snprintf(doc, sizeof doc,
		 "[\n {\n  \"version\": \"go1.22.5\",\n  \"stable\": true,\n  \"files\": [\n"
		 "   {\n    \"filename\": \"go1.22.5.src.tar.gz\",\n    \"os\": \"\",\n    \"arch\": \"\",\n"
		 "    \"version\": \"go1.22.5\",\n    \"sha256\": \"%s\",\n    \"size\": 1,\n    \"kind\": \"source\"\n   },\n"
		 "   {\n    \"filename\": \"go1.22.5.linux-amd64.tar.gz\",\n    \"os\": \"linux\",\n    \"arch\": \"amd64\",\n"
		 "    \"version\": \"go1.22.5\",\n    \"sha256\": \"%s\",\n    \"size\": 2,\n    \"kind\": \"archive\"\n   }\n"
		 "  ]\n }\n]\n",
		 H2, H1);
	assert_int_equal(tc_sums_lookup(doc, strlen(doc), "go1.22.5.linux-amd64.tar.gz", out, &err), 0);
	assert_string_equal(out, H1);
	assert_int_equal(tc_sums_lookup(doc, strlen(doc), "go1.22.5.src.tar.gz", out, &err), 0);
	assert_string_equal(out, H2);
	assert_int_equal(tc_sums_lookup(doc, strlen(doc), "go1.22.5.linux-arm64.tar.gz", out, &err), -1);
	/* A name written with JSON escapes is the same name. */
	snprintf(doc, sizeof doc, "[{\"files\": [{\"filename\": \"go1.22.5.linux\\u002damd64.tar.gz\", \"sha256\": \"%s\"}]}]",
		 H1);
	assert_int_equal(tc_sums_lookup(doc, strlen(doc), "go1.22.5.linux-amd64.tar.gz", out, &err), 0);
	assert_string_equal(out, H1);
	/* Damaged: unbalanced, a file entry that is not an object, deep nesting. */
	static const char *const bad[] = { "[{\"files\": [{\"filename\": \"go.tar.gz\"", "[{\"files\": [7]}]", "{\"files\": 7}" };
	for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++)
		assert_int_equal(tc_sums_lookup(bad[k], strlen(bad[k]), "go.tar.gz", out, &err), -1);
	char deep[4096];
	memset(deep, '[', sizeof deep - 1);
	deep[sizeof deep - 1] = '\0';
	assert_int_equal(tc_sums_lookup(deep, strlen(deep), "go.tar.gz", out, &err), -1);
	/* Cut short inside an object: no entry, no over-read. */
	size_t cut = (size_t)(strstr(doc, "linux-amd64") - doc);
	assert_int_equal(tc_sums_lookup(doc, cut, "go1.22.5.linux-amd64.tar.gz", out, &err), -1);
}

static void test_release_names(void **state)
{
	(void)state;
	char v[32], os[16], arch[16];
	assert_true(tc_release_name("go1.22.5.linux-amd64.tar.gz", v, sizeof v, os, sizeof os, arch, sizeof arch));
	assert_string_equal(v, "go1.22.5");
	assert_string_equal(os, "linux");
	assert_string_equal(arch, "amd64");
	assert_true(tc_release_name("go1.21rc2.linux-armv6l.tar.gz", v, sizeof v, os, sizeof os, arch, sizeof arch));
	assert_string_equal(v, "go1.21rc2");
	assert_string_equal(arch, "armv6l");
	assert_false(tc_release_name("go1.22.5.linux-amd64.zip", v, sizeof v, os, sizeof os, arch, sizeof arch));
	assert_false(tc_release_name("go.tar.gz", v, sizeof v, os, sizeof os, arch, sizeof arch));
	assert_false(tc_release_name("go1.22.5.src.tar.gz", v, sizeof v, os, sizeof os, arch, sizeof arch));
	assert_false(tc_release_name("rust1.2.linux-amd64.tar.gz", v, sizeof v, os, sizeof os, arch, sizeof arch));
	assert_true(tc_version_cmp("go1.19.8", "go1.21") < 0);
	assert_true(tc_version_cmp("go1.21.0", "go1.21") == 0);
	assert_true(tc_version_cmp("go1.22.5", "go1.21") > 0);
}

/* ---- the environment, from a table instead of the process ------------------ */

struct fake_env {
	const char *const *kv; /* name, value, name, value, ..., NULL */
};

static const char *fake_getenv(const char *name, void *ctx)
{
	const struct fake_env *e = ctx;
	for (size_t i = 0; e->kv[i]; i += 2)
		if (strcmp(e->kv[i], name) == 0)
			return e->kv[i + 1];
	return NULL;
}

static char tmp[64];

static void write_file(const char *dir, const char *rel, const char *text)
{
	char p[256];
	snprintf(p, sizeof p, "%s/%s", dir, rel);
	mkdir(dir, 0755);
	for (char *s = p + strlen(dir) + 1; (s = strchr(s, '/')) != NULL; s++) {
		*s = '\0';
		mkdir(p, 0755);
		*s = '/';
	}
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static const struct tc_env_var *var(const struct tc_env *e, const char *name)
{
	for (size_t i = 0; i < TC_ENV_COUNT; i++)
		if (strcmp(e->vars[i].name, name) == 0)
			return &e->vars[i];
	fail_msg("no %s", name);
	return NULL;
}

static bool has_finding(const struct findings *f, const char *id)
{
	for (size_t i = 0; i < f->count; i++)
		if (strcmp(f->items[i].id, id) == 0)
			return true;
	return false;
}

static void test_env_precedence(void **state)
{
	(void)state;
	snprintf(tmp, sizeof tmp, "/tmp/canrun-tcenv-XXXXXX");
	assert_non_null(mkdtemp(tmp));
	char home[128], xdg[128], root[128];
	snprintf(home, sizeof home, "%s/home", tmp);
	snprintf(xdg, sizeof xdg, "%s/xdg", tmp);
	snprintf(root, sizeof root, "%s/goroot", tmp);
	write_file(home, ".config/go/env", "GOPROXY=from-home\nGOSUMDB=off\n");
	write_file(xdg, "go/env", "GOPROXY=direct\nGOFLAGS=-mod=vendor\n");
	write_file(root, "go.env", "GOTOOLCHAIN=auto\nGOPROXY=from-goroot\n");

	/* HOME's file; the process wins over it; an empty process value does not. */
	const char *kv1[] = { "GOSUMDB", "", "GOPRIVATE", "corp.example", NULL };
	struct fake_env f1 = { kv1 };
	struct tc_env e;
	tc_env_collect(&e, fake_getenv, &f1, home, root, "go1.22.5", tmp);
	assert_string_equal(var(&e, "GOPROXY")->value, "from-home");
	assert_int_equal(var(&e, "GOPROXY")->source, TC_ENV_FILE);
	assert_string_equal(var(&e, "GOSUMDB")->value, "off");
	assert_string_equal(var(&e, "GOPRIVATE")->value, "corp.example");
	assert_int_equal(var(&e, "GOPRIVATE")->source, TC_ENV_PROCESS);
	assert_string_equal(var(&e, "GONOSUMDB")->value, "corp.example"); /* GOPRIVATE is its default */
	assert_string_equal(var(&e, "GOTOOLCHAIN")->value, "auto");
	assert_int_equal(var(&e, "GOTOOLCHAIN")->source, TC_ENV_GOROOT_FILE);
	assert_int_equal(var(&e, "CGO_ENABLED")->source, TC_ENV_DEFAULT);
	assert_string_equal(var(&e, "GOROOT")->value, root);
	assert_true(has_finding(&e.findings, "env-gosumdb-off"));
	assert_true(has_finding(&e.findings, "env-gotoolchain-auto"));
	assert_false(has_finding(&e.findings, "env-goproxy-direct"));
	tc_env_free(&e);

	/* XDG_CONFIG_HOME comes before HOME: GOPROXY=direct without GOPRIVATE,
	 * -mod=vendor without vendor/. */
	const char *kv2[] = { "XDG_CONFIG_HOME", xdg, NULL };
	struct fake_env f2 = { kv2 };
	tc_env_collect(&e, fake_getenv, &f2, home, root, "go1.19.8", tmp);
	assert_string_equal(var(&e, "GOPROXY")->value, "direct");
	assert_string_equal(var(&e, "GOSUMDB")->value, "sum.golang.org");
	assert_true(has_finding(&e.findings, "env-goproxy-direct"));
	assert_true(has_finding(&e.findings, "env-vendor-missing"));
	/* Go 1.19 ignores GOTOOLCHAIN: a note, not a warning. */
	assert_int_equal(findings_worst(&e.findings), SEV_WARN);
	for (size_t i = 0; i < e.findings.count; i++)
		if (strcmp(e.findings.items[i].id, "env-gotoolchain-auto") == 0)
			assert_int_equal(e.findings.items[i].severity, SEV_OK);
	tc_env_free(&e);
	char vendor[160];
	snprintf(vendor, sizeof vendor, "%s/vendor", tmp);
	mkdir(vendor, 0755);
	tc_env_collect(&e, fake_getenv, &f2, home, root, "go1.19.8", tmp);
	assert_false(has_finding(&e.findings, "env-vendor-missing"));
	tc_env_free(&e);

	/* GOENV=off: no user file; GOROOT from the process points go.env elsewhere. */
	const char *kv3[] = { "GOENV", "off", "GOROOT", "/nonexistent", "GO111MODULE", "yes", NULL };
	struct fake_env f3 = { kv3 };
	tc_env_collect(&e, fake_getenv, &f3, home, root, "go1.22.5", tmp);
	assert_null(e.file);
	assert_string_equal(var(&e, "GOPROXY")->value, "https://proxy.golang.org,direct");
	assert_string_equal(var(&e, "GOTOOLCHAIN")->value, "local");
	assert_true(has_finding(&e.findings, "env-goroot-mismatch"));
	assert_true(has_finding(&e.findings, "env-go111module-invalid"));
	assert_int_equal(findings_worst(&e.findings), SEV_FAIL);
	tc_env_free(&e);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", tmp);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_envfile_last_wins_and_skips_comments),
		cmocka_unit_test(test_sums_sha256sum_formats),
		cmocka_unit_test(test_sums_go_dev_json),
		cmocka_unit_test(test_release_names),
		cmocka_unit_test(test_env_precedence),
	};
	return cmocka_run_group_tests(tests, watchdog_on, NULL);
}
