"""The shared corpus (tests/corpus/<op>/<case>.json) run through the
Python API: one function per operation, each returning the JSON value the
case's ``expect`` is compared with."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any, Callable

import tranship

CORPUS = Path(__file__).resolve().parents[2] / "tests" / "corpus"


def case_files() -> list[Path]:
    """Every case: the JSON files exactly one folder below the corpus root
    (inputs in ``<op>/data/`` are not cases)."""
    return sorted(CORPUS.glob("*/*.json"))


REFERENCE_FIELDS = (
    "registry", "repository", "tag", "digest", "name",
    "full", "familiar", "endpoint", "plain_http",
)
ADDRESS_FIELDS = ("transport", "path", "name", "reference", "index", "text")
PLATFORM_FIELDS = ("os", "architecture", "variant", "os_version", "text")


def manifest(inp: dict[str, Any], case_dir: Path) -> tranship.Manifest:
    limits = tranship.Limits(**inp["limits"]) if "limits" in inp else None
    data = (case_dir / inp["file"]).read_bytes()
    return tranship.parse_manifest(data, inp.get("content_type"), limits)


def reference(inp: dict[str, Any], _dir: Path) -> Any:
    r = tranship.parse_reference(inp["reference"])
    return {field: getattr(r, field) for field in REFERENCE_FIELDS}


def address(inp: dict[str, Any], _dir: Path) -> Any:
    a = tranship.parse_address(inp["address"])
    return {field: getattr(a, field) for field in ADDRESS_FIELDS}


def digest_parse(inp: dict[str, Any], _dir: Path) -> Any:
    d = tranship.parse_digest(inp["digest"])
    return {"algorithm": d.algorithm, "hex": d.hex}


def digest(inp: dict[str, Any], case_dir: Path) -> Any:
    return {"digest": manifest(inp, case_dir).digest(inp.get("algorithm"))}


def manifest_inspect(inp: dict[str, Any], case_dir: Path) -> Any:
    return manifest(inp, case_dir).report()


def manifest_verify(inp: dict[str, Any], case_dir: Path) -> Any:
    return {"signatures": manifest(inp, case_dir).verify_signatures()}


def platform(inp: dict[str, Any], _dir: Path) -> Any:
    p = tranship.parse_platform(inp["platform"])
    return {field: getattr(p, field) for field in PLATFORM_FIELDS}


def platform_match(inp: dict[str, Any], _dir: Path) -> Any:
    return {"matches": tranship.platform_matches(inp["want"], inp["have"])}


def platform_select(inp: dict[str, Any], case_dir: Path) -> Any:
    chosen = manifest(inp, case_dir).select_platform(inp["platform"])
    return {key: chosen[key] for key in ("index", "digest", "platform")}


def signing(inp: dict[str, Any], case_dir: Path) -> dict[str, Any]:
    key = inp.get("signing_key")
    return {
        "unsigned": inp.get("unsigned") is True,
        "signing_key": (case_dir / key).read_bytes() if key else None,
    }


def signed_view(body: bytes) -> tuple[str, bool, str | None] | None:
    """For signed schema1: its payload text, whether every signature
    verifies, and the signer's key id (see tests/corpus/README.md)."""
    try:
        m = tranship.parse_manifest(body)
    except tranship.TranshipError:
        return None
    if m.report()["format"] != "schema1-signed":
        return None
    payload = m.payload.decode()
    try:
        signers = m.verify_signatures()
    except tranship.TranshipError:
        return payload, False, None
    return payload, True, signers[0]["key_id"] if signers else None


def convert(inp: dict[str, Any], case_dir: Path) -> Any:
    config = inp.get("config")
    blobs = inp.get("blobs")
    c = manifest(inp, case_dir).convert(
        inp["to"],
        config=(case_dir / config).read_bytes() if config else None,
        blobs=str(case_dir / blobs) if blobs else None,
        diff_ids=inp.get("diff_ids"),
        layer_sizes=inp.get("layer_sizes"),
        reencode_config=inp.get("reencode_config") is True,
        name=inp.get("name"),
        tag=inp.get("tag"),
        **signing(inp, case_dir),
    )
    result: dict[str, Any] = {
        "manifest": c.manifest.raw.decode(),
        "config": c.config.decode() if c.config is not None else None,
        "report": c.report,
    }
    view = signed_view(c.manifest.raw)
    if view is not None:
        del result["manifest"]
        result["payload"], result["signed"] = view[0], view[1]
        if "signing_key" in inp:
            result["key_id"] = view[2]
    return result


