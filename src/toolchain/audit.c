/* Who can change a GOROOT. cmd/go runs GOROOT/bin/go, the tools in
 * pkg/tool and compiles src/ into every build, and rename(2) needs only
 * write permission on a directory, so a tree (or a parent) writable by a
 * group, by others or by a user other than its root owner hands every
 * build to them. Walked with lstat: links are reported, never followed. */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "toolchain/toolchain.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

enum { EXAMPLES = 3 };

/* One kind of problem: how many entries, and the first few. */
struct tally {
	size_t count;
	struct strbuf examples;
};

struct walk {
	const char *goroot;
	size_t entries, max_entries;
	unsigned max_depth;
	bool truncated, root_prefix; /* the parent of GOROOT is root's */
	uid_t owner;
	struct tally group_w, other_w, user_owned, setid, escapes, escapes_safe;
};

static void tally(struct tally *t, const char *path)
{
	if (t->count++ < EXAMPLES)
		sb_appendf(&t->examples, "%s%s", t->count > 1 ? ", " : "", path);
}

static char *user_name(uid_t uid)
{
	struct passwd pw, *res = NULL;
	char buf[1024];
	if (getpwuid_r(uid, &pw, buf, sizeof buf, &res) == 0 && res)
		return xstrdup(res->pw_name);
	char n[32];
	snprintf(n, sizeof n, "%u", (unsigned)uid);
	return xstrdup(n);
}

/* Whether the link's target, resolved lexically from its directory, stays
 * under goroot. */
static bool link_inside(const char *goroot, const char *path, const char *target)
{
	if (target[0] == '/') {
		size_t gl = strlen(goroot);
		return strncmp(target, goroot, gl) == 0 && (target[gl] == '/' || target[gl] == '\0') &&
		       !strstr(target + gl, "/../");
	}
	/* Depth of path below goroot, minus the ".." of the target. */
	int depth = 0;
	for (const char *p = path + strlen(goroot); *p; p++)
		if (*p == '/' && p[1] && p[1] != '/')
			depth++;
	depth--; /* the link's own name */
	for (const char *p = target; *p;) {
		const char *e = strchr(p, '/');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			if (--depth < 0)
				return false;
		} else if (n && !(n == 1 && p[0] == '.')) {
			depth++;
		}
		p += n + (e ? 1 : 0);
	}
	return true;
}

static void visit(struct walk *w, const char *path, const struct stat *st)
{
	const char *shown = path;
	if (S_ISLNK(st->st_mode)) {
		char target[PATH_MAX];
		ssize_t n = readlink(path, target, sizeof target - 1);
		if (n < 0)
			return;
		target[n] = '\0';
		if (!link_inside(w->goroot, path, target)) {
			/* Debian links src/ and api/ into /usr/share: harmless when
			 * the place it reaches is root's and closed to others. */
			struct stat ts;
			char *real = realpath(path, NULL);
			bool safe = real && stat(real, &ts) == 0 && ts.st_uid == 0 && !(ts.st_mode & 022);
			char *ex = xmalloc(strlen(shown) + strlen(target) + 8);
			sprintf(ex, "%s -> %s", shown, target);
			tally(safe ? &w->escapes_safe : &w->escapes, ex);
			free(ex);
			free(real);
		}
		return; /* a link's own mode bits mean nothing */
	}
	/* A sticky directory only lets owners rename their entries. */
	bool sticky_dir = S_ISDIR(st->st_mode) && (st->st_mode & S_ISVTX);
	if ((st->st_mode & S_IWOTH) && !sticky_dir)
		tally(&w->other_w, shown);
	else if ((st->st_mode & S_IWGRP) && !sticky_dir)
		tally(&w->group_w, shown);
	if (w->root_prefix && st->st_uid != 0)
		tally(&w->user_owned, shown);
	if (!S_ISDIR(st->st_mode) && (st->st_mode & (S_ISUID | S_ISGID)))
		tally(&w->setid, shown);
}

