#include "util/gzmem.h"

#include <archive.h>
#include <archive_entry.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

struct growbuf {
	unsigned char *data;
	size_t len, cap;
};

static la_ssize_t grow_write(struct archive *a, void *ctx, const void *buf, size_t n)
{
	(void)a;
	struct growbuf *g = ctx;
	void *p = g->data;
	xgrow(&p, &g->cap, g->len + n, 1);
	g->data = p;
	memcpy(g->data + g->len, buf, n);
	g->len += n;
	return (la_ssize_t)n;
}

static void no_memory(void)
{
	fputs("canrun: out of memory (archive)\n", stderr);
	exit(70);
}

unsigned char *gz_compress(const unsigned char *data, size_t size, size_t *out_size)
{
	struct archive *a = archive_write_new();
	struct archive_entry *e = archive_entry_new();
	if (!a || !e)
		no_memory();
	struct growbuf g = { 0 };
	archive_write_add_filter_gzip(a);
	archive_write_set_filter_option(a, "gzip", "compression-level", "6");
	archive_write_set_filter_option(a, "gzip", "timestamp", NULL);
	archive_write_set_format_raw(a);
	archive_write_set_bytes_in_last_block(a, 1);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_size(e, (la_int64_t)size);
	bool ok = archive_write_open(a, &g, NULL, grow_write, NULL) == ARCHIVE_OK &&
		  archive_write_header(a, e) == ARCHIVE_OK &&
		  (size == 0 || archive_write_data(a, data, size) == (la_ssize_t)size) &&
		  archive_write_close(a) == ARCHIVE_OK;
	archive_entry_free(e);
	archive_write_free(a);
	if (!ok) /* only memory can fail when writing to memory */
		no_memory();
	*out_size = g.len;
	return g.data;
}

unsigned char *gz_decompress(const unsigned char *data, size_t size, size_t expect, struct cr_err *err)
{
	struct archive *a = archive_read_new();
	if (!a)
		no_memory();
	archive_read_support_filter_gzip(a);
	archive_read_support_format_raw(a);
	unsigned char *out = xmalloc(expect + 1);
	size_t len = 0;
	struct archive_entry *e;
	const char *why = NULL;
	if (archive_read_open_memory(a, data, size) != ARCHIVE_OK || archive_read_next_header(a, &e) != ARCHIVE_OK ||
	    archive_filter_code(a, 0) != ARCHIVE_FILTER_GZIP) {
		why = "not gzip data";
	} else {
		for (;;) {
			la_ssize_t n = archive_read_data(a, out + len, expect + 1 - len);
			if (n < 0) {
				why = "damaged gzip data";
				break;
			}
			if (n == 0)
				break;
			len += (size_t)n;
			if (len > expect) {
				why = "decompresses to more than its stated size";
				break;
			}
		}
		if (!why && len < expect)
			why = "decompresses to less than its stated size";
	}
	archive_read_free(a);
	if (why) {
		free(out);
		cr_fail(err, "%s", why);
		return NULL;
	}
	return out;
}
