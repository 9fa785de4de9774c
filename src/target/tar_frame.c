/* Following a tar stream's framing as libarchive reads it; see tar_frame.h. */
#include "target/tar_frame.h"

#include <stdio.h>
#include <string.h>

enum { PART_HEADER, PART_SPARSE, PART_DATA, PART_PAD, PART_END, PART_LOST };
enum { PAX_LEN, PAX_KEY, PAX_VALUE, PAX_STOP };
enum { NUM_BLANKS, NUM_DIGITS, NUM_DONE };

enum {
	block = 512,
	max_special = 1 << 20, /* libarchive refuses longer extended headers */
	max_pax_record = 999999,
	max_chain = 32,        /* libarchive's limit on headers for one entry */
	shown = 76,            /* bytes of a name in a message, then "..." */
};

/* Header fields: POSIX ustar, and GNU's own where they differ. */
enum {
	off_name = 0, len_name = 100,
	off_size = 124, len_size = 12,
	off_chksum = 148, len_chksum = 8,
	off_type = 156,
	off_magic = 257,
	off_prefix = 345, len_prefix = 155,
	off_gnu_sparse = 386,      /* the first sparse entry's offset */
	off_gnu_isextended = 482,  /* sparse extension blocks follow the header */
	off_ext_isextended = 504,  /* another one follows this extension block */
};

/* ---- names ---------------------------------------------------------------- */

static void name_clear(struct tar_name *n)
{
	memset(n, 0, sizeof *n);
}

/* Appends up to LEN bytes, stopping at a NUL; true if it met one. */
static bool name_put(struct tar_name *n, const unsigned char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (!s[i])
			return true;
		n->last = s[i];
		if (n->len < shown)
			n->text[n->len++] = s[i] < 0x20 || s[i] == 0x7f ? '?' : (char)s[i];
		else
			n->cut = true;
	}
	return false;
}

static const char *name_more(const struct tar_name *n)
{
	return n->cut ? "..." : "";
}

/* ---- header fields -------------------------------------------------------- */

/* A numeric field as libarchive reads it: base-256 when the first byte's
 * high bit is set, else octal after blanks. False for what libarchive
 * refuses: a negative value, or one that does not fit in an int64_t. */
static bool field_number(const unsigned char *p, size_t n, uint64_t *out)
{
	uint64_t v = 0;
	if (p[0] & 0x80) {
		if (p[0] & 0x40)
			return false;
		v = p[0] & 0x3f;
		for (size_t i = 1; i < n; i++) {
			if (v > (uint64_t)INT64_MAX >> 8)
				return false;
			v = v << 8 | p[i];
		}
	} else {
		size_t i = 0;
		while (i < n && (p[i] == ' ' || p[i] == '\t'))
			i++;
		if (i < n && p[i] == '-')
			return false;
		for (; i < n && p[i] >= '0' && p[i] <= '7'; i++) {
			if (v > (uint64_t)INT64_MAX >> 3)
				return false;
			v = v << 3 | (uint64_t)(p[i] - '0');
		}
	}
	if (v >= (uint64_t)INT64_MAX) /* libarchive's own overflow mark */
		return false;
	*out = v;
	return true;
}

/* libarchive's test: an octal field, equal to the sum of the header's
 * bytes (the field itself as blanks), unsigned or, for old writers,
 * signed. */
static bool checksum_ok(const unsigned char *b)
{
	for (size_t i = off_chksum; i < off_chksum + len_chksum; i++)
		if (b[i] != ' ' && b[i] != '\0' && (b[i] < '0' || b[i] > '7'))
			return false;
	uint64_t want;
	if (!field_number(b + off_chksum, len_chksum, &want))
		return false;
	int64_t u = 0, s = 0;
	for (size_t i = 0; i < block; i++) {
		unsigned char c = i >= off_chksum && i < off_chksum + len_chksum ? ' ' : b[i];
		u += c;
		s += (signed char)c;
	}
	return (int64_t)want == u || (int64_t)want == s;
}

