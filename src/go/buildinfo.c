/* Layout (Go's debug/buildinfo and cmd/link): a 32-byte header on a 16-byte
 * boundary: 14 bytes of magic, the pointer size, flags (bit 0 big endian,
 * bit 1 inline strings). Go 1.18+ stores two varint-prefixed strings right
 * after the header; older versions store two pointers to Go string headers,
 * which are read through the loaded segments. */
#include "go/buildinfo.h"

#include <elf.h>
#include <stdlib.h>
#include <string.h>

#include "go/buildinfo_internal.h"
#include "util/xalloc.h"

static const unsigned char magic[14] = { 0xff, ' ', 'G', 'o', ' ', 'b', 'u', 'i', 'l', 'd', 'i', 'n', 'f', ':' };

/* Frames Go puts around the module text (cmd/go/internal/modload). */
enum { frame_len = 16 };

static bool read_uvarint(const struct byte_view *v, uint64_t *off, uint64_t *out)
{
	uint64_t value = 0;
	for (unsigned shift = 0; shift < 64; shift += 7) {
		uint8_t b;
		if (!bv_u8(v, (*off)++, &b))
			return false;
		value |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			*out = value;
			return true;
		}
	}
	return false;
}

static char *read_inline_string(const struct byte_view *v, uint64_t *off, size_t *len_out)
{
	uint64_t len;
	if (!read_uvarint(v, off, &len))
		return NULL;
	const unsigned char *p = bv_ptr(v, *off, len);
	if (!p)
		return NULL;
	*off += len;
	*len_out = (size_t)len;
	return xstrndup((const char *)p, (size_t)len);
}

bool go_vaddr_bytes(const struct elf_file *ef, uint64_t addr, uint64_t len, struct byte_view *out)
{
	uint64_t off, avail;
	if (!elf_vaddr_to_offset(ef, addr, &off, &avail) || len > avail)
		return false;
	*out = bv_sub(&ef->view, off, len);
	return out->data != NULL;
}

bool go_string_view(const struct elf_file *ef, uint64_t header_addr, unsigned ptr_size, bool big_endian,
		    struct byte_view *out)
{
	struct byte_view hv;
	uint64_t data_addr, len;
	if (!go_vaddr_bytes(ef, header_addr, 2 * (uint64_t)ptr_size, &hv))
		return false;
	hv.big_endian = big_endian;
	if (!bv_word(&hv, 0, ptr_size, &data_addr) || !bv_word(&hv, ptr_size, ptr_size, &len))
		return false;
	return len > 0 && go_vaddr_bytes(ef, data_addr, len, out);
}

static char *read_pointer_string(const struct elf_file *ef, uint64_t header_addr, unsigned ptr_size,
				 bool big_endian, size_t *len_out)
{
	struct byte_view s;
	if (!go_string_view(ef, header_addr, ptr_size, big_endian, &s))
		return NULL;
	*len_out = (size_t)s.size;
	return xstrndup((const char *)s.data, (size_t)s.size);
}

/* The frames hold NUL bytes, so the raw length comes from the blob. */
static void strip_frames(char **modinfo, size_t len)
{
	/* Go's rule: framed text is at least 33 bytes and ends "\n" + frame. */
	if (len >= 2 * frame_len + 1 && (*modinfo)[len - frame_len - 1] == '\n') {
		char *text = xstrndup(*modinfo + frame_len, len - 2 * frame_len);
		free(*modinfo);
		*modinfo = text;
	} else {
		(*modinfo)[0] = '\0';
	}
}

static bool decode_at(const struct elf_file *ef, const struct byte_view *area, uint64_t at,
		      struct go_buildinfo *bi)
{
	uint8_t ptr_size, flags;
	if (!bv_u8(area, at + 14, &ptr_size) || !bv_u8(area, at + 15, &flags))
		return false;
	size_t version_len = 0, modinfo_len = 0;
	if (flags & 2) {
		uint64_t off = at + 32;
		bi->version = read_inline_string(area, &off, &version_len);
		bi->modinfo = bi->version ? read_inline_string(area, &off, &modinfo_len) : NULL;
	} else {
		if (ptr_size != 4 && ptr_size != 8)
			return false;
		struct byte_view hv = *area;
		hv.big_endian = flags & 1;
		uint64_t vers_ptr, mod_ptr;
		if (!bv_word(&hv, at + 16, ptr_size, &vers_ptr) ||
		    !bv_word(&hv, at + 16 + ptr_size, ptr_size, &mod_ptr))
			return false;
		bi->version = read_pointer_string(ef, vers_ptr, ptr_size, flags & 1, &version_len);
		bi->modinfo = bi->version ? read_pointer_string(ef, mod_ptr, ptr_size, flags & 1, &modinfo_len) : NULL;
	}
	if (!bi->version || !bi->version[0]) {
		go_buildinfo_free(bi);
		return false;
	}
	if (!bi->modinfo) {
		bi->modinfo = xstrdup("");
		modinfo_len = 0;
	}
	strip_frames(&bi->modinfo, modinfo_len);
	return true;
}

/* Scans an area whose first byte sits at virtual address `vaddr`; the blob
 * is 16-byte aligned in memory. */
static bool scan(const struct elf_file *ef, uint64_t offset, uint64_t size, uint64_t vaddr,
		 struct go_buildinfo *bi)
{
	struct byte_view area = bv_sub(&ef->view, offset, size);
	if (!area.data)
		return false;
	uint64_t first = (16 - (vaddr & 15)) & 15;
	for (uint64_t at = first; bv_has(&area, at, 32); at += 16) {
		const unsigned char *p = area.data + at;
		if (p[0] == magic[0] && memcmp(p, magic, sizeof magic) == 0 && decode_at(ef, &area, at, bi))
			return true;
	}
	return false;
}

static bool read_blob(const struct elf_file *ef, struct go_buildinfo *bi)
{
	const struct elf_shdr *s = elf_section_by_name(ef, ".go.buildinfo");
	if (s && s->type != SHT_NOBITS && scan(ef, s->offset, s->size, s->addr, bi))
		return true;
	/* Go's linker names the blob's section whenever it writes section
	 * headers (strip keeps it: it is allocated), so a file with sections
	 * and no .go.buildinfo has none, and its data is not read through. */
	if (ef->nshdrs > 0 && !s)
		return false;
	/* Without sections, the blob sits in a writable, non-executable segment.
	 * Hostile files may repeat such segments over the same bytes: the bytes
	 * scanned in all are capped at twice the file's size. */
	uint64_t budget = 2 * ef->view.size;
	for (size_t i = 0; i < ef->nphdrs; i++) {
		const struct elf_phdr *p = &ef->phdrs[i];
		if (p->type != PT_LOAD || (p->flags & (PF_X | PF_W)) != PF_W)
			continue;
		uint64_t size = p->filesz < ef->view.size ? p->filesz : ef->view.size;
		if (size > budget)
			return false;
		budget -= size;
		if (scan(ef, p->offset, p->filesz, p->vaddr, bi))
			return true;
	}
	return false;
}

bool go_buildinfo_read(const struct elf_file *ef, struct go_buildinfo *bi)
{
	memset(bi, 0, sizeof *bi);
	if (read_blob(ef, bi)) {
		strcpy(bi->version_source, "build info");
		strcpy(bi->modinfo_source, "build info");
		return true;
	}
	go_buildinfo_recover(ef, bi);
	return bi->version != NULL;
}

void go_buildinfo_free(struct go_buildinfo *bi)
{
	free(bi->version);
	free(bi->modinfo);
	memset(bi, 0, sizeof *bi);
}
