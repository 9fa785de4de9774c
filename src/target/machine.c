#include "target/machine.h"

#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

/* kernel name, container/Go name, other spellings people use */
static const struct {
	const char *kernel, *platform, *other;
} names[] = {
	{ "x86_64", "amd64", "x86-64" },     { "aarch64", "arm64", "armv8" },
	{ "i386", "386", "i686" },           { "arm", "arm", "armhf" },
	{ "ppc64le", "ppc64le", "powerpc64le" }, { "s390x", "s390x", NULL },
	{ "riscv64", "riscv64", NULL },      { "mips64el", "mips64le", NULL },
	{ "mipsel", "mipsle", NULL },        { "loongarch64", "loong64", NULL },
	{ "ppc64", "ppc64", NULL },          { "mips", "mips", NULL },
	{ "mips64", "mips64", NULL },
};

const char *machine_canonical(const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(name, names[i].kernel) == 0 || strcmp(name, names[i].platform) == 0 ||
		    (names[i].other && strcmp(name, names[i].other) == 0))
			return names[i].kernel;
	/* uname -m on 32-bit ARM and x86 says the core: armv7l, i586. */
	if (strncmp(name, "armv", 4) == 0 && strcmp(name, "armv8") != 0)
		return "arm";
	if (name[0] == 'i' && name[1] >= '3' && name[1] <= '6' && strcmp(name + 2, "86") == 0)
		return "i386";
	return NULL;
}

const char *machine_platform_arch(const char *machine)
{
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(machine, names[i].kernel) == 0)
			return names[i].platform;
	return machine;
}

const char *machine_host(char *buf, size_t len)
{
	struct utsname u;
	if (uname(&u) < 0)
		snprintf(buf, len, "%s", "x86_64");
	else
		snprintf(buf, len, "%s", machine_canonical(u.machine) ? machine_canonical(u.machine) : u.machine);
	return buf;
}

enum machine_fit machine_fit(const char *kernel_machine, const char *program)
{
	if (strcmp(kernel_machine, program) == 0)
		return MACHINE_NATIVE;
	/* Distribution kernels build the 32-bit compatibility layers in
	 * (CONFIG_IA32_EMULATION, CONFIG_COMPAT); arm64 CPUs may lack AArch32. */
	if (strcmp(kernel_machine, "x86_64") == 0 && strcmp(program, "i386") == 0)
		return MACHINE_COMPAT;
	if (strcmp(kernel_machine, "aarch64") == 0 && strcmp(program, "arm") == 0)
		return MACHINE_COMPAT_CPU;
	if (strcmp(kernel_machine, "s390x") == 0 && strcmp(program, "s390") == 0)
		return MACHINE_COMPAT;
	return MACHINE_FOREIGN;
}

const char *machine_from_platform(const char *platform)
{
	char arch[32];
	const char *slash = strchr(platform, '/');
	const char *a = platform;
	if (slash) {
		if ((size_t)(slash - platform) != 5 || strncmp(platform, "linux", 5) != 0)
			return NULL;
		a = slash + 1;
	}
	size_t n = strcspn(a, "/");
	if (n == 0 || n >= sizeof arch)
		return NULL;
	memcpy(arch, a, n);
	arch[n] = '\0';
	return machine_canonical(arch);
}
