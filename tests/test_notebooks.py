"""Every notebook follows the course anatomy (CONTRIBUTING.md) and the README outline.

nbval executes the notebooks (``make test``); these checks read the committed files: the
stored outputs are fresh and error-free, and each notebook has what a learner relies on.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
IDS = [p.stem for p in NOTEBOOKS]


def source(cell: nbformat.NotebookNode) -> str:
    return cell.source if isinstance(cell.source, str) else "".join(cell.source)


def tags(cell: nbformat.NotebookNode) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


@pytest.fixture(params=NOTEBOOKS, ids=IDS)
def notebook(request: pytest.FixtureRequest) -> tuple[Path, nbformat.NotebookNode]:
    return request.param, nbformat.read(request.param, as_version=4)


def test_there_are_notebooks() -> None:
    assert NOTEBOOKS and NOTEBOOKS[0].name == "00_course_overview.ipynb"


def test_file_budget_and_kernel(notebook) -> None:
    path, nb = notebook
    assert path.stat().st_size < 1_000_000, f"{path.name} is over the 1 MB budget"
    assert nb.metadata["kernelspec"]["name"] == "python3"


def test_title_cell(notebook) -> None:
    path, nb = notebook
    first = source(nb.cells[0])
    number = path.stem.split("_", 1)[0]
    assert nb.cells[0].cell_type == "markdown"
    assert first.startswith(f"# {number} · "), first[:60]
    assert "**Seed sections:**" in first
    assert "**You will learn to**" in first


def test_outputs_are_fresh_and_clean(notebook) -> None:
    _, nb = notebook
    code = [c for c in nb.cells if c.cell_type == "code" and source(c).strip()]
    assert code
    unrun = [source(c)[:40] for c in code if c.execution_count is None]
    assert not unrun, f"cells without stored outputs (run `make notebooks`): {unrun}"
    counts = [c.execution_count for c in code]
    assert counts == list(range(1, len(code) + 1)), (
        "executed top to bottom in one fresh kernel"
    )
    errors = [o for c in code for o in c.outputs if o.output_type == "error"]
    assert not errors, errors[0]["evalue"] if errors else ""


def test_claims_are_asserted(notebook) -> None:
    _, nb = notebook
    text = "\n".join(source(c) for c in nb.cells if c.cell_type == "code")
    assert len(re.findall(r"^\s*assert ", text, flags=re.M)) >= 5


def test_exercises_have_solutions_and_checks(notebook) -> None:
    _, nb = notebook
    prose = "\n".join(source(c) for c in nb.cells if c.cell_type == "markdown")
    assert re.search(r"^## Exercises", prose, flags=re.M)
    assert re.search(r"^## Summary", prose, flags=re.M)
    solutions = [i for i, c in enumerate(nb.cells) if "solution" in tags(c)]
    assert len(solutions) >= 2, "2-3 exercises, each with a solution cell"
    for index in solutions:
        following = [c for c in nb.cells[index + 1 :] if c.cell_type == "code"]
        assert following and "check" in tags(following[0]), (
            "each solution is followed by a check"
        )
        assert "assert" in source(following[0])


def test_tensorflow_setup_comes_first(notebook) -> None:
    _, nb = notebook
    code = [source(c) for c in nb.cells if c.cell_type == "code"]
    text = "\n".join(code)
    assert not re.search(r"^\s*(import keras\b|from keras\b)", text, flags=re.M), (
        "use tf_keras"
    )
    if re.search(r"^\s*import tensorflow\b", text, flags=re.M):
        first = code[0]
        assert 'os.environ["TF_USE_LEGACY_KERAS"] = "1"' in first
        assert first.index("TF_USE_LEGACY_KERAS") < first.find("import tensorflow") or (
            "import tensorflow" not in first
        )


def test_readme_outline_matches_the_folder() -> None:
    readme = (ROOT / "README.md").read_text()
    rows = re.findall(
        r"^\| (\d\d[a-z]?|A\d) \| (.+?) \| .+ \| (ready|planned) \|$",
        readme,
        flags=re.M,
    )
    present = {p.stem for p in NOTEBOOKS}
    assert len(rows) == len(present), "one README row per notebook"
    for number, cell, status in rows:
        name = re.sub(r"\[(.+?)\]\(.+?\)", r"\1", cell)
        assert name.startswith(number)
        if status == "ready":
            assert name in present, (
                f"README marks {name} ready but it is not in notebooks/"
            )
            assert f"(notebooks/{name}.ipynb)" in cell, "ready notebooks are linked"
        else:
            assert name not in present, (
                f"{name} is in notebooks/ but README says planned"
            )
    assert "urlpath=lab/tree/notebooks/00_course_overview.ipynb" in readme


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_kernelspec_is_the_one_ipykernel_installs(path):
    # JupyterLab writes the running kernel's spec into the notebook's metadata; any
    # other display name would change (and mark modified) a notebook on opening.
    nb = nbformat.read(path, as_version=4)
    assert dict(nb.metadata["kernelspec"]) == {
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
        "name": "python3",
    }
