/* `canrun host --json`: every fact under a fixed key, null when unknown. */
#include "report/host_report.h"

#include <string.h>

#include "report/needs_report.h"
#include "util/json.h"

const char *host_libc_name(enum libc_kind libc)
{
	switch (libc) {
	case LIBC_GLIBC: return "glibc";
	case LIBC_MUSL: return "musl";
	case LIBC_UNKNOWN: return "unknown";
	case LIBC_NONE: break;
	}
	return "none";
}

const char *host_ca_state_name(enum rf_ca_state state)
{
	switch (state) {
	case RF_CA_CERTS: return "certificates";
	case RF_CA_NO_CERT: return "no certificate";
	case RF_CA_ABSENT: break;
	}
	return "absent";
}

static json_t *text_or_null(const char *s)
{
	return json_text(s && *s ? s : NULL);
}

static json_t *tristate(long v)
{
	return v < 0 ? json_null() : json_integer(v);
}

static json_t *machine_json(const struct host_facts *h)
{
	json_t *binfmt = json_array();
	for (size_t i = 0; i < h->nbinfmt; i++) {
		const struct binfmt_entry *b = &h->binfmt[i];
		json_array_append_new(binfmt, json_pack("{s:o, s:b, s:o, s:o, s:o}", "name", json_text(b->name),
							"enabled", b->enabled, "interpreter", text_or_null(b->interpreter),
							"flags", json_text(b->flags), "machine", text_or_null(b->machine)));
	}
	const struct container_facts *c = &h->proc;
	json_t *evidence = json_array();
	if (c->dockerenv)
		json_array_append_new(evidence, json_text("/.dockerenv"));
	if (c->containerenv)
		json_array_append_new(evidence, json_text("/run/.containerenv"));
	if (c->systemd_container[0])
		json_array_append_new(evidence, json_text("/run/systemd/container"));
	if (c->environ_container[0])
		json_array_append_new(evidence, json_text("/proc/1/environ"));
	if (c->cgroup_ns == 1)
		json_array_append_new(evidence, json_text("cgroup namespace"));
	if (c->pid_ns == 1)
		json_array_append_new(evidence, json_text("pid namespace"));
	const char *kind = c->systemd_container[0] ? c->systemd_container : c->environ_container;
	const struct cgroup_controller *cpu = &h->cgroup.cpu, *mem = &h->cgroup.memory;
	json_t *cpu_j = json_pack("{s:o, s:o, s:b, s:o, s:o, s:o, s:o}", "version",
				  cpu->version ? json_integer(cpu->version) : json_null(), "dir", text_or_null(cpu->dir),
				  "limited", cpu->limited, "quota_us", cpu->limited ? json_integer(cpu->quota_us) : json_null(),
				  "period_us", cpu->limited ? json_integer(cpu->period_us) : json_null(), "cpus",
				  cpu->limited ? json_real(cpu->cpus) : json_null(), "problem", text_or_null(cpu->problem));
	json_t *mem_j = json_pack("{s:o, s:o, s:b, s:o, s:o}", "version",
				  mem->version ? json_integer(mem->version) : json_null(), "dir", text_or_null(mem->dir),
				  "limited", mem->limited, "bytes", mem->limited ? json_integer((json_int_t)mem->bytes) : json_null(),
				  "problem", text_or_null(mem->problem));
	return json_pack(
		"{s:{s:o, s:o}, s:{s:o, s:o, s:o}, s:{s:o, s:o, s:I}, s:{s:b, s:b, s:o}, s:{s:b, s:o, s:o, s:o, s:o}, "
		"s:{s:s, s:o, s:o}, s:{s:I, s:I}, s:{s:I, s:I, s:b}, s:{s:o, s:o}}",
		"kernel", "release", text_or_null(h->kernel), "version", text_or_null(h->kernel_version),
		"arch", "kernel", json_text(h->machine), "platform", json_text(h->platform_arch), "runs_i386",
		strcmp(h->machine, "x86_64") == 0 ? json_boolean(!h->no_i386) : json_null(),
		"cpu", "x86_level", json_text(h->x86_level ? x86_isa_level_name(h->x86_level) : NULL), "source",
		text_or_null(h->cpu_source), "page_size", (json_int_t)c->page_size,
		"binfmt_misc", "mounted", h->binfmt_mounted, "enabled", h->binfmt_enabled, "handlers", binfmt,
		"container", "detected", c->detected, "kind", text_or_null(kind), "evidence", evidence, "cgroup_namespace",
		c->cgroup_ns < 0 ? json_null() : json_boolean(c->cgroup_ns), "pid_namespace",
		c->pid_ns < 0 ? json_null() : json_boolean(c->pid_ns),
		"cgroup", "layout", cgroup_layout_name(h->cgroup.layout), "cpu", cpu_j, "memory", mem_j,
		"cpus", "online", (json_int_t)c->cpus_online, "affinity", (json_int_t)c->cpus_affinity,
		"go_maxprocs", "go1.24", (json_int_t)h->go_maxprocs_old, "go1.25", (json_int_t)h->go_maxprocs_new,
		"cpu_limited", cpu->limited,
		"process", "seccomp", tristate(c->seccomp), "no_new_privs", tristate(c->no_new_privs));
}

