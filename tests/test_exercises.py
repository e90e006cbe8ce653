"""The exercises as a learner meets them (issue 22): answers hidden, checks that read
only what the exercise names, pass with one line and cannot be fooled by a stale
kernel; and first screens without stray native logs or the author's paths."""

from __future__ import annotations

import ast
import builtins
import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
IDS = [p.stem for p in NOTEBOOKS]
LABEL = re.compile(r"\A# The course's solution to exercise (\d+) \(folded: .+\)$", re.M)

#: stderr lines a notebook may keep, and why (each is explained where it appears)
STDERR_ALLOWED = {
    "INFO: Created TensorFlow Lite XNNPACK delegate for CPU.": "LiteRT's notice "
    "that its fast CPU kernels are on (09 §3 explains it; mm.compress keeps it quiet)",
}
#: the author's machine in an output: a home, a temp or a checkout folder
ABSOLUTE = re.compile(r"(?<![\w.])(/work/|/home/|/Users/|/tmp/|/root/|[A-Z]:\\\\)")


def _tags(cell: nbformat.NotebookNode) -> list[str]:
    return cell.metadata.get("tags", [])


def _tree(cell: nbformat.NotebookNode) -> ast.Module:
    lines = [ln for ln in cell.source.splitlines() if not ln.lstrip().startswith("%")]
    return ast.parse("\n".join(lines))


def _bound(tree: ast.AST) -> set[str]:
    """Names a cell binds: assignments, loop and with targets, imports, defs."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            found.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)):
            found.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            found |= {(a.asname or a.name).split(".")[0] for a in node.names}
        elif isinstance(node, ast.arg):
            found.add(node.arg)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            found.add(node.name)
    return found


def _loaded(tree: ast.AST) -> set[str]:
    return {
        n.id
        for n in ast.walk(tree)
        if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)
    }


def _exercises(nb: nbformat.NotebookNode) -> list[tuple[int, int, int]]:
    """(statement, solution, check) cell indices of every exercise, in order."""
    found = []
    for i, cell in enumerate(nb.cells):
        if "solution" in _tags(cell):
            statement = max(j for j in range(i) if nb.cells[j].cell_type == "markdown")
            check = next(
                j for j in range(i + 1, len(nb.cells)) if "check" in _tags(nb.cells[j])
            )
            found.append((statement, i, check))
    return found


def _check_call(tree: ast.Module) -> ast.Call | None:
    """The ``mm.exercise.check(globals(), ...)`` a check cell's ``with`` opens."""
    for node in tree.body:
        if isinstance(node, ast.With) and len(node.items) == 1:
            call = node.items[0].context_expr
            if (
                isinstance(call, ast.Call)
                and ast.unparse(call.func) == "mm.exercise.check"
            ):
                return call
    return None


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=IDS)
def test_solutions_are_folded_and_say_what_they_are(notebook: Path) -> None:
    nb = nbformat.read(notebook, as_version=4)
    solutions = [c for c in nb.cells if "solution" in _tags(c)]
    assert solutions, "every notebook has exercises"
    for number, cell in enumerate(solutions, start=1):
        jupyter = cell.metadata.get("jupyter", {})
        assert jupyter.get("source_hidden") and jupyter.get("outputs_hidden"), number
        label = LABEL.match(cell.source)
        assert label and int(label.group(1)) == number, cell.source.splitlines()[0]


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=IDS)
def test_checks_pass_with_one_line_and_print_nothing_else(notebook: Path) -> None:
    nb = nbformat.read(notebook, as_version=4)
    for number, (_, _, check) in enumerate(_exercises(nb), start=1):
        tree = _tree(nb.cells[check])
        call = _check_call(tree)
        where = f"{notebook.stem} exercise {number}"
        assert call is not None, f"{where}: wrap the asserts in mm.exercise.check(...)"
        assert ast.unparse(call.args[0]) == "globals()", where
        exercise = {k.arg: k.value for k in call.keywords}.get("exercise")
        assert isinstance(exercise, ast.Constant) and exercise.value == number, where
        prints = [
            n
            for n in ast.walk(tree)
            if isinstance(n, ast.Call) and ast.unparse(n.func) == "print"
        ]
        assert not prints, f"{where}: a check prints only its success line"
        asserts = [n for n in ast.walk(tree) if isinstance(n, ast.Assert)]
        assert asserts and all(a.msg is not None for a in asserts), (
            f"{where}: every assert says what is wrong in a sentence"
        )


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=IDS)
def test_checks_read_only_names_the_exercise_gives(notebook: Path) -> None:
    nb = nbformat.read(notebook, as_version=4)
    known = set(dir(builtins))
    solution_only: set[str] = set()
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        tree = _tree(cell)
        if "solution" in _tags(cell):
            solution_only |= _bound(tree) - known
            continue
        if "check" not in _tags(cell):
            known |= _bound(tree)
            continue
        statement, solution, _ = next(e for e in _exercises(nb) if e[2] == i)
        text = (
            nb.cells[statement].source
            + "\n"
            + nb.cells[solution].source.split("### BEGIN SOLUTION")[0]
        )
        read = _loaded(tree) - _bound(tree) - known
        unnamed = [
            n for n in sorted(read & solution_only) if not re.search(rf"\b{n}\b", text)
        ]
        assert not unnamed, (
            f"{notebook.stem} cell {i} reads {unnamed}: only the hidden solution "
            "defines them, the exercise does not name them"
        )
        named = {
            a.value for a in _check_call(tree).args[1:] if isinstance(a, ast.Constant)
        }
        assert read & solution_only <= named, (
            f"{notebook.stem} cell {i}: pass every answer name it reads to "
            f"mm.exercise.check (missing {sorted((read & solution_only) - named)})"
        )
        known |= _bound(tree)


