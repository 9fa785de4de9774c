/* libFuzzer target over one image layer as a stream (src/target/
 * image_layers.c and tar_frame.c, with libarchive's tar, gzip and zstd
 * readers behind them): the input is the top layer of a docker-archive
 * made here around it, over a fixed base layer holding a Go program and
 * /etc/os-release, so that whiteouts, opaque directories, links and
 * replaced files in the input have something to act on. The config states
 * no diff_ids, so any stream is applied; `canrun scan image:FILE` reports
 * the merged tree as text, JSON or JSON Lines (by the input's size). */
#include <archive.h>
#include <archive_entry.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_goelf.h"
#include "fuzz_scanrun.h"
#include "util/xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct tar_out {
	struct archive *a;
	unsigned char *buf;
	size_t cap, used;
};

static void tar_start(struct tar_out *t, size_t cap)
{
	t->cap = cap;
	t->buf = xmalloc(cap);
	t->a = archive_write_new();
	/* Blocks of 512 bytes: no padding of the archive to 10 KiB. */
	if (!t->a || archive_write_set_format_pax_restricted(t->a) != ARCHIVE_OK ||
	    archive_write_set_bytes_per_block(t->a, 512) != ARCHIVE_OK ||
	    archive_write_open_memory(t->a, t->buf, t->cap, &t->used) != ARCHIVE_OK)
		abort();
}

static void tar_add(struct tar_out *t, const char *name, unsigned type, const void *data, size_t len)
{
	struct archive_entry *e = archive_entry_new();
	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, type);
	archive_entry_set_perm(e, 0755);
	archive_entry_set_size(e, type == AE_IFREG ? (la_int64_t)len : 0);
	if (archive_write_header(t->a, e) != ARCHIVE_OK ||
	    (type == AE_IFREG && len && archive_write_data(t->a, data, len) != (la_ssize_t)len))
		abort();
	archive_entry_free(e);
}

static unsigned char *tar_end(struct tar_out *t, size_t *size)
{
	if (archive_write_close(t->a) != ARCHIVE_OK)
		abort();
	archive_write_free(t->a);
	*size = t->used;
	return t->buf;
}

/* The base layer, made once. */
static unsigned char *base;
static size_t base_size;

static void make_base(void)
{
	static const char mod[] = "path\texample.com/app\nmod\texample.com/app\t(devel)\t\n"
				  "build\tCGO_ENABLED=0\nbuild\tGOARCH=amd64\nbuild\tGOOS=linux\n";
	size_t blob_size, app_size;
	unsigned char *blob = goelf_buildinfo("go1.19.8", mod, sizeof mod - 1, &blob_size);
	struct goelf_section s = { ".go.buildinfo", blob, blob_size };
	unsigned char *app = goelf_build(&s, 1, &app_size);
	static const char os[] = "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_ID=\"12\"\n";
	struct tar_out t;
	tar_start(&t, app_size + 16384);
	tar_add(&t, "etc", AE_IFDIR, NULL, 0);
	tar_add(&t, "etc/os-release", AE_IFREG, os, sizeof os - 1);
	tar_add(&t, "usr", AE_IFDIR, NULL, 0);
	tar_add(&t, "usr/bin", AE_IFDIR, NULL, 0);
	tar_add(&t, "usr/bin/app", AE_IFREG, app, app_size);
	base = tar_end(&t, &base_size);
	free(app);
	free(blob);
}

static void free_base(void)
{
	free(base);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!base) {
		make_base();
		atexit(free_base);
	}
	static const char manifest[] =
		"[{\"Config\":\"config.json\",\"RepoTags\":[\"fuzz:layer\"],\"Layers\":[\"base.tar\",\"layer\"]}]";
	static const char config[] = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{},"
				     "\"rootfs\":{\"type\":\"layers\"}}";
	struct tar_out t;
	size_t image_size;
	tar_start(&t, size + base_size + 8192);
	tar_add(&t, "manifest.json", AE_IFREG, manifest, sizeof manifest - 1);
	tar_add(&t, "config.json", AE_IFREG, config, sizeof config - 1);
	tar_add(&t, "base.tar", AE_IFREG, base, base_size);
	tar_add(&t, "layer", AE_IFREG, data, size);
	unsigned char *image = tar_end(&t, &image_size);
	fuzz_scan_image(image, image_size, size);
	free(image);
	return 0;
}
