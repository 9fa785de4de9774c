#include "report/sarif.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/finding_rules.h"
#include "util/json.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

struct sarif {
	json_t *run;
	json_t *rules;      /* driver.rules, in the order first met */
	json_t *rule_index; /* id -> its index in rules */
	json_t *results;
	json_t *notifications;
};

static const char *const level_names[] = { "none", "note", "warning", "error" };

enum sarif_level sarif_level_of(enum severity sev)
{
	switch (sev) {
	case SEV_FAIL: return SARIF_ERROR;
	case SEV_WARN: return SARIF_WARNING;
	case SEV_UNKNOWN: return SARIF_NOTE;
	default: return SARIF_NONE;
	}
}

static bool unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
	       c == '_' || c == '~';
}

char *sarif_path_uri(const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	struct strbuf sb = { 0 };
	sb_appendf(&sb, "%s", path[0] == '/' ? "file://" : "");
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if (unreserved(*p) || *p == '/')
			sb_appendf(&sb, "%c", *p);
		else
			sb_appendf(&sb, "%%%c%c", hex[*p >> 4], hex[*p & 15]);
	}
	return sb_take(&sb);
}

struct sarif *sarif_new(const char *command, const char *version)
{
	struct sarif *s = xcalloc(1, sizeof *s);
	s->rules = json_array();
	s->rule_index = json_object();
	s->results = json_array();
	s->notifications = json_array();
	json_t *driver = json_pack("{s:s, s:s, s:s, s:O}", "name", "canrun", "version", version,
				   "semanticVersion", version, "rules", s->rules);
	json_t *args = json_array();
	json_array_append_new(args, json_string(command));
	s->run = json_pack("{s:{s:o}, s:O, s:[{s:o, s:O}], s:{s:s}}", "tool", "driver", driver, "results", s->results,
			   "invocations", "arguments", args, "toolExecutionNotifications", s->notifications,
			   "properties", "command", command);
	/* Relative paths are relative to where canrun ran: the checkout, in CI. */
	char cwd[PATH_MAX];
	if (getcwd(cwd, sizeof cwd) && cwd[0] == '/') {
		char *uri = sarif_path_uri(cwd);
		struct strbuf sb = { 0 };
		sb_appendf(&sb, "%s%s", uri, strcmp(cwd, "/") == 0 ? "" : "/");
		json_object_set_new(s->run, "originalUriBaseIds",
				    json_pack("{s:{s:o}}", "SRCROOT", "uri", json_text(sb.s)));
		free(sb_take(&sb));
		free(uri);
	}
	return s;
}

static const char *rule_fallback(const char *id, char *buf, size_t len)
{
	if (strncmp(id, "require-", 8) == 0)
		snprintf(buf, len, "A protection named by --require is missing: %s.", id + 8);
	else
		snprintf(buf, len, "canrun finding %s.", id);
	return buf;
}

/* The rule of id, added when first met: its sentence, and as help the fix
 * of the first result that has one. */
static size_t rule_for(struct sarif *s, const struct sarif_result *r)
{
	json_t *known = json_object_get(s->rule_index, r->id);
	if (known) {
		size_t i = (size_t)json_integer_value(known);
		json_t *help = json_object_get(json_array_get(s->rules, i), "help");
		if (!help && r->fix)
			json_object_set_new(json_array_get(s->rules, i), "help",
					    json_pack("{s:o}", "text", json_text(r->fix)));
		return i;
	}
	char buf[160];
	const char *text = finding_rule_text(r->id);
	if (!text)
		text = rule_fallback(r->id, buf, sizeof buf);
	json_t *rule = json_pack("{s:o, s:o, s:{s:o}, s:{s:o}, s:{s:s}}", "id", json_text(r->id), "name",
				 json_text(r->id), "shortDescription", "text", json_text(text), "fullDescription",
				 "text", json_text(text), "defaultConfiguration", "level", level_names[r->level]);
	if (r->fix)
		json_object_set_new(rule, "help", json_pack("{s:o}", "text", json_text(r->fix)));
	size_t i = json_array_size(s->rules);
	json_array_append_new(s->rules, rule);
	json_object_set_new(s->rule_index, r->id, json_integer((json_int_t)i));
	return i;
}

