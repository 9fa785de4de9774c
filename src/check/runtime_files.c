/* Files a Go program reads at run time, looked up where Go (or glibc, for
 * cgo lookups) looks for them inside the target's root: the CA bundle, the
 * zone database, /etc/passwd, /etc/nsswitch.conf and the NSS modules glibc
 * would dlopen. A missing file does not stop the program from starting, so
 * every problem is a warning. /etc/hosts and /etc/resolv.conf are not
 * checked: container runtimes provide them when they start a container. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/checks.h"
#include "target/runtime_files.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

static const char ca_fix[] =
	"install ca-certificates (apt-get install ca-certificates / apk add ca-certificates / "
	"dnf install ca-certificates), or copy a bundle to /etc/ssl/certs/ca-certificates.crt";
static const char tz_fix[] =
	"install tzdata (apt-get install tzdata / apk add tzdata / dnf install tzdata), or rebuild "
	"with -tags timetzdata (or import _ \"time/tzdata\") to embed the zone database";
static const char passwd_fix_go[] =
	"add an /etc/passwd naming the user it runs as (root:x:0:0:root:/root:/bin/sh), or set "
	"USER and HOME in its environment (pure Go falls back to them for user.Current)";
static const char passwd_fix_cgo[] =
	"add an /etc/passwd naming the user it runs as (root:x:0:0:root:/root:/bin/sh), or rebuild "
	"with -tags osusergo";

/* ---- CA certificates ------------------------------------------------------ */

static bool go_before_1_22(const struct check_input *in)
{
	const char *v = in->needs ? in->needs->go.version : NULL;
	return v && strncmp(v, "go1.", 4) == 0 && version_compare(v + 2, "1.22") < 0;
}

static void check_ca(const struct check_input *in, const struct runtime_files *rf, struct findings *out)
{
	struct strbuf looked = { 0 };
	const char *found = NULL;
	const char *empty_bundle = NULL;
	sb_appendf(&looked, "files:");
	for (size_t i = 0; i < RF_NCA_FILES && !found && !empty_bundle; i++) {
		sb_appendf(&looked, "%s %s", i ? "," : "", runtime_ca_files[i]);
		/* The first readable file ends the search even when it holds
		 * nothing usable. */
		if (rf->ca_files[i] == RF_CA_CERTS)
			found = runtime_ca_files[i];
		else if (rf->ca_files[i] == RF_CA_NO_CERT)
			empty_bundle = runtime_ca_files[i];
	}
	sb_appendf(&looked, "; directories:");
	size_t ndirs = RF_NCA_DIRS - (go_before_1_22(in) ? 1 : 0);
	for (size_t i = 0; i < ndirs && !found; i++) {
		sb_appendf(&looked, "%s %s/", i ? "," : "", runtime_ca_dirs[i]);
		found = rf->ca_dir_cert[i];
	}
	char *evidence = sb_take(&looked);
	if (found) {
		findings_add(out, "ca-bundle", SEV_OK, found, NULL, "CA certificates for crypto/x509 in %s", found);
	} else if (empty_bundle) {
		findings_add(out, "ca-bundle-missing", SEV_WARN, evidence, ca_fix,
			     "%s holds no certificate and Go reads no other bundle file after it: "
			     "TLS connections fail with \"certificate signed by unknown authority\"",
			     empty_bundle);
	} else {
		findings_add(out, "ca-bundle-missing", SEV_WARN, evidence, ca_fix,
			     "no CA certificates where Go looks for them: TLS connections fail with "
			     "\"certificate signed by unknown authority\"");
	}
	free(evidence);
}

/* ---- zone database -------------------------------------------------------- */

