/* Go's function table (go/pclntab.c) in real programs.
 *
 * CANRUN_GO_PCLNTAB_DIR holds Go programs built at test time by
 * go_pclntab/build.sh (Go 1.19, the go1.18 layout) for amd64 with and
 * without cgo, internally and externally linked, PIE, stripped, 386, arm64
 * and big-endian s390x, each with `go tool nm` and `go list -deps` output.
 * Every function name must match the symbol table, a stripped build its
 * unstripped twin, and a copy without section headers the original;
 * damaged copies must give a sane answer. */
#include "pclntab_testlib.h"

#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "go/analysis.h"
#include "model/needs.h"
#include "util/xalloc.h"

struct variant {
	const char *name;
	const char *twin; /* the unstripped build of the same source and flags */
	bool external;    /* linked by the system linker: the symbol table adds C functions */
	unsigned ptr_size, quantum;
	bool big_endian;
	bool uses_net; /* imports net, os/user, crypto/x509 */
	bool cgo;
};

static const struct variant variants[] = {
	{ "net-cgo", NULL, false, 8, 1, false, true, true },
	{ "net-cgo-sw", "net-cgo", false, 8, 1, false, true, true },
	{ "net-ext", NULL, true, 8, 1, false, true, true },
	{ "net-pie", NULL, false, 8, 1, false, true, true },
	{ "net-nocgo", NULL, false, 8, 1, false, true, false },
	{ "net-386", NULL, false, 4, 1, false, true, false },
	{ "net-arm64", NULL, false, 8, 4, false, true, false },
	{ "net-s390x", NULL, false, 8, 2, true, true, false },
	{ "plain", NULL, false, 8, 1, false, false, false },
	{ "plain-sw", "plain", false, 8, 1, false, false, false },
};

static const char *fixture_dir(void)
{
	const char *dir = getenv("CANRUN_GO_PCLNTAB_DIR");
	return dir && dir[0] ? dir : NULL;
}

static char *fixture_path(const char *name, const char *suffix)
{
	char *path = xmalloc(strlen(fixture_dir()) + strlen(name) + strlen(suffix) + 2);
	sprintf(path, "%s/%s%s", fixture_dir(), name, suffix);
	return path;
}

/* A symbol name as the function table holds it: the symbol table marks
 * ABI0 bodies that have wrappers with ".abi0", writes '·' as '.', and go1.19
 * shortens type arguments to "[...]" in the function table only. */
static char *normalize(const char *name)
{
	size_t n = strlen(name);
	char *out = xmalloc(n + 6), *o = out;
	const char *open = strchr(name, '['), *close = strrchr(name, ']');
	for (const char *p = name; *p;) {
		if (p == open && close > open) {
			memcpy(o, "[...]", 5);
			o += 5;
			p = close + 1;
		} else if ((unsigned char)p[0] == 0xc2 && (unsigned char)p[1] == 0xb7) {
			*o++ = '.';
			p += 2;
		} else {
			*o++ = *p++;
		}
	}
	*o = '\0';
	size_t len = (size_t)(o - out);
	if (len > 5 && strcmp(out + len - 5, ".abi0") == 0)
		out[len - 5] = '\0';
	return out;
}

/* Every line of a file, without its newline. */
static void slurp_lines(const char *path, struct strs *out)
{
	FILE *f = fopen(path, "r");
	if (!f)
		fail_msg("cannot read %s", path);
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	while ((len = getline(&line, &cap, f)) > 0) {
		if (line[len - 1] == '\n')
			line[--len] = '\0';
		strs_push(out, xstrdup(line));
	}
	free(line);
	fclose(f);
}

/* The text symbols of `go tool nm` output, normalized; *raw counts the
 * functions (one per symbol, so ABI0 bodies and their wrappers twice). The
 * linker's text markers and host objects' section symbols ("net(.text)")
 * have no table entry. */
static void read_nm(const char *path, struct strs *out, size_t *raw)
{
	struct strs lines = { 0 };
	slurp_lines(path, &lines);
	*raw = 0;
	for (size_t i = 0; i < lines.n; i++) {
		/* "%8x %c %s": address, type, name (which may hold spaces). */
		char *p = lines.v[i] + strspn(lines.v[i], " ");
		p += strspn(p, "0123456789abcdef");
		if (p[0] != ' ' || (p[1] != 'T' && p[1] != 't') || p[2] != ' ')
			continue;
		const char *name = p + 3;
		if (strcmp(name, "runtime.text") == 0 || strcmp(name, "runtime.etext") == 0 || strstr(name, "(.text"))
			continue;
		(*raw)++;
		strs_push(out, normalize(name));
	}
	strs_free(&lines);
	strs_sort_unique(out);
}

