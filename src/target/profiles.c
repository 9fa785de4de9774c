/* The built-in target profiles: the table comes from profiles.def, one row
 * per release or image with the source of its facts. */
#include <string.h>
#include <strings.h>

#include "target/provides.h"

static const struct profile profiles[] = {
#define PROFILE(name, aliases, title, machines, libc, libc_version, kernel, x86_level, ca_bundle, tzdata, \
		passwd, nsswitch, container, source)                                                      \
	{ name, aliases, title, machines, libc, libc_version, kernel, x86_level, ca_bundle, tzdata, passwd, \
	  nsswitch, container, source },
#include "target/profiles.def"
#undef PROFILE
};

/* What `canrun check` judges without --target: the releases people deploy
 * to now, one per distinct failure. rhel-8 has the oldest glibc still under
 * full support (2.28); rhel-9 adds the x86-64-v2 floor; the Debian and
 * Ubuntu releases are the common servers; alpine-3.22 (the oldest Alpine
 * still supported) catches glibc programs and distroless-static dynamic
 * ones, the two usual container failures. Debian 11 and Ubuntu 20.04 are
 * left out: their free support has ended, and rhel-8's older glibc already
 * catches what they would. */
static const char *const default_matrix[] = {
	"debian-12", "debian-13", "ubuntu-22.04", "ubuntu-24.04", "rhel-8", "rhel-9", "alpine-3.22",
	"distroless-static",
};

const struct profile *profiles_all(size_t *count)
{
	*count = sizeof profiles / sizeof profiles[0];
	return profiles;
}

/* Whether the space-separated list has the word, ignoring case. */
static bool list_has(const char *list, const char *word, size_t len)
{
	for (const char *p = list; p && *p;) {
		size_t n = strcspn(p, " ");
		if (n == len && strncasecmp(p, word, len) == 0)
			return true;
		p += n;
		p += strspn(p, " ");
	}
	return false;
}

bool profile_has_machine(const struct profile *p, const char *machine)
{
	return list_has(p->machines, machine, strlen(machine));
}

const struct profile *profile_find(const char *name)
{
	size_t len = name ? strlen(name) : 0;
	if (len == 0)
		return NULL;
	for (size_t i = 0; i < sizeof profiles / sizeof profiles[0]; i++)
		if (strcasecmp(profiles[i].name, name) == 0)
			return &profiles[i];
	/* Names first, so an alias can never shadow a profile's own name. */
	for (size_t i = 0; i < sizeof profiles / sizeof profiles[0]; i++)
		if (list_has(profiles[i].aliases, name, len))
			return &profiles[i];
	return NULL;
}

const char *const *profiles_default_matrix(size_t *count)
{
	*count = sizeof default_matrix / sizeof default_matrix[0];
	return default_matrix;
}
