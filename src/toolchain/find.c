/* Every Go toolchain a user could run: each `go` on PATH in order (the
 * first one runs, the others are shadowed), then the places installers
 * put them. Version, GOOS/GOARCH and origin come from files and from
 * bin/go's build info; bin/go is checked against this host as `check
 * --target host` does, never run. */
#include <dirent.h>
#include <errno.h>
#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check/checks.h"
#include "go/analysis.h"
#include "go/buildinfo.h"
#include "go/modinfo.h"
#include "loader/libcache.h"
#include "target/provides_load.h"
#include "toolchain/toolchain.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

enum { AUDIT_ENTRIES = 200000, AUDIT_DEPTH = 64, VERSION_READ = 256, LIST_MAX = 64 << 20 };

int tc_version_cmp(const char *a, const char *b)
{
	if (strncmp(a, "go", 2) == 0)
		a += 2;
	if (strncmp(b, "go", 2) == 0)
		b += 2;
	for (int i = 0; i < 3; i++) {
		char *ea, *eb;
		long x = strtol(a, &ea, 10), y = strtol(b, &eb, 10);
		if (x != y)
			return x < y ? -1 : 1;
		a = *ea == '.' ? ea + 1 : ea;
		b = *eb == '.' ? eb + 1 : eb;
	}
	return 0;
}

static bool is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static char *goroot_if_tool(const char *go)
{
	char *bin = path_dirname(go);
	char *root = path_dirname(bin);
	free(bin);
	char *tool = path_join(root, "pkg/tool");
	bool ok = is_dir(tool);
	free(tool);
	if (ok)
		return root;
	free(root);
	return NULL;
}

char *tc_goroot_of(const char *go)
{
	char *r = goroot_if_tool(go);
	if (r)
		return r;
	char *real = realpath(go, NULL);
	if (!real)
		return NULL;
	r = goroot_if_tool(real);
	free(real);
	return r;
}

/* First line of GOROOT/VERSION, or NULL. */
static char *version_file(const char *goroot)
{
	char *p = path_join(goroot, "VERSION");
	FILE *f = fopen(p, "rb");
	free(p);
	if (!f)
		return NULL;
	char buf[VERSION_READ];
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	return strncmp(buf, "go", 2) == 0 ? xstrdup(buf) : NULL;
}

/* bin/go's own build info: the version when VERSION is gone, GOOS/GOARCH. */
static void read_binary(struct toolchain *t, const struct elf_file *ef)
{
	struct go_buildinfo bi;
	if (!go_buildinfo_read(ef, &bi)) {
		go_buildinfo_free(&bi);
		return;
	}
	if (!t->version) {
		t->version = xstrdup(bi.version);
		t->version_source = "build info";
	}
	struct go_modinfo mi;
	go_modinfo_parse(bi.modinfo ? bi.modinfo : "", &mi);
	const char *os = go_modinfo_setting(&mi, "GOOS"), *arch = go_modinfo_setting(&mi, "GOARCH");
	if (os && !t->goos)
		t->goos = xstrdup(os);
	if (arch && !t->goarch)
		t->goarch = xstrdup(arch);
	go_modinfo_free(&mi);
	go_buildinfo_free(&bi);
}

/* GOOS_GOARCH from the only pkg/tool/ directory, for a go without build info. */
static void platform_from_tools(struct toolchain *t)
{
	if (t->goos && t->goarch)
		return;
	char *tool = path_join(t->goroot, "pkg/tool");
	DIR *d = opendir(tool);
	free(tool);
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		const char *u = strchr(de->d_name, '_');
		if (de->d_name[0] == '.' || !u || strchr(u + 1, '_'))
			continue;
		if (!t->goos)
			t->goos = xstrndup(de->d_name, (size_t)(u - de->d_name));
		if (!t->goarch)
			t->goarch = xstrdup(u + 1);
		break;
	}
	closedir(d);
}

