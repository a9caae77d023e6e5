"""Checks that a copy of the registry benchmarks' image holds that image.

    check_copy.py LAYOUT archive FILE    # a `docker save` archive
    check_copy.py LAYOUT layout DIR      # an OCI layout
    check_copy.py LAYOUT fast DIR        # containerregistry's save.fast folder

LAYOUT is the source OCI layout (bench/lib.sh's bench_registry_layout).
An OCI layout must name the source's manifest digest in its index.json
and hold every blob under it with that digest. An archive is read through
its manifest.json (what `docker load` reads): its config must have the
source config's bytes, and its layers, in order, the source layers'
bytes, or their decompressed bytes (tools that store layers
uncompressed). A save.fast folder must hold the config and every layer
as they are. Prints what it checked; exits non-zero on any difference.
"""
import gzip
import hashlib
import json
import os
import sys
import tarfile


def sha256(reader):
    h = hashlib.sha256()
    while chunk := reader.read(1 << 20):
        h.update(chunk)
    return "sha256:" + h.hexdigest()


def blob(layout, digest):
    return os.path.join(layout, "blobs", *digest.split(":"))


def fail(message):
    sys.exit(f"check_copy: {message}")


def check_layout(source, manifest, want, path):
    with open(os.path.join(path, "index.json")) as f:
        entries = json.load(f)["manifests"]
    digests = [e["digest"] for e in entries]
    if want not in digests:
        fail(f"{path}/index.json names {digests}, not {want}")
    for digest in [want, manifest["config"]["digest"]] + [
        l["digest"] for l in manifest["layers"]
    ]:
        with open(blob(path, digest), "rb") as f:
            if sha256(f) != digest:
                fail(f"{path}: blob {digest} has other bytes")
    return f"OCI layout, manifest {want} and its blobs"


def check_archive(source, manifest, config, path):
    diff_ids = config["rootfs"]["diff_ids"]
    layers = [l["digest"] for l in manifest["layers"]]
    with tarfile.open(path) as tar:
        entry = json.load(tar.extractfile("manifest.json"))[0]
        got = sha256(tar.extractfile(entry["Config"]))
        if got != manifest["config"]["digest"]:
            fail(f"{path}: config {entry['Config']} is {got}")
        if len(entry["Layers"]) != len(layers):
            fail(f"{path}: {len(entry['Layers'])} layers, not {len(layers)}")
        kept = 0
        for name, digest, diff_id in zip(entry["Layers"], layers, diff_ids):
            got = sha256(tar.extractfile(name))
            if got == digest:
                kept += 1
                continue
            if got != diff_id:
                with gzip.open(tar.extractfile(name)) as f:
                    got = sha256(f)
                if got != diff_id:
                    fail(f"{path}: layer {name} is neither {digest} nor diff_id {diff_id}")
    how = "as pulled" if kept == len(layers) else f"{len(layers) - kept} decompressed"
    return f"docker archive, config and {len(layers)} layers ({how})"


def check_fast(source, manifest, path):
    with open(os.path.join(path, "config.json"), "rb") as f:
        if sha256(f) != manifest["config"]["digest"]:
            fail(f"{path}/config.json differs from the source config")
    for i, layer in enumerate(manifest["layers"]):
        with open(os.path.join(path, "%03d.tar.gz" % i), "rb") as f:
            if sha256(f) != layer["digest"]:
                fail(f"{path}: layer {i} is not {layer['digest']}")
    return f"save.fast folder, config and {len(manifest['layers'])} layers"


def main():
    source, kind, path = sys.argv[1:4]
    with open(os.path.join(source, "index.json")) as f:
        want = json.load(f)["manifests"][0]["digest"]
    with open(blob(source, want)) as f:
        manifest = json.load(f)
    with open(blob(source, manifest["config"]["digest"])) as f:
        config = json.load(f)
    if kind == "layout":
        what = check_layout(source, manifest, want, path)
    elif kind == "archive":
        what = check_archive(source, manifest, config, path)
    elif kind == "fast":
        what = check_fast(source, manifest, path)
    else:
        fail(f"unknown kind {kind!r}: archive, layout or fast")
    print(f"ok: {what}")


if __name__ == "__main__":
    main()
