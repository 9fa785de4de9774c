#include "report/scan_report.h"

static const char *verdict_colour(const struct style *st, enum severity worst)
{
	return worst == SEV_FAIL ? style_red(st) : worst == SEV_WARN ? style_yellow(st)
		: worst == SEV_UNKNOWN ? style_dim(st) : style_green(st);
}

void scan_print_header(FILE *out, const struct style *st, bool checked)
{
	fprintf(out, "%s", style_bold(st));
	if (checked)
		fprintf(out, "%-8s ", "VERDICT");
	fprintf(out, "%-16s %-6s %-7s %-7s %-3s %-10s %-7s %s%s\n", "KIND", "GLIBC", "RELRO", "CANARY", "NX", "PIE",
	       "FORTIFY", "FILE", style_reset(st));
}

void scan_print_row(FILE *out, const struct style *st, bool checked, const char *path, const struct scan_record *r)
{
	if (r->error) {
		fprintf(out, "%s%-8s%s ", style_red(st), "error", style_reset(st));
		put_untrusted(out, path);
		fputs(": ", out);
		put_untrusted(out, r->error);
		fputc('\n', out);
		return;
	}
	if (checked) {
		if (r->checked)
			fprintf(out, "%s%-8s%s ", verdict_colour(st, r->worst), verdict_name(r->worst), style_reset(st));
		else
			fprintf(out, "%-8s ", "-");
	}
	const struct hardening *h = &r->harden;
	char fortify[32];
	if (h->fortify == FORTIFY_NA)
		snprintf(fortify, sizeof fortify, "-");
	else if (h->fortify == FORTIFY_UNKNOWN)
		snprintf(fortify, sizeof fortify, "?");
	else
		snprintf(fortify, sizeof fortify, "%zu/%zu", h->fortified, h->fortifiable);
	fprintf(out, "%-16s %-6s %-7s %-7s %-3s %-10s %-7s ", binary_kind_name(r->kind), r->max_glibc[0] ? r->max_glibc : "-",
	       harden_relro_name(h->relro), harden_canary_name(h->canary), h->nx ? "yes" : "no", harden_pie_name(h->pie), fortify);
	put_untrusted(out, path);
	if (r->go) {
		fputs(" [", out);
		put_untrusted(out, r->go_version ? r->go_version : "go");
		fputc(' ', out);
		put_untrusted(out, r->go_build);
		fputc(']', out);
	}
	fputc('\n', out);
	if (r->problem) {
		fprintf(out, "         %s%s%s: ", verdict_colour(st, r->worst), severity_name(r->worst), style_reset(st));
		put_untrusted(out, r->problem);
		fprintf(out, " %s[%s]%s\n", style_dim(st), r->problem_id, style_reset(st));
	}
	if (r->unmet) {
		fputs("         missing:", out);
		for (unsigned bit = 1; bit && bit <= r->unmet; bit <<= 1)
			if (r->unmet & bit)
				fprintf(out, " %s", harden_require_name(bit));
		fputc('\n', out);
	}
}

