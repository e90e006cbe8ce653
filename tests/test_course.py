"""modelmaint.course: the readers of the course's own files, and the paths they take.

The clone's README outline, notebooks and lock are read by notebooks 00 and A1 and
by the tools behind ``make student`` and ``make site``; a path given explicitly must
be a non-empty ``str`` or ``os.PathLike`` (an int reached pathlib, ``''`` read the
current folder: issue 17).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from modelmaint import course

ROOT = course.course_root()

#: reader -> (its path parameter, the clone's file it reads by default)
READERS = {
    "read_outline": ("readme", ROOT / "README.md"),
    "outline_table": ("readme", ROOT / "README.md"),
    "notebook_paths": ("folder", ROOT / "notebooks"),
    "locked_versions": ("lock", ROOT / "requirements.lock"),
}


def _same(a: object, b: object) -> bool:
    return a.equals(b) if hasattr(a, "equals") else a == b


@pytest.mark.parametrize("reader", sorted(READERS))
def test_an_explicit_path_reads_what_the_default_reads(reader: str) -> None:
    fn = getattr(course, reader)
    param, path = READERS[reader]
    default = fn()
    assert _same(fn(**{param: path}), default)
    assert _same(fn(**{param: str(path)}), default)


@pytest.mark.parametrize("reader", sorted(READERS))
@pytest.mark.parametrize(
    ("bad", "error", "rule"),
    [
        (3, TypeError, "must be a path (str or os.PathLike); got 3"),
        (b"README.md", TypeError, "must be a path (str or os.PathLike)"),
        ("", ValueError, "must be a non-empty path; got ''"),
    ],
)
def test_a_path_that_is_not_one_is_refused_by_name(
    reader: str, bad: object, error: type, rule: str
) -> None:
    param, _ = READERS[reader]
    with pytest.raises(error, match=re.escape(f"{param} {rule}")):
        getattr(course, reader)(**{param: bad})


def test_a_missing_file_is_a_file_not_found_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        course.read_outline(tmp_path / "README.md")
    with pytest.raises(FileNotFoundError):
        course.locked_versions(tmp_path / "requirements.lock")


def test_a_readme_without_an_outline_is_refused(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("# A course\n\nNo table here.\n", encoding="utf-8")
    with pytest.raises(ValueError, match="readme has no outline table"):
        course.read_outline(readme)


def test_learning_goals_takes_a_string() -> None:
    with pytest.raises(TypeError, match="title_source must be a str; got int"):
        course.learning_goals(3)
