/* libFuzzer target over the files a target root gives its loader, built
 * once per file (CMake sets FUZZ_ROOT_FILE, FUZZ_ROOT_SPLIT, FUZZ_ROOT_MUSL):
 *
 *   fuzz_ldcache   the input is /etc/ld.so.cache, as it is
 *   fuzz_ldconf    the input is /etc/ld.so.conf and, split as fuzz_tree.h
 *                  says, the files and links its includes reach
 *   fuzz_muslpath  the input is /etc/ld-musl-x86_64.path and the tree its
 *                  directories name
 *
 * The root is kept in memory, as an image's is, so nothing on this machine
 * is read or written. Next to the input it holds a glibc and a musl loader
 * and a program for the one that reads the input (synthesized here, the
 * same every run), and every run goes the way of `canrun check --target
 * rootfs:` (the loader's search through cache, path file and directories,
 * JSON report) and of `canrun host --root` (ld.so.cache, ld.so.conf,
 * loaders, text and JSON). */
#include <elf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "check/checks.h"
#include "cli/style.h"
#include "elf_builder.h"
#include "fuzz_tree.h"
#include "fuzz_util.h"
#include "go/analysis.h"
#include "host/host.h"
#include "loader/ldcache.h"
#include "loader/libcache.h"
#include "report/check_report.h"
#include "report/host_report.h"
#include "target/machine.h"
#include "util/xalloc.h"

#if !defined FUZZ_ROOT_FILE || !defined FUZZ_ROOT_MUSL
#error "FUZZ_ROOT_FILE names the file the input becomes, FUZZ_ROOT_MUSL the loader it is for"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct synth_file {
	const char *path;
	unsigned char *data;
	size_t size;
};

static const char glibc_ldso[] = "lib64/ld-linux-x86-64.so.2";
static const char musl_ldso[] = "lib/ld-musl-x86_64.so.1";

/* A loader as ldso.c reads one: an ELF shared object whose bytes hold
 * FACTS (NUL-separated strings) after a NUL, and its SONAME. */
static void make_loader(struct synth_file *f, const char *path, const char *soname, const char *facts,
			size_t size)
{
	struct dimg d;
	di_init(&d, 64, false);
	img_append(&d.im, "", 1, 1);
	img_append(&d.im, facts, size, 1);
	di_dyn(&d, DT_SONAME, di_str(&d, soname));
	di_dyn(&d, DT_STRTAB, 0);
	di_dyn(&d, DT_STRSZ, 0);
	f->size = di_finish(&d);
	f->data = d.im.buf;
	f->path = path;
}

/* glibc's: its default directories as the one NUL-separated run ld.so
 * keeps, and its version banner. musl's: its bare version string. */
static const char glibc_facts[] = "/lib/x86_64-linux-gnu/\0/usr/lib/x86_64-linux-gnu/\0/lib/\0/usr/lib/\0"
				  "ld.so (GNU libc) release version 2.36.";
static const char musl_facts[] = "1.2.3";

/* A program of each loader that needs its libc, a library seeds can
 * provide, and one nothing provides, so found, missing and tried paths all
 * reach the reports. */
static void make_program(struct synth_file *f, const char *path, const char *interp, const char *libc)
{
	struct dimg d;
	di_init(&d, 64, false);
	di_interp(&d, interp);
	di_dyn(&d, DT_NEEDED, di_str(&d, libc));
	di_dyn(&d, DT_NEEDED, di_str(&d, "libz.so.1"));
	di_dyn(&d, DT_NEEDED, di_str(&d, "libssl.so.3"));
	di_dyn(&d, DT_STRTAB, 0);
	di_dyn(&d, DT_STRSZ, 0);
	di_dyn(&d, DT_FLAGS_1, DF_1_PIE);
	f->size = di_finish(&d);
	f->data = d.im.buf;
	f->path = path;
}

enum { nsynth = 4 };

static const struct synth_file *synth_files(void)
{
	static struct synth_file files[nsynth];
	if (!files[0].data) {
		make_loader(&files[0], glibc_ldso, "ld-linux-x86-64.so.2", glibc_facts, sizeof glibc_facts);
		make_loader(&files[1], musl_ldso, "libc.so", musl_facts, sizeof musl_facts);
		make_program(&files[2], "app/prog-glibc", "/lib64/ld-linux-x86-64.so.2", "libc.so.6");
		make_program(&files[3], "app/prog-musl", "/lib/ld-musl-x86_64.so.1", "libc.so");
	}
	return files;
}