def test_a_cleared_answer_fails_its_check_in_a_live_kernel() -> None:
    """Run A1 to its first check (it passes), empty the answer, run both again."""
    from nbclient import NotebookClient

    nb = nbformat.read(ROOT / "notebooks" / "A1_faq_tools_glossary.ipynb", 4)
    _, solution, check = _exercises(nb)[0]
    cleared = nbformat.v4.new_code_cell(
        nb.cells[solution].source.split("### BEGIN SOLUTION")[0] + "# YOUR CODE HERE"
    )
    again = nbformat.v4.new_code_cell(nb.cells[check].source)
    run = nbformat.from_dict(nb)
    run.cells = [c for c in nb.cells[: check + 1] if c.cell_type == "code"]
    run.cells += [cleared, again]
    NotebookClient(
        run,
        timeout=300,
        allow_errors=True,
        resources={"metadata": {"path": str(ROOT / "notebooks")}},
    ).execute()
    first = "".join(o.get("text", "") for o in run.cells[-3].outputs)
    assert first.strip() == "Exercise 1: correct.", run.cells[-3].outputs
    errors = [o for o in run.cells[-1].outputs if o.output_type == "error"]
    assert errors and errors[0].ename == "NameError", run.cells[-1].outputs
    assert "write your answer" in errors[0].evalue


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=IDS)
def test_no_stray_stderr_and_no_absolute_paths(notebook: Path) -> None:
    nb = nbformat.read(notebook, as_version=4)
    stray, paths = [], []
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.output_type == "stream" and out.name == "stderr":
                stray += [
                    f"cell {i}: {line[:100]}"
                    for line in out.text.splitlines()
                    if line.strip() and line.strip() not in STDERR_ALLOWED
                ]
            text = out.get("text", "") + "".join(
                v
                for k, v in out.get("data", {}).items()
                if k.startswith("text/") and isinstance(v, str)
            )
            if out.output_type == "error":
                text += out.evalue + "".join(out.traceback)
            paths += [f"cell {i}: {m}" for m in ABSOLUTE.findall(text)]
    assert not stray, (
        f"{notebook.stem}: stderr a learner is not told about: {stray[:5]}"
    )
    assert not paths, f"{notebook.stem}: outputs show the author's paths: {paths[:5]}"
