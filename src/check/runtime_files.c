/* Files a Go program reads at run time, looked up where Go (or glibc, for
 * cgo lookups) looks for them inside the target's root: the CA bundle, the
 * zone database, /etc/passwd, /etc/nsswitch.conf and the NSS modules glibc
 * would dlopen. A missing file does not stop the program from starting, so
 * every problem is a warning. /etc/hosts and /etc/resolv.conf are not
 * checked: container runtimes provide them when they start a container. */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "check/checks.h"
#include "loader/ldcache.h"
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

static bool is_regular(struct fsroot *root, const char *path)
{
	struct fsroot_stat st;
	int error;
	return fsroot_stat(root, path, &st, &error) == 0 && S_ISREG(st.mode);
}

static bool is_dir(struct fsroot *root, const char *path)
{
	struct fsroot_stat st;
	int error;
	return fsroot_stat(root, path, &st, &error) == 0 && S_ISDIR(st.mode);
}

/* ---- CA certificates ------------------------------------------------------ */

/* crypto/x509's lists for Linux, in its order (root_linux.go): the first
 * readable file wins; every directory is read. */
static const char *const ca_files[] = {
	"/etc/ssl/certs/ca-certificates.crt",
	"/etc/pki/tls/certs/ca-bundle.crt",
	"/etc/ssl/ca-bundle.pem",
	"/etc/pki/tls/cacert.pem",
	"/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
	"/etc/ssl/cert.pem",
};
static const char *const ca_dirs[] = {
	"/etc/ssl/certs",
	"/etc/pki/tls/certs",
	"/system/etc/security/cacerts",
	"/data/misc/keychain/certs-added", /* Go 1.22+ */
};

static bool holds_certificate(const struct fsroot_blob *blob)
{
	static const char pem[] = "-----BEGIN CERTIFICATE-----";
	return blob->size && memmem(blob->data, blob->size, pem, sizeof pem - 1) != NULL;
}

struct cert_dir_walk {
	struct fsroot *root;
	const char *dir;
	char *found; /* the first file with a certificate */
};

static int cert_dir_entry(const char *name, void *ctx)
{
	struct cert_dir_walk *w = ctx;
	char *path = path_join(w->dir, name);
	char target[4096];
	int error;
	/* Go skips links to a name in the same directory (the hash links
	 * c_rehash makes), since it reads their targets anyway. */
	if (fsroot_readlink(w->root, path, target, sizeof target, &error) == 0 && !strchr(target, '/')) {
		free(path);
		return 0;
	}
	struct fsroot_blob blob;
	if (fsroot_read(w->root, path, &blob, &error) == 0) {
		bool certs = holds_certificate(&blob);
		fsroot_release(w->root, &blob);
		if (certs) {
			w->found = path;
			return 1;
		}
	}
	free(path);
	return 0;
}

static bool go_before_1_22(const struct check_input *in)
{
	const char *v = in->needs ? in->needs->go.version : NULL;
	return v && strncmp(v, "go1.", 4) == 0 && version_compare(v + 2, "1.22") < 0;
}

