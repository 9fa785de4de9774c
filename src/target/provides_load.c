#include "target/provides_load.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>

#include "host/cpu.h"
#include "loader/ldso.h"
#include "target/image.h"
#include "target/machine.h"
#include "target/profile.h"
#include "util/xalloc.h"

/* KEY's value in the root's os-release, unquoted; NULL when absent. */
static char *os_release_value(struct fsroot *root, const char *key)
{
	static const char *const paths[] = { "/etc/os-release", "/usr/lib/os-release" };
	size_t klen = strlen(key);
	for (size_t i = 0; i < 2; i++) {
		struct fsroot_blob blob;
		int error;
		if (fsroot_read(root, paths[i], &blob, &error) < 0)
			continue;
		char *text = xstrndup((const char *)blob.data, blob.size);
		fsroot_release(root, &blob);
		char *value = NULL;
		for (char *line = text; *line && !value; line += strcspn(line, "\n"), line += *line == '\n') {
			if (strncmp(line, key, klen) != 0 || line[klen] != '=')
				continue;
			char *v = line + klen + 1;
			size_t n = strcspn(v, "\n");
			if (n >= 2 && (v[0] == '"' || v[0] == '\'') && v[n - 1] == v[0])
				value = xstrndup(v + 1, n - 2);
			else
				value = xstrndup(v, n);
		}
		free(text);
		if (value)
			return value;
	}
	return NULL;
}

/* The profile of the release a root holds, from os-release's ID and
 * VERSION_ID: "debian-12", then shorter versions ("rhel-9.4" -> "rhel-9"). */
static const struct profile *os_release_profile(struct fsroot *root)
{
	char *id = os_release_value(root, "ID"), *version = os_release_value(root, "VERSION_ID");
	const struct profile *found = NULL;
	if (id && version) {
		char name[128];
		snprintf(name, sizeof name, "%s-%s", id, version);
		while (!(found = profile_find(name))) {
			char *dot = strrchr(name, '.');
			if (!dot || dot < name + strlen(id) + 1)
				break;
			*dot = '\0';
		}
	}
	free(id);
	free(version);
	return found;
}

bool root_banner_version(struct fsroot *root, const char *path, const char *banner, char *out, size_t len)
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

/* The root's C library: glibc's libc.so.6 carries "release version X.Y";
 * musl's loader keeps its version as a bare string (ldso_musl_version). */
static void detect_libc(struct provides *p)
{
	static const char *const glibc_paths[] = {
		"/lib/x86_64-linux-gnu/libc.so.6", "/usr/lib/x86_64-linux-gnu/libc.so.6", "/lib64/libc.so.6",
		"/usr/lib64/libc.so.6", "/lib/aarch64-linux-gnu/libc.so.6", "/lib/libc.so.6", "/usr/lib/libc.so.6",
	};
	for (size_t i = 0; i < sizeof glibc_paths / sizeof glibc_paths[0]; i++) {
		if (root_banner_version(p->root, glibc_paths[i], "release version ", p->libc_version, sizeof p->libc_version)) {
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
			p->libc_version[0] = '\0';
			struct fsroot_blob blob;
			if (fsroot_read(p->root, musl_paths[i], &blob, &error) == 0) {
				size_t n = 0;
				const unsigned char *v = ldso_musl_version(blob.data, blob.size, &n);
				if (v && n < sizeof p->libc_version) {
					memcpy(p->libc_version, v, n);
					p->libc_version[n] = '\0';
				}
				fsroot_release(p->root, &blob);
			}
			return;
		}
	}
	p->libc = LIBC_NONE;
}

/* What every target with files says about itself. */
static void describe_root(struct provides *p, enum target_kind kind)
{
	p->kind = kind;
	p->distro = os_release_value(p->root, "PRETTY_NAME");
	detect_libc(p);
}

static int open_root(struct provides *p, const char *dir, enum target_kind kind, struct cr_err *err)
{
	char real[PATH_MAX];
	if (!realpath(dir, real)) {
		cr_fail(err, "%s: %s", dir, strerror(errno));
		return PROVIDES_UNREADABLE;
	}
	p->root = fsroot_open_dir(real, err);
	if (!p->root)
		return PROVIDES_UNREADABLE;
	describe_root(p, kind);
	if (kind == TARGET_HOST) {
		struct utsname u;
		if (uname(&u) == 0)
			snprintf(p->kernel, sizeof p->kernel, "%s", u.release);
	}
	return 0;
}

/* "PATH[@PLATFORM]": an image's layers, merged in memory. --platform picks
 * the image when the spec names none. */
static int open_image(struct provides *p, const char *spec, const char *machine, struct cr_err *err)
{
	char *with_platform = NULL;
	if (machine && !strchr(spec, '@')) {
		size_t n = strlen(spec) + strlen(machine) + 16;
		with_platform = xmalloc(n);
		snprintf(with_platform, n, "%s@linux/%s", spec, machine_platform_arch(machine));
	}
	char arch[32] = "";
	bool bad_spec;
	p->root = image_open_arch(with_platform ? with_platform : spec, arch, sizeof arch, err, &bad_spec);
	free(with_platform);
	if (!p->root)
		return bad_spec ? PROVIDES_BAD_SPEC : PROVIDES_UNREADABLE;
	describe_root(p, TARGET_IMAGE);
	/* The image's own architecture is the machine it is made to run on. */
	if (machine_canonical(arch))
		snprintf(p->machine, sizeof p->machine, "%s", machine_canonical(arch));
	return 0;
}

/* A saved profile: its files as a root, its machine; a host's also its
 * kernel and CPU (a root's are the host's that will run it, as for roots). */
