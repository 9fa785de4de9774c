#include "elf_builder.h"

#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *must(void *p)
{
	if (!p) {
		fputs("elf_builder: out of memory\n", stderr);
		abort();
	}
	return p;
}

void img_init(struct img *im, unsigned bits, bool be)
{
	memset(im, 0, sizeof *im);
	im->bits = bits;
	im->be = be;
}

void img_free(struct img *im)
{
	free(im->buf);
	memset(im, 0, sizeof *im);
}

size_t img_reserve(struct img *im, size_t n, size_t align)
{
	size_t off = align > 1 ? (im->len + align - 1) / align * align : im->len;
	size_t need = off + n;
	if (need > im->cap) {
		size_t cap = im->cap ? im->cap : 256;
		while (cap < need)
			cap *= 2;
		im->buf = must(realloc(im->buf, cap));
		im->cap = cap;
	}
	memset(im->buf + im->len, 0, need - im->len);
	im->len = need;
	return off;
}

size_t img_append(struct img *im, const void *data, size_t n, size_t align)
{
	size_t off = img_reserve(im, n, align);
	if (n)
		memcpy(im->buf + off, data, n);
	return off;
}

void img_fit(struct img *im)
{
	im->buf = must(realloc(im->buf, im->len ? im->len : 1));
	im->cap = im->len;
}

void img_put(struct img *im, size_t off, unsigned width, uint64_t v)
{
	if (off + width > im->len) {
		fprintf(stderr, "elf_builder: store of %u bytes at %zu past %zu\n", width, off, im->len);
		abort();
	}
	for (unsigned i = 0; i < width; i++) {
		unsigned shift = im->be ? 8 * (width - 1 - i) : 8 * i;
		im->buf[off + i] = (unsigned char)(v >> shift);
	}
}

unsigned img_wordsize(const struct img *im)
{
	return im->bits / 8;
}

void img_word(struct img *im, size_t off, uint64_t v)
{
	img_put(im, off, img_wordsize(im), v);
}

size_t ehdr_size(unsigned bits)
{
	return bits == 64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr);
}

size_t phdr_size(unsigned bits)
{
	return bits == 64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr);
}

size_t shdr_size(unsigned bits)
{
	return bits == 64 ? sizeof(Elf64_Shdr) : sizeof(Elf32_Shdr);
}

size_t sym_size(unsigned bits)
{
	return bits == 64 ? sizeof(Elf64_Sym) : sizeof(Elf32_Sym);
}

void img_ehdr(struct img *im, uint16_t type, uint16_t machine, uint64_t phoff, uint16_t phnum,
	      uint64_t shoff, uint16_t shnum, uint16_t shstrndx)
{
	unsigned w = img_wordsize(im);
	memcpy(im->buf, ELFMAG, SELFMAG);
	im->buf[EI_CLASS] = im->bits == 64 ? ELFCLASS64 : ELFCLASS32;
	im->buf[EI_DATA] = im->be ? ELFDATA2MSB : ELFDATA2LSB;
	im->buf[EI_VERSION] = EV_CURRENT;
	im->buf[EI_OSABI] = ELFOSABI_SYSV;
	img_put(im, 16, 2, type);
	img_put(im, 18, 2, machine);
	img_put(im, 20, 4, EV_CURRENT);
	img_word(im, 24, DI_BASE + 0x100);  /* e_entry */
	img_word(im, 24 + w, phoff);
	img_word(im, 24 + 2 * w, shoff);
	size_t rest = 24 + 3 * w;
	img_put(im, rest, 4, 0);            /* e_flags */
	img_put(im, rest + 4, 2, ehdr_size(im->bits));
	img_put(im, rest + 6, 2, phdr_size(im->bits));
	img_put(im, rest + 8, 2, phnum);
	img_put(im, rest + 10, 2, shdr_size(im->bits));
	img_put(im, rest + 12, 2, shnum);
	img_put(im, rest + 14, 2, shstrndx);
}

