/* The structural part of the ELF reader (elf.c): header validation, program
 * and section headers, extended numbering, PT_INTERP and the dynamic
 * section, on images built in memory in all four class/byte-order flavours. */
#include "test_common.h"

#include <elf.h>
#include <stdio.h>
#include <string.h>

#include "elf/elf.h"
#include "elf_builder.h"
#include "model/needs.h"

/* Parses and expects failure with exactly this message. */
static void expect_error(const void *data, size_t size, const char *msg)
{
	struct elf_file ef;
	struct cr_err err = { "" };
	assert_int_equal(elf_parse_memory(&ef, data, size, &err), -1);
	assert_string_equal(err.msg, msg);
}

static void expect_dimg_error(struct dimg *d, const char *msg)
{
	expect_error(d->im.buf, d->im.len, msg);
}

static void test_header_fields(void **state)
{
	const struct flavour *f = FLAVOUR(state);
	struct dimg d;
	di_init(&d, f->bits, f->be);
	d.type = ET_EXEC;
	d.machine = EM_S390;
	di_finish(&d);
	d.im.buf[EI_OSABI] = ELFOSABI_GNU;
	d.im.buf[EI_ABIVERSION] = 3;
	img_put(&d.im, 24 + 3 * (f->bits / 8), 4, 0x12345678); /* e_flags */

	struct elf_file ef;
	struct cr_err err;
	assert_int_equal(di_parse(&d, &ef, &err), 0);
	assert_int_equal(ef.bits, f->bits);
	assert_int_equal(ef.big_endian, f->be);
	assert_int_equal(ef.type, ET_EXEC);
	assert_int_equal(ef.machine, EM_S390);
	assert_int_equal(ef.osabi, ELFOSABI_GNU);
	assert_int_equal(ef.abiversion, 3);
	assert_int_equal(ef.flags, 0x12345678);
	assert_true(ef.entry == DI_BASE + 0x100);
	assert_int_equal(ef.nphdrs, 1);
	assert_int_equal(ef.phdrs[0].type, PT_LOAD);
	assert_int_equal(ef.phdrs[0].flags, PF_R | PF_X);
	assert_true(ef.phdrs[0].offset == 0);
	assert_true(ef.phdrs[0].vaddr == DI_BASE);
	assert_true(ef.phdrs[0].filesz == d.im.len);
	assert_true(ef.phdrs[0].align == 0x1000);
	assert_int_equal(ef.nshdrs, 0);
	assert_null(ef.interp);
	assert_int_equal(ef.ndyn, 0);
	assert_int_equal(ef.nwarnings, 0);
	char buf[32];
	assert_string_equal(elf_machine_name(ef.machine, ef.bits, ef.big_endian, buf, sizeof buf),
			    f->bits == 64 ? "s390x" : "s390");
	elf_close(&ef);
	di_free(&d);
}

static void test_header_errors(void **state)
{
	const struct flavour *f = FLAVOUR(state);
	struct dimg d;
	di_init(&d, f->bits, f->be);
	di_finish(&d);
	unsigned char *b = d.im.buf;
	size_t ehsize = ehdr_size(f->bits);

	expect_error(b, 0, "not an ELF file");
	expect_error(b, EI_NIDENT - 1, "not an ELF file");
	expect_error(b, ehsize - 1, "truncated ELF header");
	expect_error(b, EI_NIDENT, "truncated ELF header");

	b[3] = 'G';
	expect_dimg_error(&d, "not an ELF file");
	b[3] = 'F';
	unsigned char class = b[EI_CLASS];
	b[EI_CLASS] = ELFCLASSNONE;
	expect_dimg_error(&d, "bad ELF class byte 0");
	b[EI_CLASS] = 3;
	expect_dimg_error(&d, "bad ELF class byte 3");
	b[EI_CLASS] = class;
	unsigned char data = b[EI_DATA];
	b[EI_DATA] = ELFDATANONE;
	expect_dimg_error(&d, "bad ELF byte-order byte 0");
	b[EI_DATA] = 0xff;
	expect_dimg_error(&d, "bad ELF byte-order byte 255");
	b[EI_DATA] = data;

	/* The ELF header alone, with no program headers, is a valid file. */
	struct elf_file ef;
	struct cr_err err;
	unsigned char hdr[64];
	memcpy(hdr, b, ehsize);
	struct img h = { hdr, ehsize, ehsize, f->bits, f->be };
	img_put(&h, 24 + 3 * (f->bits / 8) + 8, 2, 0); /* e_phnum */
	assert_int_equal(elf_parse_memory(&ef, hdr, ehsize, &err), 0);
	assert_int_equal(ef.nphdrs, 0);
	elf_close(&ef);
	di_free(&d);
}

