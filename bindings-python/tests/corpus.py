"""The shared corpus (tests/corpus/<op>/<case>.json) run through the
Python API: one function per operation, each returning the JSON value the
case's ``expect`` is compared with."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable

import tranship

CORPUS = Path(__file__).resolve().parents[2] / "tests" / "corpus"


def case_files() -> list[Path]:
    """Every case: the JSON files exactly one folder below the corpus root
    (inputs in ``<op>/data/`` are not cases)."""
    return sorted(CORPUS.glob("*/*.json"))


def digest_parse(inp: dict[str, Any], _dir: Path) -> Any:
    d = tranship.parse_digest(inp["digest"])
    return {"algorithm": d.algorithm, "hex": d.hex}


OPS: dict[str, Callable[[dict[str, Any], Path], Any]] = {
    "digest_parse": digest_parse,
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
