"""Round trips through tranship.Registry and tranship.aio.Registry against
the real distribution registries scripts/test-bindings starts:

    TRANSHIP_TEST_REGISTRY=127.0.0.1:PORT       open
    TRANSHIP_TEST_AUTH_REGISTRY=127.0.0.1:PORT  htpasswd Basic
    TRANSHIP_TEST_AUTH_USER, TRANSHIP_TEST_AUTH_PASSWORD

Without them the tests skip, saying why; with TRANSHIP_REQUIRE_REGISTRY
set they fail instead. Every test pushes to repositories named
``python-<random>/...``, so runs and bindings never collide.

The round trip is written once, as a coroutine that awaits what the
asyncio client returns and takes the blocking client's values as they
are, and run with both.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import inspect
import json
import os
import random
import sys
import uuid
from pathlib import Path
from typing import Any, Callable, Union

import pytest

import tranship
import tranship.aio
from test_gil import assert_runs_beside_python

AnyRegistry = Union[tranship.Registry, tranship.aio.Registry]

OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_INDEX = "application/vnd.oci.image.index.v1+json"
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
OCI_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip"


def env(name: str) -> str:
    """The variable's value; skips (saying why) or, when registries are
    required, fails without it."""
    value = os.environ.get(name)
    if value:
        return value
    reason = f"{name} is not set (scripts/test-bindings starts the registries)"
    if os.environ.get("TRANSHIP_REQUIRE_REGISTRY"):
        pytest.fail(reason)
    pytest.skip(reason)  # pytest prints the reason (`-rs` in pyproject.toml)


@pytest.fixture
def registry() -> str:
    return env("TRANSHIP_TEST_REGISTRY")


@pytest.fixture
def auth() -> tuple[str, str, str]:
    return (
        env("TRANSHIP_TEST_AUTH_REGISTRY"),
        env("TRANSHIP_TEST_AUTH_USER"),
        env("TRANSHIP_TEST_AUTH_PASSWORD"),
    )


def unique(kind: str) -> str:
    return f"python-{uuid.uuid4().hex[:12]}/{kind}"


def sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def descriptor(media_type: str, data: bytes, **extra: Any) -> dict[str, Any]:
    return {"mediaType": media_type, "digest": sha256(data), "size": len(data), **extra}


class Image:
    """A config, layers of random bytes and an OCI manifest, as JSON text."""

    def __init__(self, seed: int, layer_sizes: list[int], architecture: str = "amd64"):
        rng = random.Random(seed)
        self.layers = [rng.randbytes(size) for size in layer_sizes]
        # The layers are not tar: their digests stand in for diff_ids.
        self.config = json.dumps({
            "architecture": architecture, "os": "linux",
            "config": {"Env": [f"SEED={seed}"]},
            "rootfs": {"type": "layers", "diff_ids": [sha256(x) for x in self.layers]},
        }).encode()
        self.raw = json.dumps({
            "schemaVersion": 2, "mediaType": OCI_MANIFEST,
            "config": descriptor(OCI_CONFIG, self.config),
            "layers": [descriptor(OCI_LAYER, x) for x in self.layers],
        }).encode()
        self.manifest = tranship.parse_manifest(self.raw)
        self.digest = sha256(self.raw)

    async def push(self, registry: AnyRegistry, reference: str) -> str:
        for blob in [self.config, *self.layers]:
            await settle(registry.push_blob(reference, blob))
        digest: str = await settle(registry.put_manifest(reference, self.manifest))
        return digest


async def settle(value: Any) -> Any:
    """What the asyncio client's future yields, or the blocking client's value."""
    return await value if inspect.isawaitable(value) else value


async def raises(code: str, call: Callable[[], Any]) -> tranship.TranshipError:
    """Checks that `call` (blocking) or what it returns (asyncio) raises
    the error `code`."""
    with pytest.raises(tranship.TranshipError) as caught:
        await settle(call())
    assert caught.value.code == code, caught.value
    return caught.value


def phases(events: list[dict[str, Any]]) -> list[str]:
    return [e["phase"] for e in events]


async def round_trip(r: AnyRegistry, registry: str, tmp_path: Path) -> None:
    repo = unique("app")
    base = f"{registry}/{repo}"
    image = Image(1, [1000, 300_000])
    small, large = image.layers

    # Blobs: bytes with progress, bytes with a given digest, a file.
    events: list[dict[str, Any]] = []
    pushed = await settle(r.push_blob(base, image.config, progress=events.append))
    assert (pushed.digest, pushed.size, pushed.outcome) == (
        sha256(image.config), len(image.config), "uploaded")
    assert phases(events)[0] == "started" and phases(events)[-1] == "finished"
    assert events[-1]["done"] == events[-1]["total"] == len(image.config)
    assert {e["direction"] for e in events} == {"upload"}
    assert {e["digest"] for e in events} == {pushed.digest}

    pushed = await settle(r.push_blob(base, small, digest=sha256(small)))
    assert pushed.outcome == "uploaded"
    path = tmp_path / "large"
    path.write_bytes(large)
    events = []
    pushed = await settle(r.push_blob_file(base, str(path), progress=events.append))
    assert (pushed.digest, pushed.size, pushed.outcome) == (sha256(large), len(large), "uploaded")
    assert phases(events)[0] == "started" and phases(events)[-1] == "finished"
    assert events[-1]["done"] == len(large)

    # Pushing again: it exists. From another repository: mounted.
    events = []
    again = await settle(r.push_blob(base, small, progress=events.append))
    assert again.outcome == "existed" and phases(events) == ["exists"]
    other = f"{registry}/{unique('mounted')}"
    mounted = await settle(r.push_blob_file(other, path, mount_from=[f"docker://{base}"]))
    assert (mounted.digest, mounted.outcome) == (sha256(large), "mounted")
    assert await settle(r.get_blob(other, sha256(large))) == large

    # The manifest, by tag and by digest.
    tagged = f"{base}:v1"
    assert await settle(r.put_manifest(tagged, image.manifest)) == image.digest
    got = await settle(r.get_manifest(tagged))
    assert got.manifest.raw == image.raw
    assert got.digest == got.manifest.digest() == image.digest
    assert got.content_type == OCI_MANIFEST
    assert got.reference == tagged
    assert got.index_digest is None and got.platform is None
    pinned = await settle(r.get_manifest(f"{base}@{image.digest}", accept=[OCI_MANIFEST]))
    assert pinned.manifest.raw == image.raw and pinned.digest == image.digest

    head = await settle(r.head_manifest(tagged))
    assert (head.digest, head.media_type, head.size) == (image.digest, OCI_MANIFEST, len(image.raw))
    assert await settle(r.manifest_digest(tagged)) == image.digest
    assert await settle(r.tags(base)) == ["v1"]
    assert repo in await settle(r.catalog(f"https://{registry}/v2/"))

    # Blobs back: exists, bytes, a file (progress, nothing else left).
    assert await settle(r.blob_exists(base, sha256(large))) == len(large)
    assert await settle(r.blob_exists(base, sha256(b"absent"))) is None
    assert await settle(r.get_blob(base, sha256(image.config))) == image.config
    out = tmp_path / "pulled"
    out.mkdir()
    events = []
    await settle(r.get_blob_to_file(base, sha256(large), out / "layer", progress=events.append))
    assert (out / "layer").read_bytes() == large
    assert os.listdir(out) == ["layer"]
    assert phases(events)[0] == "started" and phases(events)[-1] == "finished"
    assert events[-1]["done"] == len(large) and events[-1]["direction"] == "download"

    # An index of two platforms; get_manifest chooses the platform's.
    arm = Image(2, [500], architecture="arm64")
    arm_digest = await arm.push(r, f"{base}:arm64")
    index_raw = json.dumps({
        "schemaVersion": 2, "mediaType": OCI_INDEX,
        "manifests": [
            descriptor(OCI_MANIFEST, image.raw, platform={"architecture": "amd64", "os": "linux"}),
            descriptor(OCI_MANIFEST, arm.raw, platform={"architecture": "arm64", "os": "linux"}),
        ],
    }).encode()
    index = tranship.parse_manifest(index_raw)
    assert await settle(r.put_manifest(f"{base}:multi", index)) == index.digest()
    chosen = await settle(r.get_manifest(f"{base}:multi", platform="linux/arm64"))
    assert chosen.manifest.raw == arm.raw and chosen.digest == arm_digest
    assert chosen.reference == f"{base}@{arm_digest}"
    assert (chosen.index_digest, chosen.platform) == (index.digest(), "linux/arm64")
    whole = await settle(r.get_manifest(f"{base}:multi"))
    assert whole.manifest.raw == index_raw and whole.platform is None

    # Referrers: distribution 2.8 has no referrers API, so the tag schema
    # (an index tagged sha256-<hex>) stands in.
    assert await settle(r.referrers(base, image.digest)) == []
    sbom = Image(3, [10])
    sbom_digest = await sbom.push(r, f"{base}:sbom")
    referrers_index = tranship.parse_manifest(json.dumps({
        "schemaVersion": 2, "mediaType": OCI_INDEX,
        "manifests": [descriptor(OCI_MANIFEST, sbom.raw, artifactType="application/example.sbom",
                                 annotations={"org.example": "yes"})],
    }).encode())
    await settle(r.put_manifest(f"{base}:{image.digest.replace(':', '-')}", referrers_index))
    found = await settle(r.referrers(base, image.digest))
    assert found == [{
        "media_type": OCI_MANIFEST, "digest": sbom_digest, "size": len(sbom.raw),
        "artifact_type": "application/example.sbom", "annotations": {"org.example": "yes"},
    }]
    assert await settle(r.referrers(base, image.digest, artifact_type="application/other")) == []

    # Deleting, and what is missing.
    assert await settle(r.delete_manifest(tagged)) == image.digest
    error = await raises("MANIFEST_UNKNOWN", lambda: r.get_manifest(f"{base}@{image.digest}"))
    assert isinstance(error, tranship.RegistryError)
    await raises("MANIFEST_UNKNOWN", lambda: r.get_manifest(f"{base}:never"))
    await raises("BLOB_UNKNOWN", lambda: r.get_blob(base, sha256(b"never pushed")))
    await raises("NAME_UNKNOWN", lambda: r.tags(f"{registry}/{unique('none')}"))


def test_round_trip(registry: str, tmp_path: Path) -> None:
    asyncio.run(round_trip(tranship.Registry(), registry, tmp_path))


def test_round_trip_aio(registry: str, tmp_path: Path) -> None:
    async def main() -> None:
        await round_trip(tranship.aio.Registry(), registry, tmp_path)

    asyncio.run(main())


def test_aio_calls_run_concurrently(registry: str) -> None:
    async def main() -> None:
        r = tranship.aio.Registry(max_concurrent_requests=4)
        base = f"{registry}/{unique('gather')}"
        images = [Image(10 + i, [2000, 50_000]) for i in range(3)]
        blobs = {b for image in images for b in [image.config, *image.layers]}
        pushed = await asyncio.gather(*(r.push_blob(base, b) for b in blobs))
        assert sorted(p.digest for p in pushed) == sorted(sha256(b) for b in blobs)
        digests = await asyncio.gather(
            *(r.put_manifest(f"{base}:t{i}", image.manifest) for i, image in enumerate(images))
        )
        assert digests == [image.digest for image in images]
        fetched, tags, head, config = await asyncio.gather(
            asyncio.gather(*(r.get_manifest(f"{base}@{d}") for d in digests)),
            r.tags(base),
            r.head_manifest(f"{base}:t0"),
            r.get_blob(base, sha256(images[1].config)),
        )
        assert [f.manifest.raw for f in fetched] == [image.raw for image in images]
        assert sorted(tags) == ["t0", "t1", "t2"]
        assert head.digest == digests[0]
        assert config == images[1].config

    asyncio.run(main())


def test_aio_methods_are_coroutines(registry: str) -> None:
    sync_methods = {n for n in dir(tranship.Registry) if not n.startswith("_")}
    aio_methods = {n for n in dir(tranship.aio.Registry) if not n.startswith("_")}
    assert aio_methods == sync_methods
    assert all(inspect.iscoroutinefunction(getattr(tranship.aio.Registry, n)) for n in aio_methods)
    r = tranship.aio.Registry()
    base = f"{registry}/{unique('coroutines')}"
    image = Image(40, [1000])
    # A coroutine made outside any event loop, handed to asyncio.run.
    pushed = asyncio.run(r.push_blob(base, image.config))
    assert pushed.digest == sha256(image.config)

    async def main() -> None:
        tasks = [asyncio.create_task(r.push_blob(base, b)) for b in image.layers]
        assert [t.digest for t in await asyncio.gather(*tasks)] == [sha256(b) for b in image.layers]
        await r.put_manifest(f"{base}:v1", image.manifest)
        # A task cancelled once its request is under way leaves the client
        # usable.
        slow = asyncio.create_task(r.get_manifest(f"{base}:v1"))
        await asyncio.sleep(0)
        slow.cancel()
        try:
            await slow
        except asyncio.CancelledError:
            pass
        assert await asyncio.wait_for(r.tags(base), timeout=30) == ["v1"]

    asyncio.run(main())


def test_aio_errors_reject_the_future(registry: str) -> None:
    async def main() -> None:
        r = tranship.aio.Registry()
        results = await asyncio.gather(
            r.get_manifest(f"{registry}/{unique('missing')}:v1"),
            r.get_blob(f"{registry}/{unique('missing')}", sha256(b"x")),
            return_exceptions=True,
        )
        codes = [e.code if isinstance(e, tranship.RegistryError) else e for e in results]
        assert codes == ["MANIFEST_UNKNOWN", "BLOB_UNKNOWN"]

    asyncio.run(main())


def test_chunked_uploads_report_each_chunk(registry: str, tmp_path: Path) -> None:
    r = tranship.Registry(chunk_size=64 * 1024)
    blob = random.Random(30).randbytes(300_000)
    path = tmp_path / "blob"
    path.write_bytes(blob)
    events: list[dict[str, Any]] = []
    base = f"{registry}/{unique('chunked')}"
    pushed = r.push_blob_file(base, path, digest=sha256(blob), progress=events.append)
    assert pushed.outcome == "uploaded"
    assert phases(events).count("transferring") >= 2
    assert events[-1] == {
        "direction": "upload", "digest": sha256(blob), "phase": "finished",
        "done": len(blob), "total": len(blob),
    }
    assert r.get_blob(base, sha256(blob)) == blob


def test_blocking_calls_release_the_gil(registry: str) -> None:
    blob = bytes(64 << 20)
    base = f"{registry}/{unique('gil')}"
    r = tranship.Registry()
    # Hashing 64 MiB, uploading and downloading it: the main thread keeps
    # running throughout (see test_gil.py).
    assert_runs_beside_python(lambda: r.push_blob(base, blob))
    assert_runs_beside_python(lambda: r.get_blob(base, sha256(blob)))


def test_a_missing_registries_conf_is_refused(tmp_path: Path) -> None:
    with pytest.raises(tranship.TranshipError) as caught:
        tranship.Registry(registries_conf=tmp_path / "absent.conf")
    assert caught.value.code == "IO"


def test_arguments_are_checked_before_any_request() -> None:
    r = tranship.Registry()
    with pytest.raises(tranship.ReferenceError) as caught:
        r.tags("oci:/tmp/layout")
    assert caught.value.code == "INVALID_REFERENCE"
    with pytest.raises(tranship.DigestError):
        r.blob_exists("localhost:1/app", "sha256:nothex")
    with pytest.raises(tranship.PlatformError):
        r.get_manifest("localhost:1/app:v1", platform="linux/")


def test_an_unreachable_registry_is_a_network_error() -> None:
    r = tranship.Registry(insecure=["127.0.0.1:9"])
    error = asyncio.run(raises("NETWORK", lambda: r.tags("127.0.0.1:9/app")))
    assert isinstance(error, tranship.RegistryError)


def test_a_failing_progress_callback_is_reported_not_raised(
    registry: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    reported: list[Any] = []
    monkeypatch.setattr(sys, "unraisablehook", reported.append)
    calls = []

    def progress(event: dict[str, Any]) -> None:
        calls.append(event)
        raise ValueError("progress failed")

    pushed = tranship.Registry().push_blob(
        f"{registry}/{unique('callback')}", os.urandom(1000), progress=progress
    )
    assert pushed.outcome == "uploaded"
    assert len(calls) == 1, "not called again after raising"
    assert [type(u.exc_value) for u in reported] == [ValueError]
    assert reported[0].object is progress


def test_a_blocking_call_from_a_progress_callback_is_refused(
    registry: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    reported: list[Any] = []
    monkeypatch.setattr(sys, "unraisablehook", reported.append)
    r = tranship.Registry()
    base = f"{registry}/{unique('nested')}"
    r.push_blob(base, os.urandom(100), progress=lambda e: r.tags(base))
    assert [type(u.exc_value) for u in reported] == [RuntimeError]


def test_anonymous_is_unauthorized(auth: tuple[str, str, str]) -> None:
    host, _, _ = auth
    r = tranship.Registry()
    asyncio.run(raises("UNAUTHORIZED", lambda: r.tags(f"{host}/{unique('anonymous')}")))
    asyncio.run(raises("UNAUTHORIZED", lambda: r.push_blob(f"{host}/{unique('anonymous')}", b"x")))


async def auth_round_trip(r: AnyRegistry, host: str) -> None:
    base = f"{host}/{unique('auth')}"
    image = Image(20, [100])
    assert await image.push(r, f"{base}:v1") == image.digest
    got = await settle(r.get_manifest(f"{base}:v1"))
    assert got.manifest.raw == image.raw
    assert await settle(r.get_blob(base, sha256(image.layers[0]))) == image.layers[0]
    assert await settle(r.tags(base)) == ["v1"]


def test_credentials(auth: tuple[str, str, str]) -> None:
    host, user, password = auth
    credentials = {host: (user, password)}
    asyncio.run(auth_round_trip(tranship.Registry(credentials=credentials), host))

    async def main() -> None:
        await auth_round_trip(tranship.aio.Registry(credentials=credentials), host)

    asyncio.run(main())
    wrong = tranship.Registry(credentials={host: (user, password + "-wrong")})
    asyncio.run(raises("UNAUTHORIZED", lambda: wrong.tags(f"{host}/{unique('wrong')}")))


def test_authfile(auth: tuple[str, str, str], tmp_path: Path) -> None:
    host, user, password = auth
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    authfile = tmp_path / "config.json"
    authfile.write_text(json.dumps({"auths": {host: {"auth": token}}}))
    asyncio.run(auth_round_trip(tranship.Registry(authfile=authfile), host))
    asyncio.run(auth_round_trip(tranship.Registry(authfile=str(authfile)), host))
