#include "report/check_report.h"

#include "report/needs_report.h"
#include "util/json.h"

json_t *findings_to_json(const struct findings *f)
{
	json_t *items = json_array();
	for (size_t i = 0; i < f->count; i++) {
		const struct finding *x = &f->items[i];
		json_array_append_new(items, json_pack("{s:s, s:s, s:o, s:o, s:o}", "id", x->id,
			"severity", severity_name(x->severity), "message", json_text(x->message),
			"evidence", json_text(x->evidence), "fix", json_text(x->fix)));
	}
	return items;
}

json_t *check_result_to_json(const struct provides *p, const struct check_result *c)
{
	return json_pack("{s:o, s:o, s:s, s:{s:s, s:b}, s:s, s:o, s:i, s:o}", "target", json_text(p->name),
			 "distro", json_text(p->distro), "machine", p->machine,
			 "cpu", "level", x86_isa_level_name(p->x86_level ? p->x86_level : 1), "assumed", p->cpu_assumed,
			 "verdict", verdict_name(findings_worst(&c->findings)),
			 "loader_error", json_text(c->loader_error), "exit_status", c->exit_status,
			 "findings", findings_to_json(&c->findings));
}
