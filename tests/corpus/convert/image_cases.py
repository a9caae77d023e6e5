"""The Docker <-> OCI cases of the `convert` corpus (image manifests,
lists and indexes); used by make_cases.py, which says how expectations
are made."""

import json
import os
import shutil
import subprocess
import tempfile

from make_cases import (APP, BASE, DOCKER_TO_OCI_LAYER, INPUTS, OCI_CONFIG, OCI_CONFIG_FIELDS,
                        OCI_IMAGE_FIELDS, STORE, compact, oci_kept, pairs, report, sha256,
                        skopeo_convert, unknown)

DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json"
OCI_INDEX = "application/vnd.oci.image.index.v1+json"
S2 = "application/vnd.docker.distribution.manifest.v2+json"


def image_cases(check):
    inputs, cases = {}, {}
    (schema2, config), _ = skopeo_convert(INPUTS["s1-basic"], "v2s2")
    config_path = os.path.join(STORE, sha256(config)[7:])
    if not check:
        open(config_path, "wb").write(config)
    assert open(config_path, "rb").read() == config, "the schema2 config blob is stale"
    (oci, oci_config), _ = skopeo_convert(schema2, "oci")
    if not check:
        open(os.path.join(STORE, sha256(oci_config)[7:]), "wb").write(oci_config)
    inputs["schema2"] = schema2
    inputs["oci"] = oci

    def case(name, about, file, to, expect=None, error=None, **opts):
        inp = {"file": f"data/{file}.json", "to": to, **opts}
        c = {"op": "convert", "about": about, "input": inp}
        if error:
            c["error"] = error
        else:
            c["expect"] = expect
        cases[name] = c

    def expect(source, fmt_from, out, fmt_to, new_config, lost, source_config=None, result_config=None):
        r = report(source, fmt_from, out, fmt_to, new_config, lost, source_config)
        if new_config is None:
            r["result_config_digest"] = result_config or source_config
        return {"manifest": out.decode(), "config": new_config.decode() if new_config else None, "report": r}

    s2_config = sha256(config)
    case("s2-to-oci", "Docker to OCI keeps the config bytes by default: only the descriptor's media type changes, the image ID survives",
         "schema2", "oci", expect(schema2, "schema2", oci_kept(schema2), "oci-manifest", None, [], s2_config))
    lost = ["config." + k for k in unknown(pairs(config), OCI_IMAGE_FIELDS, {"config"}, OCI_CONFIG_FIELDS)]
    case("s2-to-oci-reencoded", "with reencode_config the config is re-encoded as skopeo --format oci does (Docker-only fields lost)",
         "schema2", "oci", expect(schema2, "schema2", oci, "oci-manifest", oci_config, lost, s2_config),
         blobs="data/blobs", reencode_config=True)
    case("s2-to-oci-reencoded-config-file", "the config to re-encode may be given as a file instead of a blob store",
         "schema2", "oci", expect(schema2, "schema2", oci, "oci-manifest", oci_config, lost, s2_config),
         config=f"data/blobs/sha256/{s2_config[7:]}", reencode_config=True)
    case("s2-to-oci-reencoded-no-config", "re-encoding needs the config: without it the conversion names the blob",
         "schema2", "oci", error="BLOB_UNKNOWN", reencode_config=True)
    case("s2-to-oci-reencoded-wrong-config", "a config file that is not the manifest's config is refused",
         "schema2", "oci", error="DIGEST_MISMATCH", config=f"data/blobs/sha256/{APP[7:]}", reencode_config=True)
    case("s2-unchanged", "converting to the format the manifest has returns it unchanged",
         "schema2", "v2s2", expect(schema2, "schema2", schema2, "schema2", None, [], s2_config))

    oci_id = sha256(oci_config)
    (back, _), _ = skopeo_convert(oci, "v2s2")
    case("oci-to-v2s2", "OCI to Docker keeps the config bytes; skopeo's manifest byte for byte",
         "oci", "v2s2", expect(oci, "oci-manifest", back, "schema2", None, [], oci_id))
    case("oci-unchanged", "an OCI manifest converted to OCI is returned unchanged",
         "oci", "oci", expect(oci, "oci-manifest", oci, "oci-manifest", None, [], oci_id))

    rich = json.loads(oci)
    rich["config"]["annotations"] = {"c": "1"}
    rich["layers"][0]["annotations"] = {"org.example.layer": "base <1>"}
    rich["layers"][1]["urls"] = ["https://example.com/layer?a=1&b=2"]
    rich["annotations"] = {"org.opencontainers.image.title": "app"}
    rich["subject"] = {"mediaType": "application/vnd.oci.image.manifest.v1+json", "size": 7,
                       "digest": "sha256:" + "5" * 64}
    rich["artifactType"] = "application/vnd.example.signed"
    rich_text = (json.dumps(rich, indent=2) + "\n").encode()
    inputs["oci-annotated"] = rich_text
    (rich_back, _), _ = skopeo_convert(rich_text, "v2s2")
    case("oci-annotated-to-v2s2", "OCI to Docker loses annotations (manifest, config, layers), subject and artifactType, and keeps urls; skopeo's manifest",
         "oci-annotated", "v2s2",
         expect(rich_text, "oci-manifest", rich_back, "schema2", None,
                ["config.annotations", "layers.annotations", "annotations", "subject", "artifactType"], oci_id))

    artifact = json.loads(oci)
    artifact["config"]["mediaType"] = "application/vnd.example.config.v1+json"
    inputs["oci-artifact"] = (json.dumps(artifact, indent=2) + "\n").encode()
    assert skopeo_convert(inputs["oci-artifact"], "v2s2")[0] is None
    case("oci-artifact-to-v2s2", "an OCI artifact (config not an image config) has no Docker form",
         "oci-artifact", "v2s2", error="CONVERSION")
    for kind, media_type in [("zstd", "application/vnd.oci.image.layer.v1.tar+zstd"),
                             ("encrypted", "application/vnd.oci.image.layer.v1.tar+gzip+encrypted")]:
        m = json.loads(oci)
        m["layers"][1]["mediaType"] = media_type
        inputs[f"oci-{kind}-layer"] = (json.dumps(m, indent=2) + "\n").encode()
        case(f"oci-{kind}-layer-to-v2s2", f"a {kind} layer has no Docker media type: refused, nothing written",
             f"oci-{kind}-layer", "v2s2", error="CONVERSION")
    odd = json.loads(schema2)
    odd["layers"][0]["mediaType"] = "application/vnd.docker.image.rootfs.diff.tar.zstd"
    inputs["schema2-unknown-layer"] = (json.dumps(odd, indent=3) + "\n").encode()
    case("s2-unknown-layer-to-oci", "a layer media type with no OCI equivalent is refused",
         "schema2-unknown-layer", "oci", error="UNSUPPORTED_MEDIA_TYPE")

    foreign = json.loads(schema2)
    foreign["layers"][0]["mediaType"] = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip"
    foreign["layers"][0]["urls"] = ["https://example.com/base.tar.gz"]
    foreign["layers"][1]["mediaType"] = "application/vnd.docker.image.rootfs.diff.tar"
    foreign_text = compact(foreign).encode()
    inputs["schema2-foreign"] = foreign_text
    desc = lambda d, t: {"mediaType": t, "digest": d["digest"], "size": d["size"], **({"urls": d["urls"]} if "urls" in d else {})}
    oci_types = {**DOCKER_TO_OCI_LAYER,
                 "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip":
                     "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip"}
    foreign_oci = compact({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                           "config": desc(foreign["config"], OCI_CONFIG),
                           "layers": [desc(l, oci_types[l["mediaType"]]) for l in foreign["layers"]]}).encode()
    case("s2-foreign-to-oci", "foreign layers become non-distributable ones, keeping their urls; plain tar stays plain",
         "schema2-foreign", "oci", expect(foreign_text, "schema2", foreign_oci, "oci-manifest", None, [], s2_config))

    lists(inputs, case, expect, schema2, oci)
    return inputs, cases