static void check_ca(const struct check_input *in, struct fsroot *root, struct findings *out)
{
	struct strbuf looked = { 0 };
	char *found = NULL;
	const char *empty_bundle = NULL;
	sb_appendf(&looked, "files:");
	for (size_t i = 0; i < sizeof ca_files / sizeof ca_files[0] && !found && !empty_bundle; i++) {
		struct fsroot_blob blob;
		int error;
		sb_appendf(&looked, "%s %s", i ? "," : "", ca_files[i]);
		if (fsroot_read(root, ca_files[i], &blob, &error) < 0)
			continue;
		/* The first readable file ends the search even when it holds
		 * nothing usable. */
		if (holds_certificate(&blob))
			found = xstrdup(ca_files[i]);
		else
			empty_bundle = ca_files[i];
		fsroot_release(root, &blob);
	}
	sb_appendf(&looked, "; directories:");
	size_t ndirs = sizeof ca_dirs / sizeof ca_dirs[0] - (go_before_1_22(in) ? 1 : 0);
	for (size_t i = 0; i < ndirs && !found; i++) {
		struct cert_dir_walk w = { root, ca_dirs[i], NULL };
		int error;
		sb_appendf(&looked, "%s %s/", i ? "," : "", ca_dirs[i]);
		fsroot_list_dir(root, ca_dirs[i], cert_dir_entry, &w, &error);
		found = w.found;
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
	free(found);
	free(evidence);
}

/* ---- zone database -------------------------------------------------------- */

/* time.LoadLocation's directories, in its order (zoneinfo_unix.go). */
static const char *const tz_dirs[] = { "/usr/share/zoneinfo", "/usr/share/lib/zoneinfo", "/usr/lib/locale/TZ" };
/* A directory with only UTC in it (some slim images) still fails for the
 * zones programs ask for, so regional zones stand for the database. */
static const char *const tz_zones[] = { "Europe/London", "America/New_York" };

static bool is_tzif(struct fsroot *root, const char *path)
{
	struct fsroot_blob blob;
	int error;
	if (fsroot_read(root, path, &blob, &error) < 0)
		return false;
	bool ok = blob.size >= 4 && memcmp(blob.data, "TZif", 4) == 0;
	fsroot_release(root, &blob);
	return ok;
}

static void check_tzdata(struct fsroot *root, struct findings *out)
{
	const char *some_dir = NULL;
	for (size_t d = 0; d < sizeof tz_dirs / sizeof tz_dirs[0]; d++) {
		if (!is_dir(root, tz_dirs[d]))
			continue;
		if (!some_dir)
			some_dir = tz_dirs[d];
		for (size_t z = 0; z < sizeof tz_zones / sizeof tz_zones[0]; z++) {
			char *path = path_join(tz_dirs[d], tz_zones[z]);
			bool ok = is_tzif(root, path);
			if (ok)
				findings_add(out, "tzdata", SEV_OK, path, NULL, "zone database for time.LoadLocation in %s",
					     tz_dirs[d]);
			free(path);
			if (ok)
				return;
		}
	}
	char evidence[512];
	snprintf(evidence, sizeof evidence, "no %s or %s in %s, %s, %s", tz_zones[0], tz_zones[1], tz_dirs[0],
		 tz_dirs[1], tz_dirs[2]);
	if (some_dir)
		findings_add(out, "tzdata-missing", SEV_WARN, evidence, tz_fix,
			     "%s has no regional zones: time.LoadLocation fails with \"unknown time zone\"", some_dir);
	else
		findings_add(out, "tzdata-missing", SEV_WARN, evidence, tz_fix,
			     "no zone database: time.LoadLocation fails with \"unknown time zone\" for every zone but UTC");
}

/* ---- /etc/nsswitch.conf --------------------------------------------------- */

enum nss_db { NSS_HOSTS, NSS_PASSWD, NSS_GROUP, NSS_NDB };
static const char *const nss_db_names[NSS_NDB] = { "hosts", "passwd", "group" };
enum { NSS_MAX_SOURCES = 16, NSS_NAME_MAX = 48 };

struct nss_line {
	char sources[NSS_MAX_SOURCES][NSS_NAME_MAX];
	size_t n;
	bool listed;       /* the file has the line (else glibc's default) */
	bool odd_criteria; /* files or dns with a [STATUS=action] Go does not take as default */
};

struct nss_conf {
	bool present;
	struct nss_line db[NSS_NDB];
};

/* Go treats [STATUS=action] after files or dns as harmless only when it is
 * the default action (net/nss.go standardCriteria): success=return,
 * notfound/unavail/tryagain=continue, or =return as the last one. */
static bool standard_criteria(const char *s, const char *end)
{
	while (s < end) {
		while (s < end && (*s == ' ' || *s == '\t'))
			s++;
		if (s == end)
			break;
		const char *w = s;
		while (s < end && *s != ' ' && *s != '\t')
			s++;
		const char *eq = memchr(w, '=', (size_t)(s - w));
		if (*w == '!' || !eq)
			return false;
		const char *rest = s;
		while (rest < end && (*rest == ' ' || *rest == '\t'))
			rest++;
		bool last = rest == end;
		size_t slen = (size_t)(eq - w), alen = (size_t)(s - eq - 1);
		const char *def = NULL;
		if (slen == 7 && strncasecmp(w, "success", 7) == 0)
			def = "return";
		else if ((slen == 8 && strncasecmp(w, "notfound", 8) == 0) ||
			 (slen == 7 && strncasecmp(w, "unavail", 7) == 0) ||
			 (slen == 8 && strncasecmp(w, "tryagain", 8) == 0))
			def = "continue";
		if (!def)
			return false;
		bool is_def = alen == strlen(def) && strncasecmp(eq + 1, def, alen) == 0;
		bool last_return = last && alen == 6 && strncasecmp(eq + 1, "return", 6) == 0;
		if (!is_def && !last_return)
			return false;
	}
	return true;
}

/* glibc's parser (nss/nss_database.c process_line, nss_action_parse):
 * "db: service [STATUS=action] service ...", '#' to the end of a line is a
 * comment, a later line for the same database replaces an earlier one. */
static void nss_parse_line(struct nss_conf *conf, const char *s, size_t len)
{
	const char *end = s + len, *hash = memchr(s, '#', len);
	if (hash)
		end = hash;
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	const char *name = s;
	while (s < end && *s != ':' && *s != ' ' && *s != '\t')
		s++;
	size_t name_len = (size_t)(s - name);
	while (s < end && (*s == ' ' || *s == '\t' || *s == ':'))
		s++;
	for (int d = 0; d < NSS_NDB; d++) {
		if (name_len != strlen(nss_db_names[d]) || strncmp(name, nss_db_names[d], name_len) != 0)
			continue;
		struct nss_line *line = &conf->db[d];
		memset(line, 0, sizeof *line);
		line->listed = true;
		bool after_builtin = false; /* the last source was files or dns */
		while (s < end) {
			if (*s == ' ' || *s == '\t' || *s == '\r') {
				s++;
			} else if (*s == '[') {
				const char *open = ++s;
				while (s < end && *s != ']')
					s++;
				if (after_builtin && !standard_criteria(open, s))
					line->odd_criteria = true;
				s += s < end;
			} else {
				const char *w = s;
				while (s < end && *s != ' ' && *s != '\t' && *s != '[' && *s != '\r')
					s++;
				size_t n = (size_t)(s - w);
				after_builtin = (n == 5 && strncmp(w, "files", 5) == 0) ||
						(n == 3 && strncmp(w, "dns", 3) == 0);
				if (line->n < NSS_MAX_SOURCES && n < NSS_NAME_MAX) {
					memcpy(line->sources[line->n], w, n);
					line->sources[line->n++][n] = '\0';
				}
			}
		}
	}
}

static void nss_default(struct nss_line *line, enum nss_db d)
{
	/* glibc 2.33+ without the obsolete NIS support (nss_database.c):
	 * hosts "dns [!UNAVAIL=return] files", passwd and group "files". */
	memset(line, 0, sizeof *line);
	if (d == NSS_HOSTS)
		strcpy(line->sources[line->n++], "dns");
	strcpy(line->sources[line->n++], "files");
}

static void nss_read(struct fsroot *root, struct nss_conf *conf)
{
	memset(conf, 0, sizeof *conf);
	struct fsroot_blob blob;
	int error;
	if (fsroot_read(root, "/etc/nsswitch.conf", &blob, &error) == 0) {
		conf->present = true;
		const char *s = (const char *)blob.data, *end = s + blob.size;
		while (s < end) {
			const char *nl = memchr(s, '\n', (size_t)(end - s));
			size_t len = nl ? (size_t)(nl - s) : (size_t)(end - s);
			nss_parse_line(conf, s, len);
			s += len + (nl != NULL);
		}
		fsroot_release(root, &blob);
	}
	for (int d = 0; d < NSS_NDB; d++)
		if (!conf->db[d].listed)
			nss_default(&conf->db[d], (enum nss_db)d);
}

static bool nss_lists(const struct nss_line *line, const char *source)
{
	for (size_t i = 0; i < line->n; i++)
		if (strcmp(line->sources[i], source) == 0)
			return true;
	return false;
}

/* Whether Go's own resolver hands host lookups to getaddrinfo, and so to
 * glibc's NSS (net/conf.go hostLookupOrder): a missing file or hosts line
 * means Go resolves itself; any source but files, dns and mdns*, criteria
 * on files or dns, or mdns with /etc/mdns.allow make it ask libc. */
static bool hosts_via_glibc(struct fsroot *root, const struct nss_conf *conf)
{
	const struct nss_line *line = &conf->db[NSS_HOSTS];
	if (!conf->present || !line->listed || line->n == 0)
		return false;
	if (line->odd_criteria)
		return true;
	bool mdns = false;
	for (size_t i = 0; i < line->n; i++) {
		const char *s = line->sources[i];
		if (strncmp(s, "mdns", 4) == 0)
			mdns = true;
		else if (strcmp(s, "files") != 0 && strcmp(s, "dns") != 0)
			return true;
	}
	return mdns && is_regular(root, "/etc/mdns.allow");
}

/* ---- the root's glibc and its library directories ------------------------- */

/* Debian's multiarch directory for the program's machine (the unit tests
 * pass no ELF file: x86-64). */
static const char *multiarch_triplet(const struct elf_file *ef)
{
	if (!ef)
		return "x86_64-linux-gnu";
	switch (ef->machine) {
	case EM_X86_64: return ef->bits == 64 ? "x86_64-linux-gnu" : "x86_64-linux-gnux32";
	case EM_386: return "i386-linux-gnu";
	case EM_AARCH64: return ef->big_endian ? "aarch64_be-linux-gnu" : "aarch64-linux-gnu";
	case EM_ARM: return "arm-linux-gnueabihf";
	case EM_PPC64: return ef->big_endian ? "powerpc64-linux-gnu" : "powerpc64le-linux-gnu";
	case EM_S390: return "s390x-linux-gnu";
	case EM_RISCV: return "riscv64-linux-gnu";
	default: return NULL;
	}
}

enum { MAX_LIB_DIRS = 6, LIB_DIR_MAX = 256 };

struct glibc_root {
	char dirs[MAX_LIB_DIRS][LIB_DIR_MAX]; /* canonical, libc's first */
	size_t ndirs;
	bool found;
	bool builtin_files_dns; /* glibc 2.34+: files and dns live in libc.so.6 */
	char version[32];
};

static bool read_glibc_version(struct fsroot *root, const char *libc, char *out, size_t len, bool *builtin)
{
	struct fsroot_blob blob;
	int error;
	if (fsroot_read(root, libc, &blob, &error) < 0)
		return false;
	static const char banner[] = "release version ";
	const unsigned char *hit = blob.size ? memmem(blob.data, blob.size, banner, sizeof banner - 1) : NULL;
	size_t n = 0;
	if (hit) {
		const char *v = (const char *)hit + sizeof banner - 1;
		while ((const unsigned char *)v + n < blob.data + blob.size && n + 1 < len &&
		       ((v[n] >= '0' && v[n] <= '9') || v[n] == '.'))
			n++;
		while (n && v[n - 1] == '.')
			n--;
		memcpy(out, v, n);
	}
	out[n] = '\0';
	/* Without a version, the exported symbol itself tells. */
	static const char sym[] = "_nss_files_getpwuid_r";
	*builtin = blob.size && memmem(blob.data, blob.size, sym, sizeof sym - 1) != NULL;
	fsroot_release(root, &blob);
	return true;
}

/* Finds libc.so.6 in the directories glibc's loader searches by default
 * and lists them, libc's own first, for the NSS modules beside it. */
static void find_glibc(const struct check_input *in, const struct provides *p, struct glibc_root *g)
{
	memset(g, 0, sizeof *g);
	const char *triplet = multiarch_triplet(in->elf);
	char cand[MAX_LIB_DIRS][LIB_DIR_MAX];
	size_t ncand = 0;
	if (triplet) {
		snprintf(cand[ncand++], LIB_DIR_MAX, "/lib/%s", triplet);
		snprintf(cand[ncand++], LIB_DIR_MAX, "/usr/lib/%s", triplet);
	}
	static const char *const plain[] = { "/lib64", "/usr/lib64", "/lib", "/usr/lib" };
	for (size_t i = 0; i < 4; i++)
		snprintf(cand[ncand++], LIB_DIR_MAX, "%s", plain[i]);

	size_t libc_at = 0;
	for (size_t i = 0; i < ncand; i++) {
		char real[LIB_DIR_MAX];
		int error;
		if (fsroot_realpath(p->root, cand[i], real, sizeof real, &error) < 0 || !is_dir(p->root, real))
			continue;
		bool dup = false;
		for (size_t j = 0; j < g->ndirs && !dup; j++)
			dup = strcmp(g->dirs[j], real) == 0;
		if (dup)
			continue;
		memcpy(g->dirs[g->ndirs], real, sizeof real);
		char *libc = path_join(real, "libc.so.6");
		if (!g->found && is_regular(p->root, libc)) {
			g->found = true;
			libc_at = g->ndirs;
			bool builtin = false;
			read_glibc_version(p->root, libc, g->version, sizeof g->version, &builtin);
			if (p->libc == LIBC_GLIBC && p->libc_version[0])
				snprintf(g->version, sizeof g->version, "%s", p->libc_version);
			g->builtin_files_dns = g->version[0] ? version_compare(g->version, "2.34") >= 0 : builtin;
		}
		free(libc);
		g->ndirs++;
	}
	if (g->found && libc_at > 0) {
		char tmp[LIB_DIR_MAX];
		memcpy(tmp, g->dirs[libc_at], LIB_DIR_MAX);
		memmove(g->dirs[1], g->dirs[0], libc_at * LIB_DIR_MAX);
		memcpy(g->dirs[0], tmp, LIB_DIR_MAX);
	}
}

/* dlopen("libnss_X.so.2") finds it in ld.so.cache or the default
 * directories; the path is written to out. */
static bool find_module(const struct check_input *in, struct fsroot *root, const struct glibc_root *g,
			const struct ldcache *cache, const char *soname, char *out, size_t outlen)
{
	for (size_t i = 0; i < g->ndirs; i++) {
		char *path = path_join(g->dirs[i], soname);
		bool ok = is_regular(root, path);
		if (ok)
			snprintf(out, outlen, "%s", path);
		free(path);
		if (ok)
			return true;
	}
	if (!cache)
		return false;
	int32_t fa = 0, fb = 0;
	bool flags = in->elf && ldcache_flags_for(in->elf->machine, in->elf->bits, in->elf->big_endian,
						     in->elf->flags, &fa, &fb);
	for (size_t i = 0; i < cache->nentries; i++) {
		const struct ldcache_entry *e = &cache->entries[i];
		if (strcmp(e->name, soname) != 0 || (flags && e->flags != fa && e->flags != fb))
			continue;
		if (is_regular(root, e->path)) {
			snprintf(out, outlen, "%s", e->path);
			return true;
		}
	}
	return false;
}

static bool source_builtin(const struct glibc_root *g, const char *source)
{
	return g->builtin_files_dns && (strcmp(source, "files") == 0 || strcmp(source, "dns") == 0);
}

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

struct nss_source {
	const char *name;
	bool available;
	char where[LIB_DIR_MAX + 64]; /* the module's path, or what says it is built in */
};

static void report_missing(const struct nss_conf *conf, const bool use[NSS_NDB], const struct glibc_root *g,
			   bool have_cache, const struct nss_source *srcs, size_t nsrcs, const struct nss_source *miss,
			   struct findings *out)
{
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
			for (size_t k = 0; k < nsrcs; k++)
				left |= strcmp(srcs[k].name, other) == 0 && srcs[k].available;
		}
		sb_appendf(&ev, ";");
		some_fail |= !left;
		sb_appendf(&msg, "%s%s %s", msg.len ? "; " : "", lookups_of((enum nss_db)d),
			   left ? "use only the other sources" : "fail");
	}
	sb_appendf(&ev, " no %s in", soname);
	for (size_t j = 0; j < g->ndirs; j++)
		sb_appendf(&ev, "%s %s", j ? "," : "", g->dirs[j]);
	sb_appendf(&ev, "%s", have_cache ? " or /etc/ld.so.cache" : "");
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

