/* A root's run-time files, found where programs look for them (see
 * runtime_files.h). Every file is read through the root. */
#include "target/runtime_files.h"

#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "loader/ldcache.h"
#include "model/needs.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

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

const char *const runtime_ca_files[RF_NCA_FILES] = {
	"/etc/ssl/certs/ca-certificates.crt",
	"/etc/pki/tls/certs/ca-bundle.crt",
	"/etc/ssl/ca-bundle.pem",
	"/etc/pki/tls/cacert.pem",
	"/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
	"/etc/ssl/cert.pem",
};
const char *const runtime_ca_dirs[RF_NCA_DIRS] = {
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

/* ---- zone database -------------------------------------------------------- */

const char *const runtime_tz_dirs[RF_NTZ_DIRS] = { "/usr/share/zoneinfo", "/usr/share/lib/zoneinfo",
						   "/usr/lib/locale/TZ" };
const char *const runtime_tz_zones[RF_NTZ_ZONES] = { "Europe/London", "America/New_York" };

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

/* ---- /etc/nsswitch.conf --------------------------------------------------- */

const char *const nss_db_names[NSS_NDB] = { "hosts", "passwd", "group" };


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

bool nss_lists(const struct nss_line *line, const char *source)
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
bool runtime_hosts_via_glibc(const struct runtime_files *rf)
{
	const struct nss_conf *conf = &rf->nss;
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
	return mdns && rf->mdns_allow;
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
static void find_glibc(const struct elf_file *ef, const struct provides *p, struct glibc_root *g)
{
	memset(g, 0, sizeof *g);
	const char *triplet = multiarch_triplet(ef);
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
static bool find_module(const struct elf_file *ef, struct fsroot *root, const struct glibc_root *g,
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
	bool flags = ef && ldcache_flags_for(ef->machine, ef->bits, ef->big_endian, ef->flags, &fa, &fb);
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

/* ---- reading them all -------------------------------------------------------- */

static void read_ca(struct runtime_files *rf, struct fsroot *root)
{
	rf->ca_taken = -1;
	for (size_t i = 0; i < RF_NCA_FILES; i++) {
		struct fsroot_blob blob;
		int error;
		if (fsroot_read(root, runtime_ca_files[i], &blob, &error) < 0)
			continue;
		rf->ca_files[i] = holds_certificate(&blob) ? RF_CA_CERTS : RF_CA_NO_CERT;
		fsroot_release(root, &blob);
		if (rf->ca_taken < 0)
			rf->ca_taken = (int)i;
	}
	/* Go reads the directories too; check needs them only without a file. */
	if (!(rf->what & RF_CA_DIRS) && rf->ca_taken >= 0)
		return;
	rf->ca_dirs_read = true;
	for (size_t i = 0; i < RF_NCA_DIRS; i++) {
		struct cert_dir_walk w = { root, runtime_ca_dirs[i], NULL };
		int error;
		rf->ca_dir_exists[i] = is_dir(root, runtime_ca_dirs[i]);
		if (rf->ca_dir_exists[i])
			fsroot_list_dir(root, runtime_ca_dirs[i], cert_dir_entry, &w, &error);
		rf->ca_dir_cert[i] = w.found;
	}
}

/* The zone a /etc/localtime link names: what follows "zoneinfo/". */
static void localtime_zone(struct runtime_files *rf, struct fsroot *root)
{
	int error;
	rf->localtime = is_tzif(root, "/etc/localtime");
	if (fsroot_readlink(root, "/etc/localtime", rf->localtime_link, sizeof rf->localtime_link, &error) < 0) {
		rf->localtime_link[0] = '\0';
		return;
	}
	const char *z = strstr(rf->localtime_link, "zoneinfo/");
	if (z)
		snprintf(rf->localtime_zone, sizeof rf->localtime_zone, "%s", z + strlen("zoneinfo/"));
}

static void read_tz(struct runtime_files *rf, struct fsroot *root)
{
	rf->tz_zone_dir = -1;
	for (size_t d = 0; d < RF_NTZ_DIRS; d++) {
		rf->tz_dir_exists[d] = is_dir(root, runtime_tz_dirs[d]);
		for (size_t z = 0; rf->tz_dir_exists[d] && !rf->tz_zone && z < RF_NTZ_ZONES; z++) {
			char *path = path_join(runtime_tz_dirs[d], runtime_tz_zones[z]);
			if (is_tzif(root, path)) {
				rf->tz_zone = path;
				rf->tz_zone_dir = (int)d;
			} else {
				free(path);
			}
		}
	}
	localtime_zone(rf, root);
}

static void add_source(struct runtime_files *rf, const struct provides *p, const struct elf_file *ef,
		       const struct ldcache *cache, const char *name)
{
	if (runtime_nss_source(rf, name))
		return;
	struct nss_source *s = &rf->sources[rf->nsources++];
	snprintf(s->name, sizeof s->name, "%s", name);
	if (source_builtin(&rf->glibc, name)) {
		s->available = s->builtin = true;
		snprintf(s->where, sizeof s->where, "inside libc.so.6 (glibc %s)",
			 rf->glibc.version[0] ? rf->glibc.version : "2.34 or later");
	} else {
		char soname[NSS_NAME_MAX + 16];
		snprintf(soname, sizeof soname, "libnss_%s.so.2", name);
		s->available = find_module(ef, p->root, &rf->glibc, cache, soname, s->where, sizeof s->where);
	}
}

/* Each NSS source named on the three lines, and where glibc finds it. */
static void read_nss_modules(struct runtime_files *rf, const struct provides *p, const struct elf_file *ef)
{
	if (p->libc == LIBC_MUSL)
		return; /* musl has no NSS: it reads the files itself */
	rf->mdns_allow = is_regular(p->root, "/etc/mdns.allow");
	find_glibc(ef, p, &rf->glibc);
	if (!rf->glibc.found)
		return;
	struct ldcache cache;
	struct fsroot_blob blob;
	int error;
	if (fsroot_read(p->root, "/etc/ld.so.cache", &blob, &error) == 0) {
		struct cr_err err;
		rf->ld_cache = ldcache_parse(blob.data, blob.size, &cache, &err) == 0;
		fsroot_release(p->root, &blob);
	}
	for (int d = 0; d < NSS_NDB; d++)
		for (size_t i = 0; i < rf->nss.db[d].n; i++)
			add_source(rf, p, ef, rf->ld_cache ? &cache : NULL, rf->nss.db[d].sources[i]);
	if (rf->ld_cache)
		ldcache_free(&cache);
}

void runtime_files_read(struct runtime_files *rf, const struct provides *p, const struct elf_file *ef, unsigned what)
{
	memset(rf, 0, sizeof *rf);
	rf->what = what;
	rf->ca_taken = rf->tz_zone_dir = -1;
	struct fsroot *root = p->root;
	if (!root)
		return;
	if (what & (RF_CA | RF_CA_DIRS))
		read_ca(rf, root);
	if (what & RF_TZ)
		read_tz(rf, root);
	if (what & RF_USERS) {
		rf->passwd = is_regular(root, "/etc/passwd");
		rf->group = is_regular(root, "/etc/group");
	}
	if (what & RF_NET) {
		rf->hosts = is_regular(root, "/etc/hosts");
		rf->resolv = is_regular(root, "/etc/resolv.conf");
	}
	if (what & (RF_USERS | RF_NSS))
		nss_read(root, &rf->nss);
	if (what & RF_NSS)
		read_nss_modules(rf, p, ef);
}

void runtime_files_free(struct runtime_files *rf)
{
	for (size_t i = 0; i < RF_NCA_DIRS; i++)
		free(rf->ca_dir_cert[i]);
	free(rf->tz_zone);
	memset(rf, 0, sizeof *rf);
}

const struct nss_source *runtime_nss_source(const struct runtime_files *rf, const char *name)
{
	for (size_t i = 0; i < rf->nsources; i++)
		if (strcmp(rf->sources[i].name, name) == 0)
			return &rf->sources[i];
	return NULL;
}
