"""The exception classes are a public contract: each code raises the class
of its family, as the table in docs/python.md gives it, every class
derives directly from `tranship.TranshipError`, and `.code` is the core's
code."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import tranship
from corpus import CORPUS, OPS, case_files

DOCS = Path(__file__).resolve().parents[2] / "docs" / "python.md"
FAMILIES = (
    "ReferenceError", "AddressError", "DigestError", "ManifestError", "PlatformError",
    "ConversionError", "LayerError", "ArchiveError", "RegistryError", "LimitError", "IOError",
)


def documented_classes() -> dict[str, str]:
    """Code -> class name, from the docs' table of error classes."""
    classes: dict[str, str] = {}
    rows = re.findall(r"^\| `tranship\.(\w+)` \| (.+) \|$", DOCS.read_text(), re.M)
    for name, codes in rows:
        for code in re.findall(r"`(\w+)`", codes):
            assert code not in classes, f"{code} is in two rows of {DOCS}"
            classes[code] = name
    return classes


def error_cases() -> list[Path]:
    return [p for p in case_files() if "error" in json.loads(p.read_text())]


def test_every_family_derives_directly_from_tranship_error() -> None:
    assert tranship.TranshipError.__bases__ == (Exception,)
    assert sorted(set(documented_classes().values())) == sorted(FAMILIES)
    for name in FAMILIES:
        cls = getattr(tranship, name)
        assert cls.__bases__ == (tranship.TranshipError,), cls
        assert cls.__module__ == "tranship", cls


def test_the_codes_keep_their_classes() -> None:
    classes = documented_classes()
    assert classes["INVALID_REFERENCE"] == "ReferenceError"
    assert classes["DIGEST_MISMATCH"] == "DigestError"
    assert classes["INVALID_CONFIG"] == "ManifestError"
    assert classes["NETWORK"] == "RegistryError"
    assert classes["CREDENTIALS"] == "RegistryError"
    assert classes["LIMIT_EXCEEDED"] == "LimitError"
    assert classes["IO"] == "IOError"
    assert classes["INVALID_ADDRESS"] == "AddressError"
    assert len(classes) >= 27


@pytest.mark.parametrize(
    "path", error_cases(), ids=lambda p: str(p.relative_to(CORPUS))
)
def test_corpus_errors_raise_the_class_of_their_family(path: Path) -> None:
    case = json.loads(path.read_text())
    code = case["error"]
    name = documented_classes().get(code)
    assert name is not None, f"give {code} its class in the table of {DOCS}"
    with pytest.raises(tranship.TranshipError) as caught:
        OPS[case["op"]](case["input"], path.parent)
    assert caught.value.code == code
    assert type(caught.value) is getattr(tranship, name)
