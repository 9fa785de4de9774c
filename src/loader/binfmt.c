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
#include <string.h>

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
