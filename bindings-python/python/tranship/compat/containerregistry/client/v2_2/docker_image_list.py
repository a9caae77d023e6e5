"""``containerregistry.client.v2_2.docker_image_list``: manifest lists and OCI indexes.

``Platform.can_run`` compares platforms as containerd does (tranship's
matcher: ``aarch64`` is ``arm64``, ``arm64`` is ``arm64/v8``, a target
without a variant runs any variant), where the old comparison never
matched an entry that names a variant the target leaves out.
``resolve`` picks as tranship selects (the exact variant first, then the
first entry listed); ``resolve_all`` still sorts by digest.
"""

from __future__ import annotations

import abc
import json
from collections.abc import Iterator
from typing import Any, Union

import tranship
from tranship.compat.containerregistry import _support
from tranship.compat.containerregistry._errors import DigestMismatchedError as DigestMismatchedError
from tranship.compat.containerregistry._errors import InvalidMediaTypeError as InvalidMediaTypeError
from tranship.compat.containerregistry._errors import V2DiagnosticException, translated
from tranship.compat.containerregistry.client import docker_creds, docker_name
from tranship.compat.containerregistry.client.v2_2 import docker_digest, docker_http
from tranship.compat.containerregistry.client.v2_2 import docker_image as v2_2_image


class Platform:
    """What an image needs to run: os, architecture, variant, os.version, features."""

    def __init__(self, content: dict[str, Any] | None = None) -> None:
        self._content = content or {}

    def architecture(self) -> str:
        return str(self._content.get("architecture", "amd64"))

    def os(self) -> str:
        return str(self._content.get("os", "linux"))

    def os_version(self) -> str | None:
        return self._content.get("os.version")

    def os_features(self) -> set[str]:
        return set(self._content.get("os.features", []))

    def variant(self) -> str | None:
        return self._content.get("variant")

    def features(self) -> set[str]:
        return set(self._content.get("features", []))

    def text(self) -> str:
        """``os[(os.version)]/architecture[/variant]``, as tranship parses platforms."""
        version = f"({self.os_version()})" if self.os_version() else ""
        variant = f"/{self.variant()}" if self.variant() else ""
        return f"{self.os()}{version}/{self.architecture()}{variant}"

    def can_run(self, required: Platform | None) -> bool:
        """Whether this platform (the target) runs an image that needs ``required``."""
        if not required:
            return True
        with translated():
            if not tranship.platform_matches(self.text(), required.text()):
                return False
        if required.os_features() and not required.os_features().issubset(self.os_features()):
            return False
        return not (required.features() and not required.features().issubset(self.features()))

    def compatible_with(self, target: Platform) -> bool:
        return target.can_run(self)

    def __iter__(self) -> Iterator[tuple[str, Any]]:
        self._content["architecture"] = self.architecture()
        self._content["os"] = self.os()
        return iter(self._content.items())


Image = Union[v2_2_image.DockerImage, "DockerImageList"]


class DockerImageList(abc.ABC):
    """A manifest list (or OCI index) and its children."""

    def digest(self) -> str:
        return docker_digest.SHA256(self.manifest().encode("utf8"))

    def media_type(self) -> str:
        return str(json.loads(self.manifest()).get("mediaType", docker_http.OCI_IMAGE_INDEX_MIME))

    @abc.abstractmethod
    def manifest(self) -> str:
        """The list's exact text."""

    @abc.abstractmethod
    def resolve_all(self, target: Platform | None = None) -> list[Any]:
        """The children that run on ``target`` (linux/amd64 by default), sorted by digest."""

    def resolve(self, target: Platform | None = None) -> Any:
        """The child for ``target`` (linux/amd64 by default)."""
        images = self.resolve_all(target or Platform())
        if not images:
            raise tranship.PlatformError("Could not resolve manifest list to compatible manifest")
        return images[0]

    def __enter__(self) -> DockerImageList:
        return self

    def __exit__(self, unused_type: Any, unused_value: Any, unused_traceback: Any) -> None:
        pass

    @abc.abstractmethod
    def __iter__(self) -> Iterator[tuple[Platform | None, Any]]:
        """``(platform, image)`` for each child."""


class Delegate(DockerImageList):
    """Forwards every call to the list it wraps."""

    def __init__(self, image: DockerImageList) -> None:
        self._image = image

    def manifest(self) -> str:
        return self._image.manifest()

    def media_type(self) -> str:
        return self._image.media_type()

    def resolve_all(self, target: Platform | None = None) -> list[Any]:
        return self._image.resolve_all(target)

    def resolve(self, target: Platform | None = None) -> Any:
        return self._image.resolve(target)

    def __iter__(self) -> Iterator[tuple[Platform | None, Any]]:
        return iter(self._image)

    def __str__(self) -> str:
        return str(self._image)


