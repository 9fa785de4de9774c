/* Human text for hardening: the table's cells with their colours, and the
 * notes that explain what a cell cannot (why RELRO is only partial, why Go
 * has no canary, which RPATH entry is unsafe). */
#include <stdlib.h>
#include <string.h>

#include "harden/harden.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

enum tone { TONE_GOOD, TONE_MEH, TONE_BAD, TONE_NONE };

static const char *tone_colour(const struct style *st, enum tone t)
{
	return t == TONE_GOOD ? style_green(st) : t == TONE_MEH ? style_yellow(st)
	       : t == TONE_BAD ? style_red(st) : style_dim(st);
}

struct cell {
	char text[32];
	enum tone tone;
};

static struct cell relro_cell(const struct hardening *h)
{
	struct cell c = { "", h->relro == RELRO_FULL ? TONE_GOOD : h->relro == RELRO_PARTIAL ? TONE_MEH : TONE_BAD };
	snprintf(c.text, sizeof c.text, "%s", harden_relro_name(h->relro));
	return c;
}

static struct cell canary_cell(const struct hardening *h)
{
	/* Go's "go" is by design, not a failure: never red. */
	struct cell c = { "", h->canary == CANARY_NO ? TONE_BAD : h->canary == CANARY_UNKNOWN ? TONE_NONE : TONE_GOOD };
	snprintf(c.text, sizeof c.text, "%s", harden_canary_name(h->canary));
	return c;
}

static struct cell nx_cell(const struct hardening *h)
{
	struct cell c = { "", h->nx ? TONE_GOOD : TONE_BAD };
	snprintf(c.text, sizeof c.text, "%s", h->nx ? "yes" : "no");
	return c;
}

static struct cell pie_cell(const struct hardening *h)
{
	struct cell c = { "", h->pie == PIE_NO ? TONE_BAD : h->pie == PIE_REL ? TONE_NONE : TONE_GOOD };
	snprintf(c.text, sizeof c.text, "%s", harden_pie_name(h->pie));
	return c;
}

static struct cell path_cell(const struct rpath_dir *d, size_t n)
{
	bool unsafe = false;
	for (size_t i = 0; i < n; i++)
		unsafe |= d[i].issues != 0;
	struct cell c = { "", unsafe ? TONE_BAD : n ? TONE_MEH : TONE_GOOD };
	snprintf(c.text, sizeof c.text, "%s", unsafe ? "unsafe" : n ? "yes" : "no");
	return c;
}

static struct cell fortify_cell(const struct hardening *h)
{
	struct cell c = { "", TONE_NONE };
	switch (h->fortify) {
	case FORTIFY_YES: c.tone = TONE_GOOD; break;
	case FORTIFY_PARTIAL: c.tone = TONE_MEH; break;
	case FORTIFY_NO: c.tone = TONE_BAD; break;
	default: break;
	}
	if (h->fortify == FORTIFY_NA || h->fortify == FORTIFY_UNKNOWN)
		snprintf(c.text, sizeof c.text, "%s", harden_fortify_name(h->fortify));
	else
		snprintf(c.text, sizeof c.text, "%s %zu/%zu", harden_fortify_name(h->fortify), h->fortified,
			 h->fortifiable);
	return c;
}

static struct cell cet_cell(const struct hardening *h)
{
	struct cell c = { "", TONE_NONE };
	if (h->ibt == TRI_UNKNOWN) {
		snprintf(c.text, sizeof c.text, "n/a");
	} else if (h->ibt == TRI_YES || h->shstk == TRI_YES) {
		c.tone = h->ibt == h->shstk ? TONE_GOOD : TONE_MEH;
		snprintf(c.text, sizeof c.text, "%s%s%s", h->ibt == TRI_YES ? "ibt" : "",
			 h->ibt == h->shstk ? "," : "", h->shstk == TRI_YES ? "shstk" : "");
	} else {
		snprintf(c.text, sizeof c.text, "no"); /* not red: few distributions mark CET yet */
	}
	return c;
}

enum { NCOLS = 8 };
static const char *const headers[NCOLS] = { "RELRO", "CANARY", "NX", "PIE", "RPATH", "RUNPATH", "FORTIFY", "CET" };
static const int widths[NCOLS] = { 8, 8, 4, 11, 7, 8, 14, 10 };

void harden_print_header(FILE *out, const struct style *st)
{
	fputs(style_bold(st), out);
	for (int i = 0; i < NCOLS; i++)
		fprintf(out, "%-*s", widths[i], headers[i]);
	fprintf(out, "FILE%s\n", style_reset(st));
}