static void check_tzdata(const struct runtime_files *rf, struct findings *out)
{
	if (rf->tz_zone) {
		findings_add(out, "tzdata", SEV_OK, rf->tz_zone, NULL, "zone database for time.LoadLocation in %s",
			     runtime_tz_dirs[rf->tz_zone_dir]);
		return;
	}
	const char *some_dir = NULL;
	for (size_t d = 0; d < RF_NTZ_DIRS && !some_dir; d++)
		if (rf->tz_dir_exists[d])
			some_dir = runtime_tz_dirs[d];
	char evidence[512];
	snprintf(evidence, sizeof evidence, "no %s or %s in %s, %s, %s", runtime_tz_zones[0], runtime_tz_zones[1],
		 runtime_tz_dirs[0], runtime_tz_dirs[1], runtime_tz_dirs[2]);
	if (some_dir)
		findings_add(out, "tzdata-missing", SEV_WARN, evidence, tz_fix,
			     "%s has no regional zones: time.LoadLocation fails with \"unknown time zone\"", some_dir);
	else
		findings_add(out, "tzdata-missing", SEV_WARN, evidence, tz_fix,
			     "no zone database: time.LoadLocation fails with \"unknown time zone\" for every zone but UTC");
}

/* ---- NSS modules ------------------------------------------------------------ */

/* The package that ships a module, for the fix. */
static const char *module_package(const char *source)
{
	static const char *const table[][2] = {
		{ "systemd", "libnss-systemd" }, { "mymachines", "libnss-mymachines" },
		{ "myhostname", "libnss-myhostname" }, { "resolve", "libnss-resolve" },
		{ "mdns", "libnss-mdns" }, { "sss", "libnss-sss (sssd-client on Fedora/RHEL)" },
		{ "ldap", "libnss-ldapd" }, { "winbind", "libnss-winbind" }, { "db", "libnss-db" },
		{ "nis", "libnss-nis" }, { "files", "libc6" }, { "dns", "libc6" }, { "compat", "libc6" },
	};
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
		if (strncmp(source, table[i][0], strlen(table[i][0])) == 0 &&
		    (strcmp(table[i][0], "mdns") == 0 || strcmp(source, table[i][0]) == 0))
			return table[i][1];
	return NULL;
}

static const char *lookups_of(enum nss_db d)
{
	switch (d) {
	case NSS_HOSTS: return "host lookups (net.LookupHost, Dial by name)";
	case NSS_PASSWD: return "user lookups (user.Current, user.Lookup)";
	default: return "group lookups (user.LookupGroup, User.GroupIds)";
	}
}

/* SRC is one of the sources on a line the program uses. */
static bool source_available(const struct runtime_files *rf, const char *name)
{
	const struct nss_source *s = runtime_nss_source(rf, name);
	return s && s->available;
}

static void report_missing(const struct runtime_files *rf, const bool use[NSS_NDB], const struct nss_source *miss,
			   struct findings *out)
{
	const struct nss_conf *conf = &rf->nss;
	const struct glibc_root *g = &rf->glibc;
	char soname[NSS_NAME_MAX + 16];
	snprintf(soname, sizeof soname, "libnss_%s.so.2", miss->name);
	struct strbuf msg = { 0 }, ev = { 0 };
	sb_appendf(&ev, "%s:", conf->present ? "/etc/nsswitch.conf" : "glibc's defaults");
	bool some_fail = false;
	for (int d = 0; d < NSS_NDB; d++) {
		if (!use[d] || !nss_lists(&conf->db[d], miss->name))
			continue;
		sb_appendf(&ev, " %s:", nss_db_names[d]);
		/* Whether another source on the line still answers. */
		bool left = false;
		for (size_t j = 0; j < conf->db[d].n; j++) {
			const char *other = conf->db[d].sources[j];
			sb_appendf(&ev, " %s", other);
			left |= source_available(rf, other);
		}
		sb_appendf(&ev, ";");
		some_fail |= !left;
		sb_appendf(&msg, "%s%s %s", msg.len ? "; " : "", lookups_of((enum nss_db)d),
			   left ? "use only the other sources" : "fail");
	}
	sb_appendf(&ev, " no %s in", soname);
	for (size_t j = 0; j < g->ndirs; j++)
		sb_appendf(&ev, "%s %s", j ? "," : "", g->dirs[j]);
	sb_appendf(&ev, "%s", rf->ld_cache ? " or /etc/ld.so.cache" : "");
	const char *pkg = module_package(miss->name);
	char fix[512];
	snprintf(fix, sizeof fix,
		 "install %s%s, or remove %s from /etc/nsswitch.conf, or rebuild pure Go "
		 "(CGO_ENABLED=0, or -tags netgo,osusergo)",
		 pkg ? pkg : "the package that ships ", pkg ? "" : soname, miss->name);
	char *evidence = sb_take(&ev), *message = sb_take(&msg);
	/* A module skipped while another source on the line still answers
	 * (Debian's "passwd: files systemd" without libnss_systemd) changes
	 * nothing the program sees: worth --explain, not a warning. */
	findings_add(out, "nss-module-missing", some_fail ? SEV_WARN : SEV_OK, evidence, fix,
		     "glibc silently skips the missing NSS module %s: %s", soname, message);
	free(evidence);
	free(message);
}