static void check_nss(const struct check_input *in, const struct provides *p, struct findings *out)
{
	const struct go_analysis *go = in->go;
	if (p->libc == LIBC_MUSL)
		return; /* musl has no NSS: it reads the files itself */
	struct glibc_root g;
	find_glibc(in, p, &g);
	if (!g.found)
		return; /* no glibc: the loader check says the program cannot start */
	struct nss_conf conf;
	nss_read(p->root, &conf);
	const bool use[NSS_NDB] = {
		go->resolver == GO_MODE_CGO && hosts_via_glibc(p->root, &conf),
		go->user_lookup == GO_MODE_CGO,
		go->user_lookup == GO_MODE_CGO,
	};
	if (!conf.present)
		findings_add(out, "nsswitch-default", SEV_OK, "no /etc/nsswitch.conf", NULL,
			     "glibc uses its defaults: passwd and group from files; Go resolves host names itself");

	struct ldcache cache;
	bool have_cache = false;
	struct fsroot_blob blob;
	int error;
	if (fsroot_read(p->root, "/etc/ld.so.cache", &blob, &error) == 0) {
		struct cr_err err;
		have_cache = ldcache_parse(blob.data, blob.size, &cache, &err) == 0;
		fsroot_release(p->root, &blob);
	}

	/* Each distinct source once, whichever lines name it. */
	struct nss_source srcs[NSS_NDB * NSS_MAX_SOURCES];
	size_t nsrcs = 0;
	for (int d = 0; d < NSS_NDB; d++) {
		for (size_t i = 0; use[d] && i < conf.db[d].n; i++) {
			const char *name = conf.db[d].sources[i];
			bool seen = false;
			for (size_t k = 0; k < nsrcs && !seen; k++)
				seen = strcmp(srcs[k].name, name) == 0;
			if (seen)
				continue;
			struct nss_source *s = &srcs[nsrcs++];
			s->name = name;
			if (source_builtin(&g, name)) {
				s->available = true;
				snprintf(s->where, sizeof s->where, "inside libc.so.6 (glibc %s)",
					 g.version[0] ? g.version : "2.34 or later");
			} else {
				char soname[NSS_NAME_MAX + 16];
				snprintf(soname, sizeof soname, "libnss_%s.so.2", name);
				s->available = find_module(in, p->root, &g, have_cache ? &cache : NULL, soname,
							   s->where, sizeof s->where);
			}
		}
	}
	bool any_missing = false;
	struct strbuf ok_ev = { 0 };
	for (size_t k = 0; k < nsrcs; k++) {
		if (srcs[k].available) {
			sb_appendf(&ok_ev, "%s%s: %s", ok_ev.len ? "; " : "", srcs[k].name, srcs[k].where);
		} else {
			any_missing = true;
			report_missing(&conf, use, &g, have_cache, srcs, nsrcs, &srcs[k], out);
		}
	}
	char *ok_evidence = sb_take(&ok_ev);
	if (ok_evidence && !any_missing)
		findings_add(out, "nss-modules", SEV_OK, ok_evidence, NULL,
			     "every NSS source glibc would use for these lookups is there");
	free(ok_evidence);
	if (have_cache)
		ldcache_free(&cache);
}

