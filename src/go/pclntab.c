/* Layout (Go's debug/gosym, runtime/symtab.go, cmd/link pcln.go). The
 * header starts with a 4-byte magic in the target's byte order, two zero
 * bytes, the PC quantum and the pointer size; then pointer-sized words:
 *
 *   go1.2  (0xfffffffb)  nfunc; the functab follows the header
 *   go1.16 (0xfffffffa)  nfunc nfiles funcnametab cutab filetab pctab functab
 *   go1.18 (0xfffffff0)  nfunc nfiles textStart funcnametab cutab filetab pctab functab
 *   go1.20 (0xfffffff1)  as go1.18; generated names use ':' ("type:.eq.T")
 *
 * The table offsets count from the header. The functab holds nfunc pairs
 * {entry, funcoff} and a final entry; its fields are pointer-sized before
 * go1.18 and 4 bytes since. Each funcoff leads to a _func record whose
 * first field is the entry (pointer-sized before go1.18, 4 bytes since),
 * followed by the int32 nameoff into the name table. In go1.2 the _func
 * records and names count from the header; later they count from the
 * functab and the name table. */
#include "go/pclntab.h"

#include <elf.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

#define MAGIC_GO12 0xfffffffbu
#define MAGIC_GO116 0xfffffffau
#define MAGIC_GO118 0xfffffff0u
#define MAGIC_GO120 0xfffffff1u

struct layout {
	uint32_t magic;
	const char *name;
	unsigned words; /* header words after the first 8 bytes */
};

static const struct layout layouts[] = {
	{ MAGIC_GO12, "go1.2", 1 },
	{ MAGIC_GO116, "go1.16", 7 },
	{ MAGIC_GO118, "go1.18", 8 },
	{ MAGIC_GO120, "go1.20", 8 },
};

/* Where the parts of one table lie, as offsets into `v` (the table from its
 * header to the end of the section or segment that holds it). */
struct table {
	struct byte_view v;
	const struct layout *layout;
	unsigned ptr_size, quantum;
	uint64_t nfunc;
	uint64_t functab;  /* the {entry, funcoff} pairs */
	unsigned field;    /* size of one functab field */
	uint64_t funcdata; /* what funcoff counts from */
	uint64_t names;    /* what nameoff counts from */
	unsigned nameoff;  /* offset of nameoff inside a _func record */
	uint64_t filetab, filetab_end; /* the file names (go1.16 and later; 0 before) */
};

static const struct layout *match_magic(uint32_t magic)
{
	for (size_t i = 0; i < sizeof layouts / sizeof layouts[0]; i++)
		if (layouts[i].magic == magic)
			return &layouts[i];
	return NULL;
}

/* The 8-byte prefix debug/gosym checks: a known magic in either byte
 * order, two zero bytes, quantum 1, 2 or 4, pointer size 4 or 8. Sets the
 * view's byte order from the magic. */
static const struct layout *check_prefix(struct byte_view *v)
{
	const unsigned char *p = bv_ptr(v, 0, 8);
	if (!p || p[4] != 0 || p[5] != 0 || (p[6] != 1 && p[6] != 2 && p[6] != 4) || (p[7] != 4 && p[7] != 8))
		return NULL;
	uint32_t le = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
	uint32_t be = (uint32_t)p[3] | (uint32_t)p[2] << 8 | (uint32_t)p[1] << 16 | (uint32_t)p[0] << 24;
	const struct layout *l = match_magic(le);
	if (l) {
		v->big_endian = false;
		return l;
	}
	l = match_magic(be);
	if (l)
		v->big_endian = true;
	return l;
}

/* The offset in the table of function i's name, or false when its functab
 * entry or _func record lies outside the table. i < nfunc, which
 * decode_header bounded by the table's size. */
static bool name_offset(const struct table *t, uint64_t i, uint64_t *out)
{
	uint64_t funcoff, rec, nameoff_at;
	uint32_t nameoff;
	if (!bv_word(&t->v, t->functab + (2 * i + 1) * t->field, t->field, &funcoff))
		return false;
	if (!u64_add_ok(t->funcdata, funcoff, &rec) || !u64_add_ok(rec, t->nameoff, &nameoff_at) ||
	    !bv_u32(&t->v, nameoff_at, &nameoff))
		return false;
	/* nameoff is an int32: a negative one is out of range like any other. */
	return u64_add_ok(t->names, nameoff, out) && *out < t->v.size;
}

