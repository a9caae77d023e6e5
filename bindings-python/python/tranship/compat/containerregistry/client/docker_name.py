"""``containerregistry.client.docker_name``: Registry, Repository, Tag and Digest.

The classes, their attributes (``registry``, ``repository``, ``tag``,
``digest``), ``str()``, equality, ``as_repository()`` and ``scope()``
are the old ones. A name is also checked by tranship's reference
grammar (``tranship.parse_reference``), so what cannot be pulled is
refused here, with :class:`BadNameException` (a
``tranship.ReferenceError``, code ``INVALID_REFERENCE``).
"""

from __future__ import annotations

import os
import sys
import urllib.parse

import tranship
from tranship.compat.containerregistry._errors import BadNameException as BadNameException

_REPOSITORY_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789_-./"
_TAG_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789_-.ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_DIGEST_CHARS = "sh:0123456789abcdef"

_APP = os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else "console"
USER_AGENT = "//containerregistry/client:%s" % _APP

DEFAULT_DOMAIN = "index.docker.io"
DEFAULT_TAG = "latest"


def _check_element(name: str, element: str, characters: str, min_len: int | None,
                   max_len: int | None) -> None:
    length = len(element)
    if min_len and length < min_len:
        raise BadNameException(f"Invalid {name}: {element}, must be at least {min_len} characters")
    if max_len and length > max_len:
        raise BadNameException(f"Invalid {name}: {element}, must be at most {max_len} characters")
    if element.strip(characters):
        raise BadNameException(
            f"Invalid {name}: {element}, acceptable characters include: {characters}")


def _check_repository(repository: str) -> None:
    _check_element("repository", repository, _REPOSITORY_CHARS, 2, 255)


def _check_tag(tag: str) -> None:
    _check_element("tag", tag, _TAG_CHARS, 1, 127)


def _check_digest(digest: str) -> None:
    try:
        tranship.parse_digest(digest)
    except tranship.DigestError as err:
        raise BadNameException(f"Invalid digest: {digest}: {err}") from err


def _check_registry(registry: str) -> None:
    parsed = urllib.parse.urlparse("//" + registry)
    if registry != parsed.netloc:
        raise BadNameException("Invalid registry: %s" % registry)


def _check_reference(text: str) -> None:
    """tranship's grammar: what it refuses no registry would serve."""
    try:
        tranship.parse_reference(text)
    except tranship.ReferenceError as err:
        raise BadNameException(str(err), err.code) from err


class Registry:
    """A registry's host name (and port)."""

    def __init__(self, name: str, strict: bool = True) -> None:
        if strict:
            if not name:
                raise BadNameException("A Docker registry domain must be specified.")
            _check_registry(name)
        self._registry = name

    @property
    def registry(self) -> str:
        return self._registry or DEFAULT_DOMAIN

    def __str__(self) -> str:
        return self._registry

    def __repr__(self) -> str:
        return self.__str__()

    def __eq__(self, other: object) -> bool:
        return bool(other) and type(self) == type(other) and self.registry == other.registry  # noqa: E721

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    def __hash__(self) -> int:
        return hash(self.registry)

    def scope(self, unused_action: str) -> str:
        return "registry:catalog:*"


class Repository(Registry):
    """``[registry/]repository``; the registry is the first part when it has a `.` or `:`."""

    def __init__(self, name: str, strict: bool = True) -> None:
        if not name:
            raise BadNameException("A Docker image name must be specified")
        domain = ""
        repo = name
        parts = name.split("/", 1)
        if len(parts) == 2 and ("." in parts[0] or ":" in parts[0]):
            domain, repo = parts
        super().__init__(domain, strict=strict)
        self._repository = repo
        _check_repository(self._repository)
        _check_reference(name if domain else f"{DEFAULT_DOMAIN}/{repo}")

    def _validation_exception(self, name: str) -> BadNameException:
        return BadNameException(
            "Docker image name must have the form: registry/repository, saw: %s" % name)

    @property
    def repository(self) -> str:
        return self._repository

    def __str__(self) -> str:
        base = super().__str__()
        return f"{base}/{self._repository}" if base else self._repository

    def __eq__(self, other: object) -> bool:
        return (bool(other) and type(self) == type(other)  # noqa: E721
                and self.registry == other.registry
                and self.repository == other.repository)

    def __hash__(self) -> int:
        return hash((self.registry, self.repository))

    def scope(self, action: str) -> str:
        return f"repository:{self._repository}:{action}"


class Tag(Repository):
    """``[registry/]repository[:tag]``; ``tag`` is ``latest`` when none is given."""

    def __init__(self, name: str, strict: bool = True) -> None:
        parts = name.rsplit(":", 1)
        if len(parts) != 2 or "/" in parts[1]:
            base, tag = name, ""
        else:
            base, tag = parts
        self._tag = tag
        if self._tag or strict:
            _check_tag(self._tag)
        super().__init__(base, strict=strict)
        if self._tag:
            _check_reference(f"{self.registry}/{self.repository}:{self._tag}")

    @property
    def tag(self) -> str:
        return self._tag or DEFAULT_TAG

    def __str__(self) -> str:
        base = super().__str__()
        return f"{base}:{self._tag}" if self._tag else base

    def as_repository(self) -> Repository:
        return Repository(super().__str__(), strict=False)

    def __eq__(self, other: object) -> bool:
        return super().__eq__(other) and self.tag == other.tag  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash((self.registry, self.repository, self.tag))


class Digest(Repository):
    """``[registry/]repository@algorithm:hex``."""

    def __init__(self, name: str, strict: bool = True) -> None:
        parts = name.split("@")
        if len(parts) != 2:
            raise self._validation_exception(name)
        self._digest = parts[1]
        _check_digest(self._digest)
        super().__init__(parts[0], strict=strict)

    def _validation_exception(self, name: str) -> BadNameException:
        return BadNameException(
            "Docker image name must be fully qualified (e.g. registry/repository@digest) "
            "saw: %s" % name)

    @property
    def digest(self) -> str:
        return self._digest

    def __str__(self) -> str:
        return f"{super().__str__()}@{self.digest}"

    def as_repository(self) -> Repository:
        return Repository(super().__str__(), strict=False)

    def __eq__(self, other: object) -> bool:
        return super().__eq__(other) and self.digest == other.digest  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash((self.registry, self.repository, self.digest))


def from_string(name: str) -> Registry:
    """Parses ``name`` strictly as a Digest, Tag, Repository or Registry, the first that fits."""
    for name_type in (Digest, Tag, Repository, Registry):
        try:
            return name_type(name, strict=True)
        except BadNameException:
            pass
    raise BadNameException(f"'{name}' is not a valid Tag, Digest, Repository or Registry")
