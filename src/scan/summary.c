#include "scan/summary.h"

#include <stdlib.h>
#include <string.h>

#include "util/json.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

static void count(struct summary_counts *c, const char *key, const char *path)
{
	for (size_t i = 0; i < c->count; i++) {
		if (strcmp(c->items[i].key, key) == 0) {
			c->items[i].count++;
			return;
		}
	}
	struct summary_count item = { xstrdup(key), 1, xstrdup(path) };
	XPUSH(c->items, c->count, c->cap, item);
}

static int by_count(const void *a, const void *b)
{
	const struct summary_count *x = a, *y = b;
	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return strcmp(x->key, y->key);
}

/* Most frequent first, then by name: the order both reporters print. */
static void sort_counts(struct summary_counts *c)
{
	if (c->count)
		qsort(c->items, c->count, sizeof *c->items, by_count);
}

void summary_add_walk_error(struct scan_summary *s, const char *path, const char *why)
{
	s->errors++;
	count(&s->error_kinds, why, path);
}

void summary_add(struct scan_summary *s, const char *path, const struct scan_record *r)
{
	if (!r->elf)
		return;
	s->elf++;
	if (r->error) {
		s->errors++;
		count(&s->error_kinds, r->error, path);
		return;
	}
	s->kinds[r->kind]++;
	if (r->max_glibc[0] && (!s->max_glibc[0] || version_compare(r->max_glibc, s->max_glibc) > 0)) {
		snprintf(s->max_glibc, sizeof s->max_glibc, "%s", r->max_glibc);
		free(s->max_glibc_file);
		s->max_glibc_file = xstrdup(path);
	}
	if (r->checked) {
		s->checked++;
		s->verdicts[r->worst]++;
		for (size_t i = 0; i < r->nids; i++) {
			bool seen = false; /* count a reason once per file */
			for (size_t k = 0; k < i && !seen; k++)
				seen = strcmp(r->ids[k], r->ids[i]) == 0;
			if (!seen)
				count(&s->reasons, r->ids[i], path);
		}
	}
	if (r->go) {
		s->go_files++;
		char *key = NULL;
		struct strbuf sb = { 0 };
		sb_appendf(&sb, "%s %s", r->go_version ? r->go_version : "unknown version", r->go_build ? r->go_build : "");
		key = sb_take(&sb);
		count(&s->go, key, path);
		free(key);
	}
	if (r->kind == KIND_RELOCATABLE || r->kind == KIND_CORE || r->kind == KIND_UNKNOWN)
		return;
	const struct hardening *h = &r->harden;
	s->hardened++;
	s->relro_full += h->relro == RELRO_FULL;
	s->relro_partial += h->relro == RELRO_PARTIAL;
	s->pie += h->pie == PIE_YES || h->pie == PIE_STATIC || h->pie == PIE_DSO;
	s->nx += h->nx;
	s->canary += h->canary == CANARY_YES;
	s->canary_go += h->canary == CANARY_GO;
	s->fortify_full += h->fortify == FORTIFY_YES;
	s->fortify_partial += h->fortify == FORTIFY_PARTIAL;
	s->textrel += h->textrel;
	s->exec_stack += !h->nx;
	bool unsafe = false;
	for (size_t i = 0; i < h->nrpath; i++)
		unsafe |= h->rpath[i].issues != 0;
	for (size_t i = 0; i < h->nrunpath; i++)
		unsafe |= h->runpath[i].issues != 0;
	s->unsafe_rpath += unsafe;
	if (r->unmet) {
		s->unmet_files++;
		for (unsigned b = 0; b < 16; b++)
			if (r->unmet & (1u << b))
				s->unmet_by_bit[b]++;
	}
}

static void print_counts(FILE *out, const struct summary_counts *c, size_t limit)
{
	for (size_t i = 0; i < c->count && i < limit; i++) {
		fprintf(out, "  %6zu  ", c->items[i].count);
		put_untrusted(out, c->items[i].key);
		fputs("  (e.g. ", out);
		put_untrusted(out, c->items[i].example);
		fputs(")\n", out);
	}
	if (c->count > limit)
		fprintf(out, "  ... and %zu more\n", c->count - limit);
}