static bool all_zero(const unsigned char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (b[i])
			return false;
	return true;
}

/* ---- pax records ---------------------------------------------------------- */

static void pax_next_record(struct tar_pax *x)
{
	x->at = PAX_LEN;
	x->len = x->used = 0;
	x->key_len = 0;
	x->key_long = false;
	x->num_at = NUM_BLANKS;
	x->neg = x->overflow = false;
	x->num = 0;
	name_clear(&x->value);
	x->value_done = false;
}

static void pax_start(struct tar_pax *x)
{
	memset(x, 0, sizeof *x);
	x->size = -1;
	pax_next_record(x);
}

static bool pax_key_is(const struct tar_pax *x, const char *key)
{
	return !x->key_long && x->key_len == 4 && memcmp(x->key, key, 4) == 0;
}

/* A value byte of "size", read as libarchive's tar_atol10 does: blanks, an
 * optional '-', decimal digits up to the first other byte. */
static void pax_number(struct tar_pax *x, unsigned char c)
{
	if (x->num_at == NUM_BLANKS) {
		if (c == ' ' || c == '\t')
			return;
		x->num_at = NUM_DIGITS;
		if (c == '-') {
			x->neg = true;
			return;
		}
	}
	if (x->num_at != NUM_DIGITS)
		return;
	if (c < '0' || c > '9') {
		x->num_at = NUM_DONE;
		return;
	}
	if (x->num > ((uint64_t)INT64_MAX - 9) / 10) {
		x->overflow = true;
		x->num_at = NUM_DONE;
		return;
	}
	x->num = x->num * 10 + (uint64_t)(c - '0');
}

/* One byte of an 'x' header's records "LEN KEY=VALUE\n", checked as
 * libarchive checks them: a record that breaks the rules ends the reading,
 * the records before it stand; one that runs past the header's end is
 * never complete, so never applied. */
static void pax_byte(struct tar_pax *x, unsigned char c)
{
	if (x->at == PAX_STOP)
		return;
	x->used++;
	switch (x->at) {
	case PAX_LEN:
		if (c == ' ') {
			/* Its '\n' must come after this space. */
			x->at = x->len > x->used ? PAX_KEY : PAX_STOP;
		} else if (c >= '0' && c <= '9' && x->len * 10 + (uint64_t)(c - '0') <= max_pax_record) {
			x->len = x->len * 10 + (uint64_t)(c - '0');
		} else {
			x->at = PAX_STOP;
		}
		return;
	case PAX_KEY:
		if (x->used == x->len || c == '\0' || (c == '=' && x->key_len == 0 && !x->key_long)) {
			x->at = PAX_STOP;
		} else if (c == '=') {
			x->at = PAX_VALUE;
		} else if (x->key_len < sizeof x->key) {
			x->key[x->key_len++] = (char)c;
		} else {
			x->key_long = true;
		}
		return;
	case PAX_VALUE:
		if (x->used < x->len) {
			if (x->value_done)
				return;
			if (pax_key_is(x, "size"))
				pax_number(x, c);
			else if (pax_key_is(x, "path"))
				name_put(&x->value, &c, 1);
			x->value_done = c == '\0';
			return;
		}
		if (c != '\n') {
			x->at = PAX_STOP;
			return;
		}
		if (pax_key_is(x, "size")) {
			if (x->overflow || (x->neg && x->num))
				x->fatal = true;
			else
				x->size = x->neg ? 0 : (int64_t)x->num;
		} else if (pax_key_is(x, "path")) {
			x->path = x->value;
			x->have_path = true;
		}
		pax_next_record(x);
		return;
	}
}

/* ---- members -------------------------------------------------------------- */

static void begin_data(struct tar_frame *f, uint64_t len)
{
	f->size = f->left = len;
	f->part = len ? PART_DATA : PART_HEADER;
}

