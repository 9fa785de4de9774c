#include "go/analysis.h"

#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"
#include "util/xalloc.h"

const char *go_mode_name(enum go_mode mode)
{
	return mode == GO_MODE_GO ? "go" : mode == GO_MODE_CGO ? "cgo" : NULL;
}

/* UPX leaves its magic in the first block and its banner in the stub,
 * which follows the headers; looking further would read every page of
 * every big file a scan meets. */
bool upx_packed(const struct elf_file *ef)
{
	size_t head = ef->view.size < 4096 ? (size_t)ef->view.size : 4096;
	size_t stub = ef->view.size < 16384 ? (size_t)ef->view.size : 16384;
	return memmem(ef->view.data, head, "UPX!", 4) != NULL ||
	       memmem(ef->view.data, stub, "$Info: This file is packed with the UPX", 39) != NULL;
}

/* The functions that prove how a program resolves names and users, found
 * in one pass over a table of a million names (the first byte rules out
 * nearly all of them). */
struct cgo_marks {
	bool x_cgo_init, crosscall2, cgo_lookup_host, c_getaddrinfo, c_getpw;
};

static bool starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static void find_marks(const struct go_functab *t, struct cgo_marks *m)
{
	memset(m, 0, sizeof *m);
	for (size_t i = 0; i < t->nfuncs; i++) {
		const char *f = t->funcs[i];
		switch (f[0]) {
		case 'x': m->x_cgo_init |= strcmp(f, "x_cgo_init") == 0; break;
		case 'c': m->crosscall2 |= strcmp(f, "crosscall2") == 0; break;
		case 'n':
			m->cgo_lookup_host |= strcmp(f, "net.cgoLookupHost") == 0;
			m->c_getaddrinfo |= starts(f, "net._C2func_getaddrinfo") || starts(f, "net._C_getaddrinfo");
			break;
		case 'o': m->c_getpw |= starts(f, "os/user._Cfunc_mygetpw") || starts(f, "os/user._C_getpw"); break;
		default: break;
		}
	}
}

/* Go 1.24 raised the kernel floor from 2.6.32 to 3.2 (release notes). */
static const char *go_min_kernel(const char *version)
{
	if (!version || strncmp(version, "go1.", 4) != 0)
		return NULL;
	int minor = atoi(version + 4);
	return minor >= 24 ? "3.2" : minor >= 18 ? "2.6.32" : NULL;
}

/* The exact rebuild for a portable binary when nothing needs C, keeping
 * the target settings and tags the binary was built with. */
static void advise(struct go_analysis *ga, const struct needs *n)
{
	struct strbuf cmd = { 0 }, why = { 0 };
	if (ga->ncgo_packages) {
		sb_appendf(&why, "it links packages with C code (%s", ga->cgo_packages[0]);
		for (size_t i = 1; i < ga->ncgo_packages; i++)
			sb_appendf(&why, ", %s", ga->cgo_packages[i]);
		sb_appendf(&why, "), so it cannot drop cgo: build it on the oldest target (or in a "
				 "container of it), link it statically against musl (CC=musl-gcc "
				 "-ldflags '-linkmode external -extldflags -static'), or ship the libraries it needs");
		ga->rebuild_why = sb_take(&why);
		return;
	}
	bool trap = ga->start_trap.trap;
	if (!ga->cgo && !trap && n->kind != KIND_DYNAMIC_PIE && n->kind != KIND_DYNAMIC_NON_PIE)
		return; /* already static and pure Go */
	/* "command-line-arguments" (go build file.go) and GOPATH-mode local
	 * paths ("_/src/app") are built from their directory. */
	const char *path = ga->mod.path;
	bool local = !path || strcmp(path, "command-line-arguments") == 0 || path[0] == '_';
	const char *pkg = local ? "." : path;
	const char *base = path ? strrchr(path, '/') : NULL;
	const char *out = base ? base + 1 : local ? "app" : path;
	/* GOOS and GOARCH always: the build machine may be another system. */
	sb_appendf(&cmd, "CGO_ENABLED=0 GOOS=linux");
	static const char *const keep[] = { "GOARCH", "GOAMD64", "GOARM", "GO386" };
	for (size_t i = 0; i < sizeof keep / sizeof keep[0]; i++) {
		const char *v = go_modinfo_setting(&ga->mod, keep[i]);
		if (v && !(strcmp(keep[i], "GOAMD64") == 0 && strcmp(v, "v1") == 0))
			sb_appendf(&cmd, " %s=%s", keep[i], v);
	}
	/* Keep the tags it was built with; add netgo and osusergo if missing. */
	const char *tags = go_modinfo_setting(&ga->mod, "-tags");
	struct strbuf all = { 0 };
	sb_appendf(&all, "%s", tags ? tags : "");
	static const char *const wanted[] = { "netgo", "osusergo" };
	for (size_t i = 0; i < 2; i++) {
		bool has = false;
		for (const char *t = all.s; t && *t && !has;) {
			size_t len = strcspn(t, ",");
			has = len == strlen(wanted[i]) && strncmp(t, wanted[i], len) == 0;
			t += len + (t[len] == ',');
		}
		if (!has)
			sb_appendf(&all, "%s%s", all.len ? "," : "", wanted[i]);
	}
	sb_appendf(&cmd, " go build -trimpath -tags %s -o %s %s", all.s, out, pkg);
	free(sb_take(&all));
	if (trap)
		sb_appendf(&why, "linked by the system linker without runtime/cgo, it is killed by SIGTRAP "
				 "at start: Go's own linker (no -linkmode external) makes it static and starting; "
				 "or keep the external link and add import _ \"runtime/cgo\" to the main package");
	else
		sb_appendf(&why, "nothing it links needs C: a pure-Go build is static, needs no libc, "
				 "no loader and no glibc version%s",
			   ga->resolver == GO_MODE_CGO || ga->user_lookup == GO_MODE_CGO
				   ? "; netgo and osusergo keep DNS and user lookups in Go" : "");
	ga->rebuild = sb_take(&cmd);
	ga->rebuild_why = sb_take(&why);
}

