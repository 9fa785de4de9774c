#include "scan/scan_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check/checks.h"
#include "go/analysis.h"
#include "loader/symbols.h"
#include "report/check_report.h"
#include "report/needs_report.h"
#include "util/json.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

static bool elf_magic(const unsigned char *p, size_t n)
{
	return n >= 4 && p[0] == 0x7f && p[1] == 'E' && p[2] == 'L' && p[3] == 'F';
}

/* Programs and libraries can be checked; objects and core files cannot run. */
static bool checkable(enum binary_kind kind)
{
	return kind == KIND_STATIC || kind == KIND_STATIC_PIE || kind == KIND_DYNAMIC_PIE ||
	       kind == KIND_DYNAMIC_NON_PIE || kind == KIND_SHARED_LIBRARY;
}

/* A host file: the first bytes decide, so only ELF files are mapped. */
static int read_host(const struct scan_job *job, struct lib_entry *prog, mode_t *mode, struct scan_record *r)
{
	int fd = open(job->path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return errno == ELOOP ? 0 : -errno; /* replaced by a symlink since the walk */
	unsigned char head[4];
	ssize_t got = pread(fd, head, sizeof head, 0);
	if (got < 0) {
		int e = errno;
		close(fd);
		return -e;
	}
	if (!elf_magic(head, (size_t)got)) {
		close(fd);
		return 0;
	}
	r->elf = true;
	struct stat st;
	if (fstat(fd, &st) == 0) {
		*mode = st.st_mode;
		prog->dev = st.st_dev;
		prog->ino = st.st_ino;
	}
	int rc = elf_open_fd(&prog->elf, fd, &prog->err);
	close(fd);
	if (rc < 0) {
		r->error = xstrdup(prog->err.msg);
		return 0;
	}
	prog->parse_ok = 1;
	return 0;
}

/* A file of an image's tree, already in memory. */
static int read_tree(const struct scan_job *job, struct lib_entry *prog, struct scan_record *r)
{
	int error;
	if (fsroot_read(job->from, job->path, &prog->blob, &error) < 0)
		return -error;
	prog->root = job->from;
	if (!elf_magic(prog->blob.data, prog->blob.size))
		return 0;
	r->elf = true;
	struct fsroot_stat st;
	if (fsroot_stat(job->from, job->path, &st, &error) == 0) {
		prog->dev = st.dev;
		prog->ino = st.ino;
	}
	if (elf_parse_memory(&prog->elf, prog->blob.data, prog->blob.size, &prog->err) < 0) {
		r->error = xstrdup(prog->err.msg);
		return 0;
	}
	prog->parse_ok = 1;
	return 0;
}

/* "CGO_ENABLED=0 -tags=netgo,osusergo static": what decides where it runs. */
static char *go_build(const struct go_analysis *ga, const struct needs *n)
{
	struct strbuf sb = { 0 };
	const char *cgo = go_modinfo_setting(&ga->mod, "CGO_ENABLED");
	const char *tags = go_modinfo_setting(&ga->mod, "-tags");
	const char *mode = go_modinfo_setting(&ga->mod, "-buildmode");
	if (cgo)
		sb_appendf(&sb, "CGO_ENABLED=%s", cgo);
	if (tags && *tags)
		sb_appendf(&sb, "%s-tags=%s", sb.len ? " " : "", tags);
	if (mode && strcmp(mode, "exe") != 0)
		sb_appendf(&sb, "%s-buildmode=%s", sb.len ? " " : "", mode);
	sb_appendf(&sb, "%s%s", sb.len ? " " : "",
		   n->kind == KIND_STATIC || n->kind == KIND_STATIC_PIE ? "static"
		   : n->kind == KIND_SHARED_LIBRARY ? "shared library" : "dynamic");
	if (ga->resolver == GO_MODE_CGO)
		sb_appendf(&sb, " cgo-resolver");
	return sb_take(&sb);
}

static json_t *go_json(const struct scan_record *r, const struct go_analysis *ga)
{
	return json_pack("{s:o, s:b, s:o, s:o, s:o, s:o}", "version", json_text(r->go_version), "cgo", ga->cgo,
			 "resolver", json_text(go_mode_name(ga->resolver)),
			 "user_lookup", json_text(go_mode_name(ga->user_lookup)), "build", json_text(r->go_build),
			 "rebuild", json_text(ga->rebuild));
}

static void check_it(const struct scan_job *job, const struct scan_config *cfg, struct lib_entry *prog,
		     const struct go_analysis *ga, struct scan_record *r, json_t **check_json)
{
	struct check_input in = { job->path, &prog->elf, &prog->needs, ga, NULL };
	char *at = job->at ? xstrdup(job->at) : check_default_at(cfg->target, job->path);
	struct check_result res;
	check_binary(&in, cfg->target, cfg->cache, prog, at, &res);
	r->checked = true;
	r->worst = findings_worst(&res.findings);
	for (size_t i = 0; i < res.findings.count; i++) {
		const struct finding *f = &res.findings.items[i];
		if (f->severity >= SEV_WARN)
			XPUSH(r->ids, r->nids, r->ids_cap, f->id);
		if (!r->problem && r->worst > SEV_OK && f->severity == r->worst) {
			r->problem = xstrdup(f->message);
			r->problem_id = f->id;
		}
	}
	if (cfg->want_json) {
		*check_json = check_result_to_json(cfg->target, &res);
		json_object_set_new(*check_json, "at", json_text(at));
	}
	free(at);
	if (cfg->keep_findings) {
		r->findings = res.findings;
		memset(&res.findings, 0, sizeof res.findings);
	}
	check_result_free(&res);
}

struct scan_record *scan_file(const struct scan_job *job, const struct scan_config *cfg)
{
	struct scan_record *r = xcalloc(1, sizeof *r);
	struct lib_entry prog = { 0 };
	mode_t mode = job->mode;
	int rc = job->from ? read_tree(job, &prog, r) : read_host(job, &prog, &mode, r);
	if (rc < 0) {
		/* Unreadable: whether it is ELF cannot be known, so say so. */
		r->elf = true;
		r->error = xstrdup(strerror(-rc));
	}
	if (!r->elf || r->error) {
		if (r->error && cfg->want_json)
			r->json = json_pack("{s:o, s:o}", "path", json_text(job->path), "error", json_text(r->error));
		goto out;
	}
	needs_from_elf(&prog.elf, &prog.needs);
	const struct needs *n = &prog.needs;
	r->kind = n->kind;
	elf_machine_name(prog.elf.machine, prog.elf.bits, prog.elf.big_endian, r->machine, sizeof r->machine);
	snprintf(r->max_glibc, sizeof r->max_glibc, "%s", n->max_glibc);
	struct go_analysis ga;
	go_analyze(&prog.elf, n, 0, &ga);
	if (ga.is_go) {
		r->go = true;
		r->go_version = n->go.version ? xstrdup(n->go.version) : NULL;
		r->go_build = go_build(&ga, n);
	}
	struct harden_input hin = { &prog.elf, n, &ga, mode, cfg->rpath_root, cfg->libc };
	harden_analyze(&hin, &r->harden);
	/* $ORIGIN is known when the file sits where it runs, in the root its
	 * RPATH directories are looked up in. */
	if (job->at && cfg->target && cfg->rpath_root == cfg->target->root) {
		char *origin = path_dirname(job->at);
		harden_check_origin(&r->harden, cfg->rpath_root, origin);
		free(origin);
	}
	if (cfg->require)
		r->unmet = harden_unmet(&r->harden, cfg->require);
	json_t *check_json = NULL;
	/* A separate debug file is neither a program nor a library. */
	if (cfg->target && checkable(n->kind) && !elf_code_missing(&prog.elf)) {
		prog.root = cfg->target->root;
		check_it(job, cfg, &prog, &ga, r, &check_json);
	}
	if (cfg->want_json) {
		json_t *unmet = harden_require_to_json(r->unmet);
		r->json = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}", "path", json_text(job->path),
				    "inspect", needs_to_json(job->path, &prog.elf, n),
				    "harden", harden_to_json(&r->harden),
				    "go", ga.is_go ? go_json(r, &ga) : json_null(),
				    "check", check_json ? check_json : json_null(), "unmet", unmet);
	}
	go_analysis_free(&ga);
	needs_free(&prog.needs);
out:
	/* Dumping is the costly part of a record: done here, in parallel,
	 * rather than where records are printed one at a time. */
	if (r->json && cfg->json_lines) {
		r->json_line = json_dumps(r->json, JSON_COMPACT);
		json_decref(r->json);
		r->json = NULL;
	}
	if (prog.parse_ok)
		elf_close(&prog.elf);
	symbol_index_free(prog.symbols);
	if (job->from && prog.blob.data)
		fsroot_release(job->from, &prog.blob);
	return r;
}

void scan_record_free(struct scan_record *r)
{
	if (!r)
		return;
	free(r->error);
	free(r->problem);
	free(r->ids);
	findings_free(&r->findings);
	if (r->elf && !r->error)
		harden_free(&r->harden);
	free(r->go_version);
	free(r->go_build);
	if (r->json)
		json_decref(r->json);
	free(r->json_line);
	free(r);
}

void scan_job_free(struct scan_job *job)
{
	if (!job)
		return;
	free(job->path);
	free(job->at);
	free(job);
}
