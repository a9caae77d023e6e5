"""Registry.copy and tranship.aio.Registry.copy between the places on
disk: the bundled schema1 image (an OCI layout) into a docker-archive and
an OCI layout, upconverted on the way.

No registry is needed: a copy between files goes through the client
only for its settings.
"""

from __future__ import annotations

import asyncio
import json
import tarfile
from pathlib import Path
from typing import Any

import pytest

import tranship
import tranship.aio
from test_registry import AnyRegistry, raises, settle

ROOT = Path(__file__).resolve().parents[2]
SOURCE = f"oci:{ROOT / 'examples' / 'hello-schema1'}:v1"
SCHEMA1 = "sha256:a86f5da515e66d1480fd288a4ad3f2c701279cb1ed3e5bf4e46afc50d121cfa1"
SCHEMA2 = "sha256:0cb20f286091727f78b1714cea649a7cec646ef65b5bfabbf1c148ecfb76e69b"
DOCKER_V2 = "application/vnd.docker.distribution.manifest.v2+json"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"


def check_events(events: list[dict[str, Any]], summary: dict[str, Any]) -> None:
    """Every blob copied reported `started` first and `finished` last."""
    digests = {b["digest"] for b in summary["blobs"]}
    assert {e["digest"] for e in events} == digests
    assert {e["direction"] for e in events} == {"upload"}
    for digest in digests:
        phases = [e["phase"] for e in events if e["digest"] == digest]
        assert phases[0] == "started" and phases[-1] == "finished", (digest, phases)


async def copies(r: AnyRegistry, tmp_path: Path) -> None:
    # Into a docker-archive: schema1 is upconverted to schema2.
    archive = tmp_path / "hello.tar"
    events: list[dict[str, Any]] = []
    summary = await settle(r.copy(SOURCE, f"docker-archive:{archive}:examples/hello:v1",
                                  progress=events.append))
    assert summary["source"] == SOURCE
    assert summary["destination"] == f"docker-archive:{archive}:docker.io/examples/hello:v1"
    assert (summary["source_digest"], summary["destination_digest"]) == (SCHEMA1, SCHEMA2)
    assert summary["media_type"] == DOCKER_V2
    assert (summary["platforms"], summary["platform_reason"]) == ([], "a single image")
    [conversion] = summary["conversions"]
    assert conversion["source_format"] == "schema1-signed"
    assert (conversion["source_digest"], conversion["result_digest"]) == (SCHEMA1, SCHEMA2)
    assert conversion["result_format"] == "schema2"
    assert "signatures" in conversion["lost"]
    assert len(summary["blobs"]) == 3
    assert {b["outcome"] for b in summary["blobs"]} == {"copied"}
    assert summary["bytes_copied"] == sum(b["size"] for b in summary["blobs"])
    assert summary["manifests"] == [SCHEMA2]
    assert archive.is_file()
    check_events(events, summary)

    # Into an OCI layout, with every setting the core checks passed on.
    layout = tmp_path / "layout"
    events = []
    summary = await settle(r.copy(SOURCE, f"oci:{layout}:v1", format="oci", jobs=1,
                                  platforms=None, progress=events.append))
    assert summary["source_digest"] == SCHEMA1
    assert summary["media_type"] == OCI_MANIFEST
    [conversion] = summary["conversions"]
    assert (conversion["source_digest"], conversion["result_format"]) == (SCHEMA1, "oci-manifest")
    assert conversion["result_digest"] == summary["destination_digest"] != SCHEMA1
    index = json.loads((layout / "index.json").read_text())
    assert [m["digest"] for m in index["manifests"]] == [summary["destination_digest"]]
    assert (layout / "oci-layout").is_file()
    for blob in summary["blobs"]:
        algorithm, hex_ = blob["digest"].split(":")
        assert (layout / "blobs" / algorithm / hex_).stat().st_size == blob["size"]
    check_events(events, summary)

    # The archive reads back as the schema2 image it holds.
    back = await settle(r.copy(f"docker-archive:{archive}", f"oci:{tmp_path / 'back'}:v1"))
    assert back["source_digest"] == back["destination_digest"] == SCHEMA2
    assert back["conversions"] == []

    # With the pre-Docker 25 entries: the same image, plus `repositories`.
    legacy = tmp_path / "legacy.tar"
    summary = await settle(r.copy(SOURCE, f"docker-archive:{legacy}:examples/hello:v1",
                                  legacy=True))
    assert summary["destination_digest"] == SCHEMA2
    with tarfile.open(legacy) as tar:
        top = json.load(tar.extractfile("repositories"))["examples/hello"]["v1"]
        assert tar.getmember(f"{top}/layer.tar").issym()

    # Several sources into one docker-archive: a summary each, in order.
    two = tmp_path / "two.tar"
    both = await settle(r.copy_all([SOURCE, f"docker-archive:{archive}"], f"docker-archive:{two}"))
    assert [s["destination_digest"] for s in both] == [SCHEMA2, SCHEMA2]
    assert [s["source"] for s in both] == [SOURCE, f"docker-archive:{archive}"]
    with tarfile.open(two) as tar:
        assert len(json.load(tar.extractfile("manifest.json"))) == 2
    await raises("INVALID_CONFIG", lambda: r.copy_all([SOURCE, SOURCE], f"oci:{tmp_path / 'x'}"))
    await raises("INVALID_CONFIG", lambda: r.copy_all([], f"docker-archive:{two}"))

    # Refused before anything is written.
    error = await raises("INVALID_ADDRESS", lambda: r.copy(SOURCE, "nope://x"))
    assert isinstance(error, tranship.AddressError) and "nope" in str(error)
    await raises("INVALID_ADDRESS", lambda: r.copy(SOURCE, "oci:"))
    await raises("INVALID_CONFIG", lambda: r.copy(SOURCE, f"oci:{tmp_path / 'x'}", jobs=0))
    await raises("INVALID_CONFIG", lambda: r.copy(SOURCE, f"oci:{tmp_path / 'x'}",
                                                  all=True, platforms=["linux/amd64"]))
    await raises("INVALID_PLATFORM", lambda: r.copy(SOURCE, f"oci:{tmp_path / 'x'}",
                                                    platforms=["linux"]))
    await raises("INVALID_CONFIG", lambda: r.copy(SOURCE, f"oci:{tmp_path / 'x'}", legacy=True))
    assert not (tmp_path / "x").exists()
    await raises("IO", lambda: r.copy(f"oci:{tmp_path / 'absent'}:v1", f"oci:{tmp_path / 'y'}"))


def test_copy(tmp_path: Path) -> None:
    asyncio.run(copies(tranship.Registry(), tmp_path))


def test_copy_aio(tmp_path: Path) -> None:
    async def main() -> None:
        await copies(tranship.aio.Registry(), tmp_path)

    asyncio.run(main())


def test_copy_arguments_are_keywords() -> None:
    with pytest.raises(TypeError):
        tranship.Registry().copy(SOURCE, "oci:/tmp/never", ["linux/amd64"])  # type: ignore[misc]
