/* `canrun host` as text: one short section per concern, a label column,
 * machine facts marked as this machine's when a root is reported. */
#include "report/host_report.h"

#include <inttypes.h>
#include <string.h>

#include "report/needs_report.h"

static void section(FILE *out, const struct style *st, const char *title)
{
	fprintf(out, "\n%s%s%s\n", style_bold(st), title, style_reset(st));
}

/* A label, then the rest of the line printed by the caller. */
static void label(FILE *out, const struct style *st, const char *name)
{
	fprintf(out, "  %s%-13s%s", style_dim(st), name, style_reset(st));
}

static void line(FILE *out, const struct style *st, const char *name, const char *text)
{
	label(out, st, name);
	put_untrusted(out, text);
	fputc('\n', out);
}

static const char *yes_no(bool b)
{
	return b ? "present" : "absent";
}

static void print_machine(FILE *out, const struct style *st, const struct host_facts *h)
{
	section(out, st, h->other_root ? "kernel and CPU (this machine, not the root)" : "kernel and CPU");
	label(out, st, "kernel");
	fprintf(out, "%s (Linux %s)\n", h->kernel, h->kernel_version[0] ? h->kernel_version : "?");
	label(out, st, "arch");
	fprintf(out, "%s (%s)%s\n", h->machine, h->platform_arch,
		h->no_i386 ? "; runs no 32-bit x86 program (IA32 emulation off)" : "");
	if (h->x86_level) {
		label(out, st, "cpu");
		fprintf(out, "%s (from %s)\n", x86_isa_level_name(h->x86_level), h->cpu_source);
	}
	label(out, st, "page size");
	fprintf(out, "%ld\n", h->proc.page_size);
	label(out, st, "binfmt_misc");
	if (!h->binfmt_mounted)
		fputs("not mounted: foreign programs fail with \"Exec format error\"\n", out);
	else
		fprintf(out, "%s, %zu handler%s\n", h->binfmt_enabled ? "enabled" : "disabled", h->nbinfmt,
			h->nbinfmt == 1 ? "" : "s");
	for (size_t i = 0; i < h->nbinfmt; i++) {
		const struct binfmt_entry *b = &h->binfmt[i];
		fprintf(out, "  %-13s ", "");
		put_untrusted(out, b->name);
		fputs(": ", out);
		put_untrusted(out, b->interpreter);
		fprintf(out, "%s%s%s\n", b->machine[0] ? " for " : "", b->machine, b->enabled ? "" : " (disabled)");
	}
}

static void print_libc(FILE *out, const struct style *st, const struct host_facts *h)
{
	section(out, st, "libc and loaders");
	label(out, st, "libc");
	fprintf(out, "%s%s%s\n", host_libc_name(h->p.libc), h->p.libc_version[0] ? " " : "", h->p.libc_version);
	if (!h->nloaders)
		line(out, st, "loaders", "none: only static programs start");
	for (size_t i = 0; i < h->nloaders; i++) {
		const struct host_loader *l = &h->loaders[i];
		label(out, st, i ? "" : "loaders");
		put_untrusted(out, l->path);
		if (l->real[0] && strcmp(l->real, l->path) != 0) {
			fputs(" -> ", out);
			put_untrusted(out, l->real);
		}
		fprintf(out, " (%s%s%s%s%s)\n", l->family, l->version[0] ? " " : "", l->version,
			l->machine[0] ? ", " : "", l->machine);
	}
	section(out, st, "library search");
	label(out, st, "ld.so.cache");
	if (!h->ld_cache_present)
		fputs("absent: the loader searches only the default directories\n", out);
	else if (!h->ld_cache_ok)
		fprintf(out, "unusable: %s\n", h->ld_cache_problem);
	else
		fprintf(out, "%zu entries, %s format\n", h->ld_cache_entries, h->ld_cache_format);
	label(out, st, "ld.so.conf");
	if (!h->ld_conf.ndirs)
		fputs("no directories\n", out);
	for (size_t i = 0; i < h->ld_conf.ndirs; i++) {
		if (i)
			label(out, st, "");
		put_untrusted(out, h->ld_conf.dirs[i]);
		fputc('\n', out);
	}
	label(out, st, "glibc-hwcaps");
	for (size_t i = 0; i < h->nhwcaps; i++)
		fprintf(out, "%s%s", i ? ", " : "", h->hwcaps[i]);
	fputs(h->nhwcaps ? " (searched on this CPU)\n" : "none searched\n", out);

	section(out, st, "OpenSSL");
	if (!h->libcrypto[0]) {
		line(out, st, "libcrypto", "not found (libcrypto.so.3, libcrypto.so.1.1)");
		return;
	}
	label(out, st, "libssl");
	if (h->libssl[0]) {
		put_untrusted(out, h->libssl);
		fprintf(out, " (%s)\n", h->libssl_via ? h->libssl_via : "");
	} else {
		fputs("not found\n", out);
	}
	line(out, st, "libcrypto", h->libcrypto);
	label(out, st, "version");
	fprintf(out, "%s: TLS 1.3 %s\n", h->openssl_version[0] ? h->openssl_version : "unknown",
		h->tls13 ? "available" : "not available (needs OpenSSL 1.1.1 or later)");
}

