#include "check/gate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harden/harden.h"
#include "util/strbuf.h"

/* Each kind names the finding ids it denies: families of warnings a
 * release may refuse although the program starts. "unknown" and "all" go
 * by severity instead. */
struct deny_kind {
	const char *name;
	const char *ids[3];
};

static const struct deny_kind kinds[] = {
	{ "certs-missing", { "ca-bundle-missing" } },
	{ "tzdata-missing", { "tzdata-missing" } },
	{ "user-lookup", { "passwd-missing" } },
	{ "nss-missing", { "nss-module-missing" } },
	{ "cpu-level", { "cpu-level" } },
	{ "emulated", { "machine-emulated", "machine-compat" } },
	{ "lazy-symbol", { "symbol-missing-lazy" } },
	{ "loader-warning", { "loader-warning" } },
	{ "library-package", { "library-package" } },
	{ "unknown", { NULL } }, /* every finding at severity unknown */
	{ "all", { NULL } },     /* every warning and unknown */
};
enum { NKINDS = sizeof kinds / sizeof kinds[0] };

const char *gate_deny_name(unsigned index)
{
	return index < NKINDS ? kinds[index].name : NULL;
}

/* Calls one(item, len) for each comma-separated item; stops at the first
 * that returns -1. */
static int each_item(const char *list, int (*one)(const char *item, size_t len, struct gate_policy *g, struct cr_err *err),
		     struct gate_policy *g, struct cr_err *err)
{
	const char *p = list;
	for (;;) {
		size_t len = strcspn(p, ",");
		if (one(p, len, g, err) < 0)
			return -1;
		if (!p[len])
			return 0;
		p += len + 1;
	}
}

static int unknown_item(const char *what, const char *item, size_t len, const char *valid, struct cr_err *err)
{
	/* The user's own text, cut to keep the line short. */
	return cr_fail(err, "%s: unknown %s '%.*s'; valid: %s", what, strcmp(what, "--deny") == 0 ? "kind" : "property",
		       (int)(len < 32 ? len : 32), item, valid);
}

static int require_one(const char *item, size_t len, struct gate_policy *g, struct cr_err *err)
{
	if (len == 4 && strncmp(item, "runs", 4) == 0) {
		g->runs = true;
		return 0;
	}
	char name[40];
	unsigned bit = 0;
	struct cr_err ignored;
	snprintf(name, sizeof name, "%.*s", (int)(len < 39 ? len : 39), item);
	if (len < 39 && !strchr(name, ',') && harden_require_parse(name, &bit, &ignored) == 0) {
		g->require |= bit;
		return 0;
	}
	struct strbuf valid = { 0 };
	sb_appendf(&valid, "runs");
	for (unsigned b = 1; harden_require_name(b); b <<= 1)
		sb_appendf(&valid, ", %s", harden_require_name(b));
	unknown_item("--require", item, len, valid.s, err);
	free(sb_take(&valid));
	return -1;
}

static int deny_one(const char *item, size_t len, struct gate_policy *g, struct cr_err *err)
{
	for (unsigned i = 0; i < NKINDS; i++) {
		if (strlen(kinds[i].name) == len && strncmp(item, kinds[i].name, len) == 0) {
			g->deny |= 1u << i;
			return 0;
		}
	}
	struct strbuf valid = { 0 };
	for (unsigned i = 0; i < NKINDS; i++)
		sb_appendf(&valid, "%s%s", i ? ", " : "", kinds[i].name);
	unknown_item("--deny", item, len, valid.s, err);
	free(sb_take(&valid));
	return -1;
}

int gate_parse_require(const char *list, struct gate_policy *g, struct cr_err *err)
{
	return each_item(list, require_one, g, err);
}

int gate_parse_deny(const char *list, struct gate_policy *g, struct cr_err *err)
{
	return each_item(list, deny_one, g, err);
}

const char *gate_denied_kind(const struct gate_policy *g, const struct finding *f)
{
	if (f->severity != SEV_WARN && f->severity != SEV_UNKNOWN)
		return NULL;
	for (unsigned i = 0; i < NKINDS; i++) {
		if (!(g->deny & (1u << i)))
			continue;
		const struct deny_kind *k = &kinds[i];
		if (strcmp(k->name, "all") == 0 || (strcmp(k->name, "unknown") == 0 && f->severity == SEV_UNKNOWN))
			return k->name;
		for (size_t j = 0; j < sizeof k->ids / sizeof k->ids[0] && k->ids[j]; j++)
			if (strcmp(k->ids[j], f->id) == 0)
				return k->name;
	}
	return NULL;
}
