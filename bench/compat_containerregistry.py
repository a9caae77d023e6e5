"""One operation of the compat benchmark (bench/compat.sh), by one library:

    compat_containerregistry.py LIBRARY diff_ids localhost:PORT/REPO:TAG
    compat_containerregistry.py LIBRARY tarball localhost:PORT/REPO:TAG FILE
    compat_containerregistry.py LIBRARY push FOLDER localhost:PORT/REPO:TAG

LIBRARY is `old` (Google's containerregistry), `compat`
(tranship.compat.containerregistry, the same code with its import
swapped) or `native` (the tranship API).

- diff_ids: the schema 1 image upconverted (old, compat: v2.FromRegistry
  and v2_2.v2_compat.V22FromV2; native: Registry.copy to an OCI layout
  with format="v2s2"); prints the config's diff_ids, base first.
- tarball: the image saved as a `docker save` archive (old, compat:
  v2_2.docker_image.FromRegistry and save.tarball into a tarfile; native:
  Registry.copy to docker-archive:FILE:REPO:TAG, legacy=True as the
  compat layer writes it).
- push: the image pushed (old, compat: v2_2.docker_image.FromDisk of the
  save.fast FOLDER and docker_session.Push, 8 threads; native: FOLDER is
  an OCI layout, Registry.copy from oci:FOLDER:v1).
"""
import importlib
import json
import os
import sys
import tarfile
import tempfile

THREADS = 8


def module(prefix, name):
    parent, _, last = f"{prefix}.{name}".rpartition(".")
    return getattr(importlib.import_module(parent), last)


def native(op, args):
    import tranship

    r = tranship.Registry()
    if op == "diff_ids":
        with tempfile.TemporaryDirectory() as tmp:
            r.copy(f"docker://{args[0]}", f"oci:{tmp}:img", format="v2s2", jobs=THREADS)
            index = json.load(open(os.path.join(tmp, "index.json")))
            blob = lambda d: open(os.path.join(tmp, "blobs", *d.split(":")), "rb").read()  # noqa: E731
            manifest = json.loads(blob(index["manifests"][0]["digest"]))
            print("\n".join(json.loads(blob(manifest["config"]["digest"]))["rootfs"]["diff_ids"]))
    elif op == "tarball":
        name = args[0].split("/", 1)[1]
        r.copy(f"docker://{args[0]}", f"docker-archive:{args[1]}:{name}", jobs=THREADS,
               legacy=True)
    elif op == "push":
        r.copy(f"oci:{args[0]}:v1", f"docker://{args[1]}", jobs=THREADS)


def library(prefix, op, args):
    docker_creds = module(prefix, "client.docker_creds")
    docker_name = module(prefix, "client.docker_name")
    transport_pool = module(prefix, "transport.transport_pool")
    if prefix == "containerregistry":
        import httplib2

        transport = transport_pool.Http(httplib2.Http, size=THREADS)
    else:
        transport = transport_pool.Http(None, size=THREADS)
    anonymous = docker_creds.Anonymous()
    if op == "diff_ids":
        v2_image = module(prefix, "client.v2.docker_image")
        v2_compat = module(prefix, "client.v2_2.v2_compat")
        with v2_image.FromRegistry(docker_name.Tag(args[0]), anonymous, transport) as v2:
            with v2_compat.V22FromV2(v2) as v22:
                print("\n".join(json.loads(v22.config_file())["rootfs"]["diff_ids"]))
    elif op == "tarball":
        docker_http = module(prefix, "client.v2_2.docker_http")
        docker_image = module(prefix, "client.v2_2.docker_image")
        save = module(prefix, "client.v2_2.save")
        name = docker_name.Tag(args[0])
        with docker_image.FromRegistry(name, anonymous, transport,
                                       accepted_mimes=docker_http.SUPPORTED_MANIFEST_MIMES) as image:
            with tarfile.open(args[1], "w") as tar:
                save.tarball(name, image, tar)
    elif op == "push":
        docker_image = module(prefix, "client.v2_2.docker_image")
        docker_session = module(prefix, "client.v2_2.docker_session")
        folder = args[0]
        count = len([n for n in os.listdir(folder) if n.endswith(".tar.gz")])
        layers = [(os.path.join(folder, "%03d.sha256" % i), os.path.join(folder, "%03d.tar.gz" % i))
                  for i in range(count)]
        with open(os.path.join(folder, "config.json")) as f:
            config = f.read()
        with docker_image.FromDisk(config, layers) as image:
            with docker_session.Push(docker_name.Tag(args[1]), anonymous, transport,
                                     threads=THREADS) as push:
                push.upload(image)


def main():
    lib, op, args = sys.argv[1], sys.argv[2], sys.argv[3:]
    if lib == "native":
        native(op, args)
    else:
        library({"old": "containerregistry", "compat": "tranship.compat.containerregistry"}[lib],
                op, args)


if __name__ == "__main__":
    main()