class FromRegistry(DockerImageList):
    """A manifest list in a registry (``transport`` is not used)."""

    def __init__(self, name: docker_name.Registry, basic_creds: docker_creds.Provider,
                 transport: Any = None,
                 accepted_mimes: list[str] = docker_http.MANIFEST_LIST_MIMES) -> None:
        self._name = name
        self._creds = basic_creds
        self._original_transport = transport
        self._accepted_mimes = list(accepted_mimes)
        self._fetched: tranship.FetchedManifest | None = None
        self._native = _support.client(basic_creds, name.registry)

    def _fetch(self) -> tranship.FetchedManifest:
        if self._fetched is None:
            with translated():
                self._fetched = self._native.get_manifest(
                    _support.reference(self._name), accept=self._accepted_mimes)
        return self._fetched

    def images(self) -> list[tuple[docker_name.Digest, Platform | None, Any]]:
        """``(name, platform, image)`` for each child, in the list's order."""
        results = []
        base = self._name.as_repository()  # type: ignore[attr-defined]
        for entry in json.loads(self.manifest())["manifests"]:
            name = docker_name.Digest(f"{base}@{entry['digest']}", strict=False)
            media_type = entry["mediaType"]
            image: Any
            if media_type in docker_http.MANIFEST_LIST_MIMES:
                image = FromRegistry(name, self._creds, self._original_transport)
            elif media_type in docker_http.SUPPORTED_MANIFEST_MIMES:
                image = v2_2_image.FromRegistry(name, self._creds, self._original_transport,
                                                [media_type])
            else:
                raise InvalidMediaTypeError("Invalid media type: " + media_type)
            platform = Platform(entry["platform"]) if "platform" in entry else None
            results.append((name, platform, image))
        return results

    def resolve_all(self, target: Platform | None = None) -> list[Any]:
        results = list(self.resolve_all_unordered(target).items())
        results.sort(key=lambda name_image: str(name_image[0]))
        return [image for _, image in results]

    def resolve_all_unordered(self, target: Platform | None = None) -> dict[Any, Any]:
        target = target or Platform()
        results: dict[Any, Any] = {}
        for name, platform, image in self.images():
            if isinstance(image, FromRegistry):
                with image:
                    results.update(image.resolve_all_unordered(target))
            elif target.can_run(platform):
                results[name] = image
        return results

    def resolve(self, target: Platform | None = None) -> Any:
        """The child tranship selects for ``target``: the exact variant, else the first that runs."""
        target = target or Platform()
        if target.features() or target.os_features():
            return super().resolve(target)
        with translated():
            chosen = self._fetch().manifest.select_platform(target.text())
        _, _, image = self.images()[chosen["index"]]
        if isinstance(image, FromRegistry):
            return image.resolve(target)
        return image

    def exists(self) -> bool:
        try:
            manifest = json.loads(self.manifest(validate=False))
            return bool(manifest["schemaVersion"] == 2 and "manifests" in manifest)
        except V2DiagnosticException as err:
            if err.status == 404:
                return False
            raise

    def manifest(self, validate: bool = True) -> str:
        return self._fetch().manifest.raw.decode("utf8")

    def digest(self) -> str:
        return self._fetch().digest

    def _source(self) -> tuple[tranship.Registry, str]:
        return self._native, "docker://" + _support.repository(self._name) + "@" + self.digest()

    def __enter__(self) -> FromRegistry:
        return self

    def __str__(self) -> str:
        return f"<docker_image_list.FromRegistry name: {self._name}>"

    def __iter__(self) -> Iterator[tuple[Platform | None, Any]]:
        return iter([(platform, image) for _, platform, image in self.images()])


class FromList(DockerImageList):
    """A manifest list made of ``(platform, image)`` pairs."""

    def __init__(self, images: list[tuple[Platform | None, Any]]) -> None:
        self._images = images

    def manifest(self) -> str:
        body: dict[str, Any] = {
            "mediaType": docker_http.MANIFEST_LIST_MIME,
            "schemaVersion": 2,
            "manifests": [],
        }
        for platform, manifest in self._images:
            entry: dict[str, Any] = {
                "digest": manifest.digest(),
                "mediaType": manifest.media_type(),
                "size": len(manifest.manifest().encode("utf8")),
            }
            if platform:
                entry["platform"] = dict(platform)
            body["manifests"].append(entry)
        return json.dumps(body, sort_keys=True)

    def resolve_all(self, target: Platform | None = None) -> list[Any]:
        target = target or Platform()
        results: list[Any] = []
        for platform, image in self._images:
            if isinstance(image, DockerImageList):
                with image:
                    results.extend(image.resolve_all(target))
            elif target.can_run(platform):
                results.append(image)
        by_digest = {img.digest(): img for img in results}
        return [by_digest[d] for d in sorted(by_digest)]

    def __enter__(self) -> FromList:
        return self

    def __iter__(self) -> Iterator[tuple[Platform | None, Any]]:
        return iter(self._images)
