"""``containerregistry.client.v2_2.docker_image``: schema 2 and OCI images.

``FromRegistry``, ``FromTarball`` and ``FromDisk`` keep the old methods
and return shapes: ``manifest()`` and ``config_file()`` are ``str``,
``fs_layers()`` and ``diff_ids()`` list the top layer first, ``blob()``
returns ``bytes``. Blobs are fetched and verified by tranship's client.
To keep a large layer out of memory, use the streaming methods every
image here adds:

- ``blob_to_file(digest, path)``: writes the blob to ``path`` (streamed,
  verified, renamed into place when complete);
- ``open_blob(digest)``: a binary file object to read it from (on disk,
  removed when closed).
"""

from __future__ import annotations

import abc
import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
import threading
from collections.abc import Iterator
from typing import IO, Any

import tranship
from tranship.compat.containerregistry import _support
from tranship.compat.containerregistry._errors import DigestMismatchedError as DigestMismatchedError
from tranship.compat.containerregistry._errors import V2DiagnosticException, translated
from tranship.compat.containerregistry.client import docker_creds, docker_name
from tranship.compat.containerregistry.client.v2_2 import docker_digest, docker_http


class DockerImage(abc.ABC):
    """An image: a manifest, its config and its blobs."""

    def fs_layers(self) -> list[str]:
        """The layers' digests, the top layer first."""
        manifest = json.loads(self.manifest())
        return [x["digest"] for x in reversed(manifest["layers"])]

    def diff_ids(self) -> list[str]:
        """The layers' diff_ids, the top layer first (matches ``fs_layers``)."""
        cfg = json.loads(self.config_file())
        return list(reversed(cfg.get("rootfs", {}).get("diff_ids", [])))

    def config_blob(self) -> str:
        return str(json.loads(self.manifest())["config"]["digest"])

    def blob_set(self) -> set[str]:
        return set(self.fs_layers() + [self.config_blob()])

    def distributable_blob_set(self) -> set[str]:
        manifest = json.loads(self.manifest())
        blobs = {x["digest"] for x in manifest["layers"]
                 if x["mediaType"] not in docker_http.NON_DISTRIBUTABLE_LAYER_MIMES}
        blobs.add(self.config_blob())
        return blobs

    def digest(self) -> str:
        """The manifest's digest."""
        return docker_digest.SHA256(self.manifest().encode("utf8"))

    def media_type(self) -> str:
        """The manifest's media type (OCI when it names none)."""
        return str(json.loads(self.manifest()).get("mediaType", docker_http.OCI_MANIFEST_MIME))

    @abc.abstractmethod
    def manifest(self) -> str:
        """The manifest, as the exact text it was read as."""

    @abc.abstractmethod
    def config_file(self) -> str:
        """The config blob, as text."""

    def blob_size(self, digest: str) -> int:
        return len(self.blob(digest))

    @abc.abstractmethod
    def blob(self, digest: str) -> bytes:
        """The blob's bytes (all in memory: see ``blob_to_file`` for large layers)."""

    def blob_to_file(self, digest: str, path: str | os.PathLike[str]) -> None:
        """Writes the blob to ``path``, streamed where the image can, complete or not at all."""
        data = self.blob(digest)
        tmp = f"{os.fspath(path)}.tmp-{os.getpid()}-{threading.get_ident()}"
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, path)

    def open_blob(self, digest: str) -> IO[bytes]:
        """The blob as a binary file, on disk rather than in memory; removed when closed."""
        fd, path = tempfile.mkstemp(prefix="tranship-blob-")
        os.close(fd)
        try:
            self.blob_to_file(digest, path)
            f = open(path, "rb")  # noqa: SIM115 (handed to the caller)
        finally:
            os.unlink(path)
        return f

    def uncompressed_blob(self, digest: str) -> bytes:
        """The blob decompressed (gzip), in memory."""
        return _support.decompress(self.blob(digest))

    def _diff_id_to_digest(self, diff_id: str) -> str:
        for this_digest, this_diff_id in zip(self.fs_layers(), self.diff_ids()):
            if this_diff_id == diff_id:
                return this_digest
        raise ValueError('Unmatched "diff_id": "%s"' % diff_id)

    def digest_to_diff_id(self, digest: str) -> str:
        for this_digest, this_diff_id in zip(self.fs_layers(), self.diff_ids()):
            if this_digest == digest:
                return this_diff_id
        raise ValueError('Unmatched "digest": "%s"' % digest)

    def layer(self, diff_id: str) -> bytes:
        return self.blob(self._diff_id_to_digest(diff_id))

    def uncompressed_layer(self, diff_id: str) -> bytes:
        return self.uncompressed_blob(self._diff_id_to_digest(diff_id))

    def _source(self) -> tuple[tranship.Registry, str]:
        """A native client and an address tranship can copy this image from."""
        layout = getattr(self, "_materialised", None)
        if layout is None:
            scratch = _support.Scratch(self)
            layout = materialise(self, os.path.join(scratch.path, "layout"))
            self._materialised = layout
            self._materialised_scratch = scratch
        return _support.local_client(), layout.address()

    def __enter__(self) -> DockerImage:
        return self

    def __exit__(self, unused_type: Any, unused_value: Any, unused_traceback: Any) -> None:
        pass

    def __str__(self) -> str:
        return str(type(self))


