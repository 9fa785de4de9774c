/* `canrun toolchain` for people: what runs, what else is there, the
 * environment, then every problem with its fix, worst first. */
#include "report/toolchain_report.h"

#include <string.h>

static const char *sev_word(enum severity s)
{
	return s == SEV_FAIL ? "fail" : s == SEV_WARN ? "warn" : s == SEV_UNKNOWN ? "unknown" : "note";
}

static const char *sev_color(const struct style *st, enum severity s)
{
	return s == SEV_FAIL ? style_red(st) : s >= SEV_UNKNOWN ? style_yellow(st) : style_dim(st);
}

static void print_findings(FILE *out, const struct style *st, const char *subject, const struct findings *f,
			   enum severity only)
{
	for (size_t i = 0; i < f->count; i++) {
		const struct finding *x = &f->items[i];
		if (x->severity != only)
			continue;
		fprintf(out, "%s%-7s%s %s%s", sev_color(st, x->severity), sev_word(x->severity), style_reset(st),
			subject ? subject : "", subject ? ": " : "");
		put_untrusted(out, x->message);
		fprintf(out, " [%s]\n", x->id);
		if (x->evidence && x->severity != SEV_OK) {
			fputs("        e.g. ", out);
			put_untrusted(out, x->evidence);
			fputc('\n', out);
		}
		if (x->fix) {
			fputs("        fix: ", out);
			put_untrusted(out, x->fix);
			fputc('\n', out);
		}
	}
}

void tc_report_text(FILE *out, const struct style *st, const struct tc_report *r, const struct tc_env *e)
{
	fprintf(out, "%sgo on PATH%s (the first one runs)\n", style_bold(st), style_reset(st));
	if (r->nhits == 0)
		fputs("  none\n", out);
	for (size_t i = 0; i < r->nhits; i++) {
		const struct tc_path_hit *h = &r->hits[i];
		fputs("  ", out);
		put_untrusted(out, h->go);
		if (h->target) {
			fputs(" -> ", out);
			put_untrusted(out, h->target);
		}
		if (i == 0)
			fprintf(out, "  %sruns%s", style_green(st), style_reset(st));
		else if (h->tc == r->hits[0].tc)
			fputs("  the same toolchain", out);
		else
			fputs("  shadowed", out);
		fputc('\n', out);
	}
	fprintf(out, "%stoolchains%s\n", style_bold(st), style_reset(st));
	if (r->ntcs == 0)
		fputs("  none found\n", out);
	for (size_t i = 0; i < r->ntcs; i++) {
		const struct toolchain *t = &r->tcs[i];
		fputs("  ", out);
		put_untrusted(out, t->goroot);
		fprintf(out, "  %s", t->version ? t->version : "version unknown");
		fprintf(out, "  %s/%s", t->goos ? t->goos : "?", t->goarch ? t->goarch : "?");
		fprintf(out, "  %s%s%s", t->origin, t->package ? " " : "", t->package ? t->package : "");
		fprintf(out, "  owner %s", t->owner ? t->owner : "?");
		if (t->wins)
			fputs("  first on PATH", out);
		else if (t->on_path)
			fputs("  on PATH, shadowed", out);
		if (t->checked)
			fprintf(out, "  %s%s here%s", t->runs == SEV_FAIL ? style_red(st) : t->runs == SEV_OK ?
				style_green(st) : style_yellow(st), verdict_name(t->runs), style_reset(st));
		fputc('\n', out);
	}
	fprintf(out, "%senvironment%s (env file %s%s)\n", style_bold(st), style_reset(st), e->file ? e->file : "off",
		e->file && !e->file_read ? ": absent" : "");
	for (size_t i = 0; i < TC_ENV_COUNT; i++) {
		fprintf(out, "  %-12s ", e->vars[i].name);
		put_untrusted(out, e->vars[i].value && e->vars[i].value[0] ? e->vars[i].value : "(empty)");
		fprintf(out, "  %s[%s]%s\n", style_dim(st), tc_env_source_name(e->vars[i].source), style_reset(st));
	}
	for (int s = SEV_FAIL; s >= SEV_OK; s--) {
		for (size_t i = 0; i < r->ntcs; i++) {
			print_findings(out, st, r->tcs[i].goroot, &r->tcs[i].host, (enum severity)s);
			print_findings(out, st, r->tcs[i].goroot, &r->tcs[i].audit, (enum severity)s);
		}
		print_findings(out, st, NULL, &r->findings, (enum severity)s);
		print_findings(out, st, NULL, &e->findings, (enum severity)s);
	}
}

void tc_verify_text(FILE *out, const struct style *st, const char *file, const struct tc_verify *v)
{
	enum severity w = findings_worst(&v->findings);
	put_untrusted(out, file);
	fprintf(out, "\n  sha256   %s%s\n", v->sha256,
		!v->expected[0] ? " (no checksum given)" : strcmp(v->sha256, v->expected) == 0 ? " (matches)" : "");
	fprintf(out, "  version  ");
	put_untrusted(out, v->version[0] ? v->version : "(no go/VERSION)");
	fprintf(out, "\n  name     ");
	put_untrusted(out, v->name_version[0] ? v->name_version : "(not a release name)");
	if (v->name_goos[0])
		fprintf(out, " %s/%s", v->name_goos, v->name_goarch);
	fprintf(out, "; this machine is %s/%s\n  members  %zu\n", v->host_goos, v->host_goarch, v->members);
	for (int s = SEV_FAIL; s >= SEV_OK; s--)
		print_findings(out, st, NULL, &v->findings, (enum severity)s);
	fprintf(out, "%s%s%s\n", w == SEV_OK ? style_green(st) : w == SEV_FAIL ? style_red(st) : style_yellow(st),
		w == SEV_OK ? "verified" : w == SEV_FAIL ? "verify failed" : "not verified", style_reset(st));
}
