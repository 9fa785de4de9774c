/* Reading a profile into an in-memory root. The file is not trusted: every
 * field is checked, paths must be plain absolute paths, kept ranges must lie
 * inside their file, and the bytes decompressed are bounded, so a damaged
 * or hostile profile is one line of error. */
#include "target/profile.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "elf/elf_stub.h"
#include "target/machine.h"
#include "util/base64.h"
#include "util/gzmem.h"
#include "util/xalloc.h"

struct loader {
	struct fsroot_tree *tree;
	uint64_t kept; /* decompressed so far */
	struct cr_err *err;
	const char *path; /* the entry's, for messages */
	size_t index;
};

static int bad(struct loader *l, const char *why)
{
	if (l->path)
		return cr_fail(l->err, "files[%zu] (%.120s): %s", l->index, l->path, why);
	return cr_fail(l->err, "files[%zu]: %s", l->index, why);
}

/* "/a/b" with no empty, "." or ".." component; "/" is the root. Gives the
 * tree's form ("a/b", "" for the root). */
static const char *tree_path(const char *path, size_t len)
{
	if (len == 0 || len >= PATH_MAX || strlen(path) != len || path[0] != '/')
		return NULL;
	if (len == 1)
		return "";
	for (const char *p = path + 1;;) {
		size_t n = strcspn(p, "/");
		if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
			return NULL;
		p += n;
		if (!*p)
			return path + 1;
		p++;
	}
}

static bool get_mode(json_t *e, mode_t *mode)
{
	const char *m = json_string_value(json_object_get(e, "mode"));
	if (!m || strlen(m) != 4 || strspn(m, "01234567") != 4)
		return false;
	*mode = (mode_t)strtoul(m, NULL, 8);
	return true;
}

static bool get_u64(json_t *v, uint64_t max, uint64_t *out)
{
	if (!json_is_integer(v) || json_integer_value(v) < 0 || (uint64_t)json_integer_value(v) > max)
		return false;
	*out = (uint64_t)json_integer_value(v);
	return true;
}

static int load_file(struct loader *l, json_t *e, const char *rel, mode_t mode)
{
	uint64_t size;
	if (!get_u64(json_object_get(e, "size"), PROFILE_MAX_FILE_SIZE, &size))
		return bad(l, "no size, or more than the limit");
	json_t *kept = json_object_get(e, "kept");
	if (!json_is_array(kept) || json_array_size(kept) > size)
		return bad(l, "no list of kept ranges");
	struct stub_extents x = { xcalloc(json_array_size(kept) + 1, sizeof *x.ext), json_array_size(kept) };
	uint64_t at = 0, total = 0;
	for (size_t i = 0; i < x.n; i++) {
		json_t *r = json_array_get(kept, i);
		uint64_t off, len;
		if (!json_is_array(r) || json_array_size(r) != 2 || !get_u64(json_array_get(r, 0), size, &off) ||
		    !get_u64(json_array_get(r, 1), size - off, &len) || len == 0 || (i && off <= at)) {
			stub_extents_free(&x);
			return bad(l, "a kept range that is not inside the file, in order");
		}
		x.ext[i] = (struct stub_extent){ off, len };
		at = off + len;
		total += len;
	}
	if (total > PROFILE_MAX_KEPT - l->kept) {
		stub_extents_free(&x);
		return bad(l, "the profile keeps more bytes than canrun reads of one");
	}
	json_t *gz = json_object_get(e, "gzip");
	size_t zlen;
	unsigned char *z = json_is_string(gz) ? base64_decode(json_string_value(gz), json_string_length(gz),
							   PROFILE_MAX_BYTES, &zlen) : NULL;
	if (!z) {
		stub_extents_free(&x);
		return bad(l, "its bytes are not base64");
	}
	struct cr_err why;
	unsigned char *bytes = NULL;
	if (total == 0 && zlen == 0)
		bytes = xmalloc(1);
	else if (total == 0)
		cr_fail(&why, "bytes where none are kept");
	else
		bytes = gz_decompress(z, zlen, (size_t)total, &why);
	free(z);
	if (!bytes) {
		stub_extents_free(&x);
		return bad(l, why.msg);
	}
	l->kept += total;
	int e2 = fsroot_tree_put_sparse(l->tree, rel, S_IFREG | mode, size, &x, bytes);
	return e2 ? bad(l, strerror(e2)) : 0;
}

