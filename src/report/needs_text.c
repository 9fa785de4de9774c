#include <string.h>

#include "report/needs_report.h"

static void print_list(FILE *out, const char *const *items, size_t count, const char *sep)
{
	if (count == 0) {
		fputs("-", out);
		return;
	}
	for (size_t i = 0; i < count; i++) {
		fputs(i ? sep : "", out);
		put_untrusted(out, items[i]);
	}
}

/* Long symbol lists are cut in text; --json has them all. */
static void print_symbols(FILE *out, const char *const *items, size_t count)
{
	enum { shown = 8 };
	print_list(out, items, count < shown ? count : shown, ", ");
	if (count > shown)
		fprintf(out, " and %zu more", count - shown);
}

static void field(FILE *out, const struct style *st, const char *label)
{
	fprintf(out, "  %s%-13s%s", style_dim(st), label, style_reset(st));
}

static void print_versions(FILE *out, const struct style *st, const struct needs *n)
{
	if (n->nversion_needs == 0)
		return;
	field(out, st, "versions");
	fputc('\n', out);
	for (size_t i = 0; i < n->nversion_needs; i++) {
		const struct file_version_needs *f = &n->version_needs[i];
		fputs("    ", out);
		put_untrusted(out, f->file);
		fputc('\n', out);
		for (size_t j = 0; j < f->nversions; j++) {
			const struct version_need *v = &f->versions[j];
			bool top = n->max_glibc[0] && strncmp(v->name, "GLIBC_", 6) == 0 &&
				   strcmp(v->name + 6, n->max_glibc) == 0;
			fprintf(out, "      %s", top ? style_bold(st) : "");
			put_untrusted(out, v->name);
			fprintf(out, "%s%s: ", v->weak ? " (weak)" : "", top ? style_reset(st) : "");
			print_symbols(out, v->symbols, v->nsymbols);
			fputc('\n', out);
		}
	}
}

void needs_print_text(FILE *out, const struct style *st, const char *path,
		      const struct elf_file *ef, const struct needs *n)
{
	char b1[32], b2[32];
	fputs(style_bold(st), out);
	put_untrusted(out, path);
	fprintf(out, "%s\n", style_reset(st));
	field(out, st, "format");
	fprintf(out, "ELF%u %s-endian %s, OS ABI %s\n", ef->bits, ef->big_endian ? "big" : "little",
		elf_machine_name(ef->machine, ef->bits, ef->big_endian, b1, sizeof b1),
		elf_osabi_name(ef->osabi, b2, sizeof b2));
	field(out, st, "kind");
	fprintf(out, "%s\n", binary_kind_phrase(n->kind));
	field(out, st, "interpreter");
	put_untrusted(out, n->interpreter ? n->interpreter : "-");
	fputc('\n', out);
	if (n->soname) {
		field(out, st, "soname");
		put_untrusted(out, n->soname);
		fputc('\n', out);
	}
	field(out, st, "needed");
	print_list(out, n->needed, n->nneeded, ", ");
	fputc('\n', out);
	if (n->nrpath) {
		field(out, st, "rpath");
		print_list(out, (const char *const *)n->rpath, n->nrpath, ":");
		fputc('\n', out);
	}
	if (n->nrunpath) {
		field(out, st, "runpath");
		print_list(out, (const char *const *)n->runpath, n->nrunpath, ":");
		fputc('\n', out);
	}
	if (n->max_glibc[0]) {
		field(out, st, "glibc");
		fputs(style_bold(st), out);
		put_untrusted(out, n->max_glibc);
		fprintf(out, "%s or newer, for ", style_reset(st));
		print_symbols(out, n->max_glibc_symbols, n->nmax_glibc_symbols);
		fputc('\n', out);
	}
	print_versions(out, st, n);
	if (n->min_kernel[0]) {
		field(out, st, "kernel");
		fprintf(out, "Linux %s or newer\n", n->min_kernel);
	}
	if (n->x86_isa_needed) {
		field(out, st, "x86 ISA");
		fprintf(out, "%s\n", x86_isa_level_name(n->x86_isa_needed));
	}
	if (n->ibt || n->shstk) {
		field(out, st, "CET");
		fprintf(out, "%s%s%s\n", n->ibt ? "IBT" : "", n->ibt && n->shstk ? ", " : "",
			n->shstk ? "SHSTK" : "");
	}
	if (n->exec_stack != TRI_UNKNOWN) {
		field(out, st, "exec stack");
		if (n->exec_stack == TRI_YES)
			fprintf(out, "%syes%s\n", style_yellow(st), style_reset(st));
		else
			fputs("no\n", out);
	}
	field(out, st, "bind now");
	fputs(n->bind_now ? "yes\n" : "no\n", out);
	if (n->build_id[0]) {
		field(out, st, "build-id");
		fprintf(out, "%s\n", n->build_id);
	}
	if (n->go.version || n->go_build_id) {
		field(out, st, "go");
		put_untrusted(out, n->go.version ? n->go.version : "Go program (no build info)");
		if (n->go.version && strcmp(n->go.version_source, "build info") != 0) {
			fputs(" (no build info blob: recovered from ", out);
			put_untrusted(out, n->go.version_source);
			fputc(')', out);
		}
		fputc('\n', out);
	}
	for (size_t i = 0; i < ef->nwarnings; i++) {
		field(out, st, "warning");
		fprintf(out, "%s%s%s\n", style_yellow(st), ef->warnings[i], style_reset(st));
	}
}