static void test_phdr_errors(void **state)
{
	const struct flavour *f = FLAVOUR(state);
	unsigned w = f->bits / 8;
	size_t rest = 24 + 3 * w;
	char msg[64];
	struct dimg d;
	di_init(&d, f->bits, f->be);
	di_finish(&d);

	img_put(&d.im, rest + 6, 2, phdr_size(f->bits) - 1);
	snprintf(msg, sizeof msg, "bad program header size %zu", phdr_size(f->bits) - 1);
	expect_dimg_error(&d, msg);
	img_put(&d.im, rest + 6, 2, phdr_size(f->bits));

	img_put(&d.im, rest + 8, 2, 0xfffe); /* e_phnum: far more than the file holds */
	expect_dimg_error(&d, "truncated: program headers end past the file");
	img_put(&d.im, rest + 8, 2, 1);

	/* e_phoff so large that e_phoff + size wraps around to a small value. */
	img_word(&d.im, 24 + w, f->bits == 64 ? UINT64_MAX - 8 : UINT32_MAX - 8);
	expect_dimg_error(&d, "truncated: program headers end past the file");
	img_word(&d.im, 24 + w, d.im.len - phdr_size(f->bits) + 1);
	expect_dimg_error(&d, "truncated: program headers end past the file");
	/* Exactly at the end is fine. */
	img_word(&d.im, 24 + w, d.im.len - phdr_size(f->bits));
	struct elf_file ef;
	struct cr_err err;
	assert_int_equal(di_parse(&d, &ef, &err), 0);
	assert_int_equal(ef.nphdrs, 1);
	elf_close(&ef);
	di_free(&d);
}

static void test_interp(void **state)
{
	const struct flavour *f = FLAVOUR(state);
	struct dimg d;
	di_init(&d, f->bits, f->be);
	di_interp(&d, "/lib/ld-musl-x86_64.so.1");
	di_finish(&d);
	struct elf_file ef;
	struct cr_err err;
	assert_int_equal(di_parse(&d, &ef, &err), 0);
	assert_string_equal(ef.interp, "/lib/ld-musl-x86_64.so.1");
	elf_close(&ef);

	/* Drop the NUL from p_filesz: the string is no longer terminated. */
	struct elf_phdr p = d.ph[1];
	p.filesz -= 1;
	img_phdr(&d.im, d.phoff, 1, &p);
	expect_dimg_error(&d, "PT_INTERP is not a terminated string");
	/* No bytes at all, as in a separate debug file: read, with a warning. */
	p.filesz = 0;
	img_phdr(&d.im, d.phoff, 1, &p);
	assert_int_equal(di_parse(&d, &ef, &err), 0);
	assert_null(ef.interp);
	assert_int_equal(ef.nwarnings, 1);
	assert_non_null(strstr(ef.warnings[0], "PT_INTERP holds no bytes"));
	elf_close(&ef);
	p.filesz = d.im.len;
	img_phdr(&d.im, d.phoff, 1, &p);
	expect_dimg_error(&d, "truncated: PT_INTERP lies past the end of the file");
	p.filesz = f->bits == 64 ? UINT64_MAX : UINT32_MAX;
	img_phdr(&d.im, d.phoff, 1, &p);
	expect_dimg_error(&d, "truncated: PT_INTERP lies past the end of the file");
	di_free(&d);
}

/* A tag with its top bit set: an ELF32 reader must widen it with its sign. */
#define NEGATIVE_TAG (-16)

