#!/usr/bin/env python3
"""Small OCI image layouts written entry by entry, for the layer rules and the
damaged images that no image tool writes. Each case becomes OUTDIR/CASE-oci/.

Usage: mklayout.py OUTDIR LIBDIR

LIBDIR is a directory holding ld-linux-x86-64.so.2 and libc.so.6 (the
bookworm image's own, unpacked): with them a glibc program can start in an
image, so the rules show in `canrun check`'s verdicts.

Valid layouts (umoci unpacks them too, as the oracle):
  rules-2   L1: the loader under an absolute name "/usr/lib/...", libc, the
                symlinks lib -> usr/lib, lib64 -> usr/lib/x86_64-linux-gnu
                and x -> ../../../../etc;
            L2: an opaque whiteout of usr/lib/x86_64-linux-gnu, so libc is gone
  rules-3   rules-2 plus L3: libc again as a hard link, written through
                lib/x86_64-linux-gnu (lands in usr/lib/...), a file written
                through x (lands in /etc), lib64 replaced by an absolute link
  loop      lib64 -> lib64, and a -> b -> a
  no-trailer  L1: a long name (a pax header), the loader and libc last, its
                data not padded to 512 bytes and no end-of-archive blocks;
              L2: only a whiteout's header, no end blocks (as umoci insert
                writes layers)
Damaged layouts (canrun must refuse each with one line):
  traversal     a layer entry ../../etc/passwd
  hardlink-out  a hard link to ../../etc/shadow
  huge          a tar header claiming a 1 TiB file
  truncated     a layer cut in the middle of a file
  truncated-header  a layer cut inside the second member's header
  truncated-pax a layer cut after a pax header, before its entry
  bad-json      an index.json that is not JSON
  missing-blob  a manifest naming a layer that is not there
  bad-digest    a layer whose bytes do not match its digest
  wrong-diffid  a config whose diff_id does not match the layer
"""
import gzip
import hashlib
import io
import json
import os
import sys
import tarfile


def tar_bytes(entries):
    """entries: (name, kind, payload) with kind file/dir/symlink/hardlink/whiteout."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, kind, payload in entries:
            info = tarfile.TarInfo(name)
            info.mtime = 0
            if kind == "file":
                info.mode = 0o755
                info.size = len(payload)
                tar.addfile(info, io.BytesIO(payload))
                continue
            if kind == "dir":
                info.type, info.mode = tarfile.DIRTYPE, 0o755
            elif kind == "symlink":
                info.type, info.linkname, info.mode = tarfile.SYMTYPE, payload, 0o777
            elif kind == "hardlink":
                info.type, info.linkname, info.mode = tarfile.LNKTYPE, payload, 0o755
            elif kind == "whiteout":
                info.mode = 0
            tar.addfile(info)
    return buf.getvalue()


def unpadded(raw):
    """RAW without its last member's padding and the end blocks."""
    with tarfile.open(fileobj=io.BytesIO(raw)) as tar:
        last = tar.getmembers()[-1]
    end = last.offset_data + last.size
    # The case under test: data that does not fill its last block.
    assert end % 512 != 0 and len(raw) - end > 1024, "no padding to remove"
    return raw[:end]


def member_offsets(raw):
    """(header offset, data offset) of each member of RAW."""
    with tarfile.open(fileobj=io.BytesIO(raw)) as tar:
        return [(m.offset, m.offset_data) for m in tar.getmembers()]


