/* Hardening: the exploit mitigations a binary was built with (RELRO, stack
 * canary, NX, PIE, RPATH/RUNPATH, FORTIFY, IBT/SHSTK, TEXTREL, UPX), read from
 * its headers, dynamic section, notes and symbols, never by running it.
 *
 * What checksec reports, without its known flaws: static-pie and shared
 * objects are their own PIE kinds, Go code is "no canary by design" rather
 * than a failure, full RELRO needs the GOT inside PT_GNU_RELRO (a BIND_NOW
 * flag alone is not protection), and FORTIFY is counted against the
 * target's own libc. */
#ifndef CANRUN_HARDEN_H
#define CANRUN_HARDEN_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "cli/style.h"
#include "elf/elf.h"
#include "go/analysis.h"
#include "model/needs.h"
#include "target/fsroot.h"
#include "util/err.h"

enum relro_level { RELRO_NONE, RELRO_PARTIAL, RELRO_FULL };

/* PIE_DSO: a shared library (ET_DYN, no entry point use as a program);
 * PIE_REL: a relocatable object, for which PIE has no meaning. */
enum pie_kind { PIE_NO, PIE_YES, PIE_STATIC, PIE_DSO, PIE_REL };

enum canary_state {
	CANARY_NO,
	CANARY_YES,
	CANARY_GO,      /* Go code: stack bounds are checked by the runtime, no canary by design */
	CANARY_UNKNOWN, /* a stripped static binary: nothing left to tell */
};

enum fortify_state {
	FORTIFY_NA,      /* nothing fortifiable is called (or pure Go) */
	FORTIFY_NO,      /* fortifiable calls, none fortified */
	FORTIFY_PARTIAL, /* some fortified, some not */
	FORTIFY_YES,     /* every fortifiable call is fortified */
	FORTIFY_UNKNOWN, /* no libc to compare with, or no symbols left */
};

/* Why an RPATH/RUNPATH directory is unsafe (bit flags). */
enum {
	RPATH_RELATIVE = 1u << 0,       /* neither absolute nor $ORIGIN-based: relative to the cwd */
	RPATH_EMPTY = 1u << 1,          /* an empty element: the current directory */
	RPATH_ORIGIN_SETUID = 1u << 2,  /* $ORIGIN in a setuid/setgid file */
	RPATH_WORLD_WRITABLE = 1u << 3, /* the directory (in the root) is writable by anyone;
					 * $ORIGIN entries through harden_check_origin() */
};

struct rpath_dir {
	char *dir;
	unsigned issues; /* RPATH_* bits, 0 when safe */
};

/* The fortifiable function names of one libc: X such that the libc exports
 * both X and __X_chk. Read once per target, shared by every file. */
struct fortify_libc {
	char **names; /* sorted */
	size_t count;
	char *source; /* "/lib/x86_64-linux-gnu/libc.so.6 in /" for messages */
	uint16_t machine; /* the libc's e_machine: a file for another one is not compared */
	unsigned bits;
	bool big_endian;
};

struct hardening {
	enum relro_level relro;
	char *relro_note;        /* why it is not what it seems, or NULL */
	enum canary_state canary;
	bool nx;                 /* no executable stack (PT_GNU_STACK without X) */
	bool nx_default;         /* no PT_GNU_STACK: the architecture's default applies */
	enum pie_kind pie;
	struct rpath_dir *rpath, *runpath;
	size_t nrpath, nrunpath;
	bool textrel;
	enum tristate ibt, shstk; /* TRI_UNKNOWN off x86 */
	enum fortify_state fortify;
	size_t fortified, fortifiable;
	char **fortified_names, **unfortified_names; /* "memcpy" for __memcpy_chk / memcpy */
	size_t nfortified_names, nunfortified_names;
	char *fortify_note;      /* why FORTIFY is unknown, or how it was counted; or NULL */
	bool upx;
	bool go;                 /* Go code (build info, Go build ID or function table) */
	bool cgo;                /* a Go program with C code linked in */
};

/* Reads the libc of a root for FORTIFY (glibc's libc.so.6 or musl's libc.so
 * by the usual paths). Returns 0, or -1 when there is none (FORTIFY is then
 * "unknown" for dynamic programs). */
