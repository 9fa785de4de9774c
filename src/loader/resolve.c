/* The loader's whole start-up, simulated: execve's checks, the interpreter,
 * breadth-first loading, glibc's version check, symbol binding in
 * relocation order, and the message and exit status that would result. */
#include "loader/resolve.h"

#include <elf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loader/binfmt.h"
#include "loader/search.h"
#include "loader/symbols.h"
#include "target/machine.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

const char *lib_via_name(enum lib_via via)
{
	static const char *const names[] = {
		[VIA_NONE] = "none", [VIA_RPATH] = "rpath", [VIA_LD_LIBRARY_PATH] = "ld_library_path",
		[VIA_RUNPATH] = "runpath", [VIA_CACHE] = "cache", [VIA_DEFAULT] = "default",
		[VIA_SLASH] = "slash", [VIA_LOADED] = "loaded", [VIA_LOADER] = "loader",
	};
	return names[via];
}

/* The kernel that will run the program is this machine's (a container
 * shares it); an x86-64 kernel also runs i386 programs. */
/* Whether the kernel of the machine that runs the root starts it at all. */
static bool kernel_runs(const struct elf_file *ef, const char *kernel_machine)
{
	char buf[32], host[32];
	if (!kernel_machine)
		kernel_machine = machine_host(host, sizeof host);
	return machine_fit(kernel_machine, elf_machine_name(ef->machine, ef->bits, ef->big_endian, buf, sizeof buf)) !=
	       MACHINE_FOREIGN;
}

static size_t add_object(struct resolution *res, const char *name, const char *real_path,
			 struct lib_entry *lib, size_t loader)
{
	struct dep_object o = { 0 };
	o.name = xstrdup(name);
	o.real_path = xstrdup(real_path);
	o.lib = lib;
	o.loader = loader;
	o.origin = path_dirname(real_path);
	if (lib->parse_ok && lib->needs.soname)
		XPUSH(o.aliases, o.naliases, o.aliases_cap, lib->needs.soname);
	XPUSH(res->objects, res->nobjects, res->objects_cap, o);
	return res->nobjects - 1;
}

static long find_loaded(const struct resolution *res, const char *name, const struct lib_entry *lib)
{
	for (size_t i = 0; i < res->nobjects; i++) {
		const struct dep_object *o = &res->objects[i];
		if (lib ? libcache_same_file(o->lib, lib) : strcmp(o->name, name) == 0)
			return (long)i;
		for (size_t j = 0; !lib && j < o->naliases; j++)
			if (strcmp(o->aliases[j], name) == 0)
				return (long)i;
	}
	return -1;
}

/* The name the loader prints for an object: its l_name, or argv[0] for the
 * program itself. */
static const char *object_label(const struct resolution *res, const struct resolve_opts *opts, size_t i)
{
	return i == 0 ? opts->argv0 : res->objects[i].name;
}

struct run {
	struct search_ctx ctx;
	struct strbuf error, warnings;
	bool failed;
	char *ldso_soname;
};

