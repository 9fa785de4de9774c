/* Dependency resolution inside a root, the way the target's loader would do
 * it (glibc's ld.so or musl's), and the loader's own verdict: the exact
 * message it would print and the exit status. Nothing is executed. */
#ifndef CANRUN_RESOLVE_H
#define CANRUN_RESOLVE_H

#include <stdbool.h>
#include <stddef.h>

#include "loader/ldso.h"
#include "loader/libcache.h"
#include "target/fsroot.h"

enum lib_via {
	VIA_NONE,
	VIA_RPATH,
	VIA_LD_LIBRARY_PATH,
	VIA_RUNPATH,
	VIA_CACHE,
	VIA_DEFAULT,
	VIA_SLASH,  /* the name has a '/': used as a path */
	VIA_LOADED, /* an object already loaded answers to the name */
	VIA_LOADER, /* musl: names such as libc.so.6 are the loader itself */
};

const char *lib_via_name(enum lib_via via);

/* One path the loader tried, and what it made of it. */
struct candidate {
	char *path;
	const char *verdict; /* "not found", "wrong ELF class: ELFCLASS32", "used", ... */
};

struct dep_object {
	char *name;      /* the path as the loader opened it (its l_name) */
	char *real_path; /* canonical, inside the root */
	struct lib_entry *lib;
	size_t loader;   /* index of the object whose need loaded it */
	char *origin;    /* $ORIGIN */
	const char **aliases; /* names it answers to: needed names and SONAME */
	size_t naliases, aliases_cap;
};

struct dep_library {
	const char *name; /* as needed */
	size_t needed_by; /* object index */
	char *path;       /* as the loader names it; NULL when not found */
	enum lib_via via;
	const char *hwcaps; /* glibc-hwcaps subdirectory it came from, or NULL */
	long object;        /* index into objects, or -1 */
	struct candidate *tried;
	size_t ntried, tried_cap;
};

struct dep_missing_symbol {
	size_t object;
	const char *name, *version;
	bool lazy; /* only a PLT reference: fails at the first call, not at start */
};

struct resolve_opts {
	const char *at;              /* where the binary lives inside the root */
	const char *argv0;           /* the name in messages; default: at */
	const char *ld_library_path; /* NULL: unset */
	unsigned cpu_level;          /* x86-64 ISA level of the CPU, 1..4 */
	const char *machine;         /* the kernel's machine (uname -m); NULL: this host's */
	const char *binfmt_dir;      /* the kernel's binfmt_misc handlers to consult (this host's), or NULL */
	bool bind_now;               /* LD_BIND_NOW set */
};

struct resolution {
	enum loader_family family;
	const char *interp;  /* PT_INTERP or NULL (static) */
	bool interp_found;
	int exec_errno;      /* what execve returns: 0, ENOENT, ENOEXEC, ELIBBAD */
	struct ldso_info ldso;
	bool have_ldso;

	struct dep_object *objects; /* load order; [0] is the program */
	size_t nobjects, objects_cap;
	struct dep_library *libs;   /* one per need, in the order the loader met them */
	size_t nlibs, libs_cap;
	struct dep_missing_symbol *missing;
	size_t nmissing, missing_cap;

	char *loader_error;    /* the exact text, lines ending in '\n'; NULL when it starts */
	char *loader_warnings; /* printed but not fatal; NULL when none */
	int exit_status;       /* 0 when it starts; 1, 126, 127 otherwise */
	char *summary;         /* one line for humans */
	char *emulator;        /* "HANDLER (INTERPRETER)" when binfmt_misc runs it, else NULL */
};

/* Resolves the program `program` (already parsed, living at opts->at inside
 * root). Returns 0; -1 only when the program itself cannot be analysed. */
int resolve_program(struct resolution *res, struct fsroot *root, struct libcache *cache,
		    struct lib_entry *program, const struct resolve_opts *opts);
void resolution_free(struct resolution *res);

#endif
