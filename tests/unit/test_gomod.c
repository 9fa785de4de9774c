/* The go.mod, go.sum and vendor/modules.txt readers (src/gomod) on
 * synthesized text, hostile input included, and the vendor consistency
 * check's lines in Go 1.19's words. */
#include "test_common.h"

#include <stdlib.h>
#include <string.h>

#include "gomod/gomod.h"

static int parse(const char *text, struct gomod *g)
{
	return gomod_parse(text, strlen(text), g);
}

static void test_gomod_full(void **state)
{
	(void)state;
	struct gomod g;
	assert_int_equal(parse("// comment\nmodule \"example.com/app\"\n\ngo 1.19\ntoolchain go1.21.0\n"
			       "require (\n\texample.com/a v1.0.0 // indirect\n\texample.com/b v0.2.0 // indirect; why\n"
			       "\texample.com/c v1.0.0 // not indirect\n)\nrequire example.com/d v2.0.0+incompatible\n"
			       "replace example.com/a => ../a\nreplace example.com/b v0.2.0 => example.com/b2 v0.3.0\n"
			       "exclude example.com/x v1.0.0\nretract [v1.0.0, v1.1.0]\nretract v0.9.0\n",
			       &g),
			 0);
	assert_string_equal(g.module, "example.com/app");
	assert_string_equal(g.go, "1.19");
	assert_string_equal(g.toolchain, "go1.21.0");
	assert_int_equal(g.nreq, 4);
	assert_true(g.req[0].indirect);
	assert_true(g.req[1].indirect);
	assert_false(g.req[2].indirect);
	assert_string_equal(g.req[3].version, "v2.0.0+incompatible");
	assert_int_equal(g.nrep, 2);
	assert_null(g.rep[0].old_version);
	assert_null(g.rep[0].new_version);
	assert_string_equal(g.rep[1].new_version, "v0.3.0");
	assert_int_equal(g.nexcl, 1);
	assert_int_equal(g.nretract, 2);
	gomod_free(&g);
}

static void test_gomod_hostile(void **state)
{
	(void)state;
	struct gomod g;
	assert_int_equal(parse("module \"example.com/app\n", &g), -1);
	assert_string_equal(g.error, "unexpected newline in string");
	assert_int_equal(g.error_line, 1);
	gomod_free(&g);
	assert_int_equal(parse("module m\nrequire (\n\texample.com/a\n)\n", &g), -1);
	assert_string_equal(g.error, "usage: require module/path v1.2.3");
	assert_int_equal(g.error_line, 3);
	gomod_free(&g);
	assert_int_equal(parse("module m\nrequire (\n", &g), -1);
	assert_string_equal(g.error, "unexpected EOF");
	gomod_free(&g);
	assert_int_equal(parse("replace a => \n", &g), -1);
	gomod_free(&g);
	assert_int_equal(parse("require a b c d e f g h i j k\n", &g), -1);
	assert_string_equal(g.error, "too many fields");
	gomod_free(&g);
	assert_int_equal(parse("godebug x=1\n", &g), 0);
	assert_string_equal(g.unknown_directive, "godebug");
	gomod_free(&g);
	/* a 4 MiB line without a newline or NUL at its end */
	size_t n = 4u << 20;
	char *big = malloc(n);
	memset(big, 'a', n);
	memcpy(big, "module ", 7);
	assert_int_equal(gomod_parse(big, n, &g), 0);
	assert_int_equal(strlen(g.module), n - 7);
	gomod_free(&g);
	big[n - 1] = '"';
	assert_int_equal(gomod_parse(big, n, &g), -1);
	gomod_free(&g);
	free(big);
	assert_int_equal(gomod_parse("", 0, &g), 0);
	assert_null(g.module);
	gomod_free(&g);
}

static void test_versions(void **state)
{
	(void)state;
	assert_true(go_version_two_part("1.19"));
	assert_false(go_version_two_part("1.21.0"));
	assert_false(go_version_two_part("01.2"));
	assert_false(go_version_two_part("1."));
	assert_true(go_version_cmp("1.99", "1.19.8") > 0);
	assert_true(go_version_cmp("1.19", "1.19.8") < 0);
	assert_true(go_version_cmp("go1.21.1", "1.21") > 0);
	assert_int_equal(go_version_cmp("1.14", "1.14"), 0);
	unsigned v[3];
	assert_int_equal(go_version_parse("1.21rc1", v), 0);
	assert_int_equal(go_version_parse("1.x", v), -1);
	assert_int_equal(go_version_parse("99999999999.1", v), -1);
}

