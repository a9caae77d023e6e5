"""Runs compat_scenarios.py on Google's containerregistry and on
tranship.compat.containerregistry against one registry and compares what
they returned: digests, diff_ids, manifests, tarball contents, and the
image ID podman gives each saved tarball.

    python compat_compare.py localhost:PORT OLD_PYTHON
    python compat_compare.py localhost:PORT --skip "why the old library is missing"

OLD_PYTHON is a Python with containerregistry installed (scripts/lib.sh's
containerregistry_venv). The registry must accept schema 1 manifests.
Every field is either the same for both, or a difference listed below
with the old behaviour it corrects (docs/python-migration.md lists
them); anything else fails the run, as does an error of the new library.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path
from typing import Any

import tranship

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SOURCE = f"oci:{ROOT / 'examples' / 'hello-schema1'}:v1"

# scenario/field -> why the two differ; every other field must be equal.
DIFFERENCES = {
    "missing tag: manifest/message": "the messages are tranship's",
    "save.tarball/path": "each library writes its own file",
    "FromTarball of the saved tarball/fs_layers":
        "the old library gzips each layer.tar again (level 9) on every read; "
        "tranship serves the layers as the tarball holds them",
    "FromTarball of the saved tarball/digest": "follows from fs_layers",
    "save.fast + FromDisk/files/digest":
        "the old save.fast leaves `digest` empty (a str written to a binary file)",
    "list: resolve(linux/arm64), the entry says v8":
        "the old matcher never matches an entry whose variant the target leaves out",
    "V22FromV2/digest": "follows from the config",
    "V22FromV2/config_sha256":
        "tranship writes the config Docker and skopeo write (so the image ID is docker pull's); "
        "the old library made up its own",
    "V22FromV2/diff_ids":
        "the old library counts throwaway history entries as layers (the empty gzip's diff_id)",
    "V22FromV2/fs_layers": "the old library keeps the throwaway entries' empty layers",
    "V2FromV22/signed": "the old library left schema 1 unsigned, which registries refuse",
    "V2FromV22/name": "the old library named every image `unused`",
    "V2FromV22/tag": "the old library tagged every image `unused`",
}


def sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def prepare(registry: str) -> None:
    """The images the scenarios read, pushed by tranship."""
    native = tranship.Registry()
    native.copy(SOURCE, f"docker://{registry}/compare/hello:v1", format="v2s2")
    native.copy(SOURCE, f"docker://{registry}/compare/hello-s1:v1")
    repo = f"{registry}/compare/list"
    entries = []
    for platform in ({"architecture": "amd64", "os": "linux"},
                     {"architecture": "arm64", "os": "linux", "variant": "v8"},
                     {"architecture": "arm", "os": "linux", "variant": "v7"}):
        layer = gzip.compress(json.dumps(platform).encode(), mtime=0)
        config = json.dumps({**platform, "rootfs": {
            "type": "layers", "diff_ids": [sha256(gzip.decompress(layer))]}}).encode()
        native.push_blob(repo, layer)
        native.push_blob(repo, config)
        manifest = json.dumps({
            "schemaVersion": 2,
            "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
            "config": {"mediaType": "application/vnd.docker.container.image.v1+json",
                       "digest": sha256(config), "size": len(config)},
            "layers": [{"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
                        "digest": sha256(layer), "size": len(layer)}]}).encode()
        native.put_manifest(f"{repo}@{sha256(manifest)}", tranship.parse_manifest(manifest))
        entries.append({"mediaType": "application/vnd.docker.distribution.manifest.v2+json",
                        "digest": sha256(manifest), "size": len(manifest), "platform": platform})
    index = json.dumps({"schemaVersion": 2,
                        "mediaType": "application/vnd.docker.distribution.manifest.list.v2+json",
                        "manifests": entries}).encode()
    native.put_manifest(f"{repo}:multi", tranship.parse_manifest(index))


def run(python: str, library: str, registry: str, work: Path) -> dict[str, Any]:
    env = dict(os.environ)
    if library == "old":
        env.pop("PYTHONPATH", None)  # only the old library's venv
    out = subprocess.run([python, str(HERE / "compat_scenarios.py"), library, registry, str(work)],
                         env=env, stdout=subprocess.PIPE, check=True)
    return dict(json.loads(out.stdout))


def flatten(value: Any, prefix: str) -> dict[str, Any]:
    if isinstance(value, dict) and value:
        flat: dict[str, Any] = {}
        for key, inner in value.items():
            flat.update(flatten(inner, f"{prefix}/{key}"))
        return flat
    return {prefix: value}


def podman_id(archive: str, work: Path) -> str:
    """The image ID podman gives the tarball, in storage of its own."""
    store = work / f"podman-{uuid.uuid4().hex[:8]}"
    base = ["podman", "--root", str(store / "root"), "--runroot", str(store / "run"),
            "--tmpdir", str(store / "tmp"), "--storage-driver", "vfs",
            "--cgroup-manager", "cgroupfs"]
    subprocess.run(base + ["load", "-q", "-i", archive], check=True, stdout=subprocess.DEVNULL)
    ids = subprocess.run(base + ["images", "-q", "--no-trunc"], check=True,
                         stdout=subprocess.PIPE, text=True).stdout.split()
    shutil.rmtree(store, ignore_errors=True)
    if len(set(ids)) != 1:
        raise AssertionError(f"podman holds {ids} after loading {archive}")
    return ids[0] if ids[0].startswith("sha256:") else "sha256:" + ids[0]


def main() -> int:
    registry = sys.argv[1]
    old_python = None if sys.argv[2] == "--skip" else sys.argv[2]
    work = Path(tempfile.mkdtemp(prefix="tranship-compare-"))
    try:
        prepare(registry)
        (work / "new").mkdir()
        new = run(sys.executable, "new", registry, work / "new")
        failures = [f"new library: {name}: {r['error']}: {r['message']} {r['trace']}"
                    for name, r in new.items() if "error" in r and name != "missing tag: manifest"]
        if old_python is None:
            print(f"comparison with containerregistry skipped: {sys.argv[3]}")
            print(f"(the new library's {len(new)} scenarios ran, {len(failures)} of them failed; "
                  "`missing tag: manifest` is meant to raise)")
            for f in failures:
                print("FAIL", f)
            return 1 if failures else 0
        (work / "old").mkdir()
        old = run(old_python, "old", registry, work / "old")
        same = differ = 0
        for name in new:
            o = flatten(old.get(name, {}).get("value", old.get(name)), name)
            n = flatten(new[name].get("value", new[name]), name)
            if "error" in old.get(name, {}) or "error" in new[name]:
                o = flatten({k: v for k, v in old[name].items() if k != "trace"}, name)
                n = flatten({k: v for k, v in new[name].items() if k != "trace"}, name)
            for key in sorted(set(o) | set(n)):
                known = next((why for path, why in DIFFERENCES.items()
                              if key == path or key.startswith(path + "/")), None)
                if o.get(key) == n.get(key):
                    same += 1
                    print(f"same    {key}")
                elif known:
                    differ += 1
                    print(f"differs {key}: {known}\n        old: {o.get(key)}\n        new: {n.get(key)}")
                else:
                    failures.append(f"{key}: old {o.get(key)!r}, new {n.get(key)!r}")
        # Each library's tarball loads in podman as the image whose ID is the config digest.
        config = new["registry image"]["value"]["config_sha256"]
        for library, results in (("old", old), ("new", new)):
            tar = results["save.tarball"]["value"]["path"]
            loaded = podman_id(tar, work)
            verdict = "same" if loaded == config else "DIFFERENT"
            print(f"podman  {library} save.tarball loads as {loaded}: {verdict} as the config digest")
            if loaded != config:
                failures.append(f"podman: {library}'s tarball loads as {loaded}, not {config}")
                same -= 1
            same += 1
        for f in failures:
            print("FAIL", f)
        print(f"compared with containerregistry: {same} the same, {differ} known differences, "
              f"{len(failures)} unexpected")
        return 1 if failures else 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
