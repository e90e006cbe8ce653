"""The course's own files: where the clone is, its outline, its lock, its notebooks.

One reader for the README's outline table and for the pinned lock, used by notebooks
00 and A1 (which check the course against itself) and by the tools behind ``make
student`` and ``make site``. The clone is found through the installed package - an
editable install (``make install``, Binder) puts ``modelmaint/`` inside it - so a
notebook finds the course from any folder (an nbgrader assignment, a copy), not by
walking up from the current directory.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from modelmaint._validation import InputTypeError, check_path

__all__ = [
    "OutlineEntry",
    "course_root",
    "learning_goals",
    "locked_versions",
    "notebook_paths",
    "outline_table",
    "read_outline",
]

_LINK = re.compile(r"\[(.+?)\]\((.+?)\)")
_NUMBER = re.compile(r"\d\d[a-z]?|A\d")  # 00 ... 12, 03b (a lab), A1 (appendix)


def _path(value: Any, name: str, default: str) -> Path:
    """``value`` as a Path (the clone's ``default`` when None), or raise naming
    ``name``: an int or ``''`` (the current folder) is not a path to a course file."""
    if value is None:
        return course_root() / default
    return Path(check_path(value, name))


def course_root() -> Path:
    """The folder of the course's clone: the parent of the installed ``modelmaint``.

    Returns
    -------
    pathlib.Path
        The folder holding ``README.md``, ``notebooks/`` and ``requirements.lock``.

    Raises
    ------
    FileNotFoundError
        When ``modelmaint`` is installed without the course around it (a wheel).

    Examples
    --------
    >>> (course_root() / "README.md").is_file()
    True
    """
    root = Path(__file__).resolve().parents[1]
    needed = ("README.md", "notebooks", "requirements.lock")
    if not all((root / name).exists() for name in needed):
        raise FileNotFoundError(
            f"the course's files ({', '.join(needed)}) are not next to the installed "
            f"modelmaint ({root}): install it from a clone with `pip install -e .` "
            "(make install does)"
        )
    return root


@dataclass(frozen=True, kw_only=True)
class OutlineEntry:
    """One row of the README's outline.

    Parameters
    ----------
    number : str
        ``"00"`` ... ``"12"``, ``"03b"``, ``"A1"``.
    name : str
        Notebook stem, e.g. ``"07_pruning"``.
    topic, seed_sections, status : str
        The row's other columns.

    Examples
    --------
    >>> OutlineEntry(number="07", name="07_pruning", topic="t", seed_sections="s",
    ...              status="ready").filename
    '07_pruning.ipynb'
    """

    number: str
    name: str
    topic: str
    seed_sections: str
    status: str

    @property
    def filename(self) -> str:
        """The notebook's file name.

        Examples
        --------
        >>> read_outline()[0].filename
        '00_course_overview.ipynb'
        """
        return f"{self.name}.ipynb"


def read_outline(readme: str | os.PathLike[str] | None = None) -> list[OutlineEntry]:
    """Rows of the README's ``## Outline`` table, in course order.

    Parameters
    ----------
    readme : str or os.PathLike, optional
        A non-empty path; default: the clone's README.md.

    Returns
    -------
    list of OutlineEntry

    Examples
    --------
    >>> [e.number for e in read_outline()][:3]
    ['00', '01', '02']
    >>> read_outline("")
    Traceback (most recent call last):
    ...
    ValueError: readme must be a non-empty path; got ''
    """
    path = _path(readme, "readme", "README.md")
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 5 and _NUMBER.fullmatch(cells[0]):
            name = _LINK.sub(r"\1", cells[1])
            rows.append(
                OutlineEntry(
                    number=cells[0],
                    name=name,
                    topic=cells[2],
                    seed_sections=cells[3],
                    status=cells[4],
                )  # fmt: skip
            )
    if not rows:
        raise ValueError(f"readme has no outline table: {path}")
    return rows


def outline_table(readme: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """The outline as a DataFrame: ``#, notebook, topic, seed sections, status``.

    Parameters
    ----------
    readme : str or os.PathLike, optional
        A non-empty path; default: the clone's README.md.

    Returns
    -------
    pandas.DataFrame
        One row per notebook, in course order.

    Examples
    --------
    >>> outline_table().columns.tolist()
    ['#', 'notebook', 'topic', 'seed sections', 'status']
    """
    entries = read_outline(readme)
    return pd.DataFrame(
        [(e.number, e.name, e.topic, e.seed_sections, e.status) for e in entries],
        columns=["#", "notebook", "topic", "seed sections", "status"],
    )


def notebook_paths(folder: str | os.PathLike[str] | None = None) -> dict[str, Path]:
    """The course's notebooks by number (``"03"``, ``"03b"``, ``"A1"``), sorted.

    Parameters
    ----------
    folder : str or os.PathLike, optional
        A non-empty path; default: the clone's ``notebooks/``.

    Returns
    -------
    dict
        ``{number: path}``.

    Examples
    --------
    >>> paths = notebook_paths()
    >>> paths["00"].name
    '00_course_overview.ipynb'
    """
    where = _path(folder, "folder", "notebooks")
    found = {}
    for path in sorted(where.glob("*.ipynb")):
        number = path.stem.split("_", 1)[0]
        if _NUMBER.fullmatch(number):
            found[number] = path
    return found


def learning_goals(title_source: str) -> list[str]:
    """The bullets under ``**You will learn to**`` in a notebook's title cell.

    The Chinese edition's ``**你将学会**`` (``make zh``) is read the same way.

    Parameters
    ----------
    title_source : str
        The markdown of the notebook's first cell.

    Returns
    -------
    list of str
        One goal per bullet, continuation lines joined.

    Examples
    --------
    >>> learning_goals("**You will learn to**\\n- plot a\\n  chart;\\n- test\\n\\nmore")
    ['plot a chart;', 'test']
    >>> learning_goals("**你将学会**\\n- 画控制图；")
    ['画控制图；']
    """
    goals: list[str] = []
    if not isinstance(title_source, str):
        raise InputTypeError(
            f"title_source must be a str; got {type(title_source).__name__}"
        )
    after = re.split(
        r"\*\*(?:You will learn to|你将学会)\*\*", title_source, maxsplit=1
    )
    if len(after) < 2:
        return goals
    for line in after[1].splitlines()[1:]:
        if line.startswith("- "):
            goals.append(line[2:].strip())
        elif line.startswith("  ") and goals:
            goals[-1] += " " + line.strip()
        elif line.strip():
            break
    return goals


def locked_versions(lock: str | os.PathLike[str] | None = None) -> dict[str, str]:
    """``name -> version`` for every pin of the lock whose marker applies here.

    Parameters
    ----------
    lock : str or os.PathLike, optional
        A non-empty path; default: the clone's ``requirements.lock``.

    Returns
    -------
    dict

    Examples
    --------
    >>> locked_versions()["numpy"].startswith("2.")
    True
    """
    from packaging.requirements import Requirement

    path = _path(lock, "lock", "requirements.lock")
    pins = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line := line.split("#", 1)[0].strip():
            requirement = Requirement(line)
            if requirement.marker is None or requirement.marker.evaluate():
                pins[requirement.name] = next(iter(requirement.specifier)).version
    return pins
