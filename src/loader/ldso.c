#include "loader/ldso.h"

#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

enum loader_family ldso_family_of(const char *interp)
{
	const char *base = strrchr(interp, '/');
	base = base ? base + 1 : interp;
	return strncmp(base, "ld-musl-", 8) == 0 ? LOADER_MUSL : LOADER_GLIBC;
}

const unsigned char *ldso_musl_version(const unsigned char *data, size_t size, size_t *len)
{
	for (size_t i = 1; i < size; i++) {
		if (data[i - 1] != '\0' || data[i] < '0' || data[i] > '9')
			continue;
		size_t n = 0, dots = 0;
		while (i + n < size && ((data[i + n] >= '0' && data[i + n] <= '9') || data[i + n] == '.'))
			dots += data[i + n++] == '.';
		if (dots == 2 && i + n < size && data[i + n] == '\0' && data[i + n - 1] != '.') {
			*len = n;
			return data + i;
		}
		i += n;
	}
	return NULL;
}

/* A directory entry of glibc's compiled-in list: absolute, ends in '/'. */
static size_t dir_entry_len(const unsigned char *p, const unsigned char *end)
{
	size_t n = 0;
	while (p + n < end && p[n] >= 0x21 && p[n] < 0x7f && n < 256)
		n++;
	if (n < 2 || p + n >= end || p[n] != '\0' || p[0] != '/' || p[n - 1] != '/')
		return 0;
	return n;
}

/* glibc's ld.so stores its default directories (SYSTEM_DIRS) as one
 * NUL-separated run such as "/lib/x86_64-linux-gnu/\0/usr/lib/...\0/lib/\0
 * /usr/lib/\0". Reading that run gives the exact list the loader searches,
 * with each distribution's own patches, without running it. */
static bool scan_system_dirs(struct ldso_info *info, const struct byte_view *v)
{
	const unsigned char *start = v->data, *end = v->data + v->size;
	for (const unsigned char *hit = start; hit < end;) {
		hit = memmem(hit, (size_t)(end - hit), "/usr/lib", 8);
		if (!hit)
			return false;
		/* Walk back to the run's first entry. */
		const unsigned char *first = hit;
		while (first - start >= 2 && first[-1] == '\0') {
			const unsigned char *q = first - 2;
			while (q > start && q[-1] != '\0')
				q--;
			if (dir_entry_len(q, end) != (size_t)(first - 1 - q))
				break;
			first = q;
		}
		size_t count = 0;
		bool has_lib = false, has_usr = false;
		for (const unsigned char *q = first; q < end;) {
			size_t n = dir_entry_len(q, end);
			if (!n)
				break;
			has_lib |= strncmp((const char *)q, "/lib", 4) == 0;
			has_usr |= strncmp((const char *)q, "/usr/lib", 8) == 0;
			count++;
			q += n + 1;
		}
		if (count >= 2 && has_lib && has_usr) {
			size_t cap = 0;
			for (const unsigned char *q = first; count--;) {
				size_t n = dir_entry_len(q, end);
				char *dir = xstrndup((const char *)q, n - 1);
				XPUSH(info->system_dirs, info->nsystem_dirs, cap, dir);
				q += n + 1;
			}
			return true;
		}
		hit += 8;
	}
	return false;
}

/* Upstream defaults ($(slibdir):$(libdir)) when the list cannot be read. */
static void default_system_dirs(struct ldso_info *info)
{
	bool lib64 = info->bits == 64 && info->machine != EM_RISCV;
	const char *dirs[2] = { lib64 ? "/lib64" : "/lib", lib64 ? "/usr/lib64" : "/usr/lib" };
	size_t cap = 0;
	for (int i = 0; i < 2; i++) {
		char *d = xstrdup(dirs[i]);
		XPUSH(info->system_dirs, info->nsystem_dirs, cap, d);
	}
}

static void scan_version(struct ldso_info *info, const struct byte_view *v)
{
	static const char banner[] = "release version ";
	const unsigned char *hit = memmem(v->data, (size_t)v->size, banner, sizeof banner - 1);
	if (!hit)
		return;
	const char *p = (const char *)hit + sizeof banner - 1;
	size_t n = 0;
	while ((const unsigned char *)p + n < v->data + v->size && n + 1 < sizeof info->glibc_version &&
	       ((p[n] >= '0' && p[n] <= '9') || p[n] == '.'))
		n++;
	while (n && p[n - 1] == '.')
		n--;
	memcpy(info->glibc_version, p, n);
	info->glibc_version[n] = '\0';
}

static const char *platform_of(uint16_t machine, unsigned bits)
{
	switch (machine) {
	case EM_X86_64: return bits == 64 ? "x86_64" : "x32";
	case EM_386: return "i686";
	case EM_AARCH64: return "aarch64";
	case EM_S390: return "s390x";
	case EM_PPC64: return "power8";
	default: return NULL;
	}
}

