/* Go build info (go/buildinfo.c): the Go 1.18+ inline form and the older
 * pointer form, in both byte orders and pointer sizes, found by scanning a
 * writable PT_LOAD at 16-byte steps of its virtual address (no section
 * headers), or through a .go.buildinfo section. Without the blob
 * (go/recover.c): the framed module text in raw bytes, hostile ones too,
 * and the runtime's strings through .symtab, the data or the segments. */
#include "test_common.h"

#include <elf.h>
#include <stdlib.h>
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

/* What go_buildinfo_read gives for the image: NULL for absent strings. */
static void expect_info(struct dimg *d, const char *version, const char *version_source, const char *modinfo,
			const char *modinfo_source)
{
	struct elf_file ef;
	struct cr_err err;
	assert_int_equal(di_parse(d, &ef, &err), 0);
	struct go_buildinfo bi;
	assert_int_equal(go_buildinfo_read(&ef, &bi), version != NULL);
	if (version)
		assert_string_equal(bi.version, version);
	else
		assert_null(bi.version);
	if (modinfo)
		assert_string_equal(bi.modinfo, modinfo);
	else
		assert_null(bi.modinfo);
	assert_string_equal(bi.version_source, version_source);
	assert_string_equal(bi.modinfo_source, modinfo_source);
	go_buildinfo_free(&bi);
	elf_close(&ef);
}

