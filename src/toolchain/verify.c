/* A Go release tarball checked before anyone unpacks it: its SHA-256
 * against the published one, and every member against what `tar -C
 * /usr/local -xzf` as root would do with it (write outside go/, create
 * devices, keep setuid bits). One pass: the hash is taken over the raw
 * bytes as libarchive pulls them. */
#include <archive.h>
#include <archive_entry.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "toolchain/toolchain.h"
#include "util/xalloc.h"

enum { READ_BLOCK = 64 * 1024, VERSION_MAX = 4096 };

bool tc_release_name(const char *base, char *version, size_t vlen, char *goos, size_t olen, char *goarch, size_t alen)
{
	static const char suffix[] = ".tar.gz";
	size_t n = strlen(base), sl = sizeof suffix - 1;
	if (n <= sl + 2 || strncmp(base, "go", 2) != 0 || strcmp(base + n - sl, suffix) != 0)
		return false;
	size_t stem = n - sl;
	/* "go1.22.5.linux-amd64": the platform is after the last dot. */
	const char *dot = NULL;
	for (size_t i = 0; i < stem; i++)
		if (base[i] == '.')
			dot = base + i;
	if (!dot)
		return false;
	const char *dash = memchr(dot + 1, '-', (size_t)(base + stem - dot - 1));
	size_t vl = (size_t)(dot - base), ol = dash ? (size_t)(dash - dot - 1) : 0;
	size_t al = dash ? (size_t)(base + stem - dash - 1) : 0;
	if (!dash || vl <= 2 || ol == 0 || al == 0 || vl >= vlen || ol >= olen || al >= alen)
		return false;
	memcpy(version, base, vl);
	version[vl] = '\0';
	memcpy(goos, dot + 1, ol);
	goos[ol] = '\0';
	memcpy(goarch, dash + 1, al);
	goarch[al] = '\0';
	return true;
}

void tc_host_platform(char *goos, size_t olen, char *goarch, size_t alen)
{
	static const struct { const char *uname, *go; } arch[] = {
		{ "x86_64", "amd64" }, { "aarch64", "arm64" }, { "i686", "386" }, { "i386", "386" },
		{ "armv7l", "armv6l" }, { "armv6l", "armv6l" }, { "ppc64le", "ppc64le" }, { "s390x", "s390x" },
		{ "riscv64", "riscv64" }, { "loongarch64", "loong64" },
	};
	struct utsname u;
	const char *m = uname(&u) == 0 ? u.machine : "";
	snprintf(goos, olen, "linux");
	snprintf(goarch, alen, "%s", m);
	for (size_t i = 0; i < sizeof arch / sizeof arch[0]; i++)
		if (strcmp(m, arch[i].uname) == 0)
			snprintf(goarch, alen, "%s", arch[i].go);
}

static bool is_hex64(const char *s, size_t n)
{
	if (n != 64)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return false;
	return true;
}

static void hex_lower(const char *s, char out[65])
{
	for (size_t i = 0; i < 64; i++)
		out[i] = (char)tolower((unsigned char)s[i]);
	out[64] = '\0';
}

/* The SHA-256 of FILE in one release object of go.dev's list:
 * {"version": ..., "files": [{"filename": ..., "sha256": ...}, ...]}. */
static int release_sum(const json_t *release, const char *file, char out[65], struct cr_err *err)
{
	const json_t *files = json_object_get(release, "files");
	size_t i;
	const json_t *f;
	json_array_foreach(files, i, f) {
		const char *name = json_string_value(json_object_get(f, "filename"));
		if (!name || strcmp(name, file) != 0)
			continue;
		const char *hex = json_string_value(json_object_get(f, "sha256"));
		if (!hex || !is_hex64(hex, strlen(hex)))
			return cr_fail(err, "the entry for %s has no SHA-256", file);
		hex_lower(hex, out);
		return 0;
	}
	return 1;
}

/* go.dev's JSON list of releases (https://go.dev/dl/?mode=json), or one
 * release object. */
