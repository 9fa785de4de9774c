#include "host/cpu.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

#define BIT(n) (UINT32_C(1) << (n))

/* The psABI features of each level, leaf by leaf (CPUID bit numbers from
 * the kernel's cpufeatures.h, as glibc's get-isa-level.h tests them). */
static const struct level_bits {
	uint32_t l1_ecx, l1_edx, l7_ebx, e1_ecx, e1_edx;
	uint64_t xcr0;
} level_bits[4] = {
	/* v1: FPU CX8 CMOV MMX FXSR SSE SSE2 */
	{ 0, BIT(0) | BIT(8) | BIT(15) | BIT(23) | BIT(24) | BIT(25) | BIT(26), 0, 0, 0, 0 },
	/* v2: SSE3 SSSE3 CX16 SSE4.1 SSE4.2 POPCNT, LAHF_LM */
	{ BIT(0) | BIT(9) | BIT(13) | BIT(19) | BIT(20) | BIT(23), 0, 0, BIT(0), 0, 0 },
	/* v3: FMA MOVBE OSXSAVE AVX F16C, BMI1 AVX2 BMI2, ABM (LZCNT);
	 * the OS must save XMM and YMM state */
	{ BIT(12) | BIT(22) | BIT(27) | BIT(28) | BIT(29), 0, BIT(3) | BIT(5) | BIT(8), BIT(5), 0, 0x6 },
	/* v4: AVX512 F DQ CD BW VL; and opmask, ZMM_Hi256, Hi16_ZMM state */
	{ 0, 0, BIT(16) | BIT(17) | BIT(28) | BIT(30) | BIT(31), 0, 0, 0xe0 },
};

unsigned cpu_level_from_cpuid(const struct cpuid_words *w)
{
	unsigned level = 0;
	for (unsigned l = 0; l < 4; l++) {
		const struct level_bits *b = &level_bits[l];
		bool ok = (w->l1_ecx & b->l1_ecx) == b->l1_ecx && (w->l1_edx & b->l1_edx) == b->l1_edx &&
			  (w->l7_ebx & b->l7_ebx) == b->l7_ebx && (w->e1_ecx & b->e1_ecx) == b->e1_ecx &&
			  (w->e1_edx & b->e1_edx) == b->e1_edx && (w->xcr0 & b->xcr0) == b->xcr0;
		if (!ok)
			break;
		level = l + 1;
	}
	return level;
}

/* Whether FLAGS (space-separated) has the whole word WORD. */
static bool has_flag(const char *flags, const char *word)
{
	size_t n = strlen(word);
	for (const char *p = flags; (p = strstr(p, word)) != NULL; p += n) {
		bool starts = p == flags || p[-1] == ' ' || p[-1] == '\t' || p[-1] == ':';
		bool ends = p[n] == '\0' || p[n] == ' ' || p[n] == '\n' || p[n] == '\t';
		if (starts && ends)
			return true;
	}
	return false;
}

unsigned cpu_level_from_flags(const char *flags)
{
	/* The kernel's names for the same features; it never shows osxsave,
	 * and shows avx only when the OS enabled it. */
	static const char *const v2[] = { "cx16", "lahf_lm", "popcnt", "pni", "sse4_1", "sse4_2", "ssse3", NULL };
	static const char *const v3[] = { "avx", "avx2", "bmi1", "bmi2", "f16c", "fma", "abm", "movbe", "xsave", NULL };
	static const char *const v4[] = { "avx512f", "avx512bw", "avx512cd", "avx512dq", "avx512vl", NULL };
	const char *const *levels[] = { v2, v3, v4 };
	unsigned level = 1;
	for (unsigned l = 0; l < 3; l++) {
		for (const char *const *feat = levels[l]; *feat; feat++)
			if (!has_flag(flags, *feat))
				return level;
		level = l + 2;
	}
	return level;
}

bool cpu_read_cpuid(struct cpuid_words *w)
{
	memset(w, 0, sizeof *w);
#if defined(__x86_64__)
	unsigned a, b, c, d;
	if (!__get_cpuid(0, &a, &b, &c, &d) || a < 1)
		return false;
	w->max_leaf = a;
	__cpuid(1, a, b, c, d);
	w->l1_ecx = c;
	w->l1_edx = d;
	if (w->max_leaf >= 7) {
		__cpuid_count(7, 0, a, b, c, d);
		w->l7_ebx = b;
	}
	__cpuid(0x80000000u, a, b, c, d);
	w->max_ext = a;
	if (w->max_ext >= 0x80000001u) {
		__cpuid(0x80000001u, a, b, c, d);
		w->e1_ecx = c;
		w->e1_edx = d;
	}
	/* XGETBV faults unless the OS set CR4.OSXSAVE, which CPUID reports. */
	if (w->l1_ecx & BIT(27)) {
		uint32_t lo, hi;
		__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
		w->xcr0 = (uint64_t)hi << 32 | lo;
	}
	return true;
#else
	return false;
#endif
}

static unsigned cpuinfo_level(bool *found)
{
	*found = false;
	FILE *f = fopen("/proc/cpuinfo", "r");
	if (!f)
		return 1;
	char line[8192];
	unsigned level = 1;
	while (fgets(line, sizeof line, f)) {
		if (strncmp(line, "flags", 5) == 0) {
			level = cpu_level_from_flags(line);
			*found = true;
			break;
		}
	}
	fclose(f);
	return level;
}

unsigned host_cpu_level_from(const char **source)
{
	struct cpuid_words w;
	if (cpu_read_cpuid(&w)) {
		unsigned level = cpu_level_from_cpuid(&w);
		*source = "cpuid";
		return level ? level : 1;
	}
	bool found;
	unsigned level = cpuinfo_level(&found);
	*source = found ? "cpuinfo" : "assumed";
	return level;
}

unsigned host_cpu_level(void)
{
	const char *source;
	return host_cpu_level_from(&source);
}

bool host_runs_i386(void)
{
#if defined(__x86_64__)
	pid_t pid = fork();
	if (pid < 0)
		return true; /* cannot tell: the usual kernel */
	if (pid == 0) {
		/* The fault ends the child quietly, whatever handler (a
		 * sanitizer's) the parent had. */
		signal(SIGSEGV, SIG_DFL);
		signal(SIGBUS, SIG_DFL);
		long ret = 20; /* i386 getpid */
		/* The kernel may clear r8-r11 on the way back. */
		__asm__ volatile("int $0x80" : "+a"(ret) : : "r8", "r9", "r10", "r11", "cc", "memory");
		_exit(ret > 0 ? 0 : 1);
	}
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return true;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
#else
	return true;
#endif
}

