/* The floor for a header scan: the least any scanner must do. Walks each
 * directory recursively without following symlinks, opens every regular
 * file, reads its first 64 bytes (an ELF64 header), and counts the files
 * that start with the ELF magic. Nothing is parsed, nothing is printed per
 * file; what is left is the cost of the directory walk, the opens and the
 * reads, which no real tool can avoid.
 * Usage: floor DIR...   (prints the count; with -l, also each ELF path) */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static unsigned long elf_count;
static int list_paths;

/* The path is only built for -l, so the plain count pays for no string work. */
static void walk(int at, char *path, size_t len, size_t cap)
{
	DIR *dir = fdopendir(at);
	if (!dir) {
		close(at);
		return;
	}
	struct dirent *de;
	while ((de = readdir(dir)) != NULL) {
		const char *name = de->d_name;
		if (name[0] == '.' && (name[1] == '\0' || (name[1] == '.' && name[2] == '\0')))
			continue;
		unsigned char type = de->d_type;
		if (type == DT_UNKNOWN) {
			struct stat st;
			if (fstatat(at, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
				continue;
			type = S_ISDIR(st.st_mode) ? DT_DIR : S_ISREG(st.st_mode) ? DT_REG : DT_UNKNOWN;
		}
		if (type != DT_DIR && type != DT_REG)
			continue; /* symlinks, devices, sockets, fifos */
		size_t nlen = strlen(name), sub = len;
		if (list_paths) {
			if (len + nlen + 2 > cap)
				continue; /* deeper than any real tree; never print a wrong path */
			path[len] = '/';
			memcpy(path + len + 1, name, nlen + 1);
			sub = len + 1 + nlen;
		}
		if (type == DT_DIR) {
			int fd = openat(at, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (fd >= 0)
				walk(fd, path, sub, cap);
		} else {
			int fd = openat(at, name, O_RDONLY | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
			if (fd < 0)
				continue;
			unsigned char hdr[64];
			ssize_t n = read(fd, hdr, sizeof hdr);
			close(fd);
			if (n >= 4 && memcmp(hdr, "\177ELF", 4) == 0) {
				elf_count++;
				if (list_paths)
					puts(path);
			}
		}
		path[len] = '\0';
	}
	closedir(dir);
}

int main(int argc, char **argv)
{
	int first = 1;
	if (argc > 1 && strcmp(argv[1], "-l") == 0) {
		list_paths = 1;
		first = 2;
	}
	if (first >= argc) {
		fprintf(stderr, "usage: %s [-l] DIR...\n", argv[0]);
		return 64;
	}
	static char path[8192];
	for (int i = first; i < argc; i++) {
		int fd = open(argv[i], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0) {
			fprintf(stderr, "%s: %s: %s\n", argv[0], argv[i], strerror(errno));
			continue;
		}
		size_t len = strlen(argv[i]);
		while (len > 0 && argv[i][len - 1] == '/')
			len--; /* "/" walks as "", so its children read "/usr", not "//usr" */
		if (len >= sizeof path)
			len = sizeof path - 1;
		memcpy(path, argv[i], len);
		path[len] = '\0';
		walk(fd, path, len, sizeof path);
	}
	if (!list_paths)
		printf("%lu\n", elf_count);
	return 0;
}
