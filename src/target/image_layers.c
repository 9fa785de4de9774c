/* Applying one layer of a container image to the tree: the stored bytes
 * (digest checked), decompressed (diff_id checked), read as tar, each entry
 * normalized and merged with the OCI whiteout rules. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "target/image_internal.h"
#include "target/tar_frame.h"
#include "util/xalloc.h"

/* ---- applying a layer ----------------------------------------------------- */

/* A layer goes through three readers: its stored bytes (digest checked),
 * decompression (libarchive's raw format behind its filters; the diff_id is
 * checked on its output), and the tar reader on that output. Between the
 * last two, the tar framing is followed (tar_frame.c), so that a layer
 * missing only the padding of its last member or the end blocks is
 * completed with zeros, and one that stops inside a member is refused. */
struct pipe {
	struct img *im;
	struct member *m;
	EVP_MD_CTX *blob_md, *diff_md;
	uint64_t blob_bytes;
	int64_t blob_size;
	struct archive *raw;
	bool member_eof, raw_eof;
	bool member_error, raw_error; /* reading the stored bytes, decompressing them */
	struct tar_frame frame;
	bool framed;                  /* the end of the stream was judged */
	size_t zeros;                 /* supplied zero bytes still to give */
	char truncated[200];          /* where the stream stopped inside a member */
	unsigned char in[io_chunk], mid[io_chunk];
};

static ssize_t pull_member(struct pipe *pp, const char **why)
{
	ssize_t n = member_read(pp->m, pp->in, sizeof pp->in, why);
	if (n < 0) {
		pp->member_error = true;
		return -1;
	}
	if (n == 0)
		pp->member_eof = true;
	if (pp->blob_md)
		EVP_DigestUpdate(pp->blob_md, pp->in, (size_t)n);
	pp->blob_bytes += (uint64_t)n;
	pp->im->stream += (uint64_t)n;
	if (pp->blob_size >= 0 && pp->blob_bytes > (uint64_t)pp->blob_size) {
		*why = "longer than its descriptor says";
		pp->member_error = true;
		return -1;
	}
	if (pp->im->stream > MAX_STREAM) {
		*why = "the layers are larger than canrun reads";
		pp->member_error = true;
		return -1;
	}
	return n;
}

static la_ssize_t raw_read(struct archive *a, void *client, const void **buf)
{
	struct pipe *pp = client;
	const char *why = NULL;
	ssize_t n = pull_member(pp, &why);
	if (n < 0) {
		archive_set_error(a, EIO, "%s", why);
		return -1;
	}
	*buf = pp->in;
	return (la_ssize_t)n;
}

static ssize_t pull_raw(struct pipe *pp, const char **why)
{
	if (pp->raw_eof)
		return 0;
	la_ssize_t n = archive_read_data(pp->raw, pp->mid, sizeof pp->mid);
	if (n < 0) {
		*why = archive_error_string(pp->raw) ? archive_error_string(pp->raw) : "cannot decompress";
		pp->raw_error = true;
		return -1;
	}
	if (n == 0)
		pp->raw_eof = true;
	if (pp->diff_md)
		EVP_DigestUpdate(pp->diff_md, pp->mid, (size_t)n);
	pp->im->stream += (uint64_t)n;
	if (pp->im->stream > MAX_STREAM) {
		*why = "the layers are larger than canrun reads";
		pp->raw_error = true;
		return -1;
	}
	return (ssize_t)n;
}

/* The decompressed bytes, then what the framing says is missing: only
 * real bytes are digested (pull_raw), the zeros are not. */
static la_ssize_t tar_read(struct archive *a, void *client, const void **buf)
{
	struct pipe *pp = client;
	const char *why = NULL;
	*buf = pp->mid;
	if (!pp->raw_eof) {
		ssize_t n = pull_raw(pp, &why);
		if (n < 0) {
			archive_set_error(a, EIO, "%s", why);
			return -1;
		}
		tar_frame_feed(&pp->frame, pp->mid, (size_t)n);
		if (n > 0)
			return (la_ssize_t)n;
	}
	if (!pp->framed) {
		pp->framed = true;
		if (tar_frame_end(&pp->frame, &pp->zeros, pp->truncated, sizeof pp->truncated) != TAR_TRUNCATED)
			pp->truncated[0] = '\0';
	}
	if (pp->truncated[0]) {
		archive_set_error(a, EIO, "%s", pp->truncated);
		return -1;
	}
	size_t n = pp->zeros < sizeof pp->mid ? pp->zeros : sizeof pp->mid;
	memset(pp->mid, 0, n);
	pp->zeros -= n;
	return (la_ssize_t)n;
}