int fortify_libc_load(struct fortify_libc *libc, struct fsroot *root, struct cr_err *err);
void fortify_libc_free(struct fortify_libc *libc);

struct harden_input {
	const struct elf_file *elf;
	const struct needs *needs;
	const struct go_analysis *go; /* may be NULL */
	mode_t mode;                  /* the file's st_mode, for setuid/setgid */
	struct fsroot *root;          /* where RPATH directories are looked up; may be NULL */
	const struct fortify_libc *libc; /* may be NULL */
};

void harden_analyze(const struct harden_input *in, struct hardening *out);
/* Where the file's directory is known (ORIGIN, inside ROOT), also marks the
 * $ORIGIN-based RPATH/RUNPATH entries that expand to a world-writable
 * directory. Elsewhere $ORIGIN depends on where the file will be installed. */
void harden_check_origin(struct hardening *h, struct fsroot *root, const char *origin);
void harden_free(struct hardening *h);

/* The stable JSON object of docs/json.md ("harden" section). */
json_t *harden_to_json(const struct hardening *h);

/* Properties a --require list can name: full-relro, relro, pie, nx, canary,
 * fortify, no-rpath, no-runpath, safe-rpath, no-textrel, ibt, shstk, no-upx. */
enum {
	REQ_FULL_RELRO = 1u << 0,
	REQ_RELRO = 1u << 1,
	REQ_PIE = 1u << 2,
	REQ_NX = 1u << 3,
	REQ_CANARY = 1u << 4,
	REQ_FORTIFY = 1u << 5,
	REQ_NO_RPATH = 1u << 6,
	REQ_NO_RUNPATH = 1u << 7,
	REQ_SAFE_RPATH = 1u << 8,
	REQ_NO_TEXTREL = 1u << 9,
	REQ_IBT = 1u << 10,
	REQ_SHSTK = 1u << 11,
	REQ_NO_UPX = 1u << 12,
};

/* Parses "full-relro,pie,nx"; -1 with a one-line reason on an unknown name. */
int harden_require_parse(const char *list, unsigned *mask, struct cr_err *err);
/* The required properties this file lacks (REQ_* bits); Go code meets
 * "canary" by design, static-pie meets "pie", and a shared object meets "pie". */
unsigned harden_unmet(const struct hardening *h, unsigned mask);
/* The names of the bits of mask, in REQ_* order, as a JSON array. */
json_t *harden_require_to_json(unsigned mask);
/* "full-relro", ... for one REQ_* bit. */
const char *harden_require_name(unsigned bit);

/* Names as JSON and the text table print them: "full", "static-pie", "n/a"... */
const char *harden_relro_name(enum relro_level r);
const char *harden_canary_name(enum canary_state c);
const char *harden_pie_name(enum pie_kind p);
const char *harden_fortify_name(enum fortify_state f);
const char *harden_rpath_issue_name(unsigned bit); /* "relative", "empty", ... */

/* One file in detail: its path, then one human line per property and the
 * notes that explain them (the form a single-file report can use). */
void harden_print_text(FILE *out, const struct style *st, const char *path, const struct hardening *h);

/* What `canrun harden` prints: a checksec-like table, one row per file
 * (RELRO CANARY NX PIE RPATH RUNPATH FORTIFY CET FILE), then the notes
 * that a cell cannot hold, one line each: "warn    PATH: message". */
void harden_print_header(FILE *out, const struct style *st);
void harden_print_row(FILE *out, const struct style *st, const char *path, const struct hardening *h);
/* The notes of one file, and one "unmet" line per bit of `unmet`;
 * *first is set to false once something was printed (a blank line is
 * printed before the first). */
/* Each note of one file, in the order the text report prints them, as
 * fn(id, severity, message, fix, ctx): id is stable ("textrel",
 * "rpath-unsafe", "require-pie", ...; a temporary for require-*), severity
 * is "note", "warn" or "unmet" (a --require bit of `unmet`), fix may be NULL. */
typedef void harden_note_fn(const char *id, const char *severity, const char *msg, const char *fix, void *ctx);
void harden_each_note(const struct hardening *h, unsigned unmet, harden_note_fn *fn, void *ctx);

void harden_print_notes(FILE *out, const struct style *st, const char *path, const struct hardening *h,
			unsigned unmet, bool *first);

#endif
