"""``containerregistry.client.v2_2``: schema 2 and OCI images, lists, pushes, saves."""

from tranship.compat.containerregistry.client.v2_2 import docker_creds as docker_creds
from tranship.compat.containerregistry.client.v2_2 import docker_digest as docker_digest
from tranship.compat.containerregistry.client.v2_2 import docker_http as docker_http
from tranship.compat.containerregistry.client.v2_2 import docker_image as docker_image
from tranship.compat.containerregistry.client.v2_2 import docker_image_list as docker_image_list
from tranship.compat.containerregistry.client.v2_2 import docker_session as docker_session
from tranship.compat.containerregistry.client.v2_2 import save as save
from tranship.compat.containerregistry.client.v2_2 import v2_compat as v2_compat

__all__ = ["docker_creds", "docker_digest", "docker_http", "docker_image", "docker_image_list",
           "docker_session", "save", "v2_compat"]
