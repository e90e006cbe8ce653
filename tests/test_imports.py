"""Importing a part of the course costs nothing heavy.

``import modelmaint.<sub>``, in a fresh interpreter, must not load TensorFlow,
scikit-learn, ``scipy.stats``, shap, lime, FastAPI, MLflow or river: they are imported
inside the functions that use them (CONTRIBUTING.md), so that a notebook about
control charts does not wait for TensorFlow. ``python -m tools.import_times`` prints
each subpackage's import time and what it loaded.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import modelmaint
from tools.import_times import HEAVY

ROOT = Path(__file__).resolve().parents[1]

#: Subpackages whose owners are still making their imports lazy (the lead removes a
#: mark when its test starts passing: the marks are strict).
NOT_YET: dict[str, str] = {}


def _loaded_after_import(sub: str) -> list[str]:
    code = (
        "import json, sys\n"
        f"import modelmaint.{sub}\n"
        f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr[-2000:]
    return json.loads(run.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(
    "sub",
    [
        pytest.param(
            sub,
            marks=pytest.mark.xfail(reason=NOT_YET[sub], strict=True)
            if sub in NOT_YET
            else (),
        )
        for sub in modelmaint._SUBMODULES
    ],
)
def test_import_loads_nothing_heavy(sub: str) -> None:
    loaded = _loaded_after_import(sub)
    assert not loaded, f"import modelmaint.{sub} loaded {loaded}"


def test_the_list_matches_the_timing_tool() -> None:
    from tools.import_times import HEAVY as TOOL_HEAVY

    assert tuple(TOOL_HEAVY) == HEAVY
