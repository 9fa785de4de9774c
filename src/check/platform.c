/* Checks a profile can judge from its base facts alone, and that apply to
 * every target: machine, libc family and version, kernel, CPU level. */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/checks.h"
#include "target/machine.h"
#include "loader/ldso.h"
#include "report/needs_report.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/* Libraries every glibc (or musl) base has: the C library and its parts. */
static bool base_library(const char *name, enum libc_kind libc)
{
	static const char *const glibc[] = {
		"libc.so.6", "libm.so.6", "libpthread.so.0", "libdl.so.2", "librt.so.1", "libresolv.so.2",
		"libutil.so.1", "libanl.so.1", "libnsl.so.1", "libcrypt.so.1", "libgcc_s.so.1",
		"ld-linux-x86-64.so.2", "ld-linux-aarch64.so.1", "ld-linux.so.2", "ld-linux-armhf.so.3",
		"ld64.so.1", "ld64.so.2",
	};
	if (libc == LIBC_GLIBC) {
		for (size_t i = 0; i < sizeof glibc / sizeof glibc[0]; i++)
			if (strcmp(name, glibc[i]) == 0)
				return true;
		return false;
	}
	return libc == LIBC_MUSL && (strcmp(name, "libc.so") == 0 || strncmp(name, "libc.musl-", 10) == 0);
}

static void check_profile_loader(const struct check_input *in, const struct provides *p, const char *machine,
				 enum machine_fit fit, struct findings *out, int *exit_status)
{
	const struct needs *n = in->needs;
	const struct profile *pr = p->profile;
	if (!n->interpreter)
		return;
	/* A 32-bit program on a 64-bit install: the kernel runs it, but the
	 * base has only the native loader (multiarch or lib32 packages add the
	 * other). */
	if (fit == MACHINE_COMPAT || fit == MACHINE_COMPAT_CPU) {
		findings_add(out, "interpreter-missing", SEV_FAIL, n->interpreter,
			     "install the target's C library for that machine (Debian: dpkg --add-architecture; "
			     "Red Hat: glibc.i686), or build for the target's own machine",
			     "it needs the loader %s for %s, which a %s %s install does not have: the kernel reports "
			     "\"No such file or directory\" for the program itself",
			     n->interpreter, machine, pr->name, p->machine);
		return;
	}
	enum loader_family want = ldso_family_of(n->interpreter);
	if (pr->libc == LIBC_NONE || (want == LOADER_MUSL) != (pr->libc == LIBC_MUSL)) {
		findings_add(out, "interpreter-missing", SEV_FAIL, n->interpreter,
			     want == LOADER_MUSL ? "rebuild against glibc, or statically (CGO_ENABLED=0 for Go)"
						 : "rebuild statically (CGO_ENABLED=0 for Go; -static for C), or use a glibc base image",
			     "it needs the loader %s, which %s does not have: the kernel reports \"No such file or directory\" for the program itself",
			     n->interpreter, pr->name);
		return;
	}
	if (pr->libc == LIBC_GLIBC && n->max_glibc[0] && pr->libc_version &&
	    version_compare(n->max_glibc, pr->libc_version) > 0) {
		struct strbuf ev = { 0 };
		sb_appendf(&ev, "GLIBC_%s needed by", n->max_glibc);
		for (size_t i = 0; i < n->nmax_glibc_symbols && i < 8; i++)
			sb_appendf(&ev, "%s %s", i ? "," : "", n->max_glibc_symbols[i]);
		char *evidence = sb_take(&ev);
		const char *fix = in->go && in->go->rebuild ? in->go->rebuild
			: "build on the oldest target you support (or in a container of it), or link statically";
		findings_add(out, "glibc-too-old", SEV_FAIL, evidence, fix,
			     "needs glibc %s; %s has %s: version `GLIBC_%s' not found", n->max_glibc, pr->name,
			     pr->libc_version, n->max_glibc);
		free(evidence);
	}
	/* A Debian release knows its libraries on the machine it was read on;
	 * other machines and distributions know only their C library. */
	const struct libinv *inv = libinv_for_profile(pr, NULL);
	if (inv && strcmp(p->machine, inv->machine) == 0 && fit == MACHINE_NATIVE) {
		check_profile_libs(in, p, inv, out, exit_status);
		return;
	}
	for (size_t i = 0; i < n->nneeded; i++) {
		if (base_library(n->needed[i], pr->libc))
			continue;
		findings_add(out, "library-unknown", SEV_UNKNOWN, n->needed[i],
			     "check the package that ships it is installed on the target",
			     "needs %s, which is not part of the %s base", n->needed[i], pr->name);
	}
}

