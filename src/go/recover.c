/* Build info of Go programs whose blob is gone. Some vendors ship binaries
 * without the .go.buildinfo section or with its magic wiped, which `go
 * version` calls "not a Go executable". The runtime keeps its own copies:
 * cmd/link sets runtime.buildVersion and runtime.modinfo as Go strings
 * (addstrdata: the {data, len} header in .data, the bytes in .rodata), and
 * the module text keeps the frames cmd/go puts around it (modload's
 * infoStart and infoEnd). Each is read from the symbol table when there is
 * one; without it the version is the one Go string in .data that reads as
 * a Go version, and the module text the first framed blob in the loaded
 * bytes. */
#include <elf.h>
#include <stdio.h>
#include <string.h>

#include "go/buildinfo_internal.h"
#include "util/xalloc.h"

static const unsigned char info_start[16] = { 0x30, 0x77, 0xaf, 0x0c, 0x92, 0x74, 0x08, 0x02,
					      0x41, 0xe1, 0xc1, 0x07, 0xe6, 0xd6, 0x18, 0xe6 };
static const unsigned char info_end[16] = { 0xf9, 0x32, 0x43, 0x31, 0x86, 0x18, 0x20, 0x72,
					    0x00, 0x82, 0x42, 0x10, 0x41, 0x16, 0xd8, 0xf2 };

/* Module text of big programs is tens of KB; a version string with its
 * " X:experiments" suffix well under a hundred bytes. */
enum { max_modinfo_text = 1 << 20, max_version_len = 128 };

/* Bytes module text is made of: tab-separated lines, cmd/go quoting any
 * value with other control bytes. Both frames hold bytes outside this set
 * (0x0c, 0x00), so a text run never spans a frame. */
static bool text_byte(unsigned char c)
{
	return c == '\t' || c == '\n' || (c >= 0x20 && c != 0x7f);
}

/* How many of a frame's first bytes are text bytes. */
static uint64_t text_prefix(const unsigned char frame[16])
{
	uint64_t n = 0;
	while (n < 16 && text_byte(frame[n]))
		n++;
	return n;
}

/* The first start frame at or after pos, or UINT64_MAX: one of its bytes
 * found with memchr, then the rest compared. memmem would do, but what a
 * call costs is not bounded by where it stops in every libc (sanitizers
 * check the whole haystack), and a hostile file has a frame every 16 bytes. */
static uint64_t find_start(const struct byte_view *v, uint64_t pos)
{
	enum { key = 2 }; /* 0xaf: rarer than the frame's first bytes, '0' and 'w' */
	while (v->size >= sizeof info_start && pos <= v->size - sizeof info_start) {
		uint64_t candidates = v->size - sizeof info_start + 1 - pos;
		const unsigned char *k = memchr(v->data + pos + key, info_start[key], candidates);
		if (!k)
			break;
		uint64_t at = (uint64_t)(k - v->data) - key;
		if (memcmp(v->data + at, info_start, sizeof info_start) == 0)
			return at;
		pos = at + 1;
	}
	return UINT64_MAX;
}

bool go_modinfo_blob_find(const struct byte_view *v, uint64_t from, uint64_t max_text, uint64_t *at,
			  uint64_t *len)
{
	/* The end frame's first bytes are text: the run of text after a
	 * start frame takes them in, and the frame starts that many bytes
	 * before the run ends. */
	const uint64_t end_in_run = text_prefix(info_end);
	for (uint64_t pos = from; v->data && pos < v->size;) {
		uint64_t start = find_start(v, pos);
		if (start == UINT64_MAX)
			return false;
		uint64_t text = start + sizeof info_start, room = v->size - text;
		uint64_t span = max_text < room && room - max_text > end_in_run ? max_text + end_in_run : room;
		uint64_t run = text;
		while (run < text + span && text_byte(v->data[run]))
			run++;
		uint64_t end = run - text > end_in_run ? run - end_in_run : text;
		/* Go's rule (debug/buildinfo): the text ends in a newline. */
		if (end > text && v->data[end - 1] == '\n' && bv_has(v, end, sizeof info_end) &&
		    memcmp(v->data + end, info_end, sizeof info_end) == 0) {
			*at = start;
			*len = end + sizeof info_end - start;
			return true;
		}
		/* Runs cannot cross a start frame (its fourth byte is not
		 * text), so no byte is in two runs: the work stays linear. */
		pos = start + 1;
	}
	return false;
}

