"""The student edition (``make student``): nbgrader-ready, no solution left, it runs.

* every exercise is a solution cell (collapsed in the committed notebook, nbgrader's
  ``### BEGIN/END SOLUTION`` markers, ``solution: true``) followed by a locked, graded
  check cell with points and a stable ``grade_id``;
* the student edition keeps no line of any solution, and putting the solutions back by
  ``grade_id`` gives the committed notebook's sources again (which nbval runs: every
  check passes there);
* the student edition **executes**: a learner who writes nothing gets a ``NameError``
  or ``AssertionError`` from every check cell and no error anywhere else.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from tools.make_student import (
    PLACEHOLDER,
    insert_solutions,
    split_solution,
    teacher_readme,
    to_student,
    write_edition,
)
from tools.outline import read_outline

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
IDS = [p.stem for p in NOTEBOOKS]
EXPECTED_ERRORS = {"NameError", "AssertionError"}


def tags(cell: nbformat.NotebookNode) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


@pytest.fixture(params=NOTEBOOKS, ids=IDS)
def notebook(request: pytest.FixtureRequest) -> nbformat.NotebookNode:
    return nbformat.read(request.param, as_version=4)


def test_exercises_carry_nbgrader_metadata(notebook) -> None:
    cells = notebook.cells
    solutions = [i for i, c in enumerate(cells) if "solution" in tags(c)]
    assert 2 <= len(solutions) <= 3
    ids = []
    for i in solutions:
        solution, check = cells[i], cells[i + 1]
        split_solution(solution.source)  # one BEGIN and one END marker
        assert solution.metadata["jupyter"]["source_hidden"] is True
        meta = solution.metadata["nbgrader"]
        assert meta["solution"] is True and meta["grade"] is False
        assert meta["schema_version"] == 3
        assert "check" in tags(check)
        graded = check.metadata["nbgrader"]
        assert graded["grade"] is True and graded["locked"] is True
        assert graded["points"] > 0 and graded["solution"] is False
        ids += [meta["grade_id"], graded["grade_id"]]
    assert len(ids) == len(set(ids)), ids


def test_no_solution_line_survives(notebook) -> None:
    student, replaced = to_student(notebook)
    assert replaced == sum("solution" in tags(c) for c in notebook.cells)
    elsewhere = {
        line.strip()
        for c in notebook.cells
        if "solution" not in tags(c)
        for line in c.source.splitlines()
    }
    secret = {
        line.strip()
        for c in notebook.cells
        if "solution" in tags(c)
        for line in split_solution(c.source)[1].splitlines()
        if line.strip() and line.strip() not in elsewhere
    }
    assert secret
    text = "\n".join(c.source for c in student.cells)
    assert "BEGIN SOLUTION" not in text
    assert not secret & {line.strip() for line in text.splitlines()}
    for cell in student.cells:
        if "solution" in tags(cell):
            assert PLACEHOLDER in cell.source and "jupyter" not in cell.metadata
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None


def test_solutions_put_back_give_the_notebook(notebook) -> None:
    student, _ = to_student(notebook)
    restored = insert_solutions(student, notebook)
    assert [c.source for c in restored.cells] == [c.source for c in notebook.cells]


def test_teacher_readme_lists_every_notebook_with_goals() -> None:
    text = teacher_readme(NOTEBOOKS)
    positions = [text.index(f"## {e.number} · ") for e in read_outline()]
    assert positions == sorted(positions)
    assert text.count("Learning goals:") == len(NOTEBOOKS)
    assert text.count("Run time: ") == len(NOTEBOOKS)


@pytest.fixture(scope="module")
def edition() -> dict[str, Path]:
    paths = write_edition(NOTEBOOKS, ROOT / "build" / "student")
    return {p.stem: p for p in paths}


@pytest.mark.parametrize("name", IDS)
def test_student_edition_runs_and_only_checks_fail(edition, name: str) -> None:
    path = edition[name]
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=300,
        kernel_name="python3",
        allow_errors=True,
        resources={"metadata": {"path": str(path.parent)}},
    )
    with client.setup_kernel(stderr=subprocess.DEVNULL):
        for index, cell in enumerate(nb.cells):
            client.execute_cell(cell, index)
    errors = {
        i: [o.ename for o in c.get("outputs", []) if o.output_type == "error"]
        for i, c in enumerate(nb.cells)
    }
    checks = [i for i, c in enumerate(nb.cells) if "check" in tags(c)]
    unexpected = {i: e for i, e in errors.items() if e and i not in checks}
    assert not unexpected, f"cells that fail before the checks: {unexpected}"
    for i in checks:
        assert errors[i] and set(errors[i]) <= EXPECTED_ERRORS, (i, errors[i])


def test_teaching_guide_lists_every_exercise_and_its_checks() -> None:
    from tools.make_student import exercise_section

    guide = (ROOT / "docs" / "teaching.md").read_text(encoding="utf-8")
    assert exercise_section() in guide, (
        "docs/teaching.md's exercise list is stale: paste the output of "
        "`python -m tools.make_student --exercise-section`"
    )
