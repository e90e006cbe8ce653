"""The student edition, checked inside `make test`'s own run of each notebook (nbval).

Every exercise sits at the end of its notebook: the cells before the first solution are
the same in both editions, and from the first solution on the code cells are the
exercises' solution and check cells. So when nbval reaches a notebook's first solution
cell, its kernel holds exactly what a student's kernel holds at that point. There
:func:`student_problems` runs the student edition's remaining code cells (the
``# YOUR CODE HERE`` placeholders and the checks) first: each check must fail with
``NameError`` or ``AssertionError``, and nothing else may fail. Then nbval goes on
with the solutions, whose checks must pass. One execution of each notebook proves
both editions (the root ``conftest.py`` calls this from ``pytest_runtest_call``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import nbformat

from tools.make_student import to_student

EXPECTED_ERRORS = {"NameError", "AssertionError"}


def is_solution(cell: nbformat.NotebookNode) -> bool:
    """A cell nbgrader replaces in the student edition."""
    return bool(cell.get("metadata", {}).get("nbgrader", {}).get("solution"))


def is_check(cell: nbformat.NotebookNode) -> bool:
    """An exercise's check cell (tagged ``check``, graded by nbgrader)."""
    return "check" in cell.get("metadata", {}).get("tags", [])


def first_solution(nb: nbformat.NotebookNode) -> int | None:
    """Index of the notebook's first solution cell, or None without exercises."""
    return next((i for i, c in enumerate(nb.cells) if is_solution(c)), None)


def structure_problems(
    source: nbformat.NotebookNode, student: nbformat.NotebookNode
) -> list[str]:
    """Why the student's kernel could differ from nbval's at the first solution."""
    first = first_solution(source)
    if first is None:
        return []
    problems = [
        f"cell {i} differs in the student edition, before the first solution ({first})"
        for i, (a, b) in enumerate(
            zip(source.cells[:first], student.cells[:first], strict=False)
        )
        if a.cell_type == "code" and a.source != b.source
    ]
    problems += [
        f"cell {i}: a code cell after the first exercise that is neither a solution "
        "nor a check (exercises go at the end of a notebook)"
        for i, c in enumerate(source.cells[first:], first)
        if c.cell_type == "code" and not (is_solution(c) or is_check(c))
    ]
    if len(source.cells) != len(student.cells):
        problems.append("the student edition has another number of cells")
    return problems


def _run(kernel: Any, code: str, timeout: float) -> str | None:
    """Execute ``code`` in nbval's kernel; the error's name, or None."""
    msg_id = kernel.execute_cell_input(code, allow_stdin=False)
    while True:
        reply = kernel.get_message(stream="shell", timeout=timeout)
        if reply["parent_header"].get("msg_id") == msg_id:
            break
    kernel.await_idle(msg_id, timeout)
    content = reply["content"]
    return content.get("ename", "error") if content["status"] == "error" else None


def student_problems(kernel: Any, path: Path, timeout: float = 300) -> list[str]:
    """Run the student edition's exercises in ``kernel``; what went wrong.

    Call it when the kernel has run every cell before the first solution cell.
    """
    source = nbformat.read(path, as_version=4)
    student, _ = to_student(source)
    problems = structure_problems(source, student)
    first = first_solution(source)
    if problems or first is None:
        return problems
    for i, cell in enumerate(student.cells[first:], first):
        if cell.cell_type != "code":
            continue
        error = _run(kernel, cell.source, timeout)
        if is_check(cell) and error not in EXPECTED_ERRORS:
            problems.append(
                f"check cell {i} {'passed' if error is None else 'raised ' + error} "
                "with the solution left blank"
            )
        elif not is_check(cell) and error is not None:
            problems.append(f"student cell {i} raised {error} (not a check)")
    return problems
