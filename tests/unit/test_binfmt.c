/* binfmt: handlers read from a directory laid out as the kernel's
 * /proc/sys/fs/binfmt_misc, with the entry text fs/binfmt_misc.c prints
 * (the qemu-aarch64 entry below is what Debian's qemu-user-static
 * registers). */
#include "test_common.h"
#include "tmptree.h"

#include <stdlib.h>
#include <string.h>

#include "loader/binfmt.h"

static const char qemu_aarch64[] = "enabled\n"
				   "interpreter /usr/libexec/qemu-binfmt/aarch64-binfmt-P\n"
				   "flags: POF\n"
				   "offset 0\n"
				   "magic 7f454c460201010000000000000000000200b700\n"
				   "mask ffffffffffffff00fffffffffffffffffeffffff\n";

/* The first 20 bytes of an ELF64 little-endian header for MACHINE. */
static void elf_head(unsigned char *h, unsigned machine, unsigned type)
{
	static const unsigned char ident[16] = { 0x7f, 'E', 'L', 'F', 2, 1, 1 };
	memcpy(h, ident, sizeof ident);
	h[16] = (unsigned char)type;
	h[17] = 0;
	h[18] = (unsigned char)machine;
	h[19] = 0;
}

/* A tree laid out as binfmt_misc with no handlers yet. */
static int setup(void **state)
{
	tt_setup(state);
	struct tmptree *t = *state;
	tt_file(t, "status", "enabled\n");
	tt_file(t, "register", "");
	return 0;
}

#define TREE(f) { #f, f, setup, tt_teardown, NULL }

static bool find(const struct tmptree *t, const unsigned char *head, size_t len, char *name, char *interp)
{
	return binfmt_find(t->path, head, len, name, 64, interp, 128);
}

static void test_masked_magic(void **state)
{
	struct tmptree *t = *state;
	tt_file(t, "qemu-aarch64", qemu_aarch64);
	unsigned char h[64] = { 0 };
	char name[64], interp[128];
	elf_head(h, 183, 2); /* EM_AARCH64, ET_EXEC */
	assert_true(find(t, h, sizeof h, name, interp));
	assert_string_equal(name, "qemu-aarch64");
	assert_string_equal(interp, "/usr/libexec/qemu-binfmt/aarch64-binfmt-P");
	elf_head(h, 183, 3); /* ET_DYN: the mask's 0xfe lets both types through */
	assert_true(find(t, h, sizeof h, name, interp));
	h[7] = 3; /* the OS ABI byte is masked out */
	assert_true(find(t, h, sizeof h, name, interp));
	elf_head(h, 62, 2); /* EM_X86_64 */
	assert_false(find(t, h, sizeof h, name, interp));
	elf_head(h, 183, 2);
	assert_false(find(t, h, 19, name, interp)); /* shorter than the magic */
}

static void test_disabled(void **state)
{
	struct tmptree *t = *state;
	unsigned char h[64] = { 0 };
	char name[64], interp[128];
	elf_head(h, 183, 2);
	char text[sizeof qemu_aarch64 + 8];
	snprintf(text, sizeof text, "disabled%s", strchr(qemu_aarch64, '\n'));
	tt_file(t, "qemu-aarch64", text);
	assert_false(find(t, h, sizeof h, name, interp));
	tt_file(t, "qemu-aarch64", qemu_aarch64);
	assert_true(find(t, h, sizeof h, name, interp));
	tt_file(t, "status", "disabled\n"); /* echo 0 > status turns them all off */
	assert_false(find(t, h, sizeof h, name, interp));
}

static void test_hostile_entries(void **state)
{
	struct tmptree *t = *state;
	unsigned char h[64] = { 0 };
	char name[64], interp[128];
	elf_head(h, 183, 2);
	tt_file(t, "jar", "enabled\ninterpreter /usr/bin/jexec\nflags: \nextension .jar\n");
	tt_file(t, "far", "enabled\ninterpreter /x\nflags: \noffset 4000000000\nmagic 7f45\n");
	tt_file(t, "nomagic", "enabled\ninterpreter /x\nflags: \noffset 0\nmagic zz\n");
	assert_false(find(t, h, sizeof h, name, interp));
	/* An odd trailing digit is dropped: "7f4" is the one byte 0x7f. */
	tt_file(t, "odd", "enabled\ninterpreter /odd\nflags: \noffset 0\nmagic 7f4\n");
	assert_true(find(t, h, sizeof h, name, interp));
	assert_string_equal(interp, "/odd");
}

static void test_no_binfmt_misc(void **state)
{
	(void)state;
	unsigned char h[64] = { 0 };
	char name[64], interp[128];
	elf_head(h, 183, 2);
	assert_false(binfmt_find("/nonexistent/binfmt_misc", h, sizeof h, name, sizeof name, interp, sizeof interp));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TREE(test_masked_magic),
		TREE(test_disabled),
		TREE(test_hostile_entries),
		TREE(test_no_binfmt_misc),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
