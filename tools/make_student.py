"""`make student`: the student edition of the course, by nbgrader's own release step.

Writes ``build/student/NN_name.ipynb`` for every notebook by running the preprocessors
of ``nbgrader generate_assignment`` (LockCells, ClearSolutions, ClearOutput, checksums,
...) as ``docs/nbgrader/nbgrader_config.py`` sets them, without the gradebook: so
``build/student/`` is what nbgrader releases from ``notebooks/`` (``make nbgrader``
compares the two). In each exercise's solution cell the region between
``### BEGIN SOLUTION`` and ``### END SOLUTION`` becomes ``# YOUR CODE HERE`` (no
``raise NotImplementedError()``); the comment above it, which names the variables the
check reads, stays and the cell is unfolded. Check cells stay, locked and graded. A
learner who writes nothing gets a ``NameError`` or ``AssertionError`` from the check
cells, never a crash earlier (``tests/test_student.py`` runs the edition to prove it).

The nbgrader *source* is ``notebooks/`` (the solutions are in it), never
``build/student/``: see docs/teaching.md.

What nbgrader has no step for, this module adds: ``build/student/README.md`` for the
teacher, every notebook with its learning goals, its exercises, what each check asserts
and the machine's run time from the committed bench table ``docs/bench.json`` (written
by ``make bench``).

``build/student/zh/`` is the same edition of the Chinese notebooks (``make zh``,
:mod:`tools.i18n`): the markdown in Chinese, the code, the nbgrader metadata and the
checks unchanged.

Student notebooks read the repository (the datasets, the README): use them inside a
clone of the course, e.g. Binder or an nbgitpuller link (see docs/teaching.md).
"""

from __future__ import annotations

import argparse
import ast
import functools
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

from tools._nbrun import ROOT, find_notebooks
from tools.outline import learning_goals, read_outline

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
PLACEHOLDER = "# YOUR CODE HERE"  # the config's ClearSolutions.code_stub for python
NBGRADER_CONFIG = ROOT / "docs" / "nbgrader" / "nbgrader_config.py"
BENCH = ROOT / "docs" / "bench.json"


def _tags(cell: nbformat.NotebookNode) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def split_solution(source: str) -> tuple[str, str, str]:
    """``(scaffolding, solution, after)`` of a solution cell's source."""
    if source.count(BEGIN) != 1 or source.count(END) != 1:
        raise ValueError(f"a solution cell needs one {BEGIN!r} and one {END!r} line")
    before, rest = source.split(BEGIN, 1)
    body, after = rest.split(END, 1)
    return before, body, after


@functools.cache
def nbgrader_config(path: Path = NBGRADER_CONFIG) -> Config:
    """The course's nbgrader configuration, as nbgrader itself loads the file.

    The file also sets ``MODELMAINT_BUILD`` for the kernels nbgrader starts; loading
    it here leaves this process's environment as it was (kernels started later by the
    tests write where the notebooks say, not beside the config).
    """
    saved = dict(os.environ)
    try:
        return PyFileConfigLoader(path.name, path=str(path.parent)).load_config()
    finally:
        os.environ.clear()
        os.environ.update(saved)


def release_preprocessors(config: Config | None = None) -> list:
    """``generate_assignment``'s preprocessors as ``config`` sets them, except SaveCells
    (it records the cells in nbgrader's gradebook; the student edition has none)."""
    from nbgrader.converters import GenerateAssignment
    from nbgrader.preprocessors import SaveCells

    config = nbgrader_config() if config is None else config
    section = config.GenerateAssignment
    classes = (
        section["preprocessors"]
        if "preprocessors" in section
        else GenerateAssignment.class_traits()["preprocessors"].default()
    )
    return [cls(config=config) for cls in classes if cls is not SaveCells]


def to_student(
    nb: nbformat.NotebookNode, config: Config | None = None
) -> tuple[nbformat.NotebookNode, int]:
    """What ``nbgrader generate_assignment`` releases from ``nb``; and how many
    solution regions it replaced."""
    out = nbformat.from_dict(nb)  # a copy: the preprocessors edit cells in place
    replaced = sum(BEGIN in c.source for c in out.cells if "solution" in _tags(c))
    resources: dict = {}
    for preprocessor in release_preprocessors(config):
        out, resources = preprocessor(out, resources)
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


