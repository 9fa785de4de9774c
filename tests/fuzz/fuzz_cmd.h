/* Runs a canrun command front end on bytes in memory, as the CLI runs it
 * on a file: the bytes sit in a memory file (memfd), named to the command
 * as /proc/self/fd/N, so the same path handling, mapping and reports run
 * without touching the disk. The commands' stdout goes to /dev/null. */
#ifndef CANRUN_FUZZ_CMD_H
#define CANRUN_FUZZ_CMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The memory file holding DATA (one per process, rewritten each call);
 * its /proc path is written to PATH. Aborts when it cannot be made. */
void fuzz_memfile(const void *data, size_t size, char *path, size_t len);

/* Calls CMD with ARGS (a NULL-terminated list; args[0] the subcommand's
 * name) and flushes stdout; returns its exit status. */
int fuzz_cmd(int (*cmd)(int, char **), const char *const *args);

/* The same for a command asked for JSON: what it prints must be nothing
 * or one complete JSON document (with LINES, one on each line, as JSON
 * Lines); anything else aborts, so the fuzzer keeps the input. */
int fuzz_cmd_json(int (*cmd)(int, char **), const char *const *args, bool lines);

#endif
