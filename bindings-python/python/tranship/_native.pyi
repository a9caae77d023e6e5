# Type stubs for the native module, checked by `python -m mypy.stubtest`.
import builtins
from typing import Any, final

__all__ = [
    "Conversion",
    "ConversionError",
    "Digest",
    "DigestError",
    "IOError",
    "LayerError",
    "LimitError",
    "Limits",
    "Manifest",
    "ManifestError",
    "Platform",
    "PlatformError",
    "Reference",
    "ReferenceError",
    "RegistryError",
    "TranshipError",
    "diff_id_file",
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
    """A manifest, config or signing key is malformed, unsupported or badly signed."""

class PlatformError(TranshipError):
    """A platform is malformed or no index entry matches it."""

class ConversionError(TranshipError):
    """The target format cannot express the source (`CONVERSION`)."""

class LayerError(TranshipError):
    """A layer blob is not a readable (compressed) tar stream (`INVALID_LAYER`)."""

class RegistryError(TranshipError):
    """A registry refused or could not be reached, or lacks the content."""

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

    @property
    def raw(self) -> bytes:
        """The exact bytes the manifest was read from."""

    @property
    def payload(self) -> bytes:
        """The bytes the digest covers (signed schema1: the JWS payload)."""

    def report(self) -> dict[str, Any]:
        """The inspection report, with the keys of `tranship manifest inspect --json`."""

    def digest(self, algorithm: str | None = None) -> str:
        """The manifest digest (signed schema1: of the JWS payload)."""

    def verify_signatures(self) -> list[dict[str, str]]:
        """Verifies every schema1 signature; returns `[{"alg", "key_id"}]`."""

    def select_platform(self, platform: str) -> dict[str, Any]:
        """The index entry chosen for `platform`, with its `index`."""

    def convert(
        self,
        to: str,
        *,
        config: bytes | None = None,
        blobs: str | None = None,
        diff_ids: dict[str, str] | None = None,
        layer_sizes: dict[str, int] | None = None,
        reencode_config: bool = False,
        name: str | None = None,
        tag: str | None = None,
        unsigned: bool = False,
        signing_key: bytes | None = None,
    ) -> Conversion:
        """Converts to `v2s1`, `v2s2` or `oci`."""

    def negotiate(
        self,
        accept: list[str],
        *,
        by_digest: bool = False,
        name: str = "",
        tag: str = "",
        contents: list[bytes] = ...,
        unsigned: bool = False,
        signing_key: bytes | None = None,
    ) -> dict[str, Any]:
        """What a registry serves for this stored manifest and request."""

@final
class Conversion:
    """The outcome of `Manifest.convert`."""

    @property
    def manifest(self) -> Manifest: ...
    @property
    def config(self) -> bytes | None: ...
    @property
    def report(self) -> dict[str, Any]: ...

def diff_id_file(path: str) -> dict[str, Any]:
    """The digests of a layer blob file."""

def parse_manifest(
    data: bytes, content_type: str | None = None, limits: Limits | None = None
) -> Manifest:
    """Parses a manifest from its exact bytes."""
