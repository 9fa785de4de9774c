/* Go build info (go/buildinfo.c): the Go 1.18+ inline form and the older
 * pointer form, in both byte orders and pointer sizes, found by scanning a
 * writable PT_LOAD at 16-byte steps of its virtual address (no section
 * headers), or through a .go.buildinfo section. */
#include "test_common.h"

#include <elf.h>
#include <string.h>

#include "elf/elf.h"
#include "elf_builder.h"
#include "go/buildinfo.h"
#include "model/needs.h"

static const char magic[14] = "\xff Go buildinf:";
/* The frames cmd/go puts around the module text (modload infoStart/End). */
static const char info_start[16] = "0w\xaf\x0c\x92t\x08\x02" "A\xe1\xc1\x07\xe6\xd6\x18\xe6";
static const char info_end[16] = "\xf9" "2C1\x86\x18 r\x00\x82" "B\x10" "A\x16\xd8\xf2";

static const char mod_text[] =
	"path\texample.com/hello\n"
	"mod\texample.com/hello\t(devel)\t\n"
	"dep\tgithub.com/gin-gonic/gin\tv1.8.1\th1:abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG=\n"
	"build\t-compiler=gc\n"
	"build\tCGO_ENABLED=1\n"
	"build\tGOARCH=amd64\n"
	"build\tGOOS=linux\n";

/* A writable segment whose start is 8 bytes past a 16-byte boundary: the
 * blob is 16-byte aligned in memory, not in the segment. */
#define DATA_VADDR 0x600008u
#define DATA_SIZE 1024
#define BLOB_VADDR 0x600050u

struct goimg {
	struct dimg d;
	size_t data; /* file offset of the writable segment */
};

static void go_init(struct goimg *g, const struct flavour *f)
{
	di_init(&g->d, f->bits, f->be);
	g->data = img_reserve(&g->d.im, DATA_SIZE, 16);
	di_phdr_at(&g->d, PT_LOAD, PF_R | PF_W, g->data, DATA_VADDR, DATA_SIZE, 0x1000);
}

static size_t data_off(const struct goimg *g, uint64_t vaddr)
{
	return g->data + (size_t)(vaddr - DATA_VADDR);
}

