#!/usr/bin/env python3
"""Writes the OCI layouts under data/ and the `copy` and `check` cases
that read them (`../check/*.json`).

- `multi`: an OCI index of three platforms (linux/amd64, linux/arm64,
  linux/arm/v7), every child and blob present, named `v1`.
- `sparse`: the same index (same bytes, same digest) holding only the
  linux/amd64 child and its blobs, as a mirror of one platform keeps it.
- `damaged`: one image whose first layer is truncated (wrong size), whose
  second layer is absent and whose third has the right size but other
  bytes (wrong digest); config present.

Layers are small gzip tars made with fixed times, so a rerun writes the
same bytes. The expectations are computed here from the layouts' bytes
(digests with hashlib; a stripped index is the index without the entries
not copied, written as compact JSON with its fields in the order they
came), not by tranship. Run from anywhere: tests/corpus/copy/make_cases.py
"""

import gzip
import hashlib
import io
import json
import os
import shutil
import tarfile

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "data")
INDEX = "application/vnd.oci.image.index.v1+json"
MANIFEST = "application/vnd.oci.image.manifest.v1+json"
CONFIG = "application/vnd.oci.image.config.v1+json"
LAYER = "application/vnd.oci.image.layer.v1.tar+gzip"


def compact(doc):
    return json.dumps(doc, separators=(",", ":")).encode()


