#!/usr/bin/env python3
"""Writes (or, with --check, re-checks) the `convert` corpus cases.

The expected manifests and configs are not computed here: they are what
skopeo (containers/image, the reference program) writes when it converts
the same input between `dir:` directories, byte for byte. Where tranship
does something skopeo does not (keeping the config bytes when converting
Docker to OCI, trusting diff_ids given by the caller), the expectation is
derived from skopeo's output and the case's `about` says so. Cases that
must fail are checked to fail in skopeo too where skopeo has the rule.

Inputs are built from the blobs in data/blobs (made once by
core/examples/make_corpus_blobs.rs). Run from anywhere:

    tests/corpus/convert/make_cases.py          # rewrite cases and inputs
    tests/corpus/convert/make_cases.py --check  # fail if skopeo disagrees
"""

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "data")
STORE = os.path.join(DATA, "blobs", "sha256")

BASE = "sha256:5d986312bc0da6277ae37a8ff1f055a640af899b80c6d15f808a324d3c31d2bb"
APP = "sha256:5c17fcc582b459b289bf546597b445723d8dd0e088d450ee4d2a4b6657171f79"
CONF = "sha256:94b7f3c12b31d07f4da9e167f050d40abbfa3e5aa0024d8d137cad21da9cdef7"
PLAIN = "sha256:69c7cbd8591d0445b501156c9aa20b66df8f5a08db4c9984bba45f325f96352e"
EMPTY = "sha256:a3ed95caeb02ffe68cdd9fd84406680ae93d633cb16422d00e8a7c22955b46d4"
ABSENT = "sha256:" + "0" * 63 + "1"

OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
DOCKER_TO_OCI_LAYER = {
    "application/vnd.docker.image.rootfs.diff.tar.gzip": "application/vnd.oci.image.layer.v1.tar+gzip",
    "application/vnd.docker.image.rootfs.diff.tar": "application/vnd.oci.image.layer.v1.tar",
}