/* An extended header's data is complete: what it says about the entry. */
static void end_special(struct tar_frame *f)
{
	if (f->kind == 'x' || f->kind == 'X') {
		if (f->pax.fatal) {
			f->part = PART_LOST;
			return;
		}
		/* libarchive applies an outer header's records after an inner
		 * one's: of two "size" records in a chain, the first wins. */
		if (f->pax_size < 0)
			f->pax_size = f->pax.size;
		if (f->pax.have_path) {
			f->long_name = f->pax.path;
			f->have_long = true;
			f->long_slash |= f->pax.path.last == '/';
		}
	} else if (f->kind == 'L') {
		f->long_slash |= f->long_name.last == '/';
	}
}

static bool is_special(unsigned char kind)
{
	return kind == 'x' || kind == 'X' || kind == 'g' || kind == 'L' || kind == 'K' || kind == 'A';
}

/* The entry's data, as libarchive frames it, or false where it guesses. */
static bool entry_length(struct tar_frame *f, uint64_t size, bool slash, uint64_t *len)
{
	unsigned char k = f->kind;
	if (f->pax_size >= 0)
		*len = (uint64_t)f->pax_size; /* it overrides the header for any type */
	else if (k >= '2' && k <= '6')
		*len = 0;
	else
		*len = size;
	if (*len == 0)
		return true;
	/* A hard link with data: libarchive decides by the archive's format
	 * and a look at what follows. A regular file named "dir/": read as a
	 * directory without data, unless a warning came first. */
	if (k == '1')
		return false;
	bool regular = k != 'D' && !(k >= '2' && k <= '6');
	return !(regular && (slash || f->long_slash));
}

static void on_header(struct tar_frame *f)
{
	const unsigned char *b = f->block;
	if (all_zero(b, block)) {
		f->part = PART_END;
		return;
	}
	uint64_t size;
	if (!checksum_ok(b) || !field_number(b + off_size, len_size, &size)) {
		f->part = PART_LOST;
		return;
	}
	f->kind = b[off_type];
	f->members++;
	if (is_special(f->kind) || f->kind == 'V') {
		if (++f->chain >= max_chain) {
			f->part = PART_LOST;
			return;
		}
	} else {
		f->chain = 0;
	}
	bool gnu = memcmp(b + off_magic, "ustar  \0", 8) == 0;
	bool ustar = !gnu && memcmp(b + off_magic, "ustar", 5) == 0;
	name_clear(&f->name);
	if (ustar && b[off_prefix]) {
		name_put(&f->name, b + off_prefix, len_prefix);
		if (f->name.last != '/')
			name_put(&f->name, (const unsigned char *)"/", 1);
	}
	name_put(&f->name, b + off_name, len_name);

	if (is_special(f->kind)) {
		if (size > max_special) {
			f->part = PART_LOST;
			return;
		}
		if (f->kind != 'g') /* libarchive lets the stream end after a 'g' */
			f->ext_pending = true;
		if (f->kind == 'x' || f->kind == 'X')
			pax_start(&f->pax);
		if (f->kind == 'L') {
			name_clear(&f->long_name);
			f->have_long = true;
			f->long_done = false;
		}
		begin_data(f, size);
		if (!size)
			end_special(f);
		return;
	}
	if (f->kind == 'V') { /* skipped by libarchive, data or not */
		if (size)
			f->part = PART_LOST;
		return;
	}
	uint64_t len;
	if (!entry_length(f, size, f->name.last == '/', &len)) {
		f->part = PART_LOST;
		return;
	}
	if (f->have_long)
		f->name = f->long_name;
	f->ext_pending = f->have_long = f->long_slash = false;
	f->pax_size = -1;
	if (gnu && b[off_gnu_sparse] && b[off_gnu_isextended]) {
		f->size = len;
		f->part = PART_SPARSE;
		return;
	}
	begin_data(f, len);
}