static size_t put_uvarint(unsigned char *p, uint64_t v)
{
	size_t n = 0;
	while (v >= 0x80) {
		p[n++] = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	p[n++] = (unsigned char)v;
	return n;
}

static size_t framed(char *out, const char *text, size_t len)
{
	memcpy(out, info_start, 16);
	memcpy(out + 16, text, len);
	memcpy(out + 16 + len, info_end, 16);
	return len + 32;
}

/* The Go 1.18+ blob: header, then two varint-prefixed strings. Returns
 * the size written. */
static size_t write_inline(struct img *im, size_t off, const char *version, const char *mod, size_t modlen)
{
	unsigned char *p = im->buf + off;
	memcpy(p, magic, 14);
	p[14] = (unsigned char)(im->bits / 8);
	p[15] = (unsigned char)(2 | (im->be ? 1 : 0));
	memset(p + 16, 0, 16);
	size_t n = 32;
	n += put_uvarint(p + n, strlen(version));
	memcpy(p + n, version, strlen(version));
	n += strlen(version);
	n += put_uvarint(p + n, modlen);
	memcpy(p + n, mod, modlen);
	return n + modlen;
}

static void expect_version(struct goimg *g, const char *version, const char *modinfo)
{
	struct elf_file ef;
	struct cr_err err;
	assert_int_equal(di_parse(&g->d, &ef, &err), 0);
	struct go_buildinfo bi;
	bool found = go_buildinfo_read(&ef, &bi);
	if (!version) {
		assert_false(found);
		assert_null(bi.version);
		assert_null(bi.modinfo);
	} else {
		assert_true(found);
		assert_string_equal(bi.version, version);
		assert_string_equal(bi.modinfo, modinfo);
		go_buildinfo_free(&bi);
	}
	elf_close(&ef);
}

static void test_inline_form(void **state)
{
	struct goimg g;
	go_init(&g, FLAVOUR(state));
	char mod[sizeof mod_text + 32];
	size_t modlen = framed(mod, mod_text, strlen(mod_text));
	assert_true(modlen > 127); /* a two-byte varint */
	/* A decoy at the segment's start, which is not 16-byte aligned. */
	write_inline(&g.d.im, g.data, "go0.decoy", mod, modlen);
	write_inline(&g.d.im, data_off(&g, BLOB_VADDR), "go1.21.3", mod, modlen);
	di_finish(&g.d);
	expect_version(&g, "go1.21.3", mod_text);

	struct elf_file ef;
	struct cr_err err;
	assert_int_equal(di_parse(&g.d, &ef, &err), 0);
	struct needs n;
	needs_from_elf(&ef, &n);
	assert_string_equal(n.go.version, "go1.21.3");
	assert_null(n.go_build_id);
	needs_free(&n);
	elf_close(&ef);
	di_free(&g.d);
}

/* Before Go 1.18: two pointers to Go string headers {data, len}; here the
 * headers are in the writable segment and the bytes in the text segment. */
static void test_pointer_form(void **state)
{
	const struct flavour *f = FLAVOUR(state);
	struct goimg g;
	go_init(&g, f);
	struct img *im = &g.d.im;
	unsigned ps = f->bits / 8;
	static const char version[] = "go1.17.13";
	char mod[sizeof mod_text + 32];
	size_t modlen = framed(mod, mod_text, strlen(mod_text));
	size_t vbytes = img_append(im, version, sizeof version - 1, 1);
	size_t mbytes = img_append(im, mod, modlen, 1);

	size_t blob = data_off(&g, BLOB_VADDR);
	memcpy(im->buf + blob, magic, 14);
	im->buf[blob + 14] = (unsigned char)ps;
	im->buf[blob + 15] = f->be ? 1 : 0;
	uint64_t vhdr = BLOB_VADDR + 0x40, mhdr = BLOB_VADDR + 0x60;
	img_put(im, blob + 16, ps, vhdr);
	img_put(im, blob + 16 + ps, ps, mhdr);
	img_put(im, data_off(&g, vhdr), ps, di_vaddr(vbytes));
	img_put(im, data_off(&g, vhdr) + ps, ps, sizeof version - 1);
	img_put(im, data_off(&g, mhdr), ps, di_vaddr(mbytes));
	img_put(im, data_off(&g, mhdr) + ps, ps, modlen);
	di_finish(&g.d);
	expect_version(&g, "go1.17.13", mod_text);

	/* No module info (GOPATH mode): an empty string header. */
	img_put(im, data_off(&g, mhdr) + ps, ps, 0);
	expect_version(&g, "go1.17.13", "");
	/* The version's bytes outside every segment: not Go build info. */
	img_put(im, data_off(&g, vhdr), ps, 0x7000000);
	expect_version(&g, NULL, NULL);
	img_put(im, data_off(&g, vhdr), ps, di_vaddr(vbytes));
	/* A length past the segment's end. */
	img_put(im, data_off(&g, vhdr) + ps, ps, im->len);
	expect_version(&g, NULL, NULL);
	img_put(im, data_off(&g, vhdr) + ps, ps, sizeof version - 1);
	/* The header pointer outside every segment. */
	img_put(im, blob + 16, ps, 0x10);
	expect_version(&g, NULL, NULL);
	img_put(im, blob + 16, ps, vhdr);
	/* A pointer size the pointer form cannot have. */
	im->buf[blob + 14] = 3;
	expect_version(&g, NULL, NULL);
	im->buf[blob + 14] = (unsigned char)ps;
	expect_version(&g, "go1.17.13", "");
	di_free(&g.d);
}

/* With section headers the blob is found through .go.buildinfo even where
 * no writable segment holds it; without them, it is not. */
static void test_section_lookup(void **state)
{
	const struct flavour *f = FLAVOUR(state);
	struct dimg d;
	di_init(&d, f->bits, f->be);
	struct img *im = &d.im;
	char mod[sizeof mod_text + 32];
	size_t modlen = framed(mod, mod_text, strlen(mod_text));
	size_t blob = img_reserve(im, 32 + 2 + 8 + 2 + modlen, 16);
	size_t n = write_inline(im, blob, "go1.19.8", mod, modlen);
	static const char names[] = "\0.shstrtab\0.go.buildinfo\0";
	size_t names_off = img_append(im, names, sizeof names, 1);
	size_t shoff = img_reserve(im, 3 * shdr_size(f->bits), 8);
	struct elf_shdr null = { 0 };
	struct elf_shdr strtab = { NULL, SHT_STRTAB, 0, 0, 0, 0, names_off, sizeof names, 1, 0 };
	struct elf_shdr bi = { NULL, SHT_PROGBITS, 0, 0, SHF_ALLOC | SHF_WRITE, di_vaddr(blob), blob, n, 16, 0 };
	img_shdr(im, shoff, 0, 0, &null);
	img_shdr(im, shoff, 1, 1, &strtab);
	img_shdr(im, shoff, 2, 11, &bi);
	d.shoff = shoff;
	d.shnum = 3;
	d.shstrndx = 1;
	di_finish(&d);
	struct elf_file ef;
	struct cr_err err;
	assert_int_equal(di_parse(&d, &ef, &err), 0);
	struct go_buildinfo info;
	assert_true(go_buildinfo_read(&ef, &info));
	assert_string_equal(info.version, "go1.19.8");
	assert_string_equal(info.modinfo, mod_text);
	go_buildinfo_free(&info);
	elf_close(&ef);

	img_put(im, 24 + 3 * (f->bits / 8) + 12, 2, 0); /* e_shnum = 0 */
	img_word(im, 24 + 2 * (f->bits / 8), 0);        /* e_shoff = 0 */
	assert_int_equal(di_parse(&d, &ef, &err), 0);
	assert_false(go_buildinfo_read(&ef, &info));
	elf_close(&ef);
	di_free(&d);
}

static void test_modinfo_framing(void **state)
{
	struct goimg g;
	go_init(&g, FLAVOUR(state));
	struct img *im = &g.d.im;
	size_t blob = data_off(&g, BLOB_VADDR);
	di_finish(&g.d);

	/* The shortest framed text: one newline. */
	char mod[64];
	size_t modlen = framed(mod, "\n", 1);
	write_inline(im, blob, "go1.20", mod, modlen);
	expect_version(&g, "go1.20", "\n");
	/* 32 bytes cannot hold frames and text: no module info. */
	write_inline(im, blob, "go1.20", mod, 32);
	expect_version(&g, "go1.20", "");
	/* Framed text that does not end in a newline is not module info. */
	modlen = framed(mod, "path\tx", 6);
	write_inline(im, blob, "go1.20", mod, modlen);
	expect_version(&g, "go1.20", "");
	write_inline(im, blob, "go1.20", "", 0);
	expect_version(&g, "go1.20", "");
	di_free(&g.d);
}

static void test_damaged_inline(void **state)
{
	struct goimg g;
	go_init(&g, FLAVOUR(state));
	struct img *im = &g.d.im;
	size_t blob = data_off(&g, BLOB_VADDR);
	di_finish(&g.d);
	char mod[sizeof mod_text + 32];
	size_t modlen = framed(mod, mod_text, strlen(mod_text));

	/* An empty version means "not a Go program". */
	write_inline(im, blob, "", mod, modlen);
	expect_version(&g, NULL, NULL);
	/* A version length past the segment. */
	write_inline(im, blob, "go1.20", mod, modlen);
	im->buf[blob + 32] = 0xff;
	im->buf[blob + 33] = 0xff;
	im->buf[blob + 34] = 0x7f;
	expect_version(&g, NULL, NULL);
	/* A varint that never ends (ten and more continuation bytes). */
	memset(im->buf + blob + 32, 0x80, 16);
	expect_version(&g, NULL, NULL);
	/* The modinfo string running past the segment leaves modinfo empty. */
	write_inline(im, blob, "go1.20", mod, modlen);
	im->buf[blob + 32 + 1 + 6] = 0xff;
	im->buf[blob + 32 + 1 + 6 + 1] = 0x7f;
	expect_version(&g, "go1.20", "");

	/* A header cut by the segment's end: the magic in its last 16 bytes. */
	memset(im->buf + g.data, 0, DATA_SIZE);
	size_t last = g.data + DATA_SIZE - 8; /* vaddr DATA_VADDR + 1016, 16-aligned */
	memcpy(im->buf + last, magic, 8);
	expect_version(&g, NULL, NULL);
	di_free(&g.d);
}

/* A writable segment that ends where the file does, with a varint cut by
 * that end; then the same segment claiming more bytes than the file has. */
static void test_blob_at_end_of_file(void **state)
{
	const struct flavour *f = FLAVOUR(state);
	struct dimg d;
	di_init(&d, f->bits, f->be);
	size_t blob = img_reserve(&d.im, 48, 16);
	unsigned char *p = d.im.buf + blob;
	memcpy(p, magic, 14);
	p[14] = (unsigned char)(f->bits / 8);
	p[15] = 2;
	memset(p + 32, 0x80, 16);
	di_phdr_at(&d, PT_LOAD, PF_R | PF_W, blob, 0x700000, 48, 0x1000);
	di_finish(&d);
	assert_true(blob + 48 == d.im.len);
	struct elf_file ef;
	struct cr_err err;
	assert_int_equal(di_parse(&d, &ef, &err), 0);
	struct go_buildinfo bi;
	assert_false(go_buildinfo_read(&ef, &bi));
	elf_close(&ef);

	struct elf_phdr ph = d.ph[1];
	ph.filesz = 0x100000;
	img_phdr(&d.im, d.phoff, 1, &ph);
	assert_int_equal(di_parse(&d, &ef, &err), 0);
	assert_false(go_buildinfo_read(&ef, &bi));
	elf_close(&ef);
	di_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		EACH_FLAVOUR(test_inline_form),
		EACH_FLAVOUR(test_pointer_form),
		EACH_FLAVOUR(test_section_lookup),
		EACH_FLAVOUR(test_modinfo_framing),
		EACH_FLAVOUR(test_damaged_inline),
		EACH_FLAVOUR(test_blob_at_end_of_file),
	};
	return cmocka_run_group_tests_name("go_buildinfo", tests, NULL, NULL);
}
