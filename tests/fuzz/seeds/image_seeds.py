#!/usr/bin/env python3
"""Seeds for the image fuzz targets, made at test time.

usage: image_seeds.py image|layer OUTDIR [OCI_LAYOUT_DIR...]

  layer  small layer streams: a plain tar (ustar and pax, a hard link, a
         symlink, a whiteout and an opaque directory), the same in gzip and
         in zstd (zstd(1)), one without end blocks
  image  a docker-archive and an OCI layout in a tar, each of two layers
         (gzip, then zstd or plain with whiteouts) with every digest right,
         a docker-archive without diff_ids, and each OCI_LAYOUT_DIR given
         (the damaged test images) packed as a tar
"""
import gzip
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile

MAX_SEED = 1024 * 1024
TINY_ELF = bytes.fromhex("7f454c46020101000000000000000000") + bytes(48)


def tar_bytes(members, fmt=tarfile.PAX_FORMAT):
    """members: (name, kind, data-or-target) with kind file, dir, sym, link."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=fmt) as t:
        for name, kind, data in members:
            ti = tarfile.TarInfo(name)
            ti.mode = 0o755
            if kind == "dir":
                ti.type = tarfile.DIRTYPE
            elif kind == "sym":
                ti.type, ti.linkname = tarfile.SYMTYPE, data
            elif kind == "link":
                ti.type, ti.linkname = tarfile.LNKTYPE, data
            else:
                ti.size = len(data)
            t.addfile(ti, io.BytesIO(data) if kind == "file" else None)
    return buf.getvalue()


def zstd(data):
    try:
        return subprocess.run(["zstd", "-q", "-c"], input=data, stdout=subprocess.PIPE, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None


def sha(data):
    return hashlib.sha256(data).hexdigest()


BASE = [("etc", "dir", b""), ("etc/os-release", "file", b"ID=debian\nVERSION_ID=\"12\"\n"),
        ("usr", "dir", b""), ("usr/bin", "dir", b""), ("usr/bin/app", "file", TINY_ELF),
        ("usr/lib", "dir", b""), ("lib", "sym", "usr/lib"), ("usr/lib/libc.so.6", "file", TINY_ELF)]
TOP = [("etc/.wh.os-release", "file", b""), ("usr/lib/.wh..wh..opq", "file", b""),
       ("usr/lib/libc.so.6", "link", "usr/bin/app"), ("usr/bin/.wh.gone", "file", b""),
       ("usr/bin/long-" + "x" * 120, "file", b"#!/bin/sh\n")]


def docker_archive(layers, diff_ids=True):
    cfg = {"architecture": "amd64", "os": "linux", "config": {},
           "rootfs": {"type": "layers", "diff_ids": ["sha256:" + sha(u) for _, u in layers]}}
    if not diff_ids:
        del cfg["rootfs"]["diff_ids"]
    cfg_b = json.dumps(cfg).encode()
    names = ["%s/layer.tar" % sha(stored) for stored, _ in layers]
    manifest = [{"Config": sha(cfg_b) + ".json", "RepoTags": ["fuzz:latest"], "Layers": names}]
    members = [(sha(cfg_b) + ".json", "file", cfg_b)]
    members += [(n, "file", stored) for n, (stored, _) in zip(names, layers)]
    members.append(("manifest.json", "file", json.dumps(manifest).encode()))
    return tar_bytes(members)


def oci_archive(layers):
    blobs = {}
    cfg = {"architecture": "amd64", "os": "linux", "config": {},
           "rootfs": {"type": "layers", "diff_ids": ["sha256:" + sha(u) for _, u, _ in layers]}}
    cfg_b = json.dumps(cfg).encode()
    blobs[sha(cfg_b)] = cfg_b
    descs = []
    for stored, _, media in layers:
        blobs[sha(stored)] = stored
        descs.append({"mediaType": media, "digest": "sha256:" + sha(stored), "size": len(stored)})
    man = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
           "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                      "digest": "sha256:" + sha(cfg_b), "size": len(cfg_b)}, "layers": descs}
    man_b = json.dumps(man).encode()
    blobs[sha(man_b)] = man_b
    index = {"schemaVersion": 2, "manifests": [{
        "mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": "sha256:" + sha(man_b),
        "size": len(man_b), "platform": {"architecture": "amd64", "os": "linux"}}]}
    members = [("oci-layout", "file", b'{"imageLayoutVersion":"1.0.0"}'),
               ("index.json", "file", json.dumps(index).encode()), ("blobs", "dir", b""),
               ("blobs/sha256", "dir", b"")]
    members += [("blobs/sha256/" + d, "file", b) for d, b in blobs.items()]
    return tar_bytes(members)


def pack_dir(path):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as t:
        t.add(path, arcname=".")
    return buf.getvalue()


def main():
    mode, out, dirs = sys.argv[1], sys.argv[2], sys.argv[3:]
    os.makedirs(out, exist_ok=True)

    def write(name, data):
        if data is not None and len(data) <= MAX_SEED:
            with open(os.path.join(out, name), "wb") as f:
                f.write(data)

    base, top = tar_bytes(BASE), tar_bytes(TOP)
    top_gnu = tar_bytes(TOP, tarfile.GNU_FORMAT)
    base_gz, top_zst = gzip.compress(base, mtime=0), zstd(top)
    if mode == "layer":
        write("plain.tar", top)
        write("gnu.tar", top_gnu)
        write("ustar.tar", tar_bytes(BASE, tarfile.USTAR_FORMAT))
        write("gzip.tar.gz", gzip.compress(top, mtime=0))
        write("zstd.tar.zst", top_zst)
        write("no-end-blocks.tar", top[:-1024])
        write("whiteout-only.tar", tar_bytes([("etc/.wh.os-release", "file", b"")])[:512])
    elif mode == "image":
        write("docker.tar", docker_archive([(base_gz, base), (top, top)]))
        write("docker-no-diffids.tar", docker_archive([(base, base), (top_gnu, top_gnu)], diff_ids=False))
        gz = "application/vnd.oci.image.layer.v1.tar+gzip"
        second = (top_zst, top, gz.replace("gzip", "zstd")) if top_zst else (top, top, gz[:-5])
        write("oci.tar", oci_archive([(base_gz, base, gz), second]))
        write("oci.tar.gz", gzip.compress(oci_archive([(base, base, gz[:-5])]), mtime=0))
        for d in dirs:
            if os.path.isfile(os.path.join(d, "index.json")):
                write("test-" + os.path.basename(d.rstrip("/")) + ".tar", pack_dir(d))
    else:
        sys.exit("unknown mode " + mode)


if __name__ == "__main__":
    main()