/* Function i has a non-empty name that ends inside the table. The search
 * for its end is charged to *work, so that a scan over many candidates
 * stays linear in the file's size. */
static bool has_name(const struct table *t, uint64_t i, uint64_t *work)
{
	uint64_t at;
	if (!name_offset(t, i, &at))
		return false;
	uint64_t limit = t->v.size - at < *work ? t->v.size : at + *work;
	const char *s = bv_cstr(&t->v, at, limit);
	uint64_t len = s ? strlen(s) + 1 : limit - at;
	*work -= len;
	return s && s[0];
}

/* Decodes the header words and checks that every offset and the functab
 * fit in the table: a candidate found by scanning is a table only if this
 * holds and its first and last functions have names. */
static bool decode_header(struct byte_view v, struct table *t, uint64_t *work)
{
	memset(t, 0, sizeof *t);
	t->layout = check_prefix(&v);
	if (!t->layout)
		return false;
	t->v = v;
	const unsigned char *p = bv_ptr(&v, 6, 2);
	t->quantum = p[0];
	t->ptr_size = p[1];
	unsigned ps = t->ptr_size;
	uint64_t w[8];
	for (unsigned i = 0; i < t->layout->words; i++)
		if (!bv_word(&v, 8 + (uint64_t)i * ps, ps, &w[i]))
			return false;
	uint64_t header_size = 8 + (uint64_t)t->layout->words * ps;
	t->nfunc = w[0];

	if (t->layout->magic == MAGIC_GO12) {
		t->functab = header_size;
		t->field = ps;
		t->funcdata = t->names = 0;
		t->nameoff = ps;
	} else {
		/* go1.16 has no textStart word: its table offsets start at w[2]. */
		const uint64_t *off = t->layout->magic == MAGIC_GO116 ? &w[2] : &w[3];
		for (unsigned i = 0; i < 5; i++)
			if (off[i] < header_size || off[i] > v.size)
				return false;
		t->names = off[0];
		/* The file names run up to the pc tables that follow them. */
		if (off[2] <= off[3]) {
			t->filetab = off[2];
			t->filetab_end = off[3];
		}
		t->functab = t->funcdata = off[4];
		t->field = t->layout->magic == MAGIC_GO116 ? ps : 4;
		t->nameoff = t->field;
	}

	/* The functab's nfunc pairs and final entry must fit, which also caps
	 * nfunc by what the bytes can hold. (functab <= size: the header words
	 * were read, and the other offsets checked.) */
	uint64_t fields = (v.size - t->functab) / t->field;
	if (t->nfunc == 0 || fields == 0 || t->nfunc > (fields - 1) / 2)
		return false;
	if (t->layout->magic == MAGIC_GO12) {
		/* go1.2: a uint32 file-table offset follows the functab. */
		uint32_t filetab;
		uint64_t end = t->functab + (2 * t->nfunc + 1) * t->field;
		if (!bv_u32(&v, end, &filetab) || filetab > v.size)
			return false;
	}
	return has_name(t, 0, work) && has_name(t, t->nfunc - 1, work);
}

/* The table from `offset` to the end of the file range [offset, offset+size). */
static struct byte_view range_view(const struct elf_file *ef, uint64_t offset, uint64_t size)
{
	if (offset >= ef->view.size)
		return bv_sub(&ef->view, 0, 0);
	if (size > ef->view.size - offset)
		size = ef->view.size - offset;
	return bv_sub(&ef->view, offset, size);
}

/* Scans one segment at 4-byte steps of its virtual address (the header is
 * pointer-aligned in memory). *budget caps the bytes examined over all
 * segments and candidates, since a hostile file may map the same bytes
 * many times or repeat headers that pass the cheap checks. */
static bool scan_segment(const struct elf_file *ef, const struct elf_phdr *p, uint64_t *budget, struct table *t)
{
	struct byte_view seg = range_view(ef, p->offset, p->filesz);
	if (!seg.data || seg.size > *budget)
		return false;
	*budget -= seg.size;
	for (uint64_t at = (4 - (p->vaddr & 3)) & 3; bv_has(&seg, at, 8); at += 4) {
		const unsigned char *b = bv_ptr(&seg, at, 8);
		/* Cheap test first: every magic has 0xff in its two middle bytes. */
		if (b[1] != 0xff || b[2] != 0xff || b[4] != 0 || b[5] != 0)
			continue;
		if (decode_header(bv_sub(&seg, at, seg.size - at), t, budget))
			return true;
	}
	return false;
}

