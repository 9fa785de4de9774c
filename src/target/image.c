/* Container images: the manifests chosen, the digests checked and the layers
 * merged into an in-memory fsroot tree (see image.h). Everything read here
 * is untrusted: JSON is type-checked field by field, names are normalized
 * before use, and every count and size has a budget, so that a hostile
 * archive ends in one error line. */
#include "target/image.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "target/image_internal.h"
#include "util/xalloc.h"



__attribute__((format(printf, 2, 3)))
int img_fail(struct img *im, const char *fmt, ...)
{
	if (im->failed) /* the first, innermost reason wins */
		return -1;
	im->failed = true;
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (im->what[0])
		return cr_fail(im->err, "%s: %s: %s", im->label, im->what, msg);
	return cr_fail(im->err, "%s: %s", im->label, msg);
}

/* A name from the image, fit for a one-line message. */
const char *printable(const char *s, char *out, size_t len)
{
	size_t n = 0;
	for (; s && *s && n + 4 < len; s++)
		out[n++] = (unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s;
	if (s && *s)
		out[n++] = '.', out[n++] = '.', out[n++] = '.';
	out[n] = '\0';
	return out;
}

/* ---- names ---------------------------------------------------------------- */

/* NAME relative to the root: leading "/" and "./", empty and "."
 * components dropped, ".." taking back the component before it; a ".."
 * above the root is NORM_ESCAPES. "" is the root itself. */
int normalize(const char *name, char *out, size_t outlen)
{
	size_t len = 0;
	for (const char *p = name; *p;) {
		size_t n = strcspn(p, "/");
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			if (len == 0)
				return NORM_ESCAPES;
			while (len > 0 && out[len - 1] != '/')
				len--;
			if (len > 0)
				len--;
		} else if (n > 0 && !(n == 1 && p[0] == '.')) {
			if (n > NAME_MAX || len + 1 + n >= outlen)
				return NORM_TOOLONG;
			if (len)
				out[len++] = '/';
			memcpy(out + len, p, n);
			len += n;
		}
		p += n;
		if (*p == '/')
			p++;
	}
	out[len] = '\0';
	return NORM_OK;
}

/* ---- digests -------------------------------------------------------------- */


/* "sha256:" and 64 lowercase hex digits, or "sha512:" and 128. */
static bool parse_digest(const char *s, struct digest *d)
{
	memset(d, 0, sizeof *d);
	size_t want;
	if (strncmp(s, "sha256:", 7) == 0) {
		d->md = EVP_sha256();
		want = 64;
	} else if (strncmp(s, "sha512:", 7) == 0) {
		d->md = EVP_sha512();
		want = 128;
	} else {
		return false;
	}
	const char *hex = s + 7;
	if (strlen(hex) != want || strspn(hex, "0123456789abcdef") != want) {
		d->md = NULL;
		return false;
	}
	memcpy(d->alg, s, 6);
	memcpy(d->hex, hex, want + 1);
	return true;
}

/* "sha256:0123456789ab", for messages. */
static const char *short_digest(const struct digest *d, char *out, size_t len)
{
	snprintf(out, len, "%s:%.12s", d->alg, d->hex);
	return out;
}

static void blob_name(const struct digest *d, char *out, size_t len)
{
	snprintf(out, len, "blobs/%s/%s", d->alg, d->hex);
}

EVP_MD_CTX *digest_start(const struct digest *d)
{
	if (!d->md)
		return NULL;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	if (!ctx || EVP_DigestInit_ex(ctx, d->md, NULL) != 1) {
		fputs("canrun: out of memory (digest)\n", stderr);
		exit(70);
	}
	return ctx;
}

/* Finishes CTX (freed) and compares it with D; the hex seen goes to got. */
bool digest_end(EVP_MD_CTX *ctx, const struct digest *d, char got[129])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned n = 0;
	bool ok = EVP_DigestFinal_ex(ctx, md, &n) == 1;
	EVP_MD_CTX_free(ctx);
	got[0] = '\0';
	for (unsigned i = 0; ok && i < n && 2 * i + 2 < 129; i++)
		snprintf(got + 2 * i, 3, "%02x", md[i]);
	return ok && strcmp(got, d->hex) == 0;
}

/* ---- JSON documents ------------------------------------------------------- */

/* Reads NAME whole (at most max_json bytes), checks it against the
 * descriptor's digest and size when given, and parses it. */