void img_phdr(struct img *im, uint64_t phoff, size_t index, const struct elf_phdr *p)
{
	size_t o = (size_t)phoff + index * phdr_size(im->bits);
	img_put(im, o, 4, p->type);
	if (im->bits == 64) {
		img_put(im, o + 4, 4, p->flags);
		img_put(im, o + 8, 8, p->offset);
		img_put(im, o + 16, 8, p->vaddr);
		img_put(im, o + 24, 8, p->paddr);
		img_put(im, o + 32, 8, p->filesz);
		img_put(im, o + 40, 8, p->memsz);
		img_put(im, o + 48, 8, p->align);
	} else {
		img_put(im, o + 4, 4, p->offset);
		img_put(im, o + 8, 4, p->vaddr);
		img_put(im, o + 12, 4, p->paddr);
		img_put(im, o + 16, 4, p->filesz);
		img_put(im, o + 20, 4, p->memsz);
		img_put(im, o + 24, 4, p->flags);
		img_put(im, o + 28, 4, p->align);
	}
}

void img_shdr(struct img *im, uint64_t shoff, size_t index, uint32_t name, const struct elf_shdr *s)
{
	unsigned w = img_wordsize(im);
	size_t o = (size_t)shoff + index * shdr_size(im->bits);
	img_put(im, o, 4, name);
	img_put(im, o + 4, 4, s->type);
	img_word(im, o + 8, s->flags);
	img_word(im, o + 8 + w, s->addr);
	img_word(im, o + 8 + 2 * w, s->offset);
	img_word(im, o + 8 + 3 * w, s->size);
	img_put(im, o + 8 + 4 * w, 4, s->link);
	img_put(im, o + 12 + 4 * w, 4, s->info);
	img_word(im, o + 16 + 4 * w, s->addralign);
	img_word(im, o + 16 + 5 * w, s->entsize);
}

void img_sym(struct img *im, size_t off, uint32_t name, uint8_t info, uint8_t other,
	     uint16_t shndx, uint64_t value, uint64_t size)
{
	img_put(im, off, 4, name);
	if (im->bits == 64) {
		img_put(im, off + 4, 1, info);
		img_put(im, off + 5, 1, other);
		img_put(im, off + 6, 2, shndx);
		img_put(im, off + 8, 8, value);
		img_put(im, off + 16, 8, size);
	} else {
		img_put(im, off + 4, 4, value);
		img_put(im, off + 8, 4, size);
		img_put(im, off + 12, 1, info);
		img_put(im, off + 13, 1, other);
		img_put(im, off + 14, 2, shndx);
	}
}

static size_t round_up(size_t x, size_t a)
{
	return (x + a - 1) / a * a;
}

size_t note_size(uint32_t namesz, uint32_t descsz, unsigned align)
{
	return round_up(round_up(12 + namesz, align) + descsz, align);
}

size_t img_note(struct img *im, size_t off, const void *name, uint32_t namesz, uint32_t type,
		const void *desc, uint32_t descsz, unsigned align)
{
	img_put(im, off, 4, namesz);
	img_put(im, off + 4, 4, descsz);
	img_put(im, off + 8, 4, type);
	memcpy(im->buf + off + 12, name, namesz);
	size_t d = off + round_up(12 + namesz, align);
	if (descsz)
		memcpy(im->buf + d, desc, descsz);
	return off + note_size(namesz, descsz, align);
}

void di_init(struct dimg *d, unsigned bits, bool be)
{
	memset(d, 0, sizeof *d);
	img_init(&d->im, bits, be);
	d->type = ET_DYN;
	d->machine = EM_X86_64;
	d->load_flags = PF_R | PF_X;
	img_reserve(&d->im, ehdr_size(bits), 1);
	d->phoff = img_reserve(&d->im, DI_MAX_PHDRS * phdr_size(bits), 8);
	d->nph = 1; /* the PT_LOAD, filled in by di_finish */
	d->strsz = 1; /* offset 0 is the empty string */
}

void di_free(struct dimg *d)
{
	img_free(&d->im);
}

uint64_t di_vaddr(size_t off)
{
	return DI_BASE + (uint64_t)off;
}

uint32_t di_str(struct dimg *d, const char *s)
{
	size_t n = strlen(s) + 1;
	for (size_t i = 0; i + n <= d->strsz; i++)
		if (memcmp(d->str + i, s, n) == 0)
			return (uint32_t)i;
	if (d->strsz + n > sizeof d->str)
		abort();
	memcpy(d->str + d->strsz, s, n);
	d->strsz += n;
	return (uint32_t)(d->strsz - n);
}

