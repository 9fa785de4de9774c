/* The memory backend of fsroot: a container image's layers merged into a
 * tree (regular files, directories, symlinks, hard links), with whiteouts
 * and opaque directories applied as each layer is added. The resolver in
 * fsroot.c walks it exactly as it walks a directory. */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "elf/elf_stub.h"
#include "target/fsroot_internal.h"
#include "util/xalloc.h"

/* ---- the memory backend: a container image's merged layers ---------------- */

/* Contents are kept in memory: images here are at most a few hundred MB. A
 * later version could keep each file's offset in its layer instead. */

struct mem_node;

/* A directory is an open-addressing hash table (linear probing, at most
 * half full), so that huge directories in any order stay cheap to build. */
struct mem_slot {
	char *name; /* NULL: free */
	struct mem_node *node;
	uint64_t hash;
};

struct mem_node {
	mode_t mode;
	uint64_t ino;
	unsigned refs;  /* directory entries naming it: hard links share the node */
	unsigned layer; /* the last layer that wrote it */
	unsigned char *data; /* regular file */
	size_t size;
	bool sparse;    /* data holds only the extents' bytes */
	struct stub_extents extents;
	char *target;   /* symlink */
	struct mem_slot *slots; /* directory */
	size_t nslots, count;
};

struct fsroot_tree {
	struct mem_node *top;
	uint64_t next_ino;
	unsigned layer;
};

static uint64_t name_hash(const char *name, size_t len)
{
	uint64_t h = 14695981039346656037u; /* FNV-1a */
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)name[i]) * 1099511628211u;
	return h;
}

static struct mem_node *node_new(struct fsroot_tree *t, mode_t mode)
{
	struct mem_node *n = xcalloc(1, sizeof *n);
	n->mode = mode;
	n->ino = t->next_ino++;
	n->refs = 1;
	n->layer = t->layer;
	return n;
}

static void node_unref(struct mem_node *n)
{
	if (--n->refs > 0)
		return;
	for (size_t i = 0; i < n->nslots; i++) {
		if (n->slots[i].name) {
			free(n->slots[i].name);
			node_unref(n->slots[i].node);
		}
	}
	free(n->slots);
	free(n->data);
	stub_extents_free(&n->extents);
	free(n->target);
	free(n);
}

/* The slot holding NAME, or SIZE_MAX. */
static size_t dir_find(const struct mem_node *dir, const char *name, size_t len)
{
	if (dir->nslots == 0)
		return SIZE_MAX;
	uint64_t h = name_hash(name, len);
	size_t mask = dir->nslots - 1;
	for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
		const struct mem_slot *s = &dir->slots[i];
		if (!s->name)
			return SIZE_MAX;
		if (s->hash == h && strncmp(s->name, name, len) == 0 && s->name[len] == '\0')
			return i;
	}
}

static struct mem_node *dir_get(const struct mem_node *dir, const char *name, size_t len)
{
	size_t i = dir_find(dir, name, len);
	return i == SIZE_MAX ? NULL : dir->slots[i].node;
}

static void slot_put(struct mem_slot *slots, size_t nslots, struct mem_slot s)
{
	size_t mask = nslots - 1;
	size_t i = (size_t)s.hash & mask;
	while (slots[i].name)
		i = (i + 1) & mask;
	slots[i] = s;
}

/* Adds NAME (not present) naming CHILD, taking over the caller's reference. */
static void dir_insert(struct mem_node *dir, const char *name, size_t len, struct mem_node *child)
{
	if ((dir->count + 1) * 2 > dir->nslots) {
		size_t n = dir->nslots ? dir->nslots * 2 : 8;
		struct mem_slot *slots = xcalloc(n, sizeof *slots);
		for (size_t i = 0; i < dir->nslots; i++)
			if (dir->slots[i].name)
				slot_put(slots, n, dir->slots[i]);
		free(dir->slots);
		dir->slots = slots;
		dir->nslots = n;
	}
	struct mem_slot s = { xstrndup(name, len), child, name_hash(name, len) };
	slot_put(dir->slots, dir->nslots, s);
	dir->count++;
}

/* Removes slot i; later entries of its probe run move back so that every
 * lookup still finds them (no tombstones). */