static json_t *load_json(struct img *im, const char *name, const struct digest *dg, int64_t size)
{
	char shown[80];
	struct member m;
	if (member_open(im, name, &m) < 0)
		return NULL;
	if (m.size > max_json || size > max_json) {
		member_close(&m);
		img_fail(im, "%s: larger than %d MiB", printable(name, shown, sizeof shown), max_json >> 20);
		return NULL;
	}
	/* One byte more than expected: reaching it means the file is longer. */
	size_t cap = (m.size >= 0 ? (size_t)m.size : (size_t)max_json) + 1;
	char *buf = xmalloc(cap);
	size_t len = 0;
	const char *why = NULL;
	for (;;) {
		ssize_t n = member_read(&m, buf + len, cap - len, &why);
		if (n <= 0)
			break;
		len += (size_t)n;
		if (len == cap) {
			why = "longer than its size";
			break;
		}
	}
	member_close(&m);
	json_t *doc = NULL;
	char got[129];
	if (why) {
		img_fail(im, "%s: %s", printable(name, shown, sizeof shown), why);
	} else if (size >= 0 && (uint64_t)size != len) {
		img_fail(im, "%s: %zu bytes, its descriptor says %lld", printable(name, shown, sizeof shown), len,
			 (long long)size);
	} else if (dg && dg->md) {
		EVP_MD_CTX *ctx = digest_start(dg);
		EVP_DigestUpdate(ctx, buf, len);
		if (!digest_end(ctx, dg, got))
			img_fail(im, "%s: digest mismatch: the content is %s:%.12s", printable(name, shown, sizeof shown),
				 dg->alg, got);
	}
	if (!im->failed) {
		json_error_t jerr;
		doc = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr);
		if (!doc)
			img_fail(im, "%s: bad JSON at line %d: %s", printable(name, shown, sizeof shown), jerr.line,
				 jerr.text);
	}
	free(buf);
	return doc;
}

