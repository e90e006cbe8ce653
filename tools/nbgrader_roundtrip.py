"""`make nbgrader`: the course through a real nbgrader, in a throw-away course folder.

1. Every notebook of ``notebooks/`` becomes an assignment's source,
   ``source/NN/NN_name.ipynb``, beside ``docs/nbgrader/nbgrader_config.py``;
   ``nbgrader generate_assignment "*"`` releases them all (metadata only, nothing runs)
   and each release must equal ``make student``'s edition of the notebook.
2. For the notebooks asked for, two submissions go through ``nbgrader autograde``:
   ``blank`` (the release itself: a learner who writes nothing) must score 0, with
   errors in the check cells only, each a ``NameError`` or an ``AssertionError``;
   ``solutions`` (the source) must score full marks with no error in any cell.
3. ``nbgrader export`` writes ``grades.csv``; its scores must say the same.

Exit status 1, with one line per problem, if anything else happens. Notebooks 00 and A1
read the course's clone (the README, the lock) through the installed ``modelmaint``
(``mm.course.course_root``), so they grade like the others. Files the notebooks write
go to ``$MODELMAINT_BUILD`` (the config sets it beside itself), not into submissions.
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat

from tools._nbrun import ROOT
from tools.make_student import NBGRADER_CONFIG, to_student

KERNEL = "modelmaint"  # c.ExecutePreprocessor.kernel_name in the config
EXCLUDED: tuple[str, ...] = ()  # 00 and A1 find the clone through modelmaint
FAST = ("01", "05", "11")  # what `make test` runs (tests/test_nbgrader.py)
EXPECTED_ERRORS = {"NameError", "AssertionError"}
STUDENTS = ("blank", "solutions")


@dataclass(frozen=True)
class Graded:
    """One assignment autograded: its scores in grades.csv and the wall seconds."""

    assignment: str
    blank: float
    solutions: float
    max_score: float
    seconds: float


@dataclass(frozen=True)
class RoundTrip:
    """What the round trip found; ``problems`` is empty when the kit holds up."""

    graded: tuple[Graded, ...]
    released: int  # notebooks released by generate_assignment (all of them)
    generate_seconds: float
    seconds: float
    stray: tuple[str, ...]  # folders the notebooks wrote outside their assignment
    problems: tuple[str, ...]


def assignment_id(path: Path) -> str:
    """``notebooks/05_online_learning.ipynb`` -> ``"05"``."""
    return path.stem.split("_", 1)[0]


def _nbgrader(course: Path, *args: str) -> None:
    env = dict(os.environ)
    # nbgrader runs `alembic` by name: the venv's bin first, activated or not
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    # only the course's config, never a ~/.jupyter/nbgrader_config.py
    env["JUPYTER_CONFIG_DIR"] = str(course / ".jupyter")
    run = subprocess.run(
        [sys.executable, "-m", "nbgrader", *args],
        cwd=course,
        env=env,
        capture_output=True,
        text=True,
    )
    if run.returncode != 0:
        tail = "\n".join((run.stdout + run.stderr).splitlines()[-15:])
        raise RuntimeError(
            f"nbgrader {' '.join(args)} failed ({run.returncode}):\n{tail}"
        )


def _kernel_problem() -> str | None:
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        KernelSpecManager().get_kernel_spec(KERNEL)
    except NoSuchKernel:
        return (
            f"no Jupyter kernel named {KERNEL!r}: `make install` registers it "
            f"(python -m ipykernel install --sys-prefix --name {KERNEL})"
        )
    return None


def _release_problems(course: Path, path: Path) -> list[str]:
    aid = assignment_id(path)
    release = course / "release" / aid / path.name
    if not release.exists():
        return [f"{aid} release: generate_assignment wrote no {release.name}"]
    got = nbformat.read(release, as_version=4)
    source = course / "source" / aid / path.name  # the copy: notebooks/ may move on
    want, _ = to_student(nbformat.read(source, as_version=4))
    fields = ("cell_type", "source", "metadata")
    if [[c.get(f) for f in fields] for c in got.cells] != [
        [c.get(f) for f in fields] for c in want.cells
    ]:
        return [f"{aid} release: differs from `make student`'s edition"]
    return []


def _errors(nb: nbformat.NotebookNode) -> dict[int, list[str]]:
    found = {}
    for i, cell in enumerate(nb.cells):
        names = [o.ename for o in cell.get("outputs", []) if o.output_type == "error"]
        if names:
            found[i] = names
    return found


def _grade_cells(nb: nbformat.NotebookNode) -> dict[int, str]:
    return {
        i: c.metadata["nbgrader"]["grade_id"]
        for i, c in enumerate(nb.cells)
        if c.get("metadata", {}).get("nbgrader", {}).get("grade")
    }


def _autograded_problems(course: Path, path: Path) -> list[str]:
    aid, problems = assignment_id(path), []
    for student in STUDENTS:
        autograded = course / "autograded" / student / aid / path.name
        if not autograded.exists():
            problems.append(f"{aid} {student}: autograde wrote no {path.name}")
            continue
        nb = nbformat.read(autograded, as_version=4)
        graded, errors = _grade_cells(nb), _errors(nb)
        for i, names in errors.items():
            if i not in graded:
                problems.append(
                    f"{aid} {student}: cell {i} (not a check) raised {', '.join(names)}"
                    + (" - before the checks" if student == "blank" else "")
                )
            elif student == "blank" and not set(names) <= EXPECTED_ERRORS:
                problems.append(
                    f"{aid} blank: check {graded[i]} raised {', '.join(names)} "
                    f"(expected {' or '.join(sorted(EXPECTED_ERRORS))})"
                )
        if student == "blank":
            silent = [graded[i] for i in graded if i not in errors]
            if silent:
                problems.append(
                    f"{aid} blank: checks that pass with no answer: {silent}"
                )
    return problems


def _stray(course: Path, ids: set[str]) -> list[str]:
    """Folders that are not an assignment where nbgrader keeps assignments."""
    found = []
    for step in ("source", "release"):
        found += [p for p in (course / step).glob("*") if p.name not in ids]
    for step in ("submitted", "autograded"):
        found += [p for p in (course / step).glob("*/*") if p.name not in ids]
    return sorted(str(p.relative_to(course)) for p in found)


def roundtrip(targets: list[Path], course: Path) -> RoundTrip:
    """Release every notebook, autograde ``targets`` blank and solved, export."""
    start = time.perf_counter()
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    problems = [p for p in [_kernel_problem()] if p]
    if problems:
        return RoundTrip((), 0, 0.0, 0.0, (), tuple(problems))
    course.mkdir(parents=True, exist_ok=True)
    shutil.copy(NBGRADER_CONFIG, course / "nbgrader_config.py")
    for path in notebooks:
        (course / "source" / assignment_id(path)).mkdir(parents=True)
        shutil.copy(path, course / "source" / assignment_id(path) / path.name)
    t0 = time.perf_counter()
    try:
        _nbgrader(course, "generate_assignment", "*", "--force")
    except RuntimeError as error:
        return RoundTrip((), 0, 0.0, time.perf_counter() - start, (), (str(error),))
    generate_seconds = time.perf_counter() - t0
    for path in notebooks:
        problems += _release_problems(course, path)

    seconds = {}
    for path in targets:
        aid = assignment_id(path)
        for student, step in zip(STUDENTS, ("release", "source"), strict=True):
            shutil.copytree(course / step / aid, course / "submitted" / student / aid)
        t0 = time.perf_counter()
        try:
            _nbgrader(course, "autograde", aid, "--force")
        except RuntimeError as error:
            problems.append(f"{aid}: {error}")
            continue
        seconds[aid] = time.perf_counter() - t0
        problems += _autograded_problems(course, path)

    graded = []
    if seconds:
        try:
            _nbgrader(course, "export")
        except RuntimeError as error:
            seconds, problems = {}, [*problems, str(error)]
    if seconds:
        with open(course / "grades.csv", newline="") as f:
            rows = {(r["assignment"], r["student_id"]): r for r in csv.DictReader(f)}
        for aid in seconds:
            blank, solved = (float(rows[aid, s]["score"]) for s in STUDENTS)
            top = float(rows[aid, "solutions"]["max_score"])
            graded.append(Graded(aid, blank, solved, top, seconds[aid]))
            if blank != 0:
                problems.append(f"{aid} blank: grades.csv says {blank} of {top}, not 0")
            if top == 0 or solved != top:
                problems.append(f"{aid} solutions: grades.csv says {solved} of {top}")
    return RoundTrip(
        graded=tuple(graded),
        released=len(notebooks),
        generate_seconds=generate_seconds,
        seconds=time.perf_counter() - start,
        stray=tuple(_stray(course, {assignment_id(p) for p in notebooks})),
        problems=tuple(problems),
    )


def _targets(names: list[str]) -> list[Path]:
    """Notebooks from assignment ids ("05"), notebook paths or folders (a folder, or
    nothing: every notebook but ``EXCLUDED``)."""
    every = sorted((ROOT / "notebooks").glob("*.ipynb"))
    by_id = {assignment_id(p): p for p in every}
    found: list[Path] = []
    for name in names or ["notebooks"]:
        if (ROOT / name).is_dir() or Path(name).is_dir():
            found += [p for p in every if assignment_id(p) not in EXCLUDED]
        elif (path := by_id.get(name) or by_id.get(assignment_id(Path(name)))) is None:
            raise SystemExit(f"no notebook for {name!r}")
        else:
            found.append(path)
    return list(dict.fromkeys(found))


def report(result: RoundTrip) -> str:
    """The table ``make nbgrader`` prints."""
    lines = [
        f"generate_assignment: {result.released} notebooks released in "
        f"{result.generate_seconds:.0f} s",
        f"{'assignment':10s} {'blank':>7s} {'solutions':>10s} {'seconds':>8s}",
    ]
    for g in result.graded:
        lines.append(
            f"{g.assignment:10s} {g.blank:3.0f} / {g.max_score:<3.0f}"
            f"{g.solutions:4.0f} / {g.max_score:<3.0f} {g.seconds:8.0f}"
        )
    lines.append(f"round trip: {result.seconds:.0f} s")
    if result.stray:
        lines.append("written outside the assignments: " + ", ".join(result.stray))
    lines += [f"PROBLEM {p}" for p in result.problems]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "targets",
        nargs="*",
        help="assignment ids, notebooks or notebooks/ (all but 00, A1)",
    )
    parser.add_argument("--keep", type=Path, help="build the course here and keep it")
    args = parser.parse_args()
    targets = _targets(args.targets)
    if args.keep:
        if args.keep.exists():
            raise SystemExit(f"--keep {args.keep} exists: give a new folder")
        result = roundtrip(targets, args.keep)
    else:
        with tempfile.TemporaryDirectory(prefix="nbgrader-course-") as tmp:
            result = roundtrip(targets, Path(tmp) / "course")
    print(report(result))
    sys.exit(1 if result.problems else 0)


if __name__ == "__main__":
    main()
