"""``containerregistry.client.v2.docker_digest``."""

from __future__ import annotations

import tranship
from tranship.compat.containerregistry._errors import translated
from tranship.compat.containerregistry.client.v2_2.docker_digest import SHA256 as SHA256


def SignedManifestToSHA256(manifest: str) -> str:
    """The digest of a (signed) schema 1 manifest: of its payload."""
    with translated():
        return tranship.parse_manifest(manifest.encode("utf8")).digest()
