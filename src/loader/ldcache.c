/* ld.so.cache as glibc writes it (elf/cache.c save_cache) and reads it
 * (elf/dl-cache.c, sysdeps/generic/dl-cache.h):
 *
 *   old    "ld.so-1.7.0", pad, u32 nlibs, nlibs x {i32 flags; u32 key, value},
 *          strings; offsets count from the end of the entry array.
 *   new    "glibc-ld.so.cache1.1", u32 nlibs, u32 len_strings, u8 flags,
 *          3 pad, u32 extension_offset, 12 unused, nlibs x {i32 flags; u32 key,
 *          value, osversion; u64 hwcap}, strings; offsets count from the
 *          new header.
 *   compat an old cache whose string area starts with a new cache at the
 *          next 8-byte boundary (4 on some 32-bit ABIs); the loader uses
 *          only the new part.
 *
 * The extension directory (2.33+) sits at a file offset: u32 magic, u32
 * count, count x {u32 tag, flags, offset, size}. Tag 0 is the generator
 * string (not NUL-terminated), tag 1 an array of u32 string offsets of the
 * glibc-hwcaps subdirectory names, which an entry with hwcap bit 62 indexes
 * with its low 32 bits.
 *
 * Unlike the loader, which trusts the mapping once the entry table fits,
 * this reader checks every string and section before anything points at
 * it, so a lookup never reads outside the copy; a cache with any defect is
 * an error as a whole, where the loader would skip it or use what it can. */
#include "loader/ldcache.h"

#include <stdlib.h>
#include <string.h>

#include "elf/bytes.h"
#include "util/xalloc.h"

#define OLD_MAGIC "ld.so-1.7.0"
#define NEW_MAGIC "glibc-ld.so.cache1.1"

enum {
	old_magic_len = sizeof OLD_MAGIC - 1,
	new_magic_len = sizeof NEW_MAGIC - 1,
	old_header_size = 16, /* char[11], pad to 4, u32 nlibs */
	old_entry_size = 12,
	new_header_size = 48,
	new_entry_size = 24,
	ext_header_size = 8,
	ext_section_size = 16,
	flag_elf_libc6 = 3,
	endian_unset = 0,
	endian_invalid = 1,
	endian_little = 2,
	endian_big = 3,
	tag_generator = 0,
	tag_glibc_hwcaps = 1,
};

static const uint32_t ext_magic = 0xeaa42174u; /* (uint32_t)-358342284 */

/* hwcap bit 62 marks a glibc-hwcaps entry; bits 32-41 carry an x86 ISA
 * level and are ignored when telling extension entries apart
 * (dl_cache_hwcap_extension). */
static const uint64_t hwcap_extension = 1ull << 62;
static const uint64_t isa_level_mask = 0x3ff;

static bool hwcap_is_extension(uint64_t hwcap)
{
	return ((hwcap >> 32) & ~isa_level_mask) == (hwcap_extension >> 32);
}

/* Which layout a file has, where its new part starts, and its byte order. */
struct layout {
	bool has_new;
	uint64_t new_off;   /* offset of the new header */
	uint32_t old_nlibs; /* old-only */
	bool big_endian;
};

static bool fits(uint64_t avail, uint64_t count, uint64_t entry_size, uint64_t header)
{
	return avail >= header && count <= (avail - header) / entry_size;
}

static uint32_t swap32(uint32_t x)
{
	return __builtin_bswap32(x);
}

/* What the new header's flags byte says about the byte order (2.33+):
 * 2 little-endian, 3 big-endian, 0 not recorded (*known = false). 1 marks
 * the file invalid, and other bits with the order bits clear match no
 * loader (cache_file_new_matches_endian): both are errors. */
static int flags_byte_order(const struct byte_view *v, uint64_t off, bool *known, bool *big_endian,
			    struct cr_err *err)
{
	uint8_t flags;
	if (!bv_u8(v, off + 28, &flags))
		return cr_fail(err, "ld.so.cache header is truncated");
	*known = true;
	switch (flags & 3) {
	case endian_little:
		*big_endian = false;
		return 0;
	case endian_big:
		*big_endian = true;
		return 0;
	case endian_invalid:
		return cr_fail(err, "ld.so.cache is marked invalid (header flags %#x)", flags);
	default:
		if (flags != 0)
			return cr_fail(err, "ld.so.cache header flags %#x give no byte order", flags);
		*known = false;
		return 0;
	}
}