/* Breadth-first: each object's needs in order, objects in load order. */
static void load_all(struct run *r)
{
	struct resolution *res = r->ctx.res;
	for (size_t i = 0; i < res->nobjects; i++) {
		struct lib_entry *owner = res->objects[i].lib;
		if (!owner->parse_ok)
			continue;
		for (size_t k = 0; k < owner->needs.nneeded; k++) {
			struct dep_library lib = { 0 };
			lib.name = owner->needs.needed[k];
			lib.needed_by = i;
			lib.object = find_loaded(res, lib.name, NULL);
			if (lib.object < 0 && res->family == LOADER_GLIBC && r->ldso_soname &&
			    strcmp(lib.name, r->ldso_soname) == 0) {
				/* The loader is already in memory and answers to its SONAME. */
				int error;
				struct lib_entry *e = libcache_get(r->ctx.cache, r->ctx.root, res->ldso.interp_real, &error);
				if (e) {
					lib.object = (long)add_object(res, res->ldso.interp, res->ldso.interp_real, e, i);
					lib.path = xstrdup(res->ldso.interp);
					lib.via = VIA_LOADER;
				}
			}
			if (lib.object >= 0) {
				if (!lib.path) {
					lib.path = xstrdup(res->objects[lib.object].name);
					lib.via = VIA_LOADED;
				}
				XPUSH(res->libs, res->nlibs, res->libs_cap, lib);
				continue;
			}
			char *fatal = NULL;
			bool other_class = false;
			struct lib_entry *e = res->family == LOADER_MUSL
				? search_musl(&r->ctx, i, &lib, &fatal)
				: search_glibc(&r->ctx, i, &lib, &fatal, &other_class);
			if (e) {
				/* The same file under another name is the same object. */
				long same = find_loaded(res, NULL, e);
				if (same >= 0) {
					lib.object = same;
				} else {
					char real[4096];
					int error;
					if (libcache_realpath(r->ctx.cache, r->ctx.root, lib.path, real, sizeof real, &error) < 0)
						snprintf(real, sizeof real, "%s", lib.path);
					lib.object = (long)add_object(res, lib.path, real, e, i);
				}
				XPUSH(res->objects[lib.object].aliases, res->objects[lib.object].naliases,
				      res->objects[lib.object].aliases_cap, lib.name);
			} else {
				lib.object = -1;
				if (res->family == LOADER_MUSL) {
					sb_appendf(&r->error, "Error loading shared library %s: %s (needed by %s)\n",
						   lib.name, fatal ? fatal : "No such file or directory",
						   object_label(res, r->ctx.opts, i));
				} else if (!r->failed) {
					/* glibc stops at the first library it cannot map. */
					if (fatal)
						sb_appendf(&r->error, "%s: error while loading shared libraries: %s\n",
							   r->ctx.opts->argv0, fatal);
					else if (other_class)
						sb_appendf(&r->error, "%s: error while loading shared libraries: %s: wrong ELF class: ELFCLASS%u\n",
							   r->ctx.opts->argv0, lib.name, res->ldso.bits == 64 ? 32 : 64);
					else
						sb_appendf(&r->error, "%s: error while loading shared libraries: %s: cannot open shared object file: No such file or directory\n",
							   r->ctx.opts->argv0, lib.name);
				}
				r->failed = true;
			}
			free(fatal);
			XPUSH(res->libs, res->nlibs, res->libs_cap, lib);
		}
	}
}

/* glibc 2.33+ on x86-64 refuses an object marked with an ISA level
 * (GNU_PROPERTY_X86_ISA_1_NEEDED) above the CPU's, after the version check
 * and before relocation; it walks the objects from the last dependency to
 * the program and names the first it refuses (sysdeps/x86/dl-prop.h). */
static bool check_isa_levels(struct run *r)
{
	struct resolution *res = r->ctx.res;
	if (res->ldso.machine != EM_X86_64 || res->ldso.bits != 64 || !res->ldso.glibc_version[0] ||
	    version_compare(res->ldso.glibc_version, "2.33") < 0)
		return false;
	for (size_t i = res->nobjects; i-- > 0;) {
		const struct lib_entry *lib = res->objects[i].lib;
		if (!lib->parse_ok || lib->needs.x86_isa_needed <= r->ctx.opts->cpu_level)
			continue;
		if (res->ldso.interp_real && strcmp(res->objects[i].real_path, res->ldso.interp_real) == 0)
			continue; /* ld.so itself would not have started */
		sb_appendf(&r->error, "%s: CPU ISA level is lower than required\n", object_label(res, r->ctx.opts, i));
		return true;
	}
	return false;
}

/* glibc's version check (elf/dl-version.c): every Verneed of every object
 * against the Verdefs of the object it names; all failures are printed. */
static bool check_versions(struct run *r)
{
	struct resolution *res = r->ctx.res;
	bool failed = false;
	for (size_t i = 0; i < res->nobjects; i++) {
		const struct elf_file *ef = &res->objects[i].lib->elf;
		if (!res->objects[i].lib->parse_ok)
			continue;
		for (size_t v = 0; v < ef->nverneeds; v++) {
			long t = find_loaded(res, ef->verneeds[v].file, NULL);
			if (t < 0)
				continue;
			const struct dep_object *target = &res->objects[t];
			const struct elf_file *tf = &target->lib->elf;
			for (size_t a = 0; a < ef->verneeds[v].naux; a++) {
				const struct elf_vernaux *need = &ef->verneeds[v].aux[a];
				if (tf->nverdefs == 0) {
					sb_appendf(&r->warnings, "%s: %s: no version information available (required by %s)\n",
						   r->ctx.opts->argv0, object_label(res, r->ctx.opts, (size_t)t),
						   object_label(res, r->ctx.opts, i));
					break;
				}
				bool found = false;
				for (size_t d = 0; d < tf->nverdefs && !found; d++)
					found = strcmp(tf->verdefs[d].name, need->name) == 0;
				if (found)
					continue;
				if (need->flags & VER_FLG_WEAK) {
					sb_appendf(&r->warnings, "%s: %s: weak version `%s' not found (required by %s)\n",
						   r->ctx.opts->argv0, object_label(res, r->ctx.opts, (size_t)t), need->name,
						   object_label(res, r->ctx.opts, i));
					continue;
				}
				sb_appendf(&r->error, "%s: %s: version `%s' not found (required by %s)\n",
					   r->ctx.opts->argv0, object_label(res, r->ctx.opts, (size_t)t), need->name,
					   object_label(res, r->ctx.opts, i));
				failed = true;
			}
		}
	}
	return failed;
}

