/* canrun targets [NAME...]: the built-in target profiles, what each provides
 * and where those facts come from. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/common.h"
#include "cli/exit_codes.h"
#include "cli/style.h"
#include "report/needs_report.h"
#include "target/libinv.h"
#include "target/provides.h"
#include "util/json.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

static void targets_usage(FILE *out)
{
	fputs("usage: canrun targets [--json] [--color WHEN] [NAME...]\n\n"
	      "Lists the built-in targets that 'canrun check --target' accepts: for each,\n"
	      "its libc and version, kernel, CPU floor, machines, the files its base\n"
	      "provides (CA bundle, zoneinfo, /etc/passwd, /etc/nsswitch.conf), its library\n"
	      "inventory (Debian 11-13 on x86_64: the minimal install's libraries and how\n"
	      "many more its packages ship), its other names, and where those facts come\n"
	      "from. With NAMEs (a name or an alias, in any case), only those. A profile\n"
	      "is judged on one machine: this one, or the one named as NAME/ARCH\n"
	      "(debian-12/arm64) or with --platform.\n\n"
	      "  --json         one JSON document (schema: docs/json.md)\n"
	      "  --color WHEN   auto (default), always or never; NO_COLOR is honoured\n"
	      "  -h, --help     this help\n\n"
	      "Exit status: 0 listed, 64 usage error or unknown NAME.\n",
	      out);
}

static const char *libc_name(enum libc_kind libc)
{
	switch (libc) {
	case LIBC_GLIBC: return "glibc";
	case LIBC_MUSL: return "musl";
	case LIBC_UNKNOWN: return "unknown";
	case LIBC_NONE: break;
	}
	return NULL;
}

/* A space-separated list as a JSON array of strings. */
static json_t *words_json(const char *list)
{
	json_t *a = json_array();
	for (const char *p = list; p && *p;) {
		p += strspn(p, " ");
		size_t n = strcspn(p, " ");
		if (n)
			json_array_append_new(a, json_textn(p, n));
		p += n;
	}
	return a;
}

/* The library inventory: the minimal install's libraries in full, the
 * packages' SONAMEs as a count. */
static json_t *libraries_json(const struct profile *pr)
{
	const struct libinv *inv = libinv_for_profile(pr, NULL);
	if (!inv)
		return json_null();
	json_t *libs = json_array();
	for (size_t i = 0; i < inv->nlibs; i++) {
		const struct libinv_lib *l = &inv->libs[i];
		json_array_append_new(libs, json_pack("{s:o, s:o, s:o}", "name", json_text(l->name), "path",
						      json_text(l->path), "versions", words_json(l->versions)));
	}
	return json_pack("{s:o, s:s, s:o, s:I, s:o}", "machine", json_text(inv->machine), "release", inv->release,
			 "minbase", libs, "packaged", (json_int_t)libinv_package_count(inv), "source",
			 json_text(inv->source));
}

static json_t *profile_json(const struct profile *pr)
{
	json_t *o = json_object();
	json_object_set_new(o, "name", json_text(pr->name));
	json_object_set_new(o, "aliases", words_json(pr->aliases));
	json_object_set_new(o, "title", json_text(pr->title));
	json_object_set_new(o, "libc", json_text(libc_name(pr->libc)));
	json_object_set_new(o, "libc_version", json_text(pr->libc_version));
	json_object_set_new(o, "kernel", json_text(pr->kernel));
	json_object_set_new(o, "machines", words_json(pr->machines));
	json_object_set_new(o, "x86_level", json_text(x86_isa_level_name(pr->x86_level)));
	json_object_set_new(o, "ca_bundle", json_text(pr->ca_bundle));
	json_object_set_new(o, "tzdata", json_boolean(pr->tzdata));
	json_object_set_new(o, "passwd", json_boolean(pr->passwd));
	json_object_set_new(o, "nsswitch", json_boolean(pr->nsswitch));
	json_object_set_new(o, "container", json_boolean(pr->container));
	json_object_set_new(o, "source", json_text(pr->source));
	const char *why;
	libinv_for_profile(pr, &why);
	json_object_set_new(o, "libraries", libraries_json(pr));
	json_object_set_new(o, "libraries_note", json_text(why));
	return o;
}

static void libc_text(const struct profile *pr, char *buf, size_t len)
{
	const char *name = libc_name(pr->libc);
	if (!name)
		snprintf(buf, len, "none");
	else if (pr->libc_version)
		snprintf(buf, len, "%s %s", name, pr->libc_version);
	else
		snprintf(buf, len, "%s", name);
}

/* The CPU floor without the "x86-64-" every row would repeat. */
static const char *cpu_text(const struct profile *pr)
{
	const char *level = x86_isa_level_name(pr->x86_level);
	return level ? level + strlen("x86-64-") : "-";
}

static void print_detail(FILE *out, const struct style *st, const char *label, const char *text)
{
	fprintf(out, "    %s%-9s%s %s\n", style_dim(st), label, style_reset(st), text);
}