/* The byte order of a new-only cache. The flags byte says it from 2.33
 * on. Older caches leave it 0, and canrun reads caches of any
 * architecture, so the order is the one under which nlibs and len_strings
 * describe the file: an exact fit first (ldconfig before 2.33 wrote
 * nothing after the strings), else a reading that fits at all,
 * little-endian first. */
static int new_byte_order(const struct byte_view *v, bool *big_endian, struct cr_err *err)
{
	bool known;
	if (flags_byte_order(v, 0, &known, big_endian, err) < 0)
		return -1;
	if (known)
		return 0;
	struct byte_view le = *v;
	le.big_endian = false;
	uint32_t nlibs, len_strings;
	if (!bv_u32(&le, 20, &nlibs) || !bv_u32(&le, 24, &len_strings))
		return cr_fail(err, "ld.so.cache header is truncated");
	uint64_t n[2] = { nlibs, swap32(nlibs) };
	uint64_t s[2] = { len_strings, swap32(len_strings) };
	for (int pass = 0; pass < 2; pass++) {
		for (int be = 0; be < 2; be++) {
			if (!fits(v->size, n[be], new_entry_size, new_header_size))
				continue;
			uint64_t used = new_header_size + n[be] * new_entry_size + s[be];
			if (pass == 0 ? used == v->size : used <= v->size) {
				*big_endian = be == 1;
				return 0;
			}
		}
	}
	return cr_fail(err, "ld.so.cache: nlibs %u does not fit in the file in either byte order", nlibs);
}

/* Old-only and compat files. The old part has no byte-order mark, so the
 * order is the one under which the old nlibs fits. glibc finds the
 * embedded new header after the old entries, rounded up to the alignment
 * of struct cache_file_new: 8 where u64 is 8-aligned, 4 on i386 and the
 * like (ldconfig pads the old table to an even count so both agree, but
 * an odd one may be met). */
static int old_layout(const struct byte_view *v, struct layout *lay, struct cr_err *err)
{
	struct byte_view le = *v;
	le.big_endian = false;
	uint32_t raw;
	if (!bv_u32(&le, 12, &raw))
		return cr_fail(err, "ld.so.cache old header is truncated");
	uint32_t n[2] = { raw, swap32(raw) };
	bool ok[2];
	for (int be = 0; be < 2; be++) {
		ok[be] = fits(v->size, n[be], old_entry_size, old_header_size);
		if (!ok[be])
			continue;
		uint64_t end = old_header_size + (uint64_t)n[be] * old_entry_size;
		for (uint64_t align = 8; align >= 4; align /= 2) {
			uint64_t off = (end + align - 1) & ~(align - 1);
			const unsigned char *p = bv_ptr(v, off, new_header_size);
			if (!p || memcmp(p, NEW_MAGIC, new_magic_len) != 0)
				continue;
			bool known, new_be;
			if (flags_byte_order(v, off, &known, &new_be, err) < 0)
				return -1;
			if (known && new_be != (be == 1))
				return cr_fail(err, "ld.so.cache: old and new headers disagree on the byte order");
			lay->has_new = true;
			lay->new_off = off;
			lay->big_endian = be == 1;
			return 0;
		}
	}
	/* Old-only: the reading that fits; if both do, the smaller count
	 * (the byte-swapped reading of a real count is almost always huge). */
	if (!ok[0] && !ok[1])
		return cr_fail(err, "ld.so.cache: old nlibs %u does not fit in the file", raw);
	int be = ok[0] && (!ok[1] || n[0] <= n[1]) ? 0 : 1;
	lay->has_new = false;
	lay->old_nlibs = n[be];
	lay->big_endian = be == 1;
	return 0;
}