static void build_dynamic(struct dimg *d, const struct flavour *f)
{
	di_init(d, f->bits, f->be);
	di_interp(d, "/lib64/ld-linux-x86-64.so.2");
	di_dyn(d, DT_NEEDED, di_str(d, "libfoo.so.1"));
	di_dyn(d, DT_NEEDED, di_str(d, "libc.so.6"));
	di_dyn(d, DT_SONAME, di_str(d, "libme.so.2"));
	di_dyn(d, DT_RPATH, di_str(d, "/opt/a:/opt/b"));
	di_dyn(d, DT_RUNPATH, di_str(d, "$ORIGIN/../lib::/usr/local/lib"));
	di_dyn(d, DT_STRTAB, 0);
	di_dyn(d, DT_STRSZ, 0);
	di_dyn(d, DT_FLAGS_1, DF_1_NOW | DF_1_NODEFLIB);
	di_dyn(d, f->bits == 64 ? (int64_t)UINT64_MAX - 15 : (int64_t)(UINT32_MAX - 15), 7);
	di_finish(d);
}

static void test_dynamic(void **state)
{
	const struct flavour *f = FLAVOUR(state);
	struct dimg d;
	build_dynamic(&d, f);
	struct elf_file ef;
	struct cr_err err;
	assert_int_equal(di_parse(&d, &ef, &err), 0);
	assert_int_equal(ef.ndyn, 9);
	assert_true(ef.dyn[0].tag == DT_NEEDED);
	assert_true(ef.dyn[8].tag == NEGATIVE_TAG);
	assert_true(ef.dyn[8].val == 7);
	assert_string_equal(elf_dynstr(&ef, ef.dyn[0].val), "libfoo.so.1");
	assert_string_equal(elf_dynstr(&ef, ef.dyn[1].val), "libc.so.6");
	/* Like ld.so, strings may run past DT_STRSZ to the segment's end. */
	assert_true(ef.dynstr.size == d.im.len - d.str_off);
	assert_null(elf_dynstr(&ef, d.im.len - d.str_off));
	assert_null(elf_dynstr(&ef, UINT64_MAX));
	uint64_t v;
	assert_true(elf_dyn_get(&ef, DT_STRSZ, &v));
	assert_true(v == d.strsz);
	assert_false(elf_dyn_get(&ef, DT_HASH, &v));

	struct needs n;
	needs_from_elf(&ef, &n);
	assert_int_equal(n.nneeded, 2);
	assert_string_equal(n.needed[0], "libfoo.so.1");
	assert_string_equal(n.needed[1], "libc.so.6");
	assert_string_equal(n.soname, "libme.so.2");
	assert_string_equal(n.interpreter, "/lib64/ld-linux-x86-64.so.2");
	assert_int_equal(n.nrpath, 2);
	assert_string_equal(n.rpath[0], "/opt/a");
	assert_string_equal(n.rpath[1], "/opt/b");
	assert_int_equal(n.nrunpath, 3);
	assert_string_equal(n.runpath[0], "$ORIGIN/../lib");
	assert_string_equal(n.runpath[1], "");
	assert_string_equal(n.runpath[2], "/usr/local/lib");
	assert_true(n.bind_now);
	assert_true(n.nodeflib);
	/* An interpreter and a SONAME but no DF_1_PIE: a library (libc.so.6). */
	assert_int_equal(n.kind, KIND_SHARED_LIBRARY);
	needs_free(&n);
	elf_close(&ef);
	di_free(&d);
}

static void test_dynamic_stops_at_null(void **state)
{
	const struct flavour *f = FLAVOUR(state);
	struct dimg d;
	di_init(&d, f->bits, f->be);
	di_dyn(&d, DT_STRTAB, 0);
	di_dyn(&d, DT_STRSZ, 0);
	di_dyn(&d, DT_NEEDED, di_str(&d, "liba.so"));
	di_dyn(&d, DT_NULL, 0);
	/* Past DT_NULL nothing counts, not even a string out of range. */
	di_dyn(&d, DT_NEEDED, 0x7fffffff);
	di_finish(&d);
	struct elf_file ef;
	struct cr_err err;
	assert_int_equal(di_parse(&d, &ef, &err), 0);
	assert_int_equal(ef.ndyn, 3);
	elf_close(&ef);
	di_free(&d);
}

/* glibc fills its dynamic info table in order: a repeated tag's last entry
 * is the one it uses. Every DT_NEEDED counts. */
