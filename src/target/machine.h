/* Machines by name: the kernel's spelling (uname -m: x86_64, aarch64), the
 * one container tools and Go use (amd64, arm64), and which machines a
 * kernel runs programs for. */
#ifndef CANRUN_MACHINE_H
#define CANRUN_MACHINE_H

#include <stdbool.h>
#include <stddef.h>

/* The kernel's name for an architecture named either way ("arm64" or
 * "aarch64" -> "aarch64"), or NULL when unknown. */
const char *machine_canonical(const char *name);

/* The container and Go spelling of a kernel machine name ("x86_64" ->
 * "amd64"); the name itself when there is none. */
const char *machine_platform_arch(const char *machine);

/* This host's machine in the kernel's spelling ("i686" -> "i386"). */
const char *machine_host(char *buf, size_t len);

enum machine_fit {
	MACHINE_NATIVE,    /* the same machine */
	MACHINE_COMPAT,    /* a 32-bit program the 64-bit kernel runs (i386 on x86_64) */
	MACHINE_COMPAT_CPU, /* the same, when the CPU has the 32-bit mode (arm on aarch64) */
	MACHINE_FOREIGN,   /* execve: Exec format error */
};

/* Whether a kernel for KERNEL_MACHINE starts a program built for PROGRAM
 * (both in the kernel's spelling, as elf_machine_name() gives them). */
enum machine_fit machine_fit(const char *kernel_machine, const char *program);

/* "--platform linux/arm64[/v8]" or a bare "arm64": the machine, in the
 * kernel's spelling, or NULL when the text names none canrun knows. */
const char *machine_from_platform(const char *platform);

#endif