struct ext_info {
	bool has_gen;
	uint64_t gen_off, gen_size;
	bool has_hwcaps;
	uint64_t hwcaps_off;
	uint32_t hwcaps_count;
};

/* The extension directory, checked as cache_extension_load does, but a
 * defect is an error here rather than a silently dropped section. */
static int read_extensions(const struct byte_view *v, uint32_t ext_off, struct ext_info *ext, struct cr_err *err)
{
	memset(ext, 0, sizeof *ext);
	if (ext_off == 0)
		return 0;
	if (ext_off % 4 != 0)
		return cr_fail(err, "ld.so.cache extension offset %#x is not a multiple of 4", ext_off);
	uint32_t magic, count;
	if (!bv_u32(v, ext_off, &magic) || !bv_u32(v, (uint64_t)ext_off + 4, &count))
		return cr_fail(err, "ld.so.cache extension offset %#x is past the end", ext_off);
	if (magic != ext_magic)
		return cr_fail(err, "ld.so.cache extension at %#x has a bad magic %#x", ext_off, magic);
	if (!fits(v->size - ext_off, count, ext_section_size, ext_header_size))
		return cr_fail(err, "ld.so.cache extension count %u runs past the end", count);
	for (uint32_t i = 0; i < count; i++) {
		uint64_t at = (uint64_t)ext_off + ext_header_size + (uint64_t)i * ext_section_size;
		uint32_t tag, off, size;
		/* The directory was checked to fit, so these reads succeed. */
		if (!bv_u32(v, at, &tag) || !bv_u32(v, at + 8, &off) || !bv_u32(v, at + 12, &size))
			return cr_fail(err, "ld.so.cache extension directory is truncated");
		if (!bv_has(v, off, size))
			return cr_fail(err, "ld.so.cache extension section %u (tag %u) runs past the end", i, tag);
		/* A repeated tag replaces the earlier one, as in the loader. */
		if (tag == tag_generator) {
			ext->has_gen = true;
			ext->gen_off = off;
			ext->gen_size = size;
		} else if (tag == tag_glibc_hwcaps) {
			if (off % 4 != 0 || size % 4 != 0)
				return cr_fail(err, "ld.so.cache glibc-hwcaps section at %#x is misaligned", off);
			ext->has_hwcaps = size != 0;
			ext->hwcaps_off = off;
			ext->hwcaps_count = size / 4;
		}
		/* Other tags are future extensions, skipped like the loader does. */
	}
	return 0;
}

/* A NUL-terminated string at an offset from base, or an error. */
static const char *string_at(const struct byte_view *v, uint64_t base, uint32_t off)
{
	return bv_cstr(v, base + off, v->size);
}

