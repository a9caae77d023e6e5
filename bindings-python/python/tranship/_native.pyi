# Type stubs for the native module, checked by `python -m mypy.stubtest`.
import builtins
from typing import Any, final

__all__ = [
    "Digest",
    "DigestError",
    "IOError",
    "LimitError",
    "Limits",
    "Manifest",
    "ManifestError",
    "Platform",
    "PlatformError",
    "Reference",
    "ReferenceError",
    "TranshipError",
    "parse_digest",
    "parse_manifest",
    "parse_platform",
    "parse_reference",
    "platform_matches",
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

@final
class Reference:
    """A parsed, normalised image reference."""

    @property
    def registry(self) -> str: ...
    @property
    def repository(self) -> str: ...
    @property
    def tag(self) -> str | None: ...
    @property
    def digest(self) -> str | None: ...
    @property
    def name(self) -> str: ...
    @property
    def full(self) -> str: ...
    @property
    def familiar(self) -> str: ...
    @property
    def endpoint(self) -> str: ...
    @property
    def plain_http(self) -> bool: ...
    def __eq__(self, value: object, /) -> bool: ...
    def __hash__(self) -> int: ...

def parse_reference(text: str) -> Reference:
    """Parses and normalises `[registry/]repository[:tag][@digest]`."""

@final
class Platform:
    """A normalised platform, `os[(os_version)]/arch[/variant]`."""

    @property
    def os(self) -> str: ...
    @property
    def architecture(self) -> str: ...
    @property
    def variant(self) -> str | None: ...
    @property
    def os_version(self) -> str | None: ...
    @property
    def text(self) -> str: ...
    def __eq__(self, value: object, /) -> bool: ...
    __hash__: None  # type: ignore[assignment]

def parse_platform(text: str) -> Platform:
    """Parses and normalises `os[(os_version)]/arch[/variant]`."""

def platform_matches(want: str, have: str) -> bool:
    """Whether the platform on offer (`have`) satisfies `want`."""

@final
class Limits:
    """Caps that keep hostile input harmless; omitted fields keep defaults."""

    def __new__(
        cls,
        *,
        max_manifest_bytes: int | None = None,
        max_config_bytes: int | None = None,
        max_layers: int | None = None,
        max_children: int | None = None,
        max_json_depth: int | None = None,
    ) -> Limits: ...
    @property
    def max_manifest_bytes(self) -> int: ...
    @property
    def max_config_bytes(self) -> int: ...
    @property
    def max_layers(self) -> int: ...
    @property
    def max_children(self) -> int: ...
    @property
    def max_json_depth(self) -> int: ...
    def __eq__(self, value: object, /) -> bool: ...
    __hash__: None  # type: ignore[assignment]

@final
class Manifest:
    """A manifest of any generation, parsed from its exact bytes."""

    def report(self) -> dict[str, Any]:
        """The inspection report, with the keys of `tranship manifest inspect --json`."""

    def digest(self, algorithm: str | None = None) -> str:
        """The manifest digest (signed schema1: of the JWS payload)."""

    def verify_signatures(self) -> list[dict[str, str]]:
        """Verifies every schema1 signature; returns `[{"alg", "key_id"}]`."""

    def select_platform(self, platform: str) -> dict[str, Any]:
        """The index entry chosen for `platform`, with its `index`."""

def parse_manifest(
    data: bytes, content_type: str | None = None, limits: Limits | None = None
) -> Manifest:
    """Parses a manifest from its exact bytes."""
