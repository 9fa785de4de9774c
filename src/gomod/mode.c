/* The decisions of Go's modload (init.go, import.go, vendor.go) in the
 * order `go build` meets them, each failure as a finding with Go's words. */
#include "gomod/mode.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/strbuf.h"
#include "util/xalloc.h"

enum { MAX_TEXT = 16 << 20 }; /* larger module files are refused, not read */

/* The whole file, NUL-terminated after len bytes; NULL with errno. */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = xmalloc(65536);
	size_t n, total = 0;
	char *out = xmalloc(1);
	while ((n = fread(buf, 1, 65536, f)) > 0) {
		if (total + n > MAX_TEXT) {
			free(out);
			free(buf);
			fclose(f);
			errno = EFBIG;
			return NULL;
		}
		out = xrealloc(out, total + n + 1);
		memcpy(out + total, buf, n);
		total += n;
	}
	free(buf);
	int err = ferror(f);
	fclose(f);
	if (err) {
		free(out);
		errno = EIO;
		return NULL;
	}
	out[total] = '\0';
	*len = total;
	return out;
}

static bool is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool is_file(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* Go's findModuleRoot: DIR and its parents, the first with a go.mod file. */
static char *find_modroot(const char *absdir)
{
	char *d = xstrdup(absdir);
	for (;;) {
		char *gm = path_join(d, "go.mod");
		bool found = is_file(gm);
		free(gm);
		if (found)
			return d;
		char *up = path_dirname(d);
		if (strcmp(up, d) == 0) {
			free(up);
			free(d);
			return NULL;
		}
		free(d);
		d = up;
	}
}

static void add_import(struct module_report *r, const char *p, size_t n)
{
	for (size_t i = 0; i < r->nimports; i++)
		if (strlen(r->imports[i]) == n && memcmp(r->imports[i], p, n) == 0)
			return;
	XPUSH(r->imports, r->nimports, r->capimports, xstrndup(p, n));
}

/* The standard library's paths have no dot in their first element. */
static bool is_std(const char *p, size_t n)
{
	size_t first = 0;
	while (first < n && p[first] != '/')
		first++;
	return memchr(p, '.', first) == NULL;
}

/* The quoted path of an import spec line ("p", name "p", _ "p", . "p"). */
static void import_spec(struct module_report *r, const char *s, const char *end)
{
	const char *q = memchr(s, '"', (size_t)(end - s));
	if (!q)
		return;
	const char *e = memchr(q + 1, '"', (size_t)(end - q - 1));
	if (!e || e == q + 1 || is_std(q + 1, (size_t)(e - q - 1)))
		return;
	add_import(r, q + 1, (size_t)(e - q - 1));
}

/* The import declarations of one file, read lexically: they come before
 * any other declaration. Comments inside a spec line are not expected. */
static void scan_imports(struct module_report *r, const char *text, size_t len)
{
	bool in_block = false, in_comment = false;
	for (size_t pos = 0; pos < len;) {
		const char *line = text + pos;
		const char *nl = memchr(line, '\n', len - pos);
		const char *end = nl ? nl : text + len;
		pos = (size_t)(end - text) + 1;
		while (line < end && isspace((unsigned char)*line))
			line++;
		size_t n = (size_t)(end - line);
		if (in_comment) {
			const char *c = n >= 2 ? memmem(line, n, "*/", 2) : NULL;
			if (c)
				in_comment = false;
			continue;
		}
		if (n >= 2 && memcmp(line, "/*", 2) == 0) {
			in_comment = !memmem(line + 2, n - 2, "*/", 2);
			continue;
		}
		if (in_block) {
			if (n && line[0] == ')')
				in_block = false;
			else
				import_spec(r, line, end);
			continue;
		}
		if (n >= 7 && memcmp(line, "import", 6) == 0 && (line[6] == ' ' || line[6] == '\t' || line[6] == '(')) {
			const char *p = line + 6;
			while (p < end && isspace((unsigned char)*p))
				p++;
			if (p < end && *p == '(') {
				in_block = true;
				const char *close = memchr(p, ')', (size_t)(end - p));
				import_spec(r, p + 1, close ? close : end);
				if (close)
					in_block = false;
			} else {
				import_spec(r, p, end);
			}
			continue;
		}
		static const char *const decls[] = { "func ", "func(", "type ", "var ", "var(", "const ", "const(" };
		for (size_t i = 0; i < sizeof decls / sizeof decls[0]; i++)
			if (n >= strlen(decls[i]) && memcmp(line, decls[i], strlen(decls[i])) == 0)
				return;
	}
}

/* The package's .go files but its tests: their imports. */
static int read_imports(struct module_report *r, const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return -1;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name);
		if (n < 4 || strcmp(e->d_name + n - 3, ".go") != 0 || e->d_name[0] == '.' || e->d_name[0] == '_' ||
		    (n > 8 && strcmp(e->d_name + n - 8, "_test.go") == 0))
			continue;
		char *p = path_join(dir, e->d_name);
		size_t len;
		char *text = slurp(p, &len);
		free(p);
		if (text)
			scan_imports(r, text, len);
		free(text);
	}
	closedir(d);
	return 0;
}

