#include "report/module_report.h"

#include <string.h>

#include "report/check_report.h"
#include "util/json.h"

const char *module_verdict(const struct module_report *r)
{
	switch (findings_worst(&r->findings)) {
	case SEV_OK: return "builds";
	case SEV_UNKNOWN: return "unknown";
	case SEV_WARN: return "warns";
	case SEV_FAIL: break;
	}
	return "fails";
}

static bool needed(const struct module_report *r, const char *path)
{
	size_t n = strlen(path);
	for (size_t i = 0; i < r->nimports; i++)
		if (strncmp(r->imports[i], path, n) == 0 && (r->imports[i][n] == '\0' || r->imports[i][n] == '/'))
			return true;
	return false;
}

static json_t *gomod_json(const struct module_report *r)
{
	const struct gomod *g = &r->gomod;
	if (!r->have_gomod)
		return json_null();
	json_t *req = json_array(), *rep = json_array(), *excl = json_array();
	for (size_t i = 0; i < g->nreq; i++) {
		const struct gomod_require *q = &g->req[i];
		json_t *sum = r->have_sum ? json_pack("{s:b, s:b}", "h1", gosum_has(&r->sum, q->path, q->version, false),
						       "go_mod", gosum_has(&r->sum, q->path, q->version, true))
					  : json_null();
		json_array_append_new(req, json_pack("{s:o, s:o, s:b, s:b, s:o}", "path", json_text(q->path), "version",
						     json_text(q->version), "indirect", q->indirect, "imported",
						     needed(r, q->path), "go_sum", sum));
	}
	for (size_t i = 0; i < g->nrep; i++) {
		const struct gomod_replace *x = &g->rep[i];
		json_array_append_new(rep, json_pack("{s:o, s:o, s:o, s:o}", "old", json_text(x->old_path),
						     "old_version", json_text(x->old_version), "new",
						     json_text(x->new_path), "new_version", json_text(x->new_version)));
	}
	for (size_t i = 0; i < g->nexcl; i++)
		json_array_append_new(excl, json_pack("{s:o, s:o}", "path", json_text(g->excl[i].path), "version",
						      json_text(g->excl[i].version)));
	return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:I}", "module", json_text(g->module), "go",
			 json_text(g->go), "toolchain", json_text(g->toolchain), "requires", req, "replaces", rep,
			 "excludes", excl, "retracts", (json_int_t)g->nretract);
}

json_t *module_report_json(const struct module_report *r, const struct module_env *env)
{
	json_t *imports = json_text_array((const char *const *)r->imports, r->nimports);
	json_t *vendor = json_pack("{s:b, s:b, s:I}", "dir", r->have_vendor_dir, "modules_txt", r->have_vendor_txt,
				   "modules", (json_int_t)r->vendor.count);
	json_t *gopath = strcmp(r->mode, "gopath") == 0
				 ? json_pack("{s:o, s:o}", "entry", json_text(r->gopath_dir), "import_path",
					     json_text(r->import_path))
				 : json_null();
	return json_pack("{s:o, s:o, s:{s:o, s:o, s:o, s:o}, s:s, s:o, s:o, s:o, s:o, s:b, s:o, s:o, s:s, s:o}",
			 "dir", json_text(r->dir), "module_root", json_text(r->modroot), "env", "go",
			 json_text(env->go_version), "GO111MODULE", json_text(env->go111module), "GOFLAGS",
			 json_text(env->goflags), "GOPATH", json_text(env->gopath), "mode", r->mode, "mod",
			 json_text(r->mod), "mod_reason", json_text(r->mod_reason), "imports", imports, "go_mod",
			 gomod_json(r), "go_sum", r->have_sum, "vendor", vendor, "gopath", gopath, "verdict",
			 module_verdict(r), "findings", findings_to_json(&r->findings));
}

void module_report_text(FILE *out, const struct style *st, const struct module_report *r,
			const struct module_env *env)
{
	(void)st;
	fprintf(out, "%s\n", r->dir);
	fprintf(out, "  go           %s\n", env->go_version ? env->go_version : "not found");
	if (strcmp(r->mode, "gopath") == 0) {
		fprintf(out, "  mode         GOPATH mode (GO111MODULE=%s)\n", env->go111module ? env->go111module : "");
		if (r->gopath_dir)
			fprintf(out, "  import path  %s (in %s/src)\n", r->import_path, r->gopath_dir);
		else
			fprintf(out, "  import path  none: not under GOPATH/src\n");
	} else {
		fprintf(out, "  mode         module mode, -mod=%s%s%s%s\n", r->mod ? r->mod : "?",
			r->mod_reason ? " (" : "", r->mod_reason ? r->mod_reason : "", r->mod_reason ? ")" : "");
		if (r->modroot)
			fprintf(out, "  go.mod       %s/go.mod\n", r->modroot);
		const struct gomod *g = &r->gomod;
		if (g->module)
			fprintf(out, "  module       %s\n", g->module);
		if (g->go || g->toolchain)
			fprintf(out, "  go line      %s%s%s\n", g->go ? g->go : "none", g->toolchain ? ", toolchain " : "",
				g->toolchain ? g->toolchain : "");
		for (size_t i = 0; i < g->nreq; i++)
			fprintf(out, "  require      %s %s%s%s\n", g->req[i].path, g->req[i].version,
				g->req[i].indirect ? " // indirect" : "", needed(r, g->req[i].path) ? " (imported)" : "");
		for (size_t i = 0; i < g->nrep; i++)
			fprintf(out, "  replace      %s%s%s => %s%s%s\n", g->rep[i].old_path, g->rep[i].old_version ? " " : "",
				g->rep[i].old_version ? g->rep[i].old_version : "", g->rep[i].new_path,
				g->rep[i].new_version ? " " : "", g->rep[i].new_version ? g->rep[i].new_version : "");
		for (size_t i = 0; i < g->nexcl; i++)
			fprintf(out, "  exclude      %s %s\n", g->excl[i].path, g->excl[i].version);
		if (g->nretract)
			fprintf(out, "  retract      %zu (ignored by the main module's build)\n", g->nretract);
		if (r->modroot)
			fprintf(out, "  go.sum       %s\n", r->have_sum ? "present" : "none");
		if (r->have_vendor_dir)
			fprintf(out, "  vendor       %s (%zu modules)\n", r->have_vendor_txt ? "modules.txt" : "no modules.txt",
				r->vendor.count);
	}
	fprintf(out, "  verdict      %s\n", module_verdict(r));
	for (size_t i = 0; i < r->findings.count; i++) {
		const struct finding *f = &r->findings.items[i];
		fprintf(out, "\n%-7s %s [%s]\n", severity_name(f->severity), f->message, f->id);
		if (f->evidence) {
			fputs("        evidence: ", out);
			for (const char *p = f->evidence; *p; p++) {
				fputc(*p, out);
				if (*p == '\n')
					fputs("        ", out);
			}
			fputc('\n', out);
		}
		if (f->fix)
			fprintf(out, "        fix: %s\n", f->fix);
	}
}
