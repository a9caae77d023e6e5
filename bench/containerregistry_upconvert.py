"""Upconverts a schema1 image from a registry with Google's containerregistry.

    containerregistry_upconvert.py localhost:PORT/REPO:TAG

Pulls the schema1 manifest and every layer (v2.docker_image.FromRegistry)
and builds the schema 2 manifest and config (v2_2.v2_compat.V22FromV2),
which gunzips each layer to compute its diff_id. Prints the config's
diff_ids. The registry must be named localhost:PORT for plain HTTP.
"""
import json
import sys

import httplib2
from containerregistry.client import docker_creds, docker_name
from containerregistry.client.v2 import docker_image as v2_image
from containerregistry.client.v2_2 import v2_compat
from containerregistry.transport import transport_pool


def main():
    name = docker_name.Tag(sys.argv[1])
    transport = transport_pool.Http(httplib2.Http, size=8)
    with v2_image.FromRegistry(name, docker_creds.Anonymous(), transport) as v2:
        with v2_compat.V22FromV2(v2) as v22:
            v22.manifest()
            for d in json.loads(v22.config_file())["rootfs"]["diff_ids"]:
                print(d)


if __name__ == "__main__":
    main()
