/* The kernel's view of each handler, as fs/binfmt_misc.c prints it:
 *
 *   enabled
 *   interpreter /usr/libexec/qemu-binfmt/aarch64-binfmt-P
 *   flags: POF
 *   offset 0
 *   magic 7f454c4602010100000000000000000002000b700
 *   mask ffffffffffffff00fffffffffffffffffeffffff
 *
 * An extension handler prints "extension .jar" instead: it never matches
 * an ELF file, so it is skipped. */
#include "loader/binfmt.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elf/elf.h"
#include "util/xalloc.h"

/* The kernel caps magic and mask at BINPRM_BUF_SIZE. */
enum { MAGIC_MAX = 256 };

static int hex_digit(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Whole hex pairs up to the first other character. */
static size_t unhex(const char *s, unsigned char *out, size_t cap)
{
	size_t n = 0;
	for (; n < cap && hex_digit(s[0]) >= 0 && hex_digit(s[1]) >= 0; s += 2)
		out[n++] = (unsigned char)(hex_digit(s[0]) << 4 | hex_digit(s[1]));
	return n;
}

static bool read_small(const char *path, char *buf, size_t cap)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return false;
	size_t n = fread(buf, 1, cap - 1, f);
	fclose(f);
	buf[n] = '\0';
	return true;
}

static const char *field(const char *text, const char *key)
{
	size_t k = strlen(key);
	for (const char *line = text; *line; line += strcspn(line, "\n"), line += *line == '\n')
		if (strncmp(line, key, k) == 0)
			return line + k;
	return NULL;
}

static bool entry_matches(const char *text, const unsigned char *head, size_t len, char *interp, size_t interp_len)
{
	if (strncmp(text, "enabled\n", 8) != 0)
		return false;
	const char *off = field(text, "offset "), *magic_hex = field(text, "magic "), *mask_hex = field(text, "mask ");
	const char *interpreter = field(text, "interpreter ");
	if (!off || !magic_hex || !interpreter)
		return false;
	unsigned long offset = 0;
	if (sscanf(off, "%lu", &offset) != 1)
		return false;
	unsigned char magic[MAGIC_MAX], mask[MAGIC_MAX];
	size_t n = unhex(magic_hex, magic, sizeof magic);
	size_t nmask = mask_hex ? unhex(mask_hex, mask, sizeof mask) : 0;
	if (n == 0 || offset > len || n > len - offset)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char m = i < nmask ? mask[i] : 0xff;
		if ((head[offset + i] & m) != (magic[i] & m))
			return false;
	}
	size_t ilen = strcspn(interpreter, "\n");
	snprintf(interp, interp_len, "%.*s", (int)ilen, interpreter);
	return true;
}

bool binfmt_find(const char *dir, const unsigned char *head, size_t len, char *name, size_t name_len,
		 char *interp, size_t interp_len)
{
	char path[4096], text[4096];
	snprintf(path, sizeof path, "%s/status", dir);
	if (!read_small(path, text, sizeof text) || strncmp(text, "enabled", 7) != 0)
		return false;
	DIR *d = opendir(dir);
	if (!d)
		return false;
	bool found = false;
	struct dirent *e;
	while (!found && (e = readdir(d))) {
		if (e->d_name[0] == '.' || strcmp(e->d_name, "status") == 0 || strcmp(e->d_name, "register") == 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		if (read_small(path, text, sizeof text) && entry_matches(text, head, len, interp, interp_len)) {
			snprintf(name, name_len, "%s", e->d_name);
			found = true;
		}
	}
	closedir(d);
	return found;
}

const char *binfmt_elf_machine(const char *text, char *buf, size_t len)
{
	const char *off = field(text, "offset "), *magic_hex = field(text, "magic ");
	if (!off || !magic_hex || strncmp(off, "0\n", 2) != 0)
		return NULL;
	unsigned char magic[MAGIC_MAX];
	size_t n = unhex(magic_hex, magic, sizeof magic);
	/* e_ident, e_type and e_machine: the machine is bytes 18-19 in the
	 * header's own byte order (EI_DATA, byte 5). */
	if (n < 20 || memcmp(magic, "\x7f" "ELF", 4) != 0 || (magic[4] != 1 && magic[4] != 2) ||
	    (magic[5] != 1 && magic[5] != 2))
		return NULL;
	bool big = magic[5] == 2;
	uint16_t machine = big ? (uint16_t)(magic[18] << 8 | magic[19]) : (uint16_t)(magic[19] << 8 | magic[18]);
	return elf_machine_name(machine, magic[4] == 2 ? 64 : 32, big, buf, len);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct binfmt_entry *)a)->name, ((const struct binfmt_entry *)b)->name);
}

int binfmt_list(const char *dir, struct binfmt_entry **entries, size_t *count, bool *enabled)
{
	*entries = NULL;
	*count = 0;
	*enabled = false;
	char path[4096], text[4096];
	snprintf(path, sizeof path, "%s/status", dir);
	if (!read_small(path, text, sizeof text))
		return -1;
	*enabled = strncmp(text, "enabled", 7) == 0;
	DIR *d = opendir(dir);
	if (!d)
		return -1;
	size_t cap = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' || strcmp(e->d_name, "status") == 0 || strcmp(e->d_name, "register") == 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		if (!read_small(path, text, sizeof text))
			continue;
		struct binfmt_entry b;
		memset(&b, 0, sizeof b);
		snprintf(b.name, sizeof b.name, "%s", e->d_name);
		b.enabled = strncmp(text, "enabled\n", 8) == 0;
		b.magic = field(text, "magic ") != NULL;
		const char *v = field(text, "interpreter ");
		if (v)
			snprintf(b.interpreter, sizeof b.interpreter, "%.*s", (int)strcspn(v, "\n"), v);
		if ((v = field(text, "flags: ")))
			snprintf(b.flags, sizeof b.flags, "%.*s", (int)strcspn(v, "\n"), v);
		char buf[24];
		const char *m = binfmt_elf_machine(text, buf, sizeof buf);
		snprintf(b.machine, sizeof b.machine, "%s", m ? m : "");
		XPUSH(*entries, *count, cap, b);
	}
	closedir(d);
	if (*count)
		qsort(*entries, *count, sizeof **entries, by_name);
	return 0;
}
