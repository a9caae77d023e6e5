"""Blob work runs without the GIL: other Python threads keep running.

Each test runs one call in a thread while the main thread wakes every
millisecond and notes the time. With the GIL held for the whole call the
main thread cannot wake once inside it; with the GIL released it wakes
about once a millisecond. The inputs are a 256 MiB layer (mostly zeros,
so it is quick to make) and a 256 MiB blob, which take a fifth of a second
or more to read and hash.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import tarfile
import threading
import time
from pathlib import Path
from typing import Any, Callable

import pytest

import tranship

SIZE = 256 << 20
# A call shorter than this cannot tell a held GIL from a released one.
SHORTEST = 0.05
# Wakes of the main thread per second of the call at the least (released:
# about 900; held: none).
LEAST_WAKES_PER_SECOND = 100


class Zeros:
    """A file-like source of `size` zero bytes."""

    def __init__(self, size: int) -> None:
        self.left = size

    def read(self, n: int = -1) -> bytes:
        n = self.left if n < 0 else min(n, self.left)
        self.left -= n
        return bytes(n)


@pytest.fixture(scope="module")
def blobs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A blob store holding one gzip layer with a SIZE-byte file; returns
    the store and the layer's digest."""
    root = tmp_path_factory.mktemp("gil")
    layer = root / "layer.tar.gz"
    with gzip.GzipFile(layer, "wb", compresslevel=1, mtime=0) as out:
        with tarfile.open(fileobj=out, mode="w") as tar:
            info = tarfile.TarInfo("zeros")
            info.size = SIZE
            tar.addfile(info, Zeros(SIZE))
    digest = hashlib.sha256(layer.read_bytes()).hexdigest()
    (root / "sha256").mkdir()
    layer.rename(root / "sha256" / digest)
    return root, "sha256:" + digest


def wakes_during(call: Callable[[], Any]) -> tuple[float, int]:
    """Runs `call` in a thread; returns how long it took and how often the
    main thread woke meanwhile."""
    window: dict[str, Any] = {}

    def work() -> None:
        try:
            window["start"] = time.perf_counter()
            call()
            window["end"] = time.perf_counter()
        except BaseException as e:  # noqa: BLE001 - re-raised below
            window["error"] = e

    wakes = []
    thread = threading.Thread(target=work)
    thread.start()
    while thread.is_alive():
        wakes.append(time.perf_counter())
        time.sleep(0.001)
    thread.join()
    if "error" in window:
        raise window["error"]
    start, end = window["start"], window["end"]
    return end - start, sum(start < w < end for w in wakes)


def assert_runs_beside_python(call: Callable[[], Any]) -> None:
    took, wakes = wakes_during(call)
    assert took > SHORTEST, f"the call took {took:.3f} s: too short to tell"
    assert wakes >= took * LEAST_WAKES_PER_SECOND, (
        f"the main thread woke {wakes} times in {took:.3f} s: the call held the GIL"
    )


def schema1(layer: str) -> tranship.Manifest:
    v1 = json.dumps({
        "id": "a" * 64, "architecture": "amd64", "os": "linux",
        "created": "2024-01-02T03:04:05Z", "config": {},
    })
    return tranship.parse_manifest(json.dumps({
        "schemaVersion": 1, "name": "gil/test", "tag": "v1", "architecture": "amd64",
        "fsLayers": [{"blobSum": layer}], "history": [{"v1Compatibility": v1}],
    }).encode())


def test_diff_id_file_releases_the_gil(blobs: tuple[Path, str]) -> None:
    root, layer = blobs
    path = root / "sha256" / layer.split(":")[1]
    assert_runs_beside_python(lambda: tranship.diff_id_file(str(path)))


def test_convert_reading_blobs_releases_the_gil(blobs: tuple[Path, str]) -> None:
    root, layer = blobs
    # schema1 -> schema2 reads the layer to compute its diff_id.
    assert_runs_beside_python(lambda: schema1(layer).convert("v2s2", blobs=str(root)))


def test_negotiate_releases_the_gil() -> None:
    content = bytes(SIZE)
    manifest = schema1("sha256:" + hashlib.sha256(content).hexdigest())
    accept = ["application/vnd.docker.distribution.manifest.v1+json"]
    assert_runs_beside_python(
        lambda: manifest.negotiate(accept, contents=[content], unsigned=True)
    )