@dataclass(frozen=True)
class Exercise:
    """An exercise as its markdown states it: ``**Exercise 2 — title.** statement``."""

    title: str  # "Fewer false alarms." ("" for a plain ``**Exercise 1.**``)
    statement: str  # the paragraph after the bold label, on one line

    @property
    def heading(self) -> str:
        """The title in bold and the statement's first sentence (or that sentence)."""
        first = re.split(r"(?<=[.?!])\s", self.statement, maxsplit=1)[0]
        return f"**{self.title}** {first}" if self.title else first

    @property
    def text(self) -> str:
        """The title in bold and the whole statement."""
        return f"**{self.title}** {self.statement}" if self.title else self.statement


_LABEL = re.compile(r"\*\*(?:Exercise \d+|\d+\.\s)")


def _exercise(markdown: str) -> Exercise:
    starts = [m.start() for m in _LABEL.finditer(markdown)]
    if not starts:
        return Exercise("", markdown.split("\n\n")[0].replace("\n", " ").strip())
    text = markdown[starts[-1] + 2 :]
    label, rest = text.split("**", 1)
    title = re.sub(r"^(?:Exercise \d+\.?|\d+\.)\s*(?:—\s*)?", "", label).strip()
    title = title[:1].upper() + title[1:]
    statement = rest.split("\n\n")[0].replace("\n", " ").strip()
    return Exercise(title, statement)


def exercises(nb: nbformat.NotebookNode) -> list[Exercise]:
    """Each exercise of ``nb``: the paragraph of the markdown above its solution cell
    that starts with ``**Exercise N`` (or ``**N.``)."""
    return [
        _exercise(prev.source)
        for prev, cell in zip(nb.cells, nb.cells[1:], strict=False)
        if "solution" in _tags(cell)
    ]


def checks(nb: nbformat.NotebookNode) -> list[list[str]]:
    """The conditions each exercise's check cell asserts (one list per exercise)."""
    found = []
    for cell in nb.cells:
        if "check" in _tags(cell):
            # the asserts, also inside the `with mm.exercise.check(...)` block
            conditions = [
                ast.unparse(node.test)
                for node in ast.walk(ast.parse(cell.source))
                if isinstance(node, ast.Assert)
            ]
            found.append(conditions)
    return found


def _code(condition: str) -> str:
    short = condition if len(condition) <= 80 else condition[:77] + "..."
    return f"`{short}`"


def _title(nb: nbformat.NotebookNode) -> str:
    return nb.cells[0].source.splitlines()[0].lstrip("# ")


def exercise_section() -> str:
    """Markdown: every exercise of the course, its title, the statement's first
    sentence and what its check asserts.

    ``docs/teaching.md`` holds a copy (``tests/test_student.py`` keeps it current;
    regenerate with ``python -m tools.make_student --exercise-section``).
    """
    lines = []
    for entry in read_outline():
        path = ROOT / "notebooks" / entry.filename
        if not path.exists():
            continue
        nb = nbformat.read(path, as_version=4)
        lines += [f"**{_title(nb)}**", ""]
        pairs = zip(exercises(nb), checks(nb), strict=True)
        for k, (exercise, conds) in enumerate(pairs, 1):
            checked = "; ".join(map(_code, conds))
            lines.append(f"{k}. {exercise.heading} *Checks:* {checked}")
        lines.append("")
    return "\n".join(lines)


def bench_rows(path: Path = BENCH) -> dict[str, dict]:
    """``docs/bench.json``'s rows: notebook stem -> seconds, peak MiB, date measured."""
    if not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))["notebooks"]


