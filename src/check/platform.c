/* Checks a profile can judge from its base facts alone, and that apply to
 * every target: machine, libc family and version, kernel, CPU level. */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/checks.h"
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

static bool machine_listed(const char *machines, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = machines; p && *p;) {
		size_t len = strcspn(p, " ");
		if (len == n && strncmp(p, name, n) == 0)
			return true;
		p += len + (p[len] == ' ');
	}
	return false;
}

static void check_profile_loader(const struct check_input *in, const struct provides *p, struct findings *out)
{
	const struct needs *n = in->needs;
	const struct profile *pr = p->profile;
	if (!n->interpreter)
		return;
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
	for (size_t i = 0; i < n->nneeded; i++) {
		if (base_library(n->needed[i], pr->libc))
			continue;
		findings_add(out, "library-unknown", SEV_UNKNOWN, n->needed[i],
			     "check the package that ships it is installed on the target",
			     "needs %s, which is not part of the %s base", n->needed[i], pr->name);
	}
}

void check_platform(const struct check_input *in, const struct provides *p, struct findings *out)
{
	const struct elf_file *ef = in->elf;
	const struct needs *n = in->needs;
	char buf[32];
	const char *machine = elf_machine_name(ef->machine, ef->bits, ef->big_endian, buf, sizeof buf);
	if (p->kind == TARGET_PROFILE) {
		if (!machine_listed(p->profile->machines, machine)) {
			findings_add(out, "machine-mismatch", SEV_FAIL, machine, "build for the target's architecture (GOARCH / a cross compiler)",
				     "built for %s; %s runs on %s: \"Exec format error\"", machine, p->profile->name,
				     p->profile->machines);
			return;
		}
		check_profile_loader(in, p, out);
	}

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

	/* The CPU: the GNU property note, or GOAMD64 for Go. */
	unsigned level = n->x86_isa_needed;
	const char *goamd64 = in->go && in->go->is_go ? go_modinfo_setting(&in->go->mod, "GOAMD64") : NULL;
	if (goamd64 && goamd64[0] == 'v' && goamd64[1] >= '1' && goamd64[1] <= '4' && (unsigned)(goamd64[1] - '0') > level)
		level = (unsigned)(goamd64[1] - '0');
	if (ef->machine == EM_X86_64 && p->x86_level && level > p->x86_level) {
		const char *fix = goamd64 ? "rebuild with GOAMD64=v1 (or the target's level)"
					  : "rebuild without -march above the target's level";
		if (p->kind == TARGET_HOST)
			findings_add(out, "cpu-level", SEV_FAIL, x86_isa_level_name(level), fix,
				     "needs an %s CPU; this CPU is %s", x86_isa_level_name(level),
				     x86_isa_level_name(p->x86_level));
		else
			findings_add(out, "cpu-level", SEV_WARN, x86_isa_level_name(level), fix,
				     "needs an %s CPU; %s also runs on %s machines", x86_isa_level_name(level),
				     p->name, x86_isa_level_name(p->x86_level));
	}
}
