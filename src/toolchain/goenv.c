/* The variables that decide how `go` builds, each with where its value
 * comes from in cmd/go's order: a non-empty process variable, the user's
 * go env file ($GOENV, else $XDG_CONFIG_HOME/go/env or ~/.config/go/env),
 * GOROOT/go.env (Go 1.21+), the built-in default. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "toolchain/toolchain.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

enum { ENV_FILE_MAX = 1 << 20 };

static const char *const names[TC_ENV_COUNT] = {
	"GOROOT", "GOPATH", "GO111MODULE", "GOFLAGS", "GOPROXY", "GOSUMDB",
	"GOPRIVATE", "GONOSUMDB", "GOTOOLCHAIN", "CGO_ENABLED", "CC",
};

const char *tc_env_source_name(enum tc_env_source s)
{
	switch (s) {
	case TC_ENV_PROCESS: return "env";
	case TC_ENV_FILE: return "env file";
	case TC_ENV_GOROOT_FILE: return "GOROOT/go.env";
	default: return "default";
	}
}

char *tc_envfile_lookup(const char *data, size_t len, const char *name)
{
	size_t nl = strlen(name);
	char *found = NULL;
	for (size_t at = 0; at < len;) {
		const char *line = data + at;
		const char *end = memchr(line, '\n', len - at);
		size_t n = end ? (size_t)(end - line) : len - at;
		at += n + 1;
		/* cmd/go skips lines without '=' and those not starting A-Z (comments). */
		const char *eq = memchr(line, '=', n);
		if (!eq || n == 0 || line[0] < 'A' || line[0] > 'Z')
			continue;
		if ((size_t)(eq - line) != nl || memcmp(line, name, nl) != 0)
			continue;
		free(found); /* the last line wins, as in cmd/go's map */
		found = xstrndup(eq + 1, (size_t)(line + n - eq - 1));
	}
	return found;
}

/* The whole file, at most ENV_FILE_MAX bytes; NULL when it cannot be read. */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = xmalloc(ENV_FILE_MAX);
	*len = fread(buf, 1, ENV_FILE_MAX, f);
	fclose(f);
	return buf;
}

static bool has_word(const char *list, const char *word)
{
	size_t wl = strlen(word);
	for (const char *p = list; (p = strstr(p, word)) != NULL; p += wl)
		if ((p == list || p[-1] == ' ' || p[-1] == '\t') && (p[wl] == '\0' || p[wl] == ' ' || p[wl] == '\t'))
			return true;
	return false;
}

static const char *val(const struct tc_env *e, const char *name)
{
	for (size_t i = 0; i < TC_ENV_COUNT; i++)
		if (strcmp(e->vars[i].name, name) == 0)
			return e->vars[i].value ? e->vars[i].value : "";
	return "";
}

/* The combinations that surprise, each said as what go will do. */
static void warn_surprises(struct tc_env *e, const char *version, const char *cwd)
{
	const char *flags = val(e, "GOFLAGS"), *sumdb = val(e, "GOSUMDB"), *proxy = val(e, "GOPROXY");
	const char *tool = val(e, "GOTOOLCHAIN"), *mod = val(e, "GO111MODULE");
	if (has_word(flags, "-mod=vendor")) {
		char *vendor = path_join(cwd ? cwd : ".", "vendor");
		struct stat st;
		if (stat(vendor, &st) != 0 || !S_ISDIR(st.st_mode))
			findings_add(&e->findings, "env-vendor-missing", SEV_WARN, flags,
				     "run `go mod vendor`, or drop -mod=vendor from GOFLAGS",
				     "GOFLAGS has -mod=vendor but %s has no vendor/ directory: builds here fail", cwd ? cwd : ".");
		free(vendor);
	}
	if (strcmp(sumdb, "off") == 0)
		findings_add(&e->findings, "env-gosumdb-off", SEV_WARN, "GOSUMDB=off",
			     "unset GOSUMDB (go env -u GOSUMDB); for private modules set GOPRIVATE instead",
			     "GOSUMDB=off: downloaded modules are not checked against the checksum database");
	if (strcmp(proxy, "direct") == 0 && val(e, "GOPRIVATE")[0] == '\0')
		findings_add(&e->findings, "env-goproxy-direct", SEV_WARN, "GOPROXY=direct",
			     "go env -w GOPROXY=https://proxy.golang.org,direct and list private modules in GOPRIVATE",
			     "GOPROXY=direct with GOPRIVATE unset: every module is fetched from its origin host");
	if (mod[0] && strcmp(mod, "on") && strcmp(mod, "off") && strcmp(mod, "auto"))
		findings_add(&e->findings, "env-go111module-invalid", SEV_FAIL, mod, "go env -u GO111MODULE",
			     "GO111MODULE=%s: go stops with \"unknown environment setting\"", mod);
	/* auto, local+auto, goX+auto: a go.mod asking for a newer Go fetches one. */
	if (strcmp(tool, "auto") == 0 || strstr(tool, "+auto")) {
		bool applies = !version || tc_version_cmp(version, "go1.21") >= 0;
		if (applies)
			findings_add(&e->findings, "env-gotoolchain-auto", SEV_WARN, tool,
				     "GOTOOLCHAIN=local keeps the installed toolchain",
				     "GOTOOLCHAIN=%s: go may download and run another toolchain when a go.mod asks for a newer Go "
				     "(and fails on a machine without network)", tool);
		else
			findings_add(&e->findings, "env-gotoolchain-auto", SEV_OK, tool, NULL,
				     "GOTOOLCHAIN=%s is ignored by %s (Go 1.21 added it)", tool, version);
	}
}