def time_table(guide: str, bench: Path = BENCH) -> str:
    """docs/teaching.md's table of run times: the machine's columns from ``bench``
    (docs/bench.json), the learner's estimate as ``guide`` has it.

    Regenerate with ``python -m tools.make_student --time-table`` after ``make bench``.
    """
    learner = {}
    for line in guide.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(cells) == 4:
            learner[cells[0]] = cells[3]
    rows, names = bench_rows(bench), [e.name for e in read_outline()]
    lines = [
        "| notebook | machine run (s) | peak memory (MiB) "
        "| learner, with exercises (estimate) |",
        "|---|---:|---:|---|",
    ]
    for name in names:
        row = rows.get(name)
        machine = f"{row['seconds']:.0f} | {row['peak_mib']:.0f}" if row else "— | —"
        lines.append(f"| {name} | {machine} | {learner.get(name, '—')} |")
    total = sum(rows[n]["seconds"] for n in names if n in rows)
    course = "**whole course**"
    lines.append(f"| {course} | {total:.0f} | | {learner.get(course, '—')} |")
    dates = sorted({rows[n]["date"] for n in names if n in rows})
    when = dates[0] if len(dates) == 1 else f"{dates[0]} to {dates[-1]}"
    missing = [n for n in names if n not in rows]
    lines += [
        "",
        f"Machine times from `make bench` on {when}, kept in `docs/bench.json` (which"
        " `make bench` updates and `make student` reads)"
        + (f"; not measured yet: {', '.join(missing)}." if missing else "."),
    ]
    return "\n".join(lines)


def teacher_readme(paths: list[Path], bench: Path = BENCH) -> str:
    """Markdown for ``build/student/README.md``."""
    rows = bench_rows(bench)
    names = {p.stem: p for p in paths}
    lines = [
        "# modelmaint — student edition",
        "",
        "Each notebook below has its exercises' solutions replaced by",
        "`# YOUR CODE HERE`; the check cell after each exercise tells the learner when",
        "the answer is right and is graded by nbgrader (1 point each). This folder is",
        "what `nbgrader generate_assignment` releases from the course's `notebooks/`,",
        "which stay the nbgrader source (docs/teaching.md). Run time is the machine's",
        "time to execute the whole notebook (`make bench`, docs/bench.json); a learner",
        "reading it needs far longer (see docs/teaching.md for a session plan).",
        "",
    ]
    for entry in read_outline():
        if entry.name not in names:
            continue
        nb = nbformat.read(names[entry.name], as_version=4)
        row = rows.get(entry.name)
        run = (
            f"{row['seconds']:.0f} s (measured {row['date']})"
            if row
            else "not measured"
        )
        lines += [
            f"## {_title(nb)}",
            "",
            f"Run time: {run}. Seed sections: {entry.seed_sections}.",
            "",
        ]
        lines += ["Learning goals:", ""] + [
            f"- {g}" for g in learning_goals(nb.cells[0].source)
        ]
        lines += ["", "Exercises:", ""]
        pairs = zip(exercises(nb), checks(nb), strict=True)
        for k, (exercise, conds) in enumerate(pairs, 1):
            checked = "; ".join(map(_code, conds))
            lines.append(f"{k}. {exercise.text}  \n   *Checks:* {checked}")
        lines.append("")
    return "\n".join(lines)


def write_edition(paths: list[Path], out_dir: Path, lang: str = "en") -> list[Path]:
    """Write the student notebooks and the teacher's README into ``out_dir``.

    ``lang="zh"`` starts from the Chinese edition of each notebook.
    """
    from tools import i18n

    out_dir.mkdir(parents=True, exist_ok=True)
    maps = {nb.stem: i18n.heading_map(nb) for nb in i18n.notebooks()}
    written = []
    for path in paths:
        source = (
            i18n.translate(path, maps)
            if lang == "zh"
            else nbformat.read(path, as_version=4)
        )
        student, replaced = to_student(source)
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
    parser.add_argument(
        "--time-table", action="store_true", help="print docs/teaching.md's run times"
    )
    args = parser.parse_args()
    if args.exercise_section:
        print(exercise_section())
        return
    if args.time_table:
        guide = ROOT / "docs" / "teaching.md"
        print(time_table(guide.read_text(encoding="utf-8")))
        return
    paths = find_notebooks(args.targets)
    write_edition(paths, Path(args.out))
    write_edition(paths, Path(args.out) / "zh", lang="zh")
    print(
        f"student edition and teacher's README -> {args.out} (Chinese: {args.out}/zh)"
    )


if __name__ == "__main__":
    main()
