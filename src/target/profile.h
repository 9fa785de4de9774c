/* A saved profile: a target's provides written once by `canrun host
 * --save` and read anywhere as `--target profile:FILE`. The file is one
 * JSON document (docs/json.md): the host facts for people, the machine,
 * kernel and CPU for check, and the files of the root that canrun reads
 * (the loader's directories with each ELF file as a stub, the /etc files,
 * what the CA, zoneinfo and NSS checks look at). Loading puts those files
 * into an in-memory root, so the resolver and every check read a profile
 * as they read the root it came from. */
#ifndef CANRUN_PROFILE_H
#define CANRUN_PROFILE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "target/fsroot.h"
#include "util/err.h"

/* The format written; a reader refuses a higher one. */
enum { PROFILE_FORMAT = 1 };
#define PROFILE_FORMAT_KEY "canrun_profile"

/* What a profile may ask of the reader, so that a hostile file cannot make
 * it allocate without bound: files, the kept bytes of all files together
 * once decompressed, and the size of one file (whose zeros cost nothing
 * until it is read). */
#define PROFILE_MAX_FILES 400000u
#define PROFILE_MAX_KEPT ((uint64_t)1 << 30)
#define PROFILE_MAX_FILE_SIZE ((uint64_t)4 << 30)
#define PROFILE_MAX_BYTES ((uint64_t)256 << 20) /* the JSON file itself: parsed whole, several times its size in memory */

struct profile_save_stats {
	size_t files, elf, links, dirs;
	uint64_t size;  /* the files' sizes */
	uint64_t kept;  /* of which kept */
};

/* The "files" array of a profile of ROOT. LOADERS are the program loaders
 * found in it (their directories and ld.so.cache are followed); INCLUDES
 * are directories saved whole (an application's own tree). */
json_t *profile_files_json(struct fsroot *root, const char *const *loaders, size_t nloaders,
			   const char *const *includes, size_t nincludes, struct profile_save_stats *stats);

/* What a profile says of the machine it came from. */
struct profile_meta {
	bool root;          /* saved from --root DIR: kernel and CPU are not the root's */
	char machine[24];   /* kernel spelling */
	char kernel[80];    /* uname release; "" for a root */
	unsigned x86_level; /* 0 when not known (a root, not x86-64) */
	bool no_i386;       /* its kernel ran no 32-bit x86 program ("runs_i386": false) */
	char saved_from[256];
};

/* Reads the profile PATH into a root (described as DESC), or NULL with a
 * one-line reason: unreadable, not JSON, a newer format, a damaged file. */
struct fsroot *profile_load(const char *path, const char *desc, struct profile_meta *meta, struct cr_err *err);

#endif
