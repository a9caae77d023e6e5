"""Runs every ```python example of docs/python.md."""

import re
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[2] / "docs" / "python.md"
EXAMPLES = re.findall(r"^```python\n(.*?)^```$", DOC.read_text(), re.S | re.M)


def test_docs_have_examples() -> None:
    assert EXAMPLES, f"no ```python blocks in {DOC}"


@pytest.mark.parametrize("code", EXAMPLES, ids=lambda c: c.splitlines()[0])
def test_example(code: str) -> None:
    exec(compile(code, str(DOC), "exec"), {"__name__": "__doc_example__"})