static const char *jstr(const json_t *obj, const char *key)
{
	const json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;
	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* ---- platforms ------------------------------------------------------------ */

struct platform {
	char os[32], arch[32], variant[32];
};

static bool platform_word(const char *s, size_t n)
{
	return n > 0 && n < 32 && strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_") >= n;
}

/* "os/arch[/variant]"; the kernel's machine names are taken for Go's. */
static bool parse_platform(const char *s, struct platform *p)
{
	memset(p, 0, sizeof *p);
	size_t a = strcspn(s, "/");
	if (!platform_word(s, a) || s[a] != '/')
		return false;
	const char *arch = s + a + 1;
	size_t b = strcspn(arch, "/");
	if (!platform_word(arch, b))
		return false;
	const char *variant = arch[b] == '/' ? arch + b + 1 : "";
	size_t c = strlen(variant);
	if (arch[b] == '/' && (!platform_word(variant, c) || variant[c] != '\0'))
		return false;
	memcpy(p->os, s, a);
	memcpy(p->arch, arch, b);
	memcpy(p->variant, variant, c);
	static const char *const alias[][2] = { { "x86_64", "amd64" }, { "aarch64", "arm64" }, { "i386", "386" } };
	for (size_t i = 0; i < sizeof alias / sizeof alias[0]; i++)
		if (strcmp(p->arch, alias[i][0]) == 0)
			snprintf(p->arch, sizeof p->arch, "%s", alias[i][1]);
	return true;
}

static void platform_from_json(const json_t *obj, struct platform *p)
{
	memset(p, 0, sizeof *p);
	const char *os = jstr(obj, "os"), *arch = jstr(obj, "architecture"), *variant = jstr(obj, "variant");
	snprintf(p->os, sizeof p->os, "%s", os ? os : "");
	snprintf(p->arch, sizeof p->arch, "%s", arch ? arch : "");
	snprintf(p->variant, sizeof p->variant, "%s", variant ? variant : "");
}

/* A wanted variant matches the same one, or none for arm64's default v8. */
static bool platform_matches(const struct platform *want, const struct platform *have)
{
	if (strcmp(want->os, have->os) != 0 || strcmp(want->arch, have->arch) != 0)
		return false;
	if (!want->variant[0] || strcmp(want->variant, have->variant) == 0)
		return true;
	return !have->variant[0] && strcmp(have->arch, "arm64") == 0 && strcmp(want->variant, "v8") == 0;
}

static const char *platform_str(const struct platform *p, char *out, size_t len)
{
	char os[40], arch[40], variant[40];
	snprintf(out, len, "%s/%s%s%s", printable(p->os[0] ? p->os : "?", os, sizeof os),
		 printable(p->arch[0] ? p->arch : "?", arch, sizeof arch), p->variant[0] ? "/" : "",
		 printable(p->variant, variant, sizeof variant));
	return out;
}

/* ---- descriptors, candidates and the plan --------------------------------- */

struct desc {
	char media[128];
	struct digest dg;
	int64_t size; /* -1: not given */
	bool has_platform;
	struct platform platform;
	char ref[64]; /* a tag, for messages */
};

static int parse_desc(struct img *im, const json_t *j, struct desc *d, const char *what)
{
	memset(d, 0, sizeof *d);
	d->size = -1;
	if (!json_is_object(j))
		return img_fail(im, "%s: not a descriptor", what);
	const char *media = jstr(j, "mediaType"), *digest = jstr(j, "digest");
	snprintf(d->media, sizeof d->media, "%s", media ? media : "");
	if (!digest || !parse_digest(digest, &d->dg)) {
		char shown[80];
		return img_fail(im, "%s: bad digest \"%s\"", what, printable(digest ? digest : "", shown, sizeof shown));
	}
	const json_t *size = json_object_get(j, "size");
	if (size) {
		if (!json_is_integer(size) || json_integer_value(size) < 0)
			return img_fail(im, "%s: bad size", what);
		d->size = (int64_t)json_integer_value(size);
	}
	const json_t *plat = json_object_get(j, "platform");
	if (json_is_object(plat)) {
		d->has_platform = true;
		platform_from_json(plat, &d->platform);
	}
	const char *ref = jstr(json_object_get(j, "annotations"), "org.opencontainers.image.ref.name");
	if (ref)
		printable(ref, d->ref, sizeof d->ref);
	else
		short_digest(&d->dg, d->ref, sizeof d->ref);
	return 0;
}

/* One image the archive holds: an OCI manifest, or a manifest.json entry. */
struct cand {
	struct desc manifest; /* OCI */
	size_t entry;         /* docker-archive */
	char label[64];
	bool platform_known;
	struct platform platform;
};


struct plan {
	char *config_name;
	struct digest config_dg;
	int64_t config_size;
	char config_media[128];
	struct layer *layers;
	size_t nlayers, cap;
};

static void plan_free(struct plan *pl)
{
	free(pl->config_name);
	for (size_t i = 0; i < pl->nlayers; i++)
		free(pl->layers[i].name);
	free(pl->layers);
	memset(pl, 0, sizeof *pl);
}

static bool is_index_type(const char *m)
{
	return strcmp(m, "application/vnd.oci.image.index.v1+json") == 0 ||
	       strcmp(m, "application/vnd.docker.distribution.manifest.list.v2+json") == 0;
}

static bool is_manifest_type(const char *m)
{
	return strcmp(m, "application/vnd.oci.image.manifest.v1+json") == 0 ||
	       strcmp(m, "application/vnd.docker.distribution.manifest.v2+json") == 0;
}

static bool is_layer_type(const char *m)
{
	static const char *const types[] = {
		"application/vnd.oci.image.layer.v1.tar",
		"application/vnd.oci.image.layer.v1.tar+gzip",
		"application/vnd.oci.image.layer.v1.tar+zstd",
		"application/vnd.oci.image.layer.nondistributable.v1.tar",
		"application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
		"application/vnd.oci.image.layer.nondistributable.v1.tar+zstd",
		"application/vnd.docker.image.rootfs.diff.tar",
		"application/vnd.docker.image.rootfs.diff.tar.gzip",
		"application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
	};
	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
		if (strcmp(m, types[i]) == 0)
			return true;
	return false;
}

/* Every image manifest an index lists, through nested indexes. */
static int oci_collect(struct img *im, const json_t *index, const char *what, int depth, struct cand **cands,
		       size_t *n, size_t *cap)
{
	const json_t *list = json_is_object(index) ? json_object_get(index, "manifests") : NULL;
	if (!json_is_array(list))
		return img_fail(im, "%s: no \"manifests\" list", what);
	if (json_array_size(list) > max_descriptors)
		return img_fail(im, "%s: more than %d manifests", what, max_descriptors);
	for (size_t i = 0; i < json_array_size(list); i++) {
		struct desc d;
		if (parse_desc(im, json_array_get(list, i), &d, what) < 0)
			return -1;
		bool nested = is_index_type(d.media), image = is_manifest_type(d.media);
		json_t *doc = NULL;
		char name[160];
		blob_name(&d.dg, name, sizeof name);
		if (!d.media[0]) {
			/* No media type in the descriptor: the document says. */
			if (!(doc = load_json(im, name, &d.dg, d.size)))
				return -1;
			nested = json_is_array(json_object_get(doc, "manifests"));
			image = !nested && json_is_array(json_object_get(doc, "layers"));
		}
		if (nested) {
			if (depth >= max_index_depth) {
				json_decref(doc);
				return img_fail(im, "%s: indexes nested deeper than %d", what, max_index_depth);
			}
			if (!doc && !(doc = load_json(im, name, &d.dg, d.size)))
				return -1;
			char inner[80];
			short_digest(&d.dg, inner, sizeof inner);
			int r = oci_collect(im, doc, inner, depth + 1, cands, n, cap);
			json_decref(doc);
			if (r < 0)
				return -1;
			continue;
		}
		json_decref(doc);
		if (!image)
			continue; /* signatures, attestations and other artifacts */
		bool seen = false;
		for (size_t k = 0; k < *n && !seen; k++)
			seen = strcmp((*cands)[k].manifest.dg.hex, d.dg.hex) == 0;
		if (seen)
			continue; /* one image under two tags */
		struct cand c = { .manifest = d, .platform_known = d.has_platform, .platform = d.platform };
		snprintf(c.label, sizeof c.label, "%s", d.ref);
		XPUSH(*cands, *n, *cap, c);
	}
	return 0;
}

/* An OCI manifest into the plan (config and layers). */
static int oci_manifest(struct img *im, const struct desc *md, struct plan *pl)
{
	char name[160], what[80];
	blob_name(&md->dg, name, sizeof name);
	json_t *doc = load_json(im, name, &md->dg, md->size);
	if (!doc)
		return -1;
	snprintf(what, sizeof what, "manifest %s", md->ref);
	struct desc cfg;
	const json_t *layers = json_object_get(doc, "layers");
	int r = parse_desc(im, json_object_get(doc, "config"), &cfg, what);
	if (r == 0 && !json_is_array(layers))
		r = img_fail(im, "%s: no \"layers\" list", what);
	if (r == 0 && json_array_size(layers) > max_layers)
		r = img_fail(im, "%s: more than %d layers", what, max_layers);
	if (r == 0) {
		blob_name(&cfg.dg, name, sizeof name);
		pl->config_name = xstrdup(name);
		pl->config_dg = cfg.dg;
		pl->config_size = cfg.size;
		snprintf(pl->config_media, sizeof pl->config_media, "%s", cfg.media);
	}
	for (size_t i = 0; r == 0 && i < json_array_size(layers); i++) {
		struct desc d;
		if ((r = parse_desc(im, json_array_get(layers, i), &d, what)) < 0)
			break;
		if (d.media[0] && !is_layer_type(d.media)) {
			char shown[80];
			r = img_fail(im, "%s: layer %zu has media type %s, which canrun does not read", what, i + 1,
				     printable(d.media, shown, sizeof shown));
			break;
		}
		blob_name(&d.dg, name, sizeof name);
		struct layer l = { .name = xstrdup(name), .blob = d.dg, .size = d.size };
		snprintf(l.media, sizeof l.media, "%s", d.media);
		short_digest(&d.dg, l.label, sizeof l.label);
		XPUSH(pl->layers, pl->nlayers, pl->cap, l);
	}
	json_decref(doc);
	return r;
}

/* A docker-archive member named by manifest.json, normalized; "HEX.json" and
 * "blobs/sha256/HEX" names are also the digest of their content. */
static int docker_name(struct img *im, const char *raw, char **name, struct digest *dg, const char *what)
{
	char norm[PATH_MAX], shown[80];
	if (normalize(raw, norm, sizeof norm) != NORM_OK || !norm[0])
		return img_fail(im, "%s: bad member name \"%s\"", what, printable(raw, shown, sizeof shown));
	*name = xstrdup(norm);
	memset(dg, 0, sizeof *dg);
	char d[80];
	size_t len = strlen(norm);
	if (strncmp(norm, "blobs/sha256/", 13) == 0 && len == 13 + 64)
		snprintf(d, sizeof d, "sha256:%.64s", norm + 13);
	else if (len == 64 + 5 && strcmp(norm + 64, ".json") == 0)
		snprintf(d, sizeof d, "sha256:%.64s", norm);
	else
		return 0;
	if (!parse_digest(d, dg))
		memset(dg, 0, sizeof *dg);
	return 0;
}

static int docker_entry(struct img *im, const json_t *entry, size_t i, struct plan *pl)
{
	char what[64];
	snprintf(what, sizeof what, "manifest.json entry %zu", i + 1);
	const char *config = jstr(entry, "Config");
	const json_t *layers = json_is_object(entry) ? json_object_get(entry, "Layers") : NULL;
	if (!config || !json_is_array(layers))
		return img_fail(im, "%s: no Config or Layers", what);
	if (json_array_size(layers) > max_layers)
		return img_fail(im, "%s: more than %d layers", what, max_layers);
	if (docker_name(im, config, &pl->config_name, &pl->config_dg, what) < 0)
		return -1;
	pl->config_size = -1;
	for (size_t k = 0; k < json_array_size(layers); k++) {
		const char *raw = json_string_value(json_array_get(layers, k));
		if (!raw)
			return img_fail(im, "%s: layer %zu is not a name", what, k + 1);
		struct layer l = { .size = -1 };
		if (docker_name(im, raw, &l.name, &l.blob, what) < 0)
			return -1;
		if (l.blob.md)
			short_digest(&l.blob, l.label, sizeof l.label);
		else
			printable(l.name, l.label, sizeof l.label);
		XPUSH(pl->layers, pl->nlayers, pl->cap, l);
	}
	return 0;
}

/* The platform a candidate's config states. */
static int cand_platform(struct img *im, const json_t *docker, struct cand *c)
{
	if (c->platform_known)
		return 0;
	struct plan pl = { 0 };
	int r = docker ? docker_entry(im, json_array_get(docker, c->entry), c->entry, &pl)
		       : oci_manifest(im, &c->manifest, &pl);
	json_t *cfg = r == 0 ? load_json(im, pl.config_name, &pl.config_dg, pl.config_size) : NULL;
	if (cfg) {
		platform_from_json(cfg, &c->platform);
		c->platform_known = true;
		json_decref(cfg);
	}
	plan_free(&pl);
	return cfg ? 0 : -1;
}

/* The one image to read: the only one, or the one for the wanted platform
 * (linux/amd64 by default) among several. */
static int choose(struct img *im, const json_t *docker, struct cand *cands, size_t n, const struct platform *want,
		  size_t *pick)
{
	if (n == 0)
		return img_fail(im, "no image in it");
	if (!want && n == 1) {
		*pick = 0;
		return 0;
	}
	struct platform amd64 = { "linux", "amd64", "" };
	const struct platform *w = want ? want : &amd64;
	size_t hits = 0;
	for (size_t i = 0; i < n; i++) {
		if (cand_platform(im, docker, &cands[i]) < 0)
			return -1;
		if (platform_matches(w, &cands[i].platform) && hits++ == 0)
			*pick = i;
	}
	char ws[100], list[160] = "", one[100];
	platform_str(w, ws, sizeof ws);
	if (hits == 1)
		return 0;
	for (size_t i = 0; i < n && strlen(list) + 4 < sizeof list; i++) {
		if (hits > 1 && !platform_matches(w, &cands[i].platform))
			continue;
		const char *item = hits ? cands[i].label : platform_str(&cands[i].platform, one, sizeof one);
		size_t used = strlen(list);
		snprintf(list + used, sizeof list - used, "%s%s", used ? ", " : "", item);
	}
	if (hits == 0)
		return img_fail(im, "no %s image in it (it has %s); name one as image:PATH@OS/ARCH", ws, list);
	return img_fail(im, "%zu %s images in it (%s); canrun reads an archive of one", hits, ws, list);
}

static int oci_plan(struct img *im, const struct platform *want, struct plan *pl)
{
	json_t *index = load_json(im, "index.json", NULL, -1);
	if (!index)
		return -1;
	struct cand *cands = NULL;
	size_t n = 0, cap = 0, pick = 0;
	int r = oci_collect(im, index, "index.json", 0, &cands, &n, &cap);
	if (r == 0)
		r = choose(im, NULL, cands, n, want, &pick);
	if (r == 0)
		r = oci_manifest(im, &cands[pick].manifest, pl);
	free(cands);
	json_decref(index);
	return r;
}

static int docker_plan(struct img *im, const struct platform *want, struct plan *pl)
{
	json_t *man = load_json(im, "manifest.json", NULL, -1);
	if (!man)
		return -1;
	int r = 0;
	struct cand *cands = NULL;
	size_t n = 0, cap = 0, pick = 0;
	if (!json_is_array(man))
		r = img_fail(im, "manifest.json: not a list of images");
	else if (json_array_size(man) > max_descriptors)
		r = img_fail(im, "manifest.json: more than %d images", max_descriptors);
	for (size_t i = 0; r == 0 && i < json_array_size(man); i++) {
		const json_t *entry = json_array_get(man, i);
		struct cand c = { .entry = i };
		const json_t *tags = json_object_get(entry, "RepoTags");
		const char *tag = json_is_array(tags) ? json_string_value(json_array_get(tags, 0)) : NULL;
		const char *config = jstr(entry, "Config");
		printable(tag ? tag : config ? config : "?", c.label, sizeof c.label);
		XPUSH(cands, n, cap, c);
	}
	if (r == 0)
		r = choose(im, man, cands, n, want, &pick);
	if (r == 0)
		r = docker_entry(im, json_array_get(man, pick), pick, pl);
	free(cands);
	json_decref(man);
	return r;
}

/* ---- the whole image ------------------------------------------------------ */

/* In an archive: where the layout's files are (at the top, or in one
 * directory when the tar was made from outside the layout) and which form
 * it has. */
static int find_layout(struct img *im, bool *oci, bool *docker)
{
	struct archive *ar = open_outer(im);
	if (!ar)
		return -1;
	struct archive_entry *e;
	size_t count = 0;
	int r;
	char name[PATH_MAX], sub[NAME_MAX + 2] = "";
	bool top_oci = false, top_docker = false, sub_oci = false, sub_docker = false, several = false;
	while ((r = outer_next(im, ar, &e, &count)) == 0) {
		const char *raw = entry_name(e);
		if (!raw || normalize(raw, name, sizeof name) != NORM_OK)
			continue;
		const char *slash = strchr(name, '/');
		const char *base = slash ? slash + 1 : name;
		if (slash && strchr(base, '/'))
			continue;
		bool is_index = strcmp(base, "index.json") == 0, is_manifest = strcmp(base, "manifest.json") == 0;
		if (!is_index && !is_manifest)
			continue;
		if (!slash) {
			top_oci |= is_index;
			top_docker |= is_manifest;
			continue;
		}
		size_t dlen = (size_t)(slash - name) + 1;
		if (sub[0] && (strlen(sub) != dlen || strncmp(sub, name, dlen) != 0)) {
			several = true;
			continue;
		}
		memcpy(sub, name, dlen);
		sub[dlen] = '\0';
		sub_oci |= is_index;
		sub_docker |= is_manifest;
	}
	archive_read_free(ar);
	if (r < 0)
		return -1;
	if (top_oci || top_docker) {
		*oci = top_oci;
		*docker = top_docker;
	} else if (!several && sub[0]) {
		snprintf(im->prefix, sizeof im->prefix, "%s", sub);
		*oci = sub_oci;
		*docker = sub_docker;
	}
	return 0;
}

static void sanitize(struct cr_err *err)
{
	for (char *p = err->msg; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
}

static struct fsroot *open_image(struct img *im, const struct platform *want)
{
	struct stat st;
	if (stat(im->path, &st) < 0) {
		img_fail(im, "%s", strerror(errno));
		return NULL;
	}
	bool oci = false, docker = false;
	if (S_ISDIR(st.st_mode)) {
		im->dirfd = open(im->path, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (im->dirfd < 0) {
			img_fail(im, "%s", strerror(errno));
			return NULL;
		}
		oci = faccessat(im->dirfd, "index.json", F_OK, 0) == 0;
		docker = faccessat(im->dirfd, "manifest.json", F_OK, 0) == 0;
	} else if (!S_ISREG(st.st_mode)) {
		img_fail(im, "not a directory or an archive");
		return NULL;
	} else if (find_layout(im, &oci, &docker) < 0) {
		return NULL;
	}
	if (!oci && !docker) {
		img_fail(im, "neither an OCI image layout (no index.json) nor a docker-archive (no manifest.json)");
		return NULL;
	}
	struct plan pl = { 0 };
	/* Docker 25 writes both; the OCI side has the digests. */
	int r = oci ? oci_plan(im, want, &pl) : docker_plan(im, want, &pl);
	json_t *cfg = r == 0 ? load_json(im, pl.config_name, &pl.config_dg, pl.config_size) : NULL;
	if (r == 0 && !cfg)
		r = -1;
	if (r == 0 && pl.config_media[0] && strcmp(pl.config_media, "application/vnd.oci.image.config.v1+json") != 0 &&
	    strcmp(pl.config_media, "application/vnd.docker.container.image.v1+json") != 0) {
		char shown[80];
		r = img_fail(im, "not a container image (its config is %s)", printable(pl.config_media, shown, sizeof shown));
	}
	if (r == 0 && !json_is_object(cfg))
		r = img_fail(im, "the config is not a JSON object");
	if (r == 0) {
		const json_t *arch = json_object_get(cfg, "architecture");
		if (json_is_string(arch))
			snprintf(im->arch, sizeof im->arch, "%s", json_string_value(arch));
		const json_t *rootfs = json_object_get(cfg, "rootfs");
		const json_t *diffs = json_is_object(rootfs) ? json_object_get(rootfs, "diff_ids") : NULL;
		if (diffs && (!json_is_array(diffs) || json_array_size(diffs) != pl.nlayers))
			r = img_fail(im, "the config lists %zu layers, the manifest %zu",
				     json_is_array(diffs) ? json_array_size(diffs) : 0, pl.nlayers);
		for (size_t i = 0; r == 0 && diffs && i < pl.nlayers; i++) {
			const char *d = json_string_value(json_array_get(diffs, i));
			if (!d || !parse_digest(d, &pl.layers[i].diff))
				r = img_fail(im, "the config's diff_id %zu is not a digest", i + 1);
		}
	}
	json_decref(cfg);
	im->tree = fsroot_tree_new();
	for (size_t i = 0; r == 0 && i < pl.nlayers; i++) {
		snprintf(im->what, sizeof im->what, "layer %zu of %zu (%s)", i + 1, pl.nlayers, pl.layers[i].label);
		fsroot_tree_next_layer(im->tree);
		r = apply_layer(im, &pl.layers[i]);
	}
	plan_free(&pl);
	if (r < 0) {
		fsroot_tree_free(im->tree);
		return NULL;
	}
	struct fsroot *root = fsroot_open_tree(im->tree, im->label);
	im->tree = NULL;
	return root;
}

struct fsroot *image_open(const char *spec, struct cr_err *err, bool *bad_spec)
{
	return image_open_arch(spec, NULL, 0, err, bad_spec);
}

struct fsroot *image_open_arch(const char *spec, char *arch, size_t arch_len, struct cr_err *err, bool *bad_spec)
{
	struct img im = { .dirfd = -1, .err = err };
	bool ignored;
	bad_spec = bad_spec ? bad_spec : &ignored;
	*bad_spec = false;
	size_t len = strlen(spec);
	im.label = xmalloc(len + 7);
	snprintf(im.label, len + 7, "image:%s", spec);
	char *path = xstrdup(spec);
	struct platform want;
	bool have_want = false;
	struct stat st;
	char *at = strrchr(path, '@');
	if (at && stat(path, &st) < 0) {
		*at = '\0';
		if (!parse_platform(at + 1, &want)) {
			char shown[80];
			img_fail(&im, "bad platform \"%s\"; it is OS/ARCH[/VARIANT], as linux/arm64",
				 printable(at + 1, shown, sizeof shown));
			*bad_spec = true;
			free(path);
			free(im.label);
			sanitize(err);
			return NULL;
		}
		have_want = true;
	}
	im.path = path;
	struct fsroot *root = NULL;
	if (!path[0]) {
		img_fail(&im, "no path");
		*bad_spec = true;
	} else {
		root = open_image(&im, have_want ? &want : NULL);
	}
	if (im.dirfd >= 0)
		close(im.dirfd);
	free(path);
	free(im.label);
	if (!root)
		sanitize(err);
	else if (arch && arch_len)
		snprintf(arch, arch_len, "%s", im.arch);
	return root;
}
