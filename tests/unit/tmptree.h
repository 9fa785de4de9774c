/* Temporary directory trees for tests that need a real file system (target
 * roots, ld.so.conf). Include after test_common.h: failures are cmocka
 * assertions. */
#ifndef CANRUN_TMPTREE_H
#define CANRUN_TMPTREE_H

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct tmptree {
	char path[PATH_MAX];
};

static inline void tt_create(struct tmptree *t)
{
	const char *tmp = getenv("TMPDIR");
	if (!tmp || !*tmp)
		tmp = "/tmp";
	int n = snprintf(t->path, sizeof t->path, "%s/canrun-test-XXXXXX", tmp);
	assert_true(n > 0 && (size_t)n < sizeof t->path);
	assert_non_null(mkdtemp(t->path));
}

/* ROOT/REL into out (PATH_MAX bytes). */
static inline void tt_path(const struct tmptree *t, const char *rel, char *out)
{
	int n = snprintf(out, PATH_MAX, "%s/%s", t->path, rel);
	assert_true(n > 0 && n < PATH_MAX);
}

/* mkdir -p ROOT/REL */
static inline void tt_dir(const struct tmptree *t, const char *rel)
{
	char p[PATH_MAX];
	tt_path(t, rel, p);
	for (char *s = p + strlen(t->path) + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		assert_true(mkdir(p, 0755) == 0 || errno == EEXIST);
		*s = '/';
	}
	assert_true(mkdir(p, 0755) == 0 || errno == EEXIST);
}

/* Creates REL's parent directories. */
static inline void tt_parent(const struct tmptree *t, const char *rel)
{
	const char *slash = strrchr(rel, '/');
	if (!slash || slash == rel)
		return;
	char dir[PATH_MAX];
	assert_true((size_t)(slash - rel) < sizeof dir);
	memcpy(dir, rel, (size_t)(slash - rel));
	dir[slash - rel] = '\0';
	tt_dir(t, dir);
}

static inline void tt_file(const struct tmptree *t, const char *rel, const char *content)
{
	tt_parent(t, rel);
	char p[PATH_MAX];
	tt_path(t, rel, p);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	assert_true(fputs(content, f) >= 0);
	assert_int_equal(fclose(f), 0);
}

static inline void tt_link(const struct tmptree *t, const char *rel, const char *target)
{
	tt_parent(t, rel);
	char p[PATH_MAX];
	tt_path(t, rel, p);
	assert_int_equal(symlink(target, p), 0);
}

static inline void tt_fifo(const struct tmptree *t, const char *rel)
{
	tt_parent(t, rel);
	char p[PATH_MAX];
	tt_path(t, rel, p);
	assert_int_equal(mkfifo(p, 0644), 0);
}

static inline int tt_remove_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	return remove(path);
}

/* rm -rf ROOT, never following a link out of it. */
static inline void tt_remove(struct tmptree *t)
{
	if (!t->path[0])
		return;
	nftw(t->path, tt_remove_one, 16, FTW_DEPTH | FTW_PHYS);
	t->path[0] = '\0';
}

/* cmocka setup and teardown for a test that gets a fresh tree as *state
 * (and the watchdog of test_common.h). */
static inline int tt_setup(void **state)
{
	watchdog_on(state);
	struct tmptree *t = calloc(1, sizeof *t);
	assert_non_null(t);
	tt_create(t);
	*state = t;
	return 0;
}

static inline int tt_teardown(void **state)
{
	struct tmptree *t = *state;
	tt_remove(t);
	free(t);
	return watchdog_off(state);
}

#endif