static void print_files(FILE *out, const struct style *st, const struct host_facts *h)
{
	const struct runtime_files *rf = &h->files;
	section(out, st, "run-time files");
	label(out, st, "CA bundle");
	if (rf->ca_taken >= 0)
		fprintf(out, "%s (%s; Go's crypto/x509 takes the first readable)\n", runtime_ca_files[rf->ca_taken],
			host_ca_state_name(rf->ca_files[rf->ca_taken]));
	else
		fputs("none of Go's files\n", out);
	for (size_t i = 0; i < RF_NCA_FILES; i++)
		fprintf(out, "  %-13s %zu. %s: %s\n", "", i + 1, runtime_ca_files[i], host_ca_state_name(rf->ca_files[i]));
	for (size_t i = 0; i < RF_NCA_DIRS; i++) {
		label(out, st, i ? "" : "CA dirs");
		fprintf(out, "%s: %s\n", runtime_ca_dirs[i],
			!rf->ca_dir_exists[i] ? "absent" : rf->ca_dir_cert[i] ? "certificates" : "no certificate");
	}
	label(out, st, "zoneinfo");
	if (rf->tz_zone)
		fprintf(out, "%s\n", runtime_tz_dirs[rf->tz_zone_dir]);
	else
		fputs("no regional zones: time.LoadLocation fails but for UTC\n", out);
	label(out, st, "localtime");
	if (rf->localtime_link[0]) {
		fputs("/etc/localtime -> ", out);
		put_untrusted(out, rf->localtime_link);
		fprintf(out, "%s%s%s\n", rf->localtime_zone[0] ? " (" : "", rf->localtime_zone,
			rf->localtime_zone[0] ? ")" : "");
	} else {
		fprintf(out, "%s\n", rf->localtime ? "a zone file" : "absent: UTC");
	}
	label(out, st, "/etc");
	fprintf(out, "hosts %s, passwd %s, group %s, resolv.conf %s\n", yes_no(rf->hosts), yes_no(rf->passwd),
		yes_no(rf->group), yes_no(rf->resolv));
	label(out, st, "nsswitch");
	fprintf(out, "%s\n", rf->nss.present ? "/etc/nsswitch.conf" : "absent: glibc's defaults");
	for (int d = 0; d < NSS_NDB; d++) {
		fprintf(out, "  %-13s %s:", "", nss_db_names[d]);
		for (size_t i = 0; i < rf->nss.db[d].n; i++) {
			fputc(' ', out);
			put_untrusted(out, rf->nss.db[d].sources[i]);
		}
		fputc('\n', out);
	}
	if (h->p.libc == LIBC_MUSL)
		line(out, st, "NSS modules", "none: musl reads the files itself");
	for (size_t i = 0; i < rf->nsources; i++) {
		const struct nss_source *s = &rf->sources[i];
		label(out, st, i ? "" : "NSS modules");
		put_untrusted(out, s->name);
		fputs(": ", out);
		if (s->available)
			put_untrusted(out, s->where);
		else
			fprintf(out, "%smissing%s (glibc skips it)", style_yellow(st), style_reset(st));
		fputc('\n', out);
	}
}

