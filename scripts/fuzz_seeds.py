"""Writes fuzz seed inputs from the shared corpus: reference, address and
platform strings from the cases, manifest files as they are (the manifest target
takes one leading byte to pick a Content-Type), and archives of the
example image (an oci-archive, a docker-archive in Docker 25's combined
form, and a legacy one gzip-compressed), and the diff_id cases' layer blobs."""

import gzip
import io
import json
import pathlib
import shutil
import sys
import tarfile

corpus, out = map(pathlib.Path, sys.argv[1:3])
shutil.rmtree(out, ignore_errors=True)
for target in ("reference", "manifest", "jws", "platform", "archive", "layer"):
    (out / target).mkdir(parents=True)

count = 0


def seed(target: str, data: bytes) -> None:
    global count
    count += 1
    (out / target / f"seed-{count}").write_bytes(data)


for case_file in sorted(corpus.glob("*/*.json")):
    case = json.loads(case_file.read_text())
    inp = case.get("input", {})
    for key in ("reference", "address"):
        if isinstance(inp.get(key), str):
            seed("reference", inp[key].encode())
    for key in ("platform", "want", "have"):
        if isinstance(inp.get(key), str):
            seed("platform", inp[key].encode())
    # Manifest documents only: the layer cases name layer blobs (some of
    # them files that are missing on purpose).
    if "file" in inp and case.get("op") not in ("diff_id", "compress", "decompress"):
        data = (case_file.parent / inp["file"]).read_bytes()
        seed("manifest", b"\0" + data)
        seed("jws", data)


def tar_of(files: dict) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.USTAR_FORMAT) as t:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size, info.mode = len(data), 0o644
            t.addfile(info, io.BytesIO(data))
    return buf.getvalue()


for layer in sorted((corpus / "diff_id" / "data").iterdir()):
    seed("layer", layer.read_bytes())

example = corpus.parent.parent / "examples" / "hello-schema1"
if example.is_dir():
    layout = {"oci-layout": (example / "oci-layout").read_bytes(),
              "index.json": (example / "index.json").read_bytes()}
    for blob in sorted((example / "blobs" / "sha256").iterdir()):
        layout[f"blobs/sha256/{blob.name}"] = blob.read_bytes()
    seed("archive", tar_of(layout))
    s2 = (example / "schema2-manifest.json").read_bytes()
    m = json.loads(s2)
    names = lambda ds: [f"blobs/sha256/{d['digest'][7:]}" for d in ds]
    docker = {"manifest.json": json.dumps([{"Config": names([m["config"]])[0],
                                            "RepoTags": ["examples/hello:v1"],
                                            "Layers": names(m["layers"])}]).encode()}
    docker.update({n: layout[n] for n in names([m["config"]] + m["layers"])})
    seed("archive", gzip.compress(tar_of(docker), mtime=0))
    import hashlib
    digest = hashlib.sha256(s2).hexdigest()
    docker["oci-layout"] = layout["oci-layout"]
    docker[f"blobs/sha256/{digest}"] = s2
    docker["index.json"] = json.dumps({"schemaVersion": 2, "manifests": [{
        "mediaType": m["mediaType"], "digest": f"sha256:{digest}", "size": len(s2),
        "annotations": {"io.containerd.image.name": "docker.io/examples/hello:v1",
                        "org.opencontainers.image.ref.name": "v1"}}]}).encode()
    seed("archive", tar_of(docker))
print(f"fuzz seeds: {count} inputs in {out}")
