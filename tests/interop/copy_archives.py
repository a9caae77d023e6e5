#!/usr/bin/env python3
"""Inputs and checks for scripts/test-copy.

  copy_archives.py hostile DIR     hand-made docker-archives that a reader
                                   must refuse; prints `NAME|CODE|ABOUT`
                                   for each (CODE empty: must be read)
  copy_archives.py big DIR MIB     an OCI layout with one image `big`
                                   whose only layer is MIB MiB of random
                                   bytes (an uncompressed tar)
  copy_archives.py intact DIR      checks a `skopeo copy ... dir:DIR`
                                   folder: every blob matches its digest
                                   and each layer, decompressed, matches
                                   its config's diff_id; prints the config
                                   digest and the diff_ids
"""

import gzip
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile

DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json"
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_INDEX = "application/vnd.oci.image.index.v1+json"
OCI_LAYER_TAR = "application/vnd.oci.image.layer.v1.tar"


def sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def compact(value) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode()


def layer_tar(files) -> bytes:
    """An uncompressed layer holding FILES (name -> bytes)."""
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as t:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size, info.mtime, info.mode = len(data), 0, 0o644
            t.addfile(info, io.BytesIO(data))
    return out.getvalue()


def config_for(layers, media=DOCKER_CONFIG) -> bytes:
    return compact({
        "architecture": "amd64", "os": "linux",
        "config": {"Cmd": ["/hello"]},
        "rootfs": {"type": "layers", "diff_ids": [sha256(l) for l in layers]},
        "history": [{"created_by": "hand-made by copy_archives.py"}],
    })


# --- hostile docker-archives ---------------------------------------------

class Tar:
    """A tar written entry by entry, names and types exactly as given."""

    def __init__(self):
        self.out = io.BytesIO()
        self.tar = tarfile.open(fileobj=self.out, mode="w", format=tarfile.GNU_FORMAT)

    def file(self, name, data):
        info = tarfile.TarInfo(name)
        info.size, info.mtime, info.mode = len(data), 0, 0o644
        self.tar.addfile(info, io.BytesIO(data))
        return self

    def special(self, name, kind, linkname=""):
        info = tarfile.TarInfo(name)
        info.type, info.linkname, info.mtime = kind, linkname, 0
        if kind in (tarfile.CHRTYPE, tarfile.BLKTYPE):
            info.devmajor, info.devminor = 1, 3
        self.tar.addfile(info)
        return self

    def bytes(self) -> bytes:
        self.tar.close()
        return self.out.getvalue()


def valid_parts(layer_name="layer.tar"):
    layer = layer_tar({"hello": b"hello from a hand-made archive\n"})
    config = config_for([layer])
    manifest = compact([{"Config": "config.json", "RepoTags": ["hostile/img:v1"],
                         "Layers": [layer_name]}])
    return manifest, config, layer


