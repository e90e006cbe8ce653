"""`make site`: the index in course order, a page per notebook with its figures,
previous/next links, solutions folded, and no link left to a notebook file."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from tools.make_site import build_site
from tools.outline import read_outline

ROOT = Path(__file__).resolve().parents[1]
ENTRIES = [e for e in read_outline() if (ROOT / "notebooks" / e.filename).exists()]
DETAILS = re.compile(r'<details class="mm-solution">.*?</details>', flags=re.S)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    pages = build_site(out)
    assert [p.name for p in pages] == ["index.html"] + [
        f"{e.name}.html" for e in ENTRIES
    ]
    return out


def test_index_lists_the_outline_in_order(site: Path) -> None:
    index = (site / "index.html").read_text()
    links = re.findall(r'href="([^"]+\.html)"', index)
    assert links == [f"{e.name}.html" for e in ENTRIES]
    assert all((site / link).exists() for link in links)
    assert (
        "07 · Pruning" in index and "keeping machine-learning models healthy" in index
    )


@pytest.mark.parametrize("entry", ENTRIES, ids=[e.number for e in ENTRIES])
def test_each_page(site: Path, entry) -> None:
    nb = nbformat.read(ROOT / "notebooks" / entry.filename, as_version=4)
    page = (site / f"{entry.name}.html").read_text()
    figures = sum(
        "image/png" in o.get("data", {}) for c in nb.cells for o in c.get("outputs", [])
    )
    assert page.count("data:image/png;base64,") >= figures
    solutions = sum("solution" in c.metadata.get("tags", []) for c in nb.cells)
    folded = DETAILS.findall(page)
    assert len(folded) == solutions
    assert all("celltag_solution" in block for block in folded)
    assert "celltag_solution" not in DETAILS.sub("", page)  # none left unfolded
    assert not re.search(r'href="[^"]*\.ipynb', page), "links must point to pages"
    assert page.count('class="mm-nav"') == 2  # top and bottom


def test_previous_and_next(site: Path) -> None:
    def nav(name: str) -> list[str]:
        page = (site / f"{name}.html").read_text()
        bar = re.search(r'<nav class="mm-nav">(.*?)</nav>', page, flags=re.S).group(1)
        return re.findall(r'href="([^"]+)"', bar)

    names = [e.name for e in ENTRIES]
    assert nav(names[0]) == ["index.html", f"{names[1]}.html"]
    assert nav(names[-1]) == [f"{names[-2]}.html", "index.html"]
    k = names.index("07_pruning")
    assert nav("07_pruning") == [
        f"{names[k - 1]}.html",
        "index.html",
        f"{names[k + 1]}.html",
    ]