static void walk_dir(struct walk *w, const char *dir, unsigned depth)
{
	if (depth > w->max_depth) {
		w->truncated = true;
		return;
	}
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (w->entries >= w->max_entries) {
			w->truncated = true;
			break;
		}
		w->entries++;
		char *p = path_join(dir, de->d_name);
		struct stat st;
		if (lstat(p, &st) == 0) {
			visit(w, p, &st);
			if (S_ISDIR(st.st_mode))
				walk_dir(w, p, depth + 1);
		}
		free(p);
	}
	closedir(d);
}

static void report(struct findings *out, struct tally *t, const char *id, enum severity sev, const char *fix,
		   const char *what)
{
	if (t->count) {
		char *ex = sb_take(&t->examples);
		findings_add(out, id, sev, ex, fix, "%zu %s", t->count, what);
		free(ex);
	}
}

void tc_audit(const char *goroot, size_t max_entries, unsigned max_depth, struct findings *out, char **owner)
{
	*owner = NULL;
	struct stat st;
	if (lstat(goroot, &st) != 0)
		return;
	struct walk w = { .goroot = goroot, .max_entries = max_entries, .max_depth = max_depth, .owner = st.st_uid };
	*owner = user_name(st.st_uid);
	char *parent = path_dirname(goroot);
	struct stat ps;
	w.root_prefix = stat(parent, &ps) == 0 && ps.st_uid == 0;
	visit(&w, goroot, &st);
	if (S_ISDIR(st.st_mode))
		walk_dir(&w, goroot, 1);

	char fix[PATH_MAX * 2 + 64];
	snprintf(fix, sizeof fix, "chown -R root:root %s && chmod -R go-w %s", goroot, goroot);
	report(out, &w.other_w, "goroot-world-writable", SEV_FAIL, fix,
	       "entries writable by every user: anyone can change what every build links");
	report(out, &w.group_w, "goroot-group-writable", SEV_WARN, fix,
	       "entries writable by their group: its members can change what every build links");
	if (w.user_owned.count) {
		char what[PATH_MAX + 160];
		snprintf(what, sizeof what, "entries owned by a user other than root under the root-owned %s: "
			 "that user can change what every build links", parent);
		report(out, &w.user_owned, "goroot-user-owned", SEV_WARN, fix, what);
	}
	char setfix[PATH_MAX + 64];
	snprintf(setfix, sizeof setfix, "find %s -type f -perm /6000 -exec chmod ug-s {} +", goroot);
	report(out, &w.setid, "goroot-setuid", SEV_WARN, setfix,
	       "setuid or setgid files: a Go release has none");
	char linkfix[PATH_MAX + 64];
	snprintf(linkfix, sizeof linkfix, "reinstall %s from the release tarball (rm -rf first)", goroot);
	report(out, &w.escapes, "goroot-link-escapes", SEV_WARN, linkfix,
	       "symbolic links leave the tree to a place it does not control");
	report(out, &w.escapes_safe, "goroot-link-escapes", SEV_OK, NULL,
	       "symbolic links leave the tree to root-owned places closed to others (as Debian's packages do)");
	/* The parents: a writable one lets its group swap the whole tree. */
	for (char *p = parent; p && strcmp(p, "/") != 0 && strcmp(p, ".") != 0;) {
		struct stat s;
		if (stat(p, &s) == 0 && (s.st_mode & 022) && !(s.st_mode & S_ISVTX)) {
			char pf[PATH_MAX + 32];
			snprintf(pf, sizeof pf, "chmod go-w %s", p);
			findings_add(out, "goroot-parent-writable", (s.st_mode & S_IWOTH) ? SEV_FAIL : SEV_WARN, p, pf,
				     "the parent %s is writable by %s: it can replace the whole GOROOT", p,
				     (s.st_mode & S_IWOTH) ? "every user" : "its group");
		}
		char *up = path_dirname(p);
		if (p != parent)
			free(p);
		p = up;
		if (p && (strcmp(p, "/") == 0 || strcmp(p, ".") == 0)) {
			free(p);
			break;
		}
	}
	free(parent);
	if (w.truncated)
		findings_add(out, "goroot-walk-truncated", SEV_UNKNOWN, NULL, NULL,
			     "the walk stopped after %zu entries or %u levels: the rest was not audited", w.entries,
			     w.max_depth);
	for (struct tally *t = &w.group_w; t <= &w.escapes_safe; t++)
		free(sb_take(&t->examples));
}