/* The first loaded object from `first` on that defines the symbol, or NULL. */
static struct lib_entry *definer_in_scope(struct resolution *res, const char *name, const char *version,
					  enum symbol_rules rules, size_t first)
{
	uint32_t hash = symbol_hash(name);
	for (size_t i = first; i < res->nobjects; i++) {
		struct lib_entry *e = res->objects[i].lib;
		if (e->parse_ok && symbol_defines(&e->elf, &e->symbols, name, hash, version, rules))
			return e;
	}
	return NULL;
}

/* The loaded objects after the program: what a library's memo is matched
 * against (a copy relocation never looks in the program, and the program
 * itself is always bound afresh). */
static struct lib_entry **loaded_libraries(const struct resolution *res, size_t *n)
{
	*n = res->nobjects > 1 ? res->nobjects - 1 : 0;
	struct lib_entry **loaded = xcalloc(*n ? *n : 1, sizeof *loaded);
	for (size_t i = 1; i < res->nobjects; i++)
		loaded[i - 1] = res->objects[i].lib;
	return loaded;
}

static void add_definer(struct lib_entry ***definers, size_t *n, size_t *cap, struct lib_entry *e)
{
	for (size_t i = 0; i < *n; i++)
		if ((*definers)[i] == e)
			return;
	XPUSH(*definers, *n, *cap, e);
}

/* Symbol binding in relocation order: glibc relocates the last-loaded
 * object first and the program last, and stops at the first strong miss
 * that is not a lazily bound PLT slot; musl reports every miss. */
static void bind_symbols(struct run *r)
{
	struct resolution *res = r->ctx.res;
	bool musl = res->family == LOADER_MUSL;
	enum symbol_rules rules = musl ? RULES_MUSL : RULES_GLIBC;
	size_t nloaded;
	struct lib_entry **loaded = loaded_libraries(res, &nloaded);
	struct lib_entry **definers = NULL;
	size_t ndefiners = 0, definers_cap = 0;
	for (size_t k = 0; k < res->nobjects; k++) {
		/* musl: libraries in load order, then the program (reloc_all(app.next), reloc_all(&app)). */
		size_t i = musl ? (k + 1 < res->nobjects ? k + 1 : 0) : res->nobjects - 1 - k;
		struct lib_entry *e = res->objects[i].lib;
		if (!e->parse_ok)
			continue;
		/* A library that bound cleanly against objects all loaded here
		 * binds cleanly again: libc is not re-bound for every program. */
		if (i > 0 && libcache_bind_known(r->ctx.cache, e, (int)rules, loaded, nloaded))
			continue;
		size_t missing_before = res->nmissing;
		bool clean = true;
		ndefiners = 0;
		bool now = musl || e->needs.bind_now || r->ctx.opts->bind_now;
		/* musl relocates DT_JMPREL first, then DT_REL/DT_RELA; glibc the
		 * other way round. Two passes keep one order for each. */
		for (size_t pass = 0, x = 0; pass < 2; x = 0, pass++)
		for (; x < e->elf.nrelocs; x++) {
			const struct elf_reloc *rel = &e->elf.relocs[x];
			if (rel->plt != (musl ? pass == 0 : pass == 1))
				continue;
			if (rel->sym >= e->elf.ndynsyms)
				continue;
			const struct elf_sym *s = &e->elf.dynsyms[rel->sym];
			if (s->bind == STB_LOCAL || !s->name[0])
				continue;
			const char *version = musl ? NULL : symbol_version_needed(&e->elf, s);
			/* A copy relocation takes the definition from past the program. */
			struct lib_entry *definer = definer_in_scope(res, s->name, version, rules, rel->copy ? 1 : 0);
			if (definer) {
				add_definer(&definers, &ndefiners, &definers_cap, definer);
				continue;
			}
			/* An undefined weak reference is simply null: bound or not,
			 * never a miss, so it does not spoil the memo. */
			if (s->shndx == SHN_UNDEF && s->bind == STB_WEAK)
				continue;
			clean = false;
			bool lazy = rel->plt && !now;
			bool seen = false;
			for (size_t m = 0; m < res->nmissing && !seen; m++)
				seen = res->missing[m].object == i && strcmp(res->missing[m].name, s->name) == 0;
			if (!seen) {
				struct dep_missing_symbol miss = { i, s->name, version, lazy };
				XPUSH(res->missing, res->nmissing, res->missing_cap, miss);
			}
			/* musl prints a line per failing relocation, repeats included. */
			if (lazy || (seen && !musl))
				continue;
			if (musl) {
				sb_appendf(&r->error, "Error relocating %s: %s: symbol not found\n",
					   object_label(res, r->ctx.opts, i), s->name);
			} else if (!r->failed) {
				sb_appendf(&r->error, "%s: symbol lookup error: %s: undefined symbol: %s%s%s\n",
					   r->ctx.opts->argv0, object_label(res, r->ctx.opts, i), s->name,
					   version ? ", version " : "", version ? version : "");
				r->failed = true;
			}
			if (musl)
				r->failed = true;
		}
		if (i > 0 && clean && res->nmissing == missing_before)
			libcache_bind_record(r->ctx.cache, e, (int)rules, definers, ndefiners);
	}
	free(definers);
	free(loaded);
}

