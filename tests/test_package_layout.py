"""The package reads as a whole: one map of modules to the course, no private reach-ins.

* ``modelmaint/__init__.py``'s docstring maps every public module to its part of the
  course (and CONTRIBUTING.md says the same): a newcomer sees the house from its door;
* no module imports a ``_private`` name from another ``modelmaint`` package;
* inside a package, no module imports an underscored name from a *public* sibling
  module (``from modelmaint.control.shewhart import _first``): helpers that siblings
  share live in the package's one ``_private`` module (``control/_chart.py``,
  ``compress/_common.py``, ...), which every module of the package may import.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import modelmaint

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "modelmaint"


def _package_of(module: str) -> str:
    """``modelmaint.compress.latency`` -> ``modelmaint.compress``; top-level files and
    the shared ``modelmaint._validation`` count as the root package ``modelmaint``."""
    parts = module.split(".")
    path = PACKAGE.joinpath(*parts[1:])
    return ".".join(parts if path.is_dir() else parts[:-1])


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(p for p in parts if p != "__init__")


def _public_modules() -> list[str]:
    names = []
    for path in sorted(PACKAGE.iterdir()):
        name = path.stem if path.suffix == ".py" else path.name
        if name.startswith("_") or name == "__pycache__":
            continue
        if path.suffix == ".py" or (path / "__init__.py").exists():
            names.append(name)
    return names


FILES = sorted(PACKAGE.rglob("*.py"))

#: Modules that still import an underscored name from a public sibling module, with
#: the names, until their owners move the shared helpers to a ``_private`` module.
#: The lead empties this list; do not add to it.
ALLOWED_FOR_NOW: dict[str, set[str]] = {}


#: Modules over the limit whose owners are splitting them (the lead empties this).
LONGEST_FOR_NOW: dict[str, int] = {}


def _is_private_module(module: str) -> bool:
    """True when ``module`` names a file or folder of the package (not an attribute)
    with an underscored part: ``modelmaint.compress._common``."""
    parts = module.split(".")
    path = PACKAGE.joinpath(*parts[1:])
    exists = path.is_dir() or path.with_suffix(".py").exists()
    return exists and any(p.startswith("_") for p in parts[1:])


def _absolute(node: ast.ImportFrom, here: str, is_init: bool) -> str:
    """The absolute module of ``from ... import``, relative imports resolved."""
    if not node.level:
        return node.module or ""
    base = here.split(".")
    base = base if is_init else base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def private_imports(source: str, here: str, is_init: bool = False) -> list[str]:
    """Every forbidden import of ``source``, the module ``here``, as a message.

    Forbidden: a ``_private`` module or name of another package (except the shared
    ``modelmaint._validation``), and an underscored name imported from a public
    module of the same package. Allowed: anything from the package's own
    ``_private`` modules (``from modelmaint.registry import _files`` too).
    """
    here_package = here if is_init else _package_of(here)
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if not alias.name.startswith("modelmaint.") or alias.name.startswith(
                    "modelmaint._validation"
                ):
                    continue
                private = [p for p in alias.name.split(".") if p.startswith("_")]
                if private and _package_of(alias.name) != here_package:
                    found.append(f"{here} imports {alias.name} (another package)")
            continue
        if not isinstance(node, ast.ImportFrom):
            continue
        module = _absolute(node, here, is_init)
        if not module.startswith("modelmaint") or module == "modelmaint._validation":
            continue
        source_package = _package_of(module)
        names = [a.name for a in node.names]
        if source_package != here_package:
            private = [n for n in names if n.startswith("_")]
            private += [p for p in module.split(".") if p.startswith("_")]
            if private:
                found.append(
                    f"{here} imports {private} from {module} (another package)"
                )
            continue
        if _is_private_module(module):
            continue  # the package's own private module: that is where helpers live
        for name in names:
            if name.startswith("_") and not _is_private_module(f"{module}.{name}"):
                found.append(f"{module}.{name}")
    return found


@pytest.mark.parametrize("path", FILES, ids=[_module_name(p) for p in FILES])
def test_no_private_name_from_another_module(path: Path) -> None:
    here = _module_name(path)
    found = private_imports(path.read_text(), here, path.name == "__init__.py")
    allowed = ALLOWED_FOR_NOW.get(here, set())
    wrong = [f for f in found if f not in allowed]
    assert not wrong, (
        f"{here} imports private names {wrong}: move what siblings share to the "
        "package's _private module"
    )
    stale = allowed - set(found)
    assert not stale, f"remove {sorted(stale)} from ALLOWED_FOR_NOW: fixed"


@pytest.mark.parametrize(
    ("source", "here", "is_init", "expected"),
    [
        (
            "from modelmaint.control.shewhart import _first",
            "modelmaint.control.rules",
            False,
            ["modelmaint.control.shewhart._first"],
        ),
        (
            "from .shewhart import _first",
            "modelmaint.control.rules",
            False,
            ["modelmaint.control.shewhart._first"],
        ),
        (
            "def f():\n    from modelmaint.drift.psi import _category_counts",
            "modelmaint.drift.two_sample",
            False,
            ["modelmaint.drift.psi._category_counts"],
        ),
        (
            "from modelmaint.control import _helper",
            "modelmaint.control.rules",
            False,
            ["modelmaint.control._helper"],
        ),
        (
            "from modelmaint.compress._common import import_tf, _private",
            "modelmaint.compress.latency",
            False,
            [],
        ),
        ("from modelmaint.registry import _files", "modelmaint.registry", True, []),
        ("from modelmaint._validation import as_1d", "modelmaint.quality", False, []),
        (
            "from modelmaint.control.shewhart import ChartResult",
            "modelmaint.control.small_shifts",
            False,
            [],
        ),
        (
            "from modelmaint.compress._common import as_weights",
            "modelmaint.loop.monitor",
            False,
            [
                "modelmaint.loop.monitor imports ['_common'] from "
                "modelmaint.compress._common (another package)"
            ],
        ),
        (
            "import modelmaint.compress._common",
            "modelmaint.loop.monitor",
            False,
            [
                "modelmaint.loop.monitor imports modelmaint.compress._common "
                "(another package)"
            ],
        ),
    ],
)
def test_the_private_import_check_itself(
    source: str, here: str, is_init: bool, expected: list[str]
) -> None:
    assert private_imports(source, here, is_init) == expected


def test_every_public_module_is_in_the_course_map() -> None:
    doc = modelmaint.__doc__ or ""
    contributing = (ROOT / "CONTRIBUTING.md").read_text()
    missing = [m for m in _public_modules() if f"``{m}``" not in doc]
    assert not missing, f"modelmaint/__init__.py's map lacks {missing}"
    missing = [m for m in _public_modules() if f"`{m}`" not in contributing]
    assert not missing, f"CONTRIBUTING.md's module map lacks {missing}"


def test_lazy_submodules_match_the_files() -> None:
    assert sorted(modelmaint._SUBMODULES) == sorted(_public_modules())


def test_the_wheel_lists_every_subpackage() -> None:
    """pyproject.toml lists the packages (so that datasets/ can travel as
    ``modelmaint._data``): a new subpackage must be added there, or the wheel lacks
    it."""
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    on_disk = {_module_name(p.parent) for p in PACKAGE.rglob("__init__.py")} | {
        "modelmaint._data"
    }
    assert set(config["packages"]) == on_disk
    assert config["package-dir"]["modelmaint._data"] == "datasets"


#: Modules that became packages (one module per job): every name the notebooks
#: import from the old module stays importable from the package.
SPLIT = {
    "explain": [
        "ImportanceShift",
        "LocalSurrogate",
        "global_importance",
        "importance_shift",
        "lime_from_scratch",
        "lime_table",
        "shap_table",
    ],
    "plotting": [
        "fonts_covering",
        "get_ax",
        "plot_control_chart",
        "plot_flagged_points",
        "plot_maintenance_loop",
        "plot_score_histogram",
        "use_course_style",
    ],
}


@pytest.mark.parametrize("name", sorted(SPLIT))
def test_a_split_module_keeps_its_public_names(name: str) -> None:
    module = getattr(modelmaint, name)
    assert sorted(module.__all__) == SPLIT[name]
    missing = [n for n in SPLIT[name] if not hasattr(module, n)]
    assert not missing, f"modelmaint.{name} lost {missing}"


def test_no_module_is_much_longer_than_300_lines() -> None:
    """CONTRIBUTING.md: about 300 lines at most, then a package of one file per job."""
    long = {
        _module_name(p): n
        for p in FILES
        if (n := len(p.read_text().splitlines()))
        > LONGEST_FOR_NOW.get(_module_name(p), 320)
    }
    assert not long, f"split these modules by job: {long}"