void di_dyn(struct dimg *d, int64_t tag, uint64_t val)
{
	if (d->ndyn >= DI_MAX_DYN)
		abort();
	d->dyn[d->ndyn].tag = tag;
	d->dyn[d->ndyn].val = val;
	d->ndyn++;
}

void di_phdr_at(struct dimg *d, uint32_t type, uint32_t flags, uint64_t offset, uint64_t vaddr,
		uint64_t filesz, uint64_t align)
{
	if (d->nph >= DI_MAX_PHDRS)
		abort();
	struct elf_phdr p = { type, flags, offset, vaddr, vaddr, filesz, filesz, align };
	d->ph[d->nph++] = p;
}

void di_phdr(struct dimg *d, uint32_t type, uint32_t flags, uint64_t offset, uint64_t filesz, uint64_t align)
{
	di_phdr_at(d, type, flags, offset, di_vaddr(offset), filesz, align);
}

void di_interp(struct dimg *d, const char *path)
{
	size_t n = strlen(path) + 1;
	size_t off = img_append(&d->im, path, n, 1);
	di_phdr(d, PT_INTERP, PF_R, off, n, 1);
}

uint32_t di_one_section(struct dimg *d, const char *name, const struct elf_shdr *s, const char *more,
			size_t more_len)
{
	char names[256];
	size_t head = (size_t)snprintf(names, sizeof names, "%c.shstrtab%c%s", 0, 0, name) + 1;
	if (head + more_len > sizeof names)
		abort();
	if (more_len)
		memcpy(names + head, more, more_len);
	size_t names_off = img_append(&d->im, names, head + more_len, 1);
	size_t shoff = img_reserve(&d->im, 3 * shdr_size(d->im.bits), 8);
	struct elf_shdr null = { 0 };
	struct elf_shdr strtab = { NULL, SHT_STRTAB, 0, 0, 0, 0, names_off, head + more_len, 1, 0 };
	img_shdr(&d->im, shoff, 0, 0, &null);
	img_shdr(&d->im, shoff, 1, 1, &strtab);
	img_shdr(&d->im, shoff, 2, 11, s);
	d->shoff = shoff;
	d->shnum = 3;
	d->shstrndx = 1;
	return (uint32_t)head;
}

size_t di_finish(struct dimg *d)
{
	struct img *im = &d->im;
	unsigned w = img_wordsize(im);
	if (d->ndyn) {
		d->str_off = img_append(im, d->str, d->strsz, 8);
		d->dyn_off = img_reserve(im, (d->ndyn + 1) * 2 * w, 8);
		for (size_t i = 0; i < d->ndyn; i++) {
			uint64_t val = d->dyn[i].val;
			/* Placeholders the builder resolves: the table it just wrote. */
			if (d->dyn[i].tag == DT_STRTAB && val == 0)
				val = di_vaddr(d->str_off);
			if (d->dyn[i].tag == DT_STRSZ && val == 0)
				val = d->strsz;
			img_word(im, d->dyn_off + i * 2 * w, (uint64_t)d->dyn[i].tag);
			img_word(im, d->dyn_off + i * 2 * w + w, val);
		}
		di_phdr(d, PT_DYNAMIC, PF_R | PF_W, d->dyn_off, (d->ndyn + 1) * 2 * w, w);
	}
	struct elf_phdr load = { PT_LOAD, d->load_flags, 0, DI_BASE, DI_BASE, im->len, im->len, 0x1000 };
	d->ph[0] = load;
	for (size_t i = 0; i < d->nph; i++)
		img_phdr(im, d->phoff, i, &d->ph[i]);
	img_ehdr(im, d->type, d->machine, d->phoff, (uint16_t)d->nph, d->shoff, d->shnum, d->shstrndx);
	img_fit(im);
	return im->len;
}

void di_patch_dyn(struct dimg *d, int64_t tag, uint64_t val)
{
	unsigned w = img_wordsize(&d->im);
	for (size_t i = 0; i < d->ndyn; i++) {
		if (d->dyn[i].tag == tag) {
			img_word(&d->im, d->dyn_off + i * 2 * w + w, val);
			return;
		}
	}
	abort();
}

int di_parse(struct dimg *d, struct elf_file *ef, struct cr_err *err)
{
	return elf_parse_memory(ef, d->im.buf, d->im.len, err);
}
