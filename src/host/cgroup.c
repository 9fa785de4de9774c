#include "host/cgroup.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>

#include "host/proc.h"

/* Whether the comma-separated LIST (LEN bytes) has the token WORD. */
static bool list_has(const char *list, size_t len, const char *word)
{
	size_t n = strlen(word);
	for (const char *p = list, *end = list + len; p < end;) {
		const char *comma = memchr(p, ',', (size_t)(end - p));
		size_t tok = comma ? (size_t)(comma - p) : (size_t)(end - p);
		if (tok == n && memcmp(p, word, n) == 0)
			return true;
		p += tok + 1;
	}
	return false;
}

static int copy_out(const char *s, size_t n, char *out, size_t outlen)
{
	if (n >= outlen)
		return -1;
	memcpy(out, s, n);
	out[n] = '\0';
	return 0;
}

int cgroup_relative_path(const char *text, size_t len, const char *controller, char *out, size_t outlen)
{
	int version = 0;
	out[0] = '\0';
	for (const char *line = text, *end = text + len; line < end;) {
		const char *nl = memchr(line, '\n', (size_t)(end - line));
		const char *eol = nl ? nl : end;
		const char *c1 = memchr(line, ':', (size_t)(eol - line));
		const char *c2 = c1 ? memchr(c1 + 1, ':', (size_t)(eol - c1 - 1)) : NULL;
		if (line == eol) {
			line = eol + 1;
			continue;
		}
		if (!c2)
			return -1;
		const char *path = c2 + 1;
		size_t plen = (size_t)(eol - path);
		if (c1 - line == 1 && line[0] == '0') {
			/* v2; a v1 hierarchy with the controller still wins. */
			if (copy_out(path, plen, out, outlen) < 0)
				return -1;
			version = 2;
		} else if (list_has(c1 + 1, (size_t)(c2 - c1 - 1), controller)) {
			return copy_out(path, plen, out, outlen) < 0 ? -1 : 1;
		}
		line = eol + 1;
	}
	/* Go takes an empty v2 path for "found nothing". */
	return version == 2 && out[0] ? 2 : 0;
}

int mountinfo_unescape(const char *in, size_t len, char *out, size_t outlen)
{
	size_t o = 0;
	for (size_t i = 0; i < len; o++) {
		if (o + 1 >= outlen)
			return -1;
		if (in[i] != '\\') {
			out[o] = in[i++];
			continue;
		}
		if (len - i < 4)
			return -1;
		unsigned c = 0;
		for (size_t k = 1; k <= 3; k++) {
			if (in[i + k] < '0' || in[i + k] > '7')
				return -1;
			c = c * 8 + (unsigned)(in[i + k] - '0');
		}
		if (c > 0xff)
			return -1;
		out[o] = (char)c;
		i += 4;
	}
	out[o] = '\0';
	return (int)o;
}

/* The next space-separated field of [*p, end); false when none. */
static bool next_field(const char **p, const char *end, const char **field, size_t *flen)
{
	const char *sp = memchr(*p, ' ', (size_t)(end - *p));
	*field = *p;
	*flen = sp ? (size_t)(sp - *p) : (size_t)(end - *p);
	*p = sp ? sp + 1 : end;
	return sp != NULL || *flen > 0;
}

int cgroup_mount_point(const char *text, size_t len, const char *controller, char *out, size_t outlen)
{
	int found = 0;
	out[0] = '\0';
	for (const char *line = text, *end = text + len; line < end;) {
		const char *nl = memchr(line, '\n', (size_t)(end - line));
		const char *eol = nl ? nl : end, *p = line, *f = NULL, *mnt = NULL;
		size_t flen = 0, mlen = 0;
		if (line == eol) {
			line = eol + 1;
			continue;
		}
		/* Fields 1-4, then 5: the mount point. */
		for (int i = 0; i < 5; i++)
			if (!next_field(&p, eol, &f, &flen) || p == eol)
				return -1;
		mnt = f;
		mlen = flen;
		/* Optional fields end at " - ". */
		const char *dash = NULL;
		for (const char *q = p; q + 2 < eol && !dash; q++)
			if ((q == p || q[-1] == ' ') && q[0] == '-' && q[1] == ' ')
				dash = q;
		if (!dash)
			return -1;
		p = dash + 2;
		const char *type, *source;
		size_t tlen, slen;
		if (!next_field(&p, eol, &type, &tlen))
			return -1;
		bool v2 = tlen == 7 && memcmp(type, "cgroup2", 7) == 0;
		bool v1 = tlen == 6 && memcmp(type, "cgroup", 6) == 0;
		if (v2) {
			if (mountinfo_unescape(mnt, mlen, out, outlen) < 0)
				return -1;
			found = 2;
		} else if (v1) {
			if (!next_field(&p, eol, &source, &slen))
				return -1;
			if (list_has(p, (size_t)(eol - p), controller))
				return mountinfo_unescape(mnt, mlen, out, outlen) < 0 ? -1 : 1;
		}
		line = eol + 1;
	}
	return found;
}