def digest(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


def layer(name, text):
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        info = tarfile.TarInfo(name)
        body = text.encode()
        info.size, info.mtime, info.mode = len(body), 0, 0o644
        tar.addfile(info, io.BytesIO(body))
    tar_bytes = raw.getvalue()
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", mtime=0, compresslevel=6) as gz:
        gz.write(tar_bytes)
    return out.getvalue(), digest(tar_bytes)


def image(arch, variant, layers):
    """(manifest bytes, {digest: bytes}) of a one-platform image."""
    blobs = {}
    diff_ids, descriptors = [], []
    for name, text in layers:
        gz, diff_id = layer(name, text)
        blobs[digest(gz)] = gz
        diff_ids.append(diff_id)
        descriptors.append({"mediaType": LAYER, "digest": digest(gz), "size": len(gz)})
    config = {"architecture": arch, "os": "linux"}
    if variant:
        config["variant"] = variant
    config["rootfs"] = {"type": "layers", "diff_ids": diff_ids}
    config_bytes = compact(config)
    blobs[digest(config_bytes)] = config_bytes
    manifest = compact({
        "schemaVersion": 2,
        "mediaType": MANIFEST,
        "config": {"mediaType": CONFIG, "digest": digest(config_bytes), "size": len(config_bytes)},
        "layers": descriptors,
    })
    return manifest, blobs


def write_layout(name, root, media_type, blobs, more=()):
    """A layout holding `root` named v1, and `more` entries: (bytes, media type, name)."""
    path = os.path.join(DATA, name)
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(os.path.join(path, "blobs", "sha256"))
    with open(os.path.join(path, "oci-layout"), "w") as f:
        f.write('{"imageLayoutVersion":"1.0.0"}')
    for d, data in blobs.items():
        with open(os.path.join(path, "blobs", "sha256", d.split(":")[1]), "wb") as f:
            f.write(data)
    entries = []
    for data, kind, ref in [(root, media_type, "v1"), *more]:
        entries.append({"mediaType": kind, "digest": digest(data), "size": len(data),
                        "annotations": {"org.opencontainers.image.ref.name": ref}})
    with open(os.path.join(path, "index.json"), "wb") as f:
        f.write(compact({"schemaVersion": 2, "manifests": entries}))


SIGNATURE = "application/vnd.example.signature.v1+json"
COSIGN_LAYER = "application/vnd.dev.cosign.simplesigning.v1+json"


def signed_layout():
    """An image with a referrer listed under the tag schema's
    `sha256-<hex>` index and a cosign-style `.sig` tag; returns the
    referrers a copy brings, as the summary lists them."""
    manifest, blobs = image("amd64", None, [("etc/signed", "signed\n")])
    subject = digest(manifest)
    tag = "sha256-" + subject.split(":")[1]
    empty = b"{}"
    payload = compact({"critical": {"image": {"docker-manifest-digest": subject}}})
    blobs[digest(empty)] = empty
    blobs[digest(payload)] = payload
    referrer = compact({
        "schemaVersion": 2, "mediaType": MANIFEST, "artifactType": SIGNATURE,
        "config": {"mediaType": "application/vnd.oci.empty.v1+json", "digest": digest(empty), "size": len(empty)},
        "layers": [{"mediaType": SIGNATURE, "digest": digest(payload), "size": len(payload)}],
        "subject": {"mediaType": MANIFEST, "digest": subject, "size": len(manifest)},
    })
    listed = compact({"schemaVersion": 2, "mediaType": INDEX, "manifests": [
        {"mediaType": MANIFEST, "digest": digest(referrer), "size": len(referrer), "artifactType": SIGNATURE}]})
    cosign_config = compact({"architecture": "", "os": "", "config": {},
                             "rootfs": {"type": "layers", "diff_ids": [digest(payload)]}})
    cosign = compact({
        "schemaVersion": 2, "mediaType": MANIFEST,
        "config": {"mediaType": CONFIG, "digest": digest(cosign_config), "size": len(cosign_config)},
        "layers": [{"mediaType": COSIGN_LAYER, "digest": digest(payload), "size": len(payload),
                    "annotations": {"dev.cosignproject.cosign/signature": "MEUCIQDexample"}}],
    })
    for doc in (manifest, referrer, listed, cosign, cosign_config):
        blobs[digest(doc)] = doc
    write_layout("signed", manifest, MANIFEST, blobs,
                 [(listed, INDEX, tag), (cosign, MANIFEST, tag + ".sig")])
    return subject, [
        {"subject": subject, "digest": digest(referrer), "artifact_type": SIGNATURE, "tag": None},
        {"subject": subject, "digest": digest(cosign), "artifact_type": None, "tag": tag + ".sig"},
    ]


def case(folder, name, about, inputs, expect=None, error=None):
    doc = {"op": folder, "about": about, "input": inputs}
    if error:
        doc["error"] = error
    else:
        doc["expect"] = expect
    path = os.path.join(HERE, "..", folder, name + ".json")
    with open(path, "w") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")


def copied(index, children, chosen, stripped):
    """The summary fields a copy of `chosen` children of `index` gives."""
    left = [c["digest"] for c in children if c["digest"] not in chosen]
    platforms = []
    for c in children:
        if c["digest"] in chosen:
            p = c["platform"]
            platforms.append("/".join(filter(None, [p["os"], p["architecture"], p.get("variant")])))
    if stripped:
        doc = json.loads(index)
        doc["manifests"] = [m for m in doc["manifests"] if m["digest"] in chosen]
        written = digest(compact(doc))
    else:
        written = digest(index)
    return {
        "destination_digest": written,
        "media_type": INDEX,
        "platforms": platforms,
        "sparse": [] if stripped else left,
        "stripped": left if stripped else [],
        "manifests": [d for d in chosen] + [written],
        "referrers": [],
    }


def write_cases(index, children, damaged, signed):
    amd64, arm64, armv7 = (c["digest"] for c in children)
    src = lambda layout, **kw: {"source": f"data/{layout}", "name": "v1", **kw}
    case("copy", "subset-keeps-the-index", "one platform of a three-platform index into a layout: the index is written as it is (same digest) and names two children not copied",
         src("multi", platforms=["linux/arm64"]), copied(index, children, [arm64], False))
    case("copy", "subset-two-platforms", "two platforms: both children copied, in the index's order, the third left out of a sparse index",
         src("multi", platforms=["linux/arm/v7", "linux/amd64"]), copied(index, children, [amd64, armv7], False))
    case("copy", "subset-strip-missing", "strip_missing rewrites the index to the one child copied; the new digest is that of the index without the other entries, compact",
         src("multi", platforms=["linux/arm64"], strip_missing=True), copied(index, children, [arm64], True))
    case("copy", "subset-preserve-digests", "preserve_digests with a subset that keeps the index as it is: nothing changes, the copy goes ahead",
         src("multi", platforms=["linux/arm64"], preserve_digests=True), copied(index, children, [arm64], False))
    case("copy", "strip-refused-by-preserve-digests", "strip_missing would change the index's digest, and preserve_digests forbids it: refused before anything is written",
         src("multi", platforms=["linux/arm64"], strip_missing=True, preserve_digests=True), error="DIGESTS_NOT_PRESERVED")
    case("copy", "format-refused-by-preserve-digests", "converting OCI to v2s2 changes every digest; with preserve_digests it is refused",
         src("multi", format="v2s2", preserve_digests=True), error="DIGESTS_NOT_PRESERVED")
    case("copy", "format-already-kept-with-preserve-digests", "converting an OCI index to oci changes nothing, so preserve_digests lets it through and the digest is kept",
         src("multi", all=True, format="oci", preserve_digests=True), copied(index, children, [amd64, arm64, armv7], False))
    case("copy", "whole-index", "no platform given and a layout destination: the whole index, every child",
         src("multi"), copied(index, children, [amd64, arm64, armv7], False))
    case("copy", "sparse-source-whole-index", "a sparse source (only linux/amd64 present) copied whole: refused, naming the absent children",
         src("sparse"), error="INCOMPLETE_INDEX")
    case("copy", "sparse-source-all", "a sparse source with all: refused the same way",
         src("sparse", all=True), error="INCOMPLETE_INDEX")
    case("copy", "sparse-source-absent-platform", "asking a sparse source for a platform it lacks: INCOMPLETE_INDEX",
         src("sparse", platforms=["linux/arm64"]), error="INCOMPLETE_INDEX")
    case("copy", "sparse-source-present-platform", "asking a sparse source for the platform it holds: copied, and the index stays sparse with the same digest",
         src("sparse", platforms=["linux/amd64"]), copied(index, children, [amd64], False))

    case("copy", "compress-gzip-keeps-gzip-layers", "compress_format gzip on an image whose layers are gzip already: nothing is recompressed, every digest is kept",
         src("multi", compress_format="gzip"), copied(index, children, [amd64, arm64, armv7], False))
    case("copy", "compress-refused-by-preserve-digests", "recompressing gzip layers to zstd changes their digests; with preserve_digests it is refused before anything is written",
         src("multi", compress_format="zstd", preserve_digests=True), error="DIGESTS_NOT_PRESERVED")
    case("copy", "compress-zstd-into-v2s2-refused", "a Docker schema 2 manifest cannot carry zstd layers: refused, naming the way out (an OCI manifest)",
         src("multi", format="v2s2", compress_format="zstd"), error="CONVERSION")
    case("copy", "compress-unknown-format", "a layer compression other than gzip or zstd is refused",
         src("multi", compress_format="brotli"), error="INVALID_CONFIG")
    case("copy", "compress-level-out-of-range", "zstd levels stop at 19",
         src("multi", compress_format="zstd", compress_level=22), error="INVALID_CONFIG")

    subject, brought = signed
    signed_summary = {
        "destination_digest": subject, "media_type": MANIFEST, "platforms": [], "sparse": [],
        "stripped": [], "manifests": [subject], "referrers": brought,
    }
    case("copy", "referrers-brought", "an image with a signature listed under the referrers tag schema and a cosign .sig tag: both are copied, as they are, with the image",
         src("signed"), signed_summary)
    case("copy", "referrers-left-behind", "referrers false copies the image alone",
         src("signed", referrers=False), {**signed_summary, "referrers": []})

    def child(c, state):
        p = c["platform"]
        text = "/".join(filter(None, [p["os"], p["architecture"], p.get("variant")]))
        return {"digest": c["digest"], "platform": text, "state": state}

    def blobs_of(layout, manifest_digest, states):
        m = json.loads(open(os.path.join(DATA, layout, "blobs", "sha256", manifest_digest.split(":")[1]), "rb").read())
        out = []
        for d in [m["config"]] + m["layers"]:
            state = states.get(d["digest"], "present")
            path = os.path.join(DATA, layout, "blobs", "sha256", d["digest"].split(":")[1])
            found = os.path.getsize(path) if os.path.exists(path) else None
            out.append({"digest": d["digest"], "size": d["size"], "found_size": found, "state": state})
        return out

    def report(layout, root, media_type, children_states, blobs):
        complete = all(c["state"] == "present" for c in children_states) and all(b["state"] == "present" for b in blobs)
        return {"digest": root, "media_type": media_type, "complete": complete, "hashed": True,
                "children": children_states, "blobs": blobs}

    all_blobs = []
    for c in children:
        all_blobs += blobs_of("multi", c["digest"], {})
    case("check", "complete-index", "every child and blob of a three-platform index is there",
         {"layout": "../copy/data/multi", "name": "v1"},
         report("multi", digest(index), INDEX, [child(c, "present") for c in children], all_blobs))
    case("check", "sparse-index", "a mirror of one platform: the two other children are reported missing, and only the present child's blobs are listed",
         {"layout": "../copy/data/sparse", "name": "v1"},
         report("sparse", digest(index), INDEX,
                [child(children[0], "present"), child(children[1], "missing"), child(children[2], "missing")],
                blobs_of("sparse", amd64, {})))
    root, (first, second, third) = damaged
    case("check", "damaged-image", "a truncated layer (size mismatch), an absent one (missing) and one of the right size with other bytes (digest mismatch)",
         {"layout": "../copy/data/damaged", "name": "v1"},
         report("damaged", root, MANIFEST, [],
                blobs_of("damaged", root, {first: "size_mismatch", second: "missing", third: "digest_mismatch"})))


def main():
    platforms = [("amd64", None), ("arm64", None), ("arm", "v7")]
    children, all_blobs = [], {}
    for arch, variant in platforms:
        tag = arch + (variant or "")
        manifest, blobs = image(arch, variant, [("etc/os", f"base {tag}\n"), ("app/run", f"app {tag}\n")])
        blobs[digest(manifest)] = manifest
        all_blobs.update(blobs)
        platform = {"architecture": arch, "os": "linux"}
        if variant:
            platform["variant"] = variant
        children.append(({"mediaType": MANIFEST, "digest": digest(manifest), "size": len(manifest),
                          "platform": platform}, blobs))
    index = compact({"schemaVersion": 2, "mediaType": INDEX, "manifests": [c[0] for c in children]})
    descriptors = [c[0] for c in children]
    write_layout("multi", index, INDEX, {**all_blobs, digest(index): index})
    amd64 = children[0][1]
    write_layout("sparse", index, INDEX, {**amd64, digest(index): index})

    manifest, blobs = image("amd64", None, [("a", "first\n"), ("b", "second\n"), ("c", "third\n")])
    layers = json.loads(manifest)["layers"]
    first, second, third = (l["digest"] for l in layers)
    blobs[first] = blobs[first][:-3]
    del blobs[second]
    blobs[third] = bytes(b ^ 0xFF for b in blobs[third])
    blobs[digest(manifest)] = manifest
    write_layout("damaged", manifest, MANIFEST, blobs)
    os.makedirs(os.path.join(HERE, "..", "check"), exist_ok=True)
    write_cases(index, descriptors, (digest(manifest), (first, second, third)), signed_layout())


if __name__ == "__main__":
    main()
