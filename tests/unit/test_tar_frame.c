/* tar_frame.c: following a tar stream's framing to say, where the stream
 * stops, whether it stopped inside a member (truncated) or only inside
 * padding or before the end blocks (completed with zeros).
 *
 * Archives are written here block by block in ustar, pax and GNU forms
 * (long names, pax "size" records that override the header, base-256
 * sizes, GNU sparse maps, global headers), and the writer records, for
 * every offset, whether a stream ending there is truncated. Each archive
 * is cut at every offset and fed in several chunkings; the frame's verdict
 * must match, and where it completes the stream, libarchive (the reader
 * canrun hands the bytes to) must read the completed stream as the same
 * members with the same contents as the whole archive. Damaged and random
 * input must give the same verdict however it is chunked, without a crash
 * or a hang. */
#include "test_common.h"

#include <archive.h>
#include <archive_entry.h>
#include <stdlib.h>
#include <string.h>

#include "target/tar_frame.h"

enum { BLK = 512 };
enum verdict { UNSET, OK, CUT, NONE }; /* NONE: inside the first header, no opinion */

struct tarw {
	unsigned char *p;
	unsigned char *verdict; /* [0, len]: a stream ending at this offset */
	size_t len, cap;
	bool pending; /* an extended header waits for its entry */
};

static void grow(struct tarw *t, size_t n)
{
	if (t->len + n + 1 <= t->cap)
		return;
	while (t->len + n + 1 > t->cap)
		t->cap = t->cap ? t->cap * 2 : 4096;
	t->p = realloc(t->p, t->cap);
	t->verdict = realloc(t->verdict, t->cap);
	assert_non_null(t->p);
	assert_non_null(t->verdict);
}

static void put(struct tarw *t, const void *d, size_t n, enum verdict v)
{
	grow(t, n);
	if (d)
		memcpy(t->p + t->len, d, n);
	else
		memset(t->p + t->len, 0, n);
	for (size_t i = 0; i < n; i++)
		t->verdict[t->len + i] = (unsigned char)v;
	t->len += n;
	t->verdict[t->len] = UNSET;
}

enum magic { USTAR, GNU, V7 };

struct hdr {
	const char *name, *prefix, *link;
	char type;
	uint64_t size;      /* the size field */
	bool base256;
	enum magic magic;
	bool bad_checksum;
	const char *sparse; /* GNU: 4 sparse entries' 24 bytes each, from offset 386, and isextended */
	size_t sparse_len;
};

static void octal(unsigned char *f, size_t n, uint64_t v)
{
	char tmp[32];
	snprintf(tmp, sizeof tmp, "%0*llo", (int)n - 1, (unsigned long long)v);
	memcpy(f, tmp, n - 1);
	f[n - 1] = 0;
}

/* The header's checksum, off by WRONG. */
static void seal(unsigned char *b, unsigned wrong)
{
	memset(b + 148, ' ', 8);
	unsigned sum = 0;
	for (int i = 0; i < BLK; i++)
		sum += b[i];
	octal(b + 148, 7, sum + wrong);
	b[155] = ' ';
}

static void header_block(unsigned char *b, const struct hdr *h)
{
	memset(b, 0, BLK);
	memcpy(b, h->name, strnlen(h->name, 100));
	octal(b + 100, 8, 0644);
	octal(b + 108, 8, 0);
	octal(b + 116, 8, 0);
	if (h->base256) {
		b[124] = 0x80;
		for (int i = 0; i < 8; i++)
			b[135 - i] = (unsigned char)(h->size >> (8 * i));
	} else {
		octal(b + 124, 12, h->size);
	}
	octal(b + 136, 12, 0);
	b[156] = (unsigned char)h->type;
	if (h->link)
		memcpy(b + 157, h->link, strnlen(h->link, 100));
	if (h->magic == USTAR)
		memcpy(b + 257, "ustar\0" "00", 8);
	else if (h->magic == GNU)
		memcpy(b + 257, "ustar  \0", 8);
	if (h->prefix)
		memcpy(b + 345, h->prefix, strnlen(h->prefix, 155));
	if (h->sparse)
		memcpy(b + 386, h->sparse, h->sparse_len);
	seal(b, h->bad_checksum ? 1 : 0);
}

static bool is_ext(char type)
{
	return type == 'x' || type == 'L' || type == 'K';
}

