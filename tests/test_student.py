"""The student edition (``make student``): nbgrader-ready, no solution left, it runs.

(tests/test_nbgrader.py puts the same notebooks through a real nbgrader.)

* every exercise is a solution cell (collapsed in the committed notebook, nbgrader's
  ``### BEGIN/END SOLUTION`` markers, ``solution: true``) followed by a locked, graded
  check cell with points and a stable ``grade_id``;
* the student edition keeps no line of any solution, and putting the solutions back by
  ``grade_id`` gives the committed notebook's sources again (which nbval runs: every
  check passes there);
* the student edition **executes**: a learner who writes nothing gets a ``NameError``
  or ``AssertionError`` from every check cell and no error anywhere else (checked in
  ``make test``'s own run of each notebook, at its first solution cell:
  tools/student_in_nbval.py; here, that the notebooks are shaped for it);
* the teacher's material is complete on a fresh clone: run times from the committed
  ``docs/bench.json``, and docs/teaching.md's tables generated from the notebooks.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest

from tools.make_student import (
    BENCH,
    PLACEHOLDER,
    bench_rows,
    exercises,
    insert_solutions,
    split_solution,
    teacher_readme,
    time_table,
    to_student,
)
from tools.outline import read_outline
from tools.student_in_nbval import structure_problems

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
IDS = [p.stem for p in NOTEBOOKS]


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
    for cell, original in zip(student.cells, notebook.cells, strict=True):
        if "solution" in tags(cell):
            # the scaffolding comment, then the stub: no `raise NotImplementedError()`
            scaffolding = split_solution(original.source)[0]
            # ... its first line relabelled: "# Exercise N: your answer"
            scaffolding = re.sub(
                r"\A# The course's solution to exercise (\S+) \(.*\)$",
                r"# Exercise \1: your answer",
                scaffolding,
                flags=re.M,
            )
            assert cell.source == scaffolding + PLACEHOLDER
            assert "jupyter" not in cell.metadata  # unfolded: the learner writes here
        if "check" in tags(cell):
            assert cell.metadata["editable"] is False  # nbgrader's LockCells
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
            assert "execution" not in cell.metadata


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


def test_every_notebook_has_a_committed_run_time() -> None:
    # a fresh clone has no build/bench.json: the teacher's README reads docs/bench.json
    rows = bench_rows()
    missing = [e.name for e in read_outline() if e.name not in rows]
    assert not missing, (
        f"no run time in docs/bench.json for {missing}: "
        "`make bench NB=notebooks/<name>.ipynb` measures and records it"
    )
    for name, row in rows.items():
        assert 0 < row["seconds"] < 60 and 0 < row["peak_mib"] < 1536, (name, row)
        assert len(row["date"]) == 10, (name, row)  # YYYY-MM-DD
    paths = [p for p in NOTEBOOKS if p.stem in rows]
    assert "not measured" not in teacher_readme(paths)


def test_bench_records_dated_rows(tmp_path: Path) -> None:
    from tools.bench import record

    docs = tmp_path / "bench.json"
    docs.write_text(json.dumps({"about": "kept", "notebooks": {"b": {"seconds": 1}}}))
    record({"a": {"seconds": 2.345, "peak_mib": 100.4}}, docs)
    table = json.loads(docs.read_text())
    assert table["about"] == "kept" and list(table["notebooks"]) == ["a", "b"]
    assert table["notebooks"]["a"]["seconds"] == 2.3
    assert table["notebooks"]["a"]["peak_mib"] == 100
    assert table["notebooks"]["a"]["date"][:2] == "20"


def test_every_exercise_has_a_whole_statement(notebook) -> None:
    for exercise in exercises(notebook):
        assert exercise.statement[:1].isupper() or exercise.statement[:1] in "$`", (
            exercise
        )
        if exercise.title:  # "**Exercise 2 — fewer false alarms.**" -> "Fewer ..."
            assert exercise.title[0].isupper() or exercise.title[0] in "$`", exercise
            assert exercise.title[-1] in ".?!", exercise
            assert exercise.heading.startswith(f"**{exercise.title}** "), exercise


def test_exercises_come_last_and_the_editions_share_everything_before(notebook) -> None:
    """What lets nbval's run check the student edition (tools/student_in_nbval.py)."""
    student, _ = to_student(notebook)
    assert not structure_problems(notebook, student)


def test_teaching_guide_lists_every_exercise_and_its_checks() -> None:
    from tools.make_student import exercise_section

    guide = (ROOT / "docs" / "teaching.md").read_text(encoding="utf-8")
    assert exercise_section() in guide, (
        "docs/teaching.md's exercise list is stale: paste the output of "
        "`python -m tools.make_student --exercise-section`"
    )


def test_teaching_guide_run_times_are_the_committed_bench() -> None:
    guide = (ROOT / "docs" / "teaching.md").read_text(encoding="utf-8")
    assert BENCH.exists()
    assert time_table(guide) in guide, (
        "docs/teaching.md's run times are not docs/bench.json's: paste the output of "
        "`python -m tools.make_student --time-table`"
    )