static void test_dynamic_repeated_tags(void **state)
{
	const struct flavour *f = FLAVOUR(state);
	struct dimg d;
	di_init(&d, f->bits, f->be);
	di_dyn(&d, DT_SONAME, di_str(&d, "libfirst.so.1"));
	di_dyn(&d, DT_NEEDED, di_str(&d, "liba.so"));
	di_dyn(&d, DT_RUNPATH, di_str(&d, "/first"));
	di_dyn(&d, DT_STRTAB, 0);
	di_dyn(&d, DT_NEEDED, di_str(&d, "libb.so"));
	di_dyn(&d, DT_SONAME, di_str(&d, "liblast.so.1"));
	di_dyn(&d, DT_RUNPATH, di_str(&d, "/last:/also"));
	di_finish(&d);
	struct elf_file ef;
	struct cr_err err;
	assert_int_equal(di_parse(&d, &ef, &err), 0);
	uint64_t v;
	assert_true(elf_dyn_get(&ef, DT_SONAME, &v));
	assert_string_equal(elf_dynstr(&ef, v), "liblast.so.1");
	struct needs n;
	needs_from_elf(&ef, &n);
	assert_string_equal(n.soname, "liblast.so.1");
	assert_int_equal(n.nneeded, 2);
	assert_string_equal(n.needed[0], "liba.so");
	assert_string_equal(n.needed[1], "libb.so");
	assert_int_equal(n.nrunpath, 2);
	assert_string_equal(n.runpath[0], "/last");
	assert_string_equal(n.runpath[1], "/also");
	needs_free(&n);
	elf_close(&ef);
	di_free(&d);
}

#define REGION_VADDR 0x900000u

/* A string table alone in its own PT_LOAD, so that it ends where that
 * segment does: `len` bytes of `text`. Returns its file offset. */
static size_t add_string_segment(struct dimg *d, const char *text, size_t len)
{
	size_t off = img_append(&d->im, text, len, 16);
	di_phdr_at(d, PT_LOAD, PF_R, off, REGION_VADDR, len, 0x1000);
	return off;
}

static void test_dynamic_strtab_errors(void **state)
{
	const struct flavour *f = FLAVOUR(state);
	uint64_t wmax = f->bits == 64 ? UINT64_MAX : UINT32_MAX;
	struct dimg d;
	build_dynamic(&d, f);

	di_patch_dyn(&d, DT_STRTAB, 0x5000000);
	expect_dimg_error(&d, "the dynamic string table (DT_STRTAB) is outside every loaded segment");
	di_patch_dyn(&d, DT_STRTAB, DI_BASE - 1);
	expect_dimg_error(&d, "the dynamic string table (DT_STRTAB) is outside every loaded segment");
	di_patch_dyn(&d, DT_STRTAB, DI_BASE + d.im.len);
	expect_dimg_error(&d, "the dynamic string table (DT_STRTAB) is outside every loaded segment");
	di_patch_dyn(&d, DT_STRTAB, wmax);
	expect_dimg_error(&d, "the dynamic string table (DT_STRTAB) is outside every loaded segment");
	di_patch_dyn(&d, DT_STRTAB, di_vaddr(d.str_off));

	/* ld.so never looks at DT_STRSZ: neither 0, nor one byte short (the
	 * RUNPATH's NUL outside it), nor huge, costs a string. */
	const uint64_t sizes[] = { 0, d.strsz - 1, wmax };
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		di_patch_dyn(&d, DT_STRSZ, sizes[i]);
		struct elf_file ef;
		struct cr_err err;
		assert_int_equal(di_parse(&d, &ef, &err), 0);
		struct needs n;
		needs_from_elf(&ef, &n);
		assert_string_equal(n.runpath[2], "/usr/local/lib");
		needs_free(&n);
		elf_close(&ef);
	}

	/* Past the end of the segment that holds the table. */
	di_patch_dyn(&d, DT_NEEDED, d.im.len - d.str_off);
	expect_dimg_error(&d, "DT_NEEDED names a string outside the dynamic string table");
	di_patch_dyn(&d, DT_NEEDED, wmax);
	expect_dimg_error(&d, "DT_NEEDED names a string outside the dynamic string table");
	di_patch_dyn(&d, DT_NEEDED, 0);
	di_patch_dyn(&d, DT_SONAME, d.im.len);
	expect_dimg_error(&d, "DT_SONAME names a string outside the dynamic string table");
	di_patch_dyn(&d, DT_SONAME, 0);
	di_patch_dyn(&d, DT_RPATH, wmax - 1);
	expect_dimg_error(&d, "DT_RPATH names a string outside the dynamic string table");
	di_free(&d);
}

