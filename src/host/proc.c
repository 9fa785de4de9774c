#include "host/proc.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/xalloc.h"

ssize_t proc_read(const char *path, char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	size_t n = 0;
	while (n + 1 < cap) {
		ssize_t r = read(fd, buf + n, cap - 1 - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			if (r < 0) {
				close(fd);
				return -1;
			}
			break;
		}
		n += (size_t)r;
	}
	close(fd);
	buf[n] = '\0';
	return (ssize_t)n;
}

char *proc_read_all(const char *path, size_t *len)
{
	enum { LIMIT = 16 << 20 };
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	size_t cap = 4096, n = 0;
	char *buf = xmalloc(cap);
	for (;;) {
		if (n + 1 >= cap) {
			if (cap >= LIMIT)
				break;
			cap *= 2;
			buf = xrealloc(buf, cap);
		}
		ssize_t r = read(fd, buf + n, cap - 1 - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			close(fd);
			free(buf);
			return NULL;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	buf[n] = '\0';
	*len = n;
	return buf;
}

int status_field(const char *text, size_t len, const char *key, long *value)
{
	size_t k = strlen(key);
	for (const char *line = text, *end = text + len; line < end;) {
		const char *nl = memchr(line, '\n', (size_t)(end - line));
		const char *eol = nl ? nl : end;
		if ((size_t)(eol - line) > k && memcmp(line, key, k) == 0 && line[k] == ':') {
			char num[32];
			const char *v = line + k + 1;
			while (v < eol && (*v == ' ' || *v == '\t'))
				v++;
			size_t n = (size_t)(eol - v);
			if (n == 0 || n >= sizeof num)
				return -1;
			memcpy(num, v, n);
			num[n] = '\0';
			char *stop;
			errno = 0;
			long x = strtol(num, &stop, 10);
			if (*stop || errno)
				return -1;
			*value = x;
			return 0;
		}
		line = eol + 1;
	}
	return -1;
}

bool environ_value(const char *block, size_t len, const char *name, char *out, size_t outlen)
{
	size_t k = strlen(name);
	for (const char *p = block, *end = block + len; p < end;) {
		const char *nul = memchr(p, '\0', (size_t)(end - p));
		size_t n = nul ? (size_t)(nul - p) : (size_t)(end - p);
		if (n > k && memcmp(p, name, k) == 0 && p[k] == '=') {
			snprintf(out, outlen, "%.*s", (int)(n - k - 1), p + k + 1);
			return true;
		}
		p += n + 1;
	}
	return false;
}

/* The inode numbers of the initial namespaces (include/linux/proc_ns.h):
 * any other one is a namespace of its own. */
static int own_namespace(const char *path, uint64_t initial_ino)
{
	struct stat st;
	if (stat(path, &st) < 0)
		return -1;
	return (uint64_t)st.st_ino != initial_ino;
}

static unsigned affinity_count(void)
{
	/* Go asks with an 8 KiB mask (runtime/os_linux.go getproccount). */
	enum { MASK_BYTES = 8192 };
	cpu_set_t *set = xcalloc(1, MASK_BYTES);
	unsigned n = 0;
	if (sched_getaffinity(0, MASK_BYTES, set) == 0)
		n = (unsigned)CPU_COUNT_S(MASK_BYTES, set);
	free(set);
	return n;
}

void container_read_host(struct container_facts *c)
{
	memset(c, 0, sizeof *c);
	struct stat st;
	c->dockerenv = stat("/.dockerenv", &st) == 0;
	c->containerenv = stat("/run/.containerenv", &st) == 0;
	if (proc_read("/run/systemd/container", c->systemd_container, sizeof c->systemd_container) > 0)
		c->systemd_container[strcspn(c->systemd_container, "\n")] = '\0';
	size_t len;
	char *env = proc_read_all("/proc/1/environ", &len);
	if (env) {
		c->environ_readable = true;
		environ_value(env, len, "container", c->environ_container, sizeof c->environ_container);
		free(env);
	}
	c->cgroup_ns = own_namespace("/proc/self/ns/cgroup", 0xEFFFFFFBu);
	c->pid_ns = own_namespace("/proc/self/ns/pid", 0xEFFFFFFCu);
	c->detected = c->dockerenv || c->containerenv || c->systemd_container[0] || c->environ_container[0] ||
		      c->cgroup_ns == 1 || c->pid_ns == 1;

	c->seccomp = c->no_new_privs = -1;
	char *status = proc_read_all("/proc/self/status", &len);
	if (status) {
		status_field(status, len, "Seccomp", &c->seccomp);
		status_field(status, len, "NoNewPrivs", &c->no_new_privs);
		free(status);
	}
	long online = sysconf(_SC_NPROCESSORS_ONLN);
	c->cpus_online = online > 0 ? (unsigned)online : 0;
	c->cpus_affinity = affinity_count();
	c->page_size = sysconf(_SC_PAGESIZE);
}