class Layout:
    def __init__(self, path):
        self.path = path
        os.makedirs(os.path.join(path, "blobs", "sha256"), exist_ok=True)
        with open(os.path.join(path, "oci-layout"), "w") as f:
            json.dump({"imageLayoutVersion": "1.0.0"}, f)

    def blob(self, data, media):
        digest = hashlib.sha256(data).hexdigest()
        with open(os.path.join(self.path, "blobs", "sha256", digest), "wb") as f:
            f.write(data)
        return {"mediaType": media, "digest": "sha256:" + digest, "size": len(data)}

    def write(self, layers, diff_ids=None, missing=None):
        """layers: uncompressed tar bytes, each stored gzip-compressed."""
        descs = []
        for i, raw in enumerate(layers):
            gz = gzip.compress(raw, mtime=0)
            if missing == i:
                d = hashlib.sha256(gz).hexdigest()
                descs.append({"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                              "digest": "sha256:" + d, "size": len(gz)})
            else:
                descs.append(self.blob(gz, "application/vnd.oci.image.layer.v1.tar+gzip"))
        if diff_ids is None:
            diff_ids = ["sha256:" + hashlib.sha256(raw).hexdigest() for raw in layers]
        config = {"architecture": "amd64", "os": "linux", "config": {},
                  "rootfs": {"type": "layers", "diff_ids": diff_ids}}
        cdesc = self.blob(json.dumps(config).encode(), "application/vnd.oci.image.config.v1+json")
        manifest = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                    "config": cdesc, "layers": descs}
        mdesc = self.blob(json.dumps(manifest).encode(), "application/vnd.oci.image.manifest.v1+json")
        mdesc["annotations"] = {"org.opencontainers.image.ref.name": "latest"}
        with open(os.path.join(self.path, "index.json"), "w") as f:
            json.dump({"schemaVersion": 2, "manifests": [mdesc]}, f)
        return descs


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: mklayout.py OUTDIR LIBDIR")
    out, libdir = sys.argv[1], sys.argv[2]
    with open(os.path.join(libdir, "ld-linux-x86-64.so.2"), "rb") as f:
        ldso = f.read()
    with open(os.path.join(libdir, "libc.so.6"), "rb") as f:
        libc = f.read()
    mk = lambda case: Layout(os.path.join(out, case + "-oci"))
    gnu = "usr/lib/x86_64-linux-gnu"

    l1 = tar_bytes([("usr/", "dir", None), ("usr/lib/", "dir", None), (gnu + "/", "dir", None),
                    ("/" + gnu + "/ld-linux-x86-64.so.2", "file", ldso),
                    (gnu + "/libc.so.6", "file", libc),
                    (gnu + "/libkeep.so", "file", b"lower layer\n"),
                    ("lib", "symlink", "usr/lib"), ("lib64", "symlink", gnu), ("etc/", "dir", None),
                    ("x", "symlink", "../../../../etc")])
    l2 = tar_bytes([(gnu + "/", "dir", None), (gnu + "/.wh..wh..opq", "whiteout", None),
                    (gnu + "/ld-linux-x86-64.so.2", "file", ldso)])
    l3 = tar_bytes([("opt/", "dir", None), ("opt/libc-copy", "file", libc),
                    ("lib/x86_64-linux-gnu/libc.so.6", "hardlink", "opt/libc-copy"),
                    ("x/canrun-through-x", "file", b"written through x\n"),
                    ("lib64", "symlink", "/" + gnu)])
    mk("rules-2").write([l1, l2])
    # libc last: its size is not a multiple of 512 (unpadded() checks).
    nt1 = tar_bytes([("usr/", "dir", None), ("usr/lib/", "dir", None), (gnu + "/", "dir", None),
                     ("usr/share/" + "d" * 120, "file", b"a name only pax can hold\n"),
                     (gnu + "/libkeep.so", "file", b"lower layer\n"),
                     ("lib64", "symlink", gnu), (gnu + "/ld-linux-x86-64.so.2", "file", ldso),
                     (gnu + "/libc.so.6", "file", libc)])
    nt2 = tar_bytes([(gnu + "/.wh.libkeep.so", "whiteout", None)])
    assert len(nt2) > 512
    mk("no-trailer").write([unpadded(nt1), nt2[:512]])
    mk("rules-3").write([l1, l2, l3])
    mk("loop").write([l1, tar_bytes([("lib64", "symlink", "lib64"), ("a", "symlink", "b"),
                                     ("b", "symlink", "a")])])

    mk("traversal").write([tar_bytes([("etc/", "dir", None), ("../../etc/passwd", "file", b"x\n")])])
    mk("hardlink-out").write([tar_bytes([("etc/", "dir", None),
                                         ("etc/shadow", "hardlink", "../../etc/shadow")])])
    # A header that claims a terabyte, then a few bytes and the end.
    info = tarfile.TarInfo("big")
    info.size = 1 << 40
    mk("huge").write([info.tobuf(format=tarfile.GNU_FORMAT) + b"\0" * 1024])
    whole = tar_bytes([("lib.so", "file", b"\x7fELF" + b"\1" * 100000)])
    mk("truncated").write([whole[:20000]])
    two = tar_bytes([("a", "file", b"first\n"), ("b", "file", b"second\n")])
    mk("truncated-header").write([two[:member_offsets(two)[1][0] + 100]])
    longname = "usr/share/" + "n" * 120
    pax = tar_bytes([(longname, "file", b"after a pax header\n")])
    # The entry's own header starts one block before its data.
    mk("truncated-pax").write([pax[:member_offsets(pax)[0][1] - 512]])
    lay = mk("bad-json")
    lay.write([l2])
    with open(os.path.join(lay.path, "index.json"), "w") as f:
        f.write('{"schemaVersion": 2, "manifests": [')
    mk("missing-blob").write([l1], missing=0)
    lay = mk("bad-digest")
    desc = lay.write([l1])[0]
    path = os.path.join(lay.path, "blobs", "sha256", desc["digest"].split(":")[1])
    data = bytearray(open(path, "rb").read())
    data[len(data) // 2] ^= 0x01
    with open(path, "wb") as f:
        f.write(bytes(data))
    mk("wrong-diffid").write([l2], diff_ids=["sha256:" + "0" * 64])


if __name__ == "__main__":
    main()