static int sums_json(const char *data, size_t len, const char *file, char out[65], struct cr_err *err)
{
	json_error_t jerr;
	json_t *doc = json_loadb(data, len, 0, &jerr);
	if (!doc)
		return cr_fail(err, "not a JSON list of releases: %s", jerr.text);
	int rc = 1;
	if (json_is_array(doc)) {
		size_t i;
		json_t *release;
		json_array_foreach(doc, i, release) {
			if ((rc = release_sum(release, file, out, err)) <= 0)
				break;
		}
	} else {
		rc = release_sum(doc, file, out, err);
	}
	json_decref(doc);
	return rc > 0 ? cr_fail(err, "no entry for %s", file) : rc;
}

int tc_sums_lookup(const char *data, size_t len, const char *file, char out[65], struct cr_err *err)
{
	size_t i = 0;
	while (i < len && isspace((unsigned char)data[i]))
		i++;
	if (i < len && (data[i] == '[' || data[i] == '{'))
		return sums_json(data, len, file, out, err);
	size_t fl = strlen(file);
	size_t lines = 0;
	const char *bare = NULL;
	for (size_t at = 0; at < len;) {
		const char *line = data + at;
		const char *nl = memchr(line, '\n', len - at);
		size_t n = nl ? (size_t)(nl - line) : len - at;
		at += n + 1;
		if (n && line[n - 1] == '\r')
			n--;
		if (n == 0)
			continue;
		lines++;
		/* BSD: "SHA256 (name) = hex" */
		if (n > 10 && memcmp(line, "SHA256 (", 8) == 0) {
			if (n >= 8 + fl + 4 + 64 && memcmp(line + 8, file, fl) == 0 &&
			    memcmp(line + 8 + fl, ") = ", 4) == 0 && is_hex64(line + 8 + fl + 4, n - 8 - fl - 4)) {
				hex_lower(line + 8 + fl + 4, out);
				return 0;
			}
			continue;
		}
		if (n < 64 || !is_hex64(line, 64))
			continue;
		if (n == 64) {
			bare = line; /* a .sha256 sidecar: the hex alone */
			continue;
		}
		/* "<hex> <' ' or '*'><name>", also with a single space. */
		size_t k = 64;
		if (line[k] != ' ')
			continue;
		k++;
		if (k < n && (line[k] == ' ' || line[k] == '*'))
			k++;
		if (n - k == fl && memcmp(line + k, file, fl) == 0) {
			hex_lower(line, out);
			return 0;
		}
	}
	if (bare && lines == 1) {
		hex_lower(bare, out);
		return 0;
	}
	return cr_fail(err, "no entry for %s", file);
}

struct hashed_reader {
	int fd;
	EVP_MD_CTX *md;
	unsigned char buf[READ_BLOCK];
	int error; /* errno of a failed read */
};

static la_ssize_t hashed_read(struct archive *a, void *ctx, const void **out)
{
	(void)a;
	struct hashed_reader *r = ctx;
	ssize_t n;
	do
		n = read(r->fd, r->buf, sizeof r->buf);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		r->error = errno;
		return -1;
	}
	EVP_DigestUpdate(r->md, r->buf, (size_t)n);
	*out = r->buf;
	return n;
}

/* Lexically: does the path stay inside go/? p is relative to the archive
 * root; ".." that climbs above go/ leaves. */
static bool stays_in_go(const char *p)
{
	int depth = 0;
	bool first = true;
	while (*p) {
		const char *e = strchr(p, '/');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		if (n == 0 || (n == 1 && p[0] == '.')) {
			/* nothing */
		} else if (n == 2 && p[0] == '.' && p[1] == '.') {
			if (--depth < 1)
				return false;
		} else {
			if (first && !(n == 2 && memcmp(p, "go", 2) == 0))
				return false;
			first = false;
			depth++;
		}
		p += n + (e ? 1 : 0);
	}
	return depth >= 1;
}

static bool has_dotdot(const char *p)
{
	for (const char *s = p; (s = strstr(s, "..")) != NULL; s += 2)
		if ((s == p || s[-1] == '/') && (s[2] == '\0' || s[2] == '/'))
			return true;
	return false;
}

/* A link target seen from member NAME: joined to its directory. */
static bool link_stays(const char *name, const char *target)
{
	if (target[0] == '/')
		return false;
	const char *slash = strrchr(name, '/');
	size_t dl = slash ? (size_t)(slash - name) : 0;
	size_t n = dl + 1 + strlen(target) + 1;
	char *joined = xmalloc(n);
	snprintf(joined, n, "%.*s/%s", (int)dl, name, target);
	bool ok = stays_in_go(joined);
	free(joined);
	return ok;
}