def materialise(image: DockerImage, path: str) -> _support.Layout:
    """Writes ``image`` as an OCI layout at ``path`` (its blobs streamed where it can)."""
    manifest = image.manifest().encode("utf8")
    config = image.config_file().encode("utf8")
    layout = _support.write_layout(path, {image.config_blob(): config}, manifest,
                                   image.media_type(), "image")
    for digest in image.distributable_blob_set():
        if not layout.has(digest):
            image.blob_to_file(digest, layout.blob_path(digest))
    return layout


class Delegate(DockerImage):
    """Forwards every call to the image it wraps."""

    def __init__(self, image: DockerImage) -> None:
        self._image = image

    def manifest(self) -> str:
        return self._image.manifest()

    def media_type(self) -> str:
        return self._image.media_type()

    def diff_ids(self) -> list[str]:
        return self._image.diff_ids()

    def fs_layers(self) -> list[str]:
        return self._image.fs_layers()

    def config_blob(self) -> str:
        return self._image.config_blob()

    def blob_set(self) -> set[str]:
        return self._image.blob_set()

    def config_file(self) -> str:
        return self._image.config_file()

    def blob_size(self, digest: str) -> int:
        return self._image.blob_size(digest)

    def blob(self, digest: str) -> bytes:
        return self._image.blob(digest)

    def blob_to_file(self, digest: str, path: str | os.PathLike[str]) -> None:
        self._image.blob_to_file(digest, path)

    def uncompressed_blob(self, digest: str) -> bytes:
        return self._image.uncompressed_blob(digest)

    def layer(self, diff_id: str) -> bytes:
        return self._image.layer(diff_id)

    def uncompressed_layer(self, diff_id: str) -> bytes:
        return self._image.uncompressed_layer(diff_id)

    def __str__(self) -> str:
        return str(self._image)


