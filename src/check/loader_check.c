/* For targets with files (a root, this host): the loader's own verdict,
 * from the same resolution `canrun deps` does, turned into findings. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "check/checks.h"
#include "check/loader_check.h"
#include "loader/binfmt.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

static char *first_line(const char *text)
{
	return xstrndup(text, strcspn(text, "\n"));
}

void check_loader(const struct check_input *in, const struct provides *p, struct libcache *cache,
		  struct lib_entry *program, const char *at, struct findings *out, char **loader_error,
		  int *exit_status)
{
	struct resolve_opts ro = { .at = at, .argv0 = at, .cpu_level = p->x86_level ? p->x86_level : 1,
				   .machine = p->machine, .binfmt_dir = p->kind == TARGET_HOST ? BINFMT_MISC_DIR : NULL };
	struct resolution res;
	*loader_error = NULL;
	*exit_status = 0;
	if (resolve_program(&res, p->root, cache, program, &ro) < 0)
		return;
	*exit_status = res.exit_status;
	if (res.emulator)
		findings_add(out, "machine-emulated", SEV_WARN, res.emulator, "build for this machine to run it natively",
			     "built for another machine: binfmt_misc hands it to %s, which emulates it (slower, and "
			     "not every system call is emulated)", res.emulator);
	/* A library's undefined symbols may be its host program's to define
	 * (plugins, Perl and Python modules): dlopen searches the program
	 * first, so alone they prove nothing. */
	bool library = program->needs.kind == KIND_SHARED_LIBRARY;
	switch (res.exec_errno) {
	case ENOENT:
		findings_add(out, "interpreter-missing", SEV_FAIL, res.interp,
			     "rebuild statically (CGO_ENABLED=0 for Go; -static for C), or use a base with that libc",
			     "its loader %s is not there: the kernel reports \"No such file or directory\" for the program itself",
			     res.interp);
		break;
	case ENOEXEC:
		if (elf_code_missing(in->elf))
			findings_add(out, "no-code", SEV_FAIL, NULL, "run the program it was split from",
				     "it holds no code, only sizes (a separate debug file): \"Exec format error\"");
		else {
			char buf[32];
			const char *machine = elf_machine_name(in->elf->machine, in->elf->bits, in->elf->big_endian, buf,
								sizeof buf);
			findings_add(out, "machine-mismatch", SEV_FAIL, machine, "build for the target's machine",
				     "built for %s, not %s: execve fails with \"Exec format error\" (a shell reports "
				     "exit status 126)", machine, p->machine);
		}
		break;
	case 0:
		break;
	default:
		findings_add(out, "interpreter-bad", SEV_FAIL, res.interp, "repair or reinstall the C library",
			     "its loader %s cannot be run (%s)", res.interp, res.summary ? res.summary : "");
		break;
	}
	if (res.loader_error) {
		const char *text = res.loader_error;
		const char *id = "loader-error", *fix = "see the loader's message";
		if (strstr(text, "version `GLIBC_")) {
			id = "glibc-too-old";
			fix = in->go && in->go->rebuild ? in->go->rebuild
				: "build on the oldest target you support (or in a container of it), or link statically";
		} else if (strstr(text, "cannot open shared object file") || strstr(text, "Error loading shared library")) {
			id = "library-missing";
			fix = "install the package that ships it, ship it next to the program (RUNPATH $ORIGIN), or link statically";
		} else if (strstr(text, "CPU ISA level is lower than required")) {
			id = "cpu-level";
			fix = "rebuild without -march above the target's level (and without -z x86-64-vN), or run it on "
			      "a CPU of that level";
		} else if (strstr(text, "wrong ELF class")) {
			id = "library-wrong-class";
			fix = "install the library for the program's class (32/64-bit)";
		} else if (strstr(text, "symbol lookup error") || strstr(text, "symbol not found")) {
			id = "symbol-missing";
			fix = "install the library version the program was built against";
		} else if (strstr(text, "version `")) {
			id = "library-version-missing";
			fix = "install the library version the program was built against";
		}
		char *line = first_line(text);
		if (library && strcmp(id, "symbol-missing") == 0)
			findings_add(out, "symbols-from-host", SEV_OK, text, NULL,
				     "loads only into a program that defines what it lacks (a plugin): %s", line);
		else if (strcmp(id, "cpu-level") == 0) {
			char cpu[200];
			check_describe_cpu(p, cpu, sizeof cpu);
			findings_add(out, id, SEV_FAIL, text, fix, "%s %s", line, cpu);
		} else
			findings_add(out, id, SEV_FAIL, text, fix, "%s", line);
		free(line);
		*loader_error = xstrdup(text);
	}
	for (size_t m = 0; m < res.nmissing; m++) {
		if (!res.missing[m].lazy)
			continue;
		if (library) {
			findings_add(out, "symbols-from-host", SEV_OK, res.missing[m].name, NULL,
				     "%s is defined nowhere in its own libraries: the program that loads it must define it",
				     res.missing[m].name);
			continue;
		}
		findings_add(out, "symbol-missing-lazy", SEV_WARN, res.missing[m].name,
			     "install the library version the program was built against",
			     "starts, but %s is defined nowhere: the first call to it ends the program", res.missing[m].name);
	}
	if (res.loader_warnings) {
		char *line = first_line(res.loader_warnings);
		findings_add(out, "loader-warning", SEV_WARN, res.loader_warnings, "install the library version the program was built against",
			     "%s", line);
		free(line);
	}
	resolution_free(&res);
}