/* A string that runs to the end of its segment without a NUL. */
static void test_dynamic_string_unterminated(void **state)
{
	const struct flavour *f = FLAVOUR(state);
	struct dimg d;
	di_init(&d, f->bits, f->be);
	add_string_segment(&d, "\0libx.so", 8);
	di_dyn(&d, DT_STRTAB, REGION_VADDR);
	di_dyn(&d, DT_NEEDED, 1);
	di_finish(&d);
	expect_dimg_error(&d, "DT_NEEDED names a string outside the dynamic string table");
	di_patch_dyn(&d, DT_NEEDED, 8);
	expect_dimg_error(&d, "DT_NEEDED names a string outside the dynamic string table");
	di_patch_dyn(&d, DT_NEEDED, 0);
	struct elf_file ef;
	struct cr_err err;
	assert_int_equal(di_parse(&d, &ef, &err), 0);
	assert_true(ef.dynstr.size == 8);
	assert_null(elf_dynstr(&ef, 1));
	elf_close(&ef);
	di_free(&d);

	/* With its NUL as the segment's last byte, the same string is fine. */
	di_init(&d, f->bits, f->be);
	add_string_segment(&d, "\0libx.so", 9);
	di_dyn(&d, DT_STRTAB, REGION_VADDR);
	di_dyn(&d, DT_NEEDED, 1);
	di_finish(&d);
	assert_int_equal(di_parse(&d, &ef, &err), 0);
	assert_string_equal(elf_dynstr(&ef, 1), "libx.so");
	elf_close(&ef);
	di_free(&d);
}

static void test_dynamic_without_strtab(void **state)
{
	const struct flavour *f = FLAVOUR(state);
	struct dimg d;
	di_init(&d, f->bits, f->be);
	di_dyn(&d, DT_RUNPATH, 1);
	di_finish(&d);
	expect_dimg_error(&d, "the dynamic section has DT_RUNPATH but no string table (DT_STRTAB)");
	di_free(&d);
}

/* Like ld.so, PT_DYNAMIC is found by its address; p_offset and p_filesz
 * only serve files whose PT_DYNAMIC no PT_LOAD covers. */
static void test_dynamic_by_address(void **state)
{
	const struct flavour *f = FLAVOUR(state);
	uint64_t wmax = f->bits == 64 ? UINT64_MAX : UINT32_MAX;
	struct dimg d;
	build_dynamic(&d, f);
	struct elf_phdr p = d.ph[d.nph - 1];
	assert_int_equal(p.type, PT_DYNAMIC);
	struct elf_file ef;
	struct cr_err err;

	struct elf_phdr q = p;
	q.offset = 0;   /* would read the ELF header */
	q.filesz = 0;   /* would read nothing */
	img_phdr(&d.im, d.phoff, d.nph - 1, &q);
	assert_int_equal(di_parse(&d, &ef, &err), 0);
	assert_int_equal(ef.ndyn, 9);
	elf_close(&ef);

	/* No PT_LOAD covers it: read from the file offset. */
	q = p;
	q.vaddr = 0x7000000;
	img_phdr(&d.im, d.phoff, d.nph - 1, &q);
	assert_int_equal(di_parse(&d, &ef, &err), 0);
	assert_int_equal(ef.ndyn, 9);
	elf_close(&ef);
	q.filesz += 1;
	img_phdr(&d.im, d.phoff, d.nph - 1, &q);
	expect_dimg_error(&d, "truncated: the dynamic section lies past the end of the file");
	q.offset = wmax - 7;
	q.filesz = 16;
	img_phdr(&d.im, d.phoff, d.nph - 1, &q);
	expect_dimg_error(&d, "truncated: the dynamic section lies past the end of the file");
	q.offset = 8;
	q.filesz = wmax;
	img_phdr(&d.im, d.phoff, d.nph - 1, &q);
	expect_dimg_error(&d, "truncated: the dynamic section lies past the end of the file");
	di_free(&d);
}

