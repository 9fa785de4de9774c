/* The syscalls trace stops on, and where their path argument is. */
#ifndef CANRUN_TRACE_SYSCALLS_H
#define CANRUN_TRACE_SYSCALLS_H

#include <stdbool.h>
#include <stdint.h>

#define TRACE_ARG_SOCKADDR 100 /* connect: args[1], length args[2] */

/* NULL-terminated; names as libseccomp and strace spell them. */
extern const char *const trace_names[];

/* Index of the path argument, TRACE_ARG_SOCKADDR, or -1 for none. */
int trace_path_arg(uint32_t arch, long nr);
bool trace_is_traced(uint32_t arch, long nr);
bool trace_is_exec(uint32_t arch, long nr);

#endif
