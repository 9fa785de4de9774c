#include "fuzz_tree.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/xalloc.h"

/* Writes the normalized form of RAW[0..len) to out; false when nothing is
 * left or it does not fit. */
static bool normalize(const char *raw, size_t len, char *out)
{
	size_t o = 0;
	for (size_t i = 0; i < len;) {
		size_t j = i;
		while (j < len && raw[j] != '/')
			j++;
		size_t n = j - i;
		bool skip = n == 0 || (n == 1 && raw[i] == '.') || (n == 2 && raw[i] == '.' && raw[i + 1] == '.');
		if (!skip) {
			if (o + (o > 0) + n >= FUZZ_TREE_MAX_PATH)
				return false;
			if (o > 0)
				out[o++] = '/';
			memcpy(out + o, raw + i, n);
			o += n;
		}
		i = j + 1;
	}
	out[o] = '\0';
	return o > 0;
}

/* The header line "TYPE PATH [TARGET]" (without "@@"); false for a line
 * that names no entry. */
static bool parse_header(const char *line, size_t len, struct fuzz_entry *e)
{
	/* A NUL ends the line: paths are C strings. */
	const char *nul = memchr(line, '\0', len);
	if (nul)
		len = (size_t)(nul - line);
	if (len < 3 || line[1] != ' ' || !strchr("fxdlhp", line[0]))
		return false;
	e->type = line[0];
	const char *path = line + 2, *end = line + len;
	const char *space = memchr(path, ' ', (size_t)(end - path));
	const char *path_end = space ? space : end;
	if (!normalize(path, (size_t)(path_end - path), e->path))
		return false;
	e->target[0] = '\0';
	if (e->type == 'l' || e->type == 'h') {
		if (!space)
			return false;
		const char *t = space + 1;
		size_t tlen = (size_t)(end - t);
		if (e->type == 'h')
			return normalize(t, tlen, e->target);
		if (tlen == 0 || tlen >= FUZZ_TREE_MAX_PATH)
			return false;
		memcpy(e->target, t, tlen);
		e->target[tlen] = '\0';
	}
	return true;
}

/* Where the next "\n@@" starts at or after FROM, or SIZE. */
static size_t next_marker(const uint8_t *data, size_t size, size_t from)
{
	for (size_t i = from; i + 3 <= size; i++) {
		const uint8_t *p = memchr(data + i, '\n', size - i);
		if (!p)
			break;
		i = (size_t)(p - data);
		if (i + 3 <= size && p[1] == '@' && p[2] == '@')
			return i;
	}
	return size;
}

size_t fuzz_tree_split(const uint8_t *data, size_t size, const char *first, struct fuzz_entry *out)
{
	size_t n = 0;
	size_t end = next_marker(data, size, 0);
	if (normalize(first, strlen(first), out[0].path)) {
		out[0].type = 'f';
		out[0].target[0] = '\0';
		out[0].data = data;
		out[0].size = end;
		n = 1;
	}
	while (end < size && n < FUZZ_TREE_MAX_ENTRIES) {
		size_t head = end + 3; /* past "\n@@" */
		const uint8_t *nl = memchr(data + head, '\n', size - head);
		size_t head_end = nl ? (size_t)(nl - data) : size;
		size_t body = nl ? head_end + 1 : size;
		end = next_marker(data, size, head_end);
		/* The body's first newline is the header's own; a body that
		 * starts at the next marker is empty. */
		if (body > end)
			body = end;
		struct fuzz_entry *e = &out[n];
		if (!parse_header((const char *)data + head, head_end - head, e))
			continue;
		e->data = data + body;
		e->size = end - body;
		n++;
	}
	return n;
}

