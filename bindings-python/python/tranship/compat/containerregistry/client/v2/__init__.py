"""``containerregistry.client.v2``: schema 1 images."""

from tranship.compat.containerregistry.client.v2 import docker_digest as docker_digest
from tranship.compat.containerregistry.client.v2 import docker_http as docker_http
from tranship.compat.containerregistry.client.v2 import docker_image as docker_image

__all__ = ["docker_digest", "docker_http", "docker_image"]