class FromRegistry(DockerImage):
    """An image in a registry, read with tranship's client (``transport`` is not used)."""

    def __init__(self, name: docker_name.Registry, basic_creds: docker_creds.Provider,
                 transport: Any = None,
                 accepted_mimes: list[str] = docker_http.MANIFEST_SCHEMA2_MIMES) -> None:
        self._name = name
        self._creds = basic_creds
        self._original_transport = transport
        self._accepted_mimes = list(accepted_mimes)
        self._fetched: tranship.FetchedManifest | None = None
        self._config: str | None = None
        self._native = _support.client(basic_creds, name.registry)

    def _fetch(self) -> tranship.FetchedManifest:
        if self._fetched is None:
            with translated():
                self._fetched = self._native.get_manifest(
                    _support.reference(self._name), accept=self._accepted_mimes)
        return self._fetched

    def tags(self) -> list[str]:
        with translated():
            return self._native.tags(_support.reference(self._name))

    def manifests(self) -> dict[str, Any]:
        """GCR's per-digest listing; other registries have none: ``{}``."""
        return {}

    def children(self) -> list[str]:
        """The repositories one level below this one, from the registry's catalog."""
        prefix = self._name.repository + "/"  # type: ignore[attr-defined]
        with translated():
            names = self._native.catalog(self._name.registry)
        return sorted({n[len(prefix):].split("/", 1)[0] for n in names if n.startswith(prefix)})

    def exists(self) -> bool:
        try:
            manifest = json.loads(self.manifest(validate=False))
            return bool(manifest["schemaVersion"] == 2 and "layers" in manifest
                        and self.media_type() in self._accepted_mimes)
        except V2DiagnosticException as err:
            if err.status == 404:
                return False
            raise

    def manifest(self, validate: bool = True) -> str:
        """The manifest's text; its digest is always checked when asked by digest."""
        return self._fetch().manifest.raw.decode("utf8")

    def digest(self) -> str:
        return self._fetch().digest

    def config_file(self) -> str:
        if self._config is None:
            self._config = self.blob(self.config_blob()).decode("utf8")
        return self._config

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

    def catalog(self, page_size: int = 100) -> Iterator[str]:
        """The registry's repositories (``name`` must be a ``docker_name.Registry``)."""
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


class _FromLayout(DockerImage):
    """An image of an OCI layout (what tranship copied an archive or a conversion into)."""

    def __init__(self, layout: _support.Layout) -> None:
        self._layout = layout
        self._entry = layout.top()
        self._manifest = layout.read(self._entry["digest"]).decode("utf8")

    def manifest(self) -> str:
        return self._manifest

    def digest(self) -> str:
        return str(self._entry["digest"])

    def media_type(self) -> str:
        return str(self._entry.get("mediaType") or super().media_type())

    def config_file(self) -> str:
        return self._layout.read(self.config_blob()).decode("utf8")

    def blob_size(self, digest: str) -> int:
        return self._layout.size(digest)

    def blob(self, digest: str) -> bytes:
        if digest == _support.EMPTY_TAR_DIGEST and not self._layout.has(digest):
            return _support.EMPTY_TAR_BYTES
        return self._layout.read(digest)

    def blob_to_file(self, digest: str, path: str | os.PathLike[str]) -> None:
        shutil.copyfile(self._layout.blob_path(digest), path)

    def _source(self) -> tuple[tranship.Registry, str]:
        return _support.local_client(), self._layout.address()


class FromTarball(DockerImage):
    """An image of a ``docker save`` tarball (any of its forms, gzip-compressed or not).

    The config is read straight from the tar; the first call that needs
    the manifest or a blob has tranship read the whole image (verified)
    into a scratch OCI layout, removed on ``__exit__``. Layers stay as the
    tarball holds them: a ``layer.tar`` is served uncompressed, with the
    ``...diff.tar`` media type (``compresslevel`` is accepted and unused).
    """

    def __init__(self, tarball: str, name: docker_name.Tag | str | None = None,
                 compresslevel: int = 9) -> None:
        self._tarball = os.fspath(tarball)
        self._name = name
        self._compresslevel = compresslevel
        self._image: _FromLayout | None = None
        self._scratch: _support.Scratch | None = None
        self._config: str | None = None
        self._lock = threading.Lock()

    def _entry(self) -> tuple[dict[str, Any], tarfile.TarFile]:
        tar = tarfile.open(self._tarball, "r")
        listing = json.load(_member(tar, "manifest.json"))
        if len(listing) != 1 and not self._name:
            repositories = json.load(_member(tar, "repositories"))
            if len(repositories) != 1 or len(next(iter(repositories.values()))) != 1:
                tar.close()
                raise ValueError("Tarball must contain a single repository and tag, "
                                 "or a name must be specified to FromTarball.")
            repo, tags = next(iter(repositories.items()))
            self._name = f"{repo}:{next(iter(tags))}"
        for entry in listing:
            if not self._name or any(_same_name(str(self._name), t)
                                     for t in entry.get("RepoTags") or []):
                return entry, tar
        tar.close()
        raise ValueError("Unable to find %s in provided tarball." % self._name)

    def config_file(self) -> str:
        if self._config is None:
            entry, tar = self._entry()
            with tar:
                self._config = _member(tar, entry["Config"]).read().decode("utf8")
        return self._config

    def _read(self) -> _FromLayout:
        with self._lock:
            if self._image is None:
                if self._name is None:
                    self._entry()[1].close()  # a single image, or its name from `repositories`
                self._scratch = _support.Scratch(self)
                layout = _support.Layout(os.path.join(self._scratch.path, "layout"), "image")
                source = f"docker-archive:{self._tarball}" + (f":{self._name}" if self._name else "")
                _support.copy(_support.local_client(), source, layout.address())
                self._image = _FromLayout(layout)
            return self._image

    def manifest(self) -> str:
        return self._read().manifest()

    def digest(self) -> str:
        return self._read().digest()

    def media_type(self) -> str:
        return self._read().media_type()

    def blob_size(self, digest: str) -> int:
        return self._read().blob_size(digest)

    def blob(self, digest: str) -> bytes:
        return self._read().blob(digest)

    def blob_to_file(self, digest: str, path: str | os.PathLike[str]) -> None:
        self._read().blob_to_file(digest, path)

    def _source(self) -> tuple[tranship.Registry, str]:
        return self._read()._source()

    def __enter__(self) -> FromTarball:
        self._entry()[1].close()  # fails now, as before, when the image is not there
        return self

    def __exit__(self, unused_type: Any, unused_value: Any, unused_traceback: Any) -> None:
        if self._scratch is not None:
            self._scratch.remove()
            self._scratch = None
            self._image = None