def skopeo_list(listed, child, fmt):
    """skopeo copy --all --format FMT of a list whose entries all point at
    `child`; skopeo converts the child too, so its new descriptor is put
    back to the original in skopeo's output (the fields stay in place)."""
    with tempfile.TemporaryDirectory() as tmp:
        src, dst = os.path.join(tmp, "src"), os.path.join(tmp, "dst")
        os.mkdir(src)
        for name in os.listdir(STORE):
            shutil.copy(os.path.join(STORE, name), src)
        open(os.path.join(src, sha256(child)[7:] + ".manifest.json"), "wb").write(child)
        open(os.path.join(src, "manifest.json"), "wb").write(listed)
        open(os.path.join(src, "version"), "w").write("Directory Transport Version: 1.1\n")
        subprocess.run(["skopeo", "copy", "-q", "--all", "--format", fmt, f"dir:{src}", f"dir:{dst}"],
                       check=True, capture_output=True)
        out = open(os.path.join(dst, "manifest.json"), "rb").read()
        new = json.loads(out)["manifests"][0]
        child_type = json.loads(child)["mediaType"]
        for a, b in [(f'"mediaType":"{new["mediaType"]}"', f'"mediaType":"{child_type}"'),
                     (f'"digest":"{new["digest"]}"', f'"digest":"{sha256(child)}"'),
                     (f'"size":{new["size"]}', f'"size":{len(child)}')]:
            out = out.replace(a.encode(), b.encode())
        return out


