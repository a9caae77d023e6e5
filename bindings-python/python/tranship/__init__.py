"""tranship: container images without losing track of what they are.

Every function is a thin door into tranship's Rust core; errors are raised
as subclasses of :class:`TranshipError`, each with the stable ``.code``.
:class:`Registry` talks to registries with blocking calls that release the
GIL; :mod:`tranship.aio` has the same client for asyncio.
"""

from tranship._native import Address as Address
from tranship._native import AddressError as AddressError
from tranship._native import ArchiveError as ArchiveError
from tranship._native import Conversion as Conversion
from tranship._native import ConversionError as ConversionError
from tranship._native import Digest as Digest
from tranship._native import DigestError as DigestError
from tranship._native import FetchedManifest as FetchedManifest
from tranship._native import IOError as IOError
from tranship._native import LayerError as LayerError
from tranship._native import LimitError as LimitError
from tranship._native import Limits as Limits
from tranship._native import Manifest as Manifest
from tranship._native import ManifestError as ManifestError
from tranship._native import ManifestHead as ManifestHead
from tranship._native import Platform as Platform
from tranship._native import PlatformError as PlatformError
from tranship._native import PushedBlob as PushedBlob
from tranship._native import Reference as Reference
from tranship._native import ReferenceError as ReferenceError
from tranship._native import Registry as Registry
from tranship._native import RegistryError as RegistryError
from tranship._native import TranshipError as TranshipError
from tranship._native import compress_file as compress_file
from tranship._native import decompress_file as decompress_file
from tranship._native import diff_id_file as diff_id_file
from tranship._native import parse_address as parse_address
from tranship._native import parse_digest as parse_digest
from tranship._native import parse_manifest as parse_manifest
from tranship._native import parse_platform as parse_platform
from tranship._native import parse_reference as parse_reference
from tranship._native import platform_matches as platform_matches

# `ReferenceError` and `IOError` are left out of `__all__` so that
# `from tranship import *` never shadows the builtins of those names; use
# them as `tranship.ReferenceError` and `tranship.IOError`.
__all__ = [
    "Address",
    "AddressError",
    "ArchiveError",
    "Conversion",
    "ConversionError",
    "Digest",
    "DigestError",
    "FetchedManifest",
    "LayerError",
    "LimitError",
    "Limits",
    "Manifest",
    "ManifestError",
    "ManifestHead",
    "Platform",
    "PlatformError",
    "PushedBlob",
    "Reference",
    "Registry",
    "RegistryError",
    "TranshipError",
    "compress_file",
    "decompress_file",
    "diff_id_file",
    "parse_address",
    "parse_digest",
    "parse_manifest",
    "parse_platform",
    "parse_reference",
    "platform_matches",
]
