#include "harden/harden.h"

#include <elf.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "harden/harden_internal.h"
#include "util/json.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/* The GOT slots that the PLT's relocations write: DT_JMPREL's targets in a
 * dynamic file, .rela.plt's (IRELATIVE) in a static one. */
struct slots {
	size_t total, outside;
	uint64_t first_outside;
};

static void count_slots(const struct elf_file *ef, uint64_t off, uint64_t size, bool rela, uint64_t lo,
			uint64_t hi, struct slots *s)
{
	unsigned w = ef->bits / 8;
	uint64_t entsize = rela ? 3 * (uint64_t)w : 2 * (uint64_t)w;
	for (uint64_t i = 0; i < size / entsize; i++) {
		uint64_t at = off + i * entsize, r_offset;
		if (!bv_word(&ef->view, at, w, &r_offset))
			break; /* truncated: what is there was counted */
		s->total++;
		if (r_offset < lo || r_offset >= hi) {
			if (s->outside++ == 0)
				s->first_outside = r_offset;
		}
	}
}

static void plt_slots(const struct elf_file *ef, uint64_t lo, uint64_t hi, struct slots *s)
{
	memset(s, 0, sizeof *s);
	uint64_t addr, size, kind = DT_RELA, off, avail;
	if (elf_dyn_get(ef, DT_JMPREL, &addr) && elf_dyn_get(ef, DT_PLTRELSZ, &size)) {
		elf_dyn_get(ef, DT_PLTREL, &kind);
		if (elf_vaddr_to_offset(ef, addr, &off, &avail))
			count_slots(ef, off, size < avail ? size : avail, kind == DT_RELA, lo, hi, s);
		return;
	}
	if (ef->ndyn)
		return;
	for (size_t i = 0; i < ef->nshdrs; i++) {
		const struct elf_shdr *sh = &ef->shdrs[i];
		bool rela = strcmp(sh->name, ".rela.plt") == 0 && sh->type == SHT_RELA;
		if (rela || (strcmp(sh->name, ".rel.plt") == 0 && sh->type == SHT_REL))
			count_slots(ef, sh->offset, sh->size, rela, lo, hi, s);
	}
}

static void analyze_relro(const struct harden_input *in, bool is_static, struct hardening *h)
{
	const struct elf_file *ef = in->elf;
	const struct elf_phdr *p = elf_phdr_by_type(ef, PT_GNU_RELRO);
	h->relro = RELRO_NONE;
	if (!p || ef->type == ET_REL)
		return;
	struct strbuf note = { 0 };
	/* In a static program only glibc's start-up code (_dl_relocate_static_pie,
	 * _dl_non_dynamic_init) mprotects PT_GNU_RELRO; musl's and a libc-free
	 * program's do not. glibc's crt1.o is what brings the ABI note. */
	if (is_static && !ef->notes.has_abi_tag) {
		h->relro_note = xstrdup("PT_GNU_RELRO is present, but in a static program only glibc's start-up "
					"code applies it, and this one has none (no GNU ABI note)");
		return;
	}
	uint64_t lo = p->vaddr, hi;
	if (!u64_add_ok(p->vaddr, p->memsz, &hi))
		hi = UINT64_MAX;
	struct slots s;
	plt_slots(ef, lo, hi, &s);
	uint64_t pltgot;
	h->relro = RELRO_PARTIAL;
	/* The flag alone is not protection (checksec #161): BIND_NOW resolves
	 * every slot at start, but only slots inside PT_GNU_RELRO become
	 * read-only. DT_PLTGOT itself can be inside even when lazy: the linker
	 * ends the range just after the GOT's reserved entries. */
	if (s.outside) {
		if (is_static)
			sb_appendf(&note, "the IRELATIVE GOT slots lie outside PT_GNU_RELRO (%zu of %zu, the "
				   "first at 0x%llx) and stay writable", s.outside, s.total,
				   (unsigned long long)s.first_outside);
		else if (in->needs->bind_now)
			sb_appendf(&note, "BIND_NOW is set, but the GOT slots the PLT uses lie outside "
				   "PT_GNU_RELRO (%zu of %zu, the first at 0x%llx) and stay writable", s.outside,
				   s.total, (unsigned long long)s.first_outside);
	} else if (s.total == 0 && !is_static && in->needs->bind_now && elf_dyn_get(ef, DT_PLTGOT, &pltgot) &&
		   (pltgot < lo || pltgot >= hi)) {
		sb_appendf(&note, "BIND_NOW is set, but the GOT (DT_PLTGOT 0x%llx) lies outside PT_GNU_RELRO",
			   (unsigned long long)pltgot);
	} else if (is_static || in->needs->bind_now) {
		/* A static program has no lazy binding: everything is relocated
		 * before glibc protects the range. */
		h->relro = RELRO_FULL;
	}
	h->relro_note = sb_take(&note);
}