static int parse_new(const struct byte_view *v, uint64_t h, struct ldcache *cache, bool *has_gen,
		     uint64_t *gen_off, uint64_t *gen_len, struct cr_err *err)
{
	uint32_t nlibs, len_strings, ext_off;
	if (!bv_u32(v, h + 20, &nlibs) || !bv_u32(v, h + 24, &len_strings) || !bv_u32(v, h + 32, &ext_off))
		return cr_fail(err, "ld.so.cache header is truncated");
	if (!fits(v->size - h, nlibs, new_entry_size, new_header_size))
		return cr_fail(err, "ld.so.cache: nlibs %u does not fit in %llu bytes", nlibs,
			       (unsigned long long)v->size);
	uint64_t strings = h + new_header_size + (uint64_t)nlibs * new_entry_size;
	if (len_strings > v->size - strings)
		return cr_fail(err, "ld.so.cache string table (%u bytes) runs past the end", len_strings);

	struct ext_info ext;
	if (read_extensions(v, ext_off, &ext, err) < 0)
		return -1;

	cache->entries = xcalloc(nlibs ? nlibs : 1, sizeof *cache->entries);
	for (uint32_t i = 0; i < nlibs; i++) {
		uint64_t at = h + new_header_size + (uint64_t)i * new_entry_size;
		uint32_t flags, key, value;
		uint64_t hwcap;
		if (!bv_u32(v, at, &flags) || !bv_u32(v, at + 4, &key) || !bv_u32(v, at + 8, &value) ||
		    !bv_u64(v, at + 16, &hwcap))
			return cr_fail(err, "ld.so.cache entry %u is truncated", i);
		struct ldcache_entry *e = &cache->entries[i];
		e->name = string_at(v, h, key);
		e->path = string_at(v, h, value);
		if (!e->name || !e->path)
			return cr_fail(err, "ld.so.cache entry %u: string offset %#x is past the end or unterminated",
				       i, e->name ? value : key);
		e->flags = (int32_t)flags;
		e->hwcap = hwcap;
		if (!hwcap_is_extension(hwcap))
			continue;
		uint32_t index = (uint32_t)hwcap;
		if (!ext.has_hwcaps || index >= ext.hwcaps_count)
			return cr_fail(err, "ld.so.cache entry %u: glibc-hwcaps index %u has no subdirectory", i, index);
		uint32_t name_off;
		if (!bv_u32(v, ext.hwcaps_off + 4 * (uint64_t)index, &name_off))
			return cr_fail(err, "ld.so.cache glibc-hwcaps section is truncated");
		/* The loader resolves these names from the start of the file,
		 * while ldconfig writes them relative to the new header. They
		 * agree in a new-only cache; in a compat cache the loader reads
		 * other bytes and, in practice, never picks a hwcaps entry.
		 * canrun reads them as the loader does, so lookups agree. */
		e->hwcaps_subdir = string_at(v, 0, name_off);
		if (!e->hwcaps_subdir)
			return cr_fail(err, "ld.so.cache glibc-hwcaps name offset %#x is past the end or unterminated",
				       name_off);
	}
	cache->nentries = nlibs;
	cache->new_format = true;
	*has_gen = ext.has_gen;
	*gen_off = ext.gen_off;
	*gen_len = ext.gen_size;
	return 0;
}

static int parse_old(const struct byte_view *v, uint32_t nlibs, struct ldcache *cache, struct cr_err *err)
{
	uint64_t strings = old_header_size + (uint64_t)nlibs * old_entry_size;
	cache->entries = xcalloc(nlibs ? nlibs : 1, sizeof *cache->entries);
	for (uint32_t i = 0; i < nlibs; i++) {
		uint64_t at = old_header_size + (uint64_t)i * old_entry_size;
		uint32_t flags, key, value;
		if (!bv_u32(v, at, &flags) || !bv_u32(v, at + 4, &key) || !bv_u32(v, at + 8, &value))
			return cr_fail(err, "ld.so.cache entry %u is truncated", i);
		struct ldcache_entry *e = &cache->entries[i];
		e->name = string_at(v, strings, key);
		e->path = string_at(v, strings, value);
		if (!e->name || !e->path)
			return cr_fail(err, "ld.so.cache entry %u: string offset %#x is past the end or unterminated",
				       i, e->name ? value : key);
		e->flags = (int32_t)flags;
	}
	cache->nentries = nlibs;
	cache->new_format = false;
	return 0;
}

/* Moves the generator (not NUL-terminated in the file) to a terminated
 * copy after the file's bytes, in the one buffer the cache owns. */
static void attach_generator(struct ldcache *cache, size_t size, uint64_t gen_off, uint64_t gen_len)
{
	char *old = cache->strings_;
	char *buf = xmalloc(size + (size_t)gen_len + 1);
	memcpy(buf, old, size);
	memcpy(buf + size, old + gen_off, (size_t)gen_len);
	buf[size + gen_len] = '\0';
	for (size_t i = 0; i < cache->nentries; i++) {
		struct ldcache_entry *e = &cache->entries[i];
		e->name = buf + (e->name - old);
		e->path = buf + (e->path - old);
		if (e->hwcaps_subdir)
			e->hwcaps_subdir = buf + (e->hwcaps_subdir - old);
	}
	free(old);
	cache->strings_ = buf;
	cache->generator = buf + size;
}