static json_t *location(const char *path, const char *image)
{
	json_t *art;
	if (image) {
		/* A file inside an image: its path there, against the image. */
		char *uri = sarif_path_uri(path + strspn(path, "/"));
		art = json_pack("{s:o, s:s}", "uri", json_text(uri), "uriBaseId", "IMAGEROOT");
		free(uri);
	} else {
		char *uri = sarif_path_uri(path);
		art = json_pack("{s:o}", "uri", json_text(uri));
		if (path[0] != '/')
			json_object_set_new(art, "uriBaseId", json_string("SRCROOT"));
		free(uri);
	}
	return json_pack("[{s:{s:o}}]", "physicalLocation", "artifactLocation", art);
}

void sarif_add(struct sarif *s, const struct sarif_result *r)
{
	size_t index = rule_for(s, r);
	struct strbuf text = { 0 };
	sb_appendf(&text, "%s", r->message);
	if (r->target && r->verdict)
		sb_appendf(&text, " (on %s)", r->target);
	json_t *props = json_object();
	const char *const keys[] = { "target", "verdict", "evidence", "fix", "image" };
	const char *const values[] = { r->target, r->verdict, r->evidence, r->fix, r->image };
	for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
		if (values[k])
			json_object_set_new(props, keys[k], json_text(values[k]));
	json_t *res = json_pack("{s:o, s:i, s:s, s:{s:o}, s:o, s:o}", "ruleId", json_text(r->id), "ruleIndex",
				(json_int_t)index, "level", level_names[r->pass ? SARIF_NONE : r->level], "message",
				"text", json_text(text.s), "locations", location(r->path, r->image), "properties", props);
	if (r->pass)
		json_object_set_new(res, "kind", json_string("pass"));
	free(sb_take(&text));
	json_array_append_new(s->results, res);
}

void sarif_add_finding(struct sarif *s, const struct finding *f, const char *path, const char *image,
		       const char *target, const char *verdict)
{
	struct sarif_result r = { f->id, sarif_level_of(f->severity), f->severity == SEV_OK, f->message, f->evidence,
				  f->fix, path, image, target, verdict };
	sarif_add(s, &r);
}

struct hardening_ctx {
	struct sarif *s;
	const struct sarif_result *where;
	bool only_unmet;
};

static void add_note(const char *id, const char *severity, const char *msg, const char *fix, void *vctx)
{
	struct hardening_ctx *c = vctx;
	bool unmet = strcmp(severity, "unmet") == 0;
	if (c->only_unmet && !unmet)
		return;
	struct sarif_result r = *c->where;
	r.id = id;
	r.level = unmet ? SARIF_ERROR : strcmp(severity, "warn") == 0 ? SARIF_WARNING : SARIF_NOTE;
	r.pass = false;
	r.message = msg;
	r.evidence = NULL;
	r.fix = fix;
	sarif_add(c->s, &r);
}

void sarif_add_hardening(struct sarif *s, const struct hardening *h, unsigned unmet, bool only_unmet,
			 const struct sarif_result *where)
{
	struct hardening_ctx c = { s, where, only_unmet };
	harden_each_note(h, unmet, add_note, &c);
}

void sarif_add_error(struct sarif *s, const char *path, const char *reason)
{
	struct strbuf text = { 0 };
	sb_appendf(&text, "%s: %s", path, reason);
	json_array_append_new(s->notifications,
			      json_pack("{s:s, s:{s:o}, s:o}", "level", "error", "message", "text", json_text(text.s),
					"locations", location(path, NULL)));
	free(sb_take(&text));
}

void sarif_set_run_property(struct sarif *s, const char *key, json_t *value)
{
	json_object_set_new(json_object_get(s->run, "properties"), key, value);
}

int sarif_finish(struct sarif *s, FILE *out)
{
	json_t *inv = json_array_get(json_object_get(s->run, "invocations"), 0);
	json_object_set_new(inv, "executionSuccessful", json_boolean(json_array_size(s->notifications) == 0));
	json_t *doc = json_pack("{s:s, s:s, s:[O]}", "$schema",
				"https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json",
				"version", "2.1.0", "runs", s->run);
	int rc = json_print(doc, out);
	json_decref(doc);
	json_decref(s->run);
	json_decref(s->rules);
	json_decref(s->rule_index);
	json_decref(s->results);
	json_decref(s->notifications);
	free(s);
	return rc;
}
