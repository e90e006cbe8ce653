"""The package reads as a whole: one map of modules to the course, no private reach-ins.

* ``modelmaint/__init__.py``'s docstring maps every public module to its part of the
  course (and CONTRIBUTING.md says the same): a newcomer sees the house from its door;
* no module imports a ``_private`` name from another ``modelmaint`` package (a sibling
  in the same package may: ``compress.latency`` uses ``compress.tflite``'s helpers).
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


@pytest.mark.parametrize("path", FILES, ids=[_module_name(p) for p in FILES])
def test_no_private_name_from_another_package(path: Path) -> None:
    here = _module_name(path)
    here_package = here if path.name == "__init__.py" else _package_of(here)
    for node in ast.walk(ast.parse(path.read_text())):
        if not isinstance(node, ast.ImportFrom) or not node.module:
            continue
        if not node.module.startswith("modelmaint"):
            continue
        if node.module == "modelmaint._validation":
            continue  # the one shared validation module (CONTRIBUTING.md)
        source_package = _package_of(node.module)
        private = [a.name for a in node.names if a.name.startswith("_")]
        private += [p for p in node.module.split(".") if p.startswith("_")]
        if private and source_package != here_package:
            pytest.fail(f"{here} imports {private} from {node.module}")


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
    ``modelmaint._data``): a new subpackage must be added there or the wheel lacks it."""
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    on_disk = {
        _module_name(p.parent) for p in PACKAGE.rglob("__init__.py")
    } | {"modelmaint._data"}
    assert set(config["packages"]) == on_disk
    assert config["package-dir"]["modelmaint._data"] == "datasets"
