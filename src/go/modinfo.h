/* The module text of Go build info, parsed as runtime/debug.ParseBuildInfo
 * does, and printed back the way `go version -m` prints it. */
#ifndef CANRUN_GO_MODINFO_H
#define CANRUN_GO_MODINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct go_module {
	char *path, *version, *sum;
	struct go_module *replace; /* NULL when not replaced */
};

struct go_setting {
	char *key, *value;
};

struct go_modinfo {
	char *path;          /* the main package ("path" line), or NULL */
	bool has_main;
	struct go_module main;
	struct go_module *deps;
	size_t ndeps, deps_cap;
	struct go_setting *settings;
	size_t nsettings, settings_cap;
	char error[128];     /* why parsing stopped early, "" if it did not */
};

/* Parses the module text (without its frames). Never fails: a malformed
 * line stops the parse with `error` set, keeping what came before, which
 * is more than `go version -m` shows for such a file (it shows nothing). */
void go_modinfo_parse(const char *text, struct go_modinfo *mi);
void go_modinfo_free(struct go_modinfo *mi);

/* The value of a build setting, or NULL. */
const char *go_modinfo_setting(const struct go_modinfo *mi, const char *key);

/* Writes the lines `go version -m` prints after "FILE: VERSION", each
 * starting with a tab, in Go 1.19's format. */
void go_modinfo_print(FILE *out, const struct go_modinfo *mi);

#endif
