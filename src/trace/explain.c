/* Each rule looks for one signature (reference: failure signatures of the
 * loader, glibc and the Go runtime) and marks the calls it used, so what is
 * left over is reported as noise. */
#include "trace/explain.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/utsname.h>

#include <limits.h>

#include "elf/elf.h"
#include "host/cpu.h"
#include "loader/libcache.h"
#include "loader/resolve.h"
#include "target/fsroot.h"
#include "target/runtime_files.h"
#include "util/err.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

static char *name_of(const struct trace_call *c)
{
	return trace_syscall_name(c->arch, c->nr);
}

static bool is(const struct trace_call *c, const char *name)
{
	char *n = name_of(c);
	bool r = strcmp(n, name) == 0;
	free(n);
	return r;
}

static bool is_exec(const struct trace_call *c)
{
	return is(c, "execve") || is(c, "execveat");
}

/* The text after `key` in stderr, up to the next `end` char, copied. */
static char *after(const char *text, const char *key, char end)
{
	const char *p = text ? strstr(text, key) : NULL;
	if (!p)
		return NULL;
	p += strlen(key);
	const char *q = strchr(p, end);
	size_t n = q ? (size_t)(q - p) : strlen(p);
	return strndup(p, n);
}

/* The whole stderr line holding key, copied, or NULL. */
static char *line_with(const char *text, const char *key)
{
	const char *p = text ? strstr(text, key) : NULL;
	if (!p)
		return NULL;
	while (p > text && p[-1] != '\n')
		p--;
	const char *q = strchr(p, '\n');
	return strndup(p, q ? (size_t)(q - p) : strlen(p));
}