static int open_saved(struct provides *p, const char *path, struct cr_err *err)
{
	struct profile_meta meta;
	p->root = profile_load(path, p->name, &meta, err);
	if (!p->root)
		return PROVIDES_UNREADABLE;
	describe_root(p, TARGET_SAVED);
	snprintf(p->machine, sizeof p->machine, "%s", meta.machine);
	if (!meta.root) {
		snprintf(p->kernel, sizeof p->kernel, "%s", meta.kernel);
		p->x86_level = meta.x86_level;
		p->cpu_saved = meta.x86_level != 0;
		p->no_i386 = meta.no_i386;
	}
	return 0;
}

/* Whether SPEC is "PROFILE/ARCH" rather than a path. */
static bool profile_with_arch(const char *spec)
{
	const char *slash = strchr(spec, '/');
	if (!slash || slash == spec || strchr(slash + 1, '/') || (size_t)(slash - spec) >= 96)
		return false;
	char name[96];
	memcpy(name, spec, (size_t)(slash - spec));
	name[slash - spec] = '\0';
	return profile_find(name) != NULL;
}

/* A profile, "NAME" or "NAME/ARCH" (debian-12/arm64). */
static int open_profile(struct provides *p, const char *spec, const char *machine, struct cr_err *err)
{
	char name[96];
	snprintf(name, sizeof name, "%s", spec);
	char *slash = strchr(name, '/');
	if (slash) {
		*slash = '\0';
		machine = machine_canonical(slash + 1);
		if (!machine)
			return cr_fail(err, "%s: unknown architecture \"%s\" (amd64, arm64, 386, arm, ppc64le, s390x, riscv64...)",
				       spec, slash + 1);
	}
	p->profile = profile_find(name);
	if (!p->profile)
		return cr_fail(err, "%s: no such target; 'canrun targets' lists them", spec);
	if (machine)
		snprintf(p->machine, sizeof p->machine, "%s", machine);
	if (!profile_has_machine(p->profile, p->machine))
		return cr_fail(err, "%s: %s is not made for %s (only %s)", spec, p->profile->name,
			       machine_platform_arch(p->machine), p->profile->machines);
	/* Named for another machine than this one (--platform): say so in
	 * every message, as "debian-12/arm64" does. */
	char host[32];
	if (!slash && strcmp(p->machine, machine_host(host, sizeof host)) != 0) {
		size_t n = strlen(spec) + 34;
		free(p->name);
		p->name = xmalloc(n);
		snprintf(p->name, n, "%s/%s", spec, machine_platform_arch(p->machine));
	}
	p->kind = TARGET_PROFILE;
	p->distro = xstrdup(p->profile->title);
	p->libc = p->profile->libc;
	snprintf(p->libc_version, sizeof p->libc_version, "%s", p->profile->libc_version ? p->profile->libc_version : "");
	snprintf(p->kernel, sizeof p->kernel, "%s", p->profile->kernel ? p->profile->kernel : "");
	return 0;
}

int provides_open(struct provides *p, const char *spec, const struct target_opts *opts, struct cr_err *err)
{
	static const struct target_opts none = { 0 };
	if (!opts)
		opts = &none;
	memset(p, 0, sizeof *p);
	p->name = xstrdup(spec);
	machine_host(p->machine, sizeof p->machine);
	if (opts->machine)
		snprintf(p->machine, sizeof p->machine, "%s", opts->machine);
	struct stat st;
	int rc;
	if (strcmp(spec, "host") == 0)
		rc = open_root(p, "/", TARGET_HOST, err);
	else if (strncmp(spec, "rootfs:", 7) == 0)
		rc = open_root(p, spec + 7, TARGET_ROOTFS, err);
	else if (strncmp(spec, "image:", 6) == 0) /* before paths: "image:dir/app.tar" has a slash */
		rc = open_image(p, spec + 6, opts->machine, err);
	else if (strncmp(spec, "profile:", 8) == 0)
		rc = open_saved(p, spec + 8, err);
	else if (stat(spec, &st) == 0 && S_ISDIR(st.st_mode))
		rc = open_root(p, spec, TARGET_ROOTFS, err);
	else if (strchr(spec, '/') && !profile_with_arch(spec))
		rc = open_root(p, spec, TARGET_ROOTFS, err); /* names the missing directory */
	else
		rc = open_profile(p, spec, opts->machine, err);
	if (rc < 0) {
		provides_free(p);
		return rc;
	}
	/* The CPU: this one for host; else the one named, never below the
	 * lowest the release runs on; else that lowest, said to be assumed. */
	const struct profile *release = p->profile ? p->profile : p->root ? os_release_profile(p->root) : NULL;
	unsigned floor = release && release->x86_level ? release->x86_level : 1;
	if (p->kind == TARGET_HOST) {
		/* This machine is what it is, whatever --platform says of the others. */
		machine_host(p->machine, sizeof p->machine);
		p->x86_level = host_cpu_level();
		p->no_i386 = strcmp(p->machine, "x86_64") == 0 && !host_runs_i386();
	} else if (p->cpu_saved) {
		/* The saved host's CPU is known, as this one's is for host. */
	} else if (opts->cpu_level) {
		p->x86_level = opts->cpu_level > floor ? opts->cpu_level : floor;
	} else {
		p->x86_level = floor;
		p->cpu_assumed = true;
	}
	return 0;
}

void provides_free(struct provides *p)
{
	free(p->name);
	free(p->distro);
	if (p->root)
		fsroot_close(p->root);
	memset(p, 0, sizeof *p);
}