def _same_name(a: str, b: str) -> bool:
    """Whether two names are one image (``index.docker.io/x/y:z`` is ``x/y:z``)."""
    if a == b:
        return True
    try:
        return tranship.parse_reference(a) == tranship.parse_reference(b)
    except tranship.ReferenceError:
        return False


def _member(tar: tarfile.TarFile, name: str) -> IO[bytes]:
    for candidate in (name, "./" + name):
        try:
            f = tar.extractfile(candidate)
        except KeyError:
            continue
        if f is not None:
            return f
    raise ValueError(f"{tar.name!r} has no file {name!r}")


def _digest_of_file(name_file: str, content_file: str) -> str:
    """The layer digest a ``.sha256`` file names: ``hex`` or ``sha256:hex``, whitespace ignored.

    An empty file (the old ``save.fast`` left some) stands for the
    content's own digest, computed here.
    """
    with open(name_file, encoding="utf8") as reader:
        text = reader.read().strip()
    if not text:
        h = hashlib.sha256()
        with open(content_file, "rb") as f:
            for chunk in _support.read_chunks(f):
                h.update(chunk)
        return "sha256:" + h.hexdigest()
    digest = text if ":" in text else "sha256:" + text
    with translated():
        tranship.parse_digest(digest)
    return digest


class FromDisk(DockerImage):
    """An image of files: a config, ``(digest file, .tar.gz)`` pairs, an optional base tarball.

    The dual of ``save.fast``; the manifest is built as before (schema 2,
    keys sorted), so its digest is the old library's.
    """

    def __init__(self, config_file: str, layers: list[tuple[str, str]],
                 uncompressed_layers: list[tuple[str, str]] | None = None,
                 legacy_base: str | None = None,
                 foreign_layers_manifest: str | None = None) -> None:
        self._config = config_file
        self._manifest: str | None = None
        self._foreign_layers_manifest = foreign_layers_manifest
        self._layers: list[str] = []
        self._layer_to_filename: dict[str, str] = {}
        for name_file, content_file in layers:
            layer_name = _digest_of_file(name_file, content_file)
            self._layers.append(layer_name)
            self._layer_to_filename[layer_name] = content_file
        self._uncompressed_layer_to_filename: dict[str, str] = {}
        for name_file, content_file in uncompressed_layers or []:
            self._uncompressed_layer_to_filename[_digest_of_file(name_file, content_file)] = \
                content_file
        self._legacy_base: FromTarball | None = None
        if legacy_base:
            self._legacy_base = FromTarball(legacy_base)
            self._legacy_base.__enter__()

    def _get_foreign_layers(self) -> list[dict[str, Any]]:
        if not self._foreign_layers_manifest:
            return []
        manifest = json.loads(self._foreign_layers_manifest)
        return [layer for layer in manifest.get("layers", [])
                if layer["mediaType"] == docker_http.FOREIGN_LAYER_MIME]

    def _populate_manifest(self) -> None:
        base_layers: list[dict[str, Any]] = []
        if self._legacy_base:
            base_layers = json.loads(self._legacy_base.manifest())["layers"]
        elif self._foreign_layers_manifest:
            base_layers += self._get_foreign_layers()
        self._manifest = json.dumps({
            "schemaVersion": 2,
            "mediaType": docker_http.MANIFEST_SCHEMA2_MIME,
            "config": {
                "mediaType": docker_http.CONFIG_JSON_MIME,
                "size": len(self.config_file()),
                "digest": docker_digest.SHA256(self.config_file().encode("utf8")),
            },
            "layers": base_layers + [
                {"mediaType": docker_http.LAYER_MIME, "size": self.blob_size(digest),
                 "digest": digest} for digest in self._layers],
        }, sort_keys=True)

    def manifest(self) -> str:
        if not self._manifest:
            self._populate_manifest()
        assert self._manifest is not None
        return self._manifest

    def config_file(self) -> str:
        return self._config

    def _base(self) -> FromTarball:
        if self._legacy_base is None:
            raise DigestMismatchedError("no layer of this image has that digest", "BLOB_UNKNOWN")
        return self._legacy_base

    def uncompressed_blob(self, digest: str) -> bytes:
        if digest not in self._layer_to_filename:
            if any(f["digest"] == digest for f in self._get_foreign_layers()):
                return b""
            return self._base().uncompressed_blob(digest)
        return super().uncompressed_blob(digest)

    def uncompressed_layer(self, diff_id: str) -> bytes:
        if diff_id in self._uncompressed_layer_to_filename:
            with open(self._uncompressed_layer_to_filename[diff_id], "rb") as reader:
                return reader.read()
        if self._legacy_base and diff_id in self._legacy_base.diff_ids():
            return self._legacy_base.uncompressed_layer(diff_id)
        return super().uncompressed_layer(diff_id)

    def blob(self, digest: str) -> bytes:
        if digest == self.config_blob():
            return self.config_file().encode("utf8")
        if digest not in self._layer_to_filename:
            return self._base().blob(digest)
        with open(self._layer_to_filename[digest], "rb") as reader:
            return reader.read()

    def blob_to_file(self, digest: str, path: str | os.PathLike[str]) -> None:
        if digest in self._layer_to_filename:
            try:
                os.link(self._layer_to_filename[digest], path)
            except OSError:
                shutil.copyfile(self._layer_to_filename[digest], path)
        elif self._legacy_base is not None and digest != self.config_blob():
            self._legacy_base.blob_to_file(digest, path)
        else:
            super().blob_to_file(digest, path)

    def blob_size(self, digest: str) -> int:
        if digest not in self._layer_to_filename:
            return self._base().blob_size(digest)
        return os.stat(self._layer_to_filename[digest]).st_size

    def __enter__(self) -> FromDisk:
        return self


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
    for layer in image.diff_ids():
        buf = io.BytesIO(image.uncompressed_layer(layer))
        with tarfile.open(mode="r:", fileobj=buf) as layer_tar:
            for tarinfo in layer_tar:
                basename = os.path.basename(tarinfo.name)
                dirname = os.path.dirname(tarinfo.name)
                tombstone = basename.startswith(_WHITEOUT_PREFIX)
                if tombstone:
                    basename = basename[len(_WHITEOUT_PREFIX):]
                name = os.path.normpath(os.path.join(".", dirname, basename))
                if name in fs or _in_whiteout_dir(fs, name):
                    continue
                fs[name] = tombstone or not tarinfo.isdir()
                if not tombstone:
                    if tarinfo.isfile():
                        tar.addfile(tarinfo, fileobj=layer_tar.extractfile(tarinfo))
                    else:
                        tar.addfile(tarinfo, fileobj=None)