static void dir_delete(struct mem_node *dir, size_t i)
{
	struct mem_node *gone = dir->slots[i].node;
	free(dir->slots[i].name);
	dir->slots[i].name = NULL;
	dir->count--;
	size_t mask = dir->nslots - 1;
	for (size_t j = (i + 1) & mask; dir->slots[j].name; j = (j + 1) & mask) {
		size_t home = (size_t)dir->slots[j].hash & mask;
		/* The entry at j may move to the hole at i unless its home lies
		 * cyclically in (i, j]. */
		bool stays = i <= j ? (home > i && home <= j) : (home > i || home <= j);
		if (stays)
			continue;
		dir->slots[i] = dir->slots[j];
		dir->slots[j].name = NULL;
		i = j;
	}
	node_unref(gone);
}

/* The node REL names: the resolver's paths have no links in their
 * directories, the builder's have been resolved by tree_dir(). */
static int tree_lookup(const struct fsroot_tree *t, const char *rel, struct mem_node **out)
{
	struct mem_node *cur = t->top;
	const char *p = rel;
	while (*p) {
		if (!S_ISDIR(cur->mode))
			return ENOTDIR;
		size_t len = strcspn(p, "/");
		if (len > 0) {
			cur = dir_get(cur, p, len);
			if (!cur)
				return ENOENT;
		}
		p += len;
		if (*p == '/')
			p++;
	}
	*out = cur;
	return 0;
}

static int mem_lstat(struct fsroot *root, const char *rel, struct fsroot_stat *st)
{
	struct mem_node *n;
	int e = tree_lookup(root->tree, rel, &n);
	if (e)
		return e;
	st->mode = n->mode;
	st->size = S_ISREG(n->mode) ? n->size : S_ISLNK(n->mode) ? strlen(n->target) : 0;
	st->dev = 0; /* one tree, one device */
	st->ino = n->ino;
	return 0;
}

static int mem_readlink(struct fsroot *root, const char *rel, char *buf, size_t size)
{
	struct mem_node *n;
	int e = tree_lookup(root->tree, rel, &n);
	if (e)
		return e;
	if (!S_ISLNK(n->mode))
		return EINVAL;
	size_t len = strlen(n->target);
	if (len >= size)
		return ENAMETOOLONG;
	memcpy(buf, n->target, len + 1);
	return 0;
}

static int mem_read(struct fsroot *root, const char *rel, struct fsroot_blob *blob)
{
	struct mem_node *n;
	int e = tree_lookup(root->tree, rel, &n);
	if (e)
		return e;
	if (!S_ISREG(n->mode))
		return S_ISDIR(n->mode) ? EISDIR : EINVAL;
	blob->priv_ = NULL;
	if (n->sparse) {
		blob->priv_ = stub_extents_scatter(n->data, &n->extents, n->size);
		blob->data = blob->priv_;
		blob->size = n->size;
		return 0;
	}
	/* The tree owns the bytes; they live as long as the root. */
	blob->data = n->data ? n->data : (const unsigned char *)"";
	blob->size = n->size;
	return 0;
}

static void mem_release(struct fsroot *root, struct fsroot_blob *blob)
{
	(void)root;
	free(blob->priv_); /* a sparse file's bytes; NULL otherwise */
}

static int mem_list(struct fsroot *root, const char *rel, char ***names, size_t *count)
{
	struct mem_node *n;
	int e = tree_lookup(root->tree, rel, &n);
	if (e)
		return e;
	if (!S_ISDIR(n->mode))
		return ENOTDIR;
	char **list = xcalloc(n->count, sizeof *list);
	size_t k = 0;
	for (size_t i = 0; i < n->nslots && k < n->count; i++)
		if (n->slots[i].name)
			list[k++] = xstrdup(n->slots[i].name);
	*names = list;
	*count = k;
	return 0;
}

static void mem_close(struct fsroot *root)
{
	fsroot_tree_free(root->tree);
}

static const struct fsroot_ops mem_ops = {
	.lstat = mem_lstat,
	.readlink = mem_readlink,
	.read = mem_read,
	.release = mem_release,
	.list = mem_list,
	.close = mem_close,
};

