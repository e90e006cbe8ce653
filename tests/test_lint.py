"""Ruff keeps the package, the tools, the tests and the notebooks in one style."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUFF = Path(sys.executable).with_name("ruff")
TARGETS = ["modelmaint", "tests", "tools", "notebooks", "conftest.py"]


def test_ruff_check() -> None:
    run = subprocess.run(
        [str(RUFF), "check", *TARGETS], cwd=ROOT, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stdout[-3000:]


def test_ruff_format() -> None:
    run = subprocess.run(
        [str(RUFF), "format", "--check", *TARGETS],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout[-3000:]
