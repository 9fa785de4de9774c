/* The needs model (needs.c): kind classification, version_compare, the
 * highest glibc version and the symbols behind it, and the JSON reporter's
 * view of them. The reader's output (struct elf_file) is built by hand
 * here: what is tested is the model, not the parsing. */
#include "test_common.h"

#include <elf.h>
#include <jansson.h>
#include <string.h>

#include "elf/elf.h"
#include "model/needs.h"
#include "report/needs_report.h"

static void file_with_dyn(struct elf_file *ef, uint16_t type, const char *interp, struct elf_dyn *dyn, size_t ndyn)
{
	memset(ef, 0, sizeof *ef);
	ef->bits = 64;
	ef->type = type;
	ef->machine = EM_X86_64;
	ef->interp = interp;
	ef->dyn = dyn;
	ef->ndyn = ndyn;
}

static enum binary_kind kind_of(uint16_t type, const char *interp, uint64_t flags_1, bool soname)
{
	/* Offset 0 of an empty dynstr is not a string, so SONAME resolves to
	 * "" here: only its presence matters to the kind. */
	struct elf_dyn dyn[2];
	size_t n = 0;
	if (flags_1)
		dyn[n++] = (struct elf_dyn){ DT_FLAGS_1, flags_1 };
	if (soname)
		dyn[n++] = (struct elf_dyn){ DT_SONAME, 0 };
	struct elf_file ef;
	file_with_dyn(&ef, type, interp, dyn, n);
	struct needs nd;
	needs_from_elf(&ef, &nd);
	enum binary_kind k = nd.kind;
	needs_free(&nd);
	return k;
}

static void test_kinds(void **state)
{
	(void)state;
	const char *ld = "/lib64/ld-linux-x86-64.so.2";
	assert_int_equal(kind_of(ET_EXEC, NULL, 0, false), KIND_STATIC);
	assert_int_equal(kind_of(ET_EXEC, ld, 0, false), KIND_DYNAMIC_NON_PIE);
	assert_int_equal(kind_of(ET_DYN, ld, DF_1_PIE | DF_1_NOW, false), KIND_DYNAMIC_PIE);
	assert_int_equal(kind_of(ET_DYN, NULL, DF_1_PIE, false), KIND_STATIC_PIE);
	/* PIE from a linker that predates DF_1_PIE. */
	assert_int_equal(kind_of(ET_DYN, ld, 0, false), KIND_DYNAMIC_PIE);
	assert_int_equal(kind_of(ET_DYN, ld, DF_1_NOW, false), KIND_DYNAMIC_PIE);
	/* libc.so.6: an interpreter and a SONAME, runnable yet a library. */
	assert_int_equal(kind_of(ET_DYN, ld, 0, true), KIND_SHARED_LIBRARY);
	assert_int_equal(kind_of(ET_DYN, ld, DF_1_PIE, true), KIND_DYNAMIC_PIE);
	assert_int_equal(kind_of(ET_DYN, NULL, 0, false), KIND_SHARED_LIBRARY);
	assert_int_equal(kind_of(ET_DYN, NULL, 0, true), KIND_SHARED_LIBRARY);
	assert_int_equal(kind_of(ET_REL, NULL, 0, false), KIND_RELOCATABLE);
	assert_int_equal(kind_of(ET_CORE, NULL, 0, false), KIND_CORE);
	assert_int_equal(kind_of(ET_NONE, NULL, 0, false), KIND_UNKNOWN);
	assert_int_equal(kind_of(0xfe00, ld, DF_1_PIE, false), KIND_UNKNOWN);
}

static void test_kind_names(void **state)
{
	(void)state;
	static const struct { enum binary_kind k; const char *name, *phrase; } table[] = {
		{ KIND_STATIC, "static", "static executable" },
		{ KIND_STATIC_PIE, "static-pie", "static-pie executable" },
		{ KIND_DYNAMIC_PIE, "dynamic-pie", "dynamic PIE executable" },
		{ KIND_DYNAMIC_NON_PIE, "dynamic-non-pie", "dynamic non-PIE executable" },
		{ KIND_SHARED_LIBRARY, "shared-library", "shared library" },
		{ KIND_RELOCATABLE, "relocatable", "relocatable object" },
		{ KIND_CORE, "core", "core dump" },
		{ KIND_UNKNOWN, "unknown", "unknown ELF type" },
	};
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
		assert_string_equal(binary_kind_name(table[i].k), table[i].name);
		assert_string_equal(binary_kind_phrase(table[i].k), table[i].phrase);
	}
}