static void check_nss(const struct check_input *in, const struct provides *p, const struct runtime_files *rf,
		      struct findings *out)
{
	const struct go_analysis *go = in->go;
	if (p->libc == LIBC_MUSL)
		return; /* musl has no NSS: it reads the files itself */
	if (!rf->glibc.found)
		return; /* no glibc: the loader check says the program cannot start */
	const struct nss_conf *conf = &rf->nss;
	const bool use[NSS_NDB] = {
		go->resolver == GO_MODE_CGO && runtime_hosts_via_glibc(rf),
		go->user_lookup == GO_MODE_CGO,
		go->user_lookup == GO_MODE_CGO,
	};
	if (!conf->present)
		findings_add(out, "nsswitch-default", SEV_OK, "no /etc/nsswitch.conf", NULL,
			     "glibc uses its defaults: passwd and group from files; Go resolves host names itself");

	/* Each distinct source of the lines used once, in the order named. */
	const struct nss_source *srcs[NSS_NDB * NSS_MAX_SOURCES];
	size_t nsrcs = 0;
	for (int d = 0; d < NSS_NDB; d++) {
		for (size_t i = 0; use[d] && i < conf->db[d].n; i++) {
			const struct nss_source *s = runtime_nss_source(rf, conf->db[d].sources[i]);
			bool seen = false;
			for (size_t k = 0; k < nsrcs && !seen; k++)
				seen = srcs[k] == s;
			if (s && !seen)
				srcs[nsrcs++] = s;
		}
	}
	bool any_missing = false;
	struct strbuf ok_ev = { 0 };
	for (size_t k = 0; k < nsrcs; k++) {
		if (srcs[k]->available) {
			sb_appendf(&ok_ev, "%s%s: %s", ok_ev.len ? "; " : "", srcs[k]->name, srcs[k]->where);
		} else {
			any_missing = true;
			report_missing(rf, use, srcs[k], out);
		}
	}
	char *ok_evidence = sb_take(&ok_ev);
	if (ok_evidence && !any_missing)
		findings_add(out, "nss-modules", SEV_OK, ok_evidence, NULL,
			     "every NSS source glibc would use for these lookups is there");
	free(ok_evidence);
}

/* ---- /etc/passwd ----------------------------------------------------------- */

/* The errors os/user gives without the file (Go 1.19, seen in real roots). */
static const char *passwd_consequence(bool cgo)
{
	return cgo ? "user.Current fails with \"user: lookup userid 0: no such file or directory\" (for root)"
		   : "user.Current fails with \"user: Current requires cgo or $USER, $HOME set in environment\" "
		     "unless both are set; user.Lookup finds no one";
}

static void check_passwd(const struct check_input *in, const struct provides *p, const struct runtime_files *rf,
			 struct findings *out)
{
	const struct go_analysis *go = in->go;
	bool cgo = go->user_lookup == GO_MODE_CGO;
	if (cgo && p->libc != LIBC_MUSL) {
		/* Through glibc, /etc/passwd matters only if a source reading it
		 * (files, or compat) is named. */
		const struct nss_line *line = &rf->nss.db[NSS_PASSWD];
		if (!nss_lists(line, "files") && !nss_lists(line, "compat"))
			return;
	}
	if (rf->passwd) {
		findings_add(out, "passwd", SEV_OK, "/etc/passwd", NULL, "a user database for os/user");
		return;
	}
	findings_add(out, "passwd-missing", SEV_WARN, "no /etc/passwd", cgo ? passwd_fix_cgo : passwd_fix_go,
		     "no /etc/passwd: %s", passwd_consequence(cgo));
}

