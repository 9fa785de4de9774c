/* canrun deps FILE...: which libraries the target's loader would load, from
 * where, and what it would say, inside any root file system. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/common.h"
#include "cli/files.h"
#include "cli/exit_codes.h"
#include "host/cpu.h"
#include "cli/style.h"
#include "loader/binfmt.h"
#include "loader/resolve.h"
#include "report/needs_report.h"
#include "target/provides_load.h"
#include "util/json.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

struct deps_opts {
	const char *root_dir, *at, *why, *color;
	const char *ld_library_path;
	unsigned cpu_level;
	bool cpu_given; /* --cpu, or this host's own CPU */
	bool json, list, bind_now;
};

static void deps_usage(FILE *out)
{
	fputs("usage: canrun deps [OPTIONS] FILE...\n\n"
	      "Resolves each program's libraries exactly as the loader inside ROOT would\n"
	      "(glibc's ld.so or musl's, chosen by the program's interpreter), without\n"
	      "running anything, and predicts the loader's own error message and exit status.\n\n"
	      "  --root DIR       the target root file system (default: /)\n"
	      "  --at PATH        where the program will live inside ROOT (default: its own\n"
	      "                   path when it is inside ROOT, else /app/NAME)\n"
	      "  --env NAME=VALUE loader environment: LD_LIBRARY_PATH, LD_BIND_NOW\n"
	      "  --cpu LEVEL      x86-64 level of the CPU: x86-64-v1..v4 (default: this host's\n"
	      "                   with --root /, else x86-64-v1)\n"
	      "  --list           a flat list instead of a tree\n"
	      "  --why LIB        every path tried for LIB, in order, and why each was passed over\n"
	      "  --json           one JSON document (schema: docs/json.md)\n"
	      "  --color WHEN     auto (default), always or never\n"
	      "  -h, --help       this help\n\n"
	      "Exit status: 0 every program starts, 1 some program would not start,\n"
	      "2 some file could not be read, 64 usage error.\n",
	      out);
}

static const char *needed_by_label(const struct resolution *res, const char *argv0, size_t i)
{
	return i == 0 ? argv0 : res->objects[i].name;
}

static void print_tree(FILE *out, const struct style *st, const struct resolution *res, size_t obj,
		       bool *expanded, int depth)
{
	expanded[obj] = true;
	for (size_t i = 0; i < res->nlibs; i++) {
		const struct dep_library *lib = &res->libs[i];
		if (lib->needed_by != obj)
			continue;
		fprintf(out, "%*s", 2 * depth + 2, "");
		put_untrusted(out, lib->name);
		fputs(" => ", out);
		if (lib->object < 0) {
			fprintf(out, "%snot found%s\n", style_red(st), style_reset(st));
			continue;
		}
		put_untrusted(out, lib->path);
		fprintf(out, " %s[%s%s%s]%s\n", style_dim(st), lib_via_name(lib->via),
			lib->hwcaps ? ", glibc-hwcaps/" : "", lib->hwcaps ? lib->hwcaps : "", style_reset(st));
		if (!expanded[lib->object] && res->objects[lib->object].loader == obj)
			print_tree(out, st, res, (size_t)lib->object, expanded, depth + 1);
	}
}

/* The loader's text, one indented line at a time, made safe to print. */
static void print_lines(FILE *out, const char *text, const char *on, const char *off)
{
	for (const char *s = text; s && *s;) {
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s);
		char *line = xstrndup(s, n);
		fprintf(out, "    %s", on);
		put_untrusted(out, line);
		fprintf(out, "%s\n", off);
		free(line);
		s += n + (nl ? 1 : 0);
	}
}