/* A member: its header, LEN bytes of DATA (the framing, whatever the size
 * field says) and the padding. Returns where its data starts. */
static size_t member(struct tarw *t, const struct hdr *h, const void *data, size_t len)
{
	unsigned char b[BLK];
	header_block(b, h);
	size_t at = t->len;
	put(t, b, BLK, at ? CUT : NONE);
	t->verdict[at] = t->pending ? CUT : OK;
	if (is_ext(h->type))
		t->pending = true;
	else if (h->type != 'g')
		t->pending = false;
	size_t start = t->len;
	put(t, data, len, CUT);
	size_t pad = (BLK - len % BLK) % BLK;
	put(t, NULL, pad, t->pending ? CUT : OK);
	t->verdict[t->len] = t->pending ? CUT : OK;
	return start;
}

static void file(struct tarw *t, const char *name, size_t len, unsigned char fill)
{
	unsigned char *d = malloc(len ? len : 1);
	for (size_t i = 0; i < len; i++)
		d[i] = (unsigned char)(fill + i * 7);
	struct hdr h = { .name = name, .type = '0', .size = len };
	member(t, &h, d, len);
	free(d);
}

static void trailer(struct tarw *t)
{
	put(t, NULL, 2 * BLK, OK);
	t->verdict[t->len] = OK;
}

/* "LEN KEY=VALUE\n" with its own length. */
static size_t pax_record(char *out, size_t cap, const char *key, const char *value)
{
	size_t body = strlen(key) + strlen(value) + 3, len = body;
	for (size_t digits = 1;; digits++) {
		char tmp[24];
		len = body + digits;
		if ((size_t)snprintf(tmp, sizeof tmp, "%zu", len) == digits)
			break;
	}
	return (size_t)snprintf(out, cap, "%zu %s=%s\n", len, key, value);
}

/* An empty stream, which is not truncated. */
static void start(struct tarw *t)
{
	memset(t, 0, sizeof *t);
	put(t, NULL, 0, OK);
	t->verdict[0] = OK;
}

static void free_tarw(struct tarw *t)
{
	free(t->p);
	free(t->verdict);
}

/* ---- libarchive's reading, the reference ---------------------------------- */

struct entry {
	char name[300];
	unsigned char *data;
	size_t len;
};

struct reading {
	struct entry e[64];
	size_t n;
	bool failed;
};

static void read_with_libarchive(const unsigned char *p, size_t len, struct reading *r)
{
	memset(r, 0, sizeof *r);
	struct archive *a = archive_read_new();
	archive_read_support_format_tar(a);
	archive_read_support_format_empty(a);
	if (archive_read_open_memory(a, p, len) != ARCHIVE_OK) {
		r->failed = true;
		archive_read_free(a);
		return;
	}
	struct archive_entry *ae;
	for (;;) {
		int rc = archive_read_next_header(a, &ae);
		if (rc == ARCHIVE_EOF)
			break;
		if ((rc != ARCHIVE_OK && rc != ARCHIVE_WARN) || r->n == 64) {
			r->failed = true;
			break;
		}
		struct entry *e = &r->e[r->n++];
		snprintf(e->name, sizeof e->name, "%s", archive_entry_pathname(ae) ? archive_entry_pathname(ae) : "");
		unsigned char buf[4096];
		la_ssize_t got;
		while ((got = archive_read_data(a, buf, sizeof buf)) > 0) {
			e->data = realloc(e->data, e->len + (size_t)got);
			memcpy(e->data + e->len, buf, (size_t)got);
			e->len += (size_t)got;
		}
		if (got < 0) {
			r->failed = true;
			break;
		}
	}
	archive_read_free(a);
}

static void free_reading(struct reading *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->e[i].data);
}

static bool same_entry(const struct entry *a, const struct entry *b)
{
	return strcmp(a->name, b->name) == 0 && a->len == b->len && (!a->len || memcmp(a->data, b->data, a->len) == 0);
}

/* ---- the sweep ------------------------------------------------------------ */

static enum tar_end judge(const unsigned char *p, size_t len, size_t chunk, size_t *zeros, char *why, size_t wl)
{
	struct tar_frame f;
	tar_frame_init(&f);
	for (size_t at = 0; at < len; at += chunk)
		tar_frame_feed(&f, p + at, len - at < chunk ? len - at : chunk);
	return tar_frame_end(&f, zeros, why, wl);
}