static void print_text(FILE *out, const struct style *st, const struct profile *const *list, size_t n)
{
	int wname = (int)strlen("NAME"), wlibc = (int)strlen("LIBC"), wkernel = (int)strlen("KERNEL");
	char libc[64];
	for (size_t i = 0; i < n; i++) {
		libc_text(list[i], libc, sizeof libc);
		if ((int)strlen(list[i]->name) > wname)
			wname = (int)strlen(list[i]->name);
		if ((int)strlen(libc) > wlibc)
			wlibc = (int)strlen(libc);
		if (list[i]->kernel && (int)strlen(list[i]->kernel) > wkernel)
			wkernel = (int)strlen(list[i]->kernel);
	}
	fprintf(out, "%s%-*s  %-*s  %-*s  %-3s  %s%s\n", style_bold(st), wname, "NAME", wlibc, "LIBC", wkernel,
		"KERNEL", "CPU", "TITLE", style_reset(st));
	for (size_t i = 0; i < n; i++) {
		const struct profile *pr = list[i];
		libc_text(pr, libc, sizeof libc);
		/* A container runs on whatever kernel its host has. */
		const char *kernel = pr->kernel ? pr->kernel : pr->container ? "host" : "-";
		fprintf(out, "%-*s  %-*s  %-*s  %-3s  %s\n", wname, pr->name, wlibc, libc, wkernel, kernel,
			cpu_text(pr), pr->title);
		print_detail(out, st, "machines", pr->machines);
		if (pr->aliases && *pr->aliases)
			print_detail(out, st, "aliases", pr->aliases);
		char files[256];
		snprintf(files, sizeof files, "%s%s; %s; %s; %s", pr->ca_bundle ? "CA bundle " : "no CA bundle",
			 pr->ca_bundle ? pr->ca_bundle : "", pr->tzdata ? "zoneinfo" : "no zoneinfo",
			 pr->passwd ? "/etc/passwd" : "no /etc/passwd",
			 pr->nsswitch ? "/etc/nsswitch.conf" : "no /etc/nsswitch.conf");
		print_detail(out, st, "files", files);
		const char *why;
		const struct libinv *inv = libinv_for_profile(pr, &why);
		if (inv) {
			char libs[200];
			snprintf(libs, sizeof libs, "%zu in the minimal install, %zu more SONAMEs in packages (%s only)",
				 inv->nlibs, libinv_package_count(inv), inv->machine);
			print_detail(out, st, "libraries", libs);
		} else if (why) {
			print_detail(out, st, "libraries", why);
		}
		/* One line per cited fact: a source runs to 300 characters. */
		const char *label = "source";
		struct strbuf sb = { 0 };
		sb_appendf(&sb, "%s", pr->source);
		if (inv)
			sb_appendf(&sb, "; libraries: %s", inv->source);
		char *sources = sb_take(&sb);
		for (const char *p = sources; *p;) {
			const char *end = strstr(p, "; ");
			size_t len = end ? (size_t)(end - p) : strlen(p);
			fprintf(out, "    %s%-9s%s %.*s\n", style_dim(st), label, style_reset(st), (int)len, p);
			label = "";
			p += len + (end ? 2 : 0);
		}
		free(sources);
	}
}

int cmd_targets(int argc, char **argv)
{
	static const struct option options[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "color", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool json = false;
	const char *color = NULL;
	int opt;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (opt) {
		case 'j': json = true; break;
		case 'c': color = optarg; break;
		case 'h': targets_usage(stdout); return EXIT_OK;
		default: targets_usage(stderr); return EXIT_USAGE;
		}
	}
	struct style st;
	if (cli_style(&st, color) != EXIT_OK)
		return EXIT_USAGE;

	size_t nall;
	const struct profile *all = profiles_all(&nall);
	size_t nnames = (size_t)(argc - optind);
	size_t n = nnames ? nnames : nall;
	/* Every name is resolved before anything is printed, so a typo
	 * leaves no partial list behind. */
	const struct profile **list = xcalloc(n ? n : 1, sizeof *list);
	for (size_t i = 0; i < n; i++) {
		list[i] = nnames ? profile_find(argv[optind + (int)i]) : &all[i];
		if (!list[i]) {
			fprintf(stderr, "canrun: %s: no such target; 'canrun targets' lists them\n", argv[optind + (int)i]);
			free(list);
			return EXIT_USAGE;
		}
	}

	size_t nmatrix;
	const char *const *matrix = profiles_default_matrix(&nmatrix);
	if (json) {
		json_t *targets = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(targets, profile_json(list[i]));
		json_t *doc = json_pack("{s:o, s:o}", "targets", targets, "default_matrix",
					json_text_array(matrix, nmatrix));
		json_print(doc, stdout);
		json_decref(doc);
	} else {
		print_text(stdout, &st, list, n);
		if (!nnames) {
			fputs("\nWithout --target, 'canrun check' uses:", stdout);
			for (size_t i = 0; i < nmatrix; i++)
				printf(" %s", matrix[i]);
			fputc('\n', stdout);
		}
	}
	free(list);
	return EXIT_OK;
}
