/* A Go program for x86-64 that the system linker linked without
 * runtime/cgo: killed by SIGTRAP before main, on every machine.
 *
 * The runtime keeps g, the running goroutine, in thread-local storage at
 * the offset the linker gives runtime.tlsg. With runtime/cgo, libc sets up
 * TLS and that offset holds. Without it, the runtime points FS at its own
 * slot and assumes g sits at -8, which only its own linker guarantees; ld
 * puts glibc's TLS beside g, the start-up check reads back the wrong word
 * and calls abort (INT3). Go 1.19's go command leaves runtime/cgo out of a
 * package built with -ldflags '-linkmode external' when nothing imports
 * it (netgo, osusergo); the linker only logs "cannot find runtime/cgo". */
#ifndef CANRUN_GO_START_TRAP_H
#define CANRUN_GO_START_TRAP_H

#include <stdbool.h>
#include <stdint.h>

#include "elf/elf.h"

struct go_start_trap {
	bool trap;          /* killed by SIGTRAP at start */
	bool from_symbol;   /* g_offset from runtime.tlsg in .symtab, else the PT_TLS size alone */
	int64_t g_offset;   /* where the linker put g, from the thread pointer */
	uint64_t tls_size;  /* PT_TLS memsz rounded up to its alignment */
	char evidence[192]; /* what shows it, for findings and `canrun go` */
};

/* The shell's status for a process killed by SIGTRAP: 128 + 5. */
#define GO_START_TRAP_EXIT_STATUS 133

/* Decides for a Go program whose function table was read; runtime_cgo
 * says whether that table holds runtime/cgo. */
void go_start_trap_find(const struct elf_file *ef, bool runtime_cgo, struct go_start_trap *out);

#endif
