"""The old library's exception types, as subclasses of tranship's errors.

Each keeps the old class name and attributes (``status``,
``diagnostics``, ``response`` for registry errors) and adds ``.code``,
tranship's stable error code, so both ``except
docker_http.V2DiagnosticException`` and ``except tranship.RegistryError``
catch a registry's refusal. :func:`translated` turns the native errors
raised inside it into these.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from typing import Any

import tranship

# The HTTP status a registry answers with for each registry error code,
# for callers that test `err.status` (0: no HTTP answer, such as NETWORK).
_STATUS = {
    "MANIFEST_UNKNOWN": 404,
    "BLOB_UNKNOWN": 404,
    "NAME_UNKNOWN": 404,
    "UNAUTHORIZED": 401,
    "DENIED": 403,
    "TOO_MANY_REQUESTS": 429,
}


class BadNameException(tranship.ReferenceError):
    """A name is not a valid registry, repository, tag or digest (`INVALID_REFERENCE`)."""

    def __init__(self, message: str, code: str = "INVALID_REFERENCE") -> None:
        super().__init__(message)
        self.code = code


class DigestMismatchedError(tranship.DigestError):
    """Content does not match the digest that names it (`DIGEST_MISMATCH`)."""

    def __init__(self, message: str, code: str = "DIGEST_MISMATCH") -> None:
        super().__init__(message)
        self.code = code


class BadDigestException(tranship.DigestError):
    """A digest is malformed (`INVALID_DIGEST`)."""

    def __init__(self, message: str, code: str = "INVALID_DIGEST") -> None:
        super().__init__(message)
        self.code = code


class InvalidMediaTypeError(tranship.ManifestError):
    """A manifest list names a child of a media type it cannot hold (`UNSUPPORTED_MEDIA_TYPE`)."""

    def __init__(self, message: str, code: str = "UNSUPPORTED_MEDIA_TYPE") -> None:
        super().__init__(message)
        self.code = code


class BadStateException(tranship.RegistryError):
    """The registry answered something unexpected (`REGISTRY`)."""

    def __init__(self, message: str, code: str = "REGISTRY") -> None:
        super().__init__(message)
        self.code = code


class TokenRefreshException(BadStateException):
    """A token could not be obtained (`UNAUTHORIZED`)."""

    def __init__(self, message: str, code: str = "UNAUTHORIZED") -> None:
        super().__init__(message, code)


class Diagnostic:
    """One entry of a registry's ``errors`` array."""

    def __init__(self, error: dict[str, Any]) -> None:
        self._error = error

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Diagnostic) and (
            (self.code, self.message, self.detail) == (other.code, other.message, other.detail)
        )

    __hash__ = None  # type: ignore[assignment]

    @property
    def code(self) -> Any:
        return self._error.get("code")

    @property
    def message(self) -> Any:
        return self._error.get("message")

    @property
    def detail(self) -> Any:
        return self._error.get("detail")


class Response(dict):  # type: ignore[type-arg]
    """What is known of the answer that failed: ``status`` and the headers (none)."""

    def __init__(self, status: int) -> None:
        super().__init__()
        self.status = status

    def __repr__(self) -> str:
        return f"<response status {self.status}>"


def _diagnostics(content: Any) -> list[Diagnostic]:
    if isinstance(content, bytes):
        content = content.decode("utf8", "replace")
    try:
        parsed = json.loads(content)
        return [Diagnostic(d) for d in parsed.get("errors", [])]
    except (ValueError, AttributeError, TypeError):
        return [Diagnostic({"code": "UNKNOWN", "message": content})]


class V2DiagnosticException(tranship.RegistryError):
    """A registry refused a request; ``status`` is the HTTP status (0 without one)."""

    def __init__(self, resp: Any, content: Any, code: str = "REGISTRY") -> None:
        self._resp = resp
        self._diagnostics = _diagnostics(content)
        message = "\n".join(
            [f"response: {resp}"] + [f"{d.message}: {d.detail}" for d in self._diagnostics]
        )
        super().__init__(message)
        self.code = code

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return self._diagnostics

    @property
    def response(self) -> Any:
        return self._resp

    @property
    def status(self) -> int:
        return int(getattr(self._resp, "status", 0))


def registry_error(err: tranship.TranshipError) -> V2DiagnosticException:
    """The old library's form of a native registry error, with its code kept."""
    code = err.code
    content = json.dumps({"errors": [{"code": code, "message": str(err), "detail": None}]})
    return V2DiagnosticException(Response(_STATUS.get(code, 0)), content, code)


@contextlib.contextmanager
def translated() -> Iterator[None]:
    """Raises the old library's exception types for the native errors inside."""
    try:
        yield
    except (BadNameException, DigestMismatchedError, V2DiagnosticException):
        raise
    except tranship.ReferenceError as err:
        raise BadNameException(str(err), err.code) from err
    except tranship.DigestError as err:
        if err.code == "DIGEST_MISMATCH":
            raise DigestMismatchedError(str(err), err.code) from err
        raise BadDigestException(str(err), err.code) from err
    except tranship.RegistryError as err:
        raise registry_error(err) from err
