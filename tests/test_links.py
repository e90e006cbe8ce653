"""Every link a reader can click resolves: to a file, a notebook or a section of one.

Checked in the README, ``docs/``, ``CONTRIBUTING.md`` and every notebook's markdown
(notebook 00's course map and the A1 appendix link to many sections). A section link
``NN_name.ipynb#3.-Phase-I-and-phase-II`` resolves when that notebook has a heading
whose anchor — the heading text with spaces turned into ``-``, as JupyterLab and
nbconvert's HTML make it — is the part after ``#``. Web links are not followed.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)")
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*$", re.M)


def anchor(heading: str) -> str:
    """The anchor JupyterLab and nbconvert give a markdown heading."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # links keep their text
    text = re.sub(r"[`*_]", "", text)  # code and emphasis marks are not part of it
    return text.strip().replace(" ", "-")


def notebook_anchors(path: Path) -> set[str]:
    nb = nbformat.read(path, as_version=4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    return {anchor(h) for h in HEADING.findall(text)}


def documents() -> list[tuple[Path, str]]:
    docs = [
        ROOT / "README.md",
        ROOT / "CONTRIBUTING.md",
        *sorted(ROOT.glob("docs/*.md")),
    ]
    found = [(p, p.read_text(encoding="utf-8")) for p in docs if p.exists()]
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
        found.append((path, text))
    return found


def links() -> list[tuple[str, Path, str]]:
    rows = []
    for path, text in documents():
        for target in LINK.findall(text):
            if re.match(r"^[a-z][a-z0-9+.-]*:", target):  # http:, https:, mailto:
                continue
            rows.append((f"{path.relative_to(ROOT)} -> {target}", path, target))
    return rows


def test_anchor_rule() -> None:
    assert anchor("3. Phase I and phase II; the individuals chart") == (
        "3.-Phase-I-and-phase-II;-the-individuals-chart"
    )
    assert anchor("6. **EWMA** and `CUSUM`") == "6.-EWMA-and-CUSUM"


LINKS = links()


@pytest.mark.parametrize(("source", "target"), [(p, t) for _, p, t in LINKS],
                         ids=[i for i, _, _ in LINKS])  # fmt: skip
def test_link_resolves(source: Path, target: str) -> None:
    file_part, _, fragment = target.partition("#")
    path = (source.parent / unquote(file_part)).resolve() if file_part else source
    assert path.exists(), f"{target}: no file {path.relative_to(ROOT)}"
    if fragment and path.suffix == ".ipynb":
        anchors = notebook_anchors(path)
        assert unquote(fragment) in anchors, (
            f"{target}: no such section; sections are {sorted(anchors)}"
        )


def test_the_course_map_links_every_notebook() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        assert f"(notebooks/{path.name})" in readme, (
            f"README's outline lacks {path.name}"
        )