static const char *base(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

/* What `canrun deps` finds, in-process, on the root the program ran in. */
struct deps_view {
	bool elf;          /* the file parsed as ELF */
	char *interp;      /* PT_INTERP, or NULL */
	int exec_errno;    /* what resolution predicts execve returns */
	char machine[32];  /* the program's machine, as `check` names it */
};

/* The analysis `canrun deps` makes, on this host's root or the chroot: its
 * one-line verdict joins the evidence. Returns false when the file cannot be
 * read at all. */
static bool deps_says(const char *root_dir, const char *path, struct strbuf *ev, struct deps_view *v)
{
	char root_real[PATH_MAX], real[PATH_MAX], at[PATH_MAX];
	struct cr_err err;
	memset(v, 0, sizeof *v);
	if (!realpath(root_dir, root_real))
		return false;
	struct fsroot *root = fsroot_open_dir(root_real, &err);
	if (!root)
		return false;
	bool host = strcmp(root_real, "/") == 0;
	/* the path inside the root: as run (absolute), or made so from here */
	if (path[0] == '/')
		snprintf(at, sizeof at, "%s", path);
	else if (!realpath(path, at))
		at[0] = 0;
	if (snprintf(real, sizeof real, "%s%s", host ? "" : root_real, at) >= (int)sizeof real || !at[0]) {
		fsroot_close(root);
		return false;
	}
	struct fsroot *hostfs = host ? root : fsroot_open_dir("/", &err);
	struct libcache cache = { 0 };
	int error = 0;
	struct lib_entry *prog = hostfs ? libcache_get(&cache, hostfs, real, &error) : NULL;
	if (prog && prog->parse_ok) {
		struct resolve_opts ro = { .at = at, .argv0 = path, .cpu_level = host_cpu_level() };
		struct resolution res;
		v->elf = true;
		char buf[32];
		snprintf(v->machine, sizeof v->machine, "%s",
			 elf_machine_name(prog->elf.machine, prog->elf.bits, prog->elf.big_endian, buf, sizeof buf));
		resolve_program(&res, root, &cache, prog, &ro);
		if (res.interp)
			v->interp = xstrdup(res.interp);
		v->exec_errno = res.exec_errno;
		if (res.summary)
			sb_appendf(ev, "\ncanrun deps: %s", res.summary);
		resolution_free(&res);
	}
	bool read = prog != NULL;
	libcache_free(&cache);
	if (hostfs && hostfs != root)
		fsroot_close(hostfs);
	fsroot_close(root);
	return read;
}

/* execve = ENOEXEC, ELIBBAD or EIO: the program or its loader is not one
 * this kernel runs; deps' resolution says which. */
static void explain_format(const struct trace_call *c, const char *root, struct trace_explained *e)
{
	struct strbuf ev = { 0 };
	struct deps_view v;
	sb_appendf(&ev, "execve(\"%s\") = %s", c->path, strerrorname_np(c->err));
	deps_says(root, c->path, &ev, &v);
	struct utsname u;
	const char *here = uname(&u) == 0 ? u.machine : "this machine";
	if (c->err == ENOEXEC && v.elf && v.exec_errno == ENOEXEC && strcmp(v.machine, here) != 0)
		findings_add(&e->findings, "machine-mismatch", SEV_FAIL, ev.s,
			     "build for this machine, or register an emulator (qemu-user) with binfmt_misc",
			     "%s is built for %s, not %s: \"Exec format error\"", c->path, v.machine, here);
	else if (c->err == ENOEXEC && !v.elf)
		findings_add(&e->findings, "not-a-program", SEV_FAIL, ev.s,
			     "a script needs a #! line naming its interpreter; anything else, run it with its reader",
			     "%s is not a program: neither ELF nor a script with #!", c->path);
	else if (c->err == ENOEXEC)
		findings_add(&e->findings, "no-code", SEV_FAIL, ev.s, "run the program it was split from",
			     "%s is ELF but not a program this kernel runs (a library, object or debug file)", c->path);
	else if (c->err == EIO)
		findings_add(&e->findings, "interpreter-truncated", SEV_FAIL, ev.s, "reinstall the C library",
			     "the loader %s of %s is truncated: the kernel cannot read its header",
			     v.interp ? v.interp : "?", c->path);
	else
		findings_add(&e->findings, "interpreter-bad", SEV_FAIL, ev.s,
			     "point PT_INTERP at this machine's loader (patchelf --set-interpreter), or reinstall it",
			     "the loader %s of %s is not a loader for this machine", v.interp ? v.interp : "?",
			     c->path);
	free(v.interp);
	free(sb_take(&ev));
}

static void explain_exec(const struct trace_result *r, const char *root, struct trace_explained *e)
{
	for (size_t i = 0; i < r->ncalls; i++) {
		const struct trace_call *c = &r->calls[i];
		if (!is_exec(c) || !c->path)
			continue;
		struct stat sb;
		char host_path[PATH_MAX]; /* where the program's path is, seen from here */
		if (snprintf(host_path, sizeof host_path, "%s%s", strcmp(root, "/") ? root : "", c->path) >=
		    (int)sizeof host_path)
			continue;
		if (c->err == ENOENT && stat(host_path, &sb) == 0) {
			e->used[i] = true;
			struct strbuf ev = { 0 };
			sb_appendf(&ev, "execve(\"%s\") = ENOENT, yet the file exists", c->path);
			struct deps_view v;
			deps_says(root, c->path, &ev, &v);
			char *interp = v.interp;
			if (interp)
				findings_add(&e->findings, "interpreter-missing", SEV_FAIL, ev.s,
					     "install the libc that provides it, or build static (Go: CGO_ENABLED=0)",
					     "%s needs the loader %s, which is not here", c->path, interp);
			else
				findings_add(&e->findings, "interpreter-missing", SEV_FAIL, ev.s,
					     "check its #! line or its loader", "%s exists but its interpreter does not",
					     c->path);
			free(interp);
			free(sb_take(&ev));
		} else if (c->err == ENOEXEC || c->err == ELIBBAD || c->err == EIO) {
			e->used[i] = true;
			explain_format(c, root, e);
		} else if (c->err == EACCES) {
			struct statvfs vfs;
			bool noexec = statvfs(host_path, &vfs) == 0 && (vfs.f_flag & ST_NOEXEC);
			e->used[i] = true;
			char ev[512];
			snprintf(ev, sizeof ev, "execve(\"%s\") = EACCES", c->path);
			findings_add(&e->findings, "exec-denied", SEV_FAIL, ev,
				     noexec ? "run it from a file system mounted without noexec" : "chmod +x it (and its loader)",
				     noexec ? "%s is on a noexec mount" : "%s (or its loader) may not be executed",
				     c->path);
		}
	}
}

static void explain_loader(const struct trace_result *r, struct trace_explained *e)
{
	char *lib = after(r->err_text, "error while loading shared libraries: ", ':');
	if (lib) {
		struct strbuf sb = { 0 };
		const char **dirs = calloc(r->ncalls + 1, sizeof *dirs);
		size_t nd = 0;
		for (size_t i = 0; i < r->ncalls; i++) {
			const struct trace_call *c = &r->calls[i];
			if (c->err == ENOENT && c->path && strcmp(base(c->path), lib) == 0) {
				e->used[i] = true;
				dirs[nd++] = c->path;
			}
		}
		/* One line per search dir; the loader probed its glibc-hwcaps, tls and
		 * platform subdirs first, which are not worth a line each. */
		for (size_t i = 0; i < nd; i++) {
			size_t dl = (size_t)(base(dirs[i]) - dirs[i]);
			char *dir = strndup(dirs[i], dl > 1 ? dl - 1 : dl);
			bool sub = strstr(dir, "/glibc-hwcaps/") || strstr(dir, "/tls") ||
				   (strlen(dir) > 7 && strcmp(dir + strlen(dir) - 7, "/x86_64") == 0);
			for (size_t j = 0; j < i && !sub; j++)
				sub = strcmp(dirs[i], dirs[j]) == 0;
			if (!sub)
				sb_appendf(&sb, "%slooked in %s", sb.len ? "\n" : "", dir);
			free(dir);
		}
		free(dirs);
		findings_add(&e->findings, "library-missing", SEV_FAIL, sb.len ? sb.s : NULL,
			     "install the package that ships it, or set RUNPATH/LD_LIBRARY_PATH to where it is",
			     "the loader cannot find %s", lib);
		free(sb_take(&sb));
		free(lib);
	}
	char *ver = after(r->err_text, "version `", '\'');
	if (ver) {
		char *line = line_with(r->err_text, "version `");
		findings_add(&e->findings, strncmp(ver, "GLIBC_", 6) == 0 ? "glibc-too-old" : "version-missing",
			     SEV_FAIL, line, "build on (or for) the oldest system it must run on",
			     "a library here lacks the symbol version %s", ver);
		free(line);
		free(ver);
	}
	char *sym = after(r->err_text, "undefined symbol: ", '\n');
	if (sym) {
		findings_add(&e->findings, "symbol-missing", SEV_FAIL, NULL,
			     "use the library version it was built against", "the loader cannot find the symbol %s", sym);
		free(sym);
	}
}

static bool in_list(const char *p, const char *const *list, size_t n, bool prefix)
{
	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(list[i]);
		if (prefix ? strncmp(p, list[i], l) == 0 && (p[l] == 0 || p[l] == '/') : strcmp(p, list[i]) == 0)
			return true;
	}
	return false;
}

