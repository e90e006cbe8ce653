"""Validate the public docstrings of ``modelmaint`` with numpydoc.

Every public module of the package (no ``_private`` part in its name) is imported,
and every name of its ``__all__`` that it defines itself (a re-export is checked
where it is defined) is run through :func:`numpydoc.validate.validate`: functions,
classes, and the public methods and properties a class defines. Only these kinds of
error fail (CONTRIBUTING.md: "a numpydoc docstring with a runnable Examples
section"):

* ``PR01`` - a parameter of the signature is not documented;
* ``PR02`` - a documented parameter is not in the signature;
* ``RT01`` - no Returns section, for a function that returns something;
* ``EX01`` - no Examples section.

Usage::

    python -m tools.docstrings                      # the whole package
    python -m tools.docstrings modelmaint.control   # modules under these prefixes
    python -m tools.docstrings -v                   # also list every failure

It prints one row per module with failures (counts per kind) and exits 1 when there
is any failure.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import pkgutil
from collections import Counter
from collections.abc import Iterator

KINDS = ("PR01", "PR02", "RT01", "EX01")


def public_modules(package: str = "modelmaint") -> list[str]:
    """Names of the package's modules without a ``_private`` part, the package first.

    Parameters
    ----------
    package : str, default "modelmaint"
        The package to walk.

    Returns
    -------
    list of str

    Examples
    --------
    >>> mods = public_modules()
    >>> mods[0], "modelmaint.control.shewhart" in mods, "modelmaint._validation" in mods
    ('modelmaint', True, False)
    """
    root = importlib.import_module(package)
    names = [package]
    for info in pkgutil.walk_packages(root.__path__, prefix=f"{package}."):
        if not any(part.startswith("_") for part in info.name.split(".")):
            names.append(info.name)
    return sorted(names, key=lambda n: (n != package, n))


def _own_names(module: object) -> list[str]:
    names = getattr(module, "__all__", None)
    if names is None:
        names = [n for n in vars(module) if not n.startswith("_")]
    own = []
    for name in names:
        obj = getattr(module, name, None)
        if (inspect.isfunction(obj) or inspect.isclass(obj)) and (
            obj.__module__ == module.__name__
        ):
            own.append(name)
    return own


def objects(module_name: str) -> Iterator[str]:
    """Import paths of the objects of ``module_name`` whose docstrings are checked.

    Parameters
    ----------
    module_name : str
        A module, e.g. ``"modelmaint.control.shewhart"``.

    Yields
    ------
    str
        ``module.function``, ``module.Class``, ``module.Class.method`` and
        ``module.Class.property`` for every public name the module defines.

    Examples
    --------
    >>> "modelmaint.control.rules.WesternElectricResult.by_rule" in set(
    ...     objects("modelmaint.control.rules"))
    True
    """
    module = importlib.import_module(module_name)
    for name in _own_names(module):
        obj = getattr(module, name)
        yield f"{module_name}.{name}"
        if inspect.isclass(obj):
            for attr, member in vars(obj).items():
                if attr.startswith("_"):
                    continue
                if isinstance(member, (staticmethod, classmethod)):
                    member = member.__func__
                if inspect.isfunction(member) or isinstance(member, property):
                    yield f"{module_name}.{name}.{attr}"


def failures(prefixes: tuple[str, ...] = ("modelmaint",)) -> list[tuple[str, str, str]]:
    """Every error of the checked kinds, as ``(object, code, message)``.

    Parameters
    ----------
    prefixes : tuple of str, default ("modelmaint",)
        Check only the modules whose names start with one of these.

    Returns
    -------
    list of tuple of str
        A module that cannot be imported gives one ``(module, "import", error)``.

    Examples
    --------
    >>> failures(("modelmaint.control.shewhart",))
    []
    """
    from numpydoc.validate import validate

    found = []
    for module_name in public_modules():
        if not module_name.startswith(prefixes):
            continue
        try:
            paths = list(objects(module_name))
        except Exception as exc:  # noqa: BLE001 - report it, check the rest
            found.append((module_name, "import", f"{type(exc).__name__}: {exc}"))
            continue
        for path in paths:
            for code, message in validate(path)["errors"]:
                if code in KINDS:
                    found.append((path, code, message))
    return found


def _module_of(path: str, modules: set[str]) -> str:
    while path not in modules and "." in path:
        path = path.rsplit(".", 1)[0]
    return path


def main(argv: list[str] | None = None) -> int:
    """Print the table of failures per module; 1 if there is any, else 0."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("prefixes", nargs="*", default=["modelmaint"])
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    found = failures(tuple(args.prefixes))
    modules = set(public_modules())
    table: dict[str, Counter] = {}
    for path, code, _ in found:
        table.setdefault(_module_of(path, modules), Counter())[code] += 1
    kinds = (*KINDS, "import")
    print(f"{'module':<36}" + "".join(f"{k:>7}" for k in kinds) + f"{'total':>7}")
    for module in sorted(table):
        counts = table[module]
        cells = "".join(f"{counts[k]:>7}" for k in kinds)
        print(f"{module:<36}{cells}{sum(counts.values()):>7}")
    totals = Counter(code for _, code, _ in found)
    cells = "".join(f"{totals[k]:>7}" for k in kinds)
    print(f"{'TOTAL':<36}{cells}{len(found):>7}")
    if args.verbose:
        for path, code, message in found:
            print(f"{code} {path}: {message}")
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