/* Every cut of T: the verdict the writer recorded, in every chunking; a
 * completed stream read by libarchive as a prefix of the whole archive. */
static void sweep(const struct tarw *t)
{
	struct reading whole;
	read_with_libarchive(t->p, t->len, &whole);
	assert_false(whole.failed);
	unsigned char *buf = malloc(t->len + 4 * BLK);
	static const size_t chunks[] = { 1, 7, 511, 512, 513, 100000 };
	for (size_t cut = 0; cut <= t->len; cut++) {
		assert_int_not_equal(t->verdict[cut], UNSET);
		size_t zeros = 0;
		char why[200] = "";
		enum tar_end e = judge(t->p, cut, 100000, &zeros, why, sizeof why);
		enum tar_end want = t->verdict[cut] == OK ? TAR_COMPLETE : t->verdict[cut] == CUT ? TAR_TRUNCATED : TAR_UNKNOWN;
		if (e != want)
			fail_msg("cut at %zu of %zu: verdict %d, want %d (%s)", cut, t->len, e, want, why);
		for (size_t c = 0; c < sizeof chunks / sizeof chunks[0] && cut < 3000; c++) {
			size_t z2 = 0;
			char why2[200] = "";
			assert_int_equal(judge(t->p, cut, chunks[c], &z2, why2, sizeof why2), e);
			assert_int_equal(z2, zeros);
			assert_string_equal(why2, why);
		}
		if (e != TAR_COMPLETE)
			continue;
		assert_true(zeros <= 3 * BLK);
		memcpy(buf, t->p, cut);
		memset(buf + cut, 0, zeros);
		struct reading part;
		read_with_libarchive(buf, cut + zeros, &part);
		if (part.failed)
			fail_msg("cut at %zu of %zu, %zu zeros: libarchive fails", cut, t->len, zeros);
		assert_true(part.n <= whole.n);
		for (size_t i = 0; i < part.n; i++)
			if (!same_entry(&part.e[i], &whole.e[i]))
				fail_msg("cut at %zu: entry %zu (%s) differs", cut, i, part.e[i].name);
		free_reading(&part);
	}
	free(buf);
	free_reading(&whole);
}

/* ---- archives ------------------------------------------------------------- */

static void test_ustar(void **state)
{
	(void)state;
	struct tarw t;
	start(&t);
	struct hdr dir = { .name = "etc/", .type = '5' };
	member(&t, &dir, NULL, 0);
	file(&t, "etc/a", 100, 1);
	file(&t, "etc/empty", 0, 0);
	file(&t, "etc/block", BLK, 2);
	struct hdr lnk = { .name = "b", .type = '2', .link = "etc/a" };
	member(&t, &lnk, NULL, 0);
	/* A long name in the prefix field. */
	struct hdr pre = { .name = "file", .prefix = "usr/share/a-rather-long-directory-name", .type = '0', .size = 3 };
	member(&t, &pre, "abc", 3);
	file(&t, "etc/last", 1000, 3);
	trailer(&t);
	sweep(&t);

	/* Cut inside the last file's data: its name and what is missing. */
	size_t zeros;
	char why[200];
	size_t end_of_last = t.len - 2 * BLK - (BLK - 1000 % BLK);
	assert_int_equal(judge(t.p, end_of_last - 51, 4096, &zeros, why, sizeof why), TAR_TRUNCATED);
	assert_string_equal(why, "etc/last: truncated: 51 of its 1000 bytes are missing");
	/* Only its padding and the end blocks missing: 24 + 1024 zeros. */
	assert_int_equal(judge(t.p, end_of_last, 4096, &zeros, why, sizeof why), TAR_COMPLETE);
	assert_int_equal(zeros, 24 + 2 * BLK);
	assert_int_equal(judge(t.p, end_of_last + 24, 4096, &zeros, why, sizeof why), TAR_COMPLETE);
	assert_int_equal(zeros, 2 * BLK);
	assert_int_equal(judge(t.p, end_of_last + 24 + 100, 4096, &zeros, why, sizeof why), TAR_COMPLETE);
	assert_int_equal(zeros, 2 * BLK - 100 + BLK);
	assert_int_equal(judge(t.p, end_of_last + 24 + BLK, 4096, &zeros, why, sizeof why), TAR_COMPLETE);
	assert_int_equal(zeros, 0);
	/* Inside a header. */
	assert_int_equal(judge(t.p, BLK + 10, 4096, &zeros, why, sizeof why), TAR_TRUNCATED);
	assert_string_equal(why, "truncated inside the tar header after etc/ (502 of its 512 bytes are missing)");
	/* Inside the first: it may be no tar at all. */
	assert_int_equal(judge(t.p, 10, 4096, &zeros, why, sizeof why), TAR_UNKNOWN);
	/* Nothing at all: an empty layer, not a tar archive to complete. */
	assert_int_equal(judge(t.p, 0, 4096, &zeros, why, sizeof why), TAR_COMPLETE);
	assert_int_equal(zeros, 0);
	free_tarw(&t);
}

