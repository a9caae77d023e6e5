"""``containerregistry.client.docker_creds``: credential providers and keychains.

A provider is handed to ``FromRegistry``, ``Push`` and the like, which
give it to tranship's registry client: ``Basic`` (and what returns one)
as that registry's user and password, ``Anonymous`` as no credentials of
its own. ``DefaultKeychain.Resolve`` returns :class:`Keychained`, which
lets the client find the credentials as Docker and podman do (its auth
files and credential helpers), instead of the old Python code that
failed with every credential helper on Python 3.
"""

from __future__ import annotations

import abc
import base64
import json
import os
import subprocess
from typing import Any

from tranship.compat.containerregistry._errors import BadStateException
from tranship.compat.containerregistry.client import docker_name


class Provider(abc.ABC):
    """Gives the value of an ``Authorization`` header."""

    @abc.abstractmethod
    def Get(self) -> str:
        """The ``Authorization`` header's value ('' for none)."""

    def _login(self) -> tuple[str, str] | None:
        """The user and password for tranship's client, or None to send none of ours."""
        return None


class Anonymous(Provider):
    """No credentials of the caller's."""

    def Get(self) -> str:
        return ""


class SchemeProvider(Provider):
    """A challenge response of ``scheme`` and a suffix."""

    def __init__(self, scheme: str) -> None:
        self._scheme = scheme

    @property
    @abc.abstractmethod
    def suffix(self) -> str:
        """The payload after the scheme."""

    def Get(self) -> str:
        return f"{self._scheme} {self.suffix}"


class Basic(SchemeProvider):
    """A user name and password."""

    def __init__(self, username: str, password: str) -> None:
        super().__init__("Basic")
        self._username = username
        self._password = password

    @property
    def username(self) -> str:
        return self._username

    @property
    def password(self) -> str:
        return self._password

    @property
    def suffix(self) -> str:
        u = self.username.encode("utf8")
        p = self.password.encode("utf8")
        return base64.b64encode(u + b":" + p).decode("utf8")

    def _login(self) -> tuple[str, str] | None:
        return (self.username, self.password)


_USERNAME = "_token"


class OAuth2(Basic):
    """An access token from an object with ``get_access_token()`` (oauth2client, google-auth)."""

    def __init__(self, creds: Any, transport: Any = None) -> None:
        super().__init__(_USERNAME, "does not matter")
        self._creds = creds
        self._transport = transport

    @property
    def password(self) -> str:
        token = self._creds.get_access_token(http=self._transport)
        return str(getattr(token, "access_token", token))


_MAGIC_NOT_FOUND_MESSAGE = "credentials not found in native keychain"


class Helper(Basic):
    """A ``docker-credential-NAME`` helper, asked for one registry.

    The helper is given the registry's host on stdin as bytes (the old
    class wrote ``str`` to a binary pipe, a ``TypeError`` on Python 3).
    """

    def __init__(self, name: str, registry: docker_name.Registry) -> None:
        super().__init__("does not matter", "does not matter")
        self._name = name
        self._registry = registry.registry

    def _ask(self) -> tuple[str, str] | None:
        bin_name = f"docker-credential-{self._name}"
        try:
            p = subprocess.run([bin_name, "get"], input=self._registry.encode("utf8"),
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False)
        except FileNotFoundError as err:
            raise BadStateException(f"executable not found: {bin_name}", "CREDENTIALS") from err
        out = p.stdout.decode("utf8", "replace")
        if out.strip() == _MAGIC_NOT_FOUND_MESSAGE:
            return None
        if p.returncode != 0:
            raise BadStateException(
                f"Error fetching credential for {self._name}, exit status: {p.returncode}\n{out}",
                "CREDENTIALS")
        blob = json.loads(out)
        return (blob["Username"], blob["Secret"])

    def Get(self) -> str:
        login = self._ask()
        return Basic(*login).Get() if login else Anonymous().Get()

    def _login(self) -> tuple[str, str] | None:
        return self._ask()


class Keychained(Provider):
    """Credentials found by tranship's client: auth files, then Docker's config and helpers."""

    def __init__(self, registry: str) -> None:
        self._registry = registry

    def Get(self) -> str:
        login = _DefaultKeychain()._find(self._registry)
        return login.Get() if login else ""


class Keychain(abc.ABC):
    """Maps a name to a credential provider."""

    @abc.abstractmethod
    def Resolve(self, name: docker_name.Registry) -> Provider:
        """The provider for ``name``'s registry."""


_FORMATS = [
    "%s",
    "https://%s",
    "http://%s",
    "https://%s/v1/",
    "http://%s/v1/",
    "https://%s/v2/",
    "http://%s/v2/",
]


def _config_directory() -> str:
    return os.environ.get("DOCKER_CONFIG") or os.path.join(os.path.expanduser("~"), ".docker")


class _DefaultKeychain(Keychain):
    """Docker's resolution of credentials, done by tranship's client."""

    def __init__(self) -> None:
        self._config_dir: str | None = None

    def setCustomConfigDir(self, config_dir: str) -> None:
        """Reads ``config_dir/config.json`` instead of Docker's."""
        if not os.path.isdir(config_dir):
            raise BadStateException(
                "Attempting to override docker configuration directory"
                f" to invalid directory: {config_dir}", "CREDENTIALS")
        self._config_dir = config_dir

    def _find(self, registry: str) -> Provider | None:
        """What Docker's config.json gives ``registry`` (for ``Get()`` and a custom dir)."""
        path = os.path.join(self._config_dir or _config_directory(), "config.json")
        try:
            with open(path, encoding="utf8") as f:
                cfg = json.load(f)
        except OSError:
            return None
        helpers = cfg.get("credHelpers", {})
        for form in _FORMATS:
            if form % registry in helpers:
                return Helper(helpers[form % registry], docker_name.Registry(registry, strict=False))
        if "credsStore" in cfg:
            return Helper(cfg["credsStore"], docker_name.Registry(registry, strict=False))
        auths = cfg.get("auths", {})
        for form in _FORMATS:
            entry = auths.get(form % registry)
            if entry is None:
                continue
            if "auth" in entry:
                username, password = base64.b64decode(entry["auth"]).decode("utf8").split(":", 1)
                return Basic(username, password)
            if "username" in entry and "password" in entry:
                return Basic(entry["username"], entry["password"])
        return None

    def Resolve(self, name: docker_name.Registry) -> Provider:
        if self._config_dir is not None:
            # A directory of the caller's: its config, read here, then given as a login.
            return self._find(name.registry) or Anonymous()
        return Keychained(name.registry)


DefaultKeychain = _DefaultKeychain()
