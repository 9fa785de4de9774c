/* The SIGTRAP-at-start mark of Go programs (go/start_trap.c): the TLS the
 * system linker laid out against the 8-byte g slot the Go runtime assumes
 * when runtime/cgo is absent, from runtime.tlsg when .symtab has it and
 * from the PT_TLS size alone when it was stripped. */
#include "test_common.h"

#include <elf.h>
#include <string.h>

#include "elf/elf.h"
#include "elf_builder.h"
#include "go/start_trap.h"

struct tls_case {
	uint16_t machine;
	bool with_tls;
	uint64_t memsz, align;
	bool with_symbol;
	uint64_t tlsg; /* runtime.tlsg's offset in the TLS block */
};

/* An x86-64 (or other) image with a PT_TLS and, if asked, a .symtab
 * holding runtime.tlsg as an STT_TLS symbol. */
static void find(const struct tls_case *c, bool runtime_cgo, struct go_start_trap *out)
{
	struct dimg d;
	di_init(&d, 64, false);
	d.machine = c->machine;
	size_t tdata = img_reserve(&d.im, 0x18, 8);
	if (c->with_tls) {
		di_phdr(&d, PT_TLS, PF_R, tdata, 0x18, c->align);
		d.ph[d.nph - 1].memsz = c->memsz;
	}
	if (c->with_symbol) {
		size_t syms = img_reserve(&d.im, 2 * sym_size(64), 8);
		struct elf_shdr symtab = { NULL, SHT_SYMTAB, 1, 1, 0, 0, syms, 2 * sym_size(64), 8, sym_size(64) };
		uint32_t name = di_one_section(&d, ".symtab", &symtab, "runtime.tlsg", sizeof "runtime.tlsg");
		img_sym(&d.im, syms + sym_size(64), name, (STB_LOCAL << 4) | STT_TLS, 0, 1, c->tlsg, 8);
	}
	di_finish(&d);
	struct elf_file ef;
	struct cr_err err;
	assert_int_equal(di_parse(&d, &ef, &err), 0);
	go_start_trap_find(&ef, runtime_cgo, out);
	elf_close(&ef);
	di_free(&d);
}

/* Go 1.19, -linkmode external -extldflags -static, no runtime/cgo: glibc's
 * TLS after g, runtime.tlsg at 0x18 of 0x68 bytes (observed). */
static void test_static_glibc_symbol(void **state)
{
	(void)state;
	struct go_start_trap t;
	find(&(struct tls_case){ EM_X86_64, true, 0x68, 8, true, 0x18 }, false, &t);
	assert_true(t.trap);
	assert_true(t.from_symbol);
	assert_int_equal(t.g_offset, -0x50);
	assert_int_equal(t.tls_size, 0x68);
	assert_non_null(strstr(t.evidence, "%fs-0x50"));
}

static void test_static_glibc_stripped(void **state)
{
	(void)state;
	struct go_start_trap t;
	find(&(struct tls_case){ EM_X86_64, true, 0x68, 8, false, 0 }, false, &t);
	assert_true(t.trap);
	assert_false(t.from_symbol);
	assert_non_null(strstr(t.evidence, "0x68 bytes"));
}

/* The memory size is rounded up to the alignment, as the TLS block is. */
static void test_size_rounded(void **state)
{
	(void)state;
	struct go_start_trap t;
	find(&(struct tls_case){ EM_X86_64, true, 0x61, 16, true, 0x18 }, false, &t);
	assert_int_equal(t.tls_size, 0x70);
	assert_int_equal(t.g_offset, 0x18 - 0x70);
	assert_true(t.trap);
}

/* g alone (dynamic external links, static musl): -8, it starts. */
static void test_g_alone(void **state)
{
	(void)state;
	struct go_start_trap t;
	find(&(struct tls_case){ EM_X86_64, true, 8, 8, true, 0 }, false, &t);
	assert_false(t.trap);
	assert_int_equal(t.g_offset, -8);
	find(&(struct tls_case){ EM_X86_64, true, 8, 8, false, 0 }, false, &t);
	assert_false(t.trap);
}

/* More TLS, but g is its last word: where the runtime looks. */
static void test_g_last(void **state)
{
	(void)state;
	struct go_start_trap t;
	find(&(struct tls_case){ EM_X86_64, true, 0x68, 8, true, 0x60 }, false, &t);
	assert_false(t.trap);
}

/* A symbol outside the block is not believed: the size decides. */
static void test_symbol_out_of_block(void **state)
{
	(void)state;
	struct go_start_trap t;
	find(&(struct tls_case){ EM_X86_64, true, 0x68, 8, true, 0x1000 }, false, &t);
	assert_true(t.trap);
	assert_false(t.from_symbol);
}

/* With runtime/cgo libc sets up TLS; Go's own linker writes no PT_TLS in
 * a static program; arm64 keeps g in a register without runtime/cgo. */
static void test_no_trap(void **state)
{
	(void)state;
	struct go_start_trap t;
	find(&(struct tls_case){ EM_X86_64, true, 0x68, 8, true, 0x18 }, true, &t);
	assert_false(t.trap);
	find(&(struct tls_case){ EM_X86_64, false, 0, 0, false, 0 }, false, &t);
	assert_false(t.trap);
	find(&(struct tls_case){ EM_AARCH64, true, 0x70, 8, true, 0x18 }, false, &t);
	assert_false(t.trap);
}

/* Absurd sizes and alignments are no evidence. */
static void test_absurd_segment(void **state)
{
	(void)state;
	struct go_start_trap t;
	find(&(struct tls_case){ EM_X86_64, true, UINT64_MAX, 8, false, 0 }, false, &t);
	assert_false(t.trap);
	find(&(struct tls_case){ EM_X86_64, true, 0x68, UINT64_MAX, true, 0x18 }, false, &t);
	assert_false(t.trap);
	find(&(struct tls_case){ EM_X86_64, true, 0x68, 0, true, 0x18 }, false, &t);
	assert_true(t.trap);
	assert_int_equal(t.tls_size, 0x68);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_static_glibc_symbol, watchdog_on, watchdog_off),
		cmocka_unit_test_setup_teardown(test_static_glibc_stripped, watchdog_on, watchdog_off),
		cmocka_unit_test_setup_teardown(test_size_rounded, watchdog_on, watchdog_off),
		cmocka_unit_test_setup_teardown(test_g_alone, watchdog_on, watchdog_off),
		cmocka_unit_test_setup_teardown(test_g_last, watchdog_on, watchdog_off),
		cmocka_unit_test_setup_teardown(test_symbol_out_of_block, watchdog_on, watchdog_off),
		cmocka_unit_test_setup_teardown(test_no_trap, watchdog_on, watchdog_off),
		cmocka_unit_test_setup_teardown(test_absurd_segment, watchdog_on, watchdog_off),
	};
	return cmocka_run_group_tests_name("go_start_trap", tests, NULL, NULL);
}
