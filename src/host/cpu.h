/* This machine's CPU: its x86-64 ISA level as glibc 2.33+ judges it
 * ("usable" features: CPUID bits the OS has enabled, per XCR0), read with
 * CPUID itself; /proc/cpuinfo only off x86-64 or without CPUID. */
#ifndef CANRUN_HOST_CPU_H
#define CANRUN_HOST_CPU_H

#include <stdbool.h>
#include <stdint.h>

/* The CPUID words the levels depend on (x86-64 psABI table 3.1). */
struct cpuid_words {
	uint32_t max_leaf;     /* leaf 0 EAX */
	uint32_t l1_ecx, l1_edx;
	uint32_t l7_ebx;       /* leaf 7 subleaf 0; 0 when max_leaf < 7 */
	uint32_t max_ext;      /* leaf 0x80000000 EAX */
	uint32_t e1_ecx, e1_edx; /* leaf 0x80000001; 0 when max_ext is lower */
	uint64_t xcr0;         /* XGETBV(0); 0 without OSXSAVE */
};

/* The level (1..4) those words give: each level needs all of its features
 * and the lower levels'; AVX-based ones also that the OS saves the
 * registers (OSXSAVE, XCR0 XMM|YMM; AVX-512 also opmask|ZMM). 0 when even
 * the baseline is missing. */
unsigned cpu_level_from_cpuid(const struct cpuid_words *w);

/* The level from a /proc/cpuinfo "flags" line (the kernel's names). */
unsigned cpu_level_from_flags(const char *flags);

/* Reads this CPU's words; false off x86-64 or when CPUID has no leaf 1. */
bool cpu_read_cpuid(struct cpuid_words *w);

/* This machine's level (1..4) and how it was found: "cpuid", "cpuinfo",
 * or "assumed" (neither readable: the baseline). */
unsigned host_cpu_level_from(const char **source);
unsigned host_cpu_level(void);

/* Whether this x86-64 kernel runs 32-bit x86 programs: it may be built
 * without IA32 emulation or boot with it off (ia32_emulation=, Linux 6.7),
 * and then execve gives "Exec format error". Told by a child process that
 * makes one 32-bit system call (int 0x80), which such a kernel answers with
 * a fault. True off x86-64, where the question does not arise. */
bool host_runs_i386(void);

#endif