void fuzz_tree_to_memory(struct fsroot_tree *tree, const struct fuzz_entry *e, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		switch (e[i].type) {
		case 'f':
		case 'x': {
			void *copy = xmalloc(e[i].size ? e[i].size : 1);
			memcpy(copy, e[i].data, e[i].size);
			fsroot_tree_put(tree, e[i].path, S_IFREG | (e[i].type == 'x' ? 0755 : 0644), copy, e[i].size,
					NULL);
			break;
		}
		case 'd':
			fsroot_tree_put(tree, e[i].path, S_IFDIR | 0755, NULL, 0, NULL);
			break;
		case 'l':
			fsroot_tree_put(tree, e[i].path, S_IFLNK | 0777, NULL, 0, e[i].target);
			break;
		case 'h':
			fsroot_tree_link(tree, e[i].path, e[i].target);
			break;
		case 'p':
			fsroot_tree_put(tree, e[i].path, S_IFIFO | 0644, NULL, 0, NULL);
			break;
		}
	}
}

/* The directory that holds PATH's last component, below DIRFD, made as
 * needed, every component opened without following a symlink; -1 when
 * some component is not a real directory. *last gets the last component. */
static int open_parent(int dirfd, const char *path, bool create, const char **last)
{
	int fd = dup(dirfd);
	const char *p = path;
	for (const char *slash; fd >= 0 && (slash = strchr(p, '/')) != NULL; p = slash + 1) {
		char name[FUZZ_TREE_MAX_PATH];
		memcpy(name, p, (size_t)(slash - p));
		name[slash - p] = '\0';
		if (create)
			mkdirat(fd, name, 0755);
		int next = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		close(fd);
		fd = next;
	}
	*last = p;
	return fd;
}

static void write_file(int fd, const char *name, const struct fuzz_entry *e)
{
	/* O_NOFOLLOW: an existing symlink of that name is not written through. */
	int out = openat(fd, name, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC,
			 e->type == 'x' ? 0755 : 0644);
	if (out < 0)
		return;
	struct stat st;
	/* Only a regular file, not a FIFO or device made by an earlier entry;
	 * a hard link is fine, as it was made from inside the tree. */
	if (fstat(out, &st) == 0 && S_ISREG(st.st_mode)) {
		for (size_t done = 0; done < e->size;) {
			ssize_t w = write(out, e->data + done, e->size - done);
			if (w <= 0)
				break;
			done += (size_t)w;
		}
	}
	close(out);
}

void fuzz_tree_to_disk(int dirfd, const struct fuzz_entry *e, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *name;
		int fd = open_parent(dirfd, e[i].path, true, &name);
		if (fd < 0)
			continue;
		switch (e[i].type) {
		case 'f':
		case 'x':
			write_file(fd, name, &e[i]);
			break;
		case 'd':
			mkdirat(fd, name, 0755);
			break;
		case 'l':
			symlinkat(e[i].target, fd, name);
			break;
		case 'h': {
			/* The existing file is reached the same careful way, and
			 * linkat does not follow a final symlink: only a file of
			 * the tree ever gets a second name. */
			const char *old;
			int from = open_parent(dirfd, e[i].target, false, &old);
			if (from >= 0) {
				linkat(from, old, fd, name, 0);
				close(from);
			}
			break;
		}
		case 'p':
			mkfifoat(fd, name, 0644);
			break;
		}
		close(fd);
	}
}

void fuzz_tree_clear(int dirfd)
{
	int fd = dup(dirfd);
	if (fd < 0)
		return;
	DIR *d = fdopendir(fd);
	if (!d) {
		close(fd);
		return;
	}
	/* Entries removed while reading may hide others from readdir, so
	 * read again until a pass removes nothing. */
	for (bool removed = true; removed;) {
		removed = false;
		rewinddir(d);
		struct dirent *de;
		while ((de = readdir(d)) != NULL) {
			if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
				continue;
			bool gone = unlinkat(dirfd, de->d_name, 0) == 0;
			if (!gone && errno == EISDIR) {
				int sub = openat(dirfd, de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
				if (sub >= 0) {
					fuzz_tree_clear(sub);
					close(sub);
				}
				gone = unlinkat(dirfd, de->d_name, AT_REMOVEDIR) == 0;
			}
			removed |= gone;
		}
	}
	closedir(d);
}