static void read_lines(const char *path, struct strs *out)
{
	slurp_lines(path, out);
	strs_sort_unique(out);
}

/* nfunc from the header of the table in the section, to compare the raw
 * count of functions (names repeat) with the symbol table's. */
static uint64_t header_nfunc(const struct elf_file *ef, const struct go_functab *t)
{
	const struct elf_shdr *s = elf_section_by_name(ef, ".gopclntab");
	if (!s)
		s = elf_section_by_name(ef, ".data.rel.ro.gopclntab");
	assert_non_null(s);
	struct byte_view v = bv_sub(&ef->view, s->offset, s->size);
	v.big_endian = t->big_endian;
	uint64_t n = 0;
	assert_true(bv_word(&v, 8, t->ptr_size, &n));
	return n;
}

/* The names point into the file, which these readers close: copies. */
static void keep_names(struct go_functab *t)
{
	for (size_t i = 0; i < t->nfuncs; i++)
		t->funcs[i] = xstrdup(t->funcs[i]);
}

static void free_kept(struct go_functab *t)
{
	for (size_t i = 0; i < t->nfuncs; i++)
		free((char *)t->funcs[i]);
	go_functab_free(t);
}

static void read_variant(const char *name, struct go_functab *t, uint64_t *nfunc)
{
	char *path = fixture_path(name, "");
	struct elf_file ef;
	struct cr_err err;
	if (elf_open(&ef, path, &err) != 0)
		fail_msg("%s: cannot open", path);
	assert_true(go_functab_read(&ef, t));
	keep_names(t);
	if (nfunc)
		*nfunc = header_nfunc(&ef, t);
	elf_close(&ef);
	free(path);
}

/* The same file with e_shoff, e_shnum and e_shstrndx zeroed: the table is
 * then found by scanning the loaded segments. */
static void read_without_sections(const char *name, struct go_functab *t)
{
	char *path = fixture_path(name, "");
	size_t size;
	unsigned char *data = read_whole(path, &size);
	assert_non_null(data);
	assert_true(size > 64);
	bool is64 = data[EI_CLASS] == ELFCLASS64;
	memset(data + (is64 ? 0x28 : 0x20), 0, is64 ? 8 : 4);
	memset(data + (is64 ? 0x3c : 0x30), 0, 4);
	struct elf_file ef;
	struct cr_err err;
	assert_int_equal(elf_parse_memory(&ef, data, size, &err), 0);
	assert_int_equal(ef.nshdrs, 0);
	assert_true(go_functab_read(&ef, t));
	keep_names(t);
	elf_close(&ef);
	free(data);
	free(path);
}

/* The file list of a variant: the packages it answers for are there
 * exactly when their functions are, "_cgo_gotypes.go" with cgo; and
 * go_analyze answers a program without cgo from it alone, as the names
 * would. */
static void check_file_list(const struct variant *v, const struct go_functab *names)
{
	char *path = fixture_path(v->name, "");
	struct elf_file ef;
	struct cr_err err;
	if (elf_open(&ef, path, &err) != 0)
		fail_msg("%s: cannot open", path);
	free(path);
	struct byte_view table;
	assert_true(go_pclntab_find(&ef, &table));
	struct go_filetab f;
	assert_true(go_filetab_read(table, &f));
	assert_string_equal(f.layout, "go1.18");
	assert_int_equal(f.std[GO_STD_NET], go_functab_has_package(names, "net"));
	assert_int_equal(f.std[GO_STD_OS_USER], go_functab_has_package(names, "os/user"));
	assert_int_equal(f.std[GO_STD_CRYPTO_X509], go_functab_has_package(names, "crypto/x509"));
	assert_int_equal(f.std[GO_STD_TIME_TZDATA], go_functab_has_package(names, "time/tzdata"));
	assert_int_equal(f.std[GO_STD_RUNTIME_CGO], v->cgo);
	assert_int_equal(f.cgo_code, v->cgo);

	struct needs n;
	needs_from_elf(&ef, &n);
	struct go_analysis quick, full;
	go_analyze(&ef, &n, 0, &quick);
	go_analyze(&ef, &n, GO_ANALYZE_PACKAGES, &full);
	assert_true(full.have_functab);
	/* Without cgo the names are not read. */
	assert_int_equal(quick.have_functab, v->cgo);
	assert_string_equal(quick.table_layout, full.table_layout);
	assert_int_equal(quick.cgo, full.cgo);
	assert_int_equal(quick.runtime_cgo, full.runtime_cgo);
	assert_int_equal(quick.resolver, full.resolver);
	assert_int_equal(quick.user_lookup, full.user_lookup);
	assert_int_equal(quick.x509, full.x509);
	assert_int_equal(quick.tzdata_embedded, full.tzdata_embedded);
	assert_int_equal(quick.plugin, full.plugin);
	assert_int_equal(quick.ncgo_packages, full.ncgo_packages);
	assert_int_equal(quick.start_trap.trap, full.start_trap.trap);
	go_analysis_free(&quick);
	go_analysis_free(&full);
	needs_free(&n);
	elf_close(&ef);
}