static void print_text(FILE *out, const struct style *st, const char *path, const char *at,
		       const struct deps_opts *o, const struct resolution *res)
{
	fputs(style_bold(st), out);
	put_untrusted(out, path);
	fputs(style_reset(st), out);
	if (strcmp(o->root_dir, "/") != 0 || strcmp(path, at) != 0) {
		fputs(" (as ", out);
		put_untrusted(out, at);
		fputs(" in ", out);
		put_untrusted(out, o->root_dir);
		fputc(')', out);
	}
	fputc('\n', out);
	if (res->interp) {
		fputs("  interpreter ", out);
		put_untrusted(out, res->interp);
		fputs(res->interp_found ? "\n" : " => not found\n", out);
	}
	if (o->list) {
		for (size_t i = 0; i < res->nlibs; i++) {
			const struct dep_library *lib = &res->libs[i];
			fputs("  ", out);
			put_untrusted(out, lib->name);
			fputs(" => ", out);
			put_untrusted(out, lib->object < 0 ? "not found" : lib->path);
			fprintf(out, " (%s)\n", lib->object < 0 ? "missing" : lib_via_name(lib->via));
		}
	} else if (res->nobjects) {
		bool *expanded = xcalloc(res->nobjects, sizeof *expanded);
		print_tree(out, st, res, 0, expanded, 0);
		free(expanded);
	}
	if (o->why) {
		for (size_t i = 0; i < res->nlibs; i++) {
			const struct dep_library *lib = &res->libs[i];
			if (strcmp(lib->name, o->why) != 0)
				continue;
			fputs("  why ", out);
			put_untrusted(out, lib->name);
			fputs(" (needed by ", out);
			put_untrusted(out, needed_by_label(res, at, lib->needed_by));
			fputs("):\n", out);
			if (lib->ntried == 0)
				fprintf(out, "    %s\n", lib->via == VIA_LOADED ? "already loaded under that name"
							: lib->via == VIA_LOADER ? "the loader itself" : "no path tried");
			for (size_t j = 0; j < lib->ntried; j++) {
				fputs("    ", out);
				put_untrusted(out, lib->tried[j].path);
				fprintf(out, ": %s\n", lib->tried[j].verdict);
			}
		}
	}
	for (size_t m = 0; m < res->nmissing; m++)
		if (res->missing[m].lazy)
		{
			fprintf(out, "  %swarning%s: ", style_yellow(st), style_reset(st));
			put_untrusted(out, needed_by_label(res, at, res->missing[m].object));
			fputs(" needs ", out);
			put_untrusted(out, res->missing[m].name);
			if (res->missing[m].version) {
				fputc('@', out);
				put_untrusted(out, res->missing[m].version);
			}
			fputs(", which nothing defines: it fails when first called\n", out);
		}
	if (res->emulator) {
		fputs("  emulated by ", out);
		put_untrusted(out, res->emulator);
		fputs(" (binfmt_misc)\n", out);
	}
	const char *colour = res->exit_status ? style_red(st) : style_green(st);
	fprintf(out, "  %sverdict%s: %s", colour, style_reset(st), res->summary ? res->summary : "");
	if (res->exit_status)
		fprintf(out, " (exit status %d)", res->exit_status);
	fputc('\n', out);
	print_lines(out, res->loader_warnings, "", "");
	print_lines(out, res->loader_error, style_red(st), style_reset(st));
	if (res->loader_error && strstr(res->loader_error, "CPU ISA level is lower than required"))
		fprintf(out, "    (on an %s CPU%s)\n", x86_isa_level_name(o->cpu_level),
			o->cpu_given ? "" : ", assumed: the lowest; --cpu names yours");
}

static const char *errno_name(int e)
{
	switch (e) {
	case 0: return NULL;
	case ENOENT: return "ENOENT";
	case ENOEXEC: return "ENOEXEC";
	case ELIBBAD: return "ELIBBAD";
	case EACCES: return "EACCES";
	case EIO: return "EIO";
	default: return "error";
	}
}

