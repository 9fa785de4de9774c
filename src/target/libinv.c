/* The built-in Debian library inventories (target/libinv.h): the data is
 * generated (target/libs/debian-N.def) and compiled in, so canrun stays
 * one self-contained binary. */
#include <stdlib.h>
#include <string.h>

#include "target/libinv.h"

#define LIBINV_FILE "target/libs/debian-11.def"
#define LIBINV_NAME bullseye
#include "target/libinv_release.inc"
#undef LIBINV_FILE
#undef LIBINV_NAME

#define LIBINV_FILE "target/libs/debian-12.def"
#define LIBINV_NAME bookworm
#include "target/libinv_release.inc"
#undef LIBINV_FILE
#undef LIBINV_NAME

#define LIBINV_FILE "target/libs/debian-13.def"
#define LIBINV_NAME trixie
#include "target/libinv_release.inc"
#undef LIBINV_FILE
#undef LIBINV_NAME

#define INVENTORY(name)                                                                             \
	{ #name, "x86_64", name##_source, name##_libs, sizeof name##_libs / sizeof name##_libs[0],     \
	  name##_packages, sizeof name##_packages - 1 }

static const struct libinv inventories[] = { INVENTORY(bullseye), INVENTORY(bookworm), INVENTORY(trixie) };

/* The server and the image of a release share the minimal install: every
 * Debian system has it, a server has more. */
static const struct {
	const char *profile;
	const struct libinv *inv;
} by_profile[] = {
	{ "debian-11", &inventories[0] }, { "debian-11-image", &inventories[0] },
	{ "debian-12", &inventories[1] }, { "debian-12-image", &inventories[1] },
	{ "debian-13", &inventories[2] }, { "debian-13-image", &inventories[2] },
};

/* buster has only the archive of old releases now, which the generator
 * cannot reach: its profiles keep judging only the C library. */
static const char buster_why[] = "none: buster has left Debian's mirrors for the archive of old releases, so no "
				 "minimal root or Contents index of it could be read";

const struct libinv *libinv_for_profile(const struct profile *p, const char **why)
{
	if (why)
		*why = NULL;
	if (!p)
		return NULL;
	for (size_t i = 0; i < sizeof by_profile / sizeof by_profile[0]; i++)
		if (strcmp(p->name, by_profile[i].profile) == 0)
			return by_profile[i].inv;
	if (why && (strcmp(p->name, "debian-10") == 0 || strcmp(p->name, "debian-10-image") == 0))
		*why = buster_why;
	return NULL;
}

static int lib_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct libinv_lib *)elem)->name);
}

const struct libinv_lib *libinv_find(const struct libinv *inv, const char *name)
{
	return bsearch(name, inv->libs, inv->nlibs, sizeof inv->libs[0], lib_cmp);
}

bool libinv_defines(const struct libinv_lib *lib, const char *version)
{
	size_t len = strlen(version);
	for (const char *p = lib->versions; *p;) {
		size_t n = strcspn(p, " ");
		if (n == len && memcmp(p, version, len) == 0)
			return true;
		p += n;
		p += strspn(p, " ");
	}
	return false;
}

/* Compares NAME with the SONAME that begins the line at LINE. */
static int line_cmp(const char *name, const char *line)
{
	size_t n = strcspn(line, " \n");
	int c = strncmp(name, line, n);
	if (c)
		return c;
	return name[n] ? 1 : 0;
}

/* A binary search over the sorted lines of one string: each probe backs up
 * to the start of its line. */
bool libinv_packages(const struct libinv *inv, const char *soname, char *buf, size_t len)
{
	const char *text = inv->packages;
	size_t lo = 0, hi = inv->packages_len;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		while (mid > lo && text[mid - 1] != '\n')
			mid--;
		const char *line = text + mid;
		const char *end = memchr(line, '\n', inv->packages_len - mid);
		size_t line_len = end ? (size_t)(end - line) : inv->packages_len - mid;
		int c = line_cmp(soname, line);
		if (c == 0) {
			const char *pkgs = memchr(line, ' ', line_len);
			size_t n = pkgs ? line_len - (size_t)(pkgs + 1 - line) : 0;
			if (len) {
				if (n >= len)
					n = len - 1;
				memcpy(buf, pkgs ? pkgs + 1 : "", n);
				buf[n] = '\0';
			}
			return true;
		}
		if (c < 0)
			hi = mid;
		else
			lo = mid + line_len + 1;
	}
	return false;
}

size_t libinv_package_count(const struct libinv *inv)
{
	size_t n = 0;
	for (const char *p = inv->packages; (p = memchr(p, '\n', inv->packages_len - (size_t)(p - inv->packages)));
	     p++)
		n++;
	return n;
}