static int load_entry(struct loader *l, json_t *e)
{
	json_t *jp = json_object_get(e, "path");
	const char *type = json_string_value(json_object_get(e, "type"));
	l->path = json_string_value(jp);
	const char *rel = l->path ? tree_path(l->path, json_string_length(jp)) : NULL;
	if (!json_is_object(e) || !rel)
		return bad(l, "not an absolute path without \".\" or \"..\" components");
	if (!type)
		return bad(l, "no type");
	mode_t mode = 0;
	if (strcmp(type, "symlink") != 0 && !get_mode(e, &mode))
		return bad(l, "no mode, or not four octal digits");
	int err = 0;
	if (strcmp(type, "dir") == 0) {
		err = fsroot_tree_put(l->tree, rel, S_IFDIR | mode, NULL, 0, NULL);
	} else if (strcmp(type, "symlink") == 0) {
		json_t *t = json_object_get(e, "target");
		const char *target = json_string_value(t);
		if (!target || !*target || strlen(target) != json_string_length(t) || strlen(target) >= PATH_MAX)
			return bad(l, "a symlink without a target");
		err = fsroot_tree_put(l->tree, rel, S_IFLNK | 0777, NULL, 0, target);
	} else if (strcmp(type, "file") == 0) {
		return load_file(l, e, rel, mode);
	} else {
		return bad(l, "unknown type");
	}
	return err ? bad(l, strerror(err)) : 0;
}

static int load_target(json_t *t, struct profile_meta *meta, struct cr_err *err)
{
	const char *machine = json_string_value(json_object_get(t, "machine"));
	const char *kernel = json_string_value(json_object_get(t, "kernel"));
	json_t *level = json_object_get(t, "x86_level"), *root = json_object_get(t, "root");
	if (!json_is_object(t) || !machine || !machine_canonical(machine) || !kernel || strlen(kernel) >= sizeof meta->kernel ||
	    !json_is_integer(level) || json_integer_value(level) < 0 || json_integer_value(level) > 4 ||
	    !json_is_boolean(root))
		return cr_fail(err, "\"target\" lacks machine, kernel, x86_level or root");
	snprintf(meta->machine, sizeof meta->machine, "%s", machine_canonical(machine));
	snprintf(meta->kernel, sizeof meta->kernel, "%s", kernel);
	meta->x86_level = (unsigned)json_integer_value(level);
	meta->root = json_is_true(root);
	/* Older profiles lack it: the usual kernel, which runs them. */
	meta->no_i386 = json_is_false(json_object_get(t, "runs_i386"));
	const char *from = json_string_value(json_object_get(t, "saved_from"));
	snprintf(meta->saved_from, sizeof meta->saved_from, "%s", from ? from : "");
	return 0;
}

static struct fsroot_tree *load_doc(json_t *doc, struct profile_meta *meta, struct cr_err *err)
{
	json_t *format = json_object_get(doc, PROFILE_FORMAT_KEY);
	if (!json_is_object(doc) || !json_is_integer(format) || json_integer_value(format) < 1) {
		cr_fail(err, "not a canrun profile (no \"%s\" format number)", PROFILE_FORMAT_KEY);
		return NULL;
	}
	if (json_integer_value(format) > PROFILE_FORMAT) {
		cr_fail(err, "profile format %lld is newer than this canrun reads (%d): use a newer canrun",
			(long long)json_integer_value(format), PROFILE_FORMAT);
		return NULL;
	}
	if (load_target(json_object_get(doc, "target"), meta, err) < 0)
		return NULL;
	json_t *files = json_object_get(doc, "files");
	if (!json_is_array(files) || json_array_size(files) > PROFILE_MAX_FILES) {
		cr_fail(err, "\"files\" is not an array of at most %u entries", PROFILE_MAX_FILES);
		return NULL;
	}
	struct loader l = { fsroot_tree_new(), 0, err, NULL, 0 };
	for (l.index = 0; l.index < json_array_size(files); l.index++) {
		if (load_entry(&l, json_array_get(files, l.index)) < 0) {
			fsroot_tree_free(l.tree);
			return NULL;
		}
	}
	return l.tree;
}

struct fsroot *profile_load(const char *path, const char *desc, struct profile_meta *meta, struct cr_err *err)
{
	memset(meta, 0, sizeof *meta);
	struct stat st;
	if (stat(path, &st) < 0) {
		cr_fail(err, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (!S_ISREG(st.st_mode) || (uint64_t)st.st_size > PROFILE_MAX_BYTES) {
		cr_fail(err, "%s: not a regular file of at most 256 MiB", path);
		return NULL;
	}
	json_error_t jerr;
	json_t *doc = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	if (!doc) {
		cr_fail(err, "%s: not a JSON document: %s (line %d)", path, jerr.text, jerr.line);
		return NULL;
	}
	struct cr_err why;
	struct fsroot_tree *tree = load_doc(doc, meta, &why);
	json_decref(doc);
	if (!tree) {
		cr_fail(err, "%s: %s", path, why.msg);
		return NULL;
	}
	return fsroot_open_tree(tree, desc);
}