void harden_print_row(FILE *out, const struct style *st, const char *path, const struct hardening *h)
{
	struct cell cells[NCOLS] = {
		relro_cell(h), canary_cell(h), nx_cell(h), pie_cell(h), path_cell(h->rpath, h->nrpath),
		path_cell(h->runpath, h->nrunpath), fortify_cell(h), cet_cell(h),
	};
	for (int i = 0; i < NCOLS; i++) {
		fprintf(out, "%s%s%s", tone_colour(st, cells[i].tone), cells[i].text, style_reset(st));
		int pad = widths[i] - (int)strlen(cells[i].text);
		fprintf(out, "%*s", pad > 1 ? pad : 1, "");
	}
	put_untrusted(out, path);
	fputc('\n', out);
}

/* --- notes ------------------------------------------------------------------- */

static void dir_notes(const char *id, const char *tag, const struct rpath_dir *d, size_t n, harden_note_fn *fn,
		      void *ctx)
{
	static const char *const why[] = {
		"is relative: it is searched from the current directory",
		"is empty: it means the current directory",
		"uses $ORIGIN in a setuid/setgid file",
		"is writable by anyone in the target",
	};
	for (size_t i = 0; i < n; i++) {
		for (unsigned b = 0; b < 4; b++) {
			if (!(d[i].issues & (1u << b)))
				continue;
			struct strbuf sb = { 0 };
			sb_appendf(&sb, "%s entry '%s' %s", tag, d[i].dir, why[b]);
			fn(id, "warn", sb.s, "use absolute directories that only root can write, or $ORIGIN-based "
			   "ones in programs that are not setuid", ctx);
			free(sb_take(&sb));
		}
	}
}

static const char *unmet_reason(const struct hardening *h, unsigned bit, char *buf, size_t len)
{
	switch (bit) {
	case REQ_FULL_RELRO:
	case REQ_RELRO: snprintf(buf, len, "RELRO is %s", harden_relro_name(h->relro)); break;
	case REQ_PIE: snprintf(buf, len, "PIE is %s", harden_pie_name(h->pie)); break;
	case REQ_NX: snprintf(buf, len, "the stack is executable"); break;
	case REQ_CANARY: snprintf(buf, len, "canary is %s", harden_canary_name(h->canary)); break;
	case REQ_FORTIFY: snprintf(buf, len, "FORTIFY is %s", harden_fortify_name(h->fortify)); break;
	case REQ_NO_RPATH: snprintf(buf, len, "it has an RPATH"); break;
	case REQ_NO_RUNPATH: snprintf(buf, len, "it has a RUNPATH"); break;
	case REQ_SAFE_RPATH: snprintf(buf, len, "an RPATH or RUNPATH entry is unsafe"); break;
	case REQ_NO_TEXTREL: snprintf(buf, len, "it has text relocations"); break;
	case REQ_IBT: snprintf(buf, len, "it is not marked for IBT"); break;
	case REQ_SHSTK: snprintf(buf, len, "it is not marked for SHSTK"); break;
	case REQ_NO_UPX: snprintf(buf, len, "it is packed with UPX"); break;
	default: snprintf(buf, len, "not met"); break;
	}
	return buf;
}

/* How to get each required property: the build flags that give it. */
static const char *unmet_fix(unsigned bit)
{
	switch (bit) {
	case REQ_FULL_RELRO: return "link with -Wl,-z,relro,-z,now";
	case REQ_RELRO: return "link with -Wl,-z,relro";
	case REQ_PIE: return "build with -fPIE -pie (Go: -buildmode=pie)";
	case REQ_NX: return "link with -Wl,-z,noexecstack (add .note.GNU-stack to hand-written assembly)";
	case REQ_CANARY: return "compile with -fstack-protector-strong";
	case REQ_FORTIFY: return "compile with -O2 -D_FORTIFY_SOURCE=2 (or 3)";
	case REQ_NO_RPATH: return "link without -rpath, or with --enable-new-dtags for a RUNPATH";
	case REQ_NO_RUNPATH: return "link without -rpath; install the libraries where the loader looks";
	case REQ_SAFE_RPATH: return "use absolute directories that only root can write, or $ORIGIN-based ones";
	case REQ_NO_TEXTREL: return "compile every object with -fPIC";
	case REQ_IBT:
	case REQ_SHSTK: return "compile every object with -fcf-protection=full (and CET-marked assembly)";
	case REQ_NO_UPX: return "ship the program unpacked";
	default: return NULL;
	}
}

