"""`make site`: the index in course order, a page per notebook with its figures,
previous/next links, solutions folded, and no link left to a notebook file."""

from __future__ import annotations

import html
import re
from pathlib import Path

import nbformat
import pytest

from tools.make_site import build_site
from tools.outline import read_outline

ROOT = Path(__file__).resolve().parents[1]
ENTRIES = [e for e in read_outline() if (ROOT / "notebooks" / e.filename).exists()]
DETAILS = re.compile(r'<details class="mm-solution">.*?</details>', flags=re.S)
TAG = re.compile(r"<[^>]+>")


def text(fragment: str) -> str:
    """What a reader sees: tags (syntax-highlighting spans too) stripped, unescaped."""
    return html.unescape(TAG.sub("", fragment))


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
    inside, outside = text("".join(folded)), text(DETAILS.sub("", page))
    for cell in nb.cells:  # each answer's own code: in a fold, and nowhere else
        if "solution" in cell.metadata.get("tags", []):
            answer = cell.source.split("### BEGIN SOLUTION")[-1]
            answer = answer.split("### END SOLUTION")[0].strip()
            assert answer in inside and answer not in outside, answer
    relative = [h for h in re.findall(r'href="([^"]*)"', page) if "://" not in h]
    assert not [h for h in relative if ".ipynb" in h], "links must point to pages"
    assert page.count('class="mm-nav"') == 2  # top and bottom


def test_previous_and_next(site: Path) -> None:
    def nav(number: str) -> list[str]:
        page = (site / f"{by_number[number]}.html").read_text()
        bar = re.search(r'<nav class="mm-nav">(.*?)</nav>', page, flags=re.S).group(1)
        return re.findall(r'href="([^"]+)"', bar)

    by_number = {e.number: e.name for e in ENTRIES}
    assert nav("00") == ["index.html", f"{by_number['01']}.html"]  # no previous
    assert nav("A1") == [f"{by_number['12']}.html", "index.html"]  # no next
    assert nav("07") == [
        f"{by_number['06']}.html",
        "index.html",
        f"{by_number['08']}.html",
    ]