static void test_pax(void **state)
{
	(void)state;
	struct tarw t;
	start(&t);
	char rec[4096];
	char longname[260];
	memset(longname, 'n', sizeof longname - 1);
	longname[sizeof longname - 1] = '\0';
	memcpy(longname, "usr/", 4);
	/* A path and a "size" that overrides the header's wrong size field. */
	size_t n = pax_record(rec, sizeof rec, "path", longname);
	n += pax_record(rec + n, sizeof rec - n, "size", "700");
	struct hdr x = { .name = "PaxHeaders/1", .type = 'x', .size = n, .magic = USTAR };
	member(&t, &x, rec, n);
	unsigned char data[700];
	memset(data, 0x5a, sizeof data);
	struct hdr f = { .name = "short", .type = '0', .size = 3, .magic = USTAR };
	size_t file_data = member(&t, &f, data, sizeof data);
	/* A global header, then a file. */
	n = pax_record(rec, sizeof rec, "comment", "global");
	struct hdr g = { .name = "GlobalHead", .type = 'g', .size = n, .magic = USTAR };
	member(&t, &g, rec, n);
	file(&t, "after-global", 10, 4);
	/* A malformed record (its length runs past the header's end): libarchive
	 * stops reading there, so the "size" after it is not applied. */
	n = (size_t)snprintf(rec, sizeof rec, "4 a=\n");
	n += pax_record(rec + n, sizeof rec - n, "size", "99");
	struct hdr bad = { .name = "PaxHeaders/2", .type = 'x', .size = n, .magic = USTAR };
	member(&t, &bad, rec, n);
	struct hdr f2 = { .name = "kept-size", .type = '0', .size = 20, .magic = USTAR };
	member(&t, &f2, data, 20);
	/* Malformed records, so no "size" applies: shorter than its own length
	 * field, longer than the header, not ending in '\n'. */
	static const char *const malformed[] = { "1 size=\n", "99 size=5\n", "9 size=5X" };
	for (size_t i = 0; i < 3; i++) {
		struct hdr bad2 = { .name = "PaxHeaders/4", .type = 'x', .size = strlen(malformed[i]), .magic = USTAR };
		member(&t, &bad2, malformed[i], strlen(malformed[i]));
		member(&t, &f2, data, 20);
	}
	/* A "size" on a directory: libarchive frames that data too. */
	n = pax_record(rec, sizeof rec, "size", "5");
	struct hdr x3 = { .name = "PaxHeaders/3", .type = 'x', .size = n, .magic = USTAR };
	member(&t, &x3, rec, n);
	struct hdr d = { .name = "dir/", .type = '5', .magic = USTAR };
	member(&t, &d, data, 5);
	trailer(&t);
	sweep(&t);

	/* The long name in messages, cut to what a line shows. */
	size_t zeros;
	char why[200];
	assert_int_equal(judge(t.p, file_data + 100, 4096, &zeros, why, sizeof why), TAR_TRUNCATED);
	assert_non_null(strstr(why, "usr/nnnn"));
	assert_non_null(strstr(why, "...: truncated: 600 of its 700 bytes are missing"));
	/* After the extended header, before its entry. */
	assert_int_equal(judge(t.p, file_data - BLK, 4096, &zeros, why, sizeof why), TAR_TRUNCATED);
	assert_non_null(strstr(why, "...: truncated after its extended header, before the entry itself"));
	free_tarw(&t);
}

