"""tranship: container images without losing track of what they are.

Every function is a thin door into tranship's Rust core; errors are raised
as subclasses of :class:`TranshipError`, each with the stable ``.code``.
"""

from tranship._native import DigestError as DigestError
from tranship._native import Digest as Digest
from tranship._native import IOError as IOError
from tranship._native import LimitError as LimitError
from tranship._native import ManifestError as ManifestError
from tranship._native import PlatformError as PlatformError
from tranship._native import ReferenceError as ReferenceError
from tranship._native import TranshipError as TranshipError
from tranship._native import parse_digest as parse_digest

# `ReferenceError` and `IOError` are left out of `__all__` so that
# `from tranship import *` never shadows the builtins of those names; use
# them as `tranship.ReferenceError` and `tranship.IOError`.
__all__ = [
    "Digest",
    "DigestError",
    "LimitError",
    "ManifestError",
    "PlatformError",
    "TranshipError",
    "parse_digest",
]
