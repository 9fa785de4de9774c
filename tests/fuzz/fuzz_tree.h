/* A small file tree described by one fuzz input, so that the parsers that
 * read several files of a root (ld.so.conf with its includes, musl's path
 * file, a whole tree to scan) can be fuzzed from one byte string.
 *
 * The input is the first file's content, then any number of entries, each
 * introduced by a line that starts with "@@" after a newline:
 *
 *   CONTENT OF THE FIRST FILE
 *   @@f etc/ld.so.conf.d/a.conf      a regular file; its content follows
 *   @@x bin/prog                     the same, executable
 *   @@d usr/lib                      a directory
 *   @@l lib usr/lib                  a symlink: PATH then its target, as is
 *   @@h lib/b.so lib/a.so            a hard link to an earlier entry
 *   @@p run/fifo                     a FIFO
 *
 * Paths are made relative and normalized (empty, "." and ".." components
 * dropped), so a path can never name anything above the tree; symlink
 * targets are kept as written, "../../etc" and loops included, because
 * that is what the code under test must contain. */
#ifndef CANRUN_FUZZ_TREE_H
#define CANRUN_FUZZ_TREE_H

#include <stddef.h>
#include <stdint.h>

#include "target/fsroot.h"

enum { FUZZ_TREE_MAX_ENTRIES = 64, FUZZ_TREE_MAX_PATH = 256 };

struct fuzz_entry {
	char type;                      /* 'f', 'x', 'd', 'l', 'h', 'p' */
	char path[FUZZ_TREE_MAX_PATH];  /* normalized, relative, never empty */
	char target[FUZZ_TREE_MAX_PATH]; /* 'l': as written; 'h': normalized */
	const uint8_t *data;            /* 'f', 'x': points into the input */
	size_t size;
};

/* Splits DATA into at most FUZZ_TREE_MAX_ENTRIES entries; the first is a
 * regular file at FIRST (normalized like the others). Entries whose path
 * normalizes to nothing are dropped. Returns the count. */
size_t fuzz_tree_split(const uint8_t *data, size_t size, const char *first, struct fuzz_entry *out);

/* Adds the entries to a memory tree; failures (a file over a symlink's
 * place, say) leave that entry out, as an unpacker would. */
void fuzz_tree_to_memory(struct fsroot_tree *tree, const struct fuzz_entry *e, size_t n);

/* Writes the entries below the directory DIRFD. Every component is opened
 * with O_NOFOLLOW, so an entry whose parent is a symlink is left out and
 * nothing is ever created or written outside DIRFD. */
void fuzz_tree_to_disk(int dirfd, const struct fuzz_entry *e, size_t n);

/* Empties the directory DIRFD (symlinks removed, never followed). */
void fuzz_tree_clear(int dirfd);

#endif