static json_t *loaders_json(const struct host_facts *h)
{
	json_t *a = json_array();
	for (size_t i = 0; i < h->nloaders; i++) {
		const struct host_loader *l = &h->loaders[i];
		json_array_append_new(a, json_pack("{s:o, s:o, s:s, s:o, s:o}", "path", json_text(l->path), "real",
						   text_or_null(l->real), "family", l->family, "machine",
						   text_or_null(l->machine), "version", text_or_null(l->version)));
	}
	return a;
}

static json_t *files_json(const struct host_facts *h)
{
	const struct runtime_files *rf = &h->files;
	json_t *order = json_array(), *dirs = json_array(), *tzdirs = json_array();
	for (size_t i = 0; i < RF_NCA_FILES; i++)
		json_array_append_new(order, json_pack("{s:s, s:s}", "path", runtime_ca_files[i], "state",
						       host_ca_state_name(rf->ca_files[i])));
	for (size_t i = 0; i < RF_NCA_DIRS; i++)
		json_array_append_new(dirs, json_pack("{s:s, s:b, s:o}", "path", runtime_ca_dirs[i], "exists",
						      rf->ca_dir_exists[i], "certificate", json_text(rf->ca_dir_cert[i])));
	for (size_t i = 0; i < RF_NTZ_DIRS; i++)
		if (rf->tz_dir_exists[i])
			json_array_append_new(tzdirs, json_text(runtime_tz_dirs[i]));
	json_t *nss = json_object(), *modules = json_array();
	for (int d = 0; d < NSS_NDB; d++) {
		const struct nss_line *line = &rf->nss.db[d];
		json_t *srcs = json_array();
		for (size_t i = 0; i < line->n; i++)
			json_array_append_new(srcs, json_text(line->sources[i]));
		json_object_set_new(nss, nss_db_names[d], srcs);
	}
	for (size_t i = 0; i < rf->nsources; i++) {
		const struct nss_source *s = &rf->sources[i];
		json_array_append_new(modules, json_pack("{s:s, s:b, s:b, s:o}", "source", s->name, "available",
							 s->available, "builtin", s->builtin, "where",
							 s->available ? json_text(s->where) : json_null()));
	}
	return json_pack("{s:{s:o, s:o, s:o}, s:{s:o, s:o}, s:{s:b, s:o, s:o}, s:b, s:b, s:b, s:b, "
			 "s:{s:b, s:o, s:o}}",
			 "ca", "bundle", json_text(rf->ca_taken >= 0 ? runtime_ca_files[rf->ca_taken] : NULL),
			 "go_files", order, "go_dirs", dirs,
			 "zoneinfo", "dirs", tzdirs, "zone", json_text(rf->tz_zone),
			 "localtime", "present", rf->localtime, "link", text_or_null(rf->localtime_link), "zone",
			 text_or_null(rf->localtime_zone),
			 "hosts", rf->hosts, "passwd", rf->passwd, "group", rf->group, "resolv_conf", rf->resolv,
			 "nsswitch", "present", rf->nss.present, "databases", nss, "modules", modules);
}

json_t *host_json(const struct host_facts *h)
{
	json_t *conf = json_array();
	for (size_t i = 0; i < h->ld_conf.ndirs; i++)
		json_array_append_new(conf, json_text(h->ld_conf.dirs[i]));
	json_t *root = json_pack(
		"{s:s, s:b, s:o, s:{s:s, s:o}, s:o, s:{s:{s:b, s:o, s:o, s:o, s:o}, s:o, s:o}, "
		"s:{s:o, s:o, s:o, s:o, s:b}, s:o}",
		"dir", fsroot_describe(h->p.root), "this_machine", !h->other_root, "distro", json_text(h->p.distro),
		"libc", "kind", host_libc_name(h->p.libc), "version", text_or_null(h->p.libc_version),
		"loaders", loaders_json(h),
		"library_search", "ld_so_cache", "present", h->ld_cache_present, "format",
		json_text(h->ld_cache_ok ? h->ld_cache_format : NULL), "entries",
		h->ld_cache_ok ? json_integer((json_int_t)h->ld_cache_entries) : json_null(), "generator",
		json_text(h->ld_cache_generator), "problem", text_or_null(h->ld_cache_problem),
		"ld_so_conf", conf, "glibc_hwcaps", json_text_array(h->hwcaps, h->nhwcaps),
		"openssl", "libssl", text_or_null(h->libssl), "libcrypto", text_or_null(h->libcrypto), "version",
		text_or_null(h->openssl_version), "found_via", json_text(h->libcrypto[0] ? h->libssl_via : NULL), "tls13",
		h->tls13, "files", files_json(h));
	return json_pack("{s:o, s:o}", "machine", machine_json(h), "root", root);
}
