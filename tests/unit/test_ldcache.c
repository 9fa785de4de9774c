/* ldcache.c against real oracles:
 *  - the host's /etc/ld.so.cache: `ldconfig -p` is re-rendered from the
 *    parse byte for byte, and libc.so.6 resolves where the host's ld.so
 *    says it does;
 *  - caches that ldconfig writes at test time (new, compat, old) for a
 *    root with glibc-hwcaps/x86-64-v2 and -v3 copies, lookups for several
 *    CPU levels, and, where chroot is allowed, the real loader's choice in
 *    that root for each format;
 *  - the same caches byte-swapped to big-endian;
 *  - hostile variants: every truncation, absurd counts and offsets,
 *    overlapping tables, random byte flips (run under ASan in make check);
 *  - synthesized caches for glibc's search_cache corner cases.
 * Tests that need ldconfig, a compiler or an x86-64 host skip without. */
#include "test_common.h"

#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "loader/ldcache.h"

#define HOST_CACHE "/etc/ld.so.cache"
#define HOST_LDSO "/lib64/ld-linux-x86-64.so.2"

static int watchdog_long(void **state)
{
	(void)state;
	alarm(240); /* ldconfig, cc and ASan make these slower than the reader tests */
	return 0;
}

#define LONG(f) { #f, f, watchdog_long, watchdog_off, NULL }

/* ---- small process and file helpers ---- */

static unsigned char *read_whole(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 4096, len = 0, got;
	unsigned char *buf = malloc(cap);
	while ((got = fread(buf + len, 1, cap - len, f)) > 0) {
		len += got;
		if (len == cap)
			buf = realloc(buf, cap *= 2);
	}
	fclose(f);
	/* An exact-size heap copy, so that ASan sees any read past the end. */
	unsigned char *exact = malloc(len ? len : 1);
	memcpy(exact, buf, len);
	free(buf);
	*size = len;
	return exact;
}

static bool write_whole(const char *path, const void *data, size_t size)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return false;
	bool ok = fwrite(data, 1, size, f) == size;
	return fclose(f) == 0 && ok;
}

