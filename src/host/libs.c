/* What of a root the loader uses: program loaders, ld.so.cache and
 * ld.so.conf, glibc-hwcaps, and OpenSSL found as the loader finds it. */
#include "host/host.h"

#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "elf/elf.h"
#include "loader/ldcache.h"
#include "loader/ldso.h"
#include "model/needs.h"
#include "target/provides_load.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/* The loaders of every architecture glibc and musl support, by the names
 * programs carry in PT_INTERP (glibc's sysdeps/.../ldsodefs.h and
 * shlib-versions; musl's ld-musl-ARCH.so.1). */
static const char *const loader_names[] = {
	"/lib64/ld-linux-x86-64.so.2", "/libx32/ld-linux-x32.so.2", "/lib/ld-linux.so.2",
	"/lib/ld-linux-aarch64.so.1", "/lib/ld-linux-aarch64_be.so.1", "/lib/ld-linux-armhf.so.3",
	"/lib/ld-linux.so.3", "/lib64/ld64.so.2", "/lib64/ld64.so.1", "/lib/ld64.so.1",
	"/lib/ld-linux-riscv64-lp64d.so.1", "/lib/ld-linux-riscv64-lp64.so.1", "/lib64/ld-linux-loongarch-lp64d.so.1",
	"/lib/ld.so.1", "/lib64/ld.so.1",
};

static void describe_loader(struct host_facts *h, const char *path)
{
	struct fsroot *root = h->p.root;
	struct fsroot_stat st;
	int error;
	if (h->nloaders == HOST_MAX_LOADERS || fsroot_stat(root, path, &st, &error) < 0 || !S_ISREG(st.mode))
		return;
	for (size_t i = 0; i < h->nloaders; i++)
		if (strcmp(h->loaders[i].path, path) == 0)
			return;
	struct host_loader *l = &h->loaders[h->nloaders++];
	memset(l, 0, sizeof *l);
	snprintf(l->path, sizeof l->path, "%s", path);
	if (fsroot_realpath(root, path, l->real, sizeof l->real, &error) < 0)
		l->real[0] = '\0';
	bool musl = ldso_family_of(path) == LOADER_MUSL;
	l->family = musl ? "musl" : "glibc";
	struct fsroot_blob blob;
	if (fsroot_read(root, path, &blob, &error) == 0) {
		struct elf_file ef;
		struct cr_err err;
		if (elf_parse_memory(&ef, blob.data, blob.size, &err) == 0) {
			char buf[24];
			snprintf(l->machine, sizeof l->machine, "%s",
				 elf_machine_name(ef.machine, ef.bits, ef.big_endian, buf, sizeof buf));
			elf_close(&ef);
		}
		size_t n;
		const unsigned char *v = musl ? ldso_musl_version(blob.data, blob.size, &n) : NULL;
		if (v && n < sizeof l->version) {
			memcpy(l->version, v, n);
			l->version[n] = '\0';
		}
		fsroot_release(root, &blob);
	}
	if (!musl)
		root_banner_version(root, path, "release version ", l->version, sizeof l->version);
}

static int musl_loader_entry(const char *name, void *ctx)
{
	struct host_facts *h = ctx;
	size_t n = strlen(name);
	if (strncmp(name, "ld-musl-", 8) == 0 && n > 13 && strcmp(name + n - 5, ".so.1") == 0) {
		char *path = path_join("/lib", name);
		describe_loader(h, path);
		free(path);
	}
	return 0;
}

static void find_loaders(struct host_facts *h)
{
	for (size_t i = 0; i < sizeof loader_names / sizeof loader_names[0]; i++)
		describe_loader(h, loader_names[i]);
	int error;
	fsroot_list_dir(h->p.root, "/lib", musl_loader_entry, h, &error);
}

static void read_ld_cache(struct host_facts *h, struct ldcache *cache, bool *parsed)
{
	struct fsroot_blob blob;
	int error;
	*parsed = false;
	if (fsroot_read(h->p.root, "/etc/ld.so.cache", &blob, &error) < 0)
		return;
	h->ld_cache_present = true;
	struct cr_err err;
	if (ldcache_parse(blob.data, blob.size, cache, &err) == 0) {
		*parsed = h->ld_cache_ok = true;
		h->ld_cache_entries = cache->nentries;
		bool old_head = blob.size >= 11 && memcmp(blob.data, "ld.so-1.7.0", 11) == 0;
		h->ld_cache_format = cache->new_format ? (old_head ? "compat" : "new") : "old";
		if (cache->generator)
			h->ld_cache_generator = xstrdup(cache->generator);
	} else {
		snprintf(h->ld_cache_problem, sizeof h->ld_cache_problem, "%s", err.msg);
	}
	fsroot_release(h->p.root, &blob);
}

/* The glibc-hwcaps subdirectories glibc 2.33+ searches on x86-64: every
 * level from this CPU's down to v2 (ld.so --help, "supported, searched"). */
static void hwcaps_levels(struct host_facts *h)
{
	static const char *const names[] = { "x86-64-v4", "x86-64-v3", "x86-64-v2" };
	bool glibc = h->p.libc == LIBC_GLIBC &&
		     (!h->p.libc_version[0] || version_compare(h->p.libc_version, "2.33") >= 0);
	if (!glibc || strcmp(h->machine, "x86_64") != 0)
		return;
	for (unsigned level = 4; level >= 2; level--)
		if (h->x86_level >= level)
			h->hwcaps[h->nhwcaps++] = names[4 - level];
}

bool openssl_banner_version(const unsigned char *data, size_t size, char *out, size_t len)
{
	static const char banner[] = "OpenSSL ";
	const size_t blen = sizeof banner - 1;
	for (const unsigned char *p = data, *end = data + size;
	     (p = memmem(p, (size_t)(end - p), banner, blen)) != NULL; p += blen) {
		const unsigned char *v = p + blen;
		size_t n = 0, dots = 0;
		while (v + n < end && ((v[n] >= '0' && v[n] <= '9') || v[n] == '.'))
			dots += v[n++] == '.';
		/* 1.1.1w: the letter is part of the version. */
		while (v + n < end && v[n] >= 'a' && v[n] <= 'z')
			n++;
		if (dots < 2 || !(v[0] >= '0' && v[0] <= '9') || v + n >= end || v[n] != ' ' || n >= len)
			continue;
		memcpy(out, v, n);
		out[n] = '\0';
		return true;
	}
	return false;
}

/* SONAME as the loader finds it for an x86-64 (or this machine's) program:
 * the cache first, then the default directories. */
static bool find_library(struct host_facts *h, const struct ldcache *cache, const char *soname, char *out,
			 size_t outlen, const char **via)
{
	struct ldcache_query q = { 0 };
	q.isa_level = h->x86_level;
	const char *hwcaps[HOST_MAX_HWCAPS + 1] = { 0 };
	for (size_t i = 0; i < h->nhwcaps; i++)
		hwcaps[i] = h->hwcaps[i];
	q.hwcaps = hwcaps;
	if (cache && ldcache_flags_for(EM_X86_64, 64, false, 0, &q.flags_a, &q.flags_b) &&
	    strcmp(h->machine, "x86_64") == 0) {
		const char *hit = ldcache_lookup(cache, soname, &q, NULL);
		if (hit) {
			snprintf(out, outlen, "%s", hit);
			*via = "cache";
			return true;
		}
	}
	for (size_t i = 0; i < h->files.glibc.ndirs; i++) {
		char *path = path_join(h->files.glibc.dirs[i], soname);
		struct fsroot_stat st;
		int error;
		bool ok = fsroot_stat(h->p.root, path, &st, &error) == 0 && S_ISREG(st.mode);
		if (ok)
			snprintf(out, outlen, "%s", path);
		free(path);
		if (ok) {
			*via = "directory";
			return true;
		}
	}
	return false;
}

static void find_openssl(struct host_facts *h, const struct ldcache *cache)
{
	static const char *const versions[][2] = { { "libssl.so.3", "libcrypto.so.3" },
						   { "libssl.so.1.1", "libcrypto.so.1.1" } };
	for (size_t i = 0; i < 2 && !h->libcrypto[0]; i++) {
		const char *via = NULL;
		find_library(h, cache, versions[i][0], h->libssl, sizeof h->libssl, &h->libssl_via);
		if (!find_library(h, cache, versions[i][1], h->libcrypto, sizeof h->libcrypto, &via))
			continue;
		struct fsroot_blob blob;
		int error;
		if (fsroot_read(h->p.root, h->libcrypto, &blob, &error) == 0) {
			openssl_banner_version(blob.data, blob.size, h->openssl_version, sizeof h->openssl_version);
			fsroot_release(h->p.root, &blob);
		}
	}
	/* TLS 1.3 came with OpenSSL 1.1.1. */
	h->tls13 = h->openssl_version[0] && version_compare(h->openssl_version, "1.1.1") >= 0;
}

void host_read_libs(struct host_facts *h)
{
	find_loaders(h);
	/* A musl root's version is its loader's. */
	for (size_t i = 0; i < h->nloaders && h->p.libc == LIBC_MUSL && !h->p.libc_version[0]; i++)
		if (strcmp(h->loaders[i].family, "musl") == 0 && strcmp(h->loaders[i].machine, h->machine) == 0)
			snprintf(h->p.libc_version, sizeof h->p.libc_version, "%s", h->loaders[i].version);
	struct ldcache cache;
	bool parsed;
	read_ld_cache(h, &cache, &parsed);
	struct cr_err err;
	if (ldconf_read(h->p.root, "/etc/ld.so.conf", &h->ld_conf, &err) < 0)
		memset(&h->ld_conf, 0, sizeof h->ld_conf);
	hwcaps_levels(h);
	find_openssl(h, parsed ? &cache : NULL);
	if (parsed)
		ldcache_free(&cache);
}