/* A decimal int64 filling [s, s+n) exactly, as Go's Atoi64. */
static bool parse_i64(const char *s, size_t n, int64_t *v)
{
	if (n == 0 || n > 20)
		return false;
	char buf[24];
	memcpy(buf, s, n);
	buf[n] = '\0';
	char *end;
	errno = 0;
	long long x = strtoll(buf, &end, 10);
	if (*end || errno || buf[0] == ' ' || buf[0] == '+')
		return false;
	*v = x;
	return true;
}

int cgroup_parse_number(const char *text, size_t len, int64_t *value)
{
	const char *nl = memchr(text, '\n', len);
	return nl && parse_i64(text, (size_t)(nl - text), value) ? 0 : -1;
}

int cgroup_parse_cpu_max(const char *text, size_t len, int64_t *quota, int64_t *period)
{
	const char *sp = memchr(text, ' ', len);
	if (!sp)
		return -1;
	if (sp - text == 3 && memcmp(text, "max", 3) == 0)
		return 0;
	const char *rest = sp + 1, *nl = memchr(rest, '\n', (size_t)(text + len - rest));
	if (!nl || !parse_i64(text, (size_t)(sp - text), quota) || !parse_i64(rest, (size_t)(nl - rest), period) ||
	    *period <= 0)
		return -1;
	return 1;
}

int cgroup_parse_memory(const char *text, size_t len, uint64_t *limit)
{
	size_t n = len;
	while (n && (text[n - 1] == '\n' || text[n - 1] == ' '))
		n--;
	if (n == 3 && memcmp(text, "max", 3) == 0)
		return 0;
	int64_t v;
	if (!parse_i64(text, n, &v))
		return -1;
	/* v1 prints -1 in some kernels, LONG_MAX rounded down to a page in
	 * others: anything from 2^62 up is no limit any machine has. */
	if (v < 0 || v >= INT64_C(1) << 62)
		return 0;
	*limit = (uint64_t)v;
	return 1;
}

unsigned go_maxprocs_default(unsigned ncpu, bool limited, double limit, bool go125)
{
	if (ncpu == 0)
		ncpu = 1; /* the runtime's answer when the mask cannot be read */
	if (!go125 || !limited)
		return ncpu;
	double want = ceil(limit);
	if (want < 2)
		want = 2;
	return want < (double)ncpu ? (unsigned)want : ncpu;
}

const char *cgroup_layout_name(enum cgroup_layout layout)
{
	switch (layout) {
	case CGROUP_V1: return "v1";
	case CGROUP_V2: return "v2";
	case CGROUP_HYBRID: return "hybrid";
	case CGROUP_OTHER: return "unknown";
	case CGROUP_ABSENT: break;
	}
	return "none";
}

#define CGROUP2_SUPER_MAGIC 0x63677270
#define TMPFS_MAGIC 0x01021994

/* systemd's rule (cg_unified_cached): cgroup2 at /sys/fs/cgroup is v2; a
 * tmpfs there is v1, or hybrid with cgroup2 at its "unified" below. */