static bool canary_name(const char *name)
{
	/* Most names fail here: this runs over whole symbol tables. */
	if (name[0] != '_' || name[1] != '_')
		return false;
	return strcmp(name, "__stack_chk_fail") == 0 || strcmp(name, "__stack_chk_guard") == 0 ||
	       strcmp(name, "__intel_security_cookie") == 0 || strcmp(name, "__stack_chk_fail_local") == 0;
}

static void find_canary(const struct elf_sym *sym, void *ctx)
{
	if (canary_name(sym->name))
		*(bool *)ctx = true;
}

static void analyze_canary(const struct harden_input *in, bool is_static, struct hardening *h)
{
	const struct elf_file *ef = in->elf;
	bool found = false;
	for (size_t i = 0; i < ef->ndynsyms && !found; i++)
		found = canary_name(ef->dynsyms[i].name);
	/* .symtab only when the dynamic symbols do not settle it. */
	bool symtab = found || elf_symtab_each(ef, find_canary, &found);
	if (h->go)
		h->canary = h->cgo && found ? CANARY_YES : CANARY_GO;
	else if (found)
		h->canary = CANARY_YES;
	else if (is_static && !symtab)
		h->canary = CANARY_UNKNOWN;
	else
		h->canary = CANARY_NO;
}

static enum pie_kind pie_of(const struct elf_file *ef, const struct needs *n)
{
	switch (ef->type) {
	case ET_REL: return PIE_REL;
	case ET_DYN:
		return n->kind == KIND_DYNAMIC_PIE ? PIE_YES : n->kind == KIND_STATIC_PIE ? PIE_STATIC : PIE_DSO;
	default: return PIE_NO;
	}
}

/* "$ORIGIN" or "${ORIGIN}" as the whole element or its first component. */
static bool origin_based(const char *dir)
{
	size_t n = strncmp(dir, "$ORIGIN", 7) == 0 ? 7 : strncmp(dir, "${ORIGIN}", 9) == 0 ? 9 : 0;
	return n && (dir[n] == '\0' || dir[n] == '/');
}

/* Sticky or not: anyone may still add the library the loader looks for. */
static bool world_writable(struct fsroot *root, const char *dir)
{
	struct fsroot_stat st;
	int error;
	return root && fsroot_stat(root, dir, &st, &error) == 0 && S_ISDIR(st.mode) && (st.mode & S_IWOTH);
}

static void origin_dirs(struct rpath_dir *d, size_t n, struct fsroot *root, const char *origin)
{
	for (size_t i = 0; i < n; i++) {
		if (!origin_based(d[i].dir))
			continue;
		struct strbuf sb = { 0 };
		sb_appendf(&sb, "%s%s", origin, d[i].dir + (d[i].dir[1] == '{' ? 9 : 7));
		char *dir = sb_take(&sb);
		if (world_writable(root, dir))
			d[i].issues |= RPATH_WORLD_WRITABLE;
		free(dir);
	}
}

void harden_check_origin(struct hardening *h, struct fsroot *root, const char *origin)
{
	origin_dirs(h->rpath, h->nrpath, root, origin);
	origin_dirs(h->runpath, h->nrunpath, root, origin);
}

static void analyze_paths(const struct harden_input *in, char *const *dirs, size_t n, struct rpath_dir **out,
			  size_t *nout)
{
	*nout = n;
	*out = n ? xcalloc(n, sizeof **out) : NULL;
	for (size_t i = 0; i < n; i++) {
		struct rpath_dir *d = &(*out)[i];
		d->dir = xstrdup(dirs[i]);
		if (!dirs[i][0]) {
			d->issues |= RPATH_EMPTY; /* ld.so reads it as "./" */
		} else if (origin_based(dirs[i])) {
			if (in->mode & (S_ISUID | S_ISGID))
				d->issues |= RPATH_ORIGIN_SETUID;
		} else if (dirs[i][0] != '/') {
			d->issues |= RPATH_RELATIVE;
		} else if (world_writable(in->root, dirs[i])) {
			d->issues |= RPATH_WORLD_WRITABLE;
		}
	}
}