/* Section headers with a name table, appended to an image. */
static void add_sections(struct dimg *d, uint64_t *shoff_out)
{
	static const char names[] = "\0.shstrtab\0.text\0";
	struct img *im = &d->im;
	size_t names_off = img_append(im, names, sizeof names, 1);
	size_t shoff = img_reserve(im, 3 * shdr_size(im->bits), 8);
	struct elf_shdr null = { 0 };
	struct elf_shdr strtab = { NULL, SHT_STRTAB, 0, 0, 0, 0, names_off, sizeof names, 1, 0 };
	struct elf_shdr text = { NULL, SHT_PROGBITS, 0, 0, SHF_ALLOC | SHF_EXECINSTR, DI_BASE, 0, 16, 16, 0 };
	img_shdr(im, shoff, 0, 0, &null);
	img_shdr(im, shoff, 1, 1, &strtab);
	img_shdr(im, shoff, 2, 11, &text);
	d->shoff = shoff;
	d->shnum = 3;
	d->shstrndx = 1;
	*shoff_out = shoff;
}

static void test_sections(void **state)
{
	const struct flavour *f = FLAVOUR(state);
	struct dimg d;
	uint64_t shoff;
	di_init(&d, f->bits, f->be);
	add_sections(&d, &shoff);
	di_finish(&d);
	struct elf_file ef;
	struct cr_err err;
	assert_int_equal(di_parse(&d, &ef, &err), 0);
	assert_int_equal(ef.nshdrs, 3);
	assert_string_equal(ef.shdrs[0].name, "");
	assert_string_equal(ef.shdrs[1].name, ".shstrtab");
	assert_string_equal(ef.shdrs[2].name, ".text");
	assert_int_equal(ef.shdrs[2].type, SHT_PROGBITS);
	assert_true(ef.shdrs[2].flags == (SHF_ALLOC | SHF_EXECINSTR));
	assert_true(ef.shdrs[2].addr == DI_BASE);
	assert_true(ef.shdrs[2].size == 16);
	assert_true(ef.shdrs[2].addralign == 16);
	assert_ptr_equal(elf_section_by_name(&ef, ".text"), &ef.shdrs[2]);
	assert_null(elf_section_by_name(&ef, ".data"));
	assert_int_equal(ef.nwarnings, 0);
	elf_close(&ef);

	/* A bad name table costs the names, not the file. */
	struct elf_shdr bad = { NULL, SHT_STRTAB, 0, 0, 0, 0, d.im.len - 4, 100, 1, 0 };
	img_shdr(&d.im, shoff, 1, 1, &bad);
	assert_int_equal(di_parse(&d, &ef, &err), 0);
	assert_int_equal(ef.nshdrs, 3);
	assert_string_equal(ef.shdrs[2].name, "");
	assert_int_equal(ef.nwarnings, 1);
	assert_string_equal(ef.warnings[0], "section name table is out of range");
	elf_close(&ef);

	/* A table past the end of the file is ignored with a warning. */
	img_put(&d.im, 24 + 3 * (f->bits / 8) + 12, 2, 1000); /* e_shnum */
	assert_int_equal(di_parse(&d, &ef, &err), 0);
	assert_int_equal(ef.nshdrs, 0);
	assert_int_equal(ef.nwarnings, 1);
	assert_string_equal(ef.warnings[0], "section header table is damaged or truncated; ignored");
	elf_close(&ef);
	di_free(&d);
}

/* e_phnum = PN_XNUM: the real count is section 0's sh_info; e_shnum = 0 and
 * e_shstrndx = SHN_XINDEX: sh_size and sh_link. */
