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

#endif