static void check_member(struct archive_entry *e, struct findings *f)
{
	const char *name = archive_entry_pathname(e);
	if (!name)
		name = "";
	mode_t type = archive_entry_filetype(e);
	mode_t mode = archive_entry_perm(e) | (archive_entry_mode(e) & 07000);
	if (name[0] == '/')
		findings_add(f, "tarball-absolute-path", SEV_FAIL, name, "use the release from https://go.dev/dl/",
			     "member %s has an absolute path: tar would write outside the directory it unpacks into", name);
	else if (has_dotdot(name))
		findings_add(f, "tarball-path-traversal", SEV_FAIL, name, "use the release from https://go.dev/dl/",
			     "member %s climbs with '..': it could write outside go/", name);
	else if (!stays_in_go(name))
		findings_add(f, "tarball-outside-go", SEV_FAIL, name, "use the release from https://go.dev/dl/",
			     "member %s is not under go/: a release has every file under go/", name);
	const char *sym = archive_entry_symlink(e);
	if (type == AE_IFLNK && sym && !link_stays(name, sym))
		findings_add(f, "tarball-link-escapes", SEV_FAIL, NULL, "use the release from https://go.dev/dl/",
			     "symbolic link %s -> %s points outside go/", name, sym);
	const char *hard = archive_entry_hardlink(e);
	if (hard && (hard[0] == '/' || has_dotdot(hard) || !stays_in_go(hard)))
		findings_add(f, "tarball-link-escapes", SEV_FAIL, NULL, "use the release from https://go.dev/dl/",
			     "hard link %s -> %s points outside go/", name, hard);
	if (type == AE_IFCHR || type == AE_IFBLK || type == AE_IFIFO || type == AE_IFSOCK)
		findings_add(f, "tarball-special-file", SEV_FAIL, NULL, "use the release from https://go.dev/dl/",
			     "member %s is a %s: a release has only files, directories and links", name,
			     type == AE_IFCHR ? "character device" : type == AE_IFBLK ? "block device" :
			     type == AE_IFIFO ? "FIFO" : "socket");
	if ((mode & 06000) && type != AE_IFDIR)
		findings_add(f, "tarball-setuid", SEV_FAIL, NULL, "use the release from https://go.dev/dl/",
			     "member %s is %s (mode %04o): tar as root keeps the bit", name,
			     (mode & 04000) ? "setuid" : "setgid", (unsigned)(mode & 07777));
}

/* The first line of go/VERSION, read from the entry's data. */
static void read_version(struct archive *a, char *out, size_t len)
{
	char buf[VERSION_MAX];
	size_t have = 0;
	la_ssize_t n;
	while (have < sizeof buf && (n = archive_read_data(a, buf + have, sizeof buf - have)) > 0)
		have += (size_t)n;
	size_t l = 0;
	while (l < have && buf[l] != '\n' && buf[l] != '\r')
		l++;
	if (l >= len)
		l = len - 1;
	memcpy(out, buf, l);
	out[l] = '\0';
}

