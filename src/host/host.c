/* Collecting this machine's provides: the syscalls first, then the root. */
#include "host/host.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "host/cpu.h"
#include "target/machine.h"
#include "target/provides_load.h"
#include "util/xalloc.h"

void kernel_version_of(const char *release, char *out, size_t len)
{
	size_t n = 0;
	while (release[n] && ((release[n] >= '0' && release[n] <= '9') || release[n] == '.') && n + 1 < len)
		n++;
	while (n && release[n - 1] == '.')
		n--;
	memcpy(out, release, n);
	out[n] = '\0';
}

static void read_machine(struct host_facts *h)
{
	struct utsname u;
	if (uname(&u) == 0)
		snprintf(h->kernel, sizeof h->kernel, "%s", u.release);
	kernel_version_of(h->kernel, h->kernel_version, sizeof h->kernel_version);
	machine_host(h->machine, sizeof h->machine);
	h->platform_arch = machine_platform_arch(h->machine);
	if (strcmp(h->machine, "x86_64") == 0) {
		h->x86_level = host_cpu_level_from(&h->cpu_source);
		h->no_i386 = !host_runs_i386();
	}
	container_read_host(&h->proc);
	cgroup_read_host(&h->cgroup);
	const struct cgroup_controller *cpu = &h->cgroup.cpu;
	h->go_maxprocs_old = go_maxprocs_default(h->proc.cpus_affinity, cpu->limited, cpu->cpus, false);
	h->go_maxprocs_new = go_maxprocs_default(h->proc.cpus_affinity, cpu->limited, cpu->cpus, true);
	h->binfmt_mounted = binfmt_list(BINFMT_MISC_DIR, &h->binfmt, &h->nbinfmt, &h->binfmt_enabled) == 0;
}

int host_collect(struct host_facts *h, const char *root_dir, struct cr_err *err)
{
	memset(h, 0, sizeof *h);
	read_machine(h);
	h->other_root = root_dir != NULL;
	char *spec = NULL;
	if (root_dir) {
		size_t n = strlen(root_dir) + 8;
		spec = xmalloc(n);
		snprintf(spec, n, "rootfs:%s", root_dir);
	}
	int rc = provides_open(&h->p, spec ? spec : "host", NULL, err);
	free(spec);
	if (rc < 0) {
		host_facts_free(h);
		return -1;
	}
	runtime_files_read(&h->files, &h->p, NULL, RF_ALL);
	host_read_libs(h);
	return 0;
}

void host_facts_free(struct host_facts *h)
{
	free(h->binfmt);
	free(h->ld_cache_generator);
	ldconf_free(&h->ld_conf);
	runtime_files_free(&h->files);
	if (h->p.name)
		provides_free(&h->p);
	memset(h, 0, sizeof *h);
}
