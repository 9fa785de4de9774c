/* The image's own files, whatever holds them: a layout directory, or the
 * members of a tar archive (plain or compressed), found by name and read
 * as a stream, links between members followed within a budget. */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "target/image_internal.h"

struct archive *archive_reader(void)
{
	struct archive *ar = archive_read_new();
	if (!ar) {
		fputs("canrun: out of memory (archive)\n", stderr);
		exit(70);
	}
	/* The compressions images use, through the libraries libarchive
	 * links (never an external program). */
	archive_read_support_filter_gzip(ar);
	archive_read_support_filter_zstd(ar);
	archive_read_support_filter_xz(ar);
	archive_read_support_filter_bzip2(ar);
	return ar;
}

struct archive *open_outer(struct img *im)
{
	struct archive *ar = archive_reader();
	archive_read_support_format_tar(ar);
	if (archive_read_open_filename(ar, im->path, io_chunk) != ARCHIVE_OK) {
		img_fail(im, "not a tar archive: %s", archive_error_string(ar) ? archive_error_string(ar) : "cannot open");
		archive_read_free(ar);
		return NULL;
	}
	return ar;
}

/* The archive's next header, within the budgets; 1 at the end, -1 on error. */
int outer_next(struct img *im, struct archive *ar, struct archive_entry **e, size_t *count)
{
	/* libarchive skips a member by seeking in a plain tar, but in a
	 * compressed one by decompressing it: then the skipping is done here,
	 * where a member claiming a terabyte of zeros meets the budget. */
	if (*count > 0 && archive_filter_code(ar, 0) != ARCHIVE_FILTER_NONE) {
		char buf[8192];
		la_ssize_t n;
		while ((n = archive_read_data(ar, buf, sizeof buf)) > 0)
			if ((uint64_t)archive_filter_bytes(ar, 0) > MAX_STREAM)
				return img_fail(im, "the archive is larger than canrun reads");
		if (n < 0)
			return img_fail(im, "%s", archive_error_string(ar) ? archive_error_string(ar) : "unreadable archive");
	}
	int r = archive_read_next_header(ar, e);
	if (r == ARCHIVE_EOF)
		return 1;
	/* ARCHIVE_RETRY (a damaged header, which libarchive would skip) is
	 * damage too: taken for a header, its entry is stale and the next read
	 * of its data fails with libarchive's internal state error. */
	if (r != ARCHIVE_OK && r != ARCHIVE_WARN)
		return img_fail(im, "%s%s", *count ? "" : "not a tar archive: ",
				archive_error_string(ar) ? archive_error_string(ar) : "unreadable");
	if (++*count > max_members || (uint64_t)archive_filter_bytes(ar, 0) > MAX_STREAM)
		return img_fail(im, "the archive is larger than canrun reads");
	return 0;
}

const char *entry_name(struct archive_entry *e)
{
	const char *s = archive_entry_pathname(e);
	return s ? s : archive_entry_pathname_utf8(e);
}

/* Opens the image's file NAME (normalized, relative to the layout). In an
 * archive, the members are read until NAME; a member that is a link to
 * another member is followed (older `docker save` links shared layers). */
int member_open(struct img *im, const char *name, struct member *m)
{
	char shown[120];
	memset(m, 0, sizeof *m);
	m->fd = -1;
	m->size = -1;
	if (im->dirfd >= 0) {
		int fd = openat(im->dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
		/* O_NOFOLLOW: the layout's own files only, never where a link in
		 * it points. */
		if (fd < 0)
			return img_fail(im, "%s: %s", printable(name, shown, sizeof shown),
					errno == ENOENT ? "missing from the image"
					: errno == ELOOP ? "a symlink, which canrun does not follow" : strerror(errno));
		struct stat st;
		if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
			close(fd);
			return img_fail(im, "%s: not a regular file", printable(name, shown, sizeof shown));
		}
		m->fd = fd;
		m->size = st.st_size;
		return 0;
	}
	char want[PATH_MAX];
	if ((size_t)snprintf(want, sizeof want, "%s%s", im->prefix, name) >= sizeof want)
		return img_fail(im, "%s: name too long", printable(name, shown, sizeof shown));
	for (unsigned hop = 0; hop <= max_member_hops; hop++) {
		struct archive *ar = open_outer(im);
		if (!ar)
			return -1;
		struct archive_entry *e;
		size_t count = 0;
		int r;
		char got[PATH_MAX];
		while ((r = outer_next(im, ar, &e, &count)) == 0) {
			const char *raw = entry_name(e);
			if (raw && normalize(raw, got, sizeof got) == NORM_OK && strcmp(got, want) == 0)
				break;
		}
		if (r != 0) {
			archive_read_free(ar);
			return r < 0 ? -1 : img_fail(im, "%s: missing from the image", printable(name, shown, sizeof shown));
		}
		const char *hard = archive_entry_hardlink(e) ? archive_entry_hardlink(e) : archive_entry_hardlink_utf8(e);
		const char *sym = archive_entry_filetype(e) == AE_IFLNK
			? (archive_entry_symlink(e) ? archive_entry_symlink(e) : archive_entry_symlink_utf8(e)) : NULL;
		if (hard || sym) {
			char next[PATH_MAX * 2];
			int n;
			if (hard || (sym && sym[0] == '/')) {
				n = snprintf(next, sizeof next, "%s", hard ? hard : sym);
			} else {
				const char *slash = strrchr(want, '/');
				n = snprintf(next, sizeof next, "%.*s%s", slash ? (int)(slash - want + 1) : 0, want, sym);
			}
			archive_read_free(ar);
			if (n < 0 || (size_t)n >= sizeof next || normalize(next, want, sizeof want) != NORM_OK)
				return img_fail(im, "%s: a link that leaves the archive", printable(name, shown, sizeof shown));
			continue;
		}
		if (archive_entry_filetype(e) != AE_IFREG) {
			archive_read_free(ar);
			return img_fail(im, "%s: not a regular file", printable(name, shown, sizeof shown));
		}
		m->ar = ar;
		m->size = archive_entry_size_is_set(e) ? archive_entry_size(e) : -1;
		return 0;
	}
	return img_fail(im, "%s: more than %d links between members", printable(name, shown, sizeof shown),
			max_member_hops);
}

/* Up to len bytes; 0 at the end, -1 with why set. */
ssize_t member_read(struct member *m, void *buf, size_t len, const char **why)
{
	if (m->ar) {
		la_ssize_t n = archive_read_data(m->ar, buf, len);
		if (n < 0) {
			*why = archive_error_string(m->ar) ? archive_error_string(m->ar) : "unreadable member";
			return -1;
		}
		return (ssize_t)n;
	}
	for (;;) {
		ssize_t n = read(m->fd, buf, len);
		if (n >= 0)
			return n;
		if (errno != EINTR) {
			*why = strerror(errno);
			return -1;
		}
	}
}

void member_close(struct member *m)
{
	if (m->ar)
		archive_read_free(m->ar);
	if (m->fd >= 0)
		close(m->fd);
	m->ar = NULL;
	m->fd = -1;
}