int ldcache_parse(const void *data, size_t size, struct ldcache *cache, struct cr_err *err)
{
	memset(cache, 0, sizeof *cache);
	if (!data || size == 0)
		return cr_fail(err, "ld.so.cache is empty");

	/* Entries point into one owned copy of the file. */
	cache->strings_ = xmalloc(size + 1);
	memcpy(cache->strings_, data, size);
	cache->strings_[size] = '\0';
	struct byte_view v = { (const unsigned char *)cache->strings_, size, false };

	struct layout lay = { 0 };
	const unsigned char *new_magic = bv_ptr(&v, 0, new_magic_len);
	const unsigned char *old_magic = bv_ptr(&v, 0, old_magic_len);
	if (new_magic && memcmp(new_magic, NEW_MAGIC, new_magic_len) == 0) {
		lay.has_new = true;
		if (new_byte_order(&v, &lay.big_endian, err) < 0)
			goto fail;
	} else if (old_magic && memcmp(old_magic, OLD_MAGIC, old_magic_len) == 0) {
		if (old_layout(&v, &lay, err) < 0)
			goto fail;
	} else {
		cr_fail(err, "not an ld.so.cache (bad magic)");
		goto fail;
	}
	v.big_endian = lay.big_endian;

	uint64_t gen_off = 0, gen_len = 0;
	bool has_gen = false;
	int rc = lay.has_new ? parse_new(&v, lay.new_off, cache, &has_gen, &gen_off, &gen_len, err)
			     : parse_old(&v, lay.old_nlibs, cache, err);
	if (rc < 0)
		goto fail;
	if (has_gen)
		attach_generator(cache, size, gen_off, gen_len);
	return 0;

fail:
	ldcache_free(cache);
	return -1;
}

void ldcache_free(struct ldcache *cache)
{
	if (!cache)
		return;
	free(cache->entries);
	free(cache->strings_);
	memset(cache, 0, sizeof *cache);
}

static bool is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/* glibc's _dl_cache_libcmp: strcmp, except that runs of digits compare as
 * numbers, so libfoo.so.10 sorts after libfoo.so.9 and a digit sorts
 * after any non-digit. glibc accumulates each run in an int; here runs
 * are compared by length without leading zeros, then digit by digit,
 * which is the same order without overflow on absurd runs. Bytes compare
 * unsigned (glibc uses char, signed on x86: only names with bytes >= 0x80,
 * which ldconfig never meets in practice, could sort differently). */
static int libcmp(const char *a, const char *b)
{
	const unsigned char *p1 = (const unsigned char *)a, *p2 = (const unsigned char *)b;
	while (*p1 != '\0') {
		if (is_digit(*p1)) {
			if (!is_digit(*p2))
				return 1;
			while (*p1 == '0')
				p1++;
			while (*p2 == '0')
				p2++;
			const unsigned char *s1 = p1, *s2 = p2;
			while (is_digit(*p1))
				p1++;
			while (is_digit(*p2))
				p2++;
			size_t n1 = (size_t)(p1 - s1), n2 = (size_t)(p2 - s2);
			if (n1 != n2)
				return n1 < n2 ? -1 : 1;
			int c = memcmp(s1, s2, n1);
			if (c != 0)
				return c;
		} else if (is_digit(*p2)) {
			return -1;
		} else if (*p1 != *p2) {
			return *p1 < *p2 ? -1 : 1;
		} else {
			p1++;
			p2++;
		}
	}
	return *p2 == '\0' ? 0 : -1;
}

/* Preference of a hwcaps subdirectory: 1 for the best, 0 for unusable.
 * glibc merges the cache's sorted name array with its own sorted list;
 * ldconfig writes the array sorted and without duplicates, so matching
 * by name gives the same priorities. */
static size_t hwcaps_priority(const char *subdir, const char *const *hwcaps)
{
	if (!subdir || !hwcaps)
		return 0;
	for (size_t i = 0; hwcaps[i]; i++)
		if (strcmp(hwcaps[i], subdir) == 0)
			return i + 1;
	return 0;
}

/* _DL_CACHE_DEFAULT_ID: a plain entry with these flags ends the scan. It
 * is FLAG_ELF_LIBC6 where the loader accepts two values (the generic 1 or
 * 3, and arm's ABI-marked or unmarked 3), else the single accepted one. */