void tc_env_collect(struct tc_env *e, const char *(*getenv_fn)(const char *name, void *ctx), void *ctx,
		    const char *home, const char *goroot, const char *version, const char *cwd)
{
	memset(e, 0, sizeof *e);
	const char *goenv = getenv_fn("GOENV", ctx);
	const char *xdg = getenv_fn("XDG_CONFIG_HOME", ctx);
	if (goenv && goenv[0])
		e->file = strcmp(goenv, "off") == 0 ? NULL : xstrdup(goenv);
	else if (xdg && xdg[0])
		e->file = path_join(xdg, "go/env");
	else if (home && home[0])
		e->file = path_join(home, ".config/go/env");
	size_t flen = 0, glen = 0;
	char *fdata = e->file ? slurp(e->file, &flen) : NULL;
	e->file_read = fdata != NULL;
	/* GOROOT/go.env: the process's GOROOT or the file's decide which tree. */
	const char *eg = getenv_fn("GOROOT", ctx);
	char *fg = fdata ? tc_envfile_lookup(fdata, flen, "GOROOT") : NULL;
	const char *root = eg && eg[0] ? eg : fg && fg[0] ? fg : goroot;
	char *gdata = NULL;
	if (root) {
		char *p = path_join(root, "go.env");
		gdata = slurp(p, &glen);
		if (gdata)
			e->goroot_file = p;
		else
			free(p);
	}
	for (size_t i = 0; i < TC_ENV_COUNT; i++) {
		struct tc_env_var *v = &e->vars[i];
		v->name = names[i];
		const char *pv = getenv_fn(v->name, ctx);
		char *x;
		if (pv && pv[0]) {
			v->value = xstrdup(pv);
			v->source = TC_ENV_PROCESS;
		} else if (fdata && (x = tc_envfile_lookup(fdata, flen, v->name)) != NULL) {
			v->value = x;
			v->source = TC_ENV_FILE;
		} else if (gdata && (x = tc_envfile_lookup(gdata, glen, v->name)) != NULL) {
			v->value = x;
			v->source = TC_ENV_GOROOT_FILE;
		} else {
			v->source = TC_ENV_DEFAULT;
			const char *d = NULL;
			char *owned = NULL;
			if (strcmp(v->name, "GOROOT") == 0)
				d = goroot;
			else if (strcmp(v->name, "GOPATH") == 0 && home && home[0])
				d = owned = path_join(home, "go");
			else if (strcmp(v->name, "GOPROXY") == 0)
				d = "https://proxy.golang.org,direct";
			else if (strcmp(v->name, "GOSUMDB") == 0)
				d = "sum.golang.org";
			else if (strcmp(v->name, "GOTOOLCHAIN") == 0)
				d = "local"; /* without go.env */
			else if (strcmp(v->name, "CGO_ENABLED") == 0)
				d = "1";
			else if (strcmp(v->name, "CC") == 0)
				d = "gcc";
			else if (strcmp(v->name, "GONOSUMDB") == 0)
				d = val(e, "GOPRIVATE"); /* GOPRIVATE is its default */
			v->value = owned ? owned : xstrdup(d ? d : "");
		}
	}
	free(fg);
	free(fdata);
	free(gdata);
	const char *gr = val(e, "GOROOT");
	if (goroot && e->vars[0].source != TC_ENV_DEFAULT && gr[0] && strcmp(gr, goroot) != 0)
		findings_add(&e->findings, "env-goroot-mismatch", SEV_WARN, gr, "unset GOROOT: each go finds its own tree",
			     "GOROOT=%s (%s) makes the go on PATH use another tree than its own %s", gr,
			     tc_env_source_name(e->vars[0].source), goroot);
	warn_surprises(e, version, cwd);
}

void tc_env_free(struct tc_env *e)
{
	for (size_t i = 0; i < TC_ENV_COUNT; i++)
		free(e->vars[i].value);
	free(e->file);
	free(e->goroot_file);
	findings_free(&e->findings);
}
