/* A layer's tar framing, followed as its bytes pass on to libarchive, so
 * that at the end of the stream canrun knows whether it stopped inside a
 * member (truncated) or only inside the padding of the last member's data
 * or before the two zero blocks that end an archive. Some writers leave
 * those out (umoci insert), and Go's archive/tar, which container runtimes
 * read layers with, does not need them; libarchive does, so they are
 * supplied.
 *
 * The framing is libarchive's (3.6), whose reader gets the bytes: 512-byte
 * header blocks (checksummed); each member's data, its size field (octal
 * or base-256) or a pax "size" record before it, rounded up to 512; none
 * for symlinks, devices, directories and FIFOs; GNU sparse extension
 * blocks after their header; pax 'x'/'g', GNU 'L'/'K' and Solaris 'A'
 * members framed like the others. Where libarchive itself guesses (a hard
 * link or volume header with a size, a regular file whose name ends in
 * '/' with a size) or refuses (a bad checksum, a bad size, 32 extended
 * headers in a row), and where the stream ends inside its first header
 * (it may be no tar at all), the frame has no opinion. */
#ifndef CANRUN_TAR_FRAME_H
#define CANRUN_TAR_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A member's name as far as messages show it. */
struct tar_name {
	char text[80];
	size_t len;
	bool cut;           /* longer than text shows */
	unsigned char last; /* the name's last byte, shown or not */
};

/* An 'x' header's records, read as they come: only "size" and "path"
 * matter here. */
struct tar_pax {
	int at;                /* where in a record: length, key, value; or stopped */
	uint64_t len, used;    /* the record's stated length, bytes of it seen */
	char key[4];
	size_t key_len;
	bool key_long;
	int num_at;            /* a "size" value: blanks, digits, done */
	bool neg, overflow;
	uint64_t num;
	struct tar_name value; /* a "path" value */
	bool value_done;       /* it held a NUL, where libarchive stops */
	int64_t size;          /* the last "size" record, or -1 */
	bool have_path;
	bool fatal;            /* a "size" libarchive refuses */
	struct tar_name path;  /* the last "path" record */
};

struct tar_frame {
	int part;                 /* header, sparse blocks, data, padding, end, lost */
	unsigned char block[512]; /* the header being collected */
	size_t have;
	uint64_t size, left;      /* the member's data, and what is still to come */
	uint64_t fed, members;
	unsigned chain;           /* extended and volume headers before the entry */
	unsigned char kind;       /* the member's type flag */
	bool ext_pending;         /* an extended header waits for its entry */
	int64_t pax_size;         /* from an 'x' header, for the next entry; -1 */
	bool have_long, long_done;
	struct tar_name name;     /* the member, for messages */
	struct tar_name long_name; /* for the next entry: GNU 'L' or pax "path" */
	bool long_slash;          /* some long name for the next entry ends in '/' */
	struct tar_pax pax;
};

void tar_frame_init(struct tar_frame *f);
void tar_frame_feed(struct tar_frame *f, const void *buf, size_t len);

enum tar_end {
	TAR_COMPLETE,  /* *zeros zero bytes make it a whole archive (0: it is one) */
	TAR_TRUNCATED, /* it stops inside a member: why says where */
	TAR_UNKNOWN,   /* the frame gave up: pass the stream on as it is */
};
/* At the end of the stream. */
enum tar_end tar_frame_end(const struct tar_frame *f, size_t *zeros, char *why, size_t whylen);

#endif