/* What runtime.buildVersion holds: "go1.N[.M]", "go1.NrcN" and the like,
 * with " X:experiments" when GOEXPERIMENT was set (cmd/link main.go), or
 * a development toolchain's "devel ...". */
static bool version_text(const struct byte_view *s)
{
	if (s->size < 5 || s->size > max_version_len)
		return false;
	const unsigned char *p = s->data;
	bool release = memcmp(p, "go1.", 4) == 0 && p[4] >= '0' && p[4] <= '9';
	bool devel = s->size > 6 && memcmp(p, "devel ", 6) == 0;
	if (!release && !devel)
		return false;
	for (uint64_t i = 0; i < s->size; i++)
		if (p[i] < 0x20 || p[i] > 0x7e)
			return false;
	return true;
}

/* The text of a string that is exactly one framed blob, or NULL. */
static char *blob_text(const struct byte_view *s)
{
	uint64_t at, len;
	if (!go_modinfo_blob_find(s, 0, max_modinfo_text, &at, &len) || at != 0 || len != s->size)
		return NULL;
	return xstrndup((const char *)s->data + sizeof info_start, (size_t)(len - 2 * sizeof info_start));
}

struct runtime_vars {
	uint64_t version, modinfo; /* addresses of the string headers, 0 when unknown */
};

static void find_runtime_var(const struct elf_sym *s, void *ctx)
{
	struct runtime_vars *vars = ctx;
	if (s->shndx == SHN_UNDEF || s->type != STT_OBJECT)
		return;
	if (strcmp(s->name, "runtime.buildVersion") == 0)
		vars->version = s->value;
	else if (strcmp(s->name, "runtime.modinfo") == 0)
		vars->modinfo = s->value;
}

/* The Go strings whose headers lie in `area` (at virtual address vaddr)
 * and whose text reads as a Go version: one distinct text is the version;
 * two are a guess too many. */
static void scan_version_headers(const struct elf_file *ef, const struct byte_view *area, uint64_t vaddr,
				 struct byte_view *found, bool *ambiguous)
{
	unsigned ps = ef->bits / 8;
	for (uint64_t at = (ps - vaddr % ps) % ps; bv_has(area, at, 2 * (uint64_t)ps); at += ps) {
		uint64_t data = 0, len = 0;
		struct byte_view s;
		bv_word(area, at, ps, &data);
		bv_word(area, at + ps, ps, &len);
		if (len > max_version_len || !go_vaddr_bytes(ef, data, len, &s) || !version_text(&s))
			continue;
		if (!found->data)
			*found = s;
		else if (found->size != s.size || memcmp(found->data, s.data, s.size) != 0)
			*ambiguous = true;
	}
}

/* The file bytes of a PT_LOAD, cut at the file's end. */
static struct byte_view segment_bytes(const struct elf_file *ef, const struct elf_phdr *p)
{
	if (p->offset >= ef->view.size)
		return (struct byte_view){ 0 };
	uint64_t size = p->filesz < ef->view.size - p->offset ? p->filesz : ef->view.size - p->offset;
	return bv_sub(&ef->view, p->offset, size);
}