static char *vformat(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
static char *vformat(const char *fmt, va_list ap)
{
	va_list copy;
	va_copy(copy, ap);
	int n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	char *s = malloc((size_t)n + 1);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
}

static char *format(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *format(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = vformat(fmt, ap);
	va_end(ap);
	return s;
}

/* Runs a shell command quietly; its exit status, or -1. */
static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *cmd = vformat(fmt, ap);
	va_end(ap);
	char *full = format("(%s) >/dev/null 2>&1", cmd);
	int st = system(full);
	free(cmd);
	free(full);
	return st != -1 && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* A command's standard output, or NULL when it could not run. */
static char *capture(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *capture(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *cmd = vformat(fmt, ap);
	va_end(ap);
	char *full = format("LC_ALL=C %s 2>/dev/null", cmd);
	FILE *p = popen(full, "r");
	free(cmd);
	free(full);
	if (!p)
		return NULL;
	size_t cap = 4096, len = 0;
	char *out = malloc(cap);
	size_t got;
	while ((got = fread(out + len, 1, cap - len - 1, p)) > 0) {
		len += got;
		if (len + 1 == cap) {
			cap *= 2;
			out = realloc(out, cap);
		}
	}
	out[len] = '\0';
	pclose(p);
	return out;
}

static const char *find_ldconfig(void)
{
	static const char *const candidates[] = { "/sbin/ldconfig", "/usr/sbin/ldconfig" };
	for (size_t i = 0; i < sizeof candidates / sizeof *candidates; i++)
		if (access(candidates[i], X_OK) == 0)
			return candidates[i];
	return NULL;
}

/* The path after "NAME => " in `ld.so --list` output, or NULL. */
static char *listed_path(const char *out, const char *name)
{
	char *needle = format("\t%s => ", name);
	const char *p = out ? strstr(out, needle) : NULL;
	char *path = NULL;
	if (p) {
		p += strlen(needle);
		const char *end = strstr(p, " (");
		if (end)
			path = strndup(p, (size_t)(end - p));
	}
	free(needle);
	return path;
}

/* ---- the host CPU as the host's ld.so sees it ---- */

struct cpu {
	char names[8][32];
	const char *hwcaps[9];
	unsigned isa_level;
};

/* From `ld.so --help`: the glibc-hwcaps subdirectories it searches, best
 * first, and the highest supported x86-64 level. */
static bool host_cpu(struct cpu *cpu)
{
	memset(cpu, 0, sizeof *cpu);
	char *help = capture("%s --help", HOST_LDSO);
	const char *p = help ? strstr(help, "Subdirectories of glibc-hwcaps directories") : NULL;
	if (!p) {
		free(help);
		return false;
	}
	cpu->isa_level = 1;
	size_t n = 0;
	p = strchr(p, '\n');
	while (p && p[1] == ' ' && p[2] == ' ' && n < 8) {
		p += 3;
		const char *end = strchr(p, '\n');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		char line[128];
		snprintf(line, sizeof line, "%.*s", (int)len, p);
		char *paren = strstr(line, " (");
		bool searched = paren && strstr(paren, "searched");
		bool supported = paren && strstr(paren, "supported");
		if (paren)
			*paren = '\0';
		unsigned level;
		if (supported && sscanf(line, "x86-64-v%u", &level) == 1 && level > cpu->isa_level)
			cpu->isa_level = level;
		if (searched) {
			snprintf(cpu->names[n], sizeof cpu->names[n], "%.31s", line);
			cpu->hwcaps[n] = cpu->names[n];
			n++;
		}
		p = end;
	}
	free(help);
	return true;
}

/* ---- `ldconfig -p` rendered from a parse (glibc 2.36 print_entry) ---- */

static const char *abi_descr(int32_t flags, char *buf, size_t size)
{
	switch (flags & 0xff00) {
	case 0x0000: return "";
	case 0x0100: return ",64bit";
	case 0x0200: return ",IA-64";
	case 0x0300: return ",x86-64";
	case 0x0400: return ",64bit";
	case 0x0500: return ",64bit";
	case 0x0600: return ",N32";
	case 0x0700: return ",64bit";
	case 0x0800: return ",x32";
	case 0x0900: return ",hard-float";
	case 0x0a00: return ",AArch64";
	case 0x0b00: return ",soft-float";
	case 0x0c00: return ",nan2008";
	case 0x0d00: return ",N32,nan2008";
	case 0x0e00: return ",64bit,nan2008";
	case 0x0f00: return ",soft-float";
	case 0x1000: return ",double-float";
	default:
		snprintf(buf, size, ",%d", flags & 0xff00);
		return buf;
	}
}

static char *render_print(const struct ldcache *c, const char *path)
{
	static const char *const types[] = { "libc4", "ELF", "libc5", "libc6" };
	size_t cap = 256, len = 0;
	char *out = malloc(cap);
	out[0] = '\0';
	for (size_t i = 0; i <= c->nentries + 1; i++) {
		char *line;
		if (i == 0) {
			line = format("%zu libs found in cache `%s'\n", c->nentries, path);
		} else if (i <= c->nentries) {
			const struct ldcache_entry *e = &c->entries[i - 1];
			char abi[32], hw[600] = "";
			unsigned type = (unsigned)e->flags & 0xff;
			if (e->hwcaps_subdir)
				snprintf(hw, sizeof hw, ", hwcap: \"%s\"", e->hwcaps_subdir);
			else if (e->hwcap)
				snprintf(hw, sizeof hw, ", hwcap: %#.16llx", (unsigned long long)e->hwcap);
			line = format("\t%s (%s%s%s) => %s\n", e->name, type < 4 ? types[type] : "unknown",
				      abi_descr(e->flags, abi, sizeof abi), hw, e->path);
		} else if (c->generator) {
			line = format("Cache generated by: %s\n", c->generator);
		} else {
			continue;
		}
		size_t n = strlen(line);
		while (len + n + 1 > cap)
			cap *= 2;
		out = realloc(out, cap);
		memcpy(out + len, line, n + 1);
		len += n;
		free(line);
	}
	return out;
}

/* `ldconfig -C FILE -p` must print exactly what the parse holds. */
static void assert_matches_ldconfig_p(const char *ldconfig, const char *file, const struct ldcache *c)
{
	char *expect = render_print(c, file);
	char *got = capture("%s -C '%s' -p", ldconfig, file);
	assert_non_null(got);
	if (strcmp(expect, got) != 0) {
		/* Show the first differing line, then fail. */
		const char *a = expect, *b = got;
		while (*a && *a == *b)
			a++, b++;
		while (a > expect && a[-1] != '\n')
			a--, b--;
		print_error("%s: ours vs ldconfig -p differ at:\n  %.*s\n  %.*s\n", file,
			    (int)strcspn(a, "\n"), a, (int)strcspn(b, "\n"), b);
	}
	assert_string_equal(expect, got);
	free(expect);
	free(got);
}

static struct ldcache parse_ok(const void *data, size_t size)
{
	struct ldcache c;
	struct cr_err err = { "" };
	int rc = ldcache_parse(data, size, &c, &err);
	if (rc != 0)
		print_error("parse failed: %s\n", err.msg);
	assert_int_equal(rc, 0);
	return c;
}

/* ---- byte swapping a cache written in this host's order ---- */

static uint32_t get32(const unsigned char *b, size_t off, bool be)
{
	return be ? (uint32_t)b[off] << 24 | (uint32_t)b[off + 1] << 16 | (uint32_t)b[off + 2] << 8 | b[off + 3]
		  : (uint32_t)b[off + 3] << 24 | (uint32_t)b[off + 2] << 16 | (uint32_t)b[off + 1] << 8 | b[off];
}

static void put32(unsigned char *b, size_t off, uint32_t v, bool be)
{
	for (int i = 0; i < 4; i++)
		b[off + (size_t)i] = (unsigned char)(v >> (be ? 24 - 8 * i : 8 * i));
}

static void rev(unsigned char *b, size_t off, size_t n)
{
	for (size_t i = 0; i < n / 2; i++) {
		unsigned char t = b[off + i];
		b[off + i] = b[off + n - 1 - i];
		b[off + n - 1 - i] = t;
	}
}

static void swap_new_part(unsigned char *b, size_t h, bool from_be)
{
	uint32_t n = get32(b, h + 20, from_be), ext = get32(b, h + 32, from_be);
	rev(b, h + 20, 4);
	rev(b, h + 24, 4);
	rev(b, h + 32, 4);
	if (b[h + 28] != 0)
		b[h + 28] = from_be ? 2 : 3;
	for (uint32_t i = 0; i < n; i++) {
		size_t e = h + 48 + 24 * (size_t)i;
		for (size_t k = 0; k < 16; k += 4)
			rev(b, e + k, 4);
		rev(b, e + 16, 8);
	}
	if (ext == 0)
		return;
	uint32_t count = get32(b, ext + 4, from_be);
	rev(b, ext, 4);
	rev(b, ext + 4, 4);
	for (uint32_t i = 0; i < count; i++) {
		size_t r = ext + 8 + 16 * (size_t)i;
		uint32_t tag = get32(b, r, from_be), off = get32(b, r + 8, from_be), size = get32(b, r + 12, from_be);
		for (size_t k = 0; k < 16; k += 4)
			rev(b, r + k, 4);
		if (tag == 1)
			for (uint32_t j = 0; j < size / 4; j++)
				rev(b, off + 4 * (size_t)j, 4);
	}
}

/* Swaps every integer of an ldconfig-written cache (old, compat or new);
 * strings and the generator stay as they are. */
static void swap_cache(unsigned char *b, size_t size, bool from_be)
{
	if (memcmp(b, "glibc-ld.so.cache1.1", 20) == 0) {
		swap_new_part(b, 0, from_be);
		return;
	}
	uint32_t n = get32(b, 12, from_be);
	rev(b, 12, 4);
	for (uint32_t i = 0; i < n; i++)
		for (size_t k = 0; k < 12; k += 4)
			rev(b, 16 + 12 * (size_t)i + k, 4);
	size_t h = (16 + 12 * (size_t)n + 7) & ~(size_t)7;
	if (h + 48 <= size && memcmp(b + h, "glibc-ld.so.cache1.1", 20) == 0)
		swap_new_part(b, h, from_be);
}

static void assert_same_cache(const struct ldcache *a, const struct ldcache *b)
{
	assert_int_equal(a->nentries, b->nentries);
	assert_int_equal(a->new_format, b->new_format);
	if (a->generator || b->generator) {
		assert_non_null(a->generator);
		assert_non_null(b->generator);
		assert_string_equal(a->generator, b->generator);
	}
	for (size_t i = 0; i < a->nentries; i++) {
		assert_string_equal(a->entries[i].name, b->entries[i].name);
		assert_string_equal(a->entries[i].path, b->entries[i].path);
		assert_int_equal(a->entries[i].flags, b->entries[i].flags);
		assert_true(a->entries[i].hwcap == b->entries[i].hwcap);
		assert_int_equal(!a->entries[i].hwcaps_subdir, !b->entries[i].hwcaps_subdir);
		if (a->entries[i].hwcaps_subdir)
			assert_string_equal(a->entries[i].hwcaps_subdir, b->entries[i].hwcaps_subdir);
	}
}

/* ---- hostile input ---- */

/* Touches everything a successful parse hands out, so ASan sees any
 * pointer outside the copy, and runs lookups over it. */
static void exercise(const struct ldcache *c)
{
	static const char *const hw[] = { "x86-64-v4", "x86-64-v3", "x86-64-v2", NULL };
	size_t total = 0;
	for (size_t i = 0; i < c->nentries; i++) {
		const struct ldcache_entry *e = &c->entries[i];
		total += strlen(e->name) + strlen(e->path);
		if (e->hwcaps_subdir)
			total += strlen(e->hwcaps_subdir);
		if (i % 7 == 0) {
			struct ldcache_query q = { e->flags, 3, hw, 3, i % 2 == 0 };
			const char *sub;
			const char *p = ldcache_lookup(c, e->name, &q, &sub);
			if (p)
				total += strlen(p);
		}
	}
	if (c->generator)
		total += strlen(c->generator);
	(void)total;
}

/* Parses a mutated copy: -1 with a one-line reason, or a usable cache. */
static int try_parse(const unsigned char *data, size_t size)
{
	unsigned char *copy = malloc(size ? size : 1);
	memcpy(copy, data, size);
	struct ldcache c;
	struct cr_err err = { "" };
	int rc = ldcache_parse(copy, size, &c, &err);
	free(copy); /* the parse must not keep pointers into the input */
	if (rc == 0) {
		exercise(&c);
		ldcache_free(&c);
	} else {
		assert_int_equal(rc, -1);
		assert_true(err.msg[0] != '\0');
		assert_null(strchr(err.msg, '\n'));
		assert_null(c.entries);
		assert_null(c.strings_);
	}
	return rc;
}

/* -1 or 0 as try_parse; 1 when off is not inside the file (nothing to patch). */
static int try_patched32(const unsigned char *data, size_t size, size_t off, uint32_t value, bool be)
{
	if (off > size || size - off < 4)
		return 1;
	unsigned char *copy = malloc(size);
	memcpy(copy, data, size);
	put32(copy, off, value, be);
	int rc = try_parse(copy, size);
	free(copy);
	return rc;
}

/* Offsets of the new header, its first entry's key and the extension, for
 * an ldconfig-written cache in this host's order. */
struct landmarks {
	size_t h;        /* new header, or SIZE_MAX for old-only */
	size_t entries;  /* first entry */
	size_t ext;      /* extension directory, or 0 */
	size_t hwcaps;   /* glibc-hwcaps array, or 0 */
};

static struct landmarks find_landmarks(const unsigned char *b, size_t size)
{
	struct landmarks lm = { SIZE_MAX, 16, 0, 0 };
	if (memcmp(b, "glibc-ld.so.cache1.1", 20) == 0) {
		lm.h = 0;
	} else {
		size_t h = (16 + 12 * (size_t)get32(b, 12, false) + 7) & ~(size_t)7;
		if (h + 48 <= size && memcmp(b + h, "glibc-ld.so.cache1.1", 20) == 0)
			lm.h = h;
	}
	if (lm.h == SIZE_MAX)
		return lm;
	lm.entries = lm.h + 48;
	lm.ext = get32(b, lm.h + 32, false);
	if (lm.ext) {
		uint32_t count = get32(b, lm.ext + 4, false);
		for (uint32_t i = 0; i < count; i++)
			if (get32(b, lm.ext + 8 + 16 * (size_t)i, false) == 1)
				lm.hwcaps = get32(b, lm.ext + 8 + 16 * (size_t)i + 8, false);
	}
	return lm;
}

static void hostile_variants(const unsigned char *data, size_t size, size_t trunc_stride)
{
	const bool le = false;
	struct landmarks lm = find_landmarks(data, size);
	bool has_new = lm.h != SIZE_MAX;

	/* Truncation. Every truncation of a cache with a new part loses
	 * part of the string table or the extension, so it is an error. */
	for (size_t n = 0; n < size; n += (n < 512 || size - n < 512) ? 1 : trunc_stride) {
		int rc = try_parse(data, n);
		if (has_new)
			assert_int_equal(rc, -1);
	}

	/* Absurd counts. */
	size_t nlibs_at = has_new ? lm.h + 20 : 12;
	const uint32_t counts[] = { 0xffffffffu, 0x80000000u, 0x0aaaaaabu, (uint32_t)(size / 24 + 1),
				    (uint32_t)(size / 12 + 1) };
	for (size_t i = 0; i < sizeof counts / sizeof *counts; i++) {
		assert_int_equal(try_patched32(data, size, nlibs_at, counts[i], le), -1);
		if (has_new)
			try_patched32(data, size, 12, counts[i], le); /* the old count of a compat file */
	}
	if (has_new) {
		assert_int_equal(try_patched32(data, size, lm.h + 24, 0xffffffffu, le), -1); /* len_strings */
		assert_int_equal(try_patched32(data, size, lm.h + 24, (uint32_t)size, le), -1);
	}

	/* String offsets past the end, and at the last byte: the unterminated
	 * generator in a new-only file, past the end from a later base in the
	 * others. */
	const uint32_t offs[] = { 0xffffffffu, 0x80000000u, (uint32_t)size, (uint32_t)size - 1 };
	for (size_t i = 0; i < sizeof offs / sizeof *offs; i++)
		for (size_t field = 4; field <= 8; field += 4)
			assert_int_equal(try_patched32(data, size, lm.entries + field, offs[i], le), -1);
	/* Overlapping: strings taken from the header and the entry table. */
	for (uint32_t off = 0; off < 96; off += 4) {
		try_patched32(data, size, lm.entries + 4, off, le);
		try_patched32(data, size, lm.entries + 8, off, le);
	}
	if (!has_new)
		return;

	/* Header flags: the low two bits are the byte order and the rest is
	 * ignored; 1 is "invalid", and other bits without an order match no
	 * loader; 3 reads this little-endian file as big-endian. */
	static const struct {
		unsigned char flags;
		int rc;
	} flag_cases[] = { { 1, -1 }, { 4, -1 }, { 5, -1 }, { 0x80, -1 }, { 0x81, -1 },
			   { 3, -1 }, { 6, 0 },  { 0x82, 0 }, { 0xfe, 0 } };
	for (size_t i = 0; i < sizeof flag_cases / sizeof *flag_cases; i++) {
		unsigned char *copy = malloc(size);
		memcpy(copy, data, size);
		copy[lm.h + 28] = flag_cases[i].flags;
		assert_int_equal(try_parse(copy, size), flag_cases[i].rc);
		free(copy);
	}

	/* Extension offset past the end, misaligned, into other tables. */
	const uint32_t ext_offs[] = { 0xfffffffcu, (uint32_t)size, (uint32_t)(size & ~3u) - 4, 2, 48, 0 };
	for (size_t i = 0; i < sizeof ext_offs / sizeof *ext_offs; i++) {
		int rc = try_patched32(data, size, lm.h + 32, ext_offs[i], le);
		if (ext_offs[i] != 0 && lm.ext != 0)
			assert_int_equal(rc, -1);
	}
	if (lm.ext == 0)
		return;
	/* Extension count huge, sections past the end or overflowing. */
	assert_int_equal(try_patched32(data, size, lm.ext + 4, 0xffffffffu, le), -1);
	assert_int_equal(try_patched32(data, size, lm.ext + 4, 0x10000000u, le), -1);
	try_patched32(data, size, lm.ext + 4, 0, le);
	assert_int_equal(try_patched32(data, size, lm.ext + 8 + 8, 0xfffffff0u, le), -1);
	assert_int_equal(try_patched32(data, size, lm.ext + 8 + 12, 0xfffffff0u, le), -1);
	/* A hwcaps section laid over the extension directory itself. */
	try_patched32(data, size, lm.ext + 24 + 8, (uint32_t)lm.ext, le);
	if (lm.hwcaps) {
		assert_int_equal(try_patched32(data, size, lm.hwcaps, 0xffffffffu, le), -1);
		assert_int_equal(try_patched32(data, size, lm.hwcaps, (uint32_t)size, le), -1);
	}
	/* An entry whose hwcaps index is out of range. */
	for (size_t i = 0; i < 64 && i < get32(data, lm.h + 20, le); i++) {
		size_t e = lm.entries + 24 * i;
		if (get32(data, e + 20, le) >> 30 == 1)
			assert_int_equal(try_patched32(data, size, e + 16, 999, le), -1);
	}
}

/* Deterministic byte flips over the whole file. */
static void random_flips(const unsigned char *data, size_t size, unsigned rounds, uint64_t seed)
{
	unsigned char *copy = malloc(size);
	uint64_t x = seed;
	for (unsigned r = 0; r < rounds; r++) {
		memcpy(copy, data, size);
		unsigned flips = 1 + r % 4;
		for (unsigned k = 0; k < flips; k++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			/* Mostly the header, entries and extension, where the numbers live. */
			size_t span = r % 3 == 0 ? size : (size < 1024 ? size : 1024);
			size_t at = (size_t)(x % span);
			if (r % 3 == 1 && size > 1024)
				at = size - 1 - at; /* the tail: strings and extension */
			copy[at] = (unsigned char)(x >> 32);
		}
		try_parse(copy, size);
	}
	free(copy);
}

/* ---- generated caches: a root for ldconfig -r ---- */

struct gen_root {
	char dir[256];
	bool have_isa; /* libisa.so.1 variants were built */
	bool have_prog; /* /bin/p links libm.so.6 and libisa.so.1 */
	const char *ldconfig;
};

static const char *const formats[] = { "new", "compat", "old" };

static char *cache_file(const struct gen_root *r, const char *fmt)
{
	return format("%s/etc/ld.so.cache.%s", r->dir, fmt);
}

static bool host_lib(const char *name, char *path, size_t size)
{
	size_t n;
	unsigned char *data = read_whole(HOST_CACHE, &n);
	if (!data)
		return false;
	struct ldcache c;
	struct cr_err err;
	bool found = false;
	if (ldcache_parse(data, n, &c, &err) == 0) {
		struct ldcache_query q = { 0x0303, 0x0303, NULL, 0, false };
		const char *p = ldcache_lookup(&c, name, &q, NULL);
		if (p) {
			snprintf(path, size, "%s", p);
			found = true;
		}
		ldcache_free(&c);
	}
	free(data);
	return found;
}

/* Builds ROOT with /opt/a/{,glibc-hwcaps/x86-64-v3/,glibc-hwcaps/x86-64-v2/}libm.so.6,
 * /opt/b/libpthread.so.0, and when a compiler is at hand /opt/c libisa.so.1
 * variants whose x86 ISA markers differ from their directories: the v3
 * copy needs v4, the v2 copy needs v2. Then writes the three formats. */
static int gen_root_setup(void **state)
{
	struct gen_root *r = calloc(1, sizeof *r);
	*state = r;
#if !defined(__x86_64__)
	return 0;
#else
	r->ldconfig = find_ldconfig();
	char libm[512], libpthread[512], libc[512];
	if (!r->ldconfig || !host_lib("libm.so.6", libm, sizeof libm) ||
	    !host_lib("libpthread.so.0", libpthread, sizeof libpthread) || !host_lib("libc.so.6", libc, sizeof libc))
		return 0;
	const char *tmp = getenv("TMPDIR");
	snprintf(r->dir, sizeof r->dir, "%s/canrun-ldcache-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(r->dir)) {
		r->dir[0] = '\0';
		return 0;
	}
	const char *d = r->dir;
	if (sh("mkdir -p '%s/etc' '%s/bin' '%s/lib64' '%s/lib/x86_64-linux-gnu' '%s/opt/a/glibc-hwcaps/x86-64-v3' "
	       "'%s/opt/a/glibc-hwcaps/x86-64-v2' '%s/opt/b' '%s/opt/c/glibc-hwcaps/x86-64-v3' "
	       "'%s/opt/c/glibc-hwcaps/x86-64-v2'",
	       d, d, d, d, d, d, d, d, d) != 0 ||
	    sh("cp -L '%s' '%s/opt/a/libm.so.6' && cp -L '%s' '%s/opt/a/glibc-hwcaps/x86-64-v3/libm.so.6' && "
	       "cp -L '%s' '%s/opt/a/glibc-hwcaps/x86-64-v2/libm.so.6' && cp -L '%s' '%s/opt/b/libpthread.so.0'",
	       libm, d, libm, d, libm, d, libpthread, d) != 0 ||
	    sh("printf '/opt/a\\n/opt/b\\n/opt/c\\n' > '%s/etc/ld.so.conf'", d) != 0) {
		r->ldconfig = NULL;
		return 0;
	}

	/* Optional parts: they need cc, and ld's -z x86-64-vN (binutils 2.38+). */
	char *src = format("%s/f.c", d);
	write_whole(src, "int f(void) { return 1; }\n", 26);
	r->have_isa =
		sh("cc -shared -fPIC -nostdlib -Wl,-soname,libisa.so.1 -o '%s/opt/c/libisa.so.1' '%s' && "
		   "cc -shared -fPIC -nostdlib -Wl,-soname,libisa.so.1 -Wl,-z,x86-64-v4 "
		   "-o '%s/opt/c/glibc-hwcaps/x86-64-v3/libisa.so.1' '%s' && "
		   "cc -shared -fPIC -nostdlib -Wl,-soname,libisa.so.1 -Wl,-z,x86-64-v2 "
		   "-o '%s/opt/c/glibc-hwcaps/x86-64-v2/libisa.so.1' '%s'",
		   d, src, d, src, d, src) == 0;
	free(src);
	if (r->have_isa) {
		char *prog = format("%s/p.c", d);
		write_whole(prog, "int main(void) { return 0; }\n", 29);
		r->have_prog = sh("cc -o '%s/bin/p' '%s' -Wl,--no-as-needed '%s/opt/a/libm.so.6' "
				    "'%s/opt/c/libisa.so.1' && cp -L '%s' '%s/lib64/' && "
				    "cp -L '%s' '%s/lib/x86_64-linux-gnu/libc.so.6'",
				    d, prog, d, d, HOST_LDSO, d, libc, d) == 0;
		free(prog);
	}

	for (size_t i = 0; i < 3; i++) {
		/* -X: the copies already carry their sonames; -i: no aux cache. */
		if (sh("%s -X -i -r '%s' -f /etc/ld.so.conf -C /etc/ld.so.cache.%s -c %s", r->ldconfig, d, formats[i],
		       formats[i]) != 0) {
			print_message("ldconfig -c %s failed; skipping generated caches\n", formats[i]);
			r->ldconfig = NULL;
			return 0;
		}
	}
	return 0;
#endif
}

static int remove_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	remove(path); /* best effort: keep removing the rest */
	return 0;
}

static int gen_root_teardown(void **state)
{
	struct gen_root *r = *state;
	if (r->dir[0] && strstr(r->dir, "canrun-ldcache-"))
		nftw(r->dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
	free(r);
	return 0;
}

static struct gen_root *need_root(void **state)
{
	struct gen_root *r = *state;
	if (!r->ldconfig || !r->dir[0]) {
		print_message("no generated root (needs x86-64, ldconfig, the host's libm and libpthread): skipped\n");
		skip();
	}
	return r;
}

/* ---- tests: the host cache ---- */

static void test_host_cache_matches_ldconfig_p(void **state)
{
	(void)state;
	const char *ldconfig = find_ldconfig();
	size_t size;
	unsigned char *data = read_whole(HOST_CACHE, &size);
	if (!ldconfig || !data) {
		free(data);
		skip();
	}
	struct ldcache c = parse_ok(data, size);
	assert_true(c.nentries > 0);
	assert_matches_ldconfig_p(ldconfig, HOST_CACHE, &c);

	/* Every plain entry is found, and the first plain entry of its name
	 * and flags wins. */
	for (size_t i = 0; i < c.nentries; i++) {
		const struct ldcache_entry *e = &c.entries[i];
		if (e->hwcap != 0)
			continue;
		const struct ldcache_entry *first = e;
		for (size_t j = 0; j < i; j++)
			if (c.entries[j].hwcap == 0 && c.entries[j].flags == e->flags &&
			    strcmp(c.entries[j].name, e->name) == 0) {
				first = &c.entries[j];
				break;
			}
		struct ldcache_query q = { e->flags, e->flags, NULL, 0, false };
		const char *sub = "unset";
		const char *p = ldcache_lookup(&c, e->name, &q, &sub);
		assert_non_null(p);
		assert_string_equal(p, first->path);
		assert_null(sub);
	}
	/* Names the cache lacks, around real ones in the sort order. */
	struct ldcache_query q = { 0x0303, 0x0303, NULL, 0, false };
	assert_null(ldcache_lookup(&c, "libc.so.7", &q, NULL));
	assert_null(ldcache_lookup(&c, "libc.so.5", &q, NULL));
	assert_null(ldcache_lookup(&c, "", &q, NULL));
	assert_null(ldcache_lookup(&c, "zzzzzz", &q, NULL));
	assert_null(ldcache_lookup(&c, "0", &q, NULL));
	ldcache_free(&c);
	free(data);
}

static void test_host_libc_matches_loader(void **state)
{
	(void)state;
#if !defined(__x86_64__)
	skip();
#else
	size_t size;
	unsigned char *data = read_whole(HOST_CACHE, &size);
	struct cpu cpu;
	if (!data || access(HOST_LDSO, X_OK) != 0 || !host_cpu(&cpu)) {
		free(data);
		skip();
	}
	char *out = capture("env -u LD_LIBRARY_PATH -u LD_PRELOAD %s --list /bin/true", HOST_LDSO);
	if (!out || !strstr(out, " => ")) {
		print_message("%s --list did not run: skipped\n", HOST_LDSO);
		free(out);
		free(data);
		skip();
	}
	char *want = listed_path(out, "libc.so.6");
	assert_non_null(want);

	struct ldcache c = parse_ok(data, size);
	int32_t a, b;
	assert_true(ldcache_flags_for(62, 64, false, 0, &a, &b));
	struct ldcache_query q = { a, b, cpu.hwcaps, cpu.isa_level, false };
	const char *got = ldcache_lookup(&c, "libc.so.6", &q, NULL);
	assert_non_null(got);
	assert_string_equal(got, want);
	ldcache_free(&c);
	free(want);
	free(out);
	free(data);
#endif
}

static void test_host_cache_hostile(void **state)
{
	(void)state;
	size_t size;
	unsigned char *data = read_whole(HOST_CACHE, &size);
	if (!data)
		skip();
	hostile_variants(data, size, 61);
	random_flips(data, size, 1500, 0x9e3779b97f4a7c15ull);
	free(data);
}

/* ---- tests: generated caches ---- */

struct want {
	const char *path;   /* relative to the root */
	const char *subdir; /* expected hwcaps subdir, or NULL */
};

static void expect_lookup(const struct ldcache *c, const char *name, const struct ldcache_query *q, struct want w)
{
	const char *sub = "unset";
	const char *p = ldcache_lookup(c, name, q, &sub);
	if (!w.path) {
		assert_null(p);
		return;
	}
	assert_non_null(p);
	assert_string_equal(p, w.path);
	if (w.subdir) {
		assert_non_null(sub);
		assert_string_equal(sub, w.subdir);
	} else {
		assert_null(sub);
	}
}

static void test_generated_match_ldconfig_p(void **state)
{
	struct gen_root *r = need_root(state);
	for (size_t i = 0; i < 3; i++) {
		char *file = cache_file(r, formats[i]);
		size_t size;
		unsigned char *data = read_whole(file, &size);
		assert_non_null(data);
		struct ldcache c = parse_ok(data, size);
		assert_int_equal(c.new_format, i < 2);
		assert_int_equal(c.generator != NULL, i < 2);
		assert_matches_ldconfig_p(r->ldconfig, file, &c);
		ldcache_free(&c);
		free(data);
		free(file);
	}
}

/* What glibc 2.36 picks in each format, checked against the real loader
 * in test_generated_match_loader:
 *  - new: the best glibc-hwcaps subdirectory the CPU supports whose
 *    library's ISA marker the CPU also meets, else the plain entry;
 *  - compat: always the plain entry, because the loader reads the hwcaps
 *    names from the start of the file while ldconfig wrote them relative
 *    to the new header, so no name matches;
 *  - old: no hwcap words at all, so the first entry of the name, which
 *    sorts glibc-hwcaps/x86-64-v2 first. */
static void test_generated_lookups(void **state)
{
	struct gen_root *r = need_root(state);
	static const char *const v4[] = { "x86-64-v4", "x86-64-v3", "x86-64-v2", NULL };
	static const char *const v3[] = { "x86-64-v3", "x86-64-v2", NULL };
	static const char *const v2[] = { "x86-64-v2", NULL };
	const struct ldcache_query q4 = { 0x0303, 0x0303, v4, 4, false };
	const struct ldcache_query q3 = { 0x0303, 0x0303, v3, 3, false };
	const struct ldcache_query q2 = { 0x0303, 0x0303, v2, 2, false };
	const struct ldcache_query q1 = { 0x0303, 0x0303, NULL, 1, false };
	const struct ldcache_query q_noisa = { 0x0303, 0x0303, v3, 0, false };
	const struct ldcache_query q_arm64 = { 0x0a03, 0x0a03, v3, 0, false };
	const struct ldcache_query q_i386 = { 1, 3, NULL, 0, false };

	const struct want m_v3 = { "/opt/a/glibc-hwcaps/x86-64-v3/libm.so.6", "x86-64-v3" };
	const struct want m_v2 = { "/opt/a/glibc-hwcaps/x86-64-v2/libm.so.6", "x86-64-v2" };
	const struct want m_v2_plain = { "/opt/a/glibc-hwcaps/x86-64-v2/libm.so.6", NULL };
	const struct want m_base = { "/opt/a/libm.so.6", NULL };
	const struct want i_v3 = { "/opt/c/glibc-hwcaps/x86-64-v3/libisa.so.1", "x86-64-v3" };
	const struct want i_v2 = { "/opt/c/glibc-hwcaps/x86-64-v2/libisa.so.1", "x86-64-v2" };
	const struct want i_base = { "/opt/c/libisa.so.1", NULL };
	const struct want none = { NULL, NULL };
	const struct want pthread = { "/opt/b/libpthread.so.0", NULL };

	for (size_t i = 0; i < 3; i++) {
		char *file = cache_file(r, formats[i]);
		size_t size;
		unsigned char *data = read_whole(file, &size);
		assert_non_null(data);
		struct ldcache c = parse_ok(data, size);
		bool is_new = i == 0, is_compat = i == 1;

		expect_lookup(&c, "libm.so.6", &q4, is_new ? m_v3 : is_compat ? m_base : m_v2_plain);
		expect_lookup(&c, "libm.so.6", &q3, is_new ? m_v3 : is_compat ? m_base : m_v2_plain);
		expect_lookup(&c, "libm.so.6", &q2, is_new ? m_v2 : is_compat ? m_base : m_v2_plain);
		expect_lookup(&c, "libm.so.6", &q1, is_new ? m_base : is_compat ? m_base : m_v2_plain);
		expect_lookup(&c, "libm.so.6", &q_noisa, is_new ? m_v3 : is_compat ? m_base : m_v2_plain);
		expect_lookup(&c, "libpthread.so.0", &q3, pthread);
		expect_lookup(&c, "libm.so.6", &q_arm64, none);
		expect_lookup(&c, "libm.so.6", &q_i386, none);
		expect_lookup(&c, "libm.so.7", &q3, none);
		if (r->have_isa) {
			const struct want i_old = { "/opt/c/glibc-hwcaps/x86-64-v2/libisa.so.1", NULL };
			/* The v3 copy needs v4: a v3 CPU skips it for the v2 copy. */
			expect_lookup(&c, "libisa.so.1", &q4, is_new ? i_v3 : is_compat ? i_base : i_old);
			expect_lookup(&c, "libisa.so.1", &q3, is_new ? i_v2 : is_compat ? i_base : i_old);
			expect_lookup(&c, "libisa.so.1", &q2, is_new ? i_v2 : is_compat ? i_base : i_old);
			expect_lookup(&c, "libisa.so.1", &q1, is_new ? i_base : is_compat ? i_base : i_old);
			/* A loader that ignores ISA markers (isa_level 0). */
			expect_lookup(&c, "libisa.so.1", &q_noisa, is_new ? i_v3 : is_compat ? i_base : i_old);
			if (is_new) {
				/* The cache records the markers: v4 is bit 3, v2 bit 1. */
				for (size_t k = 0; k < c.nentries; k++) {
					const struct ldcache_entry *e = &c.entries[k];
					if (strcmp(e->name, "libisa.so.1") != 0 || !e->hwcaps_subdir)
						continue;
					unsigned level = (unsigned)(e->hwcap >> 32) & 0x3ff;
					assert_int_equal(level, strcmp(e->hwcaps_subdir, "x86-64-v3") == 0 ? 3 : 1);
				}
			}
		}
		ldcache_free(&c);
		free(data);
		free(file);
	}
}

/* The real loader, in a chroot of the generated root, for each format. */
static void test_generated_match_loader(void **state)
{
	struct gen_root *r = need_root(state);
	struct cpu cpu;
	if (!r->have_prog || !host_cpu(&cpu))
		skip();
	const char *chroot_cmd = geteuid() == 0 ? "chroot" : "unshare -r chroot";
	const char *names[] = { "libm.so.6", "libisa.so.1", "libpthread.so.0", "libc.so.6" };
	int checked = 0;
	for (size_t i = 0; i < 3; i++) {
		char *file = cache_file(r, formats[i]);
		char *live = format("%s/etc/ld.so.cache", r->dir);
		assert_int_equal(sh("cp '%s' '%s'", file, live), 0);
		char *out = capture("env -u LD_LIBRARY_PATH -u LD_PRELOAD %s '%s' /lib64/ld-linux-x86-64.so.2 --list /bin/p",
				    chroot_cmd, r->dir);
		size_t size;
		unsigned char *data = read_whole(file, &size);
		struct ldcache c = parse_ok(data, size);
		struct ldcache_query q = { 0x0303, 0x0303, cpu.hwcaps, cpu.isa_level, false };
		char *libc = listed_path(out, "libc.so.6");
		if (libc) { /* chroot worked */
			for (size_t k = 0; k < 2; k++) {
				char *want = listed_path(out, names[k]);
				assert_non_null(want);
				const char *got = ldcache_lookup(&c, names[k], &q, NULL);
				assert_non_null(got);
				assert_string_equal(got, want);
				free(want);
				checked++;
			}
		}
		free(libc);
		ldcache_free(&c);
		free(data);
		free(out);
		sh("rm -f '%s'", live);
		free(live);
		free(file);
	}
	if (checked == 0) {
		print_message("chroot not permitted here: loader comparison skipped\n");
		skip();
	}
}

static void test_generated_byte_swapped(void **state)
{
	struct gen_root *r = need_root(state);
	for (size_t i = 0; i < 3; i++) {
		char *file = cache_file(r, formats[i]);
		size_t size;
		unsigned char *data = read_whole(file, &size);
		assert_non_null(data);
		struct ldcache le = parse_ok(data, size);

		unsigned char *be = malloc(size);
		memcpy(be, data, size);
		swap_cache(be, size, false);
		struct landmarks lm = find_landmarks(data, size);
		if (lm.h != SIZE_MAX)
			assert_int_equal(be[lm.h + 28], 3); /* flags byte: big-endian */
		struct ldcache bec = parse_ok(be, size);
		assert_same_cache(&le, &bec);
		ldcache_free(&bec);

		/* Without the byte-order mark (caches before 2.33): the order
		 * comes from which reading of the counts fits. */
		if (lm.h != SIZE_MAX) {
			be[lm.h + 28] = 0;
			bec = parse_ok(be, size);
			assert_same_cache(&le, &bec);
			ldcache_free(&bec);
			unsigned char *le0 = malloc(size);
			memcpy(le0, data, size);
			le0[lm.h + 28] = 0;
			struct ldcache lec = parse_ok(le0, size);
			assert_same_cache(&le, &lec);
			ldcache_free(&lec);
			free(le0);
		}
		/* Swapping back restores the original bytes. */
		swap_cache(be, size, true);
		if (lm.h != SIZE_MAX)
			be[lm.h + 28] = data[lm.h + 28];
		assert_memory_equal(be, data, size);

		hostile_variants(data, size, 1);
		random_flips(data, size, 3000, 0x2545f4914f6cdd1dull + i);
		ldcache_free(&le);
		free(be);
		free(data);
		free(file);
	}
}

/* A pre-2.33 layout: new format, flags 0, no extension, nothing after the
 * strings, in both byte orders. */
static void test_generated_pre233_layout(void **state)
{
	struct gen_root *r = need_root(state);
	char *file = cache_file(r, "new");
	size_t size;
	unsigned char *data = read_whole(file, &size);
	assert_non_null(data);
	uint32_t nlibs = get32(data, 20, false), len = get32(data, 24, false);
	size_t used = 48 + 24 * (size_t)nlibs + len;
	assert_true(used <= size);
	unsigned char *old = malloc(used);
	memcpy(old, data, used);
	old[28] = 0;
	put32(old, 32, 0, false);
	/* Without an extension no entry may claim a hwcaps index. */
	for (uint32_t i = 0; i < nlibs; i++) {
		put32(old, 48 + 24 * (size_t)i + 16, 0, false);
		put32(old, 48 + 24 * (size_t)i + 20, 0, false);
	}
	struct ldcache a = parse_ok(old, used);
	assert_null(a.generator);
	assert_int_equal(a.nentries, nlibs);
	swap_cache(old, used, false);
	old[28] = 0;
	struct ldcache b = parse_ok(old, used);
	assert_same_cache(&a, &b);
	const struct ldcache_query q = { 0x0303, 0x0303, NULL, 0, false };
	/* All hwcap words are now 0, so the first entry wins, as in 2.32. */
	expect_lookup(&b, "libm.so.6", &q, (struct want){ "/opt/a/glibc-hwcaps/x86-64-v2/libm.so.6", NULL });
	ldcache_free(&a);
	ldcache_free(&b);
	free(old);
	free(data);
	free(file);
}

/* ---- tests: synthesized caches for search_cache's corner cases ---- */

struct syn_entry {
	const char *name, *path;
	int32_t flags;
	uint64_t hwcap;
};

/* A little-endian cache in ldconfig's layout with the entries in the
 * given order (not sorted: tests choose the order on purpose). */
static unsigned char *synth(const struct syn_entry *e, size_t n, const char *const *hwcaps, size_t nh, bool old,
			    size_t *size)
{
	size_t cap = 65536, strings_at = old ? 16 + 12 * n : 48 + 24 * n;
	unsigned char *b = calloc(1, cap);
	size_t pos = strings_at;
	size_t base = old ? strings_at : 0;
	memcpy(b, old ? "ld.so-1.7.0" : "glibc-ld.so.cache1.1", old ? 11 : 20);
	for (size_t i = 0; i < n; i++) {
		size_t at = old ? 16 + 12 * i : 48 + 24 * i;
		put32(b, at, (uint32_t)e[i].flags, false);
		put32(b, at + 4, (uint32_t)(pos - base), false);
		memcpy(b + pos, e[i].name, strlen(e[i].name) + 1);
		pos += strlen(e[i].name) + 1;
		put32(b, at + 8, (uint32_t)(pos - base), false);
		memcpy(b + pos, e[i].path, strlen(e[i].path) + 1);
		pos += strlen(e[i].path) + 1;
		if (!old) {
			put32(b, at + 16, (uint32_t)e[i].hwcap, false);
			put32(b, at + 20, (uint32_t)(e[i].hwcap >> 32), false);
		}
	}
	size_t names[8];
	for (size_t i = 0; i < nh; i++) {
		names[i] = pos;
		memcpy(b + pos, hwcaps[i], strlen(hwcaps[i]) + 1);
		pos += strlen(hwcaps[i]) + 1;
	}
	if (old) {
		put32(b, 12, (uint32_t)n, false);
		*size = pos;
		return b;
	}
	put32(b, 20, (uint32_t)n, false);
	put32(b, 24, (uint32_t)(pos - strings_at), false);
	b[28] = 2;
	pos = (pos + 3) & ~(size_t)3;
	put32(b, 32, (uint32_t)pos, false);
	size_t ext = pos;
	put32(b, ext, 0xeaa42174u, false);
	put32(b, ext + 4, nh ? 2 : 1, false);
	pos = ext + 8 + 16 * (nh ? 2 : 1);
	size_t arr = pos;
	for (size_t i = 0; i < nh; i++)
		put32(b, arr + 4 * i, (uint32_t)names[i], false);
	pos += 4 * nh;
	static const char gen[] = "synthesized";
	memcpy(b + pos, gen, sizeof gen - 1);
	put32(b, ext + 8, 0, false);
	put32(b, ext + 16, (uint32_t)pos, false);
	put32(b, ext + 20, sizeof gen - 1, false);
	if (nh) {
		put32(b, ext + 24, 1, false);
		put32(b, ext + 32, (uint32_t)arr, false);
		put32(b, ext + 36, (uint32_t)(4 * nh), false);
	}
	*size = pos + sizeof gen - 1;
	return b;
}

static struct ldcache synth_parse(const struct syn_entry *e, size_t n, const char *const *hwcaps, size_t nh, bool old)
{
	size_t size;
	unsigned char *b = synth(e, n, hwcaps, nh, old, &size);
	struct ldcache c = parse_ok(b, size);
	free(b);
	return c;
}

static const uint64_t ext_bit = 1ull << 62;

static void test_synth_generic_flags(void **state)
{
	(void)state;
	const struct ldcache_query i386 = { 1, 3, NULL, 0, false };
	/* Sorted (flags 3 first): the libc6 entry. */
	struct syn_entry sorted[] = { { "libx.so.1", "/a", 3, 0 }, { "libx.so.1", "/b", 1, 0 } };
	struct ldcache c = synth_parse(sorted, 2, NULL, 0, false);
	expect_lookup(&c, "libx.so.1", &i386, (struct want){ "/a", NULL });
	ldcache_free(&c);
	/* Flags 1 first: glibc keeps scanning after a non-default match, but
	 * in the new format the next plain entry ends the scan with the old
	 * best; the old format lets the flags-3 entry replace it. */
	struct syn_entry unsorted[] = { { "libx.so.1", "/b", 1, 0 }, { "libx.so.1", "/a", 3, 0 } };
	c = synth_parse(unsorted, 2, NULL, 0, false);
	expect_lookup(&c, "libx.so.1", &i386, (struct want){ "/b", NULL });
	ldcache_free(&c);
	c = synth_parse(unsorted, 2, NULL, 0, true);
	assert_false(c.new_format);
	expect_lookup(&c, "libx.so.1", &i386, (struct want){ "/a", NULL });
	ldcache_free(&c);
	/* arm hard-float: 0x0903 or unmarked 3; same quirk in the old format. */
	int32_t a, b;
	assert_true(ldcache_flags_for(40, 32, false, 0x05000400, &a, &b));
	const struct ldcache_query armhf = { a, b, NULL, 0, false };
	struct syn_entry arm[] = { { "liby.so.1", "/hf", 0x0903, 0 }, { "liby.so.1", "/plain", 3, 0 },
				   { "liby.so.1", "/sf", 0x0b03, 0 } };
	c = synth_parse(arm, 3, NULL, 0, false);
	expect_lookup(&c, "liby.so.1", &armhf, (struct want){ "/hf", NULL });
	ldcache_free(&c);
	c = synth_parse(arm, 3, NULL, 0, true);
	expect_lookup(&c, "liby.so.1", &armhf, (struct want){ "/plain", NULL });
	ldcache_free(&c);
}

static void test_synth_hwcaps_priority(void **state)
{
	(void)state;
	static const char *const names[] = { "power10", "power9", "z13" };
	struct syn_entry e[] = {
		{ "libp.so.1", "/p10", 0x0503, ext_bit | 0 },
		{ "libp.so.1", "/p9", 0x0503, ext_bit | 1 },
		{ "libp.so.1", "/legacy", 0x0503, 1ull << 20 },
		{ "libp.so.1", "/plain", 0x0503, 0 },
		{ "libp.so.1", "/after", 0x0503, 0 },
	};
	struct ldcache c = synth_parse(e, 5, names, 3, false);
	assert_string_equal(c.entries[0].hwcaps_subdir, "power10");
	assert_string_equal(c.entries[1].hwcaps_subdir, "power9");
	assert_null(c.entries[2].hwcaps_subdir);
	assert_string_equal(c.generator, "synthesized");

	static const char *const both[] = { "power10", "power9", NULL };
	static const char *const p9first[] = { "power9", "power10", NULL };
	static const char *const p9[] = { "power9", NULL };
	static const char *const other[] = { "z13", NULL };
	struct ldcache_query q = { 0x0503, 0x0503, both, 0, false };
	expect_lookup(&c, "libp.so.1", &q, (struct want){ "/p10", "power10" });
	q.hwcaps = p9first;
	expect_lookup(&c, "libp.so.1", &q, (struct want){ "/p9", "power9" });
	q.hwcaps = p9;
	expect_lookup(&c, "libp.so.1", &q, (struct want){ "/p9", "power9" });
	/* No usable subdir: the legacy entry is skipped (2.37+) or taken (< 2.37). */
	q.hwcaps = other;
	expect_lookup(&c, "libp.so.1", &q, (struct want){ "/plain", NULL });
	q.legacy_hwcaps = true;
	expect_lookup(&c, "libp.so.1", &q, (struct want){ "/legacy", NULL });
	q.hwcaps = NULL;
	q.legacy_hwcaps = false;
	expect_lookup(&c, "libp.so.1", &q, (struct want){ "/plain", NULL });
	/* Wrong flags everywhere. */
	q.flags_a = q.flags_b = 0x0303;
	expect_lookup(&c, "libp.so.1", &q, (struct want){ NULL, NULL });
	ldcache_free(&c);
}

static void test_synth_isa_levels(void **state)
{
	(void)state;
	static const char *const names[] = { "x86-64-v2", "x86-64-v3", "x86-64-v4" };
	static const char *const all[] = { "x86-64-v4", "x86-64-v3", "x86-64-v2", NULL };
	/* Each subdir's library needs a level one above its name says. */
	struct syn_entry e[] = {
		{ "libi.so.1", "/v2", 0x0303, ext_bit | 2ull << 32 | 0 },
		{ "libi.so.1", "/v3", 0x0303, ext_bit | 3ull << 32 | 1 },
		{ "libi.so.1", "/v4", 0x0303, ext_bit | 4ull << 32 | 2 },
		{ "libi.so.1", "/base", 0x0303, 0 },
	};
	struct ldcache c = synth_parse(e, 4, names, 3, false);
	struct ldcache_query q = { 0x0303, 0x0303, all, 4, false };
	expect_lookup(&c, "libi.so.1", &q, (struct want){ "/v3", "x86-64-v3" });
	q.isa_level = 3;
	expect_lookup(&c, "libi.so.1", &q, (struct want){ "/v2", "x86-64-v2" });
	q.isa_level = 2;
	expect_lookup(&c, "libi.so.1", &q, (struct want){ "/base", NULL });
	q.isa_level = 0; /* not x86: the bits mean nothing */
	expect_lookup(&c, "libi.so.1", &q, (struct want){ "/v4", "x86-64-v4" });
	ldcache_free(&c);
}

/* An independent port of glibc's _dl_cache_libcmp (int arithmetic; the
 * test names keep digit runs short). */
static int ref_libcmp(const char *p1, const char *p2)
{
	while (*p1 != '\0') {
		if (*p1 >= '0' && *p1 <= '9') {
			if (*p2 >= '0' && *p2 <= '9') {
				int v1 = *p1++ - '0', v2 = *p2++ - '0';
				while (*p1 >= '0' && *p1 <= '9')
					v1 = v1 * 10 + *p1++ - '0';
				while (*p2 >= '0' && *p2 <= '9')
					v2 = v2 * 10 + *p2++ - '0';
				if (v1 != v2)
					return v1 - v2;
			} else {
				return 1;
			}
		} else if (*p2 >= '0' && *p2 <= '9') {
			return -1;
		} else if (*p1 != *p2) {
			return *p1 - *p2;
		} else {
			++p1;
			++p2;
		}
	}
	return *p1 - *p2;
}

static int by_libcmp_desc(const void *a, const void *b)
{
	const struct syn_entry *x = a, *y = b;
	int r = ref_libcmp(y->name, x->name);
	if (r == 0)
		r = (y->flags > x->flags) - (y->flags < x->flags);
	return r != 0 ? r : strcmp(x->path, y->path);
}

static void test_synth_sorted_names(void **state)
{
	(void)state;
	/* Names whose order depends on numeric digit runs, plus duplicate
	 * keys with many flags so that the binary search lands inside runs. */
	static char names[300][32];
	struct syn_entry e[300];
	size_t n = 0;
	const char *stems[] = { "libq.so.", "libq-", "libQ.so.", "lib", "libq.so.1.", "a" };
	for (size_t s = 0; s < sizeof stems / sizeof *stems; s++)
		for (unsigned v = 0; v < 25; v++, n++) {
			snprintf(names[n], sizeof names[n], "%s%u", stems[s], (v * 7) % 23);
			e[n] = (struct syn_entry){ names[n], names[n], 0x0303, 0 };
		}
	for (unsigned k = 0; k < 40; k++, n++) {
		snprintf(names[n], sizeof names[n], "/dup/%u", k);
		e[n] = (struct syn_entry){ "libdup.so.2", names[n], (int32_t)(0x0103 + 0x100 * (k % 20)), 0 };
	}
	qsort(e, n, sizeof *e, by_libcmp_desc);
	size_t size;
	unsigned char *b = synth(e, n, NULL, 0, false, &size);
	struct ldcache c = parse_ok(b, size);
	for (size_t i = 0; i < n; i++) {
		/* The first entry of an equal key with matching flags wins. */
		size_t first = i;
		while (first > 0 && ref_libcmp(e[first - 1].name, e[i].name) == 0)
			first--;
		while (e[first].flags != e[i].flags)
			first++;
		struct ldcache_query q = { e[i].flags, e[i].flags, NULL, 0, false };
		expect_lookup(&c, e[i].name, &q, (struct want){ e[first].path, NULL });
	}
	/* libcmp equates leading zeros, so glibc finds "libq.so.1" for "libq.so.01". */
	const struct ldcache_query q = { 0x0303, 0x0303, NULL, 0, false };
	expect_lookup(&c, "libq.so.01", &q, (struct want){ "libq.so.1", NULL });
	expect_lookup(&c, "libq.so.000000000000000000000000000007", &q, (struct want){ "libq.so.7", NULL });
	expect_lookup(&c, "libq.so.99999999999999999999999999999", &q, (struct want){ NULL, NULL });
	expect_lookup(&c, "libq.so.23", &q, (struct want){ NULL, NULL });
	expect_lookup(&c, "libq.so.", &q, (struct want){ NULL, NULL });
	expect_lookup(&c, "libdup.so.2", &(struct ldcache_query){ 0x0303, 0x0303, NULL, 0, false },
		      (struct want){ "/dup/2", NULL });
	ldcache_free(&c);
	free(b);

	hostile_variants(b = synth(e, n, NULL, 0, false, &size), size, 1);
	free(b);
	hostile_variants(b = synth(e, 40, NULL, 0, true, &size), size, 1);
	free(b);
}

static void test_synth_tiny_and_bad_magic(void **state)
{
	(void)state;
	struct ldcache c;
	struct cr_err err = { "" };
	assert_int_equal(ldcache_parse(NULL, 0, &c, &err), -1);
	assert_int_equal(ldcache_parse("", 0, &c, &err), -1);
	assert_int_equal(ldcache_parse("x", 1, &c, &err), -1);
	assert_int_equal(ldcache_parse("ld.so-1.7.", 10, &c, &err), -1);
	assert_int_equal(ldcache_parse("ld.so-1.7.0", 11, &c, &err), -1);
	assert_int_equal(ldcache_parse("glibc-ld.so.cache1.1", 20, &c, &err), -1);
	assert_int_equal(ldcache_parse("glibc-ld.so.cache1.0xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", 48, &c, &err), -1);
	/* Empty but well-formed: no entries, no error. */
	size_t size;
	unsigned char *b = synth(NULL, 0, NULL, 0, false, &size);
	c = parse_ok(b, size);
	assert_int_equal(c.nentries, 0);
	const struct ldcache_query q = { 0x0303, 0x0303, NULL, 0, false };
	assert_null(ldcache_lookup(&c, "libc.so.6", &q, NULL));
	ldcache_free(&c);
	free(b);
	b = synth(NULL, 0, NULL, 0, true, &size);
	c = parse_ok(b, size);
	assert_int_equal(c.nentries, 0);
	ldcache_free(&c);
	free(b);
	ldcache_free(NULL);
}

static void test_flags_for(void **state)
{
	(void)state;
	struct {
		uint16_t machine;
		unsigned bits;
		bool be;
		uint32_t e_flags;
		bool ok;
		int32_t a, b;
	} cases[] = {
		{ 62, 64, false, 0, true, 0x0303, 0x0303 },          /* x86_64 */
		{ 62, 32, false, 0, true, 0x0803, 0x0803 },          /* x32 */
		{ 3, 32, false, 0, true, 1, 3 },                     /* i386 */
		{ 183, 64, false, 0, true, 0x0a03, 0x0a03 },         /* aarch64 */
		{ 183, 64, true, 0, true, 0x0a03, 0x0a03 },          /* aarch64_be */
		{ 21, 64, false, 2, true, 0x0503, 0x0503 },          /* ppc64le */
		{ 21, 64, true, 1, true, 0x0503, 0x0503 },           /* ppc64 */
		{ 20, 32, true, 0, true, 1, 3 },                     /* ppc */
		{ 22, 64, true, 0, true, 0x0403, 0x0403 },           /* s390x */
		{ 22, 32, true, 0, true, 1, 3 },                     /* s390 */
		{ 43, 64, true, 0, true, 0x0103, 0x0103 },           /* sparc64 */
		{ 243, 64, false, 0x5, true, 0x1003, 0x1003 },       /* riscv64 lp64d, RVC */
		{ 243, 64, false, 0x1, true, 0x0f03, 0x0f03 },       /* riscv64 lp64 */
		{ 243, 64, false, 0x2, false, 0, 0 },                /* lp64f: no glibc loader */
		{ 243, 32, false, 0x4, true, 0x1003, 0x1003 },       /* riscv32 ilp32d */
		{ 40, 32, false, 0x05000400, true, 0x0903, 3 },      /* armhf */
		{ 40, 32, false, 0x05000200, true, 0x0b03, 3 },      /* armel */
		{ 8, 64, false, 0, true, 0x0703, 0x0703 },           /* mips64 n64 */
		{ 8, 64, false, 0x400, true, 0x0e03, 0x0e03 },       /* n64 nan2008 */
		{ 8, 32, false, 0x20, true, 0x0603, 0x0603 },        /* n32 */
		{ 8, 32, false, 0x420, true, 0x0d03, 0x0d03 },       /* n32 nan2008 */
		{ 8, 32, true, 0, true, 1, 3 },                      /* o32 */
		{ 8, 32, false, 0x400, true, 0x0c03, 0x0c03 },       /* o32 nan2008 */
		{ 258, 64, false, 0x43, true, 0x1203, 0x1203 },      /* loongarch64 lp64d, objabi v1 */
		{ 258, 64, false, 0x1, true, 0x1103, 0x1103 },       /* lp64s */
		{ 0x9026, 64, false, 0, true, 1, 3 },                /* alpha */
		{ 4, 32, true, 0, true, 1, 3 },                      /* m68k */
		{ 0, 64, false, 0, false, 0, 0 },
		{ 183, 32, false, 0, false, 0, 0 },
		{ 0xbeef, 64, false, 0, false, 0, 0 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		int32_t a = -7, b = -7;
		bool ok = ldcache_flags_for(cases[i].machine, cases[i].bits, cases[i].be, cases[i].e_flags, &a, &b);
		assert_int_equal(ok, cases[i].ok);
		if (ok) {
			assert_int_equal(a, cases[i].a);
			assert_int_equal(b, cases[i].b);
		}
	}
}

int main(void)
{
	const struct CMUnitTest host[] = {
		LONG(test_host_cache_matches_ldconfig_p),
		LONG(test_host_libc_matches_loader),
		LONG(test_host_cache_hostile),
	};
	const struct CMUnitTest generated[] = {
		LONG(test_generated_match_ldconfig_p),
		LONG(test_generated_lookups),
		LONG(test_generated_match_loader),
		LONG(test_generated_byte_swapped),
		LONG(test_generated_pre233_layout),
	};
	const struct CMUnitTest synthesized[] = {
		ONE(test_synth_generic_flags),
		ONE(test_synth_hwcaps_priority),
		ONE(test_synth_isa_levels),
		LONG(test_synth_sorted_names),
		ONE(test_synth_tiny_and_bad_magic),
		ONE(test_flags_for),
	};
	int failed = cmocka_run_group_tests_name("ldcache host", host, NULL, NULL);
	failed += cmocka_run_group_tests_name("ldcache generated", generated, gen_root_setup, gen_root_teardown);
	failed += cmocka_run_group_tests_name("ldcache synthesized", synthesized, NULL, NULL);
	return failed ? 1 : 0;
}
