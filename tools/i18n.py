"""`make zh`: the course in Chinese, from the English notebooks and a catalog.

The English notebooks stay the one source of code and outputs. Each markdown cell's
translation lives in ``i18n/zh/<notebook>.json``, keyed by the sha256 of the English
cell (its source with trailing spaces and blank lines at the ends removed), beside
the English it translates:

    {"notebook": "02_control_charts", "cells": {"<sha256>": {"en": "...", "zh": "..."}}}

When an English cell changes, its key changes and its translation is missing: the
sync test (``tests/test_i18n.py``) fails naming the notebook and the cell, until the
catalog is updated. ``python -m tools.i18n status`` lists the missing and stale cells,
``python -m tools.i18n extract`` adds the missing ones to the catalogs with an empty
``zh`` (and the English) for a translator to fill, and ``python -m tools.i18n build``
(``make zh``) writes ``build/zh/`` - every notebook with its markdown in Chinese and
its code cells and outputs unchanged.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import time
from pathlib import Path

import nbformat

from tools._nbrun import ROOT

CATALOG = ROOT / "i18n" / "zh"
NOTEBOOKS = ROOT / "notebooks"
OUT = ROOT / "build" / "zh"


def normalize(source: str) -> str:
    """The English as the key sees it: trailing spaces and blank end lines removed."""
    return "\n".join(line.rstrip() for line in source.strip("\n").splitlines())


def cell_key(source: str) -> str:
    """sha256 of a markdown cell's normalized English."""
    return hashlib.sha256(normalize(source).encode("utf-8")).hexdigest()


def notebooks() -> list[Path]:
    """The course's English notebooks, sorted."""
    return sorted(NOTEBOOKS.glob("*.ipynb"))


def catalog_path(notebook: Path) -> Path:
    return CATALOG / f"{notebook.stem}.json"


def load_catalog(notebook: Path) -> dict[str, dict[str, str]]:
    path = catalog_path(notebook)
    if not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def save_catalog(notebook: Path, cells: dict[str, dict[str, str]]) -> None:
    CATALOG.mkdir(parents=True, exist_ok=True)
    body = {"notebook": notebook.stem, "cells": cells}
    text = json.dumps(body, ensure_ascii=False, indent=1, sort_keys=False) + "\n"
    catalog_path(notebook).write_text(text, encoding="utf-8")


def markdown_cells(notebook: Path) -> list[tuple[int, str]]:
    """(index, source) of every non-empty markdown cell."""
    nb = nbformat.read(notebook, as_version=4)
    return [
        (i, c.source)
        for i, c in enumerate(nb.cells)
        if c.cell_type == "markdown" and c.source.strip()
    ]


def status(notebook: Path) -> dict[str, list]:
    """``missing`` cells (no translation), ``stale`` keys (no English cell any more)."""
    cells = load_catalog(notebook)
    keys = {cell_key(src): i for i, src in markdown_cells(notebook)}
    missing = [(keys[k], k) for k in keys if not cells.get(k, {}).get("zh", "").strip()]
    stale = [k for k in cells if k not in keys]
    return {"missing": sorted(missing), "stale": stale, "total": len(keys)}


def extract(notebook: Path, *, prune: bool = False) -> int:
    """Add every untranslated cell to the catalog (English, empty ``zh``)."""
    cells = load_catalog(notebook)
    added = 0
    for _, source in markdown_cells(notebook):
        key = cell_key(source)
        if key not in cells:
            cells[key] = {"en": normalize(source), "zh": ""}
            added += 1
    if prune:
        keys = {cell_key(src) for _, src in markdown_cells(notebook)}
        cells = {k: v for k, v in cells.items() if k in keys}
    # keep the catalog in the notebook's order
    order = {cell_key(src): i for i, src in markdown_cells(notebook)}
    cells = dict(sorted(cells.items(), key=lambda kv: order.get(kv[0], 10**6)))
    save_catalog(notebook, cells)
    return added


_HEADING = re.compile(r"^(#+)[ \t]+(.+?)[ \t]*$", re.M)
_LINK = re.compile(r"\]\(((?:\w+\.ipynb)?)#([^)\s]+)\)")


def anchor(heading: str) -> str:
    """JupyterLab's anchor of a heading: its text with spaces turned into dashes."""
    return heading.strip().replace(" ", "-")


def heading_map(notebook: Path) -> dict[str, str]:
    """English anchor -> Chinese anchor for every heading of the notebook."""
    cells = load_catalog(notebook)
    found = {}
    for entry in cells.values():
        english = _HEADING.findall(entry["en"])
        chinese = _HEADING.findall(entry.get("zh", ""))
        for (_, en), (_, zh) in zip(english, chinese, strict=False):
            found[anchor(en)] = anchor(zh)
    return found


def relink(text: str, here: str, maps: dict[str, dict[str, str]]) -> str:
    """Point ``[..](NN_name.ipynb#English-anchor)`` links at the Chinese headings."""

    def swap(match: re.Match[str]) -> str:
        target, fragment = match.group(1), match.group(2)
        stem = target[: -len(".ipynb")] if target else here
        new = maps.get(stem, {}).get(fragment, fragment)
        return f"]({target}#{new})"

    return _LINK.sub(swap, text)


def translate(
    notebook: Path, maps: dict[str, dict[str, str]] | None = None
) -> nbformat.NotebookNode:
    """The notebook with every markdown cell in Chinese; code and outputs untouched."""
    cells = load_catalog(notebook)
    maps = maps if maps is not None else {}
    nb = nbformat.read(notebook, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "markdown" and cell.source.strip():
            entry = cells.get(cell_key(cell.source))
            if not entry or not entry.get("zh", "").strip():
                raise KeyError(
                    f"{notebook.name}: a markdown cell has no translation "
                    f"(key {cell_key(cell.source)[:12]}): run `python -m tools.i18n "
                    "status`"
                )
            cell.source = relink(entry["zh"], notebook.stem, maps)
    nb.metadata["language"] = "zh-Hans"
    return nb


def build(out: Path = OUT) -> list[Path]:
    """Write ``out/<notebook>.ipynb`` for every notebook; return the paths."""
    out.mkdir(parents=True, exist_ok=True)
    maps = {nb.stem: heading_map(nb) for nb in notebooks()}
    written = []
    for notebook in notebooks():
        target = out / notebook.name
        nbformat.write(translate(notebook, maps), target)
        written.append(target)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["status", "extract", "build"])
    parser.add_argument("--prune", action="store_true", help="drop stale entries")
    args = parser.parse_args()
    if args.command == "build":
        start = time.perf_counter()
        written = build()
        took = time.perf_counter() - start
        print(f"{len(written)} Chinese notebooks in {OUT} ({took:.1f} s)")
        return
    failed = False
    for notebook in notebooks():
        if args.command == "extract":
            print(f"{notebook.stem:40s} +{extract(notebook, prune=args.prune)} cells")
            continue
        found = status(notebook)
        done = found["total"] - len(found["missing"])
        print(f"{notebook.stem:40s} {done:3d}/{found['total']:3d} translated, "
              f"{len(found['stale'])} stale")  # fmt: skip
        for index, key in found["missing"]:
            print(f"    missing: cell {index} ({key[:12]})")
        failed |= bool(found["missing"])
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
