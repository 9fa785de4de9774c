#include "target/provides_load.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>

#include "target/image.h"
#include "util/xalloc.h"

unsigned host_cpu_level(void)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	if (!f)
		return 1;
	char line[8192];
	unsigned level = 1;
	while (fgets(line, sizeof line, f)) {
		if (strncmp(line, "flags", 5) != 0)
			continue;
		/* Each level's defining CPU flags (x86-64 psABI), as the kernel names them. */
		static const char *const v2[] = { "cx16", "lahf_lm", "popcnt", "sse4_1", "sse4_2", "ssse3", NULL };
		static const char *const v3[] = { "avx", "avx2", "bmi1", "bmi2", "f16c", "fma", "abm", "movbe", "xsave", NULL };
		static const char *const v4[] = { "avx512f", "avx512bw", "avx512cd", "avx512dq", "avx512vl", NULL };
		const char *const *levels[] = { v2, v3, v4 };
		for (int l = 0; l < 3; l++) {
			bool all = true;
			for (const char *const *feat = levels[l]; *feat && all; feat++) {
				char needle[40];
				snprintf(needle, sizeof needle, " %s", *feat);
				const char *hit = strstr(line, needle);
				while (hit && hit[strlen(needle)] != ' ' && hit[strlen(needle)] != '\n')
					hit = strstr(hit + 1, needle);
				all = hit != NULL;
			}
			if (!all)
				break;
			level = (unsigned)l + 2;
		}
		break;
	}
	fclose(f);
	return level;
}

/* "PRETTY_NAME=..." from os-release inside the root. */
static char *os_release_name(struct fsroot *root)
{
	static const char *const paths[] = { "/etc/os-release", "/usr/lib/os-release" };
	for (size_t i = 0; i < 2; i++) {
		struct fsroot_blob blob;
		int error;
		if (fsroot_read(root, paths[i], &blob, &error) < 0)
			continue;
		char *text = xstrndup((const char *)blob.data, blob.size);
		fsroot_release(root, &blob);
		char *hit = strstr(text, "PRETTY_NAME=");
		char *name = NULL;
		if (hit && (hit == text || hit[-1] == '\n')) {
			char *v = hit + 12;
			size_t n = strcspn(v, "\n");
			if (n >= 2 && (v[0] == '"' || v[0] == '\'') && v[n - 1] == v[0])
				name = xstrndup(v + 1, n - 2);
			else
				name = xstrndup(v, n);
		}
		free(text);
		if (name)
			return name;
	}
	return NULL;
}

/* The version after a banner string in a file inside the root. */
static bool banner_version(struct fsroot *root, const char *path, const char *banner, char *out, size_t len)
{
	struct fsroot_blob blob;
	int error;
	if (fsroot_read(root, path, &blob, &error) < 0)
		return false;
	bool found = false;
	const unsigned char *hit = memmem(blob.data, blob.size, banner, strlen(banner));
	if (hit) {
		const char *p = (const char *)hit + strlen(banner);
		size_t n = 0;
		while ((const unsigned char *)p + n < blob.data + blob.size && n + 1 < len &&
		       ((p[n] >= '0' && p[n] <= '9') || p[n] == '.'))
			n++;
		while (n && p[n - 1] == '.')
			n--;
		memcpy(out, p, n);
		out[n] = '\0';
		found = n > 0;
	}
	fsroot_release(root, &blob);
	return found;
}

/* The root's C library: glibc's libc.so.6 carries "release version X.Y",
 * musl's loader "musl libc (...)\0Version X.Y.Z" (printed by its ldd). */
