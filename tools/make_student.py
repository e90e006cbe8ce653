"""`make student`: the student edition of the course, ready for a class or for nbgrader.

Writes ``build/student/NN_name.ipynb`` for every notebook: in each exercise's solution
cell the region between ``### BEGIN SOLUTION`` and ``### END SOLUTION`` (nbgrader's
markers) becomes ``# YOUR CODE HERE``; the comment above it, which names the variables
the check reads, stays as scaffolding. Outputs are cleared; check cells are kept,
locked, with nbgrader metadata (``grade: true``, points, a stable ``grade_id``), so the
folder can be dropped into an nbgrader course as an assignment source and autograded.
A learner who writes nothing gets a ``NameError`` or ``AssertionError`` from the check
cells, never a crash earlier (``tests/test_student.py`` runs the edition to prove it).

It also writes ``build/student/README.md`` for the teacher: every notebook with its
learning goals, its exercises and the estimated time (from ``build/bench.json`` when
``make bench`` has run).

Student notebooks read the repository (the datasets, the README): use them inside a
clone of the course, e.g. Binder or an nbgitpuller link (see docs/teaching.md).
"""

from __future__ import annotations

import argparse
import ast
import json
import re
from pathlib import Path

import nbformat

from tools._nbrun import ROOT, find_notebooks
from tools.outline import learning_goals, read_outline

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
PLACEHOLDER = "# YOUR CODE HERE\n"


def _tags(cell: nbformat.NotebookNode) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def split_solution(source: str) -> tuple[str, str, str]:
    """``(scaffolding, solution, after)`` of a solution cell's source."""
    if source.count(BEGIN) != 1 or source.count(END) != 1:
        raise ValueError(f"a solution cell needs one {BEGIN!r} and one {END!r} line")
    before, rest = source.split(BEGIN, 1)
    body, after = rest.split(END, 1)
    return before, body, after


def to_student(nb: nbformat.NotebookNode) -> tuple[nbformat.NotebookNode, int]:
    """Copy of ``nb`` with solutions replaced and outputs cleared; and how many."""
    out = nbformat.from_dict(nb)
    replaced = 0
    for cell in out.cells:
        if cell.cell_type != "code":
            continue
        if "solution" in _tags(cell):
            before, _, after = split_solution(cell.source)
            cell.source = before + PLACEHOLDER + after.lstrip("\n")
            cell.metadata.pop("jupyter", None)  # the learner sees the scaffolding
            replaced += 1
        cell.outputs = []
        cell.execution_count = None
        cell.metadata.pop("execution", None)
    return out, replaced


def insert_solutions(
    student: nbformat.NotebookNode, source: nbformat.NotebookNode
) -> nbformat.NotebookNode:
    """The student edition with ``source``'s solutions put back, matched by grade_id."""
    solutions = {
        c.metadata["nbgrader"]["grade_id"]: c.source
        for c in source.cells
        if "solution" in _tags(c)
    }
    out = nbformat.from_dict(student)
    for cell in out.cells:
        if "solution" in _tags(cell):
            cell.source = solutions[cell.metadata["nbgrader"]["grade_id"]]
    return out


def exercises(nb: nbformat.NotebookNode) -> list[str]:
    """Each exercise's statement: the paragraph of the markdown above its solution
    that starts with ``**Exercise N`` (or ``**N.``), without that bold label."""
    found = []
    label = re.compile(r"\*\*(?:Exercise \d+|\d+\.\s)")
    for prev, cell in zip(nb.cells, nb.cells[1:], strict=False):
        if "solution" in _tags(cell):
            starts = [m.start() for m in label.finditer(prev.source)]
            text = prev.source[starts[-1] :] if starts else prev.source
            first = text.split("\n\n")[0].replace("\n", " ")
            first = re.sub(r"^\*\*(?:Exercise \d+|\d+)\.?\s*(?:—\s*)?", "", first)
            found.append(first.replace("**", "", 1).strip())
    return found


