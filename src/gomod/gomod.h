/* The text files `go build` reads in module mode: go.mod, go.sum and
 * vendor/modules.txt, parsed from untrusted bytes (length-bounded, no NUL
 * assumed), with the rules and words of the Go toolchain's own readers. */
#ifndef CANRUN_GOMOD_H
#define CANRUN_GOMOD_H

#include <stdbool.h>
#include <stddef.h>

struct gomod_require {
	char *path, *version;
	bool indirect; /* marked "// indirect" */
	unsigned line;
};

/* replace OLD [V] => NEW [V]: a NEW without version is a directory. */
struct gomod_replace {
	char *old_path, *old_version; /* old_version NULL: every version */
	char *new_path, *new_version; /* new_version NULL: a local directory */
	unsigned line;
};

struct gomod_pair {
	char *path, *version;
};

struct gomod {
	char *module;    /* NULL when the file has no module line */
	char *go;        /* the go directive as written, or NULL */
	unsigned go_line;
	char *toolchain; /* the toolchain directive (Go 1.21+), or NULL */
	unsigned toolchain_line;
	struct gomod_require *req;
	size_t nreq, capreq;
	struct gomod_replace *rep;
	size_t nrep, caprep;
	struct gomod_pair *excl;
	size_t nexcl, capexcl;
	size_t nretract;
	/* Directives Go 1.21 added, which older readers reject. */
	char *unknown_directive; /* the first one the reader does not know */
	unsigned unknown_line;
	char *error; /* the first syntax error, in Go's words; NULL if none */
	unsigned error_line;
};

/* Parses go.mod text. Returns 0, or -1 with g->error set (what was read
 * before the error stays in g). */
int gomod_parse(const char *text, size_t len, struct gomod *g);
void gomod_free(struct gomod *g);

/* A version of Go as "1.N" or "1.N.P" (also "go1.N.P", "1.21rc1") into
 * major, minor, patch; -1 when it is not one. */
int go_version_parse(const char *s, unsigned v[3]);
/* <0, 0, >0 like strcmp over parsed versions; unparsable sorts lowest. */
int go_version_cmp(const char *a, const char *b);
/* Go 1.19's modfile rule for the go directive: ^[1-9][0-9]*\.(0|[1-9][0-9]*)$ */
bool go_version_two_part(const char *s);

/* go.sum: the set of "path version[/go.mod] hash" lines. */
struct gosum_line {
	char *path, *version; /* version keeps a "/go.mod" suffix */
};
struct gosum {
	struct gosum_line *lines;
	size_t count, cap;
	unsigned bad_line; /* first malformed line (Go: "malformed go.sum"), 0 if none */
};
void gosum_parse(const char *text, size_t len, struct gosum *s);
/* Whether the zip hash (gomod false) or the go.mod hash line is there. */
bool gosum_has(const struct gosum *s, const char *path, const char *version, bool gomod);
void gosum_free(struct gosum *s);

/* vendor/modules.txt as Go 1.19's readVendorList reads it. */
struct vendor_module {
	char *path, *version;         /* version NULL for a wildcard replacement line */
	char *repl_path, *repl_version; /* replacement, or NULL */
	bool explicit_;
	char *go;                     /* "## go 1.N", or NULL */
	char **pkgs;
	size_t npkgs, cappkgs;
};
struct vendor_list {
	struct vendor_module *mods;
	size_t count, cap;
};
void vendor_parse(const char *text, size_t len, struct vendor_list *v);
void vendor_free(struct vendor_list *v);

/* checkVendorConsistency: one "path@version: problem" line per mismatch,
 * in Go's order; returns how many were appended to *out (a strbuf-made
 * string, "\n\t"-separated as Go prints them). */
size_t vendor_check(const struct gomod *g, const struct vendor_list *v, char **out);

#endif
