/* The Go toolchains a user could run, how safe each tree is, the
 * environment that decides how `go` builds, and release tarballs checked
 * before they are unpacked. Everything is read from files: no `go` is run. */
#ifndef CANRUN_TOOLCHAIN_H
#define CANRUN_TOOLCHAIN_H

#include <stdbool.h>
#include <stddef.h>

#include "model/findings.h"
#include "util/err.h"

/* Where a search looks; the command fills it from the process, tests point
 * it at temporary trees. */
struct tc_where {
	const char *path;      /* $PATH, or NULL */
	const char *home;      /* $HOME, or NULL */
	const char *dpkg_info; /* dpkg's database of installed files: /var/lib/dpkg/info */
	const char *cwd;       /* where an empty PATH element points */
};

struct toolchain {
	char *goroot;
	char *go;             /* GOROOT/bin/go */
	char *version;        /* "go1.19.8", or NULL */
	const char *version_source; /* "VERSION", "build info" or "" */
	char *goos, *goarch;  /* of bin/go; NULL when unknown */
	char *package;        /* the Debian package that owns bin/go, or NULL */
	const char *origin;   /* "debian package", "module cache", "sdk", "tarball" */
	const char *found_by; /* "PATH", "/usr/local/go", "/usr/lib/go-*", "module cache", "~/sdk" */
	bool on_path, wins;
	char *owner;          /* of GOROOT: user name or uid */
	enum severity runs;   /* bin/go against this host: SEV_OK runs ... SEV_FAIL */
	bool checked;         /* runs is meaningful */
	struct findings host; /* why it would not run here */
	struct findings audit;
};

/* One `go` found on PATH, in PATH order. */
struct tc_path_hit {
	char *dir;     /* the PATH element ("" shown as "." for the current directory) */
	char *go;      /* dir/go */
	char *target;  /* where it resolves, or NULL when it is no link */
	size_t tc;     /* index into toolchains, or (size_t)-1 when no GOROOT was found */
};

struct tc_report {
	struct toolchain *tcs;
	size_t ntcs, cap;
	struct tc_path_hit *hits;
	size_t nhits, hits_cap;
	struct findings findings; /* PATH problems */
};

/* Finds every toolchain (PATH in order, then the usual places), reads each
 * one's version, GOOS/GOARCH and origin, and checks its bin/go against this
 * host. Never fails; what cannot be read is left NULL. */
void tc_find(const struct tc_where *w, struct tc_report *r);
void tc_report_free(struct tc_report *r);

/* The GOROOT of a `go` as cmd/go finds it without $GOROOT: dir(exe)/..
 * when it holds pkg/tool, tried before and after resolving links.
 * Malloc'd, or NULL. */
char *tc_goroot_of(const char *go);

/* "1.19.8" style comparison of "goX.Y.Z" versions: <0, 0, >0. */
int tc_version_cmp(const char *a, const char *b);

/* ---- audit.c: the permissions of one GOROOT -------------------------------- */

/* Walks GOROOT (at most max_entries entries, max_depth levels, never
 * through a link) and adds a finding per kind of problem, each with its
 * fix. Sets *owner (malloc'd) to the tree's owner. */
void tc_audit(const char *goroot, size_t max_entries, unsigned max_depth, struct findings *out, char **owner);

/* ---- goenv.c: the go environment ------------------------------------------ */

enum tc_env_source { TC_ENV_DEFAULT, TC_ENV_PROCESS, TC_ENV_FILE, TC_ENV_GOROOT_FILE };

struct tc_env_var {
	const char *name;
	char *value;
	enum tc_env_source source;
};

#define TC_ENV_COUNT 11

struct tc_env {
	struct tc_env_var vars[TC_ENV_COUNT];
	char *file;          /* the user env file consulted, or NULL (GOENV=off) */
	bool file_read;      /* it existed and was read */
	char *goroot_file;   /* GOROOT/go.env, when it exists */
	struct findings findings;
};

/* Looks name up in the contents of a go env file as cmd/go reads it
 * (KEY=VALUE lines, keys starting with A-Z, the last one wins, values kept
 * as written). Malloc'd value, or NULL when absent. */
char *tc_envfile_lookup(const char *data, size_t len, const char *name);

/* The environment as the winning toolchain would see it. getenv_fn reads
 * the process environment (tests pass their own); goroot and version are
 * the winning toolchain's (may be NULL); cwd decides whether vendor/ exists. */
void tc_env_collect(struct tc_env *e, const char *(*getenv_fn)(const char *name, void *ctx), void *ctx,
		    const char *home, const char *goroot, const char *version, const char *cwd);
void tc_env_free(struct tc_env *e);
const char *tc_env_source_name(enum tc_env_source s);

/* ---- verify.c: a release tarball ------------------------------------------- */

/* The file name of a release: "go1.22.5.linux-amd64.tar.gz" gives
 * "go1.22.5", "linux", "amd64". False when it is not one. */
bool tc_release_name(const char *base, char *version, size_t vlen, char *goos, size_t olen, char *goarch, size_t alen);

/* The SHA-256 for FILE (a base name) in a sums file: sha256sum lines
 * (text, "*binary" and BSD "SHA256 (name) = hex"), the JSON list go.dev
 * publishes, or a bare hex .sha256 sidecar. Writes 64 lowercase hex
 * digits into out. Returns 0, or -1 with the reason in err. */
int tc_sums_lookup(const char *data, size_t len, const char *file, char out[65], struct cr_err *err);

/* GOOS/GOARCH of this machine as Go names them. */
void tc_host_platform(char *goos, size_t olen, char *goarch, size_t alen);

struct tc_verify {
	char sha256[65];        /* of the raw file */
	char expected[65];      /* "" when no checksum was given */
	char version[64];       /* first line of go/VERSION, "" when missing */
	char name_version[64], name_goos[32], name_goarch[32];
	char host_goos[32], host_goarch[32];
	size_t members;
	struct findings findings;
};

/* Streams TARBALL once: hashes the raw bytes as libarchive reads them and
 * checks every member. expected: 64 hex digits or NULL. Returns 0 when the
 * archive was read to its end (problems are findings), -1 when it could not
 * be read (err says why). */
int tc_verify(const char *tarball, const char *expected, struct tc_verify *v, struct cr_err *err);
void tc_verify_free(struct tc_verify *v);

#endif