struct fsroot_tree *fsroot_tree_new(void)
{
	struct fsroot_tree *t = xcalloc(1, sizeof *t);
	t->next_ino = 1;
	t->top = node_new(t, S_IFDIR | 0755);
	return t;
}

void fsroot_tree_free(struct fsroot_tree *tree)
{
	if (!tree)
		return;
	node_unref(tree->top);
	free(tree);
}

void fsroot_tree_next_layer(struct fsroot_tree *tree)
{
	tree->layer++;
}

static bool bad_name(const char *name, size_t len)
{
	return len == 0 || (len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.') ||
	       memchr(name, '/', len) != NULL;
}

/* Resolves PATH as a directory, following symlinks inside the tree with the
 * resolver's rules, creating what is missing when CREATE is set. */
static int tree_dir(struct fsroot_tree *t, const char *path, bool create, struct mem_node **out)
{
	struct fsroot view = { .ops = &mem_ops, .tree = t };
	char rel[PATH_MAX];
	size_t rlen = 0;
	rel[0] = '\0';
	struct mem_node *cur = t->top;
	for (const char *p = path; *p;) {
		size_t len = strcspn(p, "/");
		if (bad_name(p, len))
			return EINVAL;
		if (len > NAME_MAX || rlen + 1 + len >= sizeof rel)
			return ENAMETOOLONG;
		if (rlen)
			rel[rlen++] = '/';
		memcpy(rel + rlen, p, len);
		rlen += len;
		rel[rlen] = '\0';
		struct mem_node *child = dir_get(cur, p, len);
		if (!child) {
			if (!create)
				return ENOENT;
			child = node_new(t, S_IFDIR | 0755);
			dir_insert(cur, p, len, child);
		} else if (S_ISLNK(child->mode)) {
			char real[PATH_MAX];
			struct fsroot_stat st;
			int e = fsroot_resolve_rel(&view, rel, true, real, &st);
			if (e)
				return e;
			if (!S_ISDIR(st.mode))
				return ENOTDIR;
			if ((e = tree_lookup(t, real, &child)) != 0)
				return e;
			rlen = strlen(real);
			memcpy(rel, real, rlen + 1);
		} else if (!S_ISDIR(child->mode)) {
			return ENOTDIR;
		}
		cur = child;
		p += len;
		if (*p == '/' && !*++p)
			return EINVAL; /* a trailing or doubled slash: not normalized */
	}
	*out = cur;
	return 0;
}

/* PATH's directory, resolved by tree_dir(), and its last component. */
static int tree_parent(struct fsroot_tree *t, const char *path, bool create, struct mem_node **dir,
		       const char **name)
{
	const char *slash = strrchr(path, '/');
	*name = slash ? slash + 1 : path;
	if (bad_name(*name, strlen(*name)))
		return EINVAL;
	if (strlen(*name) > NAME_MAX)
		return ENAMETOOLONG;
	if (!slash)
		return tree_dir(t, "", create, dir);
	size_t plen = (size_t)(slash - path);
	if (plen >= PATH_MAX)
		return ENAMETOOLONG;
	char parent[PATH_MAX];
	memcpy(parent, path, plen);
	parent[plen] = '\0';
	return tree_dir(t, parent, create, dir);
}

int fsroot_tree_put(struct fsroot_tree *tree, const char *path, mode_t mode, void *data, size_t size,
		    const char *target)
{
	if (!*path) {
		free(data);
		if (!S_ISDIR(mode))
			return EISDIR; /* only a directory can be the root */
		tree->top->mode = S_IFDIR | (mode & 07777);
		tree->top->layer = tree->layer;
		return 0;
	}
	if (S_ISLNK(mode) && (!target || strlen(target) >= PATH_MAX)) {
		free(data);
		return ENAMETOOLONG;
	}
	struct mem_node *dir;
	const char *name;
	int e = tree_parent(tree, path, true, &dir, &name);
	if (e) {
		free(data);
		return e;
	}
	size_t len = strlen(name);
	size_t i = dir_find(dir, name, len);
	if (i != SIZE_MAX) {
		struct mem_node *old = dir->slots[i].node;
		if (S_ISDIR(old->mode) && S_ISDIR(mode)) {
			old->mode = mode;
			old->layer = tree->layer;
			free(data);
			return 0;
		}
		dir_delete(dir, i);
	}
	struct mem_node *n = node_new(tree, mode);
	if (S_ISREG(mode)) {
		n->data = data;
		n->size = size;
		data = NULL;
	} else if (S_ISLNK(mode)) {
		n->target = xstrdup(target);
	}
	free(data);
	dir_insert(dir, name, len, n);
	return 0;
}

int fsroot_tree_put_sparse(struct fsroot_tree *tree, const char *path, mode_t mode, uint64_t size,
			   struct stub_extents *extents, void *kept)
{
	if (size > SIZE_MAX / 2 || !S_ISREG(mode)) {
		stub_extents_free(extents);
		free(kept);
		return EFBIG;
	}
	int e = fsroot_tree_put(tree, path, mode, kept, (size_t)size, NULL);
	if (e) {
		stub_extents_free(extents);
		return e;
	}
	struct mem_node *dir, *n;
	const char *name;
	e = tree_parent(tree, path, false, &dir, &name);
	n = e ? NULL : dir_get(dir, name, strlen(name));
	if (!n || !S_ISREG(n->mode)) { /* cannot happen: just written */
		stub_extents_free(extents);
		return e ? e : EINVAL;
	}
	n->sparse = true;
	n->extents = *extents;
	memset(extents, 0, sizeof *extents);
	return 0;
}

int fsroot_tree_link(struct fsroot_tree *tree, const char *path, const char *existing)
{
	struct mem_node *sdir, *dir;
	const char *sname, *name;
	int e = tree_parent(tree, existing, false, &sdir, &sname);
	if (e)
		return e;
	struct mem_node *src = dir_get(sdir, sname, strlen(sname));
	if (!src)
		return ENOENT;
	if (S_ISDIR(src->mode))
		return EPERM; /* as link(2) says */
	src->refs++; /* kept while the new name's place is made */
	if ((e = tree_parent(tree, path, true, &dir, &name)) != 0) {
		node_unref(src);
		return e;
	}
	size_t len = strlen(name);
	size_t i = dir_find(dir, name, len);
	if (i != SIZE_MAX && dir->slots[i].node == src) {
		node_unref(src);
		return 0;
	}
	if (i != SIZE_MAX)
		dir_delete(dir, i);
	src->layer = tree->layer;
	dir_insert(dir, name, len, src);
	return 0;
}

int fsroot_tree_remove(struct fsroot_tree *tree, const char *path)
{
	struct mem_node *dir;
	const char *name;
	int e = tree_parent(tree, path, false, &dir, &name);
	if (e == ENOENT || e == ENOTDIR)
		return 0;
	if (e)
		return e;
	size_t i = dir_find(dir, name, strlen(name));
	if (i != SIZE_MAX && dir->slots[i].node->layer != tree->layer)
		dir_delete(dir, i);
	return 0;
}

static void clear_lower(struct mem_node *dir, unsigned layer)
{
	/* Names first: deleting moves entries between slots. */
	char **gone = NULL;
	size_t ngone = 0, cap = 0;
	for (size_t i = 0; i < dir->nslots; i++) {
		struct mem_slot *s = &dir->slots[i];
		if (!s->name)
			continue;
		if (s->node->layer != layer)
			XPUSH(gone, ngone, cap, s->name);
		else if (S_ISDIR(s->node->mode))
			clear_lower(s->node, layer);
	}
	for (size_t k = 0; k < ngone; k++) {
		size_t i = dir_find(dir, gone[k], strlen(gone[k]));
		if (i != SIZE_MAX)
			dir_delete(dir, i); /* frees gone[k] */
	}
	free(gone);
}

int fsroot_tree_opaque(struct fsroot_tree *tree, const char *dir)
{
	struct mem_node *node;
	int e = tree_dir(tree, dir, false, &node);
	if (e == ENOENT || e == ENOTDIR)
		return 0;
	if (e)
		return e;
	clear_lower(node, tree->layer);
	return 0;
}

struct fsroot *fsroot_open_tree(struct fsroot_tree *tree, const char *desc)
{
	struct fsroot *root = xcalloc(1, sizeof *root);
	root->ops = &mem_ops;
	root->dirfd = -1;
	root->tree = tree;
	root->desc = xstrdup(desc);
	return root;
}