static void test_real_variant(void **state)
{
	const struct variant *v = *state;
	if (!fixture_dir()) {
		print_message("CANRUN_GO_PCLNTAB_DIR is not set: no Go programs to read\n");
		skip();
	}
	struct go_functab t;
	uint64_t nfunc;
	read_variant(v->name, &t, &nfunc);
	assert_int_equal(t.magic, MAGIC_118);
	assert_string_equal(t.layout, "go1.18");
	assert_int_equal(t.ptr_size, v->ptr_size);
	assert_int_equal(t.quantum, v->quantum);
	assert_int_equal(t.big_endian, v->big_endian);
	assert_true(t.nfuncs > 1000);
	assert_strictly_sorted(t.packages, t.npackages);

	/* Against the symbol table. */
	const char *oracle = v->twin ? v->twin : v->name;
	if (!v->twin) {
		struct strs nm = { 0 }, ours = { 0 };
		size_t raw;
		char *path = fixture_path(oracle, ".nm");
		read_nm(path, &nm, &raw);
		free(path);
		for (size_t i = 0; i < t.nfuncs; i++)
			strs_push(&ours, normalize(t.funcs[i]));
		strs_sort_unique(&ours);
		for (size_t i = 0; i < ours.n; i++)
			if (!strs_has(&nm, ours.v[i]))
				fail_msg("%s: \"%s\" is not in the symbol table", v->name, ours.v[i]);
		if (!v->external) {
			for (size_t i = 0; i < nm.n; i++)
				if (!strs_has(&ours, nm.v[i]))
					fail_msg("%s: \"%s\" is missing", v->name, nm.v[i]);
			assert_int_equal(ours.n, nm.n);
			assert_int_equal(nfunc, raw);
		}
		strs_free(&nm);
		strs_free(&ours);
	} else {
		struct go_functab twin;
		read_variant(v->twin, &twin, NULL);
		assert_same_list(t.funcs, t.nfuncs, twin.funcs, twin.nfuncs);
		assert_same_list((const char *const *)t.packages, t.npackages, (const char *const *)twin.packages, twin.npackages);
		free_kept(&twin);
	}

	check_file_list(v, &t);

	/* Without section headers. */
	struct go_functab bare;
	read_without_sections(v->name, &bare);
	assert_int_equal(bare.magic, t.magic);
	assert_int_equal(bare.ptr_size, t.ptr_size);
	assert_int_equal(bare.big_endian, t.big_endian);
	assert_same_list(bare.funcs, bare.nfuncs, t.funcs, t.nfuncs);
	assert_same_list((const char *const *)bare.packages, bare.npackages, (const char *const *)t.packages, t.npackages);
	free_kept(&bare);

	/* Packages: what the program imports, and nothing `go list -deps` does
	 * not know, but for main and runtime/debug, whose functions the runtime
	 * defines through go:linkname. */
	assert_int_equal(go_functab_has_package(&t, "net"), v->uses_net);
	assert_int_equal(go_functab_has_package(&t, "crypto/x509"), v->uses_net);
	assert_int_equal(go_functab_has_package(&t, "os/user"), v->uses_net);
	assert_int_equal(go_functab_has_package(&t, "vendor/golang.org/x/net/dns/dnsmessage"), v->uses_net);
	assert_int_equal(go_functab_has_package(&t, "runtime/cgo"), v->cgo);
	assert_true(go_functab_has_package(&t, "main"));
	assert_true(go_functab_has_package(&t, "runtime"));
	assert_false(go_functab_has_package(&t, "plugin"));
	struct strs deps = { 0 };
	char *path = fixture_path(oracle, ".deps");
	read_lines(path, &deps);
	free(path);
	for (size_t i = 0; i < t.npackages; i++) {
		const char *p = t.packages[i];
		if (!strs_has(&deps, p) && strcmp(p, "main") != 0 && strcmp(p, "runtime/debug") != 0)
			fail_msg("%s: package %s is not a dependency", v->name, p);
	}
	strs_free(&deps);
	/* Every function's package is listed, and every function is found. */
	char buf[4096];
	for (size_t i = 0; i < t.nfuncs; i++) {
		assert_true(go_functab_has_func(&t, t.funcs[i]));
		const char *p = go_func_package(t.funcs[i], buf, sizeof buf);
		if (p && !go_functab_has_package(&t, p))
			fail_msg("%s: %s's package %s is not listed", v->name, t.funcs[i], p);
	}

	/* Names of each kind. */
	assert_true(go_functab_has_func(&t, "main.main"));
	assert_true(go_functab_has_func(&t, "runtime.main"));
	assert_false(go_functab_has_func(&t, "main.missing"));
	if (v->uses_net) {
		assert_true(go_functab_has_func(&t, "main.main.func1"));
		assert_true(go_functab_has_func(&t, "main.Keys[...]"));
		assert_true(go_functab_has_func(&t, "main.(*List[...]).Push"));
		assert_true(go_functab_has_func(&t, "main.(*greeter).Greet-fm"));
		assert_true(go_functab_has_func(&t, "net.(*Resolver).LookupHost"));
	}
	if (v->uses_net && v->cgo) {
		assert_true(go_functab_has_func(&t, "crosscall2"));
		assert_true(go_functab_has_func(&t, "net._C2func_getaddrinfo"));
		assert_true(go_functab_has_func(&t, "os/user._Cfunc_mygetpwuid_r"));
	}
	free_kept(&t);
}

