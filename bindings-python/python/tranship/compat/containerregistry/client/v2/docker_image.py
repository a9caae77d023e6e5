"""``containerregistry.client.v2.docker_image``: schema 1 images.

``fs_layers()`` lists the ``blobSum``s top first, as the manifest does;
``digest()`` is the digest of the signed payload. Blobs stream as in
``v2_2.docker_image`` (``blob_to_file``, ``open_blob``).
"""

from __future__ import annotations

import abc
import io
import json
import os
import tarfile
import tempfile
from typing import IO, Any

import tranship
from tranship.compat.containerregistry import _support
from tranship.compat.containerregistry._errors import DigestMismatchedError as DigestMismatchedError
from tranship.compat.containerregistry._errors import V2DiagnosticException, translated
from tranship.compat.containerregistry.client import docker_creds, docker_name
from tranship.compat.containerregistry.client.v2_2 import docker_http


class DockerImage(abc.ABC):
    """A schema 1 image: a manifest and its layers."""

    def fs_layers(self) -> list[str]:
        """The layers' ``blobSum``s, the top layer first."""
        return [x["blobSum"] for x in json.loads(self.manifest())["fsLayers"]]

    def blob_set(self) -> set[str]:
        return set(self.fs_layers())

    def digest(self) -> str:
        """The manifest's digest: of its payload, without the signatures."""
        with translated():
            return tranship.parse_manifest(self.manifest().encode("utf8")).digest()

    @abc.abstractmethod
    def manifest(self) -> str:
        """The manifest's exact text."""

    def blob_size(self, digest: str) -> int:
        return len(self.blob(digest))

    @abc.abstractmethod
    def blob(self, digest: str) -> bytes:
        """The blob's bytes (in memory; see ``blob_to_file``)."""

    def blob_to_file(self, digest: str, path: str | os.PathLike[str]) -> None:
        """Writes the blob to ``path``, streamed where the image can."""
        data = self.blob(digest)
        tmp = f"{os.fspath(path)}.tmp-{os.getpid()}"
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, path)

    def open_blob(self, digest: str) -> IO[bytes]:
        """The blob as a binary file on disk, removed when closed."""
        fd, path = tempfile.mkstemp(prefix="tranship-blob-")
        os.close(fd)
        try:
            self.blob_to_file(digest, path)
            f = open(path, "rb")  # noqa: SIM115
        finally:
            os.unlink(path)
        return f

    def uncompressed_blob(self, digest: str) -> bytes:
        return _support.decompress(self.blob(digest))

    def diff_id(self, digest: str) -> str | None:
        """Schema 1 has no diff_ids: None."""
        return None

    def _source(self) -> tuple[tranship.Registry, str]:
        layout = getattr(self, "_materialised", None)
        if layout is None:
            scratch = _support.Scratch(self)
            manifest = self.manifest().encode("utf8")
            with translated():
                media_type = tranship.parse_manifest(manifest).report()["media_type"]
            layout = _support.write_layout(os.path.join(scratch.path, "layout"), {}, manifest,
                                           media_type, "image")
            for digest in self.blob_set():
                if not layout.has(digest):
                    self.blob_to_file(digest, layout.blob_path(digest))
            self._materialised = layout
            self._materialised_scratch = scratch
        return _support.local_client(), layout.address()

    def __enter__(self) -> DockerImage:
        return self

    def __exit__(self, unused_type: Any, unused_value: Any, unused_traceback: Any) -> None:
        pass

    def __str__(self) -> str:
        return str(type(self))


class FromRegistry(DockerImage):
    """A schema 1 image in a registry (``transport`` is not used)."""

    def __init__(self, name: docker_name.Registry, basic_creds: docker_creds.Provider,
                 transport: Any = None) -> None:
        self._name = name
        self._creds = basic_creds
        self._original_transport = transport
        self._fetched: tranship.FetchedManifest | None = None
        self._native = _support.client(basic_creds, name.registry)

    def _fetch(self) -> tranship.FetchedManifest:
        if self._fetched is None:
            with translated():
                self._fetched = self._native.get_manifest(
                    _support.reference(self._name), accept=docker_http.MANIFEST_SCHEMA1_MIMES)
        return self._fetched

    def tags(self) -> list[str]:
        with translated():
            return self._native.tags(_support.reference(self._name))

    def manifests(self) -> dict[str, Any]:
        return {}

    def children(self) -> list[str]:
        prefix = self._name.repository + "/"  # type: ignore[attr-defined]
        with translated():
            names = self._native.catalog(self._name.registry)
        return sorted({n[len(prefix):].split("/", 1)[0] for n in names if n.startswith(prefix)})

    def exists(self) -> bool:
        try:
            self.manifest(validate=False)
            return True
        except V2DiagnosticException as err:
            if err.status == 404:
                return False
            raise

    def manifest(self, validate: bool = True) -> str:
        return self._fetch().manifest.raw.decode("utf8")

    def digest(self) -> str:
        return self._fetch().digest

    def blob_size(self, digest: str) -> int:
        with translated():
            size = self._native.blob_exists(_support.reference(self._name), digest)
        if size is None:
            from tranship.compat.containerregistry._errors import Response
            raise V2DiagnosticException(Response(404), "", "BLOB_UNKNOWN")
        return size

    def blob(self, digest: str) -> bytes:
        with translated():
            return self._native.get_blob(_support.reference(self._name), digest)

    def blob_to_file(self, digest: str, path: str | os.PathLike[str]) -> None:
        with translated():
            self._native.get_blob_to_file(_support.reference(self._name), digest, path)

    def catalog(self, page_size: int = 100) -> Any:
        if isinstance(self._name, docker_name.Repository):
            raise ValueError('Expected docker_name.Registry for "name"')
        with translated():
            names = self._native.catalog(self._name.registry)
        yield from names

    def _source(self) -> tuple[tranship.Registry, str]:
        return self._native, "docker://" + _support.repository(self._name) + "@" + self.digest()

    def __enter__(self) -> FromRegistry:
        return self

    def __str__(self) -> str:
        return f"<docker_image.FromRegistry name: {self._name}>"


_WHITEOUT_PREFIX = ".wh."


def _in_whiteout_dir(fs: dict[str, bool], name: str) -> bool:
    while name:
        dirname = os.path.dirname(name)
        if name == dirname:
            break
        if fs.get(dirname):
            return True
        name = dirname
    return False


def extract(image: DockerImage, tar: tarfile.TarFile) -> None:
    """Writes the image's final filesystem (whiteouts applied) into ``tar``."""
    fs: dict[str, bool] = {}
    for layer in image.fs_layers():
        buf = io.BytesIO(image.uncompressed_blob(layer))
        with tarfile.open(mode="r:", fileobj=buf) as layer_tar:
            for member in layer_tar.getmembers():
                basename = os.path.basename(member.name)
                dirname = os.path.dirname(member.name)
                tombstone = basename.startswith(_WHITEOUT_PREFIX)
                if tombstone:
                    basename = basename[len(_WHITEOUT_PREFIX):]
                name = os.path.normpath(os.path.join(".", dirname, basename))
                if name in fs or _in_whiteout_dir(fs, name):
                    continue
                fs[name] = tombstone or not member.isdir()
                if not tombstone:
                    if member.isfile():
                        tar.addfile(member, fileobj=layer_tar.extractfile(member.name))
                    else:
                        tar.addfile(member, fileobj=None)
