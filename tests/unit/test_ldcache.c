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
 *  (synthesized caches for glibc's search_cache corner cases: test_ldcache_synth.c)
 * Tests that need ldconfig, a compiler or an x86-64 host skip without. */
#include "ldcache_testlib.h"

#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#define HOST_CACHE "/etc/ld.so.cache"
#define HOST_LDSO "/lib64/ld-linux-x86-64.so.2"

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

/* ---- byte swapping a cache written in this host's order ---- */

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
	int failed = cmocka_run_group_tests_name("ldcache host", host, NULL, NULL);
	failed += cmocka_run_group_tests_name("ldcache generated", generated, gen_root_setup, gen_root_teardown);
	return failed ? 1 : 0;
}
