"""The same calls on Google's containerregistry and on tranship.compat.containerregistry.

    python compat_scenarios.py old|new REGISTRY WORKDIR > results.json

REGISTRY is ``localhost:PORT`` (the old library speaks plain http only to
``localhost``), holding what compat_compare.py pushed there:
``compare/hello:v1`` (schema 2), ``compare/hello-s1:v1`` (signed schema 1)
and ``compare/list:multi`` (a list of amd64, arm64/v8 and arm/v7 images).
Prints one JSON object of results; compat_compare.py compares the two.
Each scenario records what it returned or the exception it raised, so a
failure of one library is a result, not a crash.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import sys
import tarfile
import traceback
from typing import Any, Callable

LIBRARY, REGISTRY, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
PREFIX = {"old": "containerregistry", "new": "tranship.compat.containerregistry"}[LIBRARY]


def module(name: str) -> Any:
    """``from PREFIX.parent import last`` (the old package sets its modules as attributes)."""
    parent, _, last = f"{PREFIX}.{name}".rpartition(".")
    return getattr(importlib.import_module(parent), last)


docker_name = module("client.docker_name")
docker_creds = module("client.docker_creds")
docker_http = module("client.v2_2.docker_http")
docker_image = module("client.v2_2.docker_image")
docker_image_list = module("client.v2_2.docker_image_list")
docker_session = module("client.v2_2.docker_session")
save = module("client.v2_2.save")
v2_compat = module("client.v2_2.v2_compat")
v2_image = module("client.v2.docker_image")
transport_pool = module("transport.transport_pool")

if LIBRARY == "old":
    import httplib2

    TRANSPORT = transport_pool.Http(httplib2.Http, size=4)
else:
    TRANSPORT = transport_pool.Http(None, size=4)
ANON = docker_creds.Anonymous()
results: dict[str, Any] = {}


def sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def scenario(name: str) -> Callable[[Callable[[], Any]], None]:
    def run(body: Callable[[], Any]) -> None:
        try:
            results[name] = {"value": body()}
        except Exception as err:  # a result like any other
            results[name] = {"error": type(err).__name__, "status": getattr(err, "status", None),
                             "message": str(err).splitlines()[0][:200] if str(err) else "",
                             "trace": traceback.format_exc().splitlines()[-3:]}
    return run


def describe(image: Any) -> dict[str, Any]:
    layers = image.fs_layers()
    return {
        "digest": image.digest(),
        "media_type": image.media_type(),
        "manifest_sha256": sha256(image.manifest().encode("utf8")),
        "config_sha256": sha256(image.config_file().encode("utf8")),
        "fs_layers": layers,
        "diff_ids": image.diff_ids(),
        "blobs": [sha256(image.blob(d)) for d in layers],
        "uncompressed": [sha256(image.uncompressed_blob(d)) for d in layers],
        "blob_sizes": [image.blob_size(d) for d in layers],
    }


HELLO = docker_name.Tag(f"{REGISTRY}/compare/hello:v1")


@scenario("registry image")
def _() -> Any:
    with docker_image.FromRegistry(HELLO, ANON, TRANSPORT) as image:
        return dict(describe(image), exists=image.exists(), tags=image.tags())


@scenario("registry image by digest, OCI and schema 2 accepted")
def _() -> Any:
    with docker_image.FromRegistry(HELLO, ANON, TRANSPORT) as image:
        digest = image.digest()
    name = docker_name.Digest(f"{REGISTRY}/compare/hello@{digest}")
    with docker_image.FromRegistry(name, ANON, TRANSPORT,
                                   docker_http.SUPPORTED_MANIFEST_MIMES) as image:
        return {"digest": image.digest(), "diff_ids": image.diff_ids()}


@scenario("missing tag: exists")
def _() -> Any:
    with docker_image.FromRegistry(docker_name.Tag(f"{REGISTRY}/compare/hello:missing"), ANON,
                                   TRANSPORT) as image:
        return image.exists()


@scenario("missing tag: manifest")
def _() -> Any:
    with docker_image.FromRegistry(docker_name.Tag(f"{REGISTRY}/compare/hello:missing"), ANON,
                                   TRANSPORT) as image:
        return image.manifest()


@scenario("save.tarball")
def _() -> Any:
    path = os.path.join(WORK, f"{LIBRARY}.tar")
    with docker_image.FromRegistry(HELLO, ANON, TRANSPORT) as image, tarfile.open(path, "w") as tar:
        save.tarball(HELLO, image, tar)
    with tarfile.open(path) as tar:
        [entry] = json.load(tar.extractfile("manifest.json"))
        config = tar.extractfile(entry["Config"]).read()
        contents = []
        for layer in entry["Layers"]:
            data = tar.extractfile(layer).read()
            if data[:2] == b"\x1f\x8b":
                import gzip

                data = gzip.decompress(data)
            contents.append(sha256(data))
        repositories = json.load(tar.extractfile("repositories"))
    return {"path": path, "config": sha256(config), "repo_tags": entry["RepoTags"],
            "layer_contents": contents, "repositories": sorted(repositories)}


@scenario("FromTarball of the saved tarball")
def _() -> Any:
    path = os.path.join(WORK, f"{LIBRARY}.tar")
    with docker_image.FromTarball(path) as image:
        layers = image.fs_layers()
        return {"config_sha256": sha256(image.config_file().encode("utf8")),
                "diff_ids": image.diff_ids(), "fs_layers": layers, "digest": image.digest(),
                "uncompressed": [sha256(image.uncompressed_blob(d)) for d in layers]}


@scenario("save.fast + FromDisk")
def _() -> Any:
    folder = os.path.join(WORK, f"{LIBRARY}-fast")
    os.makedirs(folder)
    with docker_image.FromRegistry(HELLO, ANON, TRANSPORT) as image:
        config_path, layers = save.fast(image, folder, threads=4)
    files = {name: open(os.path.join(folder, name), "rb").read().decode()
             for name in sorted(os.listdir(folder)) if not name.endswith(".tar.gz")}
    with open(config_path) as f:
        config = f.read()
    with docker_image.FromDisk(config, layers) as image:
        disk = describe(image)
    return {"files": files, "from_disk": disk,
            "layer_files": [sha256(open(p, "rb").read()) for _, p in layers]}


@scenario("push: registry image, then FromDisk")
def _() -> Any:
    to = docker_name.Tag(f"{REGISTRY}/compare-{LIBRARY}/pushed:v1")
    with docker_image.FromRegistry(HELLO, ANON, TRANSPORT) as image:
        with docker_session.Push(to, ANON, TRANSPORT, threads=4) as push:
            push.upload(image)
    with docker_image.FromRegistry(to, ANON, TRANSPORT) as image:
        pushed = image.digest()
    folder = os.path.join(WORK, f"{LIBRARY}-fast")
    with open(os.path.join(folder, "config.json")) as f:
        config = f.read()
    layers = [(os.path.join(folder, "%03d.sha256" % i), os.path.join(folder, "%03d.tar.gz" % i))
              for i in range(len([n for n in os.listdir(folder) if n.endswith(".tar.gz")]))]
    disk_to = docker_name.Tag(f"{REGISTRY}/compare-{LIBRARY}/from-disk:v1")
    with docker_image.FromDisk(config, layers) as image:
        with docker_session.Push(disk_to, ANON, TRANSPORT) as push:
            push.upload(image)
    with docker_image.FromRegistry(disk_to, ANON, TRANSPORT) as image:
        return {"pushed": pushed, "from_disk": image.digest()}


LIST = docker_name.Tag(f"{REGISTRY}/compare/list:multi")


def resolve(target: dict[str, str] | None) -> Any:
    with docker_image_list.FromRegistry(LIST, ANON, TRANSPORT) as image_list:
        platform = docker_image_list.Platform(target) if target else None
        child = image_list.resolve(platform)
        with child:
            return child.digest()


@scenario("list")
def _() -> Any:
    with docker_image_list.FromRegistry(LIST, ANON, TRANSPORT) as image_list:
        return {"digest": image_list.digest(), "media_type": image_list.media_type(),
                "platforms": [dict(p) for p, _ in image_list], "exists": image_list.exists()}


@scenario("list: resolve()")
def _() -> Any:
    return resolve(None)


@scenario("list: resolve(linux/arm/v7)")
def _() -> Any:
    return resolve({"os": "linux", "architecture": "arm", "variant": "v7"})


@scenario("list: resolve(linux/arm64), the entry says v8")
def _() -> Any:
    return resolve({"os": "linux", "architecture": "arm64"})


S1 = docker_name.Tag(f"{REGISTRY}/compare/hello-s1:v1")


@scenario("schema 1 image")
def _() -> Any:
    with v2_image.FromRegistry(S1, ANON, TRANSPORT) as v2:
        return {"digest": v2.digest(), "fs_layers": v2.fs_layers(),
                "blobs": [sha256(v2.blob(d)) for d in v2.fs_layers()]}


@scenario("V22FromV2")
def _() -> Any:
    with v2_image.FromRegistry(S1, ANON, TRANSPORT) as v2, v2_compat.V22FromV2(v2) as v22:
        return {"digest": v22.digest(), "diff_ids": v22.diff_ids(), "fs_layers": v22.fs_layers(),
                "config_sha256": sha256(v22.config_file().encode("utf8"))}


@scenario("V2FromV22")
def _() -> Any:
    with docker_image.FromRegistry(HELLO, ANON, TRANSPORT) as image:
        with v2_compat.V2FromV22(image) as v2:
            manifest = json.loads(v2.manifest())
            return {"fs_layers": v2.fs_layers(), "signed": "signatures" in manifest,
                    "name": manifest.get("name"), "tag": manifest.get("tag")}


json.dump(results, sys.stdout, indent=1, sort_keys=True)