static int32_t default_id(const struct ldcache_query *q)
{
	if (q->flags_a != q->flags_b && (q->flags_a == flag_elf_libc6 || q->flags_b == flag_elf_libc6))
		return flag_elf_libc6;
	return q->flags_a;
}

/* search_cache() of elf/dl-cache.c, step for step: binary search on the
 * descending libcmp order, back to the first equal key, then a forward
 * scan in which hwcaps entries (sorted first) compete by priority and the
 * first usable plain entry ends the search. Following the same probes
 * keeps the answer identical even for a cache that is not sorted. */
const char *ldcache_lookup(const struct ldcache *cache, const char *name, const struct ldcache_query *q,
			   const char **subdir)
{
	if (subdir)
		*subdir = NULL;
	if (!cache || !name || !q || cache->nentries == 0)
		return NULL;
	const struct ldcache_entry *libs = cache->entries;
	int32_t def = default_id(q);
	int64_t left = 0, right = (int64_t)cache->nentries - 1;
	const struct ldcache_entry *best = NULL;
	bool best_named = false;
	size_t best_priority = 0;

	while (left <= right) {
		int64_t middle = left + (right - left) / 2;
		int cmp = libcmp(name, libs[middle].name);
		if (cmp != 0) {
			/* Descending order: a greater name lies to the left. */
			if (cmp < 0)
				left = middle + 1;
			else
				right = middle - 1;
			continue;
		}
		left = middle; /* the last entry known to match */
		while (middle > 0 && libcmp(name, libs[middle - 1].name) == 0)
			middle--;
		for (; middle <= right; middle++) {
			const struct ldcache_entry *e = &libs[middle];
			if (middle > left && libcmp(name, e->name) != 0)
				break;
			if (e->flags != q->flags_a && e->flags != q->flags_b)
				continue;
			bool named = false;
			size_t priority = 0;
			if (cache->new_format) {
				named = hwcap_is_extension(e->hwcap);
				/* x86: the entry's ISA level L needs CPU level L + 1
				 * (the cache stores the bit index of ISA_1_NEEDED:
				 * 0 baseline, 1 v2, 2 v3, 3 v4). */
				if (named && q->isa_level != 0 && ((e->hwcap >> 32) & isa_level_mask) >= q->isa_level)
					continue;
				if (!named && best)
					break;
				/* A legacy hwcap entry (tls/, x86_64/, haswell/...):
				 * glibc before 2.37 took it when the CPU's AT_HWCAP and
				 * AT_PLATFORM had its bits. Those are not known here,
				 * so legacy_hwcaps takes every such entry. */
				if (!named && e->hwcap != 0 && !q->legacy_hwcaps)
					continue;
				if (named) {
					priority = hwcaps_priority(e->hwcaps_subdir, q->hwcaps);
					if (priority == 0 || (best && priority >= best_priority))
						continue;
					best_priority = priority;
				}
			}
			best = e;
			best_named = named;
			if (!named && e->flags == def)
				break;
		}
		break;
	}
	if (!best)
		return NULL;
	if (subdir && best_named)
		*subdir = best->hwcaps_subdir;
	return best->path;
}

/* ELF constants used below, spelled out so that this file does not depend
 * on the host's <elf.h> knowing every machine. */
enum {
	m_sparc = 2,
	m_386 = 3,
	m_68k = 4,
	m_mips = 8,
	m_parisc = 15,
	m_ppc = 20,
	m_ppc64 = 21,
	m_s390 = 22,
	m_arm = 40,
	m_sh = 42,
	m_sparcv9 = 43,
	m_ia64 = 50,
	m_x86_64 = 62,
	m_openrisc = 92,
	m_nios2 = 113,
	m_aarch64 = 183,
	m_microblaze = 189,
	m_arcv2 = 195,
	m_csky = 252,
	m_riscv = 243,
	m_loongarch = 258,
	m_alpha = 0x9026,
};