static json_t *to_json(const char *path, const char *at, const struct deps_opts *o, const struct resolution *res)
{
	json_t *libs = json_array();
	for (size_t i = 0; i < res->nlibs; i++) {
		const struct dep_library *lib = &res->libs[i];
		json_t *tried = json_array();
		for (size_t j = 0; j < lib->ntried; j++)
			json_array_append_new(tried, json_pack("{s:o, s:s}", "path", json_text(lib->tried[j].path),
							       "verdict", lib->tried[j].verdict));
		json_array_append_new(libs, json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
			"name", json_text(lib->name),
			"path", lib->object < 0 ? json_null() : json_text(lib->path),
			"real_path", lib->object < 0 ? json_null() : json_text(res->objects[lib->object].real_path),
			"via", lib->object < 0 ? json_null() : json_string(lib_via_name(lib->via)),
			"hwcaps", json_text(lib->hwcaps),
			"needed_by", json_text(needed_by_label(res, at, lib->needed_by)),
			"tried", tried));
	}
	json_t *missing = json_array();
	for (size_t m = 0; m < res->nmissing; m++)
		json_array_append_new(missing, json_pack("{s:o, s:o, s:o, s:b}",
			"name", json_text(res->missing[m].name), "version", json_text(res->missing[m].version),
			"needed_by", json_text(needed_by_label(res, at, res->missing[m].object)),
			"lazy", res->missing[m].lazy));
	const char *family = res->family == LOADER_GLIBC ? "glibc" : res->family == LOADER_MUSL ? "musl" : NULL;
	return json_pack("{s:o, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:i, s:o, s:o, s:o}",
		"path", json_text(path), "root", o->root_dir, "at", json_text(at),
		"interpreter", res->interp ? json_pack("{s:o, s:b}", "path", json_text(res->interp),
						       "found", res->interp_found) : json_null(),
		"loader", family ? json_string(family) : json_null(),
		"libraries", libs, "missing_symbols", missing,
		"loader_error", json_text(res->loader_error),
		"loader_warnings", json_text(res->loader_warnings),
		"exit_status", res->exit_status,
		"exec_error", json_text(errno_name(res->exec_errno)),
		"emulator", json_text(res->emulator),
		"summary", json_text(res->summary));
}

/* Where the program lives inside the root: its own path when the file is
 * inside the root, else --at, else /app/NAME. */
static char *location_in_root(const char *file_real, const char *root_real, const char *at)
{
	if (at)
		return xstrdup(at);
	size_t n = strlen(root_real);
	if (strcmp(root_real, "/") == 0)
		return xstrdup(file_real);
	if (strncmp(file_real, root_real, n) == 0 && file_real[n] == '/')
		return xstrdup(file_real + n);
	const char *base = strrchr(file_real, '/');
	return path_join("/app", base ? base + 1 : file_real);
}

struct deps_run {
	const struct deps_opts *o;
	const struct style *st;
	struct fsroot *root, *host;
	const char *root_real;
	bool host_root;
	struct libcache *cache; /* shared by the worker threads: it locks */
};

static void deps_one(const char *path, void *ctx, struct file_answer *out)
{
	struct deps_run *run = ctx;
	const struct deps_opts *o = run->o;
	char file_real[PATH_MAX];
	int error = 0;
	struct lib_entry prog;
	struct lib_entry *program = &prog;
	if (!realpath(path, file_real)) {
		out->error = xstrdup(strerror(errno));
		return;
	}
	/* The program is its own, not the cache's: only libraries are kept
	 * from one program to the next. */
	if (libcache_read_program(run->host, file_real, &prog, &error) < 0) {
		out->error = xstrdup(strerror(error));
		return;
	}
	if (!program->parse_ok) {
		out->error = xstrdup(program->err.msg);
		libcache_program_free(&prog);
		return;
	}
	char *at = location_in_root(file_real, run->root_real, o->at);
	struct resolve_opts ro = { .at = at, .argv0 = at, .ld_library_path = o->ld_library_path,
				   .cpu_level = o->cpu_level, .bind_now = o->bind_now,
				   .binfmt_dir = run->host_root ? BINFMT_MISC_DIR : NULL };
	struct resolution res;
	resolve_program(&res, run->root, run->cache, program, &ro);
	if (o->json) {
		out->json = to_json(path, at, o, &res);
	} else {
		size_t len;
		FILE *mem = xmemstream(&out->text, &len);
		print_text(mem, run->st, path, at, o, &res);
		fclose(mem);
	}
	out->status = res.exit_status ? 1 : 0;
	resolution_free(&res);
	libcache_program_free(&prog);
	free(at);
}

