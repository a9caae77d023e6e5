"""``containerregistry.client.v2_2.docker_http``: media types, actions and error types.

The requests themselves are made by tranship's registry client; this
module keeps the constants and exception classes callers use.
``V2DiagnosticException`` (also a :class:`tranship.RegistryError`) has
``status``, ``diagnostics`` and ``response`` as before, and ``code``.
"""

from __future__ import annotations

import re

from tranship.compat.containerregistry._errors import BadStateException as BadStateException
from tranship.compat.containerregistry._errors import Diagnostic as Diagnostic
from tranship.compat.containerregistry._errors import TokenRefreshException as TokenRefreshException
from tranship.compat.containerregistry._errors import V2DiagnosticException as V2DiagnosticException

PULL = "pull"
PUSH = "push,pull"
DELETE = PUSH
CATALOG = "catalog"
ACTIONS = [PULL, PUSH, DELETE, CATALOG]

MANIFEST_SCHEMA1_MIME = "application/vnd.docker.distribution.manifest.v1+json"
MANIFEST_SCHEMA1_SIGNED_MIME = "application/vnd.docker.distribution.manifest.v1+prettyjws"
MANIFEST_SCHEMA2_MIME = "application/vnd.docker.distribution.manifest.v2+json"
MANIFEST_LIST_MIME = "application/vnd.docker.distribution.manifest.list.v2+json"
LAYER_MIME = "application/vnd.docker.image.rootfs.diff.tar.gzip"
FOREIGN_LAYER_MIME = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip"
CONFIG_JSON_MIME = "application/vnd.docker.container.image.v1+json"

OCI_MANIFEST_MIME = "application/vnd.oci.image.manifest.v1+json"
OCI_IMAGE_INDEX_MIME = "application/vnd.oci.image.index.v1+json"
OCI_LAYER_MIME = "application/vnd.oci.image.layer.v1.tar"
OCI_GZIP_LAYER_MIME = "application/vnd.oci.image.layer.v1.tar+gzip"
OCI_NONDISTRIBUTABLE_LAYER_MIME = "application/vnd.oci.image.layer.nondistributable.v1.tar"
OCI_NONDISTRIBUTABLE_GZIP_LAYER_MIME = "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip"
OCI_CONFIG_JSON_MIME = "application/vnd.oci.image.config.v1+json"

MANIFEST_SCHEMA1_MIMES = [MANIFEST_SCHEMA1_MIME, MANIFEST_SCHEMA1_SIGNED_MIME]
MANIFEST_SCHEMA2_MIMES = [MANIFEST_SCHEMA2_MIME]
OCI_MANIFEST_MIMES = [OCI_MANIFEST_MIME]
SUPPORTED_MANIFEST_MIMES = [OCI_MANIFEST_MIME, MANIFEST_SCHEMA2_MIME]
MANIFEST_LIST_MIMES = [OCI_IMAGE_INDEX_MIME, MANIFEST_LIST_MIME]
NON_DISTRIBUTABLE_LAYER_MIMES = [
    FOREIGN_LAYER_MIME,
    OCI_NONDISTRIBUTABLE_LAYER_MIME,
    OCI_NONDISTRIBUTABLE_GZIP_LAYER_MIME,
]


def Scheme(endpoint: str) -> str:
    """The scheme a registry is reached with: ``http`` for loopback and ``.local`` hosts.

    The old function answered ``https`` for ``127.0.0.1:PORT`` and
    ``[::1]:PORT``; loopback addresses are plain http here, as in tranship.
    """
    host = endpoint.rsplit(":", 1)[0] if not endpoint.endswith("]") else endpoint
    if endpoint.startswith("localhost:") or endpoint == "localhost":
        return "http"
    if re.match(r"^127(\.\d{1,3}){3}$", host) or host in ("[::1]", "::1"):
        return "http"
    if re.match(r".*\.local(?:host)?(?::\d{1,5})?$", endpoint):
        return "http"
    return "https"


def ParseNextLinkHeader(resp: dict[str, str]) -> str | None:
    """The ``next`` link of an RFC 5988 ``Link`` header, or None."""
    link = resp.get("link")
    if not link:
        return None
    m = re.match(r'.*<(.+)>;\s*rel="next".*', link)
    return m.group(1) if m else None