static struct fsroot *build_root(const uint8_t *data, size_t size)
{
	struct fsroot_tree *tree = fsroot_tree_new();
	const struct synth_file *synth = synth_files();
	for (size_t i = 0; i < nsynth; i++) {
		void *copy = xmalloc(synth[i].size);
		memcpy(copy, synth[i].data, synth[i].size);
		fsroot_tree_put(tree, synth[i].path, S_IFREG | 0755, copy, synth[i].size, NULL);
	}
	/* The input comes after, so it may replace any of them. */
	static struct fuzz_entry entries[FUZZ_TREE_MAX_ENTRIES];
	size_t n;
	if (FUZZ_ROOT_SPLIT) {
		n = fuzz_tree_split(data, size, FUZZ_ROOT_FILE, entries);
	} else {
		entries[0] = (struct fuzz_entry){ .type = 'f', .data = data, .size = size };
		snprintf(entries[0].path, sizeof entries[0].path, "%s", FUZZ_ROOT_FILE);
		n = 1;
	}
	fuzz_tree_to_memory(tree, entries, n);
	return fsroot_open_tree(tree, "fuzz-root");
}

/* `canrun check --target rootfs:` of one program: the loader's whole
 * search, then the JSON report. */
static void check_program(struct provides *p, const char *path)
{
	struct libcache cache = { 0 };
	int error;
	struct lib_entry *prog = libcache_get(&cache, p->root, path, &error);
	if (prog && prog->parse_ok) {
		struct go_analysis ga;
		go_analyze(&prog->elf, &prog->needs, 0, &ga);
		struct check_input in = { path, &prog->elf, &prog->needs, &ga, NULL };
		struct check_result res;
		check_binary(&in, p, &cache, prog, path, &res);
		fuzz_json_done(check_result_to_json(p, &res));
		check_result_free(&res);
		go_analysis_free(&ga);
	}
	libcache_free(&cache);
}

#if !FUZZ_ROOT_SPLIT
/* Every name the cache holds, asked as each kind of loader asks: x86-64
 * with glibc-hwcaps on a v3 CPU, arm's two accepted flags values, and the
 * legacy hwcap entries of glibc before 2.37. */
static void lookup_all(struct fsroot *root)
{
	struct fsroot_blob blob;
	int error;
	if (fsroot_read(root, "/" FUZZ_ROOT_FILE, &blob, &error) < 0)
		return;
	struct ldcache cache;
	struct cr_err err;
	if (ldcache_parse(blob.data, blob.size, &cache, &err) == 0) {
		static const char *const hwcaps[] = { "x86-64-v3", "x86-64-v2", NULL };
		struct ldcache_query q[3] = {
			{ .hwcaps = hwcaps, .isa_level = 3 },
			{ .legacy_hwcaps = true },
			{ .hwcaps = hwcaps, .legacy_hwcaps = true },
		};
		ldcache_flags_for(EM_X86_64, 64, false, 0, &q[0].flags_a, &q[0].flags_b);
		ldcache_flags_for(EM_ARM, 32, false, 0x05000400, &q[1].flags_a, &q[1].flags_b);
		ldcache_flags_for(EM_386, 32, false, 0, &q[2].flags_a, &q[2].flags_b);
		/* Bounded: the lookups of a huge cache add nothing new. */
		for (size_t i = 0; i < cache.nentries && i < 64; i++) {
			for (size_t k = 0; k < 3; k++) {
				const char *subdir;
				const char *hit = ldcache_lookup(&cache, cache.entries[i].name, &q[k], &subdir);
				/* Printed, so both are read to their ends and ASan
				 * sees a string that ends outside the copy. */
				fprintf(fuzz_devnull(), "%s %s\n", hit ? hit : "-", subdir ? subdir : "-");
			}
		}
		ldcache_lookup(&cache, "libnot-there.so.1", &q[0], NULL);
		ldcache_free(&cache);
	}
	fsroot_release(root, &blob);
}
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct host_facts h;
	memset(&h, 0, sizeof h);
	struct provides *p = &h.p;
	p->kind = TARGET_ROOTFS;
	p->name = xstrdup("rootfs:fuzz");
	p->root = build_root(data, size);
	p->libc = LIBC_GLIBC;
	snprintf(p->libc_version, sizeof p->libc_version, "2.36");
	snprintf(p->machine, sizeof p->machine, "x86_64");
	p->x86_level = 3;

	/* Only the program whose loader reads the input: the other's
	 * search would cost time and find nothing new. */
	check_program(p, FUZZ_ROOT_MUSL ? "/app/prog-musl" : "/app/prog-glibc");
#if !FUZZ_ROOT_SPLIT
	lookup_all(p->root);
#endif

	/* `canrun host --root`, but with the machine facts fixed. */
	snprintf(h.machine, sizeof h.machine, "x86_64");
	h.platform_arch = machine_platform_arch(h.machine);
	h.x86_level = 3;
	h.other_root = true;
	runtime_files_read(&h.files, p, NULL, RF_ALL);
	host_read_libs(&h);
	/* ld.so.conf's directories are paths inside the root, whatever the
	 * files said: absolute, as ldconfig after its chroot sees them. */
	for (size_t i = 0; i < h.ld_conf.ndirs; i++)
		if (h.ld_conf.dirs[i][0] != '/')
			abort();
	fuzz_json_done(host_json(&h));
	struct style st = { .color = true };
	host_print_text(fuzz_devnull(), &st, &h);
	host_facts_free(&h);
	return 0;
}