void summary_print(FILE *out, const struct style *st, struct scan_summary *s, const char *target, unsigned require)
{
	sort_counts(&s->reasons);
	sort_counts(&s->go);
	sort_counts(&s->error_kinds);
	fprintf(out, "\n%sSummary%s: %zu files, %zu ELF", style_bold(st), style_reset(st), s->files, s->elf);
	if (s->errors)
		fprintf(out, ", %s%zu unreadable%s", style_red(st), s->errors, style_reset(st));
	fputc('\n', out);
	print_counts(out, &s->error_kinds, 5);
	if (target && s->checked) {
		fputs("on ", out);
		put_untrusted(out, target);
		fprintf(out, ": %zu checked: %s%zu run%s, %s%zu warn%s, %s%zu fail%s, %zu unknown\n", s->checked,
			style_green(st), s->verdicts[SEV_OK], style_reset(st), style_yellow(st), s->verdicts[SEV_WARN],
			style_reset(st), style_red(st), s->verdicts[SEV_FAIL], style_reset(st), s->verdicts[SEV_UNKNOWN]);
		if (s->reasons.count)
			fputs("why:\n", out);
		print_counts(out, &s->reasons, 10);
	}
	if (s->max_glibc[0]) {
		fprintf(out, "highest glibc needed: %s (", s->max_glibc);
		put_untrusted(out, s->max_glibc_file);
		fputs(")\n", out);
	}
	fputs("kinds:", out);
	bool first = true;
	for (int k = 0; k <= KIND_UNKNOWN; k++) {
		if (!s->kinds[k])
			continue;
		fprintf(out, "%s %zu %s", first ? "" : ",", s->kinds[k], binary_kind_name((enum binary_kind)k));
		first = false;
	}
	fputs(first ? " none\n" : "\n", out);
	if (s->hardened)
		fprintf(out, "hardening of %zu programs and libraries: full RELRO %zu, partial %zu; PIE %zu; NX %zu; "
			     "canary %zu (+%zu Go, none by design); FORTIFY all %zu, some %zu; TEXTREL %zu; "
			     "unsafe RPATH/RUNPATH %zu\n",
			s->hardened, s->relro_full, s->relro_partial, s->pie, s->nx, s->canary, s->canary_go,
			s->fortify_full, s->fortify_partial, s->textrel, s->unsafe_rpath);
	if (s->go_files) {
		fprintf(out, "Go: %zu binaries\n", s->go_files);
		print_counts(out, &s->go, 10);
	}
	if (require) {
		fprintf(out, "--require: %s%zu files miss a required protection%s", s->unmet_files ? style_red(st) : "",
			s->unmet_files, s->unmet_files ? style_reset(st) : "");
		for (unsigned b = 0; b < 16; b++)
			if (s->unmet_by_bit[b])
				fprintf(out, " %s %zu", harden_require_name(1u << b), s->unmet_by_bit[b]);
		fputc('\n', out);
	}
}

static json_t *counts_json(const struct summary_counts *c, const char *key_name)
{
	json_t *a = json_array();
	for (size_t i = 0; i < c->count; i++)
		json_array_append_new(a, json_pack("{s:o, s:I, s:o}", key_name, json_text(c->items[i].key), "count",
						   (json_int_t)c->items[i].count, "example", json_text(c->items[i].example)));
	return a;
}

json_t *summary_to_json(struct scan_summary *s, const char *target, unsigned require)
{
	sort_counts(&s->reasons);
	sort_counts(&s->go);
	sort_counts(&s->error_kinds);
	json_t *kinds = json_object();
	for (int k = 0; k <= KIND_UNKNOWN; k++)
		if (s->kinds[k])
			json_object_set_new(kinds, binary_kind_name((enum binary_kind)k), json_integer((json_int_t)s->kinds[k]));
	json_t *unmet = json_object();
	for (unsigned b = 0; b < 16; b++)
		if (s->unmet_by_bit[b])
			json_object_set_new(unmet, harden_require_name(1u << b), json_integer((json_int_t)s->unmet_by_bit[b]));
	json_t *o = json_object();
	json_object_set_new(o, "files", json_integer((json_int_t)s->files));
	json_object_set_new(o, "elf", json_integer((json_int_t)s->elf));
	json_object_set_new(o, "errors", json_integer((json_int_t)s->errors));
	json_object_set_new(o, "error_kinds", counts_json(&s->error_kinds, "error"));
	json_object_set_new(o, "target", json_text(target));
	json_object_set_new(o, "checked", json_integer((json_int_t)s->checked));
	json_object_set_new(o, "verdicts", json_pack("{s:I, s:I, s:I, s:I}", "runs", (json_int_t)s->verdicts[SEV_OK],
		"warns", (json_int_t)s->verdicts[SEV_WARN], "fails", (json_int_t)s->verdicts[SEV_FAIL],
		"unknown", (json_int_t)s->verdicts[SEV_UNKNOWN]));
	json_object_set_new(o, "reasons", counts_json(&s->reasons, "id"));
	json_object_set_new(o, "max_glibc", s->max_glibc[0] ? json_string(s->max_glibc) : json_null());
	json_object_set_new(o, "max_glibc_file", json_text(s->max_glibc_file));
	json_object_set_new(o, "kinds", kinds);
	json_object_set_new(o, "hardening", json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}",
		"files", (json_int_t)s->hardened, "relro_full", (json_int_t)s->relro_full,
		"relro_partial", (json_int_t)s->relro_partial, "pie", (json_int_t)s->pie, "nx", (json_int_t)s->nx,
		"canary", (json_int_t)s->canary, "canary_go", (json_int_t)s->canary_go,
		"fortify_full", (json_int_t)s->fortify_full, "fortify_partial", (json_int_t)s->fortify_partial,
		"textrel", (json_int_t)s->textrel, "unsafe_rpath", (json_int_t)s->unsafe_rpath));
	json_object_set_new(o, "go_files", json_integer((json_int_t)s->go_files));
	json_object_set_new(o, "go", counts_json(&s->go, "build"));
	json_object_set_new(o, "unmet_files", require ? json_integer((json_int_t)s->unmet_files) : json_null());
	json_object_set_new(o, "unmet", unmet);
	return o;
}

static void counts_free(struct summary_counts *c)
{
	for (size_t i = 0; i < c->count; i++) {
		free(c->items[i].key);
		free(c->items[i].example);
	}
	free(c->items);
}

void summary_free(struct scan_summary *s)
{
	counts_free(&s->reasons);
	counts_free(&s->go);
	counts_free(&s->error_kinds);
	free(s->max_glibc_file);
	memset(s, 0, sizeof *s);
}