/* ---- /etc/passwd ----------------------------------------------------------- */

/* The errors os/user gives without the file (Go 1.19, seen in real roots). */
static const char *passwd_consequence(bool cgo)
{
	return cgo ? "user.Current fails with \"user: lookup userid 0: no such file or directory\" (for root)"
		   : "user.Current fails with \"user: Current requires cgo or $USER, $HOME set in environment\" "
		     "unless both are set; user.Lookup finds no one";
}

static void check_passwd(const struct check_input *in, const struct provides *p, struct findings *out)
{
	const struct go_analysis *go = in->go;
	bool cgo = go->user_lookup == GO_MODE_CGO;
	if (cgo && p->libc != LIBC_MUSL) {
		/* Through glibc, /etc/passwd matters only if a source reading it
		 * (files, or compat) is named. */
		struct nss_conf conf;
		nss_read(p->root, &conf);
		const struct nss_line *line = &conf.db[NSS_PASSWD];
		if (!nss_lists(line, "files") && !nss_lists(line, "compat"))
			return;
	}
	if (is_regular(p->root, "/etc/passwd")) {
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
	if (go->x509)
		check_ca(in, p->root, out);
	if (!go->tzdata_embedded)
		check_tzdata(p->root, out);
	if (go->user_lookup != GO_MODE_ABSENT)
		check_passwd(in, p, out);
	if (go->resolver == GO_MODE_CGO || go->user_lookup == GO_MODE_CGO)
		check_nss(in, p, out);
}
