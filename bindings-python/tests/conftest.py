"""Prints the corpus tally, `N passed, M failed`, after the pytest run."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

_tally = {"passed": 0, "failed": 0}


def pytest_runtest_logreport(report: Any) -> None:
    if "test_corpus.py::test_case[" not in report.nodeid:
        return
    if report.when == "call" or report.failed:
        _tally["passed" if report.passed else "failed"] += 1


def pytest_terminal_summary(terminalreporter: Any) -> None:
    terminalreporter.write_line(f"{_tally['passed']} passed, {_tally['failed']} failed")