static enum cgroup_layout host_layout(void)
{
	struct statfs fs;
	if (statfs("/sys/fs/cgroup/", &fs) < 0)
		return CGROUP_ABSENT;
	if ((unsigned long)fs.f_type == CGROUP2_SUPER_MAGIC)
		return CGROUP_V2;
	if ((unsigned long)fs.f_type != TMPFS_MAGIC)
		return CGROUP_OTHER;
	if (statfs("/sys/fs/cgroup/unified/", &fs) == 0 && (unsigned long)fs.f_type == CGROUP2_SUPER_MAGIC)
		return CGROUP_HYBRID;
	return CGROUP_V1;
}

/* Where the controller's files are: Go's lookup, mount point + path. */
static void find_controller(struct cgroup_controller *c, const char *name, const char *cgroup_text, size_t clen,
			    const char *mountinfo, size_t mlen)
{
	char rel[CGROUP_PATH_MAX], mnt[CGROUP_PATH_MAX];
	int v = cgroup_relative_path(cgroup_text, clen, name, rel, sizeof rel);
	int m = v > 0 ? cgroup_mount_point(mountinfo, mlen, name, mnt, sizeof mnt) : v;
	if (v <= 0 || m <= 0) {
		c->problem = v < 0 || m < 0 ? "malformed /proc/self/cgroup or mountinfo" : "no cgroup for it";
		return;
	}
	c->version = v;
	snprintf(c->dir, sizeof c->dir, "%s%s", mnt, strcmp(rel, "/") == 0 ? "" : rel);
}

static void read_cpu(struct cgroup_controller *c)
{
	char path[sizeof c->dir + 32], text[128];
	if (c->version == 2) {
		snprintf(path, sizeof path, "%s/cpu.max", c->dir);
		ssize_t n = proc_read(path, text, sizeof text);
		int rc = n < 0 ? -1 : cgroup_parse_cpu_max(text, (size_t)n, &c->quota_us, &c->period_us);
		if (rc < 0)
			c->problem = n < 0 ? "cpu.max unreadable (the root cgroup has none)" : "cpu.max malformed";
		c->limited = rc > 0;
	} else {
		snprintf(path, sizeof path, "%s/cpu.cfs_quota_us", c->dir);
		ssize_t n = proc_read(path, text, sizeof text);
		if (n < 0 || cgroup_parse_number(text, (size_t)n, &c->quota_us) < 0) {
			c->problem = "cpu.cfs_quota_us unreadable";
			return;
		}
		snprintf(path, sizeof path, "%s/cpu.cfs_period_us", c->dir);
		n = proc_read(path, text, sizeof text);
		if (n < 0 || cgroup_parse_number(text, (size_t)n, &c->period_us) < 0) {
			c->problem = "cpu.cfs_period_us unreadable";
			return;
		}
		c->limited = c->quota_us >= 0 && c->period_us > 0;
	}
	if (c->limited)
		c->cpus = (double)c->quota_us / (double)c->period_us;
}

static void read_memory(struct cgroup_controller *c)
{
	char path[sizeof c->dir + 32], text[128];
	snprintf(path, sizeof path, "%s/%s", c->dir, c->version == 2 ? "memory.max" : "memory.limit_in_bytes");
	ssize_t n = proc_read(path, text, sizeof text);
	int rc = n < 0 ? -1 : cgroup_parse_memory(text, (size_t)n, &c->bytes);
	if (rc < 0)
		c->problem = n < 0 ? "the limit file is unreadable" : "the limit file is malformed";
	c->limited = rc > 0;
}

void cgroup_read_host(struct cgroup_facts *cg)
{
	memset(cg, 0, sizeof *cg);
	cg->layout = host_layout();
	size_t clen = 0, mlen = 0;
	char *groups = proc_read_all("/proc/self/cgroup", &clen);
	char *mounts = proc_read_all("/proc/self/mountinfo", &mlen);
	if (!groups || !mounts) {
		/* Go: ENOENT is "not in a cgroup". */
		cg->cpu.problem = cg->memory.problem = "no /proc/self/cgroup or mountinfo";
	} else {
		find_controller(&cg->cpu, "cpu", groups, clen, mounts, mlen);
		find_controller(&cg->memory, "memory", groups, clen, mounts, mlen);
		if (cg->cpu.version)
			read_cpu(&cg->cpu);
		if (cg->memory.version)
			read_memory(&cg->memory);
	}
	free(groups);
	free(mounts);
}