static void test_gnu(void **state)
{
	(void)state;
	struct tarw t;
	start(&t);
	char longname[300];
	memset(longname, 'g', sizeof longname - 1);
	longname[sizeof longname - 1] = '\0';
	struct hdr l = { .name = "././@LongLink", .type = 'L', .size = sizeof longname, .magic = GNU };
	member(&t, &l, longname, sizeof longname);
	struct hdr f = { .name = "ggg", .type = '0', .size = 600, .magic = GNU };
	unsigned char data[1536];
	memset(data, 0x33, sizeof data);
	member(&t, &f, data, 600);
	struct hdr k = { .name = "././@LongLink", .type = 'K', .size = sizeof longname, .magic = GNU };
	member(&t, &k, longname, sizeof longname);
	/* Symlinks, devices and FIFOs have no data, whatever their size says. */
	static const char no_data[] = "23456";
	for (const char *c = no_data; *c; c++) {
		char nm[8] = "type-";
		nm[5] = *c;
		struct hdr s = { .name = nm, .type = *c, .size = 700, .link = "x", .magic = GNU };
		member(&t, &s, NULL, 0);
	}
	/* A size in base-256. */
	struct hdr big = { .name = "base256", .type = '0', .size = 1100, .base256 = true, .magic = GNU };
	member(&t, &big, data, 1100);
	/* An old-style GNU sparse file: 512 bytes at 0, an extension block
	 * with 512 bytes at 1536, 1024 bytes stored, 2048 long. */
	char sp[97] = { 0 }; /* two extension blocks: 512 bytes at 1024, then at 1536 */
	snprintf(sp, 13, "%011o", 0);
	snprintf(sp + 12, 13, "%011o", 512);
	sp[96] = 1; /* isextended */
	struct hdr sparse = { .name = "sparse", .type = 'S', .size = 1536, .magic = GNU, .sparse = sp, .sparse_len = 97 };
	unsigned char b[BLK];
	header_block(b, &sparse);
	snprintf((char *)b + 483, 12, "%011o", 2048); /* realsize */
	seal(b, 0);
	size_t at = t.len;
	put(&t, b, BLK, CUT);
	t.verdict[at] = OK;
	unsigned char ext[BLK] = { 0 };
	snprintf((char *)ext, 13, "%011o", 1024);
	snprintf((char *)ext + 12, 13, "%011o", 512);
	ext[504] = 1;
	put(&t, ext, BLK, CUT);
	memset(ext, 0, sizeof ext);
	snprintf((char *)ext, 13, "%011o", 1536);
	snprintf((char *)ext + 12, 13, "%011o", 512);
	put(&t, ext, BLK, CUT);
	put(&t, data, 1536, CUT);
	t.verdict[t.len] = OK;
	trailer(&t);
	sweep(&t);
	size_t zeros;
	char why[200];
	assert_int_equal(judge(t.p, at + BLK + 100, 4096, &zeros, why, sizeof why), TAR_TRUNCATED);
	assert_string_equal(why, "sparse: truncated inside its GNU sparse map (412 of a 512-byte block are missing)");
	free_tarw(&t);
}

