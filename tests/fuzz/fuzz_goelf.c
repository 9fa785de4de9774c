#include "fuzz_goelf.h"

#include <elf.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

static size_t align16(size_t n)
{
	return (n + 15) & ~(size_t)15;
}

unsigned char *goelf_build(const struct goelf_section *s, size_t n, size_t *size)
{
	if (n > GOELF_MAX_SECTIONS)
		abort();
	char shstr[256] = "";
	size_t shstr_len = 1, name_at[GOELF_MAX_SECTIONS + 1], data_at[GOELF_MAX_SECTIONS];
	size_t end = GOELF_FIRST;
	for (size_t i = 0; i < n; i++) {
		data_at[i] = end;
		end = align16(end + s[i].size);
		name_at[i] = shstr_len;
		size_t l = strlen(s[i].name) + 1;
		if (shstr_len + l + 10 > sizeof shstr)
			abort();
		memcpy(shstr + shstr_len, s[i].name, l);
		shstr_len += l;
	}
	name_at[n] = shstr_len;
	memcpy(shstr + shstr_len, ".shstrtab", 10);
	shstr_len += 10;
	size_t shstr_at = end, shoff = align16(shstr_at + shstr_len);
	size_t nsh = n + 2, total = shoff + nsh * sizeof(Elf64_Shdr);

	unsigned char *img = xcalloc(1, total);
	Elf64_Ehdr eh = {
		.e_ident = { ELFMAG0, ELFMAG1, ELFMAG2, ELFMAG3, ELFCLASS64, ELFDATA2LSB, EV_CURRENT, ELFOSABI_SYSV },
		.e_type = ET_EXEC, .e_machine = EM_X86_64, .e_version = EV_CURRENT,
		.e_entry = GOELF_BASE + GOELF_FIRST, .e_phoff = sizeof eh, .e_shoff = shoff,
		.e_ehsize = sizeof eh, .e_phentsize = sizeof(Elf64_Phdr), .e_phnum = 1,
		.e_shentsize = sizeof(Elf64_Shdr), .e_shnum = (Elf64_Half)nsh, .e_shstrndx = (Elf64_Half)(n + 1),
	};
	Elf64_Phdr ph = {
		.p_type = PT_LOAD, .p_flags = PF_R | PF_W, .p_offset = 0, .p_vaddr = GOELF_BASE,
		.p_paddr = GOELF_BASE, .p_filesz = total, .p_memsz = total, .p_align = 0x1000,
	};
	memcpy(img, &eh, sizeof eh);
	memcpy(img + sizeof eh, &ph, sizeof ph);
	Elf64_Shdr *sh = (Elf64_Shdr *)(img + shoff);
	for (size_t i = 0; i < n; i++) {
		if (s[i].size)
			memcpy(img + data_at[i], s[i].data, s[i].size);
		sh[i + 1] = (Elf64_Shdr){
			.sh_name = (Elf64_Word)name_at[i], .sh_type = SHT_PROGBITS, .sh_flags = SHF_ALLOC | SHF_WRITE,
			.sh_addr = GOELF_BASE + data_at[i], .sh_offset = data_at[i], .sh_size = s[i].size,
			.sh_addralign = 16,
		};
	}
	memcpy(img + shstr_at, shstr, shstr_len);
	sh[n + 1] = (Elf64_Shdr){
		.sh_name = (Elf64_Word)name_at[n], .sh_type = SHT_STRTAB, .sh_offset = shstr_at,
		.sh_size = shstr_len, .sh_addralign = 1,
	};
	*size = total;
	return img;
}

/* cmd/go's frames (modload.infoStart and infoEnd). */
static const unsigned char frame_start[16] = { 0x30, 0x77, 0xaf, 0x0c, 0x92, 0x74, 0x08, 0x02,
					       0x41, 0xe1, 0xc1, 0x07, 0xe6, 0xd6, 0x18, 0xe6 };
static const unsigned char frame_end[16] = { 0xf9, 0x32, 0x43, 0x31, 0x86, 0x18, 0x20, 0x72,
					     0x00, 0x82, 0x42, 0x10, 0x41, 0x16, 0xd8, 0xf2 };

unsigned char *goelf_framed(const void *text, size_t len, size_t *size)
{
	unsigned char *p = xmalloc(len + 32);
	memcpy(p, frame_start, 16);
	if (len)
		memcpy(p + 16, text, len);
	memcpy(p + 16 + len, frame_end, 16);
	*size = len + 32;
	return p;
}

static size_t put_uvarint(unsigned char *p, size_t v)
{
	size_t n = 0;
	for (; v >= 0x80; v >>= 7)
		p[n++] = (unsigned char)(v | 0x80);
	p[n++] = (unsigned char)v;
	return n;
}

unsigned char *goelf_buildinfo(const char *version, const void *modinfo, size_t len, size_t *size)
{
	size_t framed_len = 0;
	unsigned char *framed = modinfo ? goelf_framed(modinfo, len, &framed_len) : NULL;
	size_t vlen = strlen(version);
	unsigned char *p = xcalloc(1, 32 + 10 + vlen + 10 + framed_len);
	memcpy(p, "\xff Go buildinf:", 14);
	p[14] = 8; /* pointer size */
	p[15] = 2; /* little endian, inline strings */
	size_t at = 32;
	at += put_uvarint(p + at, vlen);
	memcpy(p + at, version, vlen);
	at += vlen;
	at += put_uvarint(p + at, framed_len);
	if (framed_len)
		memcpy(p + at, framed, framed_len);
	at += framed_len;
	free(framed);
	*size = at;
	return p;
}