static void recover_version(const struct elf_file *ef, uint64_t header, struct go_buildinfo *bi)
{
	struct byte_view s = { 0 };
	if (header && go_string_view(ef, header, ef->bits / 8, ef->big_endian, &s) && version_text(&s)) {
		snprintf(bi->version_source, sizeof bi->version_source, "runtime.buildVersion");
	} else {
		s = (struct byte_view){ 0 };
		bool ambiguous = false;
		const struct elf_shdr *data = elf_section_by_name(ef, ".data");
		if (data && data->type != SHT_NOBITS) {
			struct byte_view area = bv_sub(&ef->view, data->offset, data->size);
			area.big_endian = ef->big_endian;
			scan_version_headers(ef, &area, data->addr, &s, &ambiguous);
			snprintf(bi->version_source, sizeof bi->version_source, "string header in .data");
		} else if (ef->nshdrs == 0) {
			/* Writable segments repeated over the same bytes cost
			 * their size each: a budget of twice the file. */
			uint64_t budget = 2 * ef->view.size;
			for (size_t i = 0; i < ef->nphdrs; i++) {
				const struct elf_phdr *p = &ef->phdrs[i];
				if (p->type != PT_LOAD || (p->flags & (PF_X | PF_W)) != PF_W)
					continue;
				struct byte_view area = segment_bytes(ef, p);
				if (area.size > budget)
					break;
				budget -= area.size;
				scan_version_headers(ef, &area, p->vaddr, &s, &ambiguous);
			}
			snprintf(bi->version_source, sizeof bi->version_source, "string header in a writable segment");
		}
		if (ambiguous)
			s.data = NULL;
	}
	if (s.data)
		bi->version = xstrndup((const char *)s.data, (size_t)s.size);
	else
		bi->version_source[0] = '\0';
}

/* The allocated section holding file offset `off`, for saying where. */
static const char *section_at(const struct elf_file *ef, uint64_t off)
{
	for (size_t i = 0; i < ef->nshdrs; i++) {
		const struct elf_shdr *s = &ef->shdrs[i];
		if ((s->flags & SHF_ALLOC) && s->type != SHT_NOBITS && s->name[0] && off >= s->offset &&
		    off - s->offset < s->size)
			return s->name;
	}
	return NULL;
}

static void recover_modinfo(const struct elf_file *ef, uint64_t header, struct go_buildinfo *bi)
{
	struct byte_view s;
	if (header && go_string_view(ef, header, ef->bits / 8, ef->big_endian, &s) && (bi->modinfo = blob_text(&s))) {
		snprintf(bi->modinfo_source, sizeof bi->modinfo_source, "runtime.modinfo");
		return;
	}
	uint64_t budget = 2 * ef->view.size;
	for (size_t i = 0; i < ef->nphdrs; i++) {
		const struct elf_phdr *p = &ef->phdrs[i];
		if (p->type != PT_LOAD)
			continue;
		struct byte_view seg = segment_bytes(ef, p);
		if (seg.size > budget)
			return;
		budget -= seg.size;
		uint64_t at, len;
		if (!go_modinfo_blob_find(&seg, 0, max_modinfo_text, &at, &len))
			continue;
		struct byte_view blob = bv_sub(&seg, at, len);
		bi->modinfo = blob_text(&blob);
		const char *name = section_at(ef, p->offset + at);
		if (name)
			snprintf(bi->modinfo_source, sizeof bi->modinfo_source, "%s section", name);
		else
			snprintf(bi->modinfo_source, sizeof bi->modinfo_source, "loaded segment");
		return;
	}
}

/* Signs of Go that cost nothing to check: the Go note or a section only
 * Go's linker makes. Other files are not read byte by byte. */
static bool looks_like_go(const struct elf_file *ef)
{
	static const char *const sections[] = { ".gopclntab", ".data.rel.ro.gopclntab", ".go.buildinfo",
						".go.module" };
	if (ef->notes.go_build_id)
		return true;
	for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++)
		if (elf_section_by_name(ef, sections[i]))
			return true;
	return false;
}

void go_buildinfo_recover(const struct elf_file *ef, struct go_buildinfo *bi)
{
	if (!looks_like_go(ef) || (ef->bits != 32 && ef->bits != 64))
		return;
	struct runtime_vars vars = { 0 };
	elf_symtab_each(ef, find_runtime_var, &vars);
	recover_version(ef, vars.version, bi);
	recover_modinfo(ef, vars.modinfo, bi);
	if (bi->version && !bi->modinfo)
		bi->modinfo = xstrdup("");
}