/* -mod=X from GOFLAGS (also --mod=X), the last one winning as in Go. */
static char *goflags_mod(const char *goflags)
{
	char *mod = NULL;
	for (const char *p = goflags; p && *p;) {
		p += strspn(p, " \t\n");
		size_t n = strcspn(p, " \t\n");
		const char *f = p;
		p += n;
		if (n > 1 && f[0] == '-' && f[1] == '-') {
			f++;
			n--;
		}
		if (n >= 5 && memcmp(f, "-mod=", 5) == 0) {
			free(mod);
			mod = xstrndup(f + 5, n - 5);
		}
	}
	return mod;
}

/* The module cache's directory name for a path: capitals as "!" + lower. */
static char *escape_path(const char *p)
{
	struct strbuf sb = { 0 };
	sb_appendf(&sb, "%s", "");
	for (; *p; p++) {
		if (isupper((unsigned char)*p))
			sb_appendf(&sb, "!%c", tolower((unsigned char)*p));
		else
			sb_appendf(&sb, "%c", *p);
	}
	return sb_take(&sb);
}

static const struct gomod_require *providing(const struct gomod *g, const char *imp)
{
	const struct gomod_require *best = NULL;
	for (size_t i = 0; i < g->nreq; i++) {
		size_t n = strlen(g->req[i].path);
		if (strncmp(imp, g->req[i].path, n) == 0 && (imp[n] == '\0' || imp[n] == '/') &&
		    (!best || n > strlen(best->path)))
			best = &g->req[i];
	}
	return best;
}

static const struct gomod_replace *replaced(const struct gomod *g, const char *path, const char *ver)
{
	const struct gomod_replace *wild = NULL;
	for (size_t i = 0; i < g->nrep; i++) {
		const struct gomod_replace *r = &g->rep[i];
		if (strcmp(r->old_path, path) != 0)
			continue;
		if (r->old_version && strcmp(r->old_version, ver) == 0)
			return r;
		if (!r->old_version)
			wild = r;
	}
	return wild;
}