/* The file list of `plain`'s table (go1.18 layout, 64-bit, little-endian:
 * its offset and the pc tables' after it are header words 5 and 6) made
 * hostile: out of order, its last name unterminated, no runtime/proc.go.
 * Each is refused, and the names are still read. */
static bool file_list_of(const unsigned char *table, size_t size, struct go_filetab *f, bool *names)
{
	struct dimg d;
	embed(&d, &flavours[2], PF_R, table, size, 0, ".gopclntab");
	struct elf_file ef;
	struct cr_err err;
	assert_int_equal(di_parse(&d, &ef, &err), 0);
	struct byte_view view;
	bool found = go_pclntab_find(&ef, &view);
	bool ok = found && go_filetab_read(view, f);
	struct go_functab t;
	*names = found && go_functab_read_table(view, &t);
	if (*names)
		go_functab_free(&t);
	elf_close(&ef);
	di_free(&d);
	return ok;
}

static void damage_file_list(const unsigned char *table, size_t size)
{
	uint64_t filetab = get(table + 8 + 5 * 8, 8, false), pctab = get(table + 8 + 6 * 8, 8, false);
	assert_true(filetab < pctab && pctab <= size);
	unsigned char *copy = xmalloc(size);
	struct go_filetab f;
	bool names;
	memcpy(copy, table, size);
	assert_true(file_list_of(copy, size, &f, &names));
	assert_true(names);

	put(copy + 8 + 5 * 8, 8, pctab, false);
	put(copy + 8 + 6 * 8, 8, filetab, false);
	assert_false(file_list_of(copy, size, &f, &names));
	assert_true(names);

	memcpy(copy, table, size);
	memset(copy + pctab - 2, 'x', 2);
	assert_false(file_list_of(copy, size, &f, &names));
	assert_true(names);

	memcpy(copy, table, size);
	size_t renamed = 0;
	for (unsigned char *p = copy + filetab; (p = memmem(p, (size_t)(copy + pctab - p), "runtime/proc.go", 15));
	     p += 15, renamed++)
		p[12] = 'x';
	assert_true(renamed > 0);
	assert_false(file_list_of(copy, size, &f, &names));
	assert_false(f.cgo_code || f.std[GO_STD_NET] || f.layout);
	assert_true(names);
	free(copy);
}