static void load_cache(struct ldso_info *info, struct fsroot *root)
{
	struct fsroot_blob blob;
	int error;
	if (fsroot_read(root, "/etc/ld.so.cache", &blob, &error) < 0) {
		if (error != ENOENT)
			snprintf(info->cache_problem, sizeof info->cache_problem,
				 "/etc/ld.so.cache cannot be read: %s", strerror(error));
		return;
	}
	struct cr_err err;
	if (ldcache_parse(blob.data, blob.size, &info->cache, &err) == 0)
		info->has_cache = true;
	else
		snprintf(info->cache_problem, sizeof info->cache_problem,
			 "/etc/ld.so.cache is damaged and the loader ignores it: %s", err.msg);
	fsroot_release(root, &blob);
}

static void load_musl_path(struct ldso_info *info, struct fsroot *root)
{
	/* <prefix>/etc/ld-musl-ARCH.path, prefix being the parent of the
	 * loader's directory (ldso/dynlink.c). */
	const char *base = strrchr(info->interp, '/');
	base = base ? base + 1 : info->interp;
	const char *arch = base + 8, *dot = strstr(arch, ".so");
	int arch_len = dot ? (int)(dot - arch) : (int)strlen(arch);
	char prefix[512];
	snprintf(prefix, sizeof prefix, "%.*s", (int)(base - info->interp), info->interp);
	size_t len = strlen(prefix);
	while (len > 0 && prefix[len - 1] == '/')
		prefix[--len] = '\0';
	char *slash = strrchr(prefix, '/');
	if (slash)
		*slash = '\0';
	snprintf(info->musl_path_file, sizeof info->musl_path_file, "%s/etc/ld-musl-%.*s.path", prefix,
		 arch_len, arch);

	struct fsroot_blob blob;
	int error;
	size_t cap = 0;
	if (fsroot_read(root, info->musl_path_file, &blob, &error) < 0) {
		if (error == ENOENT) {
			static const char *const defaults[] = { "/lib", "/usr/local/lib", "/usr/lib" };
			for (size_t i = 0; i < 3; i++) {
				char *d = xstrdup(defaults[i]);
				XPUSH(info->musl_path, info->nmusl_path, cap, d);
			}
		}
		return;
	}
	info->musl_path_file_found = true;
	/* musl reads the file with getdelim(..., 0, ...): a NUL byte ends
	 * the whole list, and what follows it is never seen. */
	const char *p = (const char *)blob.data;
	const char *nul = memchr(p, '\0', blob.size);
	const char *end = nul ? nul : p + blob.size;
	while (p < end) {
		const char *q = p;
		while (q < end && *q != ':' && *q != '\n')
			q++;
		if (q > p) {
			char *d = xstrndup(p, (size_t)(q - p));
			XPUSH(info->musl_path, info->nmusl_path, cap, d);
		}
		p = q + 1;
	}
	fsroot_release(root, &blob);
}

void ldso_info_load(struct ldso_info *info, struct fsroot *root, const char *interp,
		    const char *interp_real, const struct elf_file *ldso_elf)
{
	memset(info, 0, sizeof *info);
	info->owned = true;
	info->family = ldso_family_of(interp);
	info->interp = xstrdup(interp);
	info->interp_real = xstrdup(interp_real);
	info->machine = ldso_elf->machine;
	info->e_flags = ldso_elf->flags;
	info->bits = ldso_elf->bits;
	info->big_endian = ldso_elf->big_endian;
	if (info->family == LOADER_MUSL) {
		load_musl_path(info, root);
		return;
	}
	if (!scan_system_dirs(info, &ldso_elf->view))
		default_system_dirs(info);
	scan_version(info, &ldso_elf->view);
	/* Older loaders carry no banner; libc.so.6 always does. */
	for (size_t i = 0; !info->glibc_version[0] && i < info->nsystem_dirs; i++) {
		char path[600];
		struct fsroot_blob blob;
		int error;
		snprintf(path, sizeof path, "%s/libc.so.6", info->system_dirs[i]);
		if (fsroot_read(root, path, &blob, &error) == 0) {
			struct byte_view v = { blob.data, blob.size, false };
			scan_version(info, &v);
			fsroot_release(root, &blob);
		}
	}
	/* $LIB is the first default directory without its leading '/'. */
	snprintf(info->lib_token, sizeof info->lib_token, "%s", info->system_dirs[0] + 1);
	info->platform = platform_of(info->machine, info->bits);
	load_cache(info, root);
}

void ldso_info_free(struct ldso_info *info)
{
	if (!info->owned) {
		memset(info, 0, sizeof *info);
		return;
	}
	free(info->interp);
	free(info->interp_real);
	for (size_t i = 0; i < info->nsystem_dirs; i++)
		free(info->system_dirs[i]);
	free(info->system_dirs);
	if (info->has_cache)
		ldcache_free(&info->cache);
	for (size_t i = 0; i < info->nmusl_path; i++)
		free(info->musl_path[i]);
	free(info->musl_path);
	memset(info, 0, sizeof *info);
}