static int sign(int x)
{
	return (x > 0) - (x < 0);
}

static void test_version_compare(void **state)
{
	(void)state;
	static const struct { const char *a, *b; int want; } cases[] = {
		{ "2.34", "2.34", 0 },
		{ "2.3.4", "2.34", -1 },
		{ "2.34", "2.3.4", 1 },
		{ "2.9", "2.10", -1 }, /* numeric, not lexical */
		{ "2.10", "2.9", 1 },
		{ "2.2.5", "2.2", 1 },
		{ "2.2", "2.2.5", -1 },
		{ "2.2.5", "2.3", -1 },
		{ "2", "2.0", 0 },
		{ "1.0", "1", 0 },
		{ "10", "9", 1 },
		{ "", "", 0 },
		{ "", "1", -1 },
		{ "2.36", "2.35.99", 1 },
		{ "3.2.0", "2.6.32", 1 },
		{ "2.4", "2.04", 0 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int got = sign(version_compare(cases[i].a, cases[i].b));
		if (got != cases[i].want)
			fail_msg("version_compare(\"%s\", \"%s\") = %d, want %d", cases[i].a, cases[i].b, got,
				 cases[i].want);
	}
	/* Non-numeric parts give some total order and, above all, terminate. */
	assert_int_equal(sign(version_compare("PRIVATE", "PRIVATE")), 0);
	assert_int_equal(sign(version_compare("a", "b")), -sign(version_compare("b", "a")));
	assert_int_equal(sign(version_compare("1x", "1y")), -sign(version_compare("1y", "1x")));
	(void)version_compare("1..2", "1.2");
	(void)version_compare("x.1", "1.x");
}

/* A reader's view of a program that needs versions from three files. */
struct versioned {
	struct elf_vernaux libc[6], libm[1], pthread[1];
	struct elf_verneed vn[3];
	struct elf_sym syms[9];
	struct elf_file ef;
};

static void make_versioned(struct versioned *v, bool with_relr)
{
	memset(v, 0, sizeof *v);
	v->libc[0] = (struct elf_vernaux){ "GLIBC_2.2.5", 0, 0, 2 };
	v->libc[1] = (struct elf_vernaux){ "GLIBC_2.34", 0, 0, 3 };
	v->libc[2] = (struct elf_vernaux){ "GLIBC_2.3.4", 0, 0, 4 };
	v->libc[3] = (struct elf_vernaux){ "GLIBC_PRIVATE", 0, 0, 5 };
	v->libc[4] = (struct elf_vernaux){ "GLIBC_2.10", 0, VER_FLG_WEAK, 9 };
	v->libc[5] = (struct elf_vernaux){ "GLIBC_ABI_DT_RELR", 0, 0, 10 };
	v->libm[0] = (struct elf_vernaux){ "GLIBC_2.29", 0, 0, 6 };
	v->pthread[0] = (struct elf_vernaux){ "GLIBC_2.34", 0, 0, 7 };
	v->vn[0] = (struct elf_verneed){ "libc.so.6", v->libc, with_relr ? 6 : 5 };
	v->vn[1] = (struct elf_verneed){ "libm.so.6", v->libm, 1 };
	v->vn[2] = (struct elf_verneed){ "libpthread.so.0", v->pthread, 1 };
	const struct { const char *name; uint16_t shndx, versym; } s[9] = {
		{ "", SHN_UNDEF, 0 },
		{ "puts", SHN_UNDEF, 2 },
		{ "__libc_start_main", SHN_UNDEF, 3 },
		{ "__memcpy_chk", SHN_UNDEF, 4 },
		{ "_dl_private", SHN_UNDEF, 5 },
		{ "exp", SHN_UNDEF, 6 },
		{ "pthread_create", SHN_UNDEF, 0x8007 }, /* hidden bit set */
		{ "defined_here", 14, 3 },                /* a definition, not a need */
		{ "old_thing", SHN_UNDEF, 9 },
	};
	for (size_t i = 0; i < 9; i++) {
		v->syms[i].name = s[i].name;
		v->syms[i].shndx = s[i].shndx;
		v->syms[i].versym = s[i].versym;
	}
	struct elf_file *ef = &v->ef;
	ef->bits = 64;
	ef->type = ET_DYN;
	ef->machine = EM_X86_64;
	ef->interp = "/lib64/ld-linux-x86-64.so.2";
	ef->verneeds = v->vn;
	ef->nverneeds = 3;
	ef->dynsyms = v->syms;
	ef->ndynsyms = 9;
}

static void test_max_glibc(void **state)
{
	(void)state;
	struct versioned v;
	make_versioned(&v, false);
	struct needs n;
	needs_from_elf(&v.ef, &n);
	assert_string_equal(n.max_glibc, "2.34");
	assert_int_equal(n.nmax_glibc_symbols, 2);
	assert_string_equal(n.max_glibc_symbols[0], "__libc_start_main");
	assert_string_equal(n.max_glibc_symbols[1], "pthread_create");

	assert_int_equal(n.nversion_needs, 3);
	assert_string_equal(n.version_needs[0].file, "libc.so.6");
	assert_int_equal(n.version_needs[0].nversions, 5);
	const struct version_need *libc = n.version_needs[0].versions;
	assert_string_equal(libc[0].name, "GLIBC_2.2.5");
	assert_int_equal(libc[0].nsymbols, 1);
	assert_string_equal(libc[0].symbols[0], "puts");
	assert_false(libc[0].weak);
	assert_int_equal(libc[1].nsymbols, 1); /* not defined_here */
	assert_string_equal(libc[3].name, "GLIBC_PRIVATE");
	assert_string_equal(libc[3].symbols[0], "_dl_private");
	assert_true(libc[4].weak);
	assert_string_equal(libc[4].symbols[0], "old_thing");
	assert_string_equal(n.version_needs[2].versions[0].symbols[0], "pthread_create");
	needs_free(&n);
}

/* GLIBC_ABI_DT_RELR has no symbols but needs a 2.36 loader. */
static void test_max_glibc_dt_relr(void **state)
{
	(void)state;
	struct versioned v;
	make_versioned(&v, true);
	struct needs n;
	needs_from_elf(&v.ef, &n);
	assert_string_equal(n.max_glibc, "2.36");
	assert_int_equal(n.nmax_glibc_symbols, 0);
	needs_free(&n);
}

/* GLIBC_2.10 beats GLIBC_2.9 (and so does a numeric compare, not strcmp). */
static void test_max_glibc_numeric(void **state)
{
	(void)state;
	struct elf_vernaux aux[3] = {
		{ "GLIBC_2.9", 0, 0, 2 }, { "GLIBC_2.10", 0, 0, 3 }, { "GLIBC_2.2.5", 0, 0, 4 },
	};
	struct elf_verneed vn = { "libc.so.6", aux, 3 };
	struct elf_sym syms[3] = { { .name = "" }, { .name = "a", .versym = 3 }, { .name = "b", .versym = 2 } };
	struct elf_file ef;
	file_with_dyn(&ef, ET_DYN, "/lib/ld.so", NULL, 0);
	ef.verneeds = &vn;
	ef.nverneeds = 1;
	ef.dynsyms = syms;
	ef.ndynsyms = 3;
	struct needs n;
	needs_from_elf(&ef, &n);
	assert_string_equal(n.max_glibc, "2.10");
	assert_int_equal(n.nmax_glibc_symbols, 1);
	assert_string_equal(n.max_glibc_symbols[0], "a");
	needs_free(&n);

	/* Not glibc's: no maximum. */
	aux[0].name = "GCC_3.0";
	aux[1].name = "GLIBCXX_3.4.29";
	aux[2].name = "GLIBC_";
	needs_from_elf(&ef, &n);
	assert_string_equal(n.max_glibc, "");
	assert_int_equal(n.nmax_glibc_symbols, 0);
	needs_free(&n);
}

static void test_flags_and_stack(void **state)
{
	(void)state;
	struct elf_dyn dyn[] = { { DT_FLAGS, DF_BIND_NOW } };
	struct elf_phdr stack = { PT_GNU_STACK, PF_R | PF_W | PF_X, 0, 0, 0, 0, 0, 16 };
	struct elf_file ef;
	struct needs n;
	file_with_dyn(&ef, ET_EXEC, NULL, dyn, 1);
	ef.phdrs = &stack;
	ef.nphdrs = 1;
	needs_from_elf(&ef, &n);
	assert_true(n.bind_now);
	assert_false(n.nodeflib);
	assert_int_equal(n.exec_stack, TRI_YES);
	needs_free(&n);

	dyn[0] = (struct elf_dyn){ DT_BIND_NOW, 0 };
	stack.flags = PF_R | PF_W;
	needs_from_elf(&ef, &n);
	assert_true(n.bind_now);
	assert_int_equal(n.exec_stack, TRI_NO);
	needs_free(&n);

	dyn[0] = (struct elf_dyn){ DT_FLAGS, DF_ORIGIN };
	ef.type = ET_CORE;
	needs_from_elf(&ef, &n);
	assert_false(n.bind_now);
	assert_int_equal(n.exec_stack, TRI_UNKNOWN);
	needs_free(&n);
}

static void test_isa_levels(void **state)
{
	(void)state;
	static const struct { uint32_t bits; unsigned level; } cases[] = {
		{ 0, 0 }, { 1, 1 }, { 3, 2 }, { 2, 2 }, { 7, 3 }, { 0xf, 4 }, { 8, 4 }, { 0xfffffff0, 0 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct elf_file ef;
		file_with_dyn(&ef, ET_EXEC, NULL, NULL, 0);
		ef.notes.has_x86_isa_needed = true;
		ef.notes.x86_isa_needed = cases[i].bits;
		struct needs n;
		needs_from_elf(&ef, &n);
		if (n.x86_isa_needed != cases[i].level)
			fail_msg("ISA bits %#x: level %u, want %u", cases[i].bits, n.x86_isa_needed, cases[i].level);
		needs_free(&n);
	}
	assert_string_equal(x86_isa_level_name(3), "x86-64-v3");
	assert_null(x86_isa_level_name(0));
	assert_null(x86_isa_level_name(5));
}

static const char *jstr(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	assert_non_null(v);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

static void test_json(void **state)
{
	(void)state;
	struct versioned v;
	make_versioned(&v, false);
	static const char strtab[] = "\0libc.so.6\0/a:/b\0";
	struct elf_dyn dyn[] = { { DT_NEEDED, 1 }, { DT_RUNPATH, 11 } };
	v.ef.dyn = dyn;
	v.ef.ndyn = 2;
	v.ef.dynstr = (struct byte_view){ (const unsigned char *)strtab, sizeof strtab, false };
	struct needs n;
	needs_from_elf(&v.ef, &n);
	json_t *o = needs_to_json("/x/prog", &v.ef, &n);
	assert_string_equal(jstr(o, "path"), "/x/prog");
	assert_int_equal(json_integer_value(json_object_get(o, "class")), 64);
	assert_string_equal(jstr(o, "endian"), "little");
	assert_string_equal(jstr(o, "machine"), "x86_64");
	assert_string_equal(jstr(o, "type"), "DYN");
	assert_string_equal(jstr(o, "kind"), "dynamic-pie");
	assert_string_equal(jstr(o, "interpreter"), "/lib64/ld-linux-x86-64.so.2");
	assert_string_equal(jstr(o, "max_glibc"), "2.34");
	assert_null(jstr(o, "soname"));
	assert_null(jstr(o, "min_kernel"));
	assert_null(jstr(o, "go_version"));
	json_t *needed = json_object_get(o, "needed");
	assert_int_equal(json_array_size(needed), 1);
	assert_string_equal(json_string_value(json_array_get(needed, 0)), "libc.so.6");
	json_t *runpath = json_object_get(o, "runpath");
	assert_int_equal(json_array_size(runpath), 2);
	assert_string_equal(json_string_value(json_array_get(runpath, 1)), "/b");
	json_t *vn = json_object_get(o, "version_needs");
	assert_int_equal(json_array_size(vn), 3);
	json_t *libc0 = json_array_get(json_object_get(json_array_get(vn, 0), "versions"), 4);
	assert_string_equal(jstr(libc0, "name"), "GLIBC_2.10");
	assert_true(json_is_true(json_object_get(libc0, "weak")));
	assert_int_equal(json_array_size(json_object_get(o, "max_glibc_symbols")), 2);
	assert_int_equal(json_array_size(json_object_get(o, "warnings")), 0);
	assert_true(json_is_true(json_object_get(o, "exec_stack"))); /* no PT_GNU_STACK */
	json_decref(o);
	needs_free(&n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		ONE(test_kinds),
		ONE(test_kind_names),
		ONE(test_version_compare),
		ONE(test_max_glibc),
		ONE(test_max_glibc_dt_relr),
		ONE(test_max_glibc_numeric),
		ONE(test_flags_and_stack),
		ONE(test_isa_levels),
		ONE(test_json),
	};
	return cmocka_run_group_tests_name("needs", tests, NULL, NULL);
}