int cmd_deps(int argc, char **argv)
{
	static const struct option options[] = {
		{ "root", required_argument, NULL, 'r' }, { "at", required_argument, NULL, 'a' },
		{ "env", required_argument, NULL, 'e' }, { "cpu", required_argument, NULL, 'p' },
		{ "list", no_argument, NULL, 'l' }, { "why", required_argument, NULL, 'w' },
		{ "json", no_argument, NULL, 'j' }, { "color", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 },
	};
	struct deps_opts o = { .root_dir = "/" };
	const char *cpu = NULL;
	int opt;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (opt) {
		case 'r': o.root_dir = optarg; break;
		case 'a': o.at = optarg; break;
		case 'e':
			if (strncmp(optarg, "LD_LIBRARY_PATH=", 16) == 0) {
				o.ld_library_path = optarg + 16;
			} else if (strncmp(optarg, "LD_BIND_NOW=", 12) == 0) {
				o.bind_now = optarg[12] != '\0';
			} else {
				fprintf(stderr, "canrun: --env takes LD_LIBRARY_PATH=... or LD_BIND_NOW=...\n");
				return EXIT_USAGE;
			}
			break;
		case 'p': cpu = optarg; break;
		case 'l': o.list = true; break;
		case 'w': o.why = optarg; break;
		case 'j': o.json = true; break;
		case 'c': o.color = optarg; break;
		case 'h': deps_usage(stdout); return EXIT_OK;
		default: deps_usage(stderr); return EXIT_USAGE;
		}
	}
	struct style st;
	if (cli_style(&st, o.color) != EXIT_OK)
		return EXIT_USAGE;
	if (cpu && cli_parse_cpu(cpu, &o.cpu_level) < 0) {
		fprintf(stderr, "canrun: --cpu takes x86-64-v1, x86-64-v2, x86-64-v3 or x86-64-v4\n");
		return EXIT_USAGE;
	}
	if (cli_need_files(argc, optind, "deps", deps_usage) != EXIT_OK)
		return EXIT_USAGE;
	if (o.at && argc - optind > 1) {
		fprintf(stderr, "canrun: --at names one program's place; give one FILE with it\n");
		return EXIT_USAGE;
	}
	char root_real[PATH_MAX];
	struct cr_err err;
	if (!realpath(o.root_dir, root_real)) {
		fprintf(stderr, "canrun: %s: %s\n", o.root_dir, strerror(errno));
		return EXIT_UNREADABLE;
	}
	struct fsroot *root = fsroot_open_dir(root_real, &err);
	if (!root) {
		fprintf(stderr, "canrun: %s: %s\n", o.root_dir, err.msg);
		return EXIT_UNREADABLE;
	}
	bool host_root = strcmp(root_real, "/") == 0;
	struct fsroot *host = host_root ? root : fsroot_open_dir("/", &err);
	o.cpu_given = o.cpu_level || host_root;
	if (!o.cpu_level)
		o.cpu_level = host_root ? host_cpu_level() : 1;

	/* Programs are resolved on every CPU, sharing one cache of parsed
	 * libraries, and printed in the order given. */
	pthread_mutex_t lock;
	pthread_mutex_init(&lock, NULL);
	struct libcache cache = { .lock = &lock };
	struct deps_run ctx = { &o, &st, root, host, root_real, host_root, &cache };
	struct file_run run = { o.json, false, deps_one, &ctx };
	int status = cli_run_files(&run, argv + optind, (size_t)(argc - optind));
	libcache_free(&cache);
	pthread_mutex_destroy(&lock);
	if (host != root)
		fsroot_close(host);
	fsroot_close(root);
	return status;
}