static bool locate(const struct elf_file *ef, struct table *t)
{
	static const char *const names[] = { ".gopclntab", ".data.rel.ro.gopclntab" };
	for (size_t i = 0; i < 2; i++) {
		const struct elf_shdr *s = elf_section_by_name(ef, names[i]);
		uint64_t work = UINT64_MAX;
		if (s && s->type != SHT_NOBITS && decode_header(range_view(ef, s->offset, s->size), t, &work))
			return true;
	}
	/* Without usable sections: the readable segments, those without code
	 * first (Go puts the table in read-only or RELRO data; some external
	 * links merge it into the text segment). */
	uint64_t budget = 2 * ef->view.size;
	for (int exec = 0; exec < 2; exec++) {
		for (size_t i = 0; i < ef->nphdrs; i++) {
			const struct elf_phdr *p = &ef->phdrs[i];
			if (p->type != PT_LOAD || !(p->flags & PF_R) || !(p->flags & PF_X) != !exec)
				continue;
			if (scan_segment(ef, p, &budget, t))
				return true;
		}
	}
	return false;
}

static bool starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Suffixes gcc gives to copies of C functions ("fatalf.cold", "f.part.0",
 * "g.constprop.0"): with internal cgo linking, C functions share the table
 * and would otherwise look like packages. */
static bool gcc_clone(const char *rest)
{
	static const char *const numbered[] = { "part.", "constprop.", "isra.", "lto_priv." };
	if (strcmp(rest, "localalias") == 0 || (starts_with(rest, "cold") && (rest[4] == '\0' || rest[4] == '.')))
		return true;
	for (size_t i = 0; i < sizeof numbered / sizeof numbered[0]; i++) {
		size_t n = strlen(numbered[i]);
		if (strncmp(rest, numbered[i], n) == 0 && rest[n] >= '0' && rest[n] <= '9')
			return true;
	}
	return false;
}

enum package_kind { PKG_NONE, PKG_PREFIX, PKG_RUNTIME_CGO };

/* Where a function name's package ends, without copying: PKG_PREFIX with
 * *dot at the '.' that ends the (still escaped) path. *scanned gets the
 * bytes read, which a caller may charge to a budget. */
static enum package_kind package_of(const char *func, const char **dot, size_t *scanned)
{
	*scanned = 1;
	/* Symbols the compiler and linker make, not functions of a package:
	 * type equality and hash functions ("type..eq.T" before go1.20,
	 * "type:.eq.T" since), the build ID, and "go.*" / "go:*" helpers.
	 * "go/ast.Walk" is a package's function: "go" is followed by '/'.
	 * runtime/cgo's functions are mostly C and assembly without a package
	 * prefix: crosscall2, in every cgo program however it is linked, and
	 * x_cgo_* with internal linking (newer Go versions add Go functions,
	 * "runtime/cgo.set_crosscall2", which the general rule covers). The
	 * first byte picks the one or two prefixes worth comparing. */
	switch (func[0]) {
	case 't':
		if (starts_with(func, "type.") || starts_with(func, "type:"))
			return PKG_NONE;
		break;
	case 'g':
		if (starts_with(func, "go.") || starts_with(func, "go:"))
			return PKG_NONE;
		break;
	case 'r':
		if (starts_with(func, "runtime.gcbits."))
			return PKG_NONE;
		break;
	case '_':
		if (starts_with(func, "__x86."))
			return PKG_NONE;
		break;
	case 'c':
		if (strcmp(func, "crosscall2") == 0)
			return PKG_RUNTIME_CGO;
		break;
	case 'x':
		if (starts_with(func, "x_cgo_"))
			return PKG_RUNTIME_CGO;
		break;
	default: break;
	}
	/* The path ends at the first '.' after its last '/' (debug/gosym's
	 * rule). Only the part before a type argument list counts:
	 * "pkg.F[a/b.T]" is in pkg, and so is "pkg.(*T[a/b.U]).M". (Go 1.18
	 * and 1.19 write the list as "[...]" in this table, Go 1.24 in full.) */
	size_t head = 0, start = 0;
	for (; func[head] && func[head] != '['; head++)
		if (func[head] == '/')
			start = head + 1;
	*scanned = head + 1;
	const char *d = memchr(func + start, '.', head - start);
	if (!d || d == func + start || (start == 0 && gcc_clone(d + 1)))
		return PKG_NONE;
	*dot = d;
	return PKG_PREFIX;
}

