"""Runs every case of the shared corpus through the Python binding."""

from pathlib import Path

import pytest

from corpus import CORPUS, case_files, run_case


@pytest.mark.parametrize(
    "path", case_files(), ids=lambda p: str(p.relative_to(CORPUS))
)
def test_case(path: Path) -> None:
    run_case(path)


def test_corpus_is_not_empty() -> None:
    assert case_files(), f"no cases found under {CORPUS}"