def lists(inputs, case, expect, child, oci_child_bytes):
    """Lists and indexes; expectations written in containers/image's
    struct order (Schema2List, image-spec Index) and checked against
    skopeo's `copy --all --format` of the same list."""
    d = {"mediaType": S2, "size": len(child), "digest": sha256(child)}
    docker = {"schemaVersion": 2, "mediaType": DOCKER_LIST, "manifests": [
        {**d, "platform": {"architecture": "amd64", "os": "linux", "features": ["sse4"]}},
        {**d, "platform": {"architecture": "arm64", "os": "linux", "variant": "v8"}},
        {**d, "platform": {"architecture": "amd64", "os": "windows", "os.version": "10.0.17763.1040",
                           "os.features": ["win32k"]}},
    ]}
    docker_text = (json.dumps(docker, indent=3) + "\n").encode()
    inputs["docker-list"] = docker_text
    oci_entry = lambda e: {"mediaType": e["mediaType"], "digest": e["digest"], "size": e["size"],
                           "platform": {k: e["platform"][k] for k in ("architecture", "os", "os.version", "os.features", "variant")
                                        if k in e["platform"]}}
    index = compact({"schemaVersion": 2, "mediaType": OCI_INDEX,
                     "manifests": [oci_entry(e) for e in docker["manifests"]]}).encode()
    assert skopeo_list(docker_text, child, "oci") == index, "skopeo writes another index"
    case("docker-list-to-oci", "a Docker list becomes an OCI index: entries keep their media type and digest, CPU features are dropped",
         "docker-list", "oci", expect(docker_text, "docker-list", index, "oci-index", None, ["manifests.platform.features"]))
    case("docker-list-unchanged", "a Docker list converted to v2s2 is returned unchanged",
         "docker-list", "v2s2", expect(docker_text, "docker-list", docker_text, "docker-list", None, []))

    oci_child = {"mediaType": "application/vnd.oci.image.manifest.v1+json", "size": len(oci_child_bytes),
                 "digest": sha256(oci_child_bytes)}
    oci_index = {"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": [
        {**oci_child, "platform": {"os": "linux", "architecture": "arm", "variant": "v7"},
         "annotations": {"org.opencontainers.image.ref.name": "v1"}},
        {**oci_child, "platform": {"os": "windows", "architecture": "amd64", "os.version": "10.0.20348.1",
                                   "os.features": ["win32k"]}, "urls": ["https://example.com/<m>"]},
    ], "annotations": {"org.example": "x"}}
    oci_text = (json.dumps(oci_index, indent=2) + "\n").encode()
    inputs["oci-index"] = oci_text
    docker_entry = lambda e: {"mediaType": e["mediaType"], "size": e["size"], "digest": e["digest"],
                              **({"urls": e["urls"]} if "urls" in e else {}),
                              "platform": {k: e["platform"][k] for k in ("architecture", "os", "os.version", "os.features", "variant")
                                           if k in e["platform"]}}
    listed = compact({"schemaVersion": 2, "mediaType": DOCKER_LIST,
                      "manifests": [docker_entry(e) for e in oci_index["manifests"]]}).encode()
    listed = listed.replace(b"<", b"\\u003c").replace(b">", b"\\u003e")
    assert skopeo_list(oci_text, oci_child_bytes, "v2s2") == listed, "skopeo writes another list"
    case("oci-index-to-v2s2", "an OCI index becomes a Docker list: platforms in Docker's field order, urls kept, annotations lost",
         "oci-index", "v2s2", expect(oci_text, "oci-index", listed, "docker-list", None,
                                      ["manifests.annotations", "annotations"]))
    bare = json.loads(oci_text)
    del bare["manifests"][1]["platform"]
    inputs["oci-index-no-platform"] = (json.dumps(bare, indent=2) + "\n").encode()
    case("oci-index-no-platform-to-v2s2", "every Docker list entry needs a platform: refused rather than guessed",
         "oci-index-no-platform", "v2s2", error="CONVERSION")
    case("oci-index-unchanged", "an OCI index converted to OCI is returned unchanged",
         "oci-index", "oci", expect(oci_text, "oci-index", oci_text, "oci-index", None, []))