/* The import path of [func, dot) into buf. The linker escapes '.', '%',
 * '"', spaces and non-ASCII bytes of the path's last element as %xx
 * ("gopkg.in/yaml%2ev3"): undone here. NULL when it does not fit. */
static const char *unescape_path(const char *func, const char *dot, char *buf, size_t len)
{
	size_t n = 0;
	for (const char *p = func; p < dot; p++) {
		int hi, lo;
		char c = *p;
		if (c == '%' && dot - p > 2 && (hi = hex_digit(p[1])) >= 0 && (lo = hex_digit(p[2])) >= 0) {
			c = (char)(hi << 4 | lo);
			p += 2;
		}
		if (n + 1 >= len)
			return NULL;
		buf[n++] = c;
	}
	if (n == 0 || len == 0)
		return NULL;
	buf[n] = '\0';
	return buf;
}

const char *go_func_package(const char *func, char *buf, size_t len)
{
	const char *dot = NULL;
	size_t scanned;
	switch (package_of(func, &dot, &scanned)) {
	case PKG_RUNTIME_CGO:
		return len < sizeof "runtime/cgo" ? NULL : memcpy(buf, "runtime/cgo", sizeof "runtime/cgo");
	case PKG_PREFIX: return unescape_path(func, dot, buf, len);
	default: return NULL;
	}
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The distinct packages met, in a small open-addressing set (a program
 * links hundreds of packages but a million functions). */
struct package_set {
	char **slots;
	size_t nslots, count;
};

static uint64_t str_hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
	return h;
}

/* Adds a copy of pkg unless present; returns the stored copy. */
static char *package_add(struct package_set *set, const char *pkg)
{
	if ((set->count + 1) * 2 > set->nslots) {
		size_t n = set->nslots ? set->nslots * 2 : 256;
		char **slots = xcalloc(n, sizeof *slots);
		for (size_t i = 0; i < set->nslots; i++) {
			if (!set->slots[i])
				continue;
			size_t s = str_hash(set->slots[i]) & (n - 1);
			while (slots[s])
				s = (s + 1) & (n - 1);
			slots[s] = set->slots[i];
		}
		free(set->slots);
		set->slots = slots;
		set->nslots = n;
	}
	size_t s = str_hash(pkg) & (set->nslots - 1);
	while (set->slots[s]) {
		if (strcmp(set->slots[s], pkg) == 0)
			return set->slots[s];
		s = (s + 1) & (set->nslots - 1);
	}
	set->count++;
	return set->slots[s] = xstrdup(pkg);
}

/* Moves the set's strings into a sorted array. */
static char **package_list(struct package_set *set, size_t *n)
{
	char **list = xcalloc(set->count ? set->count : 1, sizeof *list);
	*n = 0;
	for (size_t i = 0; i < set->nslots; i++)
		if (set->slots[i])
			list[(*n)++] = set->slots[i];
	free(set->slots);
	memset(set, 0, sizeof *set);
	qsort(list, *n, sizeof *list, cmp_str);
	return list;
}

static bool is_std_path(const char *pkg)
{
	/* Standard packages have no dot in their first path element. */
	size_t first = strcspn(pkg, "/");
	return !memchr(pkg, '.', first);
}

/* One pass in the table's order: each function's name (pointing into the
 * file), its package, and whether it is a cgo wrapper. Neighbouring entries
 * that share a name offset count once. The bytes read for names may not
 * exceed a few times the table: real names never overlap, while a hostile
 * table could point a million entries into one long string. */