void harden_analyze(const struct harden_input *in, struct hardening *h)
{
	const struct elf_file *ef = in->elf;
	const struct needs *n = in->needs;
	memset(h, 0, sizeof *h);
	bool is_static = n->kind == KIND_STATIC || n->kind == KIND_STATIC_PIE;
	h->go = in->go && in->go->is_go;
	h->cgo = h->go && in->go->cgo;
	h->upx = upx_packed(ef) || (in->go && in->go->upx);
	analyze_relro(in, is_static, h);
	analyze_canary(in, is_static, h);
	const struct elf_phdr *stack = elf_phdr_by_type(ef, PT_GNU_STACK);
	h->nx = stack && !(stack->flags & PF_X);
	h->nx_default = !stack;
	h->pie = pie_of(ef, n);
	analyze_paths(in, n->rpath, n->nrpath, &h->rpath, &h->nrpath);
	analyze_paths(in, n->runpath, n->nrunpath, &h->runpath, &h->nrunpath);
	uint64_t flags = 0;
	elf_dyn_get(ef, DT_FLAGS, &flags);
	h->textrel = elf_dyn_get(ef, DT_TEXTREL, &(uint64_t){ 0 }) || (flags & DF_TEXTREL);
	bool x86 = ef->machine == EM_X86_64 || ef->machine == EM_386;
	h->ibt = !x86 ? TRI_UNKNOWN : n->ibt ? TRI_YES : TRI_NO;
	h->shstk = !x86 ? TRI_UNKNOWN : n->shstk ? TRI_YES : TRI_NO;
	harden_fortify(in, is_static, h);
}

static void free_dirs(struct rpath_dir *d, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(d[i].dir);
	free(d);
}

void harden_free(struct hardening *h)
{
	free(h->relro_note);
	free_dirs(h->rpath, h->nrpath);
	free_dirs(h->runpath, h->nrunpath);
	for (size_t i = 0; i < h->nfortified_names; i++)
		free(h->fortified_names[i]);
	free(h->fortified_names);
	for (size_t i = 0; i < h->nunfortified_names; i++)
		free(h->unfortified_names[i]);
	free(h->unfortified_names);
	free(h->fortify_note);
	memset(h, 0, sizeof *h);
}

/* --- names, JSON ------------------------------------------------------------ */

const char *harden_relro_name(enum relro_level r)
{
	return r == RELRO_FULL ? "full" : r == RELRO_PARTIAL ? "partial" : "none";
}

const char *harden_canary_name(enum canary_state c)
{
	static const char *const names[] = {
		[CANARY_NO] = "no", [CANARY_YES] = "yes", [CANARY_GO] = "go", [CANARY_UNKNOWN] = "unknown",
	};
	return names[c];
}

const char *harden_pie_name(enum pie_kind p)
{
	static const char *const names[] = {
		[PIE_NO] = "no", [PIE_YES] = "yes", [PIE_STATIC] = "static-pie", [PIE_DSO] = "dso", [PIE_REL] = "rel",
	};
	return names[p];
}

const char *harden_fortify_name(enum fortify_state f)
{
	static const char *const names[] = {
		[FORTIFY_NA] = "n/a", [FORTIFY_NO] = "no", [FORTIFY_PARTIAL] = "partial",
		[FORTIFY_YES] = "yes", [FORTIFY_UNKNOWN] = "unknown",
	};
	return names[f];
}

static const char *const issue_names[] = { "relative", "empty", "origin-setuid", "world-writable" };

const char *harden_rpath_issue_name(unsigned bit)
{
	for (unsigned i = 0; i < 4; i++)
		if (bit == 1u << i)
			return issue_names[i];
	return NULL;
}

static json_t *dirs_json(const struct rpath_dir *d, size_t n)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *issues = json_array();
		for (unsigned b = 0; b < 4; b++)
			if (d[i].issues & (1u << b))
				json_array_append_new(issues, json_string(issue_names[b]));
		json_array_append_new(arr, json_pack("{s:o, s:o}", "dir", json_text(d[i].dir), "issues", issues));
	}
	return arr;
}

static json_t *tri_json(enum tristate t)
{
	return t == TRI_UNKNOWN ? json_null() : json_boolean(t == TRI_YES);
}