int tc_verify(const char *tarball, const char *expected, struct tc_verify *v, struct cr_err *err)
{
	memset(v, 0, sizeof *v);
	const char *base = strrchr(tarball, '/');
	base = base ? base + 1 : tarball;
	tc_host_platform(v->host_goos, sizeof v->host_goos, v->host_goarch, sizeof v->host_goarch);
	if (expected)
		hex_lower(expected, v->expected);
	struct hashed_reader *r = xcalloc(1, sizeof *r);
	r->fd = open(tarball, O_RDONLY | O_CLOEXEC);
	if (r->fd < 0) {
		free(r);
		return cr_fail(err, "%s", strerror(errno));
	}
	r->md = EVP_MD_CTX_new();
	if (!r->md || EVP_DigestInit_ex(r->md, EVP_sha256(), NULL) != 1) {
		EVP_MD_CTX_free(r->md);
		close(r->fd);
		free(r);
		return cr_fail(err, "SHA-256 is not available");
	}
	struct archive *a = archive_read_new();
	archive_read_support_filter_gzip(a);
	archive_read_support_format_tar(a);
	int rc = 0;
	bool seen_version = false;
	if (archive_read_open(a, r, NULL, hashed_read, NULL) != ARCHIVE_OK) {
		rc = cr_fail(err, "%s", r->error ? strerror(r->error) : archive_error_string(a));
	} else {
		struct archive_entry *e;
		int st;
		while ((st = archive_read_next_header(a, &e)) == ARCHIVE_OK || st == ARCHIVE_WARN) {
			v->members++;
			check_member(e, &v->findings);
			const char *name = archive_entry_pathname(e);
			if (name && (strcmp(name, "go/VERSION") == 0 || strcmp(name, "./go/VERSION") == 0) &&
			    archive_entry_filetype(e) == AE_IFREG) {
				read_version(a, v->version, sizeof v->version);
				seen_version = true;
			}
			/* Reading the data to its end is what finds a truncated member. */
			if (archive_read_data_skip(a) != ARCHIVE_OK) {
				st = ARCHIVE_FATAL;
				break;
			}
		}
		if (st != ARCHIVE_EOF)
			rc = cr_fail(err, "%s", r->error ? strerror(r->error) : archive_error_string(a) ?
				     archive_error_string(a) : "cannot read the archive");
	}
	archive_read_free(a);
	/* The bytes after the end of the archive are part of the file's hash. */
	if (rc == 0) {
		ssize_t n;
		while ((n = read(r->fd, r->buf, sizeof r->buf)) > 0)
			EVP_DigestUpdate(r->md, r->buf, (size_t)n);
		if (n < 0)
			rc = cr_fail(err, "%s", strerror(errno));
	}
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;
	EVP_DigestFinal_ex(r->md, md, &mdlen);
	for (unsigned i = 0; i < mdlen && i < 32; i++)
		snprintf(v->sha256 + 2 * i, 3, "%02x", md[i]);
	EVP_MD_CTX_free(r->md);
	close(r->fd);
	free(r);
	if (rc < 0)
		return rc;

	if (!expected)
		findings_add(&v->findings, "tarball-not-verified", SEV_WARN, v->sha256,
			     "compare with the sha256 on https://go.dev/dl/: --sha256 HEX or --sums FILE",
			     "no checksum was given: the contents were checked, the origin was not");
	else if (strcmp(v->sha256, v->expected) != 0)
		findings_add(&v->findings, "tarball-hash-mismatch", SEV_FAIL, NULL,
			     "download it again from https://go.dev/dl/ and compare again",
			     "SHA-256 %s does not match the expected %s", v->sha256, v->expected);
	bool named = tc_release_name(base, v->name_version, sizeof v->name_version, v->name_goos, sizeof v->name_goos,
				     v->name_goarch, sizeof v->name_goarch);
	if (!named)
		findings_add(&v->findings, "tarball-name", SEV_FAIL, base, "keep the name it was published under",
			     "%s is not named as a Go release (goVERSION.GOOS-GOARCH.tar.gz)", base);
	if (!seen_version)
		findings_add(&v->findings, "tarball-no-version", SEV_FAIL, NULL, "use the release from https://go.dev/dl/",
			     "the archive has no go/VERSION: not a Go release");
	else if (named && strcmp(v->version, v->name_version) != 0)
		findings_add(&v->findings, "tarball-version-mismatch", SEV_FAIL, v->version,
			     "use the release from https://go.dev/dl/",
			     "go/VERSION says %s but the file name says %s", v->version, v->name_version);
	if (named && (strcmp(v->name_goos, v->host_goos) != 0 || strcmp(v->name_goarch, v->host_goarch) != 0)) {
		char fix[160];
		snprintf(fix, sizeof fix, "download %s.%s-%s.tar.gz", v->name_version, v->host_goos, v->host_goarch);
		findings_add(&v->findings, "tarball-wrong-platform", SEV_FAIL, NULL, fix,
			     "it is for %s/%s; this machine is %s/%s", v->name_goos, v->name_goarch, v->host_goos,
			     v->host_goarch);
	}
	return 0;
}

void tc_verify_free(struct tc_verify *v)
{
	findings_free(&v->findings);
}
