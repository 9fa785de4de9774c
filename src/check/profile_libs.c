/* The libraries a program needs, against the inventory of a Debian release
 * (target/libinv.h): what a minimal install has, with its symbol versions,
 * and which package ships the rest. The messages are the loader's own. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/checks.h"
#include "util/strbuf.h"

/* glibc-too-old already reports a GLIBC_x.y above the release's glibc. */
static bool reported_as_glibc(const char *version, const struct provides *p)
{
	return strncmp(version, "GLIBC_", 6) == 0 && version[6] >= '0' && version[6] <= '9' && p->libc_version[0] &&
	       version_compare(version + 6, p->libc_version) > 0;
}

/* The version needs of one library the minimal install has; true when one
 * is missing. The loader checks non-weak needs only. */
static bool check_versions(const struct check_input *in, const struct provides *p, const struct libinv_lib *lib,
			   const char *at, struct findings *out)
{
	const struct needs *n = in->needs;
	bool missing = false;
	for (size_t f = 0; f < n->nversion_needs; f++) {
		const struct file_version_needs *fv = &n->version_needs[f];
		if (strcmp(fv->file, lib->name) != 0)
			continue;
		for (size_t v = 0; v < fv->nversions; v++) {
			const struct version_need *vn = &fv->versions[v];
			if (vn->weak || libinv_defines(lib, vn->name) || reported_as_glibc(vn->name, p))
				continue;
			struct strbuf ev = { 0 };
			sb_appendf(&ev, "%s needed by", vn->name);
			for (size_t s = 0; s < vn->nsymbols && s < 8; s++)
				sb_appendf(&ev, "%s %s", s ? "," : "", vn->symbols[s]);
			char *evidence = sb_take(&ev);
			findings_add(out, "library-version-missing", SEV_FAIL, evidence,
				     "build against the library the target has (on it, or in a container of it), or "
				     "ship the newer library with the program",
				     "%s: %s: version `%s' not found (required by %s)", at, lib->path, vn->name, at);
			free(evidence);
			missing = true;
		}
	}
	return missing;
}

/* "apt-get install libssl3", where apt must look for a package outside
 * main, and the other packages that ship it. */
static void package_fix(const char *packages, char *fix, size_t len)
{
	size_t n = strcspn(packages, " ");
	const char *slash = memchr(packages, '/', n);
	const char *pkg = slash ? slash + 1 : packages;
	int w = snprintf(fix, len, "apt-get install %.*s", (int)(n - (size_t)(pkg - packages)), pkg);
	if (slash && w >= 0 && (size_t)w < len)
		w += snprintf(fix + w, len - (size_t)w, " (from %.*s: add it to apt's sources)",
			      (int)(slash - packages), packages);
	if (packages[n] && w >= 0 && (size_t)w < len)
		snprintf(fix + w, len - (size_t)w, "; also shipped by %s", packages + n + 1);
}

void check_profile_libs(const struct check_input *in, const struct provides *p, const struct libinv *inv,
			struct findings *out, int *exit_status)
{
	const struct needs *n = in->needs;
	const char *name = p->profile->name;
	const char *at = in->at ? in->at : in->path;
	bool lib_missing = false, version_missing = false;
	for (size_t i = 0; i < n->nneeded; i++) {
		const char *soname = n->needed[i];
		const struct libinv_lib *lib = strchr(soname, '/') ? NULL : libinv_find(inv, soname);
		char packages[256];
		if (lib) {
			findings_add(out, "library-found", SEV_OK, lib->path, NULL,
				     "needs %s: a minimal %s install has it", soname, name);
			version_missing |= check_versions(in, p, lib, at, out);
		} else if (strchr(soname, '/')) {
			findings_add(out, "library-unknown", SEV_UNKNOWN, soname,
				     "check the file is there on the target", "needs %s by its path", soname);
		} else if (libinv_packages(inv, soname, packages, sizeof packages)) {
			char fix[400];
			package_fix(packages, fix, sizeof fix);
			findings_add(out, "library-package", SEV_UNKNOWN, packages, fix,
				     "needs %s, which a minimal %s install does not have; %s ships it", soname, name,
				     packages);
		} else if (n->nrpath || n->nrunpath) {
			/* Not from the release: it can only come with the program. */
			findings_add(out, "library-unknown", SEV_UNKNOWN, soname,
				     "ship it where the program's RPATH/RUNPATH points",
				     "needs %s, which no package of %s ships: it must come with the program, "
				     "where its RPATH/RUNPATH points", soname, inv->release);
		} else {
			char evidence[300];
			snprintf(evidence, sizeof evidence, "no package of %s ships %s", inv->release, soname);
			findings_add(out, "library-missing", SEV_FAIL, evidence,
				     "link it statically, or ship it beside the program (RUNPATH $ORIGIN), or rebuild "
				     "against a library the target's release has",
				     "%s: error while loading shared libraries: %s: cannot open shared object file: No "
				     "such file or directory", at, soname);
			lib_missing = true;
		}
	}
	/* The loader maps every library before it checks versions; a glibc too
	 * old (glibc-too-old) fails that check too. */
	if (n->max_glibc[0] && p->libc_version[0] && version_compare(n->max_glibc, p->libc_version) > 0)
		version_missing = true;
	if (!*exit_status && lib_missing)
		*exit_status = 127;
	else if (!*exit_status && version_missing)
		*exit_status = 1;
}
