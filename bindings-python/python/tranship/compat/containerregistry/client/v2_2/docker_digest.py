"""``containerregistry.client.v2_2.docker_digest``."""

from __future__ import annotations

import hashlib


def SHA256(content: bytes, prefix: str = "sha256:") -> str:
    """``prefix`` + hex(sha256(content))."""
    return prefix + hashlib.sha256(content).hexdigest()