/* Paths named by an environment variable, `:`-separated, as Go reads them. */
static bool in_env(const char *p, const char *var)
{
	const char *v = getenv(var);
	if (!v || !*v)
		return false;
	char *copy = strdup(v), *save = NULL;
	bool hit = false;
	for (char *t = strtok_r(copy, ":", &save); t && !hit; t = strtok_r(NULL, ":", &save))
		hit = strcmp(p, t) == 0;
	free(copy);
	return hit;
}

static void group(const struct trace_result *r, struct trace_explained *e, const char *id, enum severity sev,
		  bool (*match)(const char *), const char *fix, const char *msg)
{
	struct strbuf sb = { 0 };
	for (size_t i = 0; i < r->ncalls; i++) {
		const struct trace_call *c = &r->calls[i];
		if (e->used[i] || !c->path || !match(c->path))
			continue;
		e->used[i] = true;
		char *n = name_of(c);
		sb_appendf(&sb, "%stried %s: %s (%s)", sb.len ? "\n" : "", c->path, strerrorname_np(c->err), n);
		free(n);
	}
	if (sb.len)
		findings_add(&e->findings, id, sev, sb.s, fix, "%s", msg);
	free(sb_take(&sb));
}

static bool is_ca(const char *p)
{
	return in_list(p, runtime_ca_files, RF_NCA_FILES, false) || in_list(p, runtime_ca_dirs, RF_NCA_DIRS, false) ||
	       strcmp(p, "/etc/ssl/cert.pem") == 0 || in_env(p, "SSL_CERT_FILE") || in_env(p, "SSL_CERT_DIR");
}