static void test_gosum(void **state)
{
	(void)state;
	struct gosum s;
	const char *t = "example.com/a v1.0.0 h1:AAA=\nexample.com/a v1.0.0/go.mod h1:BBB=\n\n"
			"example.com/b v1.0.0/go.mod h1:CCC=\nbroken line\n";
	gosum_parse(t, strlen(t), &s);
	assert_true(gosum_has(&s, "example.com/a", "v1.0.0", false));
	assert_true(gosum_has(&s, "example.com/a", "v1.0.0", true));
	assert_false(gosum_has(&s, "example.com/b", "v1.0.0", false));
	assert_true(gosum_has(&s, "example.com/b", "v1.0.0", true));
	assert_false(gosum_has(&s, "example.com/a", "v1.0", false));
	assert_int_equal(s.bad_line, 5);
	gosum_free(&s);
}

static void test_vendor(void **state)
{
	(void)state;
	const char *mt = "# example.com/lib v1.0.0 => ../lib\n## explicit; go 1.16\nexample.com/lib\nexample.com/lib/sub\n"
			 "# example.com/lib => ../lib\n# junk line\nstray/pkg\n#\n## explicit\n";
	struct vendor_list v;
	vendor_parse(mt, strlen(mt), &v);
	assert_int_equal(v.count, 2);
	assert_true(v.mods[0].explicit_);
	assert_string_equal(v.mods[0].go, "1.16");
	assert_string_equal(v.mods[0].repl_path, "../lib");
	assert_int_equal(v.mods[0].npkgs, 2);
	assert_null(v.mods[1].version);

	struct gomod g;
	assert_int_equal(parse("module m\ngo 1.19\nrequire example.com/lib v1.0.0\nreplace example.com/lib => ../lib\n", &g), 0);
	char *out = NULL;
	assert_int_equal(vendor_check(&g, &v, &out), 0);
	free(out);
	gomod_free(&g);

	assert_int_equal(parse("module m\ngo 1.19\nrequire example.com/lib v1.1.0\nreplace example.com/lib => ../lib2\n", &g), 0);
	/* both vendor lines of the module are replaced otherwise, as in Go */
	assert_int_equal(vendor_check(&g, &v, &out), 5);
	assert_non_null(strstr(out, "\n\texample.com/lib@v1.1.0: is explicitly required in go.mod, but not marked as explicit in vendor/modules.txt"));
	assert_non_null(strstr(out, "\n\texample.com/lib: is replaced by ../lib2 in go.mod, but marked as replaced by ../lib in vendor/modules.txt"));
	assert_non_null(strstr(out, "\n\texample.com/lib@v1.0.0: is marked as explicit in vendor/modules.txt, but not explicitly required in go.mod"));
	free(out);
	gomod_free(&g);

	/* vendored at the required version, but without "## explicit" */
	const char *noexp = "# example.com/lib v1.0.0\nexample.com/lib\n";
	struct vendor_list ne;
	vendor_parse(noexp, strlen(noexp), &ne);
	assert_int_equal(parse("module m\ngo 1.19\nrequire example.com/lib v1.0.0\n", &g), 0);
	assert_int_equal(vendor_check(&g, &ne, &out), 1);
	assert_string_equal(out, "\n\texample.com/lib@v1.0.0: is explicitly required in go.mod, but not marked as explicit "
				 "in vendor/modules.txt");
	free(out);
	gomod_free(&g);
	vendor_free(&ne);

	/* before go 1.14 a missing "## explicit" is no error */
	assert_int_equal(parse("module m\ngo 1.13\nrequire example.com/lib v1.0.0\n", &g), 0);
	struct vendor_list empty = { 0 };
	assert_int_equal(vendor_check(&g, &empty, &out), 0);
	free(out);
	gomod_free(&g);
	vendor_free(&v);

	/* hostile: no newline at the end, fields beyond the limit */
	const char *h = "# a v1.0.0 => b v1.0.0 c d e f g h i j\n## explicit;;;; go \npkg";
	vendor_parse(h, strlen(h), &v);
	assert_int_equal(v.count, 1);
	assert_null(v.mods[0].repl_path);
	assert_int_equal(v.mods[0].npkgs, 1);
	vendor_free(&v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gomod_full), cmocka_unit_test(test_gomod_hostile), cmocka_unit_test(test_versions),
		cmocka_unit_test(test_gosum),      cmocka_unit_test(test_vendor),
	};
	return cmocka_run_group_tests_name("gomod", tests, NULL, NULL);
}