static void detect_libc(struct provides *p)
{
	static const char *const glibc_paths[] = {
		"/lib/x86_64-linux-gnu/libc.so.6", "/usr/lib/x86_64-linux-gnu/libc.so.6", "/lib64/libc.so.6",
		"/usr/lib64/libc.so.6", "/lib/aarch64-linux-gnu/libc.so.6", "/lib/libc.so.6", "/usr/lib/libc.so.6",
	};
	for (size_t i = 0; i < sizeof glibc_paths / sizeof glibc_paths[0]; i++) {
		if (banner_version(p->root, glibc_paths[i], "release version ", p->libc_version, sizeof p->libc_version)) {
			p->libc = LIBC_GLIBC;
			return;
		}
	}
	static const char *const musl_paths[] = { "/lib/ld-musl-x86_64.so.1", "/lib/ld-musl-aarch64.so.1" };
	for (size_t i = 0; i < 2; i++) {
		struct fsroot_stat st;
		int error;
		if (fsroot_stat(p->root, musl_paths[i], &st, &error) == 0) {
			p->libc = LIBC_MUSL;
			if (!banner_version(p->root, musl_paths[i], "Version ", p->libc_version, sizeof p->libc_version))
				p->libc_version[0] = '\0';
			return;
		}
	}
	p->libc = LIBC_NONE;
}

/* What every target with files says about itself. */
static void describe_root(struct provides *p, enum target_kind kind)
{
	p->kind = kind;
	p->distro = os_release_name(p->root);
	detect_libc(p);
}

static int open_root(struct provides *p, const char *dir, enum target_kind kind, struct cr_err *err)
{
	char real[PATH_MAX];
	if (!realpath(dir, real))
		return cr_fail(err, "%s: %s", dir, strerror(errno));
	p->root = fsroot_open_dir(real, err);
	if (!p->root)
		return -1;
	describe_root(p, kind);
	if (kind == TARGET_HOST) {
		struct utsname u;
		if (uname(&u) == 0)
			snprintf(p->kernel, sizeof p->kernel, "%s", u.release);
		p->x86_level = host_cpu_level();
	}
	return 0;
}

/* "PATH[@PLATFORM]": an image's layers, merged in memory. */
static int open_image(struct provides *p, const char *spec, struct cr_err *err)
{
	bool bad_spec;
	p->root = image_open(spec, err, &bad_spec);
	if (!p->root)
		return bad_spec ? PROVIDES_BAD_SPEC : PROVIDES_UNREADABLE;
	describe_root(p, TARGET_IMAGE);
	return 0;
}

int provides_open(struct provides *p, const char *spec, struct cr_err *err)
{
	memset(p, 0, sizeof *p);
	p->name = xstrdup(spec);
	struct stat st;
	int rc;
	if (strcmp(spec, "host") == 0)
		rc = open_root(p, "/", TARGET_HOST, err);
	else if (strncmp(spec, "rootfs:", 7) == 0)
		rc = open_root(p, spec + 7, TARGET_ROOTFS, err);
	else if (strncmp(spec, "image:", 6) == 0) /* before paths: "image:dir/app.tar" has a slash */
		rc = open_image(p, spec + 6, err);
	else if (strchr(spec, '/') || (stat(spec, &st) == 0 && S_ISDIR(st.st_mode)))
		rc = open_root(p, spec, TARGET_ROOTFS, err);
	else {
		p->profile = profile_find(spec);
		if (!p->profile) {
			rc = cr_fail(err, "%s: no such target; 'canrun targets' lists them", spec);
		} else {
			p->kind = TARGET_PROFILE;
			p->distro = xstrdup(p->profile->title);
			p->libc = p->profile->libc;
			snprintf(p->libc_version, sizeof p->libc_version, "%s",
				 p->profile->libc_version ? p->profile->libc_version : "");
			snprintf(p->kernel, sizeof p->kernel, "%s", p->profile->kernel ? p->profile->kernel : "");
			p->x86_level = p->profile->x86_level;
			rc = 0;
		}
	}
	if (rc < 0)
		provides_free(p);
	return rc;
}

void provides_free(struct provides *p)
{
	free(p->name);
	free(p->distro);
	if (p->root)
		fsroot_close(p->root);
	memset(p, 0, sizeof *p);
}