static bool read_names(const struct table *t, struct go_functab *out)
{
	const unsigned char *last = t->v.size ? memrchr(t->v.data, '\0', (size_t)t->v.size) : NULL;
	uint64_t terminated = last ? (uint64_t)(last - t->v.data) + 1 : 0; /* offsets below start a string */
	uint64_t budget = 4 * t->v.size;
	size_t n = (size_t)t->nfunc;
	/* One bit per byte of the table marks the name offsets already met:
	 * entries sharing one are one function (Go 1.18's "F[...]"). */
	unsigned char *seen = xcalloc((size_t)(t->v.size / 8) + 1, 1);
	out->funcs = xcalloc(n ? n : 1, sizeof *out->funcs);
	struct package_set pkgs = { 0 }, cgo = { 0 };
	char *buf = NULL;
	const char *prev_prefix = NULL;
	size_t buf_len = 0, prev_len = 0;
	bool ok = true;
	for (size_t i = 0; i < n && ok; i++) {
		uint64_t at;
		if (!name_offset(t, i, &at) || at >= terminated) {
			ok = false;
			break;
		}
		if (seen[at / 8] & (1u << (at % 8)))
			continue;
		seen[at / 8] |= (unsigned char)(1u << (at % 8));
		const char *name = (const char *)t->v.data + at;
		const char *dot = NULL;
		size_t scanned;
		enum package_kind kind;
		/* The previous function's package followed by '.': the same
		 * package, and the rest of the name is not read. This also keeps
		 * the wrappers of promoted methods in their own package, where
		 * gosym's rule reads "text/template.(*Template).text/template/
		 * parse.X" as a package of its own. */
		if (prev_prefix && prev_len < t->v.size - at && memcmp(name, prev_prefix, prev_len) == 0 &&
		    name[prev_len] == '.') {
			kind = PKG_PREFIX;
			dot = name + prev_len;
			scanned = prev_len + 1;
		} else {
			kind = package_of(name, &dot, &scanned);
		}
		if (!name[0] || scanned > budget) {
			ok = false;
			break;
		}
		budget -= scanned;
		out->funcs[out->nfuncs++] = name;
		if (kind == PKG_NONE)
			continue;
		const char *pkg = "runtime/cgo";
		if (kind == PKG_PREFIX) {
			/* A package's functions mostly sit together: the same
			 * escaped prefix as the last one is the same package. */
			size_t plen = (size_t)(dot - name);
			bool same = prev_prefix && plen == prev_len && memcmp(name, prev_prefix, plen) == 0;
			bool cgo_wrapper = strncmp(dot + 1, "_C", 2) == 0 &&
					   (strncmp(dot + 3, "func_", 5) == 0 || strncmp(dot + 3, "2func_", 6) == 0);
			if (same && !cgo_wrapper)
				continue;
			if (plen + 1 > buf_len) {
				buf_len = 2 * (plen + 1);
				buf = xrealloc(buf, buf_len);
			}
			pkg = unescape_path(name, dot, buf, buf_len);
			if (!pkg)
				continue;
			prev_prefix = name;
			prev_len = plen;
			if (cgo_wrapper && !is_std_path(pkg))
				package_add(&cgo, pkg);
			if (same)
				continue;
		} else {
			prev_prefix = NULL;
		}
		package_add(&pkgs, pkg);
	}
	free(buf);
	free(seen);
	out->packages = package_list(&pkgs, &out->npackages);
	out->cgo_packages = package_list(&cgo, &out->ncgo_packages);
	return ok;
}

bool go_pclntab_find(const struct elf_file *ef, struct byte_view *table)
{
	struct table tab;
	if (!locate(ef, &tab))
		return false;
	*table = tab.v;
	return true;
}

/* The parts of a table go_pclntab_find gave (or any bytes: they are
 * checked again, which costs two names). */
static bool decode_found(struct byte_view table, struct table *tab)
{
	uint64_t work = UINT64_MAX;
	return decode_header(table, tab, &work);
}

bool go_functab_read_table(struct byte_view table, struct go_functab *t)
{
	memset(t, 0, sizeof *t);
	struct table tab;
	if (!decode_found(table, &tab))
		return false;
	if (!read_names(&tab, t)) {
		go_functab_free(t);
		return false;
	}
	t->magic = tab.layout->magic;
	t->layout = tab.layout->name;
	t->ptr_size = tab.ptr_size;
	t->quantum = tab.quantum;
	t->big_endian = tab.v.big_endian;
	return true;
}