/* A program that links no cgo code, told by its file list alone:
 * nothing C-side can be there, so every package that resolves names or
 * users does it in Go. */
static bool analyze_by_files(const struct elf_file *ef, const struct needs *n, bool needs_libc,
			     struct byte_view table, struct go_analysis *ga)
{
	struct go_filetab ft;
	if (!n->go.version || needs_libc || !go_filetab_read(table, &ft) || ft.cgo_code || ft.std[GO_STD_RUNTIME_CGO])
		return false;
	ga->is_go = true;
	ga->table_layout = ft.layout;
	go_start_trap_find(ef, false, &ga->start_trap);
	ga->resolver = ft.std[GO_STD_NET] ? GO_MODE_GO : GO_MODE_ABSENT;
	ga->user_lookup = ft.std[GO_STD_OS_USER] ? GO_MODE_GO : GO_MODE_ABSENT;
	ga->tzdata_embedded = ft.std[GO_STD_TIME_TZDATA];
	ga->x509 = ft.std[GO_STD_CRYPTO_X509];
	/* Without cgo, Go's plugin package is a stub whose Open always fails. */
	ga->plugin = false;
	return true;
}

static void analyze_by_names(const struct elf_file *ef, const struct needs *n, bool needs_libc,
			     const struct byte_view *table, struct go_analysis *ga)
{
	ga->have_functab = table && go_functab_read_table(*table, &ga->functab);
	ga->is_go = n->go.version || n->go_build_id || ga->have_functab;
	if (!ga->is_go)
		return;
	const struct go_functab *t = &ga->functab;
	ga->table_layout = ga->have_functab ? t->layout : NULL;
	/* _cgo_init exists in every Go binary; x_cgo_init and crosscall2 only
	 * where runtime/cgo is linked (go-binaries notes, section 4.1). */
	struct cgo_marks marks;
	find_marks(t, &marks);
	ga->runtime_cgo = ga->have_functab && (marks.x_cgo_init || marks.crosscall2 ||
					       go_functab_has_package(t, "runtime/cgo"));
	ga->cgo = ga->runtime_cgo || needs_libc;
	if (ga->have_functab) {
		go_start_trap_find(ef, ga->runtime_cgo, &ga->start_trap);
		if (go_functab_has_package(t, "net"))
			ga->resolver = marks.c_getaddrinfo || marks.cgo_lookup_host ? GO_MODE_CGO : GO_MODE_GO;
		if (go_functab_has_package(t, "os/user"))
			ga->user_lookup = marks.c_getpw ? GO_MODE_CGO : GO_MODE_GO;
		ga->tzdata_embedded = go_functab_has_package(t, "time/tzdata");
		ga->x509 = go_functab_has_package(t, "crypto/x509");
		ga->plugin = ga->runtime_cgo && go_functab_has_package(t, "plugin");
		for (size_t i = 0; i < t->ncgo_packages; i++) {
			char *pkg = xstrdup(t->cgo_packages[i]);
			XPUSH(ga->cgo_packages, ga->ncgo_packages, ga->cgo_packages_cap, pkg);
		}
	}
}

void go_analyze(const struct elf_file *ef, const struct needs *n, unsigned flags, struct go_analysis *ga)
{
	memset(ga, 0, sizeof *ga);
	if (!n->go.version && !n->go_build_id && upx_packed(ef)) {
		ga->upx = true;
		return;
	}
	/* Go's linker always names its function table when it writes section
	 * headers, so a file with sections, none of them Go's, and no other
	 * trace of Go is not searched byte by byte (that would read every page
	 * of every big library a scan meets). */
	bool other_trace = n->go.version || n->go_build_id || ef->nshdrs == 0 ||
			   elf_section_by_name(ef, ".gopclntab") || elf_section_by_name(ef, ".data.rel.ro.gopclntab");
	bool needs_libc = false;
	for (size_t i = 0; i < n->nneeded; i++)
		needs_libc |= strncmp(n->needed[i], "libc.", 5) == 0;
	/* The table is found once, for both readers. */
	struct byte_view table;
	bool have_table = other_trace && go_pclntab_find(ef, &table);
	if (!have_table || (flags & GO_ANALYZE_PACKAGES) || !analyze_by_files(ef, n, needs_libc, table, ga))
		analyze_by_names(ef, n, needs_libc, have_table ? &table : NULL, ga);
	if (!ga->is_go)
		return;
	go_modinfo_parse(n->go.modinfo ? n->go.modinfo : "", &ga->mod);
	const char *race = go_modinfo_setting(&ga->mod, "-race");
	ga->race = race && strcmp(race, "true") == 0;
	const char *tags = go_modinfo_setting(&ga->mod, "-tags");
	if (tags && strstr(tags, "timetzdata"))
		ga->tzdata_embedded = true;
	ga->min_kernel = go_min_kernel(n->go.version);
	advise(ga, n);
}

void go_analysis_free(struct go_analysis *ga)
{
	go_modinfo_free(&ga->mod);
	if (ga->have_functab)
		go_functab_free(&ga->functab);
	for (size_t i = 0; i < ga->ncgo_packages; i++)
		free(ga->cgo_packages[i]);
	free(ga->cgo_packages);
	free(ga->rebuild);
	free(ga->rebuild_why);
	memset(ga, 0, sizeof *ga);
}
