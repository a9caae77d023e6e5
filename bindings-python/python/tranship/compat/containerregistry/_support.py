"""What the compat modules share: tranship clients, native names, OCI layouts.

Nothing here is part of the old library's API.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import threading
import weakref
import zlib
from collections.abc import Iterator
from typing import IO, Any

import tranship
from tranship.compat.containerregistry._errors import DigestMismatchedError, translated

_clients: dict[tuple[Any, ...], tranship.Registry] = {}
_clients_lock = threading.Lock()

# The 32-byte gzip of 1024 zero bytes, the layer schema1 uses for an empty one.
EMPTY_TAR_DIGEST = "sha256:a3ed95caeb02ffe68cdd9fd84406680ae93d633cb16422d00e8a7c22955b46d4"
EMPTY_TAR_BYTES = (
    b"\x1f\x8b\x08\x00\x00\tn\x88\x00\xffb\x18\x05\xa3`\x14\x8cX\x00\x08\x00\x00\xff\xff"
    b".\xaf\xb5\xef\x00\x04\x00\x00"
)


def _is_loopback(host: str) -> bool:
    name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    return name in ("localhost", "[::1]") or name.startswith("127.")


def client(creds: Any, registry: str, *more: tuple[Any, str]) -> tranship.Registry:
    """A shared tranship client for ``registry`` with ``creds`` (a docker_creds provider).

    ``more`` adds ``(creds, registry)`` pairs, for a copy between registries.
    """
    from tranship.compat.containerregistry.client.v2_2 import docker_http

    credentials: dict[str, tuple[str, str]] = {}
    insecure: list[str] = []
    for provider, host in ((creds, registry),) + more:
        if not host:
            continue
        login = provider._login() if provider is not None and hasattr(provider, "_login") else None
        if login:
            credentials[host] = (str(login[0]), str(login[1]))
        if docker_http.Scheme(host) == "http" and not _is_loopback(host):
            insecure.append(host)
    key = (tuple(sorted(credentials.items())), tuple(sorted(insecure)))
    with _clients_lock:
        found = _clients.get(key)
        if found is None:
            found = tranship.Registry(credentials=credentials or None, insecure=insecure or None)
            _clients[key] = found
        return found


def reference(name: Any) -> str:
    """The native reference text of a docker_name Tag or Digest (or Repository: its `latest`)."""
    base = f"{name.registry}/{name.repository}"
    digest = getattr(name, "digest", None)
    if digest:
        return f"{base}@{digest}"
    return f"{base}:{getattr(name, 'tag', None) or 'latest'}"


def repository(name: Any) -> str:
    return f"{name.registry}/{name.repository}"


class Scratch:
    """A temporary folder removed with its owner (or at exit)."""

    def __init__(self, owner: object, prefix: str = "tranship-compat-") -> None:
        self.path = tempfile.mkdtemp(prefix=prefix)
        self._finalizer = weakref.finalize(owner, shutil.rmtree, self.path, True)

    def remove(self) -> None:
        self._finalizer()


class Layout:
    """An OCI layout on disk: ``index.json`` and the blobs, read as an image source."""

    def __init__(self, path: str, name: str | None = None) -> None:
        self.path = path
        self.name = name

    def blob_path(self, digest: str) -> str:
        algorithm, _, hex_ = digest.partition(":")
        if not hex_ or "/" in hex_ or "/" in algorithm:
            raise DigestMismatchedError(f"not a digest: {digest!r}", "INVALID_DIGEST")
        return os.path.join(self.path, "blobs", algorithm, hex_)

    def has(self, digest: str) -> bool:
        return os.path.isfile(self.blob_path(digest))

    def read(self, digest: str) -> bytes:
        with open(self.blob_path(digest), "rb") as f:
            return f.read()

    def size(self, digest: str) -> int:
        return os.stat(self.blob_path(digest)).st_size

    def top(self) -> dict[str, Any]:
        """The ``index.json`` entry of ``name`` (or the only one)."""
        with open(os.path.join(self.path, "index.json"), "rb") as f:
            entries = json.load(f).get("manifests", [])
        if self.name is not None:
            entries = [e for e in entries
                       if (e.get("annotations") or {}).get("org.opencontainers.image.ref.name")
                       == self.name]
        if len(entries) != 1:
            raise tranship.ArchiveError(f"{self.path}: expected one image named {self.name!r}, "
                                        f"found {len(entries)}")
        return dict(entries[0])

    def address(self) -> str:
        return f"oci:{self.path}" + (f":{self.name}" if self.name else "")


def write_layout(path: str, blobs: dict[str, bytes], manifest: bytes, media_type: str,
                 name: str) -> Layout:
    """Writes an OCI layout of one image: its blobs (digest -> bytes) and manifest."""
    os.makedirs(os.path.join(path, "blobs", "sha256"), exist_ok=True)
    with open(os.path.join(path, "oci-layout"), "w") as f:
        f.write('{"imageLayoutVersion":"1.0.0"}')
    layout = Layout(path, name)
    digest = "sha256:" + hashlib.sha256(manifest).hexdigest()
    for d, data in list(blobs.items()) + [(digest, manifest)]:
        with open(layout.blob_path(d), "wb") as f:
            f.write(data)
    index = {"schemaVersion": 2, "manifests": [{
        "mediaType": media_type, "digest": digest, "size": len(manifest),
        "annotations": {"org.opencontainers.image.ref.name": name}}]}
    with open(os.path.join(path, "index.json"), "w") as f:
        json.dump(index, f)
    return layout


def read_chunks(f: IO[bytes], size: int = 1 << 20) -> Iterator[bytes]:
    while True:
        chunk = f.read(size)
        if not chunk:
            return
        yield chunk


def decompress(data: bytes) -> bytes:
    """A layer's tar: gunzipped when gzip, else as it is."""
    if data[:2] == b"\x1f\x8b":
        d = zlib.decompressobj(wbits=31)
        out = d.decompress(data)
        return out + d.flush()
    if data[:4] == b"\x28\xb5\x2f\xfd":
        raise tranship.LayerError("a zstd layer: read it with blob_to_file and a zstd decoder")
    return data


def copy(native: tranship.Registry, source: str, destination: str, **options: Any) -> dict[str, Any]:
    with translated():
        return native.copy(source, destination, **options)


def local_client() -> tranship.Registry:
    """The client for copies between files (it only lends its settings)."""
    return client(None, "")