def sha256(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


def compact(value):
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def v1_id(manifest, i):
    return hashlib.sha256(f"{manifest}:{i}".encode()).hexdigest()


def schema1(name, entries, repo="corpus/app", tag="v1", ids=None):
    """A schema1 manifest from `entries` (base first): each is (blob,
    fields) where fields is a dict (id and parent are put first) or a
    text template with {id} and {parent}."""
    history, layers = [], []
    parent = ""
    for i, (blob, fields) in enumerate(entries):
        this = ids[i] if ids else v1_id(name, i)
        if isinstance(fields, str):
            text = fields.replace("{id}", this).replace("{parent}", parent)
        else:
            head = {"id": this}
            if parent:
                head["parent"] = parent
            text = compact({**head, **fields})
        history.insert(0, {"v1Compatibility": text})
        layers.insert(0, {"blobSum": blob})
        parent = this
    doc = {"schemaVersion": 1, "name": repo, "tag": tag, "architecture": "amd64",
           "fsLayers": layers, "history": history}
    return (json.dumps(doc, indent=3, ensure_ascii=False) + "\n").encode()


def top(fields):
    """The top entry's fields: a small but real image config."""
    return {"architecture": "amd64", "os": "linux", "created": "2024-02-03T04:05:06.7Z",
            "docker_version": "24.0.7", "config": {"Env": ["PATH=/bin"], "Cmd": ["/app"]},
            "container_config": {"Cmd": ["/bin/sh", "-c", "#(nop) ", "CMD [\"/app\"]"]}, **fields}


def step(cmd, created="2024-02-03T04:05:00Z", **extra):
    return {"created": created, "container_config": {"Cmd": ["/bin/sh -c " + cmd]}, **extra}


# name -> manifest bytes (written to data/<name>.json)
INPUTS = {}

INPUTS["s1-basic"] = schema1("s1-basic", [
    (BASE, step("#(nop) ADD file:os-release in /")),
    (EMPTY, step("#(nop)  ENV PATH=/bin", throwaway=True)),
    (APP, top({})),
])
INPUTS["s1-empty-middle"] = schema1("s1-empty-middle", [
    (BASE, step("#(nop) ADD base in /", created="2024-01-01T00:00:00Z")),
    (EMPTY, step("#(nop)  LABEL a=1", throwaway=True)),
    (EMPTY, step("#(nop)  LABEL b=2", throwaway=True)),
    (CONF, step("echo answer=42 > /etc/app.conf")),
    (EMPTY, step("#(nop)  WORKDIR /srv", throwaway=True)),
    (APP, step("cp hello.txt /usr/share/app/")),
    (EMPTY, top({"throwaway": True})),
])
INPUTS["s1-author-comment"] = schema1("s1-author-comment", [
    (BASE, {"comment": "Imported from -", "created": "2023-12-31T23:59:59Z",
            "container_config": {"Cmd": [""]}}),
    (CONF, step("make config", author="Ops <ops@example.com>")),
    (EMPTY, step("#(nop)  USER app", author="", comment="", throwaway=True)),
    (APP, top({"author": "Dev & Ops", "comment": "final <layer>"})),
])
INPUTS["s1-escapes"] = schema1("s1-escapes", [
    (BASE, r'{"id":"{id}","created":"2024-01-01T00:00:00Z","container_config":{"Cmd":["/bin/sh -c echo \"<b>\" && x\b\f \u2028 é 日本"]}}'),
    (APP, r'{"zeta":{"b":1.0,"a":[1e3,-0,"\u003c"]},"id":"{id}","parent":"{parent}",'
          r'"architecture":"amd64","os":"linux","created":"2024-01-02T00:00:00Z",'
          r'"config":{"Labels":{"q":"<a href=\"x\">&amp;</a>","k\u00e9y":"\b\f\u2028\u2029 ünï"},"Cmd":["a&b"]},'
          r'"container_config":{"Cmd":["<cmd>", "&", "é"]},"author":"<Ann & Bob>","comment":"\u0026 literal"}'),
])
INPUTS["s1-times"] = schema1("s1-times", [
    (BASE, step("zone", created="2024-03-04T05:06:07.500000+02:00")),
    (EMPTY, step("long", created="2024-03-04T05:06:07.1234567891234-05:30", throwaway=True)),
    (CONF, step("utc offset", created="2024-03-04T05:06:07.000000000+00:00")),
    (EMPTY, {"container_config": {"Cmd": ["no created"]}, "throwaway": True}),
    (EMPTY, {"created": None, "container_config": {"Cmd": ["null created"]}, "throwaway": True}),
    (APP, top({"created": "2024-03-04T05:06:07,25Z"})),
])
dup = [v1_id("s1-duplicates", i) for i in range(4)]
INPUTS["s1-duplicates"] = schema1("s1-duplicates", [
    (BASE, step("base")),
    (CONF, step("first copy of a repeated id")),
    (CONF, step("second copy: the upper one is dropped")),
    (APP, top({"comment": "top, repeated below"})),
    (APP, top({"comment": "the upper duplicate, dropped"})),
], ids=[dup[0], dup[1], dup[1], dup[2], dup[2]])
INPUTS["s1-case-keys"] = schema1("s1-case-keys", [
    (BASE, r'{"id":"{id}","CREATED":"2024-01-01T00:00:00Z","Container_Config":{"cmd":["lower cmd"]},"container_config":{"CMD":["last key wins"]}}'),
    (APP, r'{"id":"{id}","ID":"{id}","parent":"{parent}","os":"linux","os":"windows","created":"2024-01-02T00:00:00Z","created":null,"Throwaway":false,"container_config":{"Cmd":["a"]},"container_config":{}}'),
])
INPUTS["s1-old-docker"] = schema1("s1-old-docker", [
    (BASE, step("#(nop) ADD base in /", created="2015-06-01T10:00:00.123Z")),
    (APP, r'{"id":"{id}","parent":"{parent}","created":"2015-06-01T10:00:01.5Z","docker_version":"1.6.2",'
          r'"architecture":"amd64","os":"linux","Size":1234,"checksum":"tarsum+sha256:x","unknown":{"a":1},'
          r'"container":"c0ffee","container_config":{"Hostname":"h","Cmd":["/bin/sh","-c","#(nop) CMD [/app]"],"Weird":1},'
          r'"config":{"Hostname":"h","Env":["A=<1>"],"Cmd":"/app","Labels":{"z":"1","a":null},"ExposedPorts":{"80/tcp":{}},"Volumes":{"/data":{}},"Healthcheck":{"Test":["CMD","true"],"Interval":30000000000},"StopTimeout":0,"Extra":true}}'),
])
INPUTS["s1-old-docker-rc"] = schema1("s1-old-docker-rc", [
    (APP, r'{"id":"{id}","created":"2015-08-01T00:00:00Z","docker_version":"1.8.3-rc1","os":"linux","config":{"Cmd":["/app"]},"container_config":{"Cmd":["/bin/sh"]}}'),
])
INPUTS["s1-docker-1.8.3"] = schema1("s1-docker-1.8.3", [
    (APP, r'{"id":"{id}","created":"2015-10-12T00:00:00Z","docker_version":"1.8.3","os":"linux","config":{"Cmd":["/app"]},"container_config":{"Cmd":["/bin/sh"]},"extra":1}'),
])
INPUTS["s1-all-throwaway"] = schema1("s1-all-throwaway", [
    (EMPTY, step("#(nop)  ENV A=1", throwaway=True)),
    (EMPTY, top({"throwaway": True})),
])
INPUTS["s1-plain-tar"] = schema1("s1-plain-tar", [
    (PLAIN, step("uncompressed layer")),
    (APP, top({})),
])
INPUTS["s1-absent-blob"] = schema1("s1-absent-blob", [
    (ABSENT, step("a layer nobody has")),
    (APP, top({})),
])
INPUTS["s1-nonadjacent-duplicate"] = schema1("s1-nonadjacent-duplicate", [
    (BASE, step("base")), (CONF, step("middle")), (APP, top({})),
], ids=[dup[0], dup[1], dup[0]])
INPUTS["s1-broken-parent"] = schema1("s1-broken-parent", [
    (BASE, r'{"id":"{id}","created":"2024-01-01T00:00:00Z"}'),
    (APP, r'{"id":"{id}","parent":"' + "f" * 64 + r'","created":"2024-01-02T00:00:00Z"}'),
])
INPUTS["s1-base-with-parent"] = schema1("s1-base-with-parent", [
    (BASE, r'{"id":"{id}","parent":"' + "e" * 64 + r'","created":"2024-01-01T00:00:00Z"}'),
])
INPUTS["s1-bad-id"] = schema1("s1-bad-id", [
    (BASE, r'{"id":"' + "A" * 64 + r'","created":"2024-01-01T00:00:00Z"}'),
])
INPUTS["s1-cmd-string"] = schema1("s1-cmd-string", [
    (BASE, r'{"id":"{id}","created":"2024-01-01T00:00:00Z","container_config":{"Cmd":"/bin/sh -c true"}}'),
])
INPUTS["s1-type-error"] = schema1("s1-type-error", [
    (BASE, r'{"id":"{id}","created":"2024-01-01T00:00:00Z","Size":"12"}'),
])
INPUTS["s1-bad-time"] = schema1("s1-bad-time", [
    (BASE, r'{"id":"{id}","created":"2024-02-30T00:00:00Z"}'),
])
mismatch = json.loads(INPUTS["s1-basic"])
mismatch["fsLayers"].pop()
INPUTS["s1-layer-history-mismatch"] = (json.dumps(mismatch, indent=3) + "\n").encode()

# A signed schema1 manifest as the distribution registry serves it (made by
# examples/make-hello-image); its digest is that of the JWS payload.
EXAMPLE = os.path.join(HERE, "..", "..", "..", "examples", "hello-schema1")
INPUTS["s1-signed-registry"] = open(os.path.join(EXAMPLE, "manifest.json"), "rb").read()
SIGNED_DIGEST = open(os.path.join(EXAMPLE, "manifest.digest")).read().strip()

# (case, input, to, options, expectation, about)
#   expectation: ("skopeo", format) | ("oci-kept",) | ("error", CODE, skopeo_fails)
S1_CASES = [
    ("s1-basic", "s1-basic", "v2s2", {}, ("skopeo", "v2s2"),
     "base layer, a throwaway entry and a top layer: skopeo's manifest and config, byte for byte"),
    ("s1-basic-to-oci", "s1-basic", "oci", {}, ("oci-kept",),
     "schema1 to OCI goes through schema2 and keeps that config's bytes (skopeo's schema2 config, OCI media types)"),
    ("s1-basic-to-oci-reencoded", "s1-basic", "oci", {"reencode_config": True}, ("skopeo", "oci"),
     "with reencode_config the config is re-encoded as skopeo --format oci does"),
    ("s1-empty-middle", "s1-empty-middle", "v2s2", {}, ("skopeo", "v2s2"),
     "several throwaway entries, in the middle and on top: no layer, empty_layer in history"),
    ("s1-author-comment", "s1-author-comment", "v2s2", {}, ("skopeo", "v2s2"),
     "author and comment present, empty and absent; an empty Cmd gives no created_by"),
    ("s1-escapes", "s1-escapes", "v2s2", {}, ("skopeo", "v2s2"),
     "<, >, &, \\b, \\f, U+2028 and non-ASCII text; raw numbers and nested key order kept"),
    ("s1-times", "s1-times", "v2s2", {}, ("skopeo", "v2s2"),
     "times with zones and long fractions re-written as Go does; missing and null created give the zero time"),
    ("s1-duplicates", "s1-duplicates", "v2s2", {}, ("skopeo", "v2s2"),
     "adjacent duplicate ids: the upper entry and its layer are dropped, the config comes from the lower top"),
    ("s1-case-keys", "s1-case-keys", "v2s2", {}, ("skopeo", "v2s2"),
     "Go's case-insensitive keys and repeated keys: struct fields merge, the raw config keeps ID and the last os"),
    ("s1-old-docker", "s1-old-docker", "v2s2", {}, ("skopeo", "v2s2"),
     "docker_version 1.6.2: the config is re-encoded through Docker's typed structure (all fields, unknown keys dropped)"),
    ("s1-old-docker-to-oci-reencoded", "s1-old-docker", "oci", {"reencode_config": True}, ("skopeo", "oci"),
     "an old image to OCI with the config re-encoded twice, as skopeo does"),
    ("s1-old-docker-rc", "s1-old-docker-rc", "v2s2", {}, ("skopeo", "v2s2"),
     "1.8.3-rc1 is older than 1.8.3 (a non-numeric part counts as 0)"),
    ("s1-docker-1.8.3", "s1-docker-1.8.3", "v2s2", {}, ("skopeo", "v2s2"),
     "docker_version 1.8.3 exactly is not old: the raw config is kept, unknown keys too"),
    ("s1-all-throwaway", "s1-all-throwaway", "v2s2", {}, ("skopeo", "v2s2"),
     "every entry throwaway: layers is null and rootfs has no diff_ids"),
    ("s1-plain-tar", "s1-plain-tar", "v2s2", {}, ("skopeo", "v2s2"),
     "an uncompressed layer blob keeps the gzip media type, as containers/image writes it; its diff_id is its own digest"),
    ("s1-signed-registry", "s1-signed-registry", "v2s2", {}, ("skopeo", "v2s2"),
     "a signed schema1 manifest served by the distribution registry: signatures are lost, the image ID matches skopeo's"),
    ("s1-nonadjacent-duplicate", "s1-nonadjacent-duplicate", "v2s2", {}, ("error", "INVALID_MANIFEST", True),
     "an id repeated in entries that are not adjacent is refused"),
    ("s1-broken-parent", "s1-broken-parent", "v2s2", {}, ("error", "INVALID_MANIFEST", True),
     "a parent that is not the next entry's id is refused"),
    ("s1-base-with-parent", "s1-base-with-parent", "v2s2", {}, ("error", "INVALID_MANIFEST", True),
     "the base entry must have no parent"),
    ("s1-bad-id", "s1-bad-id", "v2s2", {}, ("error", "INVALID_MANIFEST", True),
     "ids are 64 lowercase hex digits"),
    ("s1-cmd-string", "s1-cmd-string", "v2s2", {}, ("error", "INVALID_MANIFEST", True),
     "container_config.Cmd as a string, not an array, is refused (Go's []string)"),
    ("s1-type-error", "s1-type-error", "v2s2", {}, ("error", "INVALID_MANIFEST", True),
     "a value of the wrong type in the top entry (Size as a string) fails as in Go"),
    ("s1-bad-time", "s1-bad-time", "v2s2", {}, ("error", "INVALID_MANIFEST", True),
     "a created time Go cannot parse (February 30) is refused"),
    ("s1-layer-history-mismatch", "s1-layer-history-mismatch", "v2s2", {}, ("error", "INVALID_MANIFEST", True),
     "fsLayers and history of different lengths are refused"),
    ("s1-absent-blob", "s1-absent-blob", "v2s2", {}, ("error", "BLOB_UNKNOWN", False),
     "a layer not in the blob store: its size is unknown, so the conversion refuses and names it"),
    ("s1-absent-blob-with-diff-id", "s1-absent-blob", "v2s2",
     {"diff_ids": {ABSENT: "sha256:" + "2" * 64}}, ("error", "BLOB_UNKNOWN", False),
     "a known diff_id does not give the size: a layer absent from the store is still refused"),
    ("s1-absent-blob-with-size", "s1-absent-blob", "v2s2",
     {"diff_ids": {ABSENT: "sha256:" + "2" * 64}, "layer_sizes": {ABSENT: 4242}}, ("given",),
     "with its diff_id and size given, an absent layer is not needed (expected output derived from skopeo's for s1-basic rules)"),
    ("s1-given-diff-id", "s1-basic", "v2s2", {"diff_ids": {BASE: "sha256:" + "3" * 64}}, ("given",),
     "a diff_id given by the caller is trusted, not recomputed (the size still comes from the blob)"),
    ("s1-no-blobs", "s1-basic", "v2s2", {"blobs": None}, ("error", "BLOB_UNKNOWN", False),
     "without a blob store (and no sizes given) an upconversion cannot know layer sizes"),
]


def skopeo_convert(manifest, fmt, extra_blobs=()):
    """skopeo copy --format FMT from a dir: holding `manifest` and the
    store's blobs; returns (manifest bytes, config bytes) or None."""
    with tempfile.TemporaryDirectory() as tmp:
        src, dst = os.path.join(tmp, "src"), os.path.join(tmp, "dst")
        os.mkdir(src)
        for name in os.listdir(STORE):
            shutil.copy(os.path.join(STORE, name), src)
        for name, data in extra_blobs:
            open(os.path.join(src, name), "wb").write(data)
        open(os.path.join(src, "manifest.json"), "wb").write(manifest)
        open(os.path.join(src, "version"), "w").write("Directory Transport Version: 1.1\n")
        run = subprocess.run(["skopeo", "copy", "-q", "--format", fmt, f"dir:{src}", f"dir:{dst}"],
                             capture_output=True, text=True)
        if run.returncode != 0:
            return None, run.stderr.strip()
        out = open(os.path.join(dst, "manifest.json"), "rb").read()
        digest = json.loads(out)["config"]["digest"]
        return (out, open(os.path.join(dst, digest[7:]), "rb").read()), None


def oci_kept(schema2):
    """The OCI manifest tranship writes when it keeps the config bytes:
    skopeo's schema2 manifest with OCI media types, in the OCI struct's
    field order."""
    m = json.loads(schema2)
    desc = lambda d, t: {"mediaType": t, "digest": d["digest"], "size": d["size"]}
    return compact({"schemaVersion": 2, "mediaType": OCI_MANIFEST,
                    "config": desc(m["config"], OCI_CONFIG),
                    "layers": [desc(l, DOCKER_TO_OCI_LAYER[l["mediaType"]]) for l in m["layers"] or []]}).encode()


def given(manifest, opts):
    """Expected output when the caller gives diff_ids (and sizes): skopeo's
    output for the same image, with the given values in place of the
    computed ones (an absent layer is replaced by a stand-in blob for
    skopeo, then put back)."""
    stand_in = b"stand-in"
    stand_hex = hashlib.sha256(stand_in).hexdigest()
    absent = list(opts.get("layer_sizes", {}))
    for blob in absent:
        manifest = manifest.replace(blob[7:].encode(), stand_hex.encode())
    (schema2, config), err = skopeo_convert(manifest, "v2s2", [(stand_hex, stand_in)])
    for blob in absent:
        schema2 = schema2.replace(
            b'"size":%d,"digest":"sha256:%s"' % (len(stand_in), stand_hex.encode()),
            b'"size":%d,"digest":"%s"' % (opts["layer_sizes"][blob], blob.encode()))
    for blob, diff_id in opts["diff_ids"].items():
        content = stand_in if blob in absent else layer_content(blob)
        config = config.replace(sha256(content).encode(), diff_id.encode())
    old = json.loads(schema2)["config"]
    schema2 = schema2.replace(
        b'"size":%d,"digest":"%s"' % (old["size"], old["digest"].encode()),
        b'"size":%d,"digest":"%s"' % (len(config), sha256(config).encode()))
    return schema2, config


def layer_content(blob):
    import gzip
    data = open(os.path.join(STORE, blob[7:]), "rb").read()
    return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data


def report(source, fmt_from, result, fmt_to, config, lost, source_config=None):
    return {"source_format": fmt_from, "source_digest": sha256(source), "result_format": fmt_to,
            "result_digest": sha256(result), "source_config_digest": source_config,
            "result_config_digest": sha256(config) if config is not None else source_config,
            "lost": lost}


OCI_IMAGE_FIELDS = ["created", "author", "architecture", "variant", "os", "os.version",
                    "os.features", "config", "rootfs", "history"]
OCI_CONFIG_FIELDS = ["User", "ExposedPorts", "Env", "Entrypoint", "Cmd", "Volumes",
                     "WorkingDir", "Labels", "StopSignal"]
DOCKER_V1_FIELDS = ["id", "parent", "comment", "created", "container", "container_config",
                    "docker_version", "author", "config", "architecture", "variant", "os", "Size"]
DOCKER_CONFIG_FIELDS = ["Hostname", "Domainname", "User", "AttachStdin", "AttachStdout",
                        "AttachStderr", "ExposedPorts", "Tty", "OpenStdin", "StdinOnce", "Env",
                        "Cmd", "Healthcheck", "ArgsEscaped", "Image", "Volumes", "WorkingDir",
                        "Entrypoint", "NetworkDisabled", "MacAddress", "OnBuild", "Labels",
                        "StopSignal", "StopTimeout", "Shell"]


def unknown(obj, fields, nested, nested_fields, prefix=""):
    """Keys a Go struct with `fields` drops (case-insensitive lookup)."""
    known = {f.lower(): f for f in fields}
    out = []
    for k, v in obj:
        if k.lower() not in known:
            out.append(prefix + k)
        elif known[k.lower()] in nested and isinstance(v, list):
            out += [f"{prefix}{known[k.lower()]}.{ik}" for ik, _ in v
                    if ik.lower() not in {f.lower() for f in nested_fields}]
    return sorted(set(out))


def pairs(text):
    return json.loads(text, object_pairs_hook=lambda p: p)


def s1_lost(manifest, fmt_to, config, reencode):
    m = json.loads(manifest)
    lost = [k for k in ("name", "tag") if m.get(k)]
    top = m["history"][0]["v1Compatibility"]
    version = json.loads(top).get("docker_version", "")
    if version and [int(p) if p.isdigit() else 0 for p in version.split(".")] < [1, 8, 3]:
        lost += ["config." + k for k in unknown(pairs(top), DOCKER_V1_FIELDS, {"config", "container_config"},
                                                 DOCKER_CONFIG_FIELDS)]
    if fmt_to == "oci" and reencode:
        # What the OCI re-encoding drops from the schema 2 config.
        (_, schema2_config), _ = skopeo_convert(manifest, "v2s2")
        lost += ["config." + k for k in unknown(pairs(schema2_config), OCI_IMAGE_FIELDS, {"config"},
                                                 OCI_CONFIG_FIELDS)]
    return lost


def s1_cases():
    cases = {}
    for name, inp, to, opts, want, about in S1_CASES:
        manifest = INPUTS[inp]
        inputs = {"file": f"data/{inp}.json", "to": to}
        if opts.get("blobs", "data/blobs") is not None:
            inputs["blobs"] = "data/blobs"
        for key in ("diff_ids", "layer_sizes", "reencode_config"):
            if key in opts:
                inputs[key] = opts[key]
        case = {"op": "convert", "about": about, "input": inputs}
        if want[0] == "error":
            if want[2]:
                result, _ = skopeo_convert(manifest, "v2s2")
                assert result is None, f"{name}: skopeo accepted what tranship must refuse"
            case["error"] = want[1]
        else:
            if want[0] == "skopeo":
                (out, config), err = skopeo_convert(manifest, want[1])
            elif want[0] == "oci-kept":
                (schema2, config), err = skopeo_convert(manifest, "v2s2")
                out = oci_kept(schema2)
            else:
                out, config = given(manifest, opts)
            fmt_to = "oci-manifest" if to == "oci" else "schema2"
            lost = s1_lost(manifest, to, config, opts.get("reencode_config"))
            signed = b'"signatures"' in manifest
            r = report(manifest, "schema1-signed" if signed else "schema1", out, fmt_to, config,
                       lost + (["signatures"] if signed else []))
            if signed:
                r["source_digest"] = SIGNED_DIGEST
            case["expect"] = {"manifest": out.decode(), "config": config.decode(), "report": r}
        cases[name] = case
    return cases


def main():
    check = "--check" in sys.argv[1:]
    for name in os.listdir(os.path.join(EXAMPLE, "blobs", "sha256")):
        if not check:
            shutil.copy(os.path.join(EXAMPLE, "blobs", "sha256", name), STORE)
    from image_cases import image_cases  # beside this file
    inputs, more = image_cases(check)
    INPUTS.update(inputs)
    cases = {**s1_cases(), **more}
    failed = 0
    for name, data in INPUTS.items():
        path = os.path.join(DATA, f"{name}.json")
        if check:
            if open(path, "rb").read() != data:
                print(f"DIFFERS data/{name}.json")
                failed += 1
        else:
            open(path, "wb").write(data)
    for name, case in cases.items():
        path = os.path.join(HERE, f"{name}.json")
        text = json.dumps(case, indent=2, ensure_ascii=False) + "\n"
        if check:
            if json.load(open(path)) != case:
                print(f"DIFFERS {name}.json: skopeo now gives another result")
                failed += 1
        else:
            open(path, "w").write(text)
    print(f"convert corpus: {len(cases)} cases {'checked against skopeo' if check else 'written'}, {failed} differ")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    sys.path.insert(0, HERE)
    main()