static void expect_version(struct goimg *g, const char *version, const char *modinfo)
{
	const char *source = version ? "build info" : "";
	expect_info(&g->d, version, source, modinfo, source);
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

/* ---- the framed module text in raw bytes (go_modinfo_blob_find) ---------- */

enum { big_text = 1 << 20 };

static bool find_in(const unsigned char *buf, size_t size, uint64_t from, uint64_t max, uint64_t *at,
		    uint64_t *len)
{
	struct byte_view v = { buf, size, false };
	return go_modinfo_blob_find(&v, from, max, at, len);
}

static void test_blob_find(void **state)
{
	(void)state;
	unsigned char buf[1024];
	char mod[sizeof mod_text + 32];
	size_t modlen = framed(mod, mod_text, strlen(mod_text));
	uint64_t at, len;

	/* Among other bytes, and again from a later offset. */
	memset(buf, 0xaa, sizeof buf);
	memcpy(buf + 100, mod, modlen);
	assert_true(find_in(buf, sizeof buf, 0, big_text, &at, &len));
	assert_int_equal(at, 100);
	assert_int_equal(len, modlen);
	assert_false(find_in(buf, sizeof buf, 101, big_text, &at, &len));
	/* Ending where the bytes do. */
	assert_true(find_in(buf, 100 + modlen, 0, big_text, &at, &len));
	assert_int_equal(at + len, 100 + modlen);
	/* The end frame cut by the end of the bytes. */
	assert_false(find_in(buf, 100 + modlen - 1, 0, big_text, &at, &len));
	/* Text of exactly the limit, and one byte over it. */
	assert_true(find_in(buf, sizeof buf, 0, strlen(mod_text), &at, &len));
	assert_false(find_in(buf, sizeof buf, 0, strlen(mod_text) - 1, &at, &len));

	/* A start frame without an end, then a whole blob: the blob. */
	memset(buf, 0, sizeof buf);
	memcpy(buf, info_start, 16);
	memcpy(buf + 16, "path\tx\n", 7);
	memcpy(buf + 200, mod, modlen);
	assert_true(find_in(buf, sizeof buf, 0, big_text, &at, &len));
	assert_int_equal(at, 200);
	/* A blob right after another start frame's text (whose run takes in
	 * the blob's first frame bytes), and right after a bare start frame. */
	memset(buf, 'a', 200);
	memcpy(buf + 100, info_start, 16);
	assert_true(find_in(buf, sizeof buf, 0, big_text, &at, &len));
	assert_int_equal(at, 200);
	memcpy(buf, info_start, 16);
	memcpy(buf + 100, mod, modlen);
	assert_true(find_in(buf, sizeof buf, 0, big_text, &at, &len));
	assert_int_equal(at, 100);
	memcpy(buf + 84, info_start, 16);
	assert_true(find_in(buf, sizeof buf, 0, big_text, &at, &len));
	assert_int_equal(at, 100);

	/* Text that breaks Go's rules: no final newline, a control byte,
	 * nothing at all between the frames. */
	memset(buf, 0, sizeof buf);
	modlen = framed((char *)buf, "path\tx", 6);
	assert_false(find_in(buf, sizeof buf, 0, big_text, &at, &len));
	modlen = framed((char *)buf, "path\tx\r\n", 8);
	assert_false(find_in(buf, sizeof buf, 0, big_text, &at, &len));
	modlen = framed((char *)buf, "", 0);
	assert_false(find_in(buf, sizeof buf, 0, big_text, &at, &len));
	/* The shortest text Go accepts: one newline. */
	modlen = framed((char *)buf, "\n", 1);
	assert_true(find_in(buf, sizeof buf, 0, big_text, &at, &len));
	assert_int_equal(len, 33);

	/* A start frame in the last 16 bytes, and cut by the end. */
	memset(buf, 0, sizeof buf);
	memcpy(buf + sizeof buf - 16, info_start, 16);
	assert_false(find_in(buf, sizeof buf, 0, big_text, &at, &len));
	assert_false(find_in(buf, sizeof buf - 1, 0, big_text, &at, &len));
	assert_false(find_in(buf, sizeof buf, sizeof buf + 5, big_text, &at, &len));
	struct byte_view none = { NULL, 0, false };
	assert_false(go_modinfo_blob_find(&none, 0, big_text, &at, &len));
}

/* Hostile bytes: text past any sane length with its end frame, start
 * frames back to back, start frames each followed by long text. Each is
 * read in time linear in its size (the watchdog ends a slow run). */
static void test_blob_find_hostile(void **state)
{
	(void)state;
	size_t size = 16u << 20;
	unsigned char *buf = malloc(size);
	assert_non_null(buf);
	uint64_t at, len;
	memcpy(buf, info_start, 16);
	memset(buf + 16, 'a', size - 16 - 16 - 1);
	buf[size - 17] = '\n';
	memcpy(buf + size - 16, info_end, 16);
	double t0 = now_seconds();
	assert_false(find_in(buf, size, 0, big_text, &at, &len));
	assert_true(find_in(buf, size, 0, size, &at, &len)); /* the same with no limit */
	for (size_t i = 0; i + 16 <= size; i += 16)
		memcpy(buf + i, info_start, 16);
	assert_false(find_in(buf, size, 0, big_text, &at, &len));
	for (size_t i = 0; i + 4096 <= size; i += 4096) {
		memcpy(buf + i, info_start, 16);
		memset(buf + i + 16, 'b', 4096 - 16);
	}
	assert_false(find_in(buf, size, 0, big_text, &at, &len));
	assert_true(now_seconds() - t0 < 5);
	free(buf);
}

/* ---- recovery without the blob (go/recover.c) ----------------------------- */

/* A Go program as some vendors ship it: no build info blob; the version
 * and module text as Go strings (bytes in .rodata, headers in .data), a
 * .gopclntab section saying it is Go, and, optionally, .symtab naming the
 * runtime's variables. */
struct recimg {
	struct dimg d;
	size_t version, modinfo, other; /* file offsets of the strings */
	size_t modlen;
	size_t data;                    /* .data: string headers, 8 words */
};

enum { rec_symtab = 1, rec_no_go_section = 2, rec_headerless = 4 };

static void rec_header(struct recimg *r, unsigned slot, uint64_t addr, uint64_t len)
{
	unsigned ps = img_wordsize(&r->d.im);
	img_word(&r->d.im, r->data + 2 * slot * ps, addr);
	img_word(&r->d.im, r->data + (2 * slot + 1) * ps, len);
}

static void rec_build(struct recimg *r, const struct flavour *f, unsigned how)
{
	struct dimg *d = &r->d;
	struct img *im = &d->im;
	di_init(d, f->bits, f->be);
	unsigned ps = f->bits / 8;
	char mod[sizeof mod_text + 32];
	r->modlen = framed(mod, mod_text, strlen(mod_text));
	size_t rodata = img_append(im, "v1.8.1", 6, 32);
	r->version = img_append(im, "go1.22.5\0", 9, 1);
	r->other = img_append(im, "go1.21.0 X:loopvar", 18, 1);
	r->modinfo = img_append(im, mod, r->modlen, 1);
	size_t rodata_end = im->len;
	r->data = img_reserve(im, 16 * ps, 32);
	/* Slots 0 and 1: runtime.buildVersion and runtime.modinfo. Slots 2
	 * and 3, decoys: a string that is no Go version; the version with a
	 * length past every segment. */
	rec_header(r, 0, di_vaddr(r->version), 8);
	rec_header(r, 1, di_vaddr(r->modinfo), r->modlen);
	rec_header(r, 2, di_vaddr(rodata), 6);
	rec_header(r, 3, di_vaddr(r->version), UINT64_MAX >> (64 - f->bits));
	static const char strtab[] = "\0runtime.buildVersion\0runtime.modinfo\0";
	size_t str_off = img_append(im, strtab, sizeof strtab, 1);
	size_t sym_off = img_reserve(im, 3 * sym_size(f->bits), 8);
	img_sym(im, sym_off + sym_size(f->bits), 1, STT_OBJECT | STB_GLOBAL << 4, 0, 3, di_vaddr(r->data), 2 * ps);
	img_sym(im, sym_off + 2 * sym_size(f->bits), 22, STT_OBJECT | STB_GLOBAL << 4, 0, 3,
		di_vaddr(r->data + 2 * ps), 2 * ps);
	if (how & rec_headerless) {
		/* No sections: the Go note says Go, and the one segment is
		 * writable so its words are read as string headers. */
		size_t note = img_reserve(im, note_size(4, 8, 4), 4);
		img_note(im, note, "Go\0", 4, 4, "abcdefgh", 8, 4);
		di_phdr(d, PT_NOTE, PF_R, note, note_size(4, 8, 4), 4);
		d->load_flags = PF_R | PF_W;
		di_finish(d);
		return;
	}
	static const char names[] = "\0.shstrtab\0.rodata\0.data\0.gopclntab\0.symtab\0.strtab\0.text\0";
	size_t names_off = img_append(im, names, sizeof names, 1);
	size_t n = (how & rec_symtab) ? 8 : 6;
	size_t shoff = img_reserve(im, n * shdr_size(f->bits), 8);
	struct elf_shdr null = { 0 };
	struct elf_shdr shstrtab = { NULL, SHT_STRTAB, 0, 0, 0, 0, names_off, sizeof names, 1, 0 };
	struct elf_shdr ro = { NULL, SHT_PROGBITS, 0, 0, SHF_ALLOC, di_vaddr(rodata), rodata, rodata_end - rodata, 32, 0 };
	struct elf_shdr data = { NULL, SHT_PROGBITS, 0, 0, SHF_ALLOC | SHF_WRITE, di_vaddr(r->data), r->data, 16 * ps, 32, 0 };
	struct elf_shdr pcln = { NULL, SHT_PROGBITS, 0, 0, SHF_ALLOC, di_vaddr(0), 0, 8, 32, 0 };
	struct elf_shdr symtab = { NULL, SHT_SYMTAB, 7, 1, 0, 0, sym_off, 3 * sym_size(f->bits), 8, sym_size(f->bits) };
	struct elf_shdr strs = { NULL, SHT_STRTAB, 0, 0, 0, 0, str_off, sizeof strtab, 1, 0 };
	img_shdr(im, shoff, 0, 0, &null);
	img_shdr(im, shoff, 1, 1, &shstrtab);
	img_shdr(im, shoff, 2, 11, &ro);
	img_shdr(im, shoff, 3, 19, &data);
	/* The section that says Go, or one that does not. */
	img_shdr(im, shoff, 4, (how & rec_no_go_section) ? 50 : 25, &pcln);
	img_shdr(im, shoff, 5, 50, &pcln);
	if (how & rec_symtab) {
		img_shdr(im, shoff, 6, 36, &symtab);
		img_shdr(im, shoff, 7, 44, &strs);
	}
	d->shoff = shoff;
	d->shnum = (uint16_t)n;
	d->shstrndx = 1;
	di_finish(d);
}

static void test_recover_stripped(void **state)
{
	struct recimg r;
	rec_build(&r, FLAVOUR(state), 0);
	expect_info(&r.d, "go1.22.5", "string header in .data", mod_text, ".rodata section");
	/* Two Go strings that read as versions: neither is taken. */
	rec_header(&r, 2, di_vaddr(r.other), 18);
	expect_info(&r.d, NULL, "", mod_text, ".rodata section");
	/* Experiments are part of the version; a header cut to "go1." is not. */
	rec_header(&r, 0, di_vaddr(r.other), 4);
	expect_info(&r.d, "go1.21.0 X:loopvar", "string header in .data", mod_text, ".rodata section");
	/* The module text's end frame damaged: the version alone. */
	r.d.im.buf[r.modinfo + r.modlen - 1] ^= 1;
	expect_info(&r.d, "go1.21.0 X:loopvar", "string header in .data", "", "");
	di_free(&r.d);

	/* Nothing says Go: nothing is read. */
	rec_build(&r, FLAVOUR(state), rec_no_go_section);
	expect_info(&r.d, NULL, "", NULL, "");
	di_free(&r.d);
}

static void test_recover_symtab(void **state)
{
	const struct flavour *f = FLAVOUR(state);
	unsigned ps = f->bits / 8;
	struct recimg r;
	rec_build(&r, f, rec_symtab);
	expect_info(&r.d, "go1.22.5", "runtime.buildVersion", mod_text, "runtime.modinfo");
	/* runtime.modinfo one byte short of its frame, or one past it: the
	 * frames are found in the bytes instead. */
	rec_header(&r, 1, di_vaddr(r.modinfo), r.modlen - 1);
	expect_info(&r.d, "go1.22.5", "runtime.buildVersion", mod_text, ".rodata section");
	rec_header(&r, 1, di_vaddr(r.modinfo), r.modlen + 1);
	expect_info(&r.d, "go1.22.5", "runtime.buildVersion", mod_text, ".rodata section");
	/* A byte no version has: no version, through either route. */
	r.d.im.buf[r.version + 7] = 0xb5;
	expect_info(&r.d, NULL, "", mod_text, ".rodata section");
	r.d.im.buf[r.version + 7] = '5';
	/* runtime.buildVersion with a huge length: the data is scanned. */
	img_word(&r.d.im, r.data + ps, UINT64_MAX >> (64 - f->bits));
	rec_header(&r, 4, di_vaddr(r.version), 8);
	expect_info(&r.d, "go1.22.5", "string header in .data", mod_text, ".rodata section");
	di_free(&r.d);
}

static void test_recover_headerless(void **state)
{
	struct recimg r;
	rec_build(&r, FLAVOUR(state), rec_headerless);
	expect_info(&r.d, "go1.22.5", "string header in a writable segment", mod_text, "loaded segment");
	di_free(&r.d);
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
		ONE(test_blob_find),
		ONE(test_blob_find_hostile),
		EACH_FLAVOUR(test_recover_stripped),
		EACH_FLAVOUR(test_recover_symtab),
		EACH_FLAVOUR(test_recover_headerless),
	};
	return cmocka_run_group_tests_name("go_buildinfo", tests, NULL, NULL);
}