def diff_id(inp: dict[str, Any], case_dir: Path) -> Any:
    return tranship.diff_id_file(str(case_dir / inp["file"]))


def compress(inp: dict[str, Any], case_dir: Path) -> Any:
    with tempfile.TemporaryDirectory() as scratch:
        return tranship.compress_file(
            case_dir / inp["file"],
            Path(scratch) / "out",
            format=inp.get("format"),
            level=inp.get("level"),
            threads=inp.get("threads"),
        )


def decompress(inp: dict[str, Any], case_dir: Path) -> Any:
    with tempfile.TemporaryDirectory() as scratch:
        return tranship.decompress_file(case_dir / inp["file"], Path(scratch) / "out")


def negotiate(inp: dict[str, Any], case_dir: Path) -> Any:
    contents = []
    if "config" in inp:
        contents.append((case_dir / inp["config"]).read_bytes())
    if "blobs" in inp:
        store = case_dir / inp["blobs"] / "blobs" / "sha256"
        contents.extend(p.read_bytes() for p in sorted(store.iterdir()))
    served = manifest(inp, case_dir).negotiate(
        inp.get("accept", []),
        by_digest=inp.get("by_digest") is True,
        name=inp.get("name", ""),
        tag=inp.get("tag", ""),
        contents=contents,
        **signing(inp, case_dir),
    )
    view = signed_view(served.pop("body"))
    served["signed"] = view is not None and view[1]
    if "signing_key" in inp:
        served["key_id"] = view[2] if view else None
    return served


COPY_FIELDS = ("destination_digest", "media_type", "platforms", "sparse", "stripped", "manifests", "referrers")


def copy(inp: dict[str, Any], case_dir: Path) -> Any:
    with tempfile.TemporaryDirectory() as scratch:
        summary = tranship.Registry().copy(
            f"oci:{case_dir / inp['source']}:{inp['name']}",
            f"oci:{scratch}/out:copied",
            platforms=inp.get("platforms"),
            all=inp.get("all") is True,
            format=inp.get("format"),
            strip_missing=inp.get("strip_missing") is True,
            preserve_digests=inp.get("preserve_digests") is True,
            referrers=inp.get("referrers"),
            compress_format=inp.get("compress_format"),
            compress_level=inp.get("compress_level"),
        )
    return {field: summary[field] for field in COPY_FIELDS}


def check(inp: dict[str, Any], case_dir: Path) -> Any:
    report = tranship.Registry().check(f"oci:{case_dir / inp['layout']}:{inp['name']}")
    del report["address"]
    return report


OPS: dict[str, Callable[[dict[str, Any], Path], Any]] = {
    "reference": reference,
    "address": address,
    "digest_parse": digest_parse,
    "digest": digest,
    "manifest": manifest_inspect,
    "manifest_verify": manifest_verify,
    "platform": platform,
    "platform_match": platform_match,
    "platform_select": platform_select,
    "convert": convert,
    "diff_id": diff_id,
    "compress": compress,
    "decompress": decompress,
    "negotiate": negotiate,
    "copy": copy,
    "check": check,
}


def run_case(path: Path) -> None:
    """Runs one case; raises AssertionError when the outcome differs."""
    case = json.loads(path.read_text())
    op = OPS.get(case["op"])
    assert op is not None, f"no Python runner for op {case['op']!r}"
    try:
        got = op(case["input"], path.parent)
    except tranship.TranshipError as e:
        assert "error" in case, f"unexpected error {e.code}: {e}"
        assert e.code == case["error"], f"expected error {case['error']}, got {e.code}: {e}"
        return
    assert "error" not in case, f"expected error {case['error']}, got {got!r}"
    assert got == case["expect"]