/* Which CPU a verdict is for: "on this CPU (x86-64-v3)", "on x86-64-v3
 * (--cpu)", or "on x86-64-v1, assumed as the lowest the target runs on
 * (--cpu names yours)". Like every message, it names no target: the
 * reporter does, so an image and its unpacked root say the same. */
void check_describe_cpu(const struct provides *p, char *out, size_t len)
{
	const char *level = x86_isa_level_name(p->x86_level ? p->x86_level : 1);
	if (p->kind == TARGET_HOST)
		snprintf(out, len, "on this CPU (%s)", level);
	else if (p->cpu_saved)
		snprintf(out, len, "on its CPU (%s), as saved", level);
	else if (p->cpu_assumed)
		snprintf(out, len, "on %s, assumed as the lowest the target runs on (--cpu names yours)", level);
	else
		snprintf(out, len, "on %s (--cpu)", level);
}

/* The CPU level: the loader's check of the GNU property note, and the Go
 * runtime's own of GOAMD64. Roots and images whose glibc checks the note
 * learn it from the resolver (it covers the libraries too). */
static void check_cpu_level(const struct check_input *in, const struct provides *p, struct findings *out,
			    int *exit_status)
{
	const struct elf_file *ef = in->elf;
	const struct needs *n = in->needs;
	if (ef->machine != EM_X86_64 || ef->bits != 64 || strcmp(p->machine, "x86_64") != 0)
		return;
	unsigned cpu = p->x86_level ? p->x86_level : 1;
	char cpu_text[200];
	check_describe_cpu(p, cpu_text, sizeof cpu_text);
	const char *goamd64 = in->go && in->go->is_go ? go_modinfo_setting(&in->go->mod, "GOAMD64") : NULL;
	unsigned go_level = goamd64 && goamd64[0] == 'v' && goamd64[1] >= '1' && goamd64[1] <= '4' && !goamd64[2]
				    ? (unsigned)(goamd64[1] - '0') : 0;
	unsigned marked = n->x86_isa_needed;
	const char *fix = go_level > 1 ? "rebuild with GOAMD64=v1 (or the target's level)"
				       : "rebuild without -march above the target's level (and without -z x86-64-vN)";

	if (marked > cpu) {
		const char *level = x86_isa_level_name(marked);
		bool checked = n->interpreter && p->libc == LIBC_GLIBC && p->libc_version[0] &&
			       version_compare(p->libc_version, "2.33") >= 0;
		if (checked && p->root) {
			/* the resolver's loader text says it, for this and every library */
		} else if (checked) {
			findings_add(out, "cpu-level", SEV_FAIL, level, fix,
				     "needs an %s CPU: \"%s: CPU ISA level is lower than required\" (exit status 127) %s",
				     level, in->at ? in->at : in->path, cpu_text);
			if (!*exit_status)
				*exit_status = 127;
		} else {
			const char *who = !n->interpreter ? "a static program's start-up does not check the marking"
					  : p->libc == LIBC_MUSL ? "musl does not check the marking"
					  : "glibc before 2.33 does not check the marking";
			findings_add(out, "cpu-level", SEV_WARN, level, fix,
				     "marked as needing an %s CPU, but %s, so it starts %s; an instruction the CPU lacks "
				     "would kill it with SIGILL (exit status 132)",
				     level, who, cpu_text);
		}
	} else if (marked > 1) {
		findings_add(out, "cpu-level", SEV_OK, x86_isa_level_name(marked), NULL, "needs an %s CPU: met %s",
			     x86_isa_level_name(marked), cpu_text);
	}

	if (go_level > cpu) {
		findings_add(out, "cpu-level", SEV_FAIL, goamd64, fix,
			     "built with GOAMD64=%s: the Go runtime refuses to start %s: \"This program can only be run "
			     "on AMD64 processors with %s microarchitecture support.\" (exit status 1)",
			     goamd64, cpu_text, goamd64);
		if (!*exit_status)
			*exit_status = 1;
	} else if (go_level > 1) {
		findings_add(out, "cpu-level", SEV_OK, goamd64, NULL, "built with GOAMD64=%s: met %s", goamd64, cpu_text);
	}
}

