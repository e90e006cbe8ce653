"""Mechanical checks on the notebooks' claims: asserts that cannot fail, broken sources.

An assert that compares a value with itself, or checks that a metric lies in [0, 1],
cannot fail and backs no claim (CONTRIBUTING.md, "Claims and asserts"). A control
character in a source is almost always a LaTeX command eaten by a Python string
(``"\\approx"`` written as ``"\approx"`` gives BEL + ``pprox``). A notebook's random
sources follow one seed read from ``MODELMAINT_SEED``, which ``make robustness`` varies.

The judgement calls (is a tolerance honest?) stay with the reviewer; these catch the
patterns a machine can see.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
IDS = [p.stem for p in NOTEBOOKS]
RANDOM = re.compile(
    r"default_rng\(|random_state=|set_random_seed\(|np\.random\.|RandomState\("
)


def _source(cell: nbformat.NotebookNode) -> str:
    return cell.source if isinstance(cell.source, str) else "".join(cell.source)


def _asserts(nb: nbformat.NotebookNode) -> list[tuple[int, ast.Assert]]:
    found = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        text = "\n".join(
            line
            for line in _source(cell).splitlines()
            if not line.lstrip().startswith(("%", "!"))
        )
        try:
            tree = ast.parse(text)
        except SyntaxError:
            continue
        found += [(index, n) for n in ast.walk(tree) if isinstance(n, ast.Assert)]
    return found


def cannot_fail(test: ast.expr) -> str | None:
    """Why ``assert <test>`` cannot fail, or None when it can."""
    if isinstance(test, ast.Compare):
        operands = [test.left, *test.comparators]
        dumped = [ast.dump(o) for o in operands]
        for a, b, op in zip(dumped, dumped[1:], test.ops, strict=False):
            if a == b and isinstance(op, (ast.Eq, ast.LtE, ast.GtE, ast.Is)):
                return "compares a value with itself"
        constants = [o.value for o in operands if isinstance(o, ast.Constant)]
        if (
            len(operands) == 3
            and constants == [0, 1]
            and isinstance(operands[0], ast.Constant)
            and isinstance(operands[2], ast.Constant)
            and isinstance(operands[1], (ast.Name, ast.Attribute, ast.Subscript))
            and all(isinstance(op, (ast.LtE, ast.Lt)) for op in test.ops)
        ):
            return "0 <= metric <= 1 holds for any rate or score"
    if isinstance(test, ast.Constant) and test.value:
        return "asserts a constant"
    return None


@pytest.mark.parametrize(
    ("code", "verdict"),
    [
        ("assert x == x", "itself"),
        ("assert model.n == model.n, 'same'", "itself"),
        ("assert 0 <= precision <= 1", "0 <= metric"),
        ("assert True", "constant"),
        ("assert 0 < auc - 0.5 <= 1", None),
        ("assert x == y", None),
        ("assert 0.9 <= auc <= 1", None),
    ],
)
def test_the_detector_itself(code: str, verdict: str | None) -> None:
    reason = cannot_fail(ast.parse(code).body[0].test)
    assert (reason is None) if verdict is None else (verdict in reason), reason


@pytest.fixture(params=NOTEBOOKS, ids=IDS)
def notebook(request: pytest.FixtureRequest) -> nbformat.NotebookNode:
    return nbformat.read(request.param, as_version=4)


def test_no_assert_that_cannot_fail(notebook) -> None:
    bad = [
        f"cell {i}: {ast.unparse(node)[:70]} — {why}"
        for i, node in _asserts(notebook)
        if (why := cannot_fail(node.test))
    ]
    assert not bad, "\n".join(bad)


def test_no_control_characters_in_sources(notebook) -> None:
    bad = [
        f"cell {i}: {ch!r} in {_source(c)[max(0, k - 20) : k + 20]!r}"
        for i, c in enumerate(notebook.cells)
        for k, ch in enumerate(_source(c))
        if ord(ch) < 32 and ch not in "\n\t"
    ]
    assert not bad, "\n".join(bad)


# Issue 7's seed pass has not reached these yet: they must fail this test until it
# does (strict xfail), and then leave this set.
SEED_PASS_PENDING: set[str] = set()


def test_random_sources_follow_one_seed(notebook, request) -> None:
    """A notebook that uses randomness reads ``MODELMAINT_SEED`` once, at the top."""
    if request.node.callspec.id in SEED_PASS_PENDING:
        request.applymarker(pytest.mark.xfail(strict=True, reason="issue 7 pending"))
    code = [_source(c) for c in notebook.cells if c.cell_type == "code"]
    if not any(RANDOM.search(text) for text in code):
        return
    first_seed = next(
        (i for i, text in enumerate(code) if "MODELMAINT_SEED" in text), None
    )
    assert first_seed is not None and first_seed <= 2, (
        "read SEED = int(os.environ.get('MODELMAINT_SEED', '0')) in the set-up cells"
    )
    fixed = [
        line.strip()
        for text in code
        for line in text.splitlines()
        if re.search(r"(default_rng|set_random_seed)\(\s*\d+\s*\)", line)
    ]
    assert not fixed, f"seeded with a literal instead of SEED: {fixed}"
