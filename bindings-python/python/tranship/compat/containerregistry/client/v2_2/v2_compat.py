"""``containerregistry.client.v2_2.v2_compat``: schema 1 <-> schema 2.

``V22FromV2`` upconverts as Docker and skopeo do (tranship's conversion:
diff_ids computed while the layers stream, throwaway entries left out,
the config skopeo writes), so the result's image ID is the one ``docker
pull`` gives. ``V2FromV22`` downconverts as the distribution registry
does and signs the result with a fresh key.
"""

from __future__ import annotations

import json
import os
from typing import Any

import tranship
from tranship.compat.containerregistry import _support
from tranship.compat.containerregistry._errors import BadDigestException as BadDigestException
from tranship.compat.containerregistry._errors import translated
from tranship.compat.containerregistry.client.v2 import docker_image as v2_image
from tranship.compat.containerregistry.client.v2_2 import docker_image as v2_2_image

EMPTY_TAR_DIGEST = _support.EMPTY_TAR_DIGEST
EMPTY_TAR_BYTES = _support.EMPTY_TAR_BYTES


def config_file(v1_compats: list[dict[str, Any]], diff_ids: list[str]) -> str:
    """The old library's schema 2 config from v1 entries (base first) and diff_ids.

    Kept for callers that build configs themselves; ``V22FromV2`` writes
    the config Docker and skopeo write instead.
    """
    v1_compatibility: dict[str, Any] = {}
    histories = []
    for v1_compat in v1_compats:
        v1_compatibility = v1_compat
        history = {}
        container_config = v1_compatibility.get("container_config")
        if container_config and container_config.get("Cmd"):
            history["created_by"] = container_config["Cmd"][0]
        if "created" in v1_compatibility:
            history["created"] = v1_compatibility.get("created")
        histories.append(history)
    config: dict[str, Any] = {
        "history": histories,
        "rootfs": {"diff_ids": diff_ids, "type": "layers"},
    }
    for key in ("architecture", "config", "container", "container_config", "docker_version", "os"):
        if key in v1_compatibility:
            config[key] = v1_compatibility[key]
    if "created" in v1_compatibility:
        config["created"] = v1_compatibility.get("created")
    return json.dumps(config, sort_keys=True)


class V22FromV2(v2_2_image.Delegate):
    """The schema 2 form of a schema 1 image (given entered)."""

    def __init__(self, v2_img: v2_image.DockerImage) -> None:
        self._v2_image = v2_img
        self._name = getattr(v2_img, "_name", None)  # names a V2FromV22 of this image
        self._scratch = _support.Scratch(self)
        native, source = v2_img._source()
        layout = _support.Layout(os.path.join(self._scratch.path, "layout"), "image")
        _support.copy(native, source, layout.address(), format="v2s2")
        super().__init__(v2_2_image._FromLayout(layout))

    def digest(self) -> str:
        return self._image.digest()

    def distributable_blob_set(self) -> set[str]:
        return self._image.distributable_blob_set()

    def _source(self) -> tuple[tranship.Registry, str]:
        return self._image._source()

    def __enter__(self) -> V22FromV2:
        return self

    def __exit__(self, unused_type: Any, unused_value: Any, unused_traceback: Any) -> None:
        pass


def _name_and_tag(image: Any) -> tuple[str, str]:
    name = getattr(image, "_name", None)
    repository = getattr(name, "repository", None)
    tag = getattr(name, "tag", None)
    if repository and tag:
        return str(repository), str(tag)
    return "unused", "unused"


class V2FromV22(v2_image.DockerImage):
    """The schema 1 form of a schema 2 (or OCI) image (given entered).

    Named by the image's repository and tag when it has them (else
    ``unused:unused``, as before), signed with a fresh key.
    """

    def __init__(self, v2_2_img: v2_2_image.DockerImage) -> None:
        self._v2_2_image = v2_2_img
        name, tag = _name_and_tag(v2_2_img)
        with translated():
            manifest = tranship.parse_manifest(v2_2_img.manifest().encode("utf8"))
            conversion = manifest.convert("v2s1", config=v2_2_img.config_file().encode("utf8"),
                                          name=name, tag=tag)
        self._converted = conversion.manifest
        self._manifest = conversion.manifest.raw.decode("utf8")

    def manifest(self) -> str:
        return self._manifest

    def digest(self) -> str:
        return self._converted.digest()

    def uncompressed_blob(self, digest: str) -> bytes:
        if digest == EMPTY_TAR_DIGEST:
            return _support.decompress(EMPTY_TAR_BYTES)
        return self._v2_2_image.uncompressed_blob(digest)

    def diff_id(self, digest: str) -> str:
        return self._v2_2_image.digest_to_diff_id(digest)

    def blob(self, digest: str) -> bytes:
        if digest == EMPTY_TAR_DIGEST:
            return EMPTY_TAR_BYTES
        return self._v2_2_image.blob(digest)

    def blob_to_file(self, digest: str, path: str | os.PathLike[str]) -> None:
        if digest == EMPTY_TAR_DIGEST:
            super().blob_to_file(digest, path)
        else:
            self._v2_2_image.blob_to_file(digest, path)

    def __enter__(self) -> V2FromV22:
        return self

    def __exit__(self, unused_type: Any, unused_value: Any, unused_traceback: Any) -> None:
        pass