enum {
	ef_mips_abi2 = 0x20,
	ef_mips_nan2008 = 0x400,
	ef_arm_eabimask = 0xff000000,
	ef_arm_eabi_ver5 = 0x05000000,
	ef_arm_abi_float_hard = 0x400,
	ef_riscv_float_abi = 0x6,
	ef_riscv_float_abi_soft = 0x0,
	ef_riscv_float_abi_double = 0x4,
	ef_larch_abi_mask = 0x3,
	ef_larch_abi_soft = 0x1,
	ef_larch_abi_double = 0x3,
};

static bool one(int32_t v, int32_t *a, int32_t *b)
{
	*a = *b = v;
	return true;
}

static bool two(int32_t v1, int32_t v2, int32_t *a, int32_t *b)
{
	*a = v1;
	*b = v2;
	return true;
}

/* _dl_cache_check_flags of each glibc port (sysdeps/.../dl-cache.h); the
 * ABI byte is FLAG_*_LIB* of sysdeps/generic/ldconfig.h. Ports without
 * their own dl-cache.h take the generic rule, 1 (FLAG_ELF) or 3. No port's
 * value depends on the byte order: big- and little-endian loaders of one
 * machine accept the same flags (each reads only its own byte order). */
bool ldcache_flags_for(uint16_t machine, unsigned bits, bool big_endian, uint32_t e_flags, int32_t *flags_a,
		       int32_t *flags_b)
{
	(void)big_endian;
	switch (machine) {
	case m_x86_64:
		return bits == 64 ? one(0x0303, flags_a, flags_b) : one(0x0803, flags_a, flags_b); /* x32 */
	case m_aarch64:
		return bits == 64 && one(0x0a03, flags_a, flags_b);
	case m_ppc64:
		return bits == 64 && one(0x0503, flags_a, flags_b);
	case m_s390:
		return bits == 64 ? one(0x0403, flags_a, flags_b) : two(1, 3, flags_a, flags_b);
	case m_sparcv9:
		return bits == 64 ? one(0x0103, flags_a, flags_b) : two(1, 3, flags_a, flags_b);
	case m_ia64: /* removed in glibc 2.38 */
		return bits == 64 && one(0x0203, flags_a, flags_b);
	case m_arm:
		/* The hard-float loader accepts hard-float and unmarked
		 * libraries, the soft-float one soft-float and unmarked. */
		if (bits != 32)
			return false;
		if ((e_flags & ef_arm_eabimask) == ef_arm_eabi_ver5 && (e_flags & ef_arm_abi_float_hard))
			return two(0x0903, 3, flags_a, flags_b);
		return two(0x0b03, 3, flags_a, flags_b);
	case m_mips: {
		bool nan2008 = e_flags & ef_mips_nan2008;
		if (bits == 64)
			return one(nan2008 ? 0x0e03 : 0x0703, flags_a, flags_b);
		if (e_flags & ef_mips_abi2)
			return one(nan2008 ? 0x0d03 : 0x0603, flags_a, flags_b); /* n32 */
		return nan2008 ? one(0x0c03, flags_a, flags_b) : two(1, 3, flags_a, flags_b);
	}
	case m_riscv:
		switch (e_flags & ef_riscv_float_abi) {
		case ef_riscv_float_abi_soft:
			return one(0x0f03, flags_a, flags_b);
		case ef_riscv_float_abi_double:
			return one(0x1003, flags_a, flags_b);
		default: /* single and quad float have no glibc loader */
			return false;
		}
	case m_loongarch:
		switch (e_flags & ef_larch_abi_mask) {
		case ef_larch_abi_soft:
			return one(0x1103, flags_a, flags_b);
		case ef_larch_abi_double:
			return one(0x1203, flags_a, flags_b);
		default:
			return false;
		}
	case m_386:
	case m_sparc:
	case m_68k:
	case m_parisc:
	case m_ppc:
	case m_sh:
	case m_openrisc:
	case m_nios2:
	case m_microblaze:
	case m_arcv2:
	case m_csky:
	case m_alpha:
		return two(1, 3, flags_a, flags_b);
	default:
		return false;
	}
}