def checks(nb: nbformat.NotebookNode) -> list[list[str]]:
    """The conditions each exercise's check cell asserts (one list per exercise)."""
    found = []
    for cell in nb.cells:
        if "check" in _tags(cell):
            conditions = []
            for stmt in ast.parse(cell.source).body:
                if isinstance(stmt, ast.Assert):
                    conditions.append(ast.unparse(stmt.test))
            found.append(conditions)
    return found


def _code(condition: str) -> str:
    short = condition if len(condition) <= 80 else condition[:77] + "..."
    return f"`{short}`"


def exercise_section() -> str:
    """Markdown: every exercise of the course, its statement and what its check asserts.

    ``docs/teaching.md`` holds a copy (``tests/test_student.py`` keeps it current;
    regenerate with ``python -m tools.make_student --exercise-section``).
    """
    lines = []
    for entry in read_outline():
        path = ROOT / "notebooks" / entry.filename
        if not path.exists():
            continue
        nb = nbformat.read(path, as_version=4)
        lines += [f"**{nb.cells[0].source.splitlines()[0].lstrip('# ')}**", ""]
        for k, (text, conds) in enumerate(
            zip(exercises(nb), checks(nb), strict=True), 1
        ):
            first = re.split(r"(?<=[.?!])\s", text, maxsplit=1)[0]
            lines.append(f"{k}. {first} *Checks:* " + "; ".join(map(_code, conds)))
        lines.append("")
    return "\n".join(lines)


def teacher_readme(
    paths: list[Path], bench: Path = ROOT / "build" / "bench.json"
) -> str:
    """Markdown for ``build/student/README.md``."""
    seconds = {}
    if bench.exists():
        seconds = {
            k: v["seconds"]
            for k, v in json.loads(bench.read_text())["notebooks"].items()
        }
    names = {p.stem: p for p in paths}
    lines = [
        "# modelmaint — student edition",
        "",
        "Each notebook below has its exercises' solutions replaced by",
        "`# YOUR CODE HERE`; the check cell after each exercise tells the learner when",
        "the answer is right and is graded by nbgrader (1 point each). Run time is the",
        "time to execute the whole notebook (`make bench`); a learner reading",
        "it needs far longer (see docs/teaching.md for a session plan).",
        "",
    ]
    for entry in read_outline():
        if entry.name not in names:
            continue
        nb = nbformat.read(names[entry.name], as_version=4)
        title = nb.cells[0].source.splitlines()[0].lstrip("# ")
        run = (
            f"{seconds[entry.name]:.0f} s" if entry.name in seconds else "not measured"
        )
        lines += [
            f"## {title}",
            "",
            f"Run time: {run}. Seed sections: {entry.seed_sections}.",
            "",
        ]
        lines += ["Learning goals:", ""] + [
            f"- {g}" for g in learning_goals(nb.cells[0].source)
        ]
        lines += ["", "Exercises:", ""]
        pairs = zip(exercises(nb), checks(nb), strict=True)
        for k, (text, conds) in enumerate(pairs, 1):
            lines.append(f"{k}. {text}  \n   *Checks:* " + "; ".join(map(_code, conds)))
        lines.append("")
    return "\n".join(lines)


def write_edition(paths: list[Path], out_dir: Path) -> list[Path]:
    """Write the student notebooks and the teacher's README into ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for path in paths:
        student, replaced = to_student(nbformat.read(path, as_version=4))
        nbformat.write(student, out_dir / path.name)
        written.append(out_dir / path.name)
        print(f"{path.name:45s} {replaced} solution(s) replaced")
    (out_dir / "README.md").write_text(teacher_readme(paths), encoding="utf-8")
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("targets", nargs="*")
    parser.add_argument("--out", default=str(ROOT / "build" / "student"))
    parser.add_argument(
        "--exercise-section", action="store_true", help="print docs/teaching.md's list"
    )
    args = parser.parse_args()
    if args.exercise_section:
        print(exercise_section())
        return
    write_edition(find_notebooks(args.targets), Path(args.out))
    print(f"student edition and teacher's README -> {args.out}")


if __name__ == "__main__":
    main()
