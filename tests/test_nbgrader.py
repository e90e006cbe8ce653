"""The classroom kit in a real nbgrader (0.9.6), as a teacher runs it.

* ``docs/nbgrader/nbgrader_config.py`` grades with the course's named kernel
  (``modelmaint``, registered by ``make install`` and Binder), 300 s per cell, and the
  stub ``make student`` writes;
* the round trip (tools/nbgrader_roundtrip.py, ``make nbgrader`` for every notebook):
  ``nbgrader generate_assignment`` releases every notebook exactly as ``make student``
  writes it; for 01, 05 and 11 a blank submission scores 0 (errors only in the check
  cells), the solutions score full marks, and ``grades.csv`` says so.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tools.make_student import PLACEHOLDER, nbgrader_config
from tools.nbgrader_roundtrip import FAST, KERNEL, RoundTrip, _targets, roundtrip

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_config_grades_with_the_course_kernel_and_stub() -> None:
    from nbgrader.preprocessors import ClearSolutions, Execute

    config = nbgrader_config()
    execute = Execute(config=config)  # nbgrader's own subclass reads the settings
    assert execute.kernel_name == KERNEL
    assert execute.timeout >= 300
    assert ClearSolutions(config=config).code_stub["python"] == PLACEHOLDER
    assert not (ROOT / "nbgrader_config.py").exists(), (
        "nbgrader would treat the clone as a course directory: keep the config in docs/"
    )


def test_install_and_binder_register_the_kernel() -> None:
    from jupyter_client.kernelspec import KernelSpecManager

    install = f"ipykernel install --sys-prefix --name {KERNEL}"
    makefile = (ROOT / "Makefile").read_text()
    assert install in makefile and re.search(r"^nbgrader: install", makefile, re.M)
    assert install in (ROOT / "binder" / "postBuild").read_text()
    spec = KernelSpecManager().get_kernel_spec(KERNEL)  # NoSuchKernel: make install
    assert spec.display_name == "Python 3 (modelmaint)"
    assert Path(spec.argv[0]).exists() and spec.env["PYTHONHASHSEED"] == "0"


@pytest.fixture(scope="module")
def trip(tmp_path_factory: pytest.TempPathFactory) -> RoundTrip:
    course = tmp_path_factory.mktemp("nbgrader") / "course"
    return roundtrip(_targets(list(FAST)), course)


def test_every_notebook_is_released_as_make_student_writes_it(trip) -> None:
    assert trip.released == len(NOTEBOOKS)
    released = [p for p in trip.problems if " release" in p or "generate" in p]
    assert not released, "\n".join(released)


def test_blank_scores_zero_and_solutions_full_marks(trip) -> None:
    assert not trip.problems, "\n".join(trip.problems)
    assert [g.assignment for g in trip.graded] == list(FAST)
    for graded in trip.graded:
        assert graded.blank == 0 and graded.solutions == graded.max_score > 0, graded


def test_outputs_stay_where_documented(trip) -> None:
    # Notebooks that write files use $MODELMAINT_BUILD/NN, which the config sets beside
    # itself (docs/teaching.md, "Where the notebooks write"): nothing lands among the
    # assignments or in a submission's folder.
    assert not trip.stray, trip.stray
