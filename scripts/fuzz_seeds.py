"""Writes fuzz seed inputs from the shared corpus: reference, address and
platform strings from the cases, manifest files as they are (the manifest target
takes one leading byte to pick a Content-Type)."""

import json
import pathlib
import shutil
import sys

corpus, out = map(pathlib.Path, sys.argv[1:3])
shutil.rmtree(out, ignore_errors=True)
for target in ("reference", "manifest", "jws", "platform"):
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
    # Manifest documents only: diff_id cases name layer blobs (one of them
    # a file that is missing on purpose).
    if "file" in inp and case.get("op") != "diff_id":
        data = (case_file.parent / inp["file"]).read_bytes()
        seed("manifest", b"\0" + data)
        seed("jws", data)
print(f"fuzz seeds: {count} inputs in {out}")