void harden_each_note(const struct hardening *h, unsigned unmet, harden_note_fn *fn, void *ctx)
{
	struct strbuf sb = { 0 };
	if (h->upx)
		fn("upx-packed", "warn", "packed with UPX: what can be read is the unpacker's stub, not the program it unpacks",
		   "ship the program unpacked", ctx);
	if (h->relro_note) {
		sb_appendf(&sb, "RELRO %s: %s", harden_relro_name(h->relro), h->relro_note);
		fn("relro-weak", "warn", sb.s, unmet_fix(REQ_FULL_RELRO), ctx);
		free(sb_take(&sb));
	}
	if (h->canary == CANARY_GO)
		fn("canary-go", "note", "canary: none by design: Go code does not use one, the Go runtime checks stack bounds",
		   NULL, ctx);
	if (h->canary == CANARY_UNKNOWN)
		fn("canary-unknown", "note", "canary: unknown: a stripped static program has no symbols left to tell",
		   NULL, ctx);
	if (h->nx_default && h->pie != PIE_REL)
		fn("nx-default", "warn", "no PT_GNU_STACK: the architecture's default stack applies, executable on x86",
		   unmet_fix(REQ_NX), ctx);
	dir_notes("rpath-unsafe", "RPATH", h->rpath, h->nrpath, fn, ctx);
	dir_notes("runpath-unsafe", "RUNPATH", h->runpath, h->nrunpath, fn, ctx);
	if (h->textrel)
		fn("textrel", "warn", "TEXTREL: relocations patch the code, so its pages are made writable at load time",
		   unmet_fix(REQ_NO_TEXTREL), ctx);
	if (h->fortify_note && !(h->go && !h->cgo)) {
		sb_appendf(&sb, "FORTIFY %s: %s", harden_fortify_name(h->fortify), h->fortify_note);
		fn("fortify-note", "note", sb.s, NULL, ctx);
		free(sb_take(&sb));
	}
	for (unsigned bit = 1; bit && bit <= REQ_NO_UPX; bit <<= 1) {
		if (!(unmet & bit))
			continue;
		char why[80], id[32];
		sb_appendf(&sb, "--require %s: %s", harden_require_name(bit), unmet_reason(h, bit, why, sizeof why));
		snprintf(id, sizeof id, "require-%s", harden_require_name(bit));
		fn(id, "unmet", sb.s, unmet_fix(bit), ctx);
		free(sb_take(&sb));
	}
}

struct note_ctx {
	FILE *out;
	const struct style *st;
	const char *path; /* NULL: indented under the file's detail */
	bool *first;
};

static void print_note(const char *id, const char *severity, const char *msg, const char *fix, void *vctx)
{
	(void)id;
	(void)fix; /* the table's notes are one line each */
	struct note_ctx *c = vctx;
	if (c->first && *c->first) {
		fputc('\n', c->out);
		*c->first = false;
	}
	const char *colour = strcmp(severity, "note") == 0 ? style_dim(c->st) : strcmp(severity, "warn") == 0
			     ? style_yellow(c->st) : style_red(c->st);
	if (!c->path)
		fputs("  ", c->out);
	fprintf(c->out, "%s%-7s%s ", colour, severity, style_reset(c->st));
	if (c->path) {
		put_untrusted(c->out, c->path);
		fputs(": ", c->out);
	}
	put_untrusted(c->out, msg);
	fputc('\n', c->out);
}

void harden_print_notes(FILE *out, const struct style *st, const char *path, const struct hardening *h,
			unsigned unmet, bool *first)
{
	struct note_ctx c = { out, st, path, first };
	harden_each_note(h, unmet, print_note, &c);
}

void harden_print_text(FILE *out, const struct style *st, const char *path, const struct hardening *h)
{
	put_untrusted(out, path);
	fputc('\n', out);
	struct cell cells[NCOLS] = {
		relro_cell(h), canary_cell(h), nx_cell(h), pie_cell(h), path_cell(h->rpath, h->nrpath),
		path_cell(h->runpath, h->nrunpath), fortify_cell(h), cet_cell(h),
	};
	for (int i = 0; i < NCOLS; i++)
		fprintf(out, "  %-9s%s%s%s\n", headers[i], tone_colour(st, cells[i].tone), cells[i].text, style_reset(st));
	fprintf(out, "  %-9s%s\n", "TEXTREL", h->textrel ? "yes" : "no");
	fprintf(out, "  %-9s%s\n", "UPX", h->upx ? "yes" : "no");
	fprintf(out, "  %-9s%s\n", "GO", h->cgo ? "cgo" : h->go ? "yes" : "no");
	struct note_ctx c = { out, st, NULL, NULL };
	harden_each_note(h, 0, print_note, &c);
}
