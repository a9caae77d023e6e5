"""``containerregistry.client.v2_2.docker_session``: ``Push`` and ``Delete``.

``Push(name, creds, transport, mount=None, threads=1).upload(image)``
has tranship copy the image: blobs the repository has are skipped,
blobs of another repository of the same registry are mounted, the rest
stream from where the image is (registry, tarball, files) with
``threads`` at a time, every digest is checked, and the manifest is put
last, by tag (or by digest with ``use_digest=True``).
"""

from __future__ import annotations

import logging
from typing import Any

import tranship
from tranship.compat.containerregistry import _support
from tranship.compat.containerregistry._errors import translated
from tranship.compat.containerregistry.client import docker_creds, docker_name
from tranship.compat.containerregistry.client.v2_2 import docker_image
from tranship.compat.containerregistry.client.v2_2 import docker_image_list as image_list


def _tag_or_digest(name: Any) -> str:
    if isinstance(name, docker_name.Tag):
        return name.tag
    assert isinstance(name, docker_name.Digest)
    return name.digest


def _native_source(image: Any, destination: tranship.Registry,
                   creds: docker_creds.Provider, registry: str) -> tuple[tranship.Registry, str]:
    """The client (with the source's and the destination's credentials) and source address."""
    native, source = image._source()
    name = getattr(image, "_name", None)
    if source.startswith("docker://") and name is not None:
        native = _support.client(creds, registry, (getattr(image, "_creds", None), name.registry))
    elif not source.startswith("docker://"):
        native = destination
    return native, source


class Push:
    """A push of images to one tag or digest (``transport`` is not used)."""

    def __init__(self, name: docker_name.Repository, creds: docker_creds.Provider,
                 transport: Any = None, mount: list[docker_name.Repository] | None = None,
                 threads: int = 1) -> None:
        self._name = name
        self._creds = creds
        self._mount = mount
        self._threads = max(1, int(threads))
        self._native = _support.client(creds, name.registry)

    def _destination(self, image: Any, use_digest: bool) -> str:
        base = "docker://" + _support.repository(self._name)
        if use_digest or isinstance(self._name, docker_name.Digest):
            return f"{base}@{image.digest()}"
        return f"{base}:{_tag_or_digest(self._name)}"

    def upload(self, image: Any, use_digest: bool = False) -> None:
        """Pushes ``image`` (an image or a list) with its blobs; returns once the manifest is in."""
        destination = self._destination(image, use_digest)
        if isinstance(image, image_list.DockerImageList) and not hasattr(image, "_source"):
            for _, child in image:
                with child:
                    self.upload(child, use_digest=True)
            with translated():
                self._native.put_manifest(destination[len("docker://"):],
                                          tranship.parse_manifest(image.manifest().encode("utf8")))
            logging.info("Finished upload of: %s", self._name)
            return
        native, source = _native_source(image, self._native, self._creds, self._name.registry)
        options: dict[str, Any] = {"jobs": self._threads}
        if isinstance(image, image_list.DockerImageList):
            options["all"] = True
        _support.copy(native, source, destination, **options)

    def __enter__(self) -> Push:
        return self

    def __exit__(self, exception_type: Any, unused_value: Any, unused_traceback: Any) -> None:
        if exception_type:
            logging.error("Error during upload of: %s", self._name)
            return
        logging.info("Finished upload of: %s", self._name)


def Delete(name: docker_name.Repository, creds: docker_creds.Provider,
           transport: Any = None) -> None:
    """Deletes the manifest a tag or digest names (a tag is resolved to its digest first)."""
    native = _support.client(creds, name.registry)
    with translated():
        native.delete_manifest(_support.reference(name))
