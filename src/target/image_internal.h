/* What the parts of the image reader share: image_files.c reads the
 * image's own files (a directory or an archive's members), image.c chooses
 * the manifest and checks the JSON, image_layers.c merges each layer into
 * the tree. Not for use outside src/target/image*.c. */
#ifndef CANRUN_IMAGE_INTERNAL_H
#define CANRUN_IMAGE_INTERNAL_H

#include <archive.h>
#include <archive_entry.h>
#include <limits.h>
#include <openssl/evp.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "target/fsroot.h"
#include "util/err.h"

/* Budgets, far above real images and far below what would exhaust the
 * machine. Contents are kept in memory (see fsroot.c), hence the 4 GiB. */
enum {
	max_json = 8 << 20,       /* one manifest, index or config */
	max_layers = 1000,        /* Docker itself stops at 127 */
	max_descriptors = 10000,  /* in one index */
	max_index_depth = 4,      /* indexes inside indexes */
	max_member_hops = 8,      /* links between a tar's own members */
	max_members = 1000000,    /* headers read in one pass over the archive */
	io_chunk = 64 << 10,
};
#define MAX_CONTENT (4ull << 30)  /* file bytes kept */
#define MAX_STREAM (16ull << 30)  /* bytes read and decompressed */
#define MAX_ENTRIES 4000000ull     /* layer entries, all layers */

struct digest {
	const EVP_MD *md; /* NULL: nothing to check */
	char alg[8];
	char hex[129];
};

struct img {
	char *label;        /* "image:PATH", first in every message */
	const char *path;
	int dirfd;          /* a layout directory, or -1 for an archive */
	char prefix[NAME_MAX + 2]; /* the archive's members sit under it: "" or "DIR/" */
	char what[128];     /* what is being read, for messages: "layer 2 of 3 (...)" */
	struct cr_err *err;
	struct fsroot_tree *tree;
	uint64_t content, stream, entries; /* budgets spent */
	bool failed;
	char arch[32];      /* the config's "architecture" (Go's spelling), or "" */
};

struct member {
	int fd;
	struct archive *ar;
	int64_t size; /* -1: unknown */
};

struct layer {
	char *name;           /* the member holding it */
	char media[128];
	struct digest blob;   /* of the bytes as stored; md NULL when not given */
	int64_t size;
	struct digest diff;   /* of the uncompressed tar (rootfs.diff_ids) */
	char label[64];
};

int img_fail(struct img *im, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
const char *printable(const char *s, char *out, size_t len);
/* normalize()'s results. */
enum { NORM_OK, NORM_ESCAPES, NORM_TOOLONG };
int normalize(const char *name, char *out, size_t outlen);
EVP_MD_CTX *digest_start(const struct digest *d);
bool digest_end(EVP_MD_CTX *ctx, const struct digest *d, char got[129]);
struct archive *archive_reader(void);
/* The image archive itself (im->path), and its next member header: 0, 1 at
 * the end, -1 (with img_fail) past a budget or on damage. */
struct archive *open_outer(struct img *im);
int outer_next(struct img *im, struct archive *ar, struct archive_entry **e, size_t *count);
const char *entry_name(struct archive_entry *e);
int member_open(struct img *im, const char *name, struct member *m);
ssize_t member_read(struct member *m, void *buf, size_t len, const char **why);
void member_close(struct member *m);

/* Merges one layer into im->tree: digests checked, whiteouts applied. */
int apply_layer(struct img *im, const struct layer *l);

#endif