static bool is_tz(const char *p)
{
	return in_list(p, runtime_tz_dirs, RF_NTZ_DIRS, true) || strcmp(p, "/etc/localtime") == 0 ||
	       strstr(p, "zoneinfo.zip") != NULL;
}

static bool is_lookup(const char *p)
{
	static const char *const files[] = { "/etc/hosts", "/etc/nsswitch.conf", "/etc/resolv.conf",
					     "/etc/passwd", "/etc/group", "/etc/host.conf" };
	return in_list(p, files, sizeof files / sizeof files[0], false);
}

static void explain_seccomp(const struct trace_result *r, struct trace_explained *e)
{
	for (size_t i = 0; i < r->ncalls; i++) {
		const struct trace_call *c = &r->calls[i];
		if (!(c->err == ENOSYS || c->err == EPERM) ||
		    !(is(c, "clone3") || is(c, "faccessat2") || is(c, "statx") || is(c, "openat2")))
			continue;
		e->used[i] = true;
		char *n = name_of(c);
		char ev[160];
		snprintf(ev, sizeof ev, "%s = %s (pid %d)", n, strerrorname_np(c->err), (int)c->pid);
		/* glibc falls back from clone3 only on ENOSYS: EPERM breaks threads. */
		findings_add(&e->findings, "seccomp-profile-old", c->err == EPERM ? SEV_FAIL : SEV_WARN, ev,
			     c->err == EPERM ? "update the container runtime (Docker 20.10.10 and later answer clone3 "
					       "with ENOSYS, see moby/moby#42681 and containerd/containerd#5982), or "
					       "run with a profile that allows it"
					     : "none needed if it still works: glibc falls back to the older call on ENOSYS",
			     "a seccomp filter (an old container profile) refuses %s with %s", n,
			     strerrorname_np(c->err));
		free(n);
	}
}

void trace_explain(const struct trace_result *r, const char *root, struct trace_explained *out)
{
	memset(out, 0, sizeof *out);
	out->used = xcalloc(r->ncalls ? r->ncalls : 1, sizeof *out->used);
	explain_exec(r, root ? root : "/", out);
	explain_loader(r, out);
	explain_seccomp(r, out);
	group(r, out, "ca-certificates-missing", SEV_WARN, is_ca,
	      "install ca-certificates, or point SSL_CERT_FILE at a bundle",
	      "CA certificates were looked for and not found: TLS connections will fail to verify");
	group(r, out, "zoneinfo-missing", SEV_WARN, is_tz, "install tzdata, or build Go with -tags timetzdata",
	      "time zone data was looked for and not found: zones other than UTC will fail");
	group(r, out, "lookup-file-missing", SEV_WARN, is_lookup,
	      "add the file (hosts, nsswitch.conf, resolv.conf, passwd) to the image",
	      "name or user lookup files were looked for and not found");
	for (size_t i = 0; i < r->ncalls; i++)
		out->noise += !out->used[i];
	/* cause first: fail before warn, stable otherwise */
	struct findings *f = &out->findings;
	for (size_t i = 1; i < f->count; i++)
		for (size_t j = i; j > 0 && f->items[j].severity > f->items[j - 1].severity; j--) {
			struct finding t = f->items[j];
			f->items[j] = f->items[j - 1];
			f->items[j - 1] = t;
		}
}

void trace_explained_free(struct trace_explained *e)
{
	findings_free(&e->findings);
	free(e->used);
}