bool go_functab_read(const struct elf_file *ef, struct go_functab *t)
{
	struct byte_view table;
	if (!go_pclntab_find(ef, &table)) {
		memset(t, 0, sizeof *t);
		return false;
	}
	return go_functab_read_table(table, t);
}

void go_functab_free(struct go_functab *t)
{
	for (size_t i = 0; i < t->npackages; i++)
		free(t->packages[i]);
	for (size_t i = 0; i < t->ncgo_packages; i++)
		free(t->cgo_packages[i]);
	free(t->funcs);
	free(t->packages);
	free(t->cgo_packages);
	memset(t, 0, sizeof *t);
}

/* The path Go's linker gives runtime/proc.go, which every program has: the
 * whole path is its GOROOT/src prefix ("" under -trimpath). */
static bool root_prefix(const char *file, size_t len, size_t *prefix)
{
	static const char proc[] = "runtime/proc.go";
	size_t n = sizeof proc - 1;
	if (len < n || memcmp(file + len - n, proc, n) != 0 || (len > n && file[len - n - 1] != '/'))
		return false;
	*prefix = len - n;
	return true;
}

static bool is_cgo_file(const char *file, size_t len)
{
	static const char gotypes[] = "_cgo_gotypes.go";
	size_t n = sizeof gotypes - 1;
	return len >= n && memcmp(file + len - n, gotypes, n) == 0 && (len == n || file[len - n - 1] == '/');
}

static const char *const std_dirs[GO_NSTD] = {
	[GO_STD_NET] = "net", [GO_STD_OS_USER] = "os/user", [GO_STD_TIME_TZDATA] = "time/tzdata",
	[GO_STD_CRYPTO_X509] = "crypto/x509", [GO_STD_RUNTIME_CGO] = "runtime/cgo",
};

/* Calls each(file, len, arg) for every name in the file table; false when
 * a name runs past its end. */
static bool each_file(const struct table *t, void (*each)(const char *, size_t, void *), void *arg)
{
	for (uint64_t at = t->filetab; at < t->filetab_end;) {
		const char *s = bv_cstr(&t->v, at, t->filetab_end);
		if (!s)
			return false;
		size_t len = strlen(s);
		each(s, len, arg);
		at += len + 1;
	}
	return true;
}

struct file_scan {
	struct go_filetab *out;
	bool have_root;
	size_t root_len;
	const char *root;
};

static void find_root(const char *file, size_t len, void *arg)
{
	struct file_scan *scan = arg;
	size_t prefix;
	if (!scan->have_root && root_prefix(file, len, &prefix)) {
		scan->have_root = true;
		scan->root = file;
		scan->root_len = prefix;
	}
}

static void note_file(const char *file, size_t len, void *arg)
{
	struct file_scan *scan = arg;
	scan->out->cgo_code |= is_cgo_file(file, len);
	if (len <= scan->root_len || memcmp(file, scan->root, scan->root_len) != 0)
		return;
	const char *rel = file + scan->root_len;
	const char *slash = memrchr(rel, '/', len - scan->root_len);
	if (!slash)
		return;
	size_t dir = (size_t)(slash - rel);
	for (size_t i = 0; i < GO_NSTD; i++)
		if (strlen(std_dirs[i]) == dir && memcmp(rel, std_dirs[i], dir) == 0)
			scan->out->std[i] = true;
}

bool go_filetab_read(struct byte_view table, struct go_filetab *f)
{
	memset(f, 0, sizeof *f);
	struct table t;
	if (!decode_found(table, &t) || t.filetab == 0)
		return false;
	struct file_scan scan = { .out = f };
	if (!each_file(&t, find_root, &scan) || !scan.have_root || !each_file(&t, note_file, &scan)) {
		memset(f, 0, sizeof *f);
		return false;
	}
	f->layout = t.layout->name;
	return true;
}

static bool sorted_has(char *const *v, size_t n, const char *key)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(v[mid], key);
		if (c == 0)
			return true;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

bool go_functab_has_func(const struct go_functab *t, const char *name)
{
	for (size_t i = 0; i < t->nfuncs; i++)
		if (strcmp(t->funcs[i], name) == 0)
			return true;
	return false;
}

bool go_functab_has_package(const struct go_functab *t, const char *import_path)
{
	return sorted_has(t->packages, t->npackages, import_path);
}
