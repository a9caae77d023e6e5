# Type stubs for the native module, checked by `python -m mypy.stubtest`.
import builtins
from typing import final

__all__ = [
    "Digest",
    "DigestError",
    "IOError",
    "LimitError",
    "ManifestError",
    "PlatformError",
    "ReferenceError",
    "TranshipError",
    "parse_digest",
]

class TranshipError(Exception):
    """Base of every tranship error; `.code` is the stable error code."""

    code: str

class ReferenceError(TranshipError):
    """An image reference is malformed (`INVALID_REFERENCE`)."""

class DigestError(TranshipError):
    """A digest is malformed or content does not match it."""

class ManifestError(TranshipError):
    """A manifest is malformed, of an unsupported type, or badly signed."""

class PlatformError(TranshipError):
    """A platform is malformed or no index entry matches it."""

class LimitError(TranshipError):
    """Input exceeds a configured limit (`LIMIT_EXCEEDED`)."""

class IOError(TranshipError):
    """Reading or writing a file or stream failed (`IO`)."""

@final
class Digest:
    """A content digest such as `sha256:2cf24d…`."""

    @property
    def algorithm(self) -> str:
        """The algorithm: `sha256` or `sha512`."""

    @property
    def hex(self) -> builtins.str:
        """The lowercase hex encoding, without the `algorithm:` prefix."""

    def __eq__(self, value: object, /) -> bool: ...
    def __hash__(self) -> int: ...

def parse_digest(text: str) -> Digest:
    """Parses `algorithm:hex`; raises `DigestError` (`INVALID_DIGEST`)."""
