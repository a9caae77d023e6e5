"""Saves an image from a registry with Google's containerregistry.

    containerregistry_copy.py tarball localhost:PORT/REPO:TAG FILE
    containerregistry_copy.py fast localhost:PORT/REPO:TAG DIR

`tarball` writes a `docker save` archive (v2_2.save.tarball: the legacy
layout, each layer decompressed into `<id>/layer.tar`); `fast` writes
the compressed layers and config into DIR (v2_2.save.fast, 8 threads).
Both read the image with v2_2.docker_image.FromRegistry, schema 2 or OCI
manifests accepted. The registry must be named localhost:PORT for plain
HTTP.
"""
import sys
import tarfile

import httplib2
from containerregistry.client import docker_creds, docker_name
from containerregistry.client.v2_2 import docker_http, docker_image, save
from containerregistry.transport import transport_pool

THREADS = 8


def main():
    how, name, out = sys.argv[1], docker_name.Tag(sys.argv[2]), sys.argv[3]
    transport = transport_pool.Http(httplib2.Http, size=THREADS)
    with docker_image.FromRegistry(
        name,
        docker_creds.Anonymous(),
        transport,
        accepted_mimes=docker_http.SUPPORTED_MANIFEST_MIMES,
    ) as image:
        if how == "tarball":
            with tarfile.open(out, "w") as tar:
                save.tarball(name, image, tar)
        elif how == "fast":
            save.fast(image, out, threads=THREADS)
        else:
            sys.exit(f"unknown output {how!r}: tarball or fast")


if __name__ == "__main__":
    main()