def hostile(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    manifest, config, layer = valid_parts()
    cases = []

    def case(name, code, about, data):
        with open(os.path.join(out_dir, name + ".tar"), "wb") as f:
            f.write(data)
        cases.append((name, code, about))

    def base():
        return Tar().file("manifest.json", manifest).file("config.json", config).file("layer.tar", layer)

    case("valid", "", "the same archive without the hostile part (must be read)", base().bytes())
    case("absolute", "INVALID_ARCHIVE", "an entry with an absolute path (/etc/cron.d/x)",
         base().file("/etc/cron.d/x", b"* * * * * root true\n").bytes())
    case("dotdot", "INVALID_ARCHIVE", "an entry whose name climbs out with `..`",
         base().file("blobs/../../escaped", b"x").bytes())
    case("symlink-out", "INVALID_ARCHIVE", "the layer is a symlink to ../../etc/passwd",
         Tar().file("manifest.json", manifest).file("config.json", config)
         .special("layer.tar", tarfile.SYMTYPE, "../../etc/passwd").bytes())
    case("symlink-absolute", "INVALID_ARCHIVE", "the layer is a symlink to /etc/passwd",
         Tar().file("manifest.json", manifest).file("config.json", config)
         .special("layer.tar", tarfile.SYMTYPE, "/etc/passwd").bytes())
    case("hardlink-out", "INVALID_ARCHIVE", "the layer is a hard link to ../etc/passwd",
         Tar().file("manifest.json", manifest).file("config.json", config)
         .special("layer.tar", tarfile.LNKTYPE, "../etc/passwd").bytes())
    case("device", "INVALID_ARCHIVE", "a character device entry (dev/null)",
         base().special("dev/null", tarfile.CHRTYPE).bytes())
    case("fifo", "INVALID_ARCHIVE", "a FIFO entry",
         base().special("pipe", tarfile.FIFOTYPE).bytes())
    case("duplicate", "INVALID_ARCHIVE", "layer.tar twice, with different bytes",
         base().file("./layer.tar", layer_tar({"other": b"other\n"})).bytes())
    whole = base().bytes()
    # Cut inside the layer's data: its header promises more bytes than
    # the file holds.
    with tarfile.open(fileobj=io.BytesIO(whole)) as t:
        member = t.getmember("layer.tar")
    case("truncated", "INVALID_ARCHIVE", "the tar cut off inside the layer's data",
         whole[: member.offset_data + member.size // 2])
    case("not-a-tar", "INVALID_ARCHIVE", "random bytes, not a tar",
         bytes(range(256)) * 8)
    case("gzip-truncated", "INVALID_ARCHIVE", "a gzip-compressed archive cut in half",
         gzip.compress(whole)[: len(gzip.compress(whole)) // 2])
    case("no-manifest", "INVALID_ARCHIVE", "a tar with no manifest.json",
         Tar().file("config.json", config).file("layer.tar", layer).bytes())
    case("bad-manifest", "INVALID_ARCHIVE", "manifest.json is not a docker-save list",
         Tar().file("manifest.json", b'{"Config": 1}').file("config.json", config).bytes())
    case("missing-layer", "INVALID_ARCHIVE", "manifest.json names a layer the tar lacks",
         Tar().file("manifest.json", manifest).file("config.json", config).bytes())
    big = compact([{"Config": "config.json", "RepoTags": ["hostile/img:v1"],
                    "Layers": ["layer.tar"], "Padding": "x" * (4 * 1024 * 1024 + 1)}])
    case("huge-manifest", "LIMIT_EXCEEDED", "a manifest.json of more than 4 MiB",
         Tar().file("manifest.json", big).file("config.json", config).file("layer.tar", layer).bytes())
    for name, code, about in cases:
        print(f"{name}|{code}|{about}")


# --- a large image ----------------------------------------------------------

def big(out_dir, mib):
    blobs = os.path.join(out_dir, "blobs", "sha256")
    os.makedirs(blobs, exist_ok=True)
    # The layer: a tar with one file of random bytes, uncompressed (so
    # its digest is also its diff_id).
    size = mib * 1024 * 1024
    path = os.path.join(blobs, "layer.tmp")

    class Random(io.RawIOBase):
        left = size

        def readable(self):
            return True

        def readinto(self, b):
            n = min(len(b), self.left)
            b[:n] = os.urandom(n)
            self.left -= n
            return n

    with tarfile.open(path, mode="w", format=tarfile.PAX_FORMAT) as t:
        info = tarfile.TarInfo("random.bin")
        info.size, info.mtime, info.mode = size, 0, 0o644
        t.addfile(info, io.BufferedReader(Random(), 1 << 20))
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    layer_digest = "sha256:" + h.hexdigest()
    layer_size = os.path.getsize(path)
    os.rename(path, os.path.join(blobs, h.hexdigest()))
    config = compact({
        "architecture": "amd64", "os": "linux",
        "rootfs": {"type": "layers", "diff_ids": [layer_digest]},
    })
    manifest = compact({
        "schemaVersion": 2, "mediaType": OCI_MANIFEST,
        "config": {"mediaType": OCI_CONFIG, "size": len(config), "digest": sha256(config)},
        "layers": [{"mediaType": OCI_LAYER_TAR, "size": layer_size, "digest": layer_digest}],
    })
    for data in (config, manifest):
        with open(os.path.join(blobs, sha256(data)[7:]), "wb") as f:
            f.write(data)
    index = {"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": [{
        "mediaType": OCI_MANIFEST, "size": len(manifest), "digest": sha256(manifest),
        "annotations": {"org.opencontainers.image.ref.name": "big"}}]}
    with open(os.path.join(out_dir, "index.json"), "wb") as f:
        f.write(compact(index))
    with open(os.path.join(out_dir, "oci-layout"), "wb") as f:
        f.write(b'{"imageLayoutVersion":"1.0.0"}')
    print(sha256(manifest))


# --- checking a dir: copy ------------------------------------------------------

def intact(dir_):
    def blob(digest):
        with open(os.path.join(dir_, digest.split(":", 1)[1]), "rb") as f:
            data = f.read()
        if sha256(data) != digest:
            sys.exit(f"blob {digest} does not match its digest")
        return data

    with open(os.path.join(dir_, "manifest.json"), "rb") as f:
        manifest = json.load(f)
    config_digest = manifest["config"]["digest"]
    config = json.loads(blob(config_digest))
    diff_ids = config["rootfs"]["diff_ids"]
    if len(diff_ids) != len(manifest["layers"]):
        sys.exit(f"{len(manifest['layers'])} layers but {len(diff_ids)} diff_ids")
    for layer, diff_id in zip(manifest["layers"], diff_ids):
        data = blob(layer["digest"])
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        elif data[:4] == b"\x28\xb5\x2f\xfd":
            data = subprocess.run(["zstd", "-dc"], input=data, capture_output=True, check=True).stdout
        if sha256(data) != diff_id:
            sys.exit(f"layer {layer['digest']} does not decompress to its diff_id {diff_id}")
    print(config_digest, " ".join(diff_ids))


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    if command == "hostile":
        hostile(args[0])
    elif command == "big":
        big(args[0], int(args[1]))
    elif command == "intact":
        intact(args[0])
    else:
        sys.exit(__doc__)