json_t *harden_to_json(const struct hardening *h)
{
	json_t *o = json_object();
	json_object_set_new(o, "relro", json_string(harden_relro_name(h->relro)));
	json_object_set_new(o, "relro_note", json_text(h->relro_note));
	json_object_set_new(o, "canary", json_string(harden_canary_name(h->canary)));
	json_object_set_new(o, "nx", json_boolean(h->nx));
	json_object_set_new(o, "nx_default", json_boolean(h->nx_default));
	json_object_set_new(o, "pie", json_string(harden_pie_name(h->pie)));
	json_object_set_new(o, "rpath", dirs_json(h->rpath, h->nrpath));
	json_object_set_new(o, "runpath", dirs_json(h->runpath, h->nrunpath));
	json_object_set_new(o, "fortify", json_string(harden_fortify_name(h->fortify)));
	json_object_set_new(o, "fortified", json_integer((json_int_t)h->fortified));
	json_object_set_new(o, "fortifiable", json_integer((json_int_t)h->fortifiable));
	json_object_set_new(o, "fortified_functions",
			    json_text_array((const char *const *)h->fortified_names, h->nfortified_names));
	json_object_set_new(o, "unfortified_functions",
			    json_text_array((const char *const *)h->unfortified_names, h->nunfortified_names));
	json_object_set_new(o, "fortify_note", json_text(h->fortify_note));
	json_object_set_new(o, "ibt", tri_json(h->ibt));
	json_object_set_new(o, "shstk", tri_json(h->shstk));
	json_object_set_new(o, "textrel", json_boolean(h->textrel));
	json_object_set_new(o, "upx", json_boolean(h->upx));
	json_object_set_new(o, "go", json_boolean(h->go));
	json_object_set_new(o, "cgo", json_boolean(h->cgo));
	return o;
}

/* --- --require ----------------------------------------------------------------- */

static const char *const require_names[] = {
	"full-relro", "relro", "pie", "nx", "canary", "fortify", "no-rpath",
	"no-runpath", "safe-rpath", "no-textrel", "ibt", "shstk", "no-upx",
};
enum { NREQUIRE = sizeof require_names / sizeof require_names[0] };

const char *harden_require_name(unsigned bit)
{
	for (unsigned i = 0; i < NREQUIRE; i++)
		if (bit == 1u << i)
			return require_names[i];
	return NULL;
}

int harden_require_parse(const char *list, unsigned *mask, struct cr_err *err)
{
	*mask = 0;
	const char *p = list;
	for (;;) {
		size_t len = strcspn(p, ",");
		unsigned bit = 0;
		for (unsigned i = 0; i < NREQUIRE && !bit; i++)
			if (strlen(require_names[i]) == len && strncmp(p, require_names[i], len) == 0)
				bit = 1u << i;
		if (!bit) {
			struct strbuf valid = { 0 };
			for (unsigned i = 0; i < NREQUIRE; i++)
				sb_appendf(&valid, "%s%s", i ? ", " : "", require_names[i]);
			char shown[40];
			snprintf(shown, sizeof shown, "%.*s", (int)(len < 32 ? len : 32), p);
			/* The file's own bytes never reach here: it is the user's text. */
			cr_fail(err, "--require: unknown property '%s'; valid: %s", shown, valid.s);
			free(sb_take(&valid));
			return -1;
		}
		*mask |= bit;
		if (!p[len])
			return 0;
		p += len + 1;
	}
}

json_t *harden_require_to_json(unsigned mask)
{
	json_t *arr = json_array();
	for (unsigned bit = 1; bit && bit <= REQ_NO_UPX; bit <<= 1)
		if (mask & bit)
			json_array_append_new(arr, json_string(harden_require_name(bit)));
	return arr;
}

static bool dirs_safe(const struct rpath_dir *d, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (d[i].issues)
			return false;
	return true;
}

unsigned harden_unmet(const struct hardening *h, unsigned mask)
{
	unsigned met = 0;
	met |= h->relro == RELRO_FULL ? REQ_FULL_RELRO : 0;
	met |= h->relro != RELRO_NONE ? REQ_RELRO : 0;
	met |= h->pie == PIE_YES || h->pie == PIE_STATIC || h->pie == PIE_DSO ? REQ_PIE : 0;
	met |= h->nx ? REQ_NX : 0;
	met |= h->canary == CANARY_YES || h->canary == CANARY_GO ? REQ_CANARY : 0;
	met |= h->fortify == FORTIFY_YES || h->fortify == FORTIFY_NA ? REQ_FORTIFY : 0;
	met |= h->nrpath == 0 ? REQ_NO_RPATH : 0;
	met |= h->nrunpath == 0 ? REQ_NO_RUNPATH : 0;
	met |= dirs_safe(h->rpath, h->nrpath) && dirs_safe(h->runpath, h->nrunpath) ? REQ_SAFE_RPATH : 0;
	met |= !h->textrel ? REQ_NO_TEXTREL : 0;
	met |= h->ibt == TRI_YES ? REQ_IBT : 0;
	met |= h->shstk == TRI_YES ? REQ_SHSTK : 0;
	met |= !h->upx ? REQ_NO_UPX : 0;
	return mask & ~met;
}