void check_platform(const struct check_input *in, const struct provides *p, struct findings *out, int *exit_status)
{
	const struct elf_file *ef = in->elf;
	const struct needs *n = in->needs;
	char buf[32];
	const char *machine = elf_machine_name(ef->machine, ef->bits, ef->big_endian, buf, sizeof buf);
	enum machine_fit fit = machine_fit(p->machine, machine);
	if (p->no_i386 && ef->machine == EM_386) {
		findings_add(out, "machine-mismatch", SEV_FAIL, machine, "build for x86_64, or boot with ia32_emulation=on",
			     "the kernel there runs no 32-bit x86 program (IA32 emulation is off or not built in): "
			     "execve fails with \"Exec format error\" (a shell reports exit status 126)");
		*exit_status = 126;
		return;
	}
	/* Targets with files learn this from the resolver, as execve would. */
	if (p->kind == TARGET_PROFILE) {
		if (fit == MACHINE_FOREIGN) {
			char fix[200];
			snprintf(fix, sizeof fix, "build for %s (GOARCH=%s for Go, a cross compiler for C)", p->machine,
				 machine_platform_arch(p->machine));
			findings_add(out, "machine-mismatch", SEV_FAIL, machine, fix,
				     "built for %s, not %s: execve fails with \"Exec format error\" "
				     "(a shell reports exit status 126)", machine, p->machine);
			*exit_status = 126;
			return;
		}
		check_profile_loader(in, p, machine, fit, out, exit_status);
	}
	if (fit == MACHINE_COMPAT_CPU)
		findings_add(out, "machine-compat", SEV_WARN, machine, "build for the target's own machine",
			     "a %s program on a %s kernel starts only where the CPU still has its 32-bit mode "
			     "(many current arm64 server CPUs do not)", machine, p->machine);

	/* glibc 2.41 stopped making the stack executable on dlopen: a library
	 * that asks for one no longer loads that way (NEWS 2.41). Programs and
	 * their start-up libraries still get one. */
	if (n->exec_stack == TRI_YES && n->kind == KIND_SHARED_LIBRARY && p->libc == LIBC_GLIBC &&
	    p->libc_version[0] && version_compare(p->libc_version, "2.41") >= 0)
		findings_add(out, "exec-stack", SEV_FAIL, "PT_GNU_STACK is RWX, or missing",
			     "link with -z noexecstack (add .note.GNU-stack to hand-written assembly)",
			     "the library asks for an executable stack; glibc %s refuses to dlopen it",
			     p->libc_version);
	else if (n->exec_stack == TRI_YES && (n->kind == KIND_SHARED_LIBRARY || n->interpreter))
		findings_add(out, "exec-stack", SEV_OK, "PT_GNU_STACK is RWX, or missing",
			     "link with -z noexecstack",
			     "asks for an executable stack: glibc allows it at start; hardened policies refuse it");

	/* The kernel floor: the ABI tag, and the Go version's own. */
	const char *kernel_needed = n->min_kernel[0] ? n->min_kernel : NULL;
	const char *kernel_why = "the GNU ABI tag";
	if (in->go && in->go->is_go && in->go->min_kernel &&
	    (!kernel_needed || version_compare(in->go->min_kernel, kernel_needed) > 0)) {
		kernel_needed = in->go->min_kernel;
		kernel_why = n->go.version ? n->go.version : "its Go version";
	}
	if (kernel_needed && p->kernel[0] && version_compare(kernel_needed, p->kernel) > 0)
		findings_add(out, "kernel-too-old", SEV_FAIL, kernel_why, "build with an older toolchain, or upgrade the kernel",
			     "needs Linux %s (%s); %s has %s", kernel_needed, kernel_why, p->name, p->kernel);

	check_cpu_level(in, p, out, exit_status);
}