static void summarize(struct resolution *res, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void summarize(struct resolution *res, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	free(res->summary);
	res->summary = xstrdup(buf);
}

/* A shared library names no loader; it is resolved as the root's own loader
 * for its machine would resolve it when a program needs it (what ldd does). */
static const char *default_interpreter(struct fsroot *root, const struct elf_file *ef)
{
	static const struct { uint16_t machine; unsigned bits; const char *path; } known[] = {
		{ EM_X86_64, 64, "/lib64/ld-linux-x86-64.so.2" }, { EM_X86_64, 64, "/lib/ld-musl-x86_64.so.1" },
		{ EM_386, 32, "/lib/ld-linux.so.2" }, { EM_386, 32, "/lib/ld-musl-i386.so.1" },
		{ EM_AARCH64, 64, "/lib/ld-linux-aarch64.so.1" }, { EM_AARCH64, 64, "/lib/ld-musl-aarch64.so.1" },
		{ EM_ARM, 32, "/lib/ld-linux-armhf.so.3" }, { EM_ARM, 32, "/lib/ld-musl-armhf.so.1" },
		{ EM_S390, 64, "/lib/ld64.so.1" }, { EM_S390, 64, "/lib/ld-musl-s390x.so.1" },
		{ EM_PPC64, 64, "/lib64/ld64.so.2" }, { EM_RISCV, 64, "/lib/ld-linux-riscv64-lp64d.so.1" },
	};
	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
		struct fsroot_stat st;
		int error;
		if (known[i].machine == ef->machine && known[i].bits == ef->bits &&
		    fsroot_stat(root, known[i].path, &st, &error) == 0)
			return known[i].path;
	}
	return NULL;
}

int resolve_program(struct resolution *res, struct fsroot *root, struct libcache *cache,
		    struct lib_entry *program, const struct resolve_opts *in_opts)
{
	memset(res, 0, sizeof *res);
	struct resolve_opts opts = *in_opts;
	if (!opts.argv0)
		opts.argv0 = opts.at;
	if (!opts.cpu_level)
		opts.cpu_level = 1;
	if (!program->parse_ok)
		return -1;
	/* Read here for a program parsed outside the cache (scan's own); a
	 * cached one has them already, so shared entries are only read. */
	elf_load_relocs(&program->elf);
	const struct elf_file *ef = &program->elf;

	char real[4096];
	int error;
	if (fsroot_realpath(root, opts.at, real, sizeof real, &error) < 0)
		snprintf(real, sizeof real, "%s", opts.at);
	add_object(res, opts.at, real, program, 0);

