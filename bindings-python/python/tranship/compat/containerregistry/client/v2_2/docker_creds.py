"""``containerregistry.client.v2_2.docker_creds``: ``Bearer``."""

from __future__ import annotations

from tranship.compat.containerregistry.client import docker_creds


class Bearer(docker_creds.SchemeProvider):
    """A Bearer token, as the old transport exchanged for one.

    tranship's client exchanges tokens itself; a ``Bearer`` given to it
    sends no credentials of its own.
    """

    def __init__(self, bearer_token: str) -> None:
        super().__init__("Bearer")
        self._bearer_token = bearer_token

    @property
    def suffix(self) -> str:
        return self._bearer_token
