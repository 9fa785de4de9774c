#include "report/toolchain_report.h"

#include "report/check_report.h"
#include "util/json.h"

static enum severity worst3(enum severity a, enum severity b)
{
	return a > b ? a : b;
}

enum severity tc_report_worst(const struct tc_report *r, const struct tc_env *e)
{
	enum severity w = worst3(findings_worst(&r->findings), findings_worst(&e->findings));
	for (size_t i = 0; i < r->ntcs; i++) {
		const struct toolchain *t = &r->tcs[i];
		w = worst3(w, findings_worst(&t->audit));
		/* Only the go that runs must start here; a shadowed one that
		 * cannot is worth a warning. */
		enum severity h = findings_worst(&t->host);
		w = worst3(w, t->wins ? h : h > SEV_WARN ? SEV_WARN : h);
	}
	return w;
}

static json_t *toolchain_json(const struct toolchain *t)
{
	json_t *o = json_object();
	json_object_set_new(o, "goroot", json_text(t->goroot));
	json_object_set_new(o, "go", json_text(t->go));
	json_object_set_new(o, "version", json_text(t->version));
	json_object_set_new(o, "version_source", json_text(t->version_source));
	json_object_set_new(o, "goos", json_text(t->goos));
	json_object_set_new(o, "goarch", json_text(t->goarch));
	json_object_set_new(o, "origin", json_text(t->origin));
	json_object_set_new(o, "package", json_text(t->package));
	json_object_set_new(o, "found_by", json_text(t->found_by));
	json_object_set_new(o, "on_path", json_boolean(t->on_path));
	json_object_set_new(o, "wins", json_boolean(t->wins));
	json_object_set_new(o, "owner", json_text(t->owner));
	json_object_set_new(o, "host", json_pack("{s:o, s:o}", "verdict",
		t->checked ? json_string(verdict_name(t->runs)) : json_null(), "findings", findings_to_json(&t->host)));
	json_object_set_new(o, "audit", findings_to_json(&t->audit));
	return o;
}

json_t *tc_report_json(const struct tc_report *r, const struct tc_env *e)
{
	json_t *tcs = json_array(), *path = json_array(), *env = json_array();
	for (size_t i = 0; i < r->ntcs; i++)
		json_array_append_new(tcs, toolchain_json(&r->tcs[i]));
	for (size_t i = 0; i < r->nhits; i++) {
		const struct tc_path_hit *h = &r->hits[i];
		json_array_append_new(path, json_pack("{s:o, s:o, s:o, s:o, s:b}", "dir", json_text(h->dir), "go",
			json_text(h->go), "resolves_to", json_text(h->target), "goroot",
			h->tc == (size_t)-1 ? json_null() : json_text(r->tcs[h->tc].goroot), "wins", i == 0));
	}
	for (size_t i = 0; i < TC_ENV_COUNT; i++)
		json_array_append_new(env, json_pack("{s:s, s:o, s:s}", "name", e->vars[i].name, "value",
			json_text(e->vars[i].value), "source", tc_env_source_name(e->vars[i].source)));
	json_t *findings = findings_to_json(&r->findings), *envf = findings_to_json(&e->findings);
	json_array_extend(findings, envf);
	json_decref(envf);
	return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:s}", "toolchains", tcs, "path", path, "env", env,
			 "env_file", json_text(e->file), "env_file_read", json_boolean(e->file_read), "findings", findings,
			 "verdict", severity_name(tc_report_worst(r, e)));
}

json_t *tc_verify_json(const char *file, const struct tc_verify *v)
{
	enum severity w = findings_worst(&v->findings);
	return json_pack("{s:o, s:s, s:o, s:o, s:o, s:o, s:o, s:{s:s, s:s}, s:I, s:b, s:o}", "file", json_text(file),
			 "sha256", v->sha256, "expected_sha256", v->expected[0] ? json_string(v->expected) : json_null(),
			 "version", v->version[0] ? json_text(v->version) : json_null(),
			 "name_version", v->name_version[0] ? json_text(v->name_version) : json_null(),
			 "name_goos", v->name_goos[0] ? json_text(v->name_goos) : json_null(),
			 "name_goarch", v->name_goarch[0] ? json_text(v->name_goarch) : json_null(), "host", "goos",
			 v->host_goos, "goarch", v->host_goarch, "members", (json_int_t)v->members, "ok", w == SEV_OK,
			 "findings", findings_to_json(&v->findings));
}