	/* A foreign program still starts when binfmt_misc hands it to an
	 * emulator (qemu-user); the emulator then loads its interpreter. */
	bool runs = kernel_runs(ef, opts.machine);
	char handler[256], emulator[512];
	if (!runs && opts.binfmt_dir &&
	    binfmt_find(opts.binfmt_dir, program->blob.data, program->blob.size, handler, sizeof handler, emulator,
			sizeof emulator)) {
		runs = true;
		size_t n = strlen(handler) + strlen(emulator) + 4;
		res->emulator = xmalloc(n);
		snprintf(res->emulator, n, "%s (%s)", handler, emulator);
	}
	if ((ef->type != ET_EXEC && ef->type != ET_DYN) || !runs || elf_code_missing(ef)) {
		res->exec_errno = ENOEXEC;
		res->exit_status = 126;
		summarize(res, "the kernel refuses it: Exec format error (%s)", "ENOEXEC");
		return 0;
	}
	res->interp = ef->interp;
	bool library = !ef->interp && program->needs.kind == KIND_SHARED_LIBRARY;
	if (library)
		res->interp = default_interpreter(root, ef);
	if (!res->interp) {
		res->family = LOADER_NONE;
		summarize(res, "%s", library ? "a library, and the root has no loader for its machine"
					     : "static: no loader and no libraries needed");
		return 0;
	}
	char interp_real[4096];
	struct lib_entry *ldso = NULL;
	if (fsroot_realpath(root, res->interp, interp_real, sizeof interp_real, &error) == 0)
		ldso = libcache_get(cache, root, interp_real, &error);
	if (!ldso) {
		res->exec_errno = ENOENT;
		res->exit_status = 127;
		summarize(res, "its interpreter %s does not exist there; the kernel reports ENOENT "
			       "(\"No such file or directory\") against the program itself", ef->interp);
		return 0;
	}
	res->interp_found = true;
	struct fsroot_stat ist;
	if (fsroot_stat(root, interp_real, &ist, &error) == 0 && !(ist.mode & 0111)) {
		res->exec_errno = EACCES;
		res->exit_status = 126;
		summarize(res, "its interpreter %s is not executable (EACCES)", ef->interp);
		return 0;
	}
	if (ldso->blob.size < (ef->bits == 64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr))) {
		/* The kernel cannot read a whole ELF header from it. */
		res->exec_errno = EIO;
		res->exit_status = 126;
		summarize(res, "its interpreter %s is truncated (EIO)", ef->interp);
		return 0;
	}
	if (!ldso->parse_ok || ldso->elf.machine != ef->machine || ldso->elf.bits != ef->bits) {
		res->exec_errno = ELIBBAD;
		res->exit_status = 126;
		summarize(res, "its interpreter %s is not a loader for this machine (ELIBBAD)", ef->interp);
		return 0;
	}
	libcache_ldso_info(cache, root, ldso, res->interp, interp_real, &res->ldso);
	res->have_ldso = true;
	res->family = res->ldso.family;
	/* glibc rewrites AT_PLATFORM from CPU features: "haswell" on an x86-64
	 * CPU with AVX2, BMI and friends (sysdeps/x86/cpu-features.c). */
	if (res->ldso.machine == EM_X86_64 && res->ldso.bits == 64 && opts.cpu_level >= 3)
		res->ldso.platform = "haswell";

	struct run r = { .ctx = { res, root, cache, &opts } };
	r.ldso_soname = ldso->needs.soname ? xstrdup(ldso->needs.soname) : NULL;
	load_all(&r);
	bool versions_failed = false;
	if (!r.failed && res->family == LOADER_GLIBC) {
		versions_failed = check_versions(&r);
		if (versions_failed) {
			r.failed = true;
			res->exit_status = 1;
		}
	}
	if (!r.failed && !versions_failed && res->family == LOADER_GLIBC && check_isa_levels(&r))
		r.failed = true; /* exit status 127, as for the loader's other fatal errors */
	else if (!versions_failed)
		bind_symbols(&r);
	if (r.failed && !res->exit_status)
		res->exit_status = 127;
	res->loader_error = sb_take(&r.error);
	res->loader_warnings = sb_take(&r.warnings);
	free(r.ldso_soname);
	if (!r.failed) {
		size_t lazy = 0;
		for (size_t m = 0; m < res->nmissing; m++)
			lazy += res->missing[m].lazy;
		summarize(res, "%s%s", library ? "loads" : "starts",
			  lazy ? "; but a function it calls is missing and fails when first called" : "");
	} else {
		summarize(res, "%s", "the loader stops it before main");
	}
	return 0;
}

void resolution_free(struct resolution *res)
{
	for (size_t i = 0; i < res->nobjects; i++) {
		free(res->objects[i].name);
		free(res->objects[i].real_path);
		free(res->objects[i].origin);
		free(res->objects[i].aliases);
	}
	free(res->objects);
	for (size_t i = 0; i < res->nlibs; i++) {
		free(res->libs[i].path);
		for (size_t j = 0; j < res->libs[i].ntried; j++)
			free(res->libs[i].tried[j].path);
		free(res->libs[i].tried);
	}
	free(res->libs);
	free(res->missing);
	free(res->loader_error);
	free(res->loader_warnings);
	free(res->summary);
	free(res->emulator);
	if (res->have_ldso)
		ldso_info_free(&res->ldso);
	memset(res, 0, sizeof *res);
}
