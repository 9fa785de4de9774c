/* json_write_indented must write exactly what jansson's json_dumps with
 * JSON_INDENT(2) writes, nested at any depth: the per-file commands stream
 * their documents with it, and their output must not change by a byte. */
#include "test_common.h"

#include <stdlib.h>
#include <string.h>

#include "util/json.h"

/* jansson's text of {"x": [.. v ..]} at the depth where v sits, cut out. */
static void expect_same(json_t *v)
{
	char *ours = json_write_indented(v, 0);
	char *theirs = json_dumps(v, JSON_INDENT(2) | JSON_ENCODE_ANY);
	assert_non_null(ours);
	assert_non_null(theirs);
	assert_string_equal(ours, theirs);
	free(ours);
	free(theirs);

	/* Two levels down, as a "files" element. */
	json_t *doc = json_pack("{s:[O]}", "files", v);
	char *whole = json_dumps(doc, JSON_INDENT(2));
	char *element = json_write_indented(v, 2);
	char *built = malloc(strlen(element) + 64);
	sprintf(built, "{\n  \"files\": [\n    %s\n  ]\n}", element);
	assert_string_equal(built, whole);
	free(whole);
	free(element);
	free(built);
	json_decref(doc);
}

static void test_scalars(void **state)
{
	(void)state;
	json_t *values[] = { json_null(), json_true(), json_false(), json_integer(0), json_integer(-42),
			     json_integer(INT64_MAX), json_integer(INT64_MIN), json_real(1.5), json_real(-0.0), json_real(1e300),
			     json_string(""), json_string("plain/path with spaces") };
	for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
		expect_same(values[i]);
		json_decref(values[i]);
	}
}

static void test_escapes(void **state)
{
	(void)state;
	/* Every control character, the quote, the backslash, DEL, '/', and
	 * multi-byte UTF-8 (U+00E9, U+2028, U+FFFD, U+1F600). */
	char s[64];
	size_t n = 0;
	for (int c = 1; c < 0x20; c++)
		s[n++] = (char)c;
	s[n] = '\0';
	json_t *v = json_pack("[s, s, s, s]", s, "q\"b\\s/d\x7f", "\xc3\xa9\xe2\x80\xa8\xef\xbf\xbd\xf0\x9f\x98\x80",
			      "end");
	assert_non_null(v);
	expect_same(v);
	json_decref(v);
	/* An embedded NUL, which jansson's length-aware strings keep. */
	json_t *nul = json_stringn("a\0b", 3);
	expect_same(nul);
	json_decref(nul);
}

static void test_nesting(void **state)
{
	(void)state;
	json_t *v = json_pack("{s:{}, s:[], s:[{}, [], [i, [i, {s:n}]]], s:{s:{s:[s]}}, s:b}", "empty_object",
			      "empty_array", "mixed", 1, 2, "a", "deep", "b", "c", "d", "last", 1);
	assert_non_null(v);
	expect_same(v);
	/* Keys in insertion order, including ones that need escaping. */
	json_object_set_new(v, "z\"key\n", json_integer(1));
	json_object_set_new(v, "a", json_integer(2));
	expect_same(v);
	json_decref(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scalars),
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_nesting),
	};
	return cmocka_run_group_tests_name("json_write", tests, NULL, NULL);
}