/* The real table of `plain` cut at many lengths: through a section of that
 * size in a segment that is not scanned, and without sections at the end
 * of the file; then with an absurd nfunc and with names and records out of
 * range. A cut table is refused or, when the cut spares every name, read
 * whole. */
static void test_real_damaged(void **state)
{
	(void)state;
	if (!fixture_dir()) {
		print_message("CANRUN_GO_PCLNTAB_DIR is not set: no Go programs to read\n");
		skip();
	}
	char *path = fixture_path("plain", "");
	struct elf_file ef;
	struct cr_err err;
	assert_int_equal(elf_open(&ef, path, &err), 0);
	free(path);
	const struct elf_shdr *s = elf_section_by_name(&ef, ".gopclntab");
	assert_non_null(s);
	size_t size = (size_t)s->size;
	const unsigned char *table = bv_ptr(&ef.view, s->offset, size);
	assert_non_null(table);
	struct go_functab full;
	assert_true(go_functab_read(&ef, &full));
	const struct flavour *f = &flavours[2];

	size_t cuts[400], ncuts = 0;
	for (size_t i = 0; i < 96; i++)
		cuts[ncuts++] = i;
	for (size_t i = 1; i < 280; i++)
		cuts[ncuts++] = size * i / 280 + i % 8;
	for (size_t i = 1; i <= 16; i++)
		cuts[ncuts++] = size - i;
	for (size_t i = 0; i < ncuts; i++) {
		struct dimg d;
		embed(&d, f, PF_X, table, cuts[i], 0, ".gopclntab");
		expect_sane(&d, size, &full);
		di_free(&d);
		if (i % 4 == 0) {
			embed(&d, f, PF_R, table, cuts[i], 0, NULL);
			expect_sane(&d, size, &full);
			di_free(&d);
		}
	}

	unsigned char *copy = xmalloc(size);
	uint64_t nfunc = get(table + 8, 8, false), pcln = get(table + 8 + 7 * 8, 8, false);
	const uint64_t counts[] = { nfunc + 1, nfunc * 2, size / 8, size / 8 + 1, 1ull << 31, 1ull << 32, UINT64_MAX };
	for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++) {
		memcpy(copy, table, size);
		put(copy + 8, 8, counts[i], false);
		struct dimg d;
		embed(&d, f, PF_R, copy, size, 0, ".gopclntab");
		expect_sane(&d, size, NULL);
		di_free(&d);
	}
	const uint64_t nameoffs[] = { size, 0x7fffffff, 0xffffffff };
	const uint64_t which[] = { 0, nfunc / 2, nfunc - 1 };
	for (size_t i = 0; i < 3; i++) {
		for (size_t w = 0; w < 3; w++) {
			memcpy(copy, table, size);
			uint64_t funcoff = get(copy + pcln + (2 * which[w] + 1) * 4, 4, false);
			assert_true(pcln + funcoff + 8 <= size);
			put(copy + pcln + funcoff + 4, 4, nameoffs[i], false);
			struct dimg d;
			embed(&d, f, PF_R, copy, size, 0, ".gopclntab");
			struct go_functab t;
			assert_false(read_image(&d, &t));
			di_free(&d);
			/* The funcoff itself out of range. */
			memcpy(copy, table, size);
			put(copy + pcln + (2 * which[w] + 1) * 4, 4, size - pcln - 4 + i, false);
			embed(&d, f, PF_R, copy, size, 0, ".gopclntab");
			assert_false(read_image(&d, &t));
			di_free(&d);
		}
	}
	damage_file_list(table, size);
	free(copy);
	go_functab_free(&full);
	elf_close(&ef);
}

#define VARIANT(i) { variants[i].name, test_real_variant, watchdog_on, watchdog_off, (void *)&variants[i] }

int main(void)
{
	const struct CMUnitTest tests[] = {
		VARIANT(0),
		VARIANT(1),
		VARIANT(2),
		VARIANT(3),
		VARIANT(4),
		VARIANT(5),
		VARIANT(6),
		VARIANT(7),
		VARIANT(8),
		VARIANT(9),
		ONE(test_real_damaged),
	};
	return cmocka_run_group_tests_name("go_pclntab real", tests, NULL, NULL);
}
