# Type stubs for the native module, checked by `python -m mypy.stubtest`.
import asyncio
import builtins
import os
from collections.abc import Callable
from typing import Any, final

__all__ = [
    "Address",
    "AddressError",
    "ArchiveError",
    "AsyncRegistry",
    "Conversion",
    "ConversionError",
    "Digest",
    "DigestError",
    "FetchedManifest",
    "IOError",
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
    "ReferenceError",
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

class TranshipError(Exception):
    """Base of every tranship error; `.code` is the stable error code."""

    code: str

class ReferenceError(TranshipError):
    """An image reference is malformed (`INVALID_REFERENCE`)."""

class AddressError(TranshipError):
    """An image address names an unsupported transport or is malformed (`INVALID_ADDRESS`)."""

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

class ArchiveError(TranshipError):
    """A tarball is malformed, truncated or has entries that could escape it (`INVALID_ARCHIVE`)."""

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
class Address:
    """Where an image is: `docker://REF`, `oci:DIR[:NAME]`, `oci-archive:FILE[:NAME]` or `docker-archive:FILE[:REF|:@INDEX]`."""

    @property
    def transport(self) -> str: ...
    @property
    def path(self) -> str | None: ...
    @property
    def name(self) -> str | None: ...
    @property
    def reference(self) -> str | None: ...
    @property
    def index(self) -> int | None: ...
    @property
    def text(self) -> str: ...
    def __eq__(self, value: object, /) -> bool: ...
    def __hash__(self) -> int: ...

def parse_address(text: str) -> Address:
    """Parses an image address; raises `AddressError` or `ReferenceError`."""

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
    """Caps that keep hostile input harmless; omitted fields keep defaults.

    Raises `ManifestError` (`INVALID_CONFIG`) when a value is negative.
    """

    def __new__(
        cls,
        *,
        max_manifest_bytes: int | None = None,
        max_config_bytes: int | None = None,
        max_layers: int | None = None,
        max_children: int | None = None,
        max_json_depth: int | None = None,
        max_signatures: int | None = None,
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
    @property
    def max_signatures(self) -> int: ...
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

def compress_file(
    input: str | os.PathLike[str],
    output: str | os.PathLike[str],
    *,
    format: str | None = None,
    level: int | None = None,
    threads: int | None = None,
) -> dict[str, Any]:
    """Compresses a layer file to gzip or zstd; returns the new blob's digests."""

def decompress_file(
    input: str | os.PathLike[str], output: str | os.PathLike[str]
) -> dict[str, Any]:
    """Decompresses a layer blob file to its tar; returns its digests."""

def parse_manifest(
    data: bytes, content_type: str | None = None, limits: Limits | None = None
) -> Manifest:
    """Parses a manifest from its exact bytes."""

@final
class FetchedManifest:
    """A manifest as a registry served it."""

    @property
    def manifest(self) -> Manifest:
        """The manifest, with the exact bytes received."""

    @property
    def digest(self) -> str:
        """Its verified digest, `algorithm:hex`."""

    @property
    def content_type(self) -> str | None:
        """The `Content-Type` the registry sent, or None."""

    @property
    def reference(self) -> str:
        """The reference it was fetched with (by digest when chosen from an index)."""

    @property
    def index_digest(self) -> str | None:
        """The digest of the index the platform was chosen from, or None."""

    @property
    def platform(self) -> str | None:
        """The chosen index entry's platform, or None."""

@final
class ManifestHead:
    """What a HEAD request tells about a manifest."""

    @property
    def digest(self) -> str | None: ...
    @property
    def media_type(self) -> str | None: ...
    @property
    def size(self) -> int | None: ...
    def __eq__(self, value: object, /) -> bool: ...
    __hash__: None  # type: ignore[assignment]

@final
class PushedBlob:
    """A blob the repository now has, and how it came there."""

    @property
    def digest(self) -> str: ...
    @property
    def size(self) -> int: ...
    @property
    def outcome(self) -> str:
        """`existed`, `mounted` (from another repository) or `uploaded`."""

    def __eq__(self, value: object, /) -> bool: ...
    __hash__: None  # type: ignore[assignment]

@final
class Registry:
    """A registry client; methods block, with the GIL released, until done."""

    def __new__(
        cls,
        *,
        credentials: dict[str, tuple[str, str]] | None = None,
        authfile: str | os.PathLike[str] | None = None,
        registries_conf: str | os.PathLike[str] | None = None,
        insecure: list[str] | None = None,
        cert_dirs: dict[str, str | os.PathLike[str]] | None = None,
        max_concurrent_requests: int | None = None,
        chunk_size: int | None = None,
    ) -> Registry: ...
    def get_manifest(
        self, reference: str, accept: list[str] | None = None, platform: str | None = None
    ) -> FetchedManifest:
        """Fetches a manifest; from an index, the `platform`'s when one is given."""

    def head_manifest(self, reference: str) -> ManifestHead:
        """A manifest's digest, media type and size, from a HEAD request."""

    def manifest_digest(self, reference: str) -> str:
        """The digest of the manifest `reference` names, checked to exist."""

    def put_manifest(self, reference: str, manifest: Manifest) -> str:
        """Uploads the manifest's exact bytes; returns the digest."""

    def delete_manifest(self, reference: str) -> str:
        """Deletes a manifest; returns the deleted digest."""

    def blob_exists(self, reference: str, digest: str) -> int | None:
        """The blob's size when the repository has it, else None."""

    def get_blob(self, reference: str, digest: str) -> bytes:
        """A blob's bytes, verified against `digest`."""

    def get_blob_to_file(
        self,
        reference: str,
        digest: str,
        path: str | os.PathLike[str],
        progress: Callable[[dict[str, Any]], object] | None = None,
    ) -> None:
        """Downloads a blob to `path`, verified; nothing is left behind on failure."""

    def push_blob(
        self,
        reference: str,
        data: bytes,
        digest: str | None = None,
        mount_from: list[str] | None = None,
        progress: Callable[[dict[str, Any]], object] | None = None,
    ) -> PushedBlob:
        """Makes sure the repository has the blob: existed, mounted or uploaded."""

    def push_blob_file(
        self,
        reference: str,
        path: str | os.PathLike[str],
        digest: str | None = None,
        mount_from: list[str] | None = None,
        progress: Callable[[dict[str, Any]], object] | None = None,
    ) -> PushedBlob:
        """`push_blob` for a file, streamed from disk."""

    def tags(self, reference: str) -> list[str]:
        """The repository's tags."""

    def catalog(self, host: str) -> list[str]:
        """The repositories of the registry `host`."""

    def referrers(
        self, reference: str, subject_digest: str, artifact_type: str | None = None
    ) -> list[dict[str, Any]]:
        """The manifests whose subject is `subject_digest`, as descriptor dicts."""

    def copy(
        self,
        source: str,
        destination: str,
        *,
        platforms: list[str] | None = None,
        all: bool = False,
        format: str | None = None,
        jobs: int | None = None,
        additional_tags: list[str] | None = None,
        legacy: bool = False,
        signing_key: str | os.PathLike[str] | None = None,
        unsigned: bool = False,
        strip_missing: bool = False,
        preserve_digests: bool = False,
        referrers: bool | None = None,
        compress_format: str | None = None,
        compress_level: int | None = None,
        progress: Callable[[dict[str, Any]], object] | None = None,
    ) -> dict[str, Any]:
        """Copies an image between addresses; returns the summary as a dict."""

    def check(self, address: str, *, full: bool = False) -> dict[str, Any]:
        """Checks that an image is whole where it is; returns the report as a dict."""

    def copy_all(
        self,
        sources: list[str],
        destination: str,
        *,
        platforms: list[str] | None = None,
        all: bool = False,
        format: str | None = None,
        jobs: int | None = None,
        legacy: bool = False,
        signing_key: str | os.PathLike[str] | None = None,
        unsigned: bool = False,
        strip_missing: bool = False,
        preserve_digests: bool = False,
        referrers: bool | None = None,
        compress_format: str | None = None,
        compress_level: int | None = None,
        progress: Callable[[dict[str, Any]], object] | None = None,
    ) -> list[dict[str, Any]]:
        """Copies several images into one docker-archive; a summary dict each."""

@final
class AsyncRegistry:
    """`tranship.aio.Registry`: `Registry` with asyncio futures."""

    def __new__(
        cls,
        *,
        credentials: dict[str, tuple[str, str]] | None = None,
        authfile: str | os.PathLike[str] | None = None,
        registries_conf: str | os.PathLike[str] | None = None,
        insecure: list[str] | None = None,
        cert_dirs: dict[str, str | os.PathLike[str]] | None = None,
        max_concurrent_requests: int | None = None,
        chunk_size: int | None = None,
    ) -> AsyncRegistry: ...
    def get_manifest(
        self, reference: str, accept: list[str] | None = None, platform: str | None = None
    ) -> asyncio.Future[FetchedManifest]: ...
    def head_manifest(self, reference: str) -> asyncio.Future[ManifestHead]: ...
    def manifest_digest(self, reference: str) -> asyncio.Future[str]: ...
    def put_manifest(self, reference: str, manifest: Manifest) -> asyncio.Future[str]: ...
    def delete_manifest(self, reference: str) -> asyncio.Future[str]: ...
    def blob_exists(self, reference: str, digest: str) -> asyncio.Future[int | None]: ...
    def get_blob(self, reference: str, digest: str) -> asyncio.Future[bytes]: ...
    def get_blob_to_file(
        self,
        reference: str,
        digest: str,
        path: str | os.PathLike[str],
        progress: Callable[[dict[str, Any]], object] | None = None,
    ) -> asyncio.Future[None]: ...
    def push_blob(
        self,
        reference: str,
        data: bytes,
        digest: str | None = None,
        mount_from: list[str] | None = None,
        progress: Callable[[dict[str, Any]], object] | None = None,
    ) -> asyncio.Future[PushedBlob]: ...
    def push_blob_file(
        self,
        reference: str,
        path: str | os.PathLike[str],
        digest: str | None = None,
        mount_from: list[str] | None = None,
        progress: Callable[[dict[str, Any]], object] | None = None,
    ) -> asyncio.Future[PushedBlob]: ...
    def tags(self, reference: str) -> asyncio.Future[list[str]]: ...
    def catalog(self, host: str) -> asyncio.Future[list[str]]: ...
    def referrers(
        self, reference: str, subject_digest: str, artifact_type: str | None = None
    ) -> asyncio.Future[list[dict[str, Any]]]: ...
    def copy(
        self,
        source: str,
        destination: str,
        *,
        platforms: list[str] | None = None,
        all: bool = False,
        format: str | None = None,
        jobs: int | None = None,
        additional_tags: list[str] | None = None,
        legacy: bool = False,
        signing_key: str | os.PathLike[str] | None = None,
        unsigned: bool = False,
        strip_missing: bool = False,
        preserve_digests: bool = False,
        referrers: bool | None = None,
        compress_format: str | None = None,
        compress_level: int | None = None,
        progress: Callable[[dict[str, Any]], object] | None = None,
    ) -> asyncio.Future[dict[str, Any]]: ...
    def check(self, address: str, *, full: bool = False) -> asyncio.Future[dict[str, Any]]: ...
    def copy_all(
        self,
        sources: list[str],
        destination: str,
        *,
        platforms: list[str] | None = None,
        all: bool = False,
        format: str | None = None,
        jobs: int | None = None,
        legacy: bool = False,
        signing_key: str | os.PathLike[str] | None = None,
        unsigned: bool = False,
        strip_missing: bool = False,
        preserve_digests: bool = False,
        referrers: bool | None = None,
        compress_format: str | None = None,
        compress_level: int | None = None,
        progress: Callable[[dict[str, Any]], object] | None = None,
    ) -> asyncio.Future[list[dict[str, Any]]]: ...