/* A regular file's content, within the budget. */
static int read_content(struct img *im, struct archive *tar, struct archive_entry *e, const char *path,
			unsigned char **data, size_t *size)
{
	char shown[80];
	uint64_t left = MAX_CONTENT - im->content;
	int64_t declared = archive_entry_size_is_set(e) ? archive_entry_size(e) : -1;
	*data = NULL;
	*size = 0;
	if (declared == 0)
		return 0;
	if (declared > 0 && (uint64_t)declared > left)
		return img_fail(im, "%s: the files are larger than the %llu GiB canrun keeps in memory",
				printable(path, shown, sizeof shown), (unsigned long long)(MAX_CONTENT >> 30));
	size_t cap = declared > 0 ? (size_t)(declared < io_chunk * 16 ? declared : io_chunk * 16) : 0;
	unsigned char *buf = cap ? xmalloc(cap) : NULL;
	size_t len = 0;
	for (;;) {
		if (len == cap) {
			if (cap >= left) {
				/* Full: the end is the only thing that may still come. */
				unsigned char probe;
				la_ssize_t n = archive_read_data(tar, &probe, 1);
				if (n == 0)
					break;
				free(buf);
				return n < 0 ? img_fail(im, "%s: %s", printable(path, shown, sizeof shown),
							archive_error_string(tar) ? archive_error_string(tar) : "unreadable")
					     : img_fail(im, "the files are larger than the %llu GiB canrun keeps in memory",
							(unsigned long long)(MAX_CONTENT >> 30));
			}
			cap = cap ? cap * 2 : io_chunk;
			if (cap > left)
				cap = (size_t)left;
			buf = xrealloc(buf, cap);
		}
		la_ssize_t n = archive_read_data(tar, buf + len, cap - len);
		if (n < 0) {
			free(buf);
			return img_fail(im, "%s: %s", printable(path, shown, sizeof shown),
					archive_error_string(tar) ? archive_error_string(tar) : "unreadable");
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	if (len < cap) { /* what the tree keeps is what the file holds */
		if (len == 0) {
			free(buf);
			buf = NULL;
		} else {
			buf = xrealloc(buf, len);
		}
	}
	im->content += len;
	*data = buf;
	*size = len;
	return 0;
}

static int tree_error(struct img *im, const char *path, int e)
{
	char shown[80];
	return img_fail(im, "%s: %s", printable(path, shown, sizeof shown), strerror(e));
}

/* One tar entry onto the tree, with the OCI rules for whiteouts. */
static int apply_entry(struct img *im, struct archive *tar, struct archive_entry *e)
{
	char path[PATH_MAX], shown[80];
	const char *raw = entry_name(e);
	if (!raw)
		return img_fail(im, "an entry without a readable name");
	int r = normalize(raw, path, sizeof path);
	if (r == NORM_ESCAPES)
		return img_fail(im, "entry \"%s\" climbs out of the image's root", printable(raw, shown, sizeof shown));
	if (r != NORM_OK)
		return img_fail(im, "entry \"%s\": name too long", printable(raw, shown, sizeof shown));
	char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	int err = 0;
	if (strncmp(base, ".wh.", 4) == 0) {
		/* path is the directory, then "/" and the whiteout's name: the
		 * whiteout's target is as long as path less 4 bytes. */
		char target[PATH_MAX];
		size_t dlen = slash ? (size_t)(slash - path) : 0;
		memcpy(target, path, dlen);
		target[dlen] = '\0';
		if (strcmp(base, ".wh..wh..opq") == 0) {
			err = fsroot_tree_opaque(im->tree, target);
		} else if (strncmp(base, ".wh..wh.", 8) == 0) {
			return 0; /* aufs's own bookkeeping (.wh..wh.plnk, ...) */
		} else if (!base[4] || strcmp(base + 4, ".") == 0 || strcmp(base + 4, "..") == 0) {
			return img_fail(im, "bad whiteout \"%s\"", printable(raw, shown, sizeof shown));
		} else {
			if (dlen)
				target[dlen++] = '/';
			memcpy(target + dlen, base + 4, strlen(base + 4) + 1);
			err = fsroot_tree_remove(im->tree, target);
		}
		return err ? tree_error(im, path, err) : 0;
	}
	const char *hard = archive_entry_hardlink(e) ? archive_entry_hardlink(e) : archive_entry_hardlink_utf8(e);
	if (hard) {
		char existing[PATH_MAX];
		if (normalize(hard, existing, sizeof existing) != NORM_OK)
			return img_fail(im, "hard link \"%s\" climbs out of the image's root",
					printable(hard, shown, sizeof shown));
		err = fsroot_tree_link(im->tree, path, existing);
		if (err) {
			char shown2[80];
			return img_fail(im, "hard link %s to %s: %s", printable(path, shown, sizeof shown),
					printable(existing, shown2, sizeof shown2), strerror(err));
		}
		return 0;
	}
	mode_t type = archive_entry_filetype(e);
	mode_t mode = type | (archive_entry_perm(e) & 07777);
	switch (type) {
	case AE_IFREG: {
		unsigned char *data = NULL;
		size_t size = 0;
		if (read_content(im, tar, e, path, &data, &size) < 0)
			return -1;
		err = fsroot_tree_put(im->tree, path, mode, data, size, NULL);
		break;
	}
	case AE_IFLNK: {
		const char *target = archive_entry_symlink(e) ? archive_entry_symlink(e) : archive_entry_symlink_utf8(e);
		if (!target)
			return img_fail(im, "symlink %s without a target", printable(path, shown, sizeof shown));
		err = fsroot_tree_put(im->tree, path, mode, NULL, 0, target);
		break;
	}
	case AE_IFDIR:
	case AE_IFCHR:
	case AE_IFBLK:
	case AE_IFIFO:
	case AE_IFSOCK:
		err = fsroot_tree_put(im->tree, path, mode, NULL, 0, NULL);
		break;
	default:
		return img_fail(im, "entry %s has an unknown type", printable(path, shown, sizeof shown));
	}
	return err ? tree_error(im, path, err) : 0;
}

int apply_layer(struct img *im, const struct layer *l)
{
	struct member m;
	if (member_open(im, l->name, &m) < 0)
		return -1;
	struct pipe *pp = xcalloc(1, sizeof *pp);
	pp->im = im;
	pp->m = &m;
	pp->blob_md = digest_start(&l->blob);
	pp->diff_md = digest_start(&l->diff);
	pp->blob_size = l->size;
	tar_frame_init(&pp->frame);
	pp->raw = archive_reader();
	archive_read_support_format_raw(pp->raw);
	archive_read_support_format_empty(pp->raw);
	struct archive *tar = archive_read_new();
	if (!tar) {
		fputs("canrun: out of memory (archive)\n", stderr);
		exit(70);
	}
	archive_read_support_format_tar(tar);
	archive_read_support_format_empty(tar);

	/* Entries go onto the tree as they come; a failure leaves the tree
	 * to be thrown away, so nothing needs undoing. */
	char why[200] = "";
	struct archive_entry *e;
	int r = archive_read_open(pp->raw, pp, NULL, raw_read, NULL);
	if (r == ARCHIVE_OK) {
		r = archive_read_next_header(pp->raw, &e);
		if (r == ARCHIVE_EOF)
			pp->raw_eof = true;
		else if (r < ARCHIVE_WARN)
			snprintf(why, sizeof why, "%s", archive_error_string(pp->raw) ? archive_error_string(pp->raw) : "unreadable");
	} else {
		snprintf(why, sizeof why, "%s", archive_error_string(pp->raw) ? archive_error_string(pp->raw) : "unreadable");
	}
	if (!why[0] && archive_read_open(tar, pp, NULL, tar_read, NULL) != ARCHIVE_OK)
		snprintf(why, sizeof why, "%s", archive_error_string(tar) ? archive_error_string(tar) : "not a tar archive");
	while (!why[0]) {
		r = archive_read_next_header(tar, &e);
		if (r == ARCHIVE_EOF)
			break;
		if (r != ARCHIVE_OK && r != ARCHIVE_WARN) { /* ARCHIVE_RETRY too: a damaged header */
			snprintf(why, sizeof why, "%s", archive_error_string(tar) ? archive_error_string(tar) : "not a tar archive");
			break;
		}
		if (++im->entries > MAX_ENTRIES) {
			snprintf(why, sizeof why, "more than %llu entries in the layers", (unsigned long long)MAX_ENTRIES);
			break;
		}
		if (apply_entry(im, tar, e) < 0)
			break;
	}
	/* A stream that stops inside a member: that, not what libarchive or
	 * the entry being read made of it. */
	if (pp->truncated[0]) {
		im->failed = false;
		img_fail(im, "%s", pp->truncated);
	}
	/* Read to the end even after an error, so that the digests can say
	 * whether the layer is damaged: a mismatch is the clearer reason. */
	const char *ignored;
	while (!pp->raw_error && !pp->member_error && !pp->raw_eof && pull_raw(pp, &ignored) > 0)
		;
	while (!pp->member_error && !pp->member_eof && pull_member(pp, &ignored) > 0)
		;
	/* img_fail keeps the first reason; a mismatch takes its place. */
	char got[129];
	bool blob_checked = pp->blob_md && pp->member_eof && !pp->member_error;
	bool blob_ok = true, diff_ok = true;
	if (pp->blob_md) {
		blob_ok = digest_end(pp->blob_md, &l->blob, got);
		if (blob_checked && !blob_ok) {
			im->failed = false;
			img_fail(im, "digest mismatch: its bytes are %s:%.12s, damaged or altered", l->blob.alg, got);
		}
	}
	if (blob_checked && blob_ok && pp->blob_size >= 0 && pp->blob_bytes != (uint64_t)pp->blob_size) {
		im->failed = false;
		img_fail(im, "%llu bytes, its descriptor says %lld", (unsigned long long)pp->blob_bytes,
			 (long long)pp->blob_size);
	}
	if (pp->diff_md) {
		diff_ok = digest_end(pp->diff_md, &l->diff, got);
		if ((!blob_checked || blob_ok) && pp->raw_eof && !pp->raw_error && !pp->member_error && !diff_ok) {
			im->failed = false;
			img_fail(im, "digest mismatch: the uncompressed layer is %s:%.12s, the config's diff_id %s:%.12s",
				 l->diff.alg, got, l->diff.alg, l->diff.hex);
		}
	}
	if (why[0])
		img_fail(im, "%s", why);
	archive_read_free(tar);
	archive_read_free(pp->raw);
	free(pp);
	member_close(&m);
	return im->failed ? -1 : 0;
}

