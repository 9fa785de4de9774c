/* binfmt_misc: handlers the kernel runs for files it would otherwise
 * refuse, such as qemu-user for another machine's programs. */
#ifndef CANRUN_BINFMT_H
#define CANRUN_BINFMT_H

#include <stdbool.h>
#include <stddef.h>

/* Where this machine's kernel lists its handlers. */
#define BINFMT_MISC_DIR "/proc/sys/fs/binfmt_misc"

/* Whether an enabled magic handler in DIR (laid out as BINFMT_MISC_DIR)
 * takes a file whose first bytes are HEAD. NAME and INTERP get the entry's
 * name and interpreter. False when DIR is absent or binfmt_misc is off. */
bool binfmt_find(const char *dir, const unsigned char *head, size_t len, char *name, size_t name_len,
		 char *interp, size_t interp_len);

/* One handler as the kernel lists it. */
struct binfmt_entry {
	char name[256];
	bool enabled;
	bool magic;            /* a magic handler ("extension" ones never take an ELF file) */
	char interpreter[256];
	char flags[16];
	char machine[24];      /* the ELF machine its magic takes (kernel spelling), or "" */
};

/* Every handler in DIR, in name order (malloc'd array). Returns 0, or -1
 * when DIR has no status file (binfmt_misc not mounted). *enabled tells
 * whether binfmt_misc as a whole is on. */
int binfmt_list(const char *dir, struct binfmt_entry **entries, size_t *count, bool *enabled);

/* The ELF machine a handler's magic and mask take, in the kernel's
 * spelling, or NULL when they do not describe an ELF header. */
const char *binfmt_elf_machine(const char *text, char *buf, size_t len);

#endif