/* Where libarchive guesses or refuses, the frame has no opinion. */
static void test_gives_up(void **state)
{
	(void)state;
	struct {
		struct hdr h;
		size_t len;
	} cases[] = {
		{ { .name = "hard", .type = '1', .link = "a", .size = 10, .magic = USTAR }, 10 },
		{ { .name = "vol", .type = 'V', .size = 10, .magic = GNU }, 10 },
		{ { .name = "dir-as-file/", .type = '0', .size = 10, .magic = USTAR }, 10 },
		{ { .name = "bad", .type = '0', .size = 10, .bad_checksum = true }, 10 },
		{ { .name = "huge-pax", .type = 'x', .size = (2u << 20), .magic = USTAR }, 0 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct tarw t = { 0 };
		file(&t, "first", 5, 0);
		size_t data = member(&t, &cases[i].h, NULL, cases[i].len);
		size_t zeros;
		char why[200];
		/* Cut inside its data: still no opinion. */
		size_t cut = data + (cases[i].len ? 3 : 0);
		assert_int_equal(judge(t.p, cut, 4096, &zeros, why, sizeof why), TAR_UNKNOWN);
		assert_int_equal(zeros, 0);
		free_tarw(&t);
	}
	/* A pax path naming a directory, for a regular file with data. */
	struct tarw t2 = { 0 };
	char rec[64];
	size_t n = pax_record(rec, sizeof rec, "path", "dir/");
	struct hdr x = { .name = "PaxHeaders/1", .type = 'x', .size = n, .magic = USTAR };
	member(&t2, &x, rec, n);
	struct hdr f = { .name = "file", .type = '0', .size = 10, .magic = USTAR };
	size_t at = member(&t2, &f, NULL, 10);
	size_t z2;
	char w2[200];
	assert_int_equal(judge(t2.p, at + 3, 4096, &z2, w2, sizeof w2), TAR_UNKNOWN);
	free_tarw(&t2);

	/* 31 extended headers before an entry are fine, 32 too many. */
	for (int heads = 31; heads <= 32; heads++) {
		struct tarw c;
		start(&c);
		for (int i = 0; i < heads; i++) {
			struct hdr g = { .name = "GlobalHead", .type = 'g', .size = 6, .magic = USTAR };
			member(&c, &g, "6 a=\n", 6);
		}
		file(&c, "file", 10, 0);
		trailer(&c);
		struct reading r;
		read_with_libarchive(c.p, c.len, &r);
		assert_int_equal(r.failed, heads == 32);
		free_reading(&r);
		size_t z;
		char w[200];
		assert_int_equal(judge(c.p, c.len - 2 * BLK, 4096, &z, w, sizeof w), heads == 32 ? TAR_UNKNOWN : TAR_COMPLETE);
		free_tarw(&c);
	}

	/* A negative size field. */
	struct tarw t = { 0 };
	struct hdr neg = { .name = "neg", .type = '0', .size = 0, .magic = USTAR };
	unsigned char b[BLK];
	header_block(b, &neg);
	b[124] = 0xff; /* base-256, negative */
	seal(b, 0);
	put(&t, b, BLK, CUT);
	size_t zeros;
	char why[200];
	assert_int_equal(judge(t.p, t.len, 4096, &zeros, why, sizeof why), TAR_UNKNOWN);
	free_tarw(&t);
}

/* Damaged archives and random bytes: the same verdict however the bytes
 * are chunked, a bounded number of zeros, and no crash. */
static void test_noise(void **state)
{
	(void)state;
	struct tarw t = { 0 };
	char rec[256];
	size_t n = pax_record(rec, sizeof rec, "size", "300");
	struct hdr x = { .name = "PaxHeaders/1", .type = 'x', .size = n, .magic = USTAR };
	member(&t, &x, rec, n);
	file(&t, "a", 300, 1);
	file(&t, "b", 1500, 2);
	trailer(&t);
	unsigned seed = 12345;
	unsigned char *m = malloc(t.len);
	for (int round = 0; round < 3000; round++) {
		memcpy(m, t.p, t.len);
		size_t len = t.len;
		if (round < 2000) {
			for (int k = 0; k < 1 + round % 4; k++) {
				seed = seed * 1103515245u + 12345u;
				m[(seed >> 8) % len] ^= (unsigned char)(1u << (seed % 8));
			}
			seed = seed * 1103515245u + 12345u;
			len = (seed >> 4) % (len + 1);
		} else {
			for (size_t i = 0; i < len; i++) {
				seed = seed * 1103515245u + 12345u;
				m[i] = (unsigned char)(seed >> 16);
			}
		}
		size_t z1, z2;
		char w1[200] = "", w2[200] = "";
		enum tar_end e1 = judge(m, len, 100000, &z1, w1, sizeof w1);
		enum tar_end e2 = judge(m, len, 1 + round % 600, &z2, w2, sizeof w2);
		assert_int_equal(e1, e2);
		assert_int_equal(z1, z2);
		assert_string_equal(w1, w2);
		assert_true(z1 <= 3 * BLK);
	}
	free(m);
	free_tarw(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_ustar, watchdog_on, watchdog_off),
		cmocka_unit_test_setup_teardown(test_pax, watchdog_on, watchdog_off),
		cmocka_unit_test_setup_teardown(test_gnu, watchdog_on, watchdog_off),
		cmocka_unit_test_setup_teardown(test_gives_up, watchdog_on, watchdog_off),
		cmocka_unit_test_setup_teardown(test_noise, watchdog_on, watchdog_off),
	};
	return cmocka_run_group_tests_name("tar framing", tests, NULL, NULL);
}