void tar_frame_init(struct tar_frame *f)
{
	memset(f, 0, sizeof *f);
	f->part = PART_HEADER;
	f->pax_size = -1;
}

void tar_frame_feed(struct tar_frame *f, const void *buf, size_t len)
{
	const unsigned char *p = buf;
	f->fed += len;
	while (len > 0) {
		size_t n;
		switch (f->part) {
		case PART_HEADER:
		case PART_SPARSE:
			n = len < block - f->have ? len : block - f->have;
			memcpy(f->block + f->have, p, n);
			f->have += n;
			if (f->have == block) {
				f->have = 0;
				if (f->part == PART_HEADER)
					on_header(f);
				else if (!f->block[off_ext_isextended])
					begin_data(f, f->size);
			}
			break;
		case PART_DATA:
			n = len < f->left ? len : (size_t)f->left;
			if (f->kind == 'x' || f->kind == 'X') {
				for (size_t i = 0; i < n; i++)
					pax_byte(&f->pax, p[i]);
			} else if (f->kind == 'L' && !f->long_done) {
				f->long_done = name_put(&f->long_name, p, n);
			}
			f->left -= n;
			if (f->left == 0) {
				if (is_special(f->kind))
					end_special(f);
				if (f->part == PART_DATA) {
					f->left = (block - f->size % block) % block;
					f->part = f->left ? PART_PAD : PART_HEADER;
				}
			}
			break;
		case PART_PAD:
			n = len < f->left ? len : (size_t)f->left;
			f->left -= n;
			if (f->left == 0)
				f->part = PART_HEADER;
			break;
		default: /* the end, or lost: nothing more to follow */
			return;
		}
		p += n;
		len -= n;
	}
}

/* An extended header (pax, GNU long name) without the entry it is for:
 * libarchive calls that damaged; the stream stopped between the two. */
static enum tar_end dangling(const struct tar_frame *f, char *why, size_t whylen)
{
	const struct tar_name *n = f->have_long ? &f->long_name : &f->name;
	snprintf(why, whylen, "%s%s: truncated after its extended header, before the entry itself", n->text,
		 name_more(n));
	return TAR_TRUNCATED;
}

enum tar_end tar_frame_end(const struct tar_frame *f, size_t *zeros, char *why, size_t whylen)
{
	*zeros = 0;
	switch (f->part) {
	case PART_LOST:
		return TAR_UNKNOWN;
	case PART_END:
		return TAR_COMPLETE;
	case PART_DATA:
		snprintf(why, whylen, "%s%s: truncated: %llu of its %llu bytes are missing", f->name.text,
			 name_more(&f->name), (unsigned long long)f->left, (unsigned long long)f->size);
		return TAR_TRUNCATED;
	case PART_PAD:
		if (f->ext_pending) /* an extended header's padding */
			return dangling(f, why, whylen);
		*zeros = (size_t)f->left + 2 * block;
		return TAR_COMPLETE;
	default:
		break;
	}
	if (f->part == PART_SPARSE) {
		snprintf(why, whylen, "%s%s: truncated inside its GNU sparse map (%zu of a 512-byte block are missing)",
			 f->name.text, name_more(&f->name), block - f->have);
		return TAR_TRUNCATED;
	}
	if (!all_zero(f->block, f->have)) {
		if (!f->members)
			return TAR_UNKNOWN;
		snprintf(why, whylen, "truncated inside the tar header after %s%s (%zu of its 512 bytes are missing)",
			 f->name.text, name_more(&f->name), block - f->have);
		return TAR_TRUNCATED;
	}
	if (f->ext_pending)
		return dangling(f, why, whylen);
	if (f->fed == 0) /* an empty layer: no archive at all, which is fine */
		return TAR_COMPLETE;
	*zeros = (f->have ? block - f->have : 0) + 2 * block;
	return TAR_COMPLETE;
}
