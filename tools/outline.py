"""The course outline, read from the README's table (the one source of course order).

``make student`` (the teacher's README) and ``make site`` (the index page) both read it,
so the course order and the topics are written once, in README.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from tools._nbrun import ROOT

_LINK = re.compile(r"\[(.+?)\]\((.+?)\)")


@dataclass(frozen=True)
class Entry:
    """One row of the README outline."""

    number: str  # "00" ... "12", "A1"
    name: str  # notebook stem, e.g. "07_pruning"
    topic: str
    seed_sections: str
    status: str

    @property
    def filename(self) -> str:
        return f"{self.name}.ipynb"


def read_outline(readme: Path = ROOT / "README.md") -> list[Entry]:
    """Rows of the README's ``## Outline`` table, in course order."""
    rows = []
    for line in readme.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 5 and re.fullmatch(r"\d\d|A\d", cells[0]):
            name = _LINK.sub(r"\1", cells[1])
            rows.append(Entry(cells[0], name, cells[2], cells[3], cells[4]))
    if not rows:
        raise ValueError(f"no outline table found in {readme}")
    return rows


def learning_goals(title_source: str) -> list[str]:
    """The bullets under ``**You will learn to**`` in a notebook's title cell."""
    goals: list[str] = []
    after = title_source.split("**You will learn to**", 1)
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