static void check_on_host(struct toolchain *t, struct provides *host, struct libcache *cache)
{
	char *real = realpath(t->go, NULL);
	int error = 0;
	struct lib_entry *program = real && host ? libcache_get(cache, host->root, real, &error) : NULL;
	if (!program || !program->parse_ok) {
		findings_add(&t->host, "go-unreadable", SEV_FAIL, t->go, NULL, "%s cannot be read: %s", t->go,
			     !program ? strerror(error ? error : ENOENT) : program->err.msg);
		t->runs = SEV_FAIL;
		t->checked = true;
		free(real);
		return;
	}
	read_binary(t, &program->elf);
	struct go_analysis ga;
	go_analyze(&program->elf, &program->needs, 0, &ga);
	struct check_input in = { real, &program->elf, &program->needs, &ga, NULL };
	char *where = check_default_at(host, real);
	struct check_result res;
	check_binary(&in, host, cache, program, where, &res);
	free(where);
	go_analysis_free(&ga);
	t->runs = findings_worst(&res.findings);
	t->checked = true;
	/* Only what stands in the way; the passes are check's business. */
	for (size_t i = 0; i < res.findings.count; i++) {
		const struct finding *f = &res.findings.items[i];
		if (f->severity > SEV_OK)
			findings_add(&t->host, f->id, f->severity, f->evidence, f->fix, "%s", f->message);
	}
	check_result_free(&res);
	free(real);
}

/* Adds GOROOT once (by its real path); returns its index. */
static size_t add_goroot(struct tc_report *r, const char *goroot, const char *found_by)
{
	char *real = realpath(goroot, NULL);
	for (size_t i = 0; i < r->ntcs; i++) {
		char *other = realpath(r->tcs[i].goroot, NULL);
		bool same = real && other && strcmp(real, other) == 0;
		free(other);
		if (same) {
			free(real);
			return i;
		}
	}
	free(real);
	struct toolchain t = { 0 };
	t.goroot = xstrdup(goroot);
	t.go = path_join(goroot, "bin/go");
	t.found_by = found_by;
	XPUSH(r->tcs, r->ntcs, r->cap, t);
	return r->ntcs - 1;
}

static bool is_executable_file(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISREG(st.st_mode) && access(p, X_OK) == 0;
}

static void scan_path(const struct tc_where *w, struct tc_report *r)
{
	if (!w->path)
		return;
	bool first = true;
	for (const char *p = w->path;;) {
		const char *c = strchr(p, ':');
		size_t n = c ? (size_t)(c - p) : strlen(p);
		/* An empty element is the current directory (environ(7)). */
		char *dir = n ? xstrndup(p, n) : xstrdup(w->cwd ? w->cwd : ".");
		char *go = path_join(dir, "go");
		if (is_executable_file(go)) {
			struct tc_path_hit h = { .dir = n ? dir : xstrdup(""), .go = go, .tc = (size_t)-1 };
			if (!n)
				free(dir);
			char link[PATH_MAX];
			ssize_t l = readlink(go, link, sizeof link - 1);
			if (l >= 0) {
				link[l] = '\0';
				h.target = realpath(go, NULL);
			}
			char *root = tc_goroot_of(go);
			if (root) {
				h.tc = add_goroot(r, root, "PATH");
				r->tcs[h.tc].on_path = true;
				if (first)
					r->tcs[h.tc].wins = true;
				free(root);
			}
			if (first && !root)
				findings_add(&r->findings, "path-go-no-goroot", SEV_WARN, go, "put GOROOT/bin on PATH instead",
					     "%s runs first but no GOROOT (a parent with pkg/tool) was found for it", go);
			first = false;
			XPUSH(r->hits, r->nhits, r->hits_cap, h);
		} else {
			free(go);
			free(dir);
		}
		if (!c)
			break;
		p = c + 1;
	}
}

static void scan_glob(struct tc_report *r, const char *pattern, const char *found_by)
{
	glob_t g;
	if (glob(pattern, GLOB_NOSORT, NULL, &g) != 0)
		return;
	/* Newest last so that the listing reads in version order. */
	for (size_t i = 0; i < g.gl_pathc; i++)
		for (size_t j = i + 1; j < g.gl_pathc; j++)
			if (strcmp(g.gl_pathv[i], g.gl_pathv[j]) > 0) {
				char *x = g.gl_pathv[i];
				g.gl_pathv[i] = g.gl_pathv[j];
				g.gl_pathv[j] = x;
			}
	for (size_t i = 0; i < g.gl_pathc; i++) {
		char *tool = path_join(g.gl_pathv[i], "pkg/tool");
		if (is_dir(tool))
			add_goroot(r, g.gl_pathv[i], found_by);
		free(tool);
	}
	globfree(&g);
}

/* dpkg's database: one NAME.list (or NAME:ARCH.list) per package, one
 * installed path per line; what `dpkg -S` reads. */