/* ---- profiles --------------------------------------------------------------- */

static void check_profile(const struct check_input *in, const struct profile *pr, struct findings *out)
{
	const struct go_analysis *go = in->go;
	char ev[256];
	if (go->x509) {
		if (pr->ca_bundle) {
			findings_add(out, "ca-bundle", SEV_OK, pr->ca_bundle, NULL, "CA certificates for crypto/x509 in %s",
				     pr->ca_bundle);
		} else {
			snprintf(ev, sizeof ev, "the %s base has no CA bundle", pr->name);
			findings_add(out, "ca-bundle-missing", SEV_WARN, ev, ca_fix,
				     "no CA certificates in %s: TLS connections fail with \"certificate signed by unknown authority\"",
				     pr->name);
		}
	}
	if (!go->tzdata_embedded && !pr->tzdata) {
		snprintf(ev, sizeof ev, "the %s base has no /usr/share/zoneinfo", pr->name);
		findings_add(out, "tzdata-missing", SEV_WARN, ev, tz_fix,
			     "no zone database in %s: time.LoadLocation fails with \"unknown time zone\"", pr->name);
	}
	if (go->user_lookup != GO_MODE_ABSENT && !pr->passwd) {
		snprintf(ev, sizeof ev, "the %s base has no /etc/passwd", pr->name);
		findings_add(out, "passwd-missing", SEV_WARN, ev,
			     go->user_lookup == GO_MODE_CGO ? passwd_fix_cgo : passwd_fix_go,
			     "no /etc/passwd in %s: %s", pr->name, passwd_consequence(go->user_lookup == GO_MODE_CGO));
	}
	/* Only an installed system has NSS modules beyond its base; a
	 * container base has none but files and dns. */
	if ((go->resolver == GO_MODE_CGO || go->user_lookup == GO_MODE_CGO) && pr->libc == LIBC_GLIBC &&
	    !pr->container) {
		snprintf(ev, sizeof ev, "cgo %s%s%s through glibc's NSS",
			 go->resolver == GO_MODE_CGO ? "host" : "",
			 go->resolver == GO_MODE_CGO && go->user_lookup == GO_MODE_CGO ? " and " : "",
			 go->user_lookup == GO_MODE_CGO ? "user lookups" : " lookups");
		/* Informational: an installed system normally has the modules its
		 * nsswitch.conf names, so this does not make the verdict unknown. */
		findings_add(out, "nss-unknown", SEV_OK, ev,
			     "check the machine with canrun check --target host (or a copy of its root), or rebuild "
			     "pure Go (CGO_ENABLED=0, or -tags netgo,osusergo)",
			     "the NSS modules /etc/nsswitch.conf names on a %s system cannot be known from the profile",
			     pr->name);
	}
}

void check_runtime_files(const struct check_input *in, const struct provides *p, struct findings *out)
{
	const struct go_analysis *go = in->go;
	if (!go || !go->is_go)
		return; /* other programs' run-time files are not known yet */
	if (p->kind == TARGET_PROFILE) {
		if (p->profile)
			check_profile(in, p->profile, out);
		return;
	}
	if (!p->root)
		return;
	bool nss = go->resolver == GO_MODE_CGO || go->user_lookup == GO_MODE_CGO;
	unsigned what = (go->x509 ? RF_CA : 0) | (go->tzdata_embedded ? 0 : RF_TZ) |
			(go->user_lookup != GO_MODE_ABSENT ? RF_USERS : 0) | (nss ? RF_NSS : 0);
	struct runtime_files rf;
	runtime_files_read(&rf, p, in->elf, what);
	if (go->x509)
		check_ca(in, &rf, out);
	if (!go->tzdata_embedded)
		check_tzdata(&rf, out);
	if (go->user_lookup != GO_MODE_ABSENT)
		check_passwd(in, p, &rf, out);
	if (nss)
		check_nss(in, p, &rf, out);
	runtime_files_free(&rf);
}