static void print_limits(FILE *out, const struct style *st, const struct host_facts *h)
{
	const struct container_facts *c = &h->proc;
	section(out, st, h->other_root ? "container and limits (this machine and process)" : "container and limits");
	label(out, st, "container");
	if (!c->detected) {
		fputs("no\n", out);
	} else {
		fputs("yes:", out);
		if (c->dockerenv)
			fputs(" /.dockerenv", out);
		if (c->containerenv)
			fputs(" /run/.containerenv", out);
		if (c->systemd_container[0])
			fprintf(out, " /run/systemd/container=%s", c->systemd_container);
		if (c->environ_container[0])
			fprintf(out, " container=%s", c->environ_container);
		if (c->cgroup_ns == 1)
			fputs(" (own cgroup namespace)", out);
		if (c->pid_ns == 1)
			fputs(" (own PID namespace)", out);
		fputc('\n', out);
	}
	label(out, st, "cgroup");
	fprintf(out, "%s\n", cgroup_layout_name(h->cgroup.layout));
	const struct cgroup_controller *cpu = &h->cgroup.cpu, *mem = &h->cgroup.memory;
	label(out, st, "CPU limit");
	if (cpu->limited)
		fprintf(out, "%.2f CPUs (%" PRId64 "/%" PRId64 " us) in v%d %s\n", cpu->cpus, cpu->quota_us,
			cpu->period_us, cpu->version, cpu->dir);
	else if (cpu->version)
		fprintf(out, "none in v%d %s%s%s\n", cpu->version, cpu->dir, cpu->problem ? ": " : "",
			cpu->problem ? cpu->problem : "");
	else
		fprintf(out, "none (%s)\n", cpu->problem ? cpu->problem : "no cgroup");
	label(out, st, "memory limit");
	if (mem->limited)
		fprintf(out, "%" PRIu64 " bytes in v%d %s (Go ignores it; set GOMEMLIMIT)\n", mem->bytes, mem->version,
			mem->dir);
	else
		fprintf(out, "none%s%s\n", mem->version ? " in " : "", mem->version ? mem->dir : "");
	label(out, st, "CPUs");
	fprintf(out, "%u online, %u in this process's affinity mask\n", c->cpus_online, c->cpus_affinity);
	label(out, st, "GOMAXPROCS");
	fprintf(out, "Go <= 1.24: %u (the affinity mask); Go >= 1.25: %u (%s)\n", h->go_maxprocs_old,
		h->go_maxprocs_new, cpu->limited ? "min(CPUs, max(2, ceil(limit)))" : "no CPU limit: the affinity mask");
	label(out, st, "seccomp");
	static const char *const modes[] = { "0 (disabled)", "1 (strict)", "2 (filter)" };
	fprintf(out, "%s; NoNewPrivs %s\n", c->seccomp >= 0 && c->seccomp <= 2 ? modes[c->seccomp] : "unknown",
		c->no_new_privs < 0 ? "unknown" : c->no_new_privs ? "1" : "0");
}

void host_print_text(FILE *out, const struct style *st, const struct host_facts *h)
{
	fprintf(out, "%s%s%s: ", style_bold(st), h->other_root ? fsroot_describe(h->p.root) : "this machine",
		style_reset(st));
	put_untrusted(out, h->p.distro ? h->p.distro : "unknown distribution");
	fputc('\n', out);
	print_machine(out, st, h);
	print_libc(out, st, h);
	print_files(out, st, h);
	print_limits(out, st, h);
}
