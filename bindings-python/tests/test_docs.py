"""Runs every ```python example of docs/python.md and docs/python-migration.md.

The registry examples push to ``$REPOSITORY``: here a repository of the
registry scripts/test-bindings starts (``TRANSHIP_TEST_REGISTRY``); without
it they skip, saying why, or fail when ``TRANSHIP_REQUIRE_REGISTRY`` is set.
Every example runs in the checkout's root, where the copy example finds
``examples/hello-schema1``.
"""

import os
import re
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "docs" / "python.md", ROOT / "docs" / "python-migration.md"]
EXAMPLES = [(doc, code) for doc in DOCS
            for code in re.findall(r"^```python\n(.*?)^```$", doc.read_text(), re.S | re.M)]


@pytest.mark.parametrize("doc", DOCS, ids=lambda d: d.name)
def test_docs_have_examples(doc: Path) -> None:
    assert any(d == doc for d, _ in EXAMPLES), f"no ```python blocks in {doc}"


@pytest.mark.parametrize(("doc", "code"), EXAMPLES,
                         ids=[f"{d.name}: {c.splitlines()[0]}" for d, c in EXAMPLES])
def test_example(doc: Path, code: str, monkeypatch: pytest.MonkeyPatch) -> None:
    if "REPOSITORY" in code:
        registry = os.environ.get("TRANSHIP_TEST_REGISTRY")
        if not registry:
            reason = "TRANSHIP_TEST_REGISTRY is not set (scripts/test-bindings starts it)"
            if os.environ.get("TRANSHIP_REQUIRE_REGISTRY"):
                pytest.fail(reason)
            pytest.skip(reason)
        monkeypatch.setenv("REPOSITORY", f"{registry}/python-docs-{uuid.uuid4().hex[:12]}/hello")
    # The examples name the repository's files (`examples/...`) from the
    # checkout, as a reader running them there would.
    monkeypatch.chdir(ROOT)
    exec(compile(code, str(doc), "exec"), {"__name__": "__doc_example__"})