static bool under(const char *path, const char *prefix)
{
	size_t n = strlen(prefix);
	return strncmp(path, prefix, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

static void gopath_mode(struct module_report *r, const struct module_env *env, const char *absdir)
{
	r->mode = "gopath";
	char *deflt = env->home ? path_join(env->home, "go") : NULL;
	const char *gopath = env->gopath && *env->gopath ? env->gopath : deflt;
	if (!env->gopath || !*env->gopath)
		findings_add(&r->findings, "gopath-unset", SEV_OK, NULL, NULL,
			     "GOPATH is not set; go uses %s", deflt ? deflt : "$HOME/go (HOME is not set either)");
	for (const char *p = gopath; p && *p && !r->gopath_dir;) {
		size_t n = strcspn(p, ":");
		char *entry = xstrndup(p, n);
		char *src = path_join(entry, "src");
		if (*entry == '/' && under(absdir, src)) {
			r->gopath_dir = xstrdup(entry);
			r->import_path = xstrdup(absdir[strlen(src)] ? absdir + strlen(src) + 1 : ".");
		}
		free(src);
		free(entry);
		p += n + (p[n] == ':');
	}
	if (!r->gopath_dir)
		findings_add(&r->findings, "gopath-outside", SEV_OK, gopath, NULL,
			     "%s is not under any GOPATH src directory: go builds it as a command-line package, and "
			     "only its imports found under GOPATH/src or vendor resolve", r->dir);
	for (size_t i = 0; i < r->nimports; i++) {
		bool found = false;
		char *v = path_join(absdir, "vendor");
		char *vp = path_join(v, r->imports[i]);
		found = r->gopath_dir && is_dir(vp);
		free(vp);
		free(v);
		for (const char *p = gopath; p && *p && !found;) {
			size_t n = strcspn(p, ":");
			char *entry = xstrndup(p, n);
			char *src = path_join(entry, "src");
			char *dir = path_join(src, r->imports[i]);
			found = is_dir(dir);
			free(dir);
			free(src);
			free(entry);
			p += n + (p[n] == ':');
		}
		if (!found)
			findings_add(&r->findings, "gopath-import-missing", SEV_FAIL, gopath,
				     "put the package under GOPATH/src, or build in module mode (GO111MODULE=on with a go.mod)",
				     "cannot find package \"%s\" in any of GOROOT/src, GOPATH/src", r->imports[i]);
	}
	free(deflt);
}

/* The go and toolchain lines against the installed Go. */
static void check_versions(struct module_report *r, const struct module_env *env, const char *gomod_path)
{
	const struct gomod *g = &r->gomod;
	const char *have = env->go_version;
	bool new_reader = have && go_version_cmp(have, "1.21") >= 0;
	if (!have) {
		findings_add(&r->findings, "go-unknown", SEV_UNKNOWN, NULL, "install Go or name it with --go-version",
			     "no installed Go found on PATH: the go and toolchain lines are not judged");
		return;
	}
	char ev[512];
	if (g->toolchain && !new_reader) {
		snprintf(ev, sizeof ev, "%s:%u: toolchain %.60s", gomod_path, g->toolchain_line, g->toolchain);
		findings_add(&r->findings, "toolchain-directive", SEV_FAIL, ev,
			     "remove the toolchain line (go mod edit -toolchain=none), or build with Go 1.21 or newer",
			     "go %s does not know the toolchain directive: go: errors parsing go.mod: unknown directive: toolchain",
			     have);
	}
	if (g->go && !new_reader && !go_version_two_part(g->go)) {
		snprintf(ev, sizeof ev, "%s:%u: go %.60s", gomod_path, g->go_line, g->go);
		findings_add(&r->findings, "go-directive-invalid", SEV_FAIL, ev,
			     "write the go line as 1.N (go mod edit -go=1.N), or build with Go 1.21 or newer",
			     "go %s rejects it: invalid go version '%.60s': must match format 1.23", have, g->go);
		return;
	}
	const char *want = g->go;
	if (new_reader && g->toolchain && go_version_cmp(g->toolchain, want) > 0)
		want = g->toolchain;
	if (!want || go_version_cmp(want, have) <= 0)
		return;
	snprintf(ev, sizeof ev, "%s: go %.60s%s%.60s; installed go %s", gomod_path, g->go ? g->go : "-",
		 g->toolchain ? ", toolchain " : "", g->toolchain ? g->toolchain : "", have);
	if (new_reader)
		findings_add(&r->findings, "go-too-new", SEV_FAIL, ev,
			     "install that Go, or lower the go line; on a networked machine GOTOOLCHAIN=auto downloads it",
			     "go.mod requires go >= %.60s (running go %s): go would download that toolchain, which fails offline",
			     want, have);
	else
		findings_add(&r->findings, "go-too-new", SEV_WARN, ev,
			     "build with Go %.60s or newer, or lower the go line if the code does not need it",
			     "module requires Go %.60s; go %s builds it anyway and prints \"note: module requires Go %.60s\" "
			     "if compiling fails", want, have, want);
}

static void vendor_checks(struct module_report *r, const char *absroot)
{
	char *problems = NULL;
	size_t n = vendor_check(&r->gomod, &r->vendor, &problems);
	if (n) {
		struct strbuf ev = { 0 };
		sb_appendf(&ev, "go: inconsistent vendoring in %s:%s", absroot, problems);
		char *e = sb_take(&ev);
		findings_add(&r->findings, "vendor-inconsistent", SEV_FAIL, e,
			     "go mod vendor (with every module in the module cache), or GOFLAGS=-mod=mod to ignore vendor",
			     "inconsistent vendoring: %zu problem%s between go.mod and vendor/modules.txt", n, n == 1 ? "" : "s");
		free(e);
	}
	free(problems);
	if (n)
		return;
	for (size_t i = 0; i < r->nimports; i++) {
		if (r->gomod.module && under(r->imports[i], r->gomod.module))
			continue;
		char *v = path_join(absroot, "vendor");
		char *p = path_join(v, r->imports[i]);
		if (!is_dir(p))
			findings_add(&r->findings, "vendor-package-missing", SEV_FAIL, p, "go mod vendor",
				     "cannot find package \".\" in: %s", p);
		free(p);
		free(v);
	}
}

static void module_checks(struct module_report *r, const struct module_env *env, const char *absroot)
{
	const struct gomod *g = &r->gomod;
	char *gopath0 = NULL;
	if (env->gopath && *env->gopath)
		gopath0 = xstrndup(env->gopath, strcspn(env->gopath, ":"));
	else if (env->home)
		gopath0 = path_join(env->home, "go");
	char *cache = env->gomodcache && *env->gomodcache ? xstrdup(env->gomodcache)
							  : gopath0 ? path_join(gopath0, "pkg/mod") : NULL;
	for (size_t i = 0; i < r->nimports; i++) {
		const char *imp = r->imports[i];
		if (g->module && under(imp, g->module))
			continue;
		const struct gomod_require *req = providing(g, imp);
		if (!req) {
			findings_add(&r->findings, "no-module-provides", SEV_FAIL, imp,
				     "go get on a networked machine (then go mod tidy), or add a require and a local replace",
				     "no required module provides package %s", imp);
			continue;
		}
		const struct gomod_replace *rep = replaced(g, req->path, req->version);
		if (rep && !rep->new_version) {
			char *d = rep->new_path[0] == '/' ? xstrdup(rep->new_path) : path_join(absroot, rep->new_path);
			char *gm = path_join(d, "go.mod");
			if (!is_dir(d))
				findings_add(&r->findings, "replace-dir-missing", SEV_FAIL, d,
					     "create the directory or fix the replace line",
					     "%s@%s: replacement directory %s does not exist", req->path, req->version,
					     rep->new_path);
			else if (!is_file(gm))
				findings_add(&r->findings, "replace-dir-no-gomod", SEV_FAIL, gm,
					     "go mod init in the replacement directory",
					     "replacement directory %s has no go.mod: no required module provides package %s",
					     rep->new_path, imp);
			free(gm);
			free(d);
			continue;
		}
		const char *mpath = rep ? rep->new_path : req->path, *mver = rep ? rep->new_version : req->version;
		bool zip = r->have_sum && gosum_has(&r->sum, mpath, mver, false);
		bool gm = r->have_sum && gosum_has(&r->sum, mpath, mver, true);
		if (!zip || !gm) {
			char ev[512];
			snprintf(ev, sizeof ev, "go.sum has no \"%.200s %.60s%s h1:\" line", mpath, mver, zip ? "/go.mod" : "");
			findings_add(&r->findings, "gosum-missing", SEV_FAIL, ev,
				     "go mod tidy on a networked machine (or go mod download), then copy go.sum",
				     "missing go.sum entry for module providing package %s (imported by %s)", imp,
				     g->module ? g->module : "the main module");
			continue;
		}
		char *esc = escape_path(mpath);
		struct strbuf sb = { 0 };
		sb_appendf(&sb, "%s/cache/download/%s/@v/%s.zip", cache ? cache : "$GOPATH/pkg/mod", esc, mver);
		char *zippath = sb_take(&sb);
		if (!cache || !is_file(zippath))
			findings_add(&r->findings, "module-not-cached", SEV_FAIL, zippath,
				     "go mod download on a networked machine and copy GOMODCACHE, or go mod vendor",
				     "%s@%s is not in the module cache: offline (GOPROXY=off) go fails with "
				     "\"module lookup disabled by GOPROXY=off\"", mpath, mver);
		free(zippath);
		free(esc);
	}
	free(cache);
	free(gopath0);
}

int module_analyze(const char *dir, const struct module_env *env, struct module_report *r)
{
	memset(r, 0, sizeof *r);
	r->dir = xstrdup(dir);
	char *absdir = realpath(dir, NULL);
	if (!absdir || !is_dir(absdir)) {
		if (absdir)
			errno = ENOTDIR;
		free(absdir);
		return -1;
	}
	if (read_imports(r, absdir) < 0) {
		free(absdir);
		return -1;
	}
	const char *g111 = env->go111module ? env->go111module : "";
	if (strcmp(g111, "off") && strcmp(g111, "on") && strcmp(g111, "auto") && *g111) {
		findings_add(&r->findings, "go111module-invalid", SEV_FAIL, g111, "GO111MODULE=on, off or auto (or unset)",
			     "go: unknown environment setting GO111MODULE=%.60s", g111);
		r->mode = "module";
		free(absdir);
		return 0;
	}
	r->modroot = strcmp(g111, "off") ? find_modroot(absdir) : NULL;
	if (!strcmp(g111, "off") || (!strcmp(g111, "auto") && !r->modroot)) {
		gopath_mode(r, env, absdir);
		free(absdir);
		return 0;
	}
	r->mode = "module";
	if (!r->modroot) {
		findings_add(&r->findings, "gomod-missing", SEV_FAIL, NULL,
			     "go mod init MODULE-PATH, or GO111MODULE=off to build in GOPATH mode",
			     "go: go.mod file not found in current directory or any parent directory; see 'go help modules'");
		free(absdir);
		return 0;
	}
	char *gomod_path = path_join(r->modroot, "go.mod");
	size_t len;
	char *text = slurp(gomod_path, &len);
	if (!text) {
		free(gomod_path);
		free(absdir);
		return -1;
	}
	r->have_gomod = true;
	if (gomod_parse(text, len, &r->gomod) < 0) {
		char ev[256];
		snprintf(ev, sizeof ev, "%s:%u", gomod_path, r->gomod.error_line);
		findings_add(&r->findings, "gomod-syntax", SEV_FAIL, ev, "correct go.mod at that line",
			     "go: errors parsing go.mod: %s:%u: %s", gomod_path, r->gomod.error_line, r->gomod.error);
	}
	free(text);
	if (r->gomod.unknown_directive) {
		char ev[256];
		snprintf(ev, sizeof ev, "%s:%u", gomod_path, r->gomod.unknown_line);
		findings_add(&r->findings, "gomod-unknown-directive", SEV_FAIL, ev, "remove the line or use a newer Go",
			     "go: errors parsing go.mod: unknown directive: %s", r->gomod.unknown_directive);
	}
	check_versions(r, env, gomod_path);
	free(gomod_path);

	char *sum_path = path_join(r->modroot, "go.sum");
	if ((text = slurp(sum_path, &len)) != NULL) {
		r->have_sum = true;
		gosum_parse(text, len, &r->sum);
		free(text);
		if (r->sum.bad_line) {
			char ev[256];
			snprintf(ev, sizeof ev, "%s:%u", sum_path, r->sum.bad_line);
			findings_add(&r->findings, "gosum-malformed", SEV_FAIL, ev, "go mod tidy on a networked machine",
				     "malformed go.sum: %s:%u: wrong number of fields", sum_path, r->sum.bad_line);
		}
	}
	free(sum_path);
	char *vdir = path_join(r->modroot, "vendor");
	char *vtxt = path_join(vdir, "modules.txt");
	r->have_vendor_dir = is_dir(vdir);
	if ((text = slurp(vtxt, &len)) != NULL) {
		r->have_vendor_txt = true;
		vendor_parse(text, len, &r->vendor);
		free(text);
	}
	free(vtxt);
	free(vdir);

	r->mod = goflags_mod(env->goflags);
	if (r->mod) {
		r->mod_reason = "GOFLAGS";
		if (strcmp(r->mod, "vendor") && strcmp(r->mod, "readonly") && strcmp(r->mod, "mod"))
			findings_add(&r->findings, "goflags-mod-invalid", SEV_FAIL, env->goflags, "GOFLAGS=-mod=mod",
				     "-mod may only be set to readonly or vendor or mod");
	} else if (r->have_vendor_dir && r->gomod.go && go_version_cmp(r->gomod.go, "1.14") >= 0) {
		r->mod = xstrdup("vendor");
		r->mod_reason = "Go version in go.mod is at least 1.14 and vendor directory exists.";
	} else {
		r->mod = xstrdup("readonly");
		r->mod_reason = r->have_vendor_dir ? "Go version in go.mod is before 1.14, so vendor directory was not used."
						   : "no vendor directory";
	}
	if (findings_worst(&r->findings) < SEV_FAIL || !r->gomod.error) {
		if (strcmp(r->mod, "vendor") == 0)
			vendor_checks(r, r->modroot);
		else
			module_checks(r, env, r->modroot);
	}
	free(absdir);
	return 0;
}

void module_report_free(struct module_report *r)
{
	free(r->dir);
	free(r->modroot);
	free(r->mod);
	gomod_free(&r->gomod);
	gosum_free(&r->sum);
	vendor_free(&r->vendor);
	for (size_t i = 0; i < r->nimports; i++)
		free(r->imports[i]);
	free(r->imports);
	free(r->gopath_dir);
	free(r->import_path);
	findings_free(&r->findings);
	memset(r, 0, sizeof *r);
}