static void find_packages(const char *info, struct tc_report *r)
{
	if (!info || r->ntcs == 0)
		return;
	char **want = xcalloc(r->ntcs, sizeof *want);
	for (size_t i = 0; i < r->ntcs; i++)
		want[i] = realpath(r->tcs[i].go, NULL);
	DIR *d = opendir(info);
	struct dirent *de;
	char *buf = NULL;
	while (d && (de = readdir(d)) != NULL) {
		size_t nl = strlen(de->d_name);
		if (nl < 6 || strcmp(de->d_name + nl - 5, ".list") != 0)
			continue;
		char *p = path_join(info, de->d_name);
		FILE *f = fopen(p, "rb");
		free(p);
		if (!f)
			continue;
		size_t cap = 0;
		ssize_t len;
		while ((len = getline(&buf, &cap, f)) > 0) {
			if (buf[len - 1] == '\n')
				buf[--len] = '\0';
			for (size_t i = 0; i < r->ntcs; i++)
				if (want[i] && !r->tcs[i].package && strcmp(buf, want[i]) == 0) {
					char *colon = strchr(de->d_name, ':');
					size_t pl = colon ? (size_t)(colon - de->d_name) : nl - 5;
					r->tcs[i].package = xstrndup(de->d_name, pl);
				}
		}
		free(buf);
		buf = NULL;
		fclose(f);
	}
	if (d)
		closedir(d);
	for (size_t i = 0; i < r->ntcs; i++)
		free(want[i]);
	free(want);
}

void tc_find(const struct tc_where *w, struct tc_report *r)
{
	memset(r, 0, sizeof *r);
	scan_path(w, r);
	if (is_dir("/usr/local/go/pkg/tool"))
		add_goroot(r, "/usr/local/go", "/usr/local/go");
	scan_glob(r, "/usr/lib/go-*", "/usr/lib/go-*");
	if (w->home && w->home[0]) {
		char *p = path_join(w->home, "go/pkg/mod/golang.org/toolchain@*");
		scan_glob(r, p, "module cache");
		free(p);
		p = path_join(w->home, "sdk/go*");
		scan_glob(r, p, "~/sdk");
		free(p);
	}
	find_packages(w->dpkg_info, r);
	struct provides host = { 0 };
	struct cr_err err;
	bool have_host = provides_open(&host, "host", NULL, &err) == 0;
	struct libcache cache = { 0 };
	for (size_t i = 0; i < r->ntcs; i++) {
		struct toolchain *t = &r->tcs[i];
		t->version = version_file(t->goroot);
		t->version_source = t->version ? "VERSION" : "";
		if (have_host)
			check_on_host(t, &host, &cache);
		platform_from_tools(t);
		t->origin = t->package ? "debian package" : strcmp(t->found_by, "module cache") == 0 ? "module cache" :
			    strcmp(t->found_by, "~/sdk") == 0 ? "sdk" : "tarball";
		tc_audit(t->goroot, AUDIT_ENTRIES, AUDIT_DEPTH, &t->audit, &t->owner);
	}
	libcache_free(&cache);
	if (have_host)
		provides_free(&host);
	/* A writable PATH directory ahead of the winner lets its group plant a go. */
	for (size_t i = 0; i < r->nhits; i++) {
		const char *dir = r->hits[i].dir[0] ? r->hits[i].dir : ".";
		struct stat st;
		if (stat(dir, &st) == 0 && (st.st_mode & 022) && !(st.st_mode & S_ISVTX)) {
			char fix[PATH_MAX + 32];
			snprintf(fix, sizeof fix, "chmod go-w %s", dir);
			findings_add(&r->findings, "path-dir-writable", SEV_WARN, r->hits[i].go, fix,
				     "%s on PATH is writable by %s: they can put their own go there", dir,
				     (st.st_mode & S_IWOTH) ? "every user" : "its group");
		}
		if (i > 0 && r->hits[i].tc != r->hits[0].tc)
			findings_add(&r->findings, "path-go-shadowed", SEV_OK, r->hits[i].go, NULL,
				     "%s is shadowed by %s, which comes first on PATH", r->hits[i].go, r->hits[0].go);
	}
}

void tc_report_free(struct tc_report *r)
{
	for (size_t i = 0; i < r->ntcs; i++) {
		struct toolchain *t = &r->tcs[i];
		free(t->goroot);
		free(t->go);
		free(t->version);
		free(t->goos);
		free(t->goarch);
		free(t->package);
		free(t->owner);
		findings_free(&t->host);
		findings_free(&t->audit);
	}
	free(r->tcs);
	for (size_t i = 0; i < r->nhits; i++) {
		free(r->hits[i].dir);
		free(r->hits[i].go);
		free(r->hits[i].target);
	}
	free(r->hits);
	findings_free(&r->findings);
}
