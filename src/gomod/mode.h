/* What `go build` would do in a directory, from its files and the
 * environment alone: GOPATH or module mode, -mod=vendor/readonly/mod, and
 * each reason it would fail offline, as findings. */
#ifndef CANRUN_GOMOD_MODE_H
#define CANRUN_GOMOD_MODE_H

#include "gomod/gomod.h"
#include "model/findings.h"

struct module_env {
	const char *go111module, *goflags, *gopath, *gomodcache, *home;
	const char *go_version; /* the installed Go, "1.19.8"; NULL if unknown */
};

struct module_report {
	char *dir;       /* as given */
	char *modroot;   /* the directory holding go.mod, or NULL */
	const char *mode; /* "module" or "gopath" */
	char *mod;       /* module mode: "vendor", "readonly" or "mod" */
	const char *mod_reason;
	bool have_gomod, have_sum, have_vendor_dir, have_vendor_txt;
	struct gomod gomod;
	struct gosum sum;
	struct vendor_list vendor;
	char **imports; /* the package's imports outside the standard library */
	size_t nimports, capimports;
	char *gopath_dir;    /* GOPATH mode: the GOPATH entry DIR sits in, or NULL */
	char *import_path;   /* GOPATH mode: DIR's import path there */
	struct findings findings;
};

/* Returns 0, or -1 when DIR cannot be read (errno set). */
int module_analyze(const char *dir, const struct module_env *env, struct module_report *r);
void module_report_free(struct module_report *r);

#endif
