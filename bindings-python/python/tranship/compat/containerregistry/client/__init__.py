"""``containerregistry.client``: names and credentials; ``v2`` (schema 1) and ``v2_2``."""

from tranship.compat.containerregistry.client import docker_creds as docker_creds
from tranship.compat.containerregistry.client import docker_name as docker_name

__all__ = ["docker_creds", "docker_name"]
