"""tranship.compat.containerregistry against the real distribution
registries scripts/test-bindings starts, and on archives and folders:

    TRANSHIP_TEST_REGISTRY=127.0.0.1:PORT           open
    TRANSHIP_TEST_SCHEMA1_REGISTRY=127.0.0.1:PORT   open, accepts schema 1
    TRANSHIP_TEST_AUTH_REGISTRY=127.0.0.1:PORT      htpasswd Basic
    TRANSHIP_TEST_AUTH_USER, TRANSHIP_TEST_AUTH_PASSWORD

Without them the registry tests skip, saying why (they fail with
TRANSHIP_REQUIRE_REGISTRY set). The image is the bundled schema 1 one
(examples/hello-schema1), pushed as it is and upconverted.
bindings-python/tests/compat_compare.py runs the same calls on Google's
library and compares the results.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import stat
import tarfile
from pathlib import Path
from typing import Any

import pytest

import tranship
from test_registry import env, unique
from tranship.compat.containerregistry.client import docker_creds, docker_name
from tranship.compat.containerregistry.client.v2 import docker_image as v2_image
from tranship.compat.containerregistry.client.v2_2 import (
    docker_http,
    docker_image,
    docker_image_list,
    docker_session,
    save,
    v2_compat,
)
from tranship.compat.containerregistry.transport import transport_pool

ROOT = Path(__file__).resolve().parents[2]
SOURCE = f"oci:{ROOT / 'examples' / 'hello-schema1'}:v1"
SCHEMA1 = "sha256:a86f5da515e66d1480fd288a4ad3f2c701279cb1ed3e5bf4e46afc50d121cfa1"
SCHEMA2 = "sha256:0cb20f286091727f78b1714cea649a7cec646ef65b5bfabbf1c148ecfb76e69b"
CONFIG = "sha256:0ee95c57cff9d1ee3e6d7c654622b51c32b552d80c6c487a0a4337239783200f"
# Top first, as containerregistry lists them.
LAYERS = ["sha256:bbf12d8d02f125d794bdfd1bde37fea58e0ccbe27f857ab5e0b9d8fd1b821ea1",
          "sha256:7f08cc739bd162b13d71a3c476d90b26ae6eb11839061157c082aea5c22e84d6"]
DIFF_IDS = ["sha256:79633bcabbffd4d0ac88a8063c09a70ce85de3af7f65b92f9d0997b6d4a007b6",
            "sha256:78bf82147c680ab545a785674a7a855cdcfde1e1041b857bf485cee6a4d1301b"]
ANON = docker_creds.Anonymous()
TRANSPORT = transport_pool.Http(None, size=4)


def sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


@pytest.fixture
def hello() -> docker_name.Tag:
    """The bundled image as schema 2 in the open registry, a new repository each time."""
    registry = env("TRANSHIP_TEST_REGISTRY")
    name = f"{registry}/{unique('hello')}:v1"
    tranship.Registry().copy(SOURCE, f"docker://{name}", format="v2s2")
    return docker_name.Tag(name)


@pytest.fixture
def hello_schema1() -> docker_name.Tag:
    registry = env("TRANSHIP_TEST_SCHEMA1_REGISTRY")
    name = f"{registry}/{unique('hello-s1')}:v1"
    tranship.Registry().copy(SOURCE, f"docker://{name}")
    return docker_name.Tag(name)


def check_image(image: docker_image.DockerImage, tmp_path: Path, digest: str = SCHEMA2) -> None:
    """What every schema 2 form of the bundled image answers."""
    manifest = image.manifest()
    assert isinstance(manifest, str)
    assert image.digest() == digest == sha256(manifest.encode())
    assert image.media_type() == docker_http.MANIFEST_SCHEMA2_MIME
    assert image.config_blob() == CONFIG
    assert sha256(image.config_file().encode()) == CONFIG
    assert image.fs_layers() == LAYERS == [x["digest"] for x in reversed(json.loads(manifest)["layers"])]
    assert image.diff_ids() == DIFF_IDS
    assert image.blob_set() == set(LAYERS) | {CONFIG}
    for digest, diff_id in zip(LAYERS, DIFF_IDS):
        blob = image.blob(digest)
        assert isinstance(blob, bytes) and sha256(blob) == digest
        assert image.blob_size(digest) == len(blob)
        assert sha256(image.uncompressed_blob(digest)) == diff_id
        assert image.digest_to_diff_id(digest) == diff_id
        assert sha256(image.uncompressed_layer(diff_id)) == diff_id
        # The streaming forms.
        path = tmp_path / digest.split(":")[1]
        image.blob_to_file(digest, path)
        assert sha256(path.read_bytes()) == digest
        with image.open_blob(digest) as f:
            assert sha256(f.read()) == digest


def test_names() -> None:
    tag = docker_name.Tag("localhost:5000/team/app:v1")
    assert (tag.registry, tag.repository, tag.tag, str(tag)) == (
        "localhost:5000", "team/app", "v1", "localhost:5000/team/app:v1")
    assert str(tag.as_repository()) == "localhost:5000/team/app"
    assert tag.scope(docker_http.PULL) == "repository:team/app:pull"
    assert docker_name.Tag("gcr.io/a/b", strict=False).tag == "latest"
    d = docker_name.Digest("gcr.io/a/b@" + SCHEMA2)
    assert (d.digest, str(d.as_repository())) == (SCHEMA2, "gcr.io/a/b")
    assert docker_name.Tag("gcr.io/a/b:c") == docker_name.Tag("gcr.io/a/b:c")
    assert isinstance(docker_name.from_string("gcr.io/a/b@" + SCHEMA2), docker_name.Digest)
    assert docker_name.Registry("gcr.io").registry == "gcr.io"
    for bad in ("gcr.io/a/b:-x", "gcr.io/UPPER/b:c", "gcr.io/a/b@sha256:1234", "nohost/x:y"):
        with pytest.raises(docker_name.BadNameException) as caught:
            docker_name.Tag(bad) if "@" not in bad else docker_name.Digest(bad)
        assert caught.value.code == "INVALID_REFERENCE"
        assert isinstance(caught.value, tranship.ReferenceError)


def test_scheme() -> None:
    # The old library sent https to 127.0.0.1; loopback is plain http here.
    assert docker_http.Scheme("127.0.0.1:5000") == "http"
    assert docker_http.Scheme("localhost:5000") == "http"
    assert docker_http.Scheme("[::1]:5000") == "http"
    assert docker_http.Scheme("registry.local:5000") == "http"
    assert docker_http.Scheme("gcr.io") == "https"
    assert docker_http.Scheme("127.0.0.1.example.com") == "https"


def test_from_registry(hello: docker_name.Tag, tmp_path: Path) -> None:
    with docker_image.FromRegistry(hello, ANON, TRANSPORT) as image:
        check_image(image, tmp_path)
        assert image.exists()
        assert image.tags() == ["v1"]
    # By digest, OCI accepted too.
    by_digest = docker_name.Digest(f"{hello.as_repository()}@{SCHEMA2}")
    with docker_image.FromRegistry(by_digest, ANON, TRANSPORT,
                                   docker_http.SUPPORTED_MANIFEST_MIMES) as image:
        assert image.digest() == SCHEMA2
    # The repository's children, from the catalog.
    parent = docker_name.Tag(f"{hello.registry}/{hello.repository.split('/')[0]}:x")
    assert docker_image.FromRegistry(parent, ANON).children() == ["hello"]


def test_from_registry_errors(hello: docker_name.Tag) -> None:
    missing = docker_name.Tag(f"{hello.as_repository()}:missing")
    with docker_image.FromRegistry(missing, ANON, TRANSPORT) as image:
        assert not image.exists()
        with pytest.raises(docker_http.V2DiagnosticException) as caught:
            image.manifest()
    err = caught.value
    assert (err.status, err.code) == (404, "MANIFEST_UNKNOWN")
    assert isinstance(err, tranship.RegistryError)
    assert [d.code for d in err.diagnostics] == ["MANIFEST_UNKNOWN"]
    with docker_image.FromRegistry(hello, ANON) as image:
        with pytest.raises(docker_http.V2DiagnosticException) as caught:
            image.blob("sha256:" + "0" * 64)
        assert (caught.value.status, caught.value.code) == (404, "BLOB_UNKNOWN")
        with pytest.raises(docker_http.V2DiagnosticException):
            image.blob_size("sha256:" + "0" * 64)
    # An OCI-only client asks for what the registry does not hold as such.
    with docker_image.FromRegistry(hello, ANON, None, docker_http.OCI_MANIFEST_MIMES) as image:
        assert not image.exists()


def test_basic_credentials(tmp_path: Path) -> None:
    registry = env("TRANSHIP_TEST_AUTH_REGISTRY")
    user, password = env("TRANSHIP_TEST_AUTH_USER"), env("TRANSHIP_TEST_AUTH_PASSWORD")
    name = docker_name.Tag(f"{registry}/{unique('auth')}:v1")
    with docker_session.Push(name, docker_creds.Basic(user, password), TRANSPORT) as push:
        push.upload(docker_image.FromTarball(str(archive_of_hello(tmp_path))))
    with docker_image.FromRegistry(name, docker_creds.Basic(user, "wrong"), TRANSPORT) as image:
        with pytest.raises(docker_http.V2DiagnosticException) as caught:
            image.manifest()
        assert (caught.value.status, caught.value.code) == (401, "UNAUTHORIZED")
    # A credential helper named by Docker's config, found by DefaultKeychain.
    helper = tmp_path / "bin" / "docker-credential-compat-test"
    helper.parent.mkdir()
    helper.write_text("#!/bin/sh\nread host\n"
                      f"[ \"$host\" = {registry} ] || exit 1\n"
                      f"echo '{{\"Username\":\"{user}\",\"Secret\":\"{password}\"}}'\n")
    helper.chmod(helper.stat().st_mode | stat.S_IEXEC)
    config = tmp_path / "docker"
    config.mkdir()
    (config / "config.json").write_text(json.dumps({"credHelpers": {registry: "compat-test"}}))
    keychain = docker_creds._DefaultKeychain()
    keychain.setCustomConfigDir(str(config))
    old_path = os.environ["PATH"]
    os.environ["PATH"] = f"{helper.parent}:{old_path}"
    try:
        creds = keychain.Resolve(name)
        assert isinstance(creds, docker_creds.Helper)
        assert creds.Get() == docker_creds.Basic(user, password).Get()
        with docker_image.FromRegistry(name, creds, TRANSPORT) as image:
            assert image.digest() == SCHEMA2
    finally:
        os.environ["PATH"] = old_path


def archive_of_hello(tmp_path: Path) -> Path:
    path = tmp_path / "hello.tar"
    if not path.exists():
        tranship.Registry().copy(SOURCE, f"docker-archive:{path}:examples/hello:v1")
    return path


def test_save_tarball_and_from_tarball(hello: docker_name.Tag, tmp_path: Path) -> None:
    out = tmp_path / "saved.tar"
    with docker_image.FromRegistry(hello, ANON, TRANSPORT) as image, tarfile.open(out, "w") as tar:
        # A member of the caller's own stays where it was written.
        note = b"written before"
        info = tarfile.TarInfo("NOTE")
        info.size = len(note)
        tar.addfile(info, io.BytesIO(note))
        save.tarball(hello, image, tar)
    with tarfile.open(out) as tar:
        assert tar.getnames()[0] == "NOTE"
        assert tar.extractfile("NOTE").read() == note  # type: ignore[union-attr]
        [entry] = json.load(tar.extractfile("manifest.json"))  # type: ignore[arg-type]
        assert entry["RepoTags"] == [str(hello)]
        config = tar.extractfile(entry["Config"]).read()  # type: ignore[union-attr]
        assert sha256(config) == CONFIG
        assert [sha256(tar.extractfile(layer).read()) for layer in entry["Layers"]] == \
            list(reversed(LAYERS))  # type: ignore[union-attr]
        repositories = json.load(tar.extractfile("repositories"))  # type: ignore[arg-type]
        assert list(repositories) == [str(hello.as_repository())]
    with docker_image.FromTarball(str(out)) as image:
        assert image.config_file() == config.decode()
        check_image(image, tmp_path)
    with docker_image.FromTarball(str(out), name=hello) as image:
        assert image.digest() == SCHEMA2
    with pytest.raises(ValueError):
        docker_image.FromTarball(str(out), name="other/name:v1").__enter__()
    # Into a compressed stream and into memory (no file to copy into in the kernel).
    zipped = tmp_path / "saved.tar.gz"
    in_memory = io.BytesIO()
    with docker_image.FromRegistry(hello, ANON) as image:
        with tarfile.open(zipped, "w:gz") as tar:
            save.tarball(hello, image, tar)
        with tarfile.open(fileobj=in_memory, mode="w") as tar:
            save.tarball(hello, image, tar)
    in_memory.seek(0)
    for opened in (tarfile.open(zipped), tarfile.open(fileobj=in_memory)):
        with opened as tar:
            [entry] = json.load(tar.extractfile("manifest.json"))  # type: ignore[arg-type]
            assert sha256(tar.extractfile(entry["Config"]).read()) == CONFIG  # type: ignore[union-attr]
    with docker_image.FromTarball(str(zipped)) as image:
        assert image.diff_ids() == DIFF_IDS and image.digest() == SCHEMA2
    # Two images, each under its tag.
    two = tmp_path / "two.tar"
    other = docker_name.Tag("example.com/other/name:v2")
    with docker_image.FromRegistry(hello, ANON) as image, tarfile.open(two, "w") as tar:
        save.multi_image_tarball({hello: image, other: image}, tar)
    with tarfile.open(two) as tar:
        entries = json.load(tar.extractfile("manifest.json"))  # type: ignore[arg-type]
    assert sorted(t for e in entries for t in e["RepoTags"]) == sorted([str(hello), str(other)])
    with docker_image.FromTarball(str(two), name=other) as image:
        assert image.diff_ids() == DIFF_IDS
    # Names are compared as references: Docker Hub's long form finds the short one.
    with docker_image.FromTarball(str(archive_of_hello(tmp_path)),
                                  name="index.docker.io/examples/hello:v1") as image:
        assert image.digest() == SCHEMA2


def test_save_fast_and_from_disk(hello: docker_name.Tag, tmp_path: Path) -> None:
    folder = tmp_path / "fast"
    folder.mkdir()
    cache = tmp_path / "cache"
    cache.mkdir()
    with docker_image.FromRegistry(hello, ANON, TRANSPORT) as image:
        config_path, layers = save.fast(image, str(folder), threads=4,
                                        cache_directory=str(cache))
    # The old save.fast left `digest` empty (a str written to a binary file).
    assert (folder / "digest").read_text() == SCHEMA2
    assert (folder / "manifest.json").read_text() == image.manifest()
    assert [Path(n).read_text() for n, _ in layers] == [d.split(":")[1] for d in reversed(LAYERS)]
    assert sorted(os.listdir(cache)) == sorted(d.split(":")[1] for d in LAYERS)
    # Cached layers are linked, not downloaded again.
    with docker_image.FromRegistry(hello, ANON) as image:
        again = tmp_path / "again"
        again.mkdir()
        save.fast(image, str(again), cache_directory=str(cache))
    assert os.readlink(again / "000.tar.gz") == str(cache / LAYERS[1].split(":")[1])
    with docker_image.FromDisk(Path(config_path).read_text(), layers) as image:
        # Its own manifest, built as the old library built it (keys sorted).
        built = json.loads(image.manifest())
        assert list(built) == sorted(built)
        check_image(image, tmp_path, sha256(image.manifest().encode()))
    # A digest file with a newline, with the prefix, or empty: all name the layer.
    (folder / "000.sha256").write_text(LAYERS[1] + "\n")
    (folder / "001.sha256").write_text("")
    with docker_image.FromDisk(Path(config_path).read_text(), layers) as image:
        assert image.fs_layers() == LAYERS
    (folder / "001.sha256").write_text("not-a-digest")
    with pytest.raises(tranship.DigestError):
        docker_image.FromDisk(Path(config_path).read_text(), layers)
    # save.uncompressed: the layers' tars, named by diff_id.
    plain = tmp_path / "plain"
    plain.mkdir()
    with docker_image.FromRegistry(hello, ANON) as image:
        _, tars = save.uncompressed(image, str(plain), threads=2)
    assert [sha256(Path(t).read_bytes()) for _, t in tars] == list(reversed(DIFF_IDS))


def test_push(hello: docker_name.Tag, tmp_path: Path) -> None:
    registry = hello.registry
    # Registry -> registry, by tag and by digest.
    to = docker_name.Tag(f"{registry}/{unique('pushed')}:v2")
    with docker_image.FromRegistry(hello, ANON) as image:
        with docker_session.Push(to, ANON, TRANSPORT, threads=4) as push:
            push.upload(image)
        with docker_session.Push(to, ANON, TRANSPORT) as push:
            push.upload(image, use_digest=True)
    native = tranship.Registry()
    assert native.manifest_digest(str(to)) == SCHEMA2
    assert native.manifest_digest(f"{to.as_repository()}@{SCHEMA2}") == SCHEMA2
    # From a tarball and from files.
    tarred = docker_name.Tag(f"{registry}/{unique('from-tarball')}:v1")
    with docker_image.FromTarball(str(archive_of_hello(tmp_path))) as image:
        docker_session.Push(tarred, ANON, TRANSPORT).upload(image)
    assert native.manifest_digest(str(tarred)) == SCHEMA2
    folder = tmp_path / "fast"
    folder.mkdir()
    with docker_image.FromRegistry(hello, ANON) as image:
        config_path, layers = save.fast(image, str(folder))
    disked = docker_name.Tag(f"{registry}/{unique('from-disk')}:v1")
    with docker_image.FromDisk(Path(config_path).read_text(), layers) as image:
        docker_session.Push(disked, ANON, TRANSPORT).upload(image)
        assert native.manifest_digest(str(disked)) == image.digest()
        assert image.fs_layers() == LAYERS
    # Delete by tag: the tag's manifest goes.
    docker_session.Delete(disked, ANON, TRANSPORT)
    with docker_image.FromRegistry(disked, ANON) as image:
        assert not image.exists()


def push_platform_image(registry: str, repo: str, platform: dict[str, str]) -> dict[str, Any]:
    native = tranship.Registry()
    layer = gzip.compress(b"layer of " + json.dumps(platform).encode(), mtime=0)
    diff_id = sha256(gzip.decompress(layer))
    config = json.dumps({**platform, "rootfs": {"type": "layers", "diff_ids": [diff_id]}}).encode()
    native.push_blob(f"{registry}/{repo}", layer)
    native.push_blob(f"{registry}/{repo}", config)
    manifest = json.dumps({
        "schemaVersion": 2, "mediaType": docker_http.MANIFEST_SCHEMA2_MIME,
        "config": {"mediaType": docker_http.CONFIG_JSON_MIME, "digest": sha256(config),
                   "size": len(config)},
        "layers": [{"mediaType": docker_http.LAYER_MIME, "digest": sha256(layer),
                    "size": len(layer)}]}).encode()
    digest = native.put_manifest(f"{registry}/{repo}@{sha256(manifest)}",
                                 tranship.parse_manifest(manifest))
    return {"mediaType": docker_http.MANIFEST_SCHEMA2_MIME, "digest": digest,
            "size": len(manifest), "platform": platform}


def test_image_list(tmp_path: Path) -> None:
    registry = env("TRANSHIP_TEST_REGISTRY")
    repo = unique("list")
    entries = [push_platform_image(registry, repo, p) for p in (
        {"os": "linux", "architecture": "amd64"},
        {"os": "linux", "architecture": "arm64", "variant": "v8"},
        {"os": "linux", "architecture": "arm", "variant": "v7"})]
    index = json.dumps({"schemaVersion": 2, "mediaType": docker_http.MANIFEST_LIST_MIME,
                        "manifests": entries}).encode()
    native = tranship.Registry()
    native.put_manifest(f"{registry}/{repo}:multi", tranship.parse_manifest(index))
    name = docker_name.Tag(f"{registry}/{repo}:multi")
    with docker_image_list.FromRegistry(name, ANON, TRANSPORT) as image_list:
        assert image_list.exists()
        assert image_list.digest() == sha256(index)
        assert image_list.media_type() == docker_http.MANIFEST_LIST_MIME
        assert [p.architecture() for p, _ in image_list] == ["amd64", "arm64", "arm"]
        assert image_list.resolve().digest() == entries[0]["digest"]
        # arm64 without a variant runs the v8 entry (the old matcher found nothing).
        arm64 = docker_image_list.Platform({"os": "linux", "architecture": "arm64"})
        assert image_list.resolve(arm64).digest() == entries[1]["digest"]
        aarch64 = docker_image_list.Platform({"os": "linux", "architecture": "aarch64"})
        assert image_list.resolve(aarch64).digest() == entries[1]["digest"]
        v6 = docker_image_list.Platform({"os": "linux", "architecture": "arm", "variant": "v6"})
        assert image_list.resolve_all(v6) == []
        with pytest.raises(tranship.PlatformError):
            image_list.resolve(docker_image_list.Platform({"os": "linux",
                                                           "architecture": "s390x"}))
        # The whole list, pushed elsewhere: the same digest, every child there.
        to = docker_name.Tag(f"{registry}/{unique('list-pushed')}:multi")
        docker_session.Push(to, ANON, TRANSPORT, threads=2).upload(image_list)
    assert native.manifest_digest(str(to)) == sha256(index)
    for entry in entries:
        assert native.manifest_digest(f"{to.as_repository()}@{entry['digest']}") == entry["digest"]
    # A list made of images, pushed child by child.
    with docker_image_list.FromRegistry(name, ANON) as image_list:
        children = [(p, img) for p, img in image_list][:2]
        made = docker_image_list.FromList(children)
        to = docker_name.Tag(f"{registry}/{unique('from-list')}:multi")
        docker_session.Push(to, ANON, TRANSPORT).upload(made)
        assert native.manifest_digest(str(to)) == made.digest()
        assert made.resolve(arm64).digest() == entries[1]["digest"]


def test_schema1(hello_schema1: docker_name.Tag, tmp_path: Path) -> None:
    with v2_image.FromRegistry(hello_schema1, ANON, TRANSPORT) as v2:
        assert v2.exists()
        assert v2.digest() == SCHEMA1
        manifest = json.loads(v2.manifest())
        assert manifest["schemaVersion"] == 1 and "signatures" in manifest
        assert v2.fs_layers() == [x["blobSum"] for x in manifest["fsLayers"]]
        for digest in v2.blob_set():
            assert sha256(v2.blob(digest)) == digest
        with v2_compat.V22FromV2(v2) as v22:
            # skopeo's and Docker's upconversion: the image ID docker pull gives.
            check_image(v22, tmp_path)
            back = v2_compat.V2FromV22(v22)
    payload = json.loads(tranship.parse_manifest(back.manifest().encode()).payload)
    assert (payload["name"], payload["tag"]) == (hello_schema1.repository, "v1")
    # The empty layer stands for the config's empty_layer history entries.
    assert [d for d in back.fs_layers() if d != v2_compat.EMPTY_TAR_DIGEST] == LAYERS
    assert sha256(back.blob(v2_compat.EMPTY_TAR_DIGEST)) == v2_compat.EMPTY_TAR_DIGEST
    assert back.diff_id(LAYERS[0]) == DIFF_IDS[0]
    # A schema 1 image pushed as it is.
    to = docker_name.Tag(f"{hello_schema1.registry}/{unique('s1-pushed')}:v1")
    with v2_image.FromRegistry(hello_schema1, ANON) as v2, v2_compat.V22FromV2(v2) as v22:
        docker_session.Push(to, ANON).upload(v22)
    assert tranship.Registry().manifest_digest(str(to)) == SCHEMA2
