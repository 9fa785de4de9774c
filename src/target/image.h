/* Container images as targets, read in memory: no extraction to disk, no
 * container engine. Two forms are understood:
 *
 *  - an OCI image layout (oci-layout, index.json, blobs/ALG/HEX), as a
 *    directory or as a tar of one (also what `docker save` writes since
 *    Docker 25);
 *  - a docker-archive: `docker save` or `skopeo copy ... docker-archive:`,
 *    a tar whose manifest.json names the config and the layers.
 *
 * Layers may be plain tar, gzip or zstd (detected from their bytes). Every
 * digest the image states is checked: OCI blobs (manifests, configs, layers)
 * against their descriptors, and each uncompressed layer against the
 * config's rootfs.diff_ids; a mismatch is an error. Layers are applied in
 * order with the OCI rules (.wh.NAME whiteouts, .wh..wh..opq opaque
 * directories, hard links sharing one inode, symlinks kept) into an
 * fsroot tree, so that the resolver reads the image as it reads a root.
 *
 * Anything wrong with the image (a missing blob, bad JSON, an entry that
 * climbs out of the root with "..", a digest mismatch, a truncated layer,
 * more than the limits below) is one line in err: the image could not be
 * read, exit status 2. Only a SPEC that is not one (no path, a platform
 * that is not OS/ARCH) is a usage error. */
#ifndef CANRUN_IMAGE_H
#define CANRUN_IMAGE_H

#include <stdbool.h>
#include <stddef.h>

#include "target/fsroot.h"
#include "util/err.h"

/* SPEC is "PATH" or "PATH@PLATFORM", PLATFORM being "os/arch[/variant]"
 * ("linux/arm64", "linux/arm/v7"); a PATH that itself exists is never
 * split. Without a platform, an archive of one image gives that image and
 * one of several gives linux/amd64. Returns the merged layers as a root, or
 * NULL with a one-line reason and *bad_spec saying whether SPEC itself was
 * at fault (BAD_SPEC may be NULL). */
struct fsroot *image_open(const char *spec, struct cr_err *err, bool *bad_spec);
/* The same, and the architecture its config states ("amd64"; "" when it
 * states none) into ARCH. */
struct fsroot *image_open_arch(const char *spec, char *arch, size_t arch_len, struct cr_err *err, bool *bad_spec);

#endif