static void test_extended_numbering(void **state)
{
	const struct flavour *f = FLAVOUR(state);
	unsigned w = f->bits / 8;
	size_t rest = 24 + 3 * w;
	struct dimg d;
	uint64_t shoff;
	di_init(&d, f->bits, f->be);
	di_phdr(&d, PT_NOTE, PF_R, 0, 0, 4);
	di_phdr(&d, PT_GNU_STACK, PF_R | PF_W, 0, 0, 16);
	add_sections(&d, &shoff);
	di_finish(&d);
	struct elf_shdr zero = { NULL, SHT_NULL, 3 /* link */, 3 /* info */, 0, 0, 0, 3 /* size */, 0, 0 };
	img_shdr(&d.im, shoff, 0, 0, &zero);
	img_put(&d.im, rest + 8, 2, PN_XNUM);
	img_put(&d.im, rest + 12, 2, 0);
	img_put(&d.im, rest + 14, 2, SHN_XINDEX);
	/* sh_link says the names are in section 3, which does not exist. */
	struct elf_file ef;
	struct cr_err err;
	assert_int_equal(di_parse(&d, &ef, &err), 0);
	assert_int_equal(ef.nphdrs, 3);
	assert_int_equal(ef.phdrs[1].type, PT_NOTE);
	assert_int_equal(ef.phdrs[2].type, PT_GNU_STACK);
	assert_int_equal(ef.nshdrs, 3);
	assert_string_equal(ef.shdrs[1].name, "");
	elf_close(&ef);

	zero.link = 1;
	img_shdr(&d.im, shoff, 0, 0, &zero);
	assert_int_equal(di_parse(&d, &ef, &err), 0);
	assert_string_equal(ef.shdrs[1].name, ".shstrtab");
	assert_string_equal(ef.shdrs[2].name, ".text");
	elf_close(&ef);

	/* More program headers than the file holds: refused, not over-read. */
	zero.info = 0x10000;
	img_shdr(&d.im, shoff, 0, 0, &zero);
	expect_dimg_error(&d, "truncated: program headers end past the file");
	zero.info = 0xffffffff;
	img_shdr(&d.im, shoff, 0, 0, &zero);
	expect_dimg_error(&d, "truncated: program headers end past the file");

	/* Section 0 missing (e_shoff past the end): the count is unknown, so
	 * either no program headers or an error, never 0xffff of them. */
	img_word(&d.im, 24 + 2 * w, d.im.len);
	if (di_parse(&d, &ef, &err) == 0) {
		assert_int_equal(ef.nphdrs, 0);
		elf_close(&ef);
	}
	di_free(&d);
}

/* e_shoff near 2^64 with PN_XNUM: section 0 is not in the file, so its
 * fields must not be read from wherever shoff + field offset wraps to:
 * either no program headers (as when e_shoff is past the end) or an error. */
static void test_extended_numbering_wrapped_shoff(void **state)
{
	const struct flavour *f = FLAVOUR(state);
	size_t rest = 24 + 3 * 8;
	struct dimg d;
	di_init(&d, f->bits, f->be);
	di_phdr(&d, PT_NOTE, PF_R, 0, 0, 4);
	di_finish(&d);
	img_put(&d.im, rest + 8, 2, PN_XNUM);
	/* shoff + 44 (sh_info) wraps to 28, the upper half of e_entry; make
	 * that read as 1 in either byte order. */
	img_word(&d.im, 24, 0x0000000100000001ull);
	img_word(&d.im, 40, UINT64_MAX - 15); /* e_shoff */
	struct elf_file ef;
	struct cr_err err;
	int rc = di_parse(&d, &ef, &err);
	if (rc == 0) {
		assert_int_equal(ef.nphdrs, 0);
		elf_close(&ef);
	}
	di_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		EACH_FLAVOUR(test_header_fields),
		EACH_FLAVOUR(test_header_errors),
		EACH_FLAVOUR(test_phdr_errors),
		EACH_FLAVOUR(test_interp),
		EACH_FLAVOUR(test_dynamic),
		EACH_FLAVOUR(test_dynamic_stops_at_null),
		EACH_FLAVOUR(test_dynamic_repeated_tags),
		EACH_FLAVOUR(test_dynamic_strtab_errors),
		EACH_FLAVOUR(test_dynamic_string_unterminated),
		EACH_FLAVOUR(test_dynamic_without_strtab),
		EACH_FLAVOUR(test_dynamic_by_address),
		EACH_FLAVOUR(test_sections),
		EACH_FLAVOUR(test_extended_numbering),
		{ "test_extended_numbering_wrapped_shoff [ELF64 LSB]", test_extended_numbering_wrapped_shoff,
		  watchdog_on, watchdog_off, (void *)&flavours[2] },
		{ "test_extended_numbering_wrapped_shoff [ELF64 MSB]", test_extended_numbering_wrapped_shoff,
		  watchdog_on, watchdog_off, (void *)&flavours[3] },
	};
	return cmocka_run_group_tests_name("elf", tests, NULL, NULL);
}
