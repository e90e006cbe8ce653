"""`make site`: the course as a static website, built offline from the notebooks.

Writes ``build/site/``: ``index.html`` in course order — the README's outline table,
read by :mod:`tools.outline`, so the order and topics are written once — and one
page per notebook, made by nbconvert's ``lab`` template with its stored outputs
(figures embedded as data URIs), a previous / index / next bar at the top and bottom,
and each exercise's solution folded in a ``<details>`` element. Links between
notebooks (``NN_name.ipynb``) point to the pages.

Nothing is downloaded while building. When the pages are *viewed*, formulas are
typeset by MathJax from its CDN; without a network the LaTeX source stays readable.
"""

from __future__ import annotations

import argparse
import html
import re
import time
from pathlib import Path

import mistune
import nbformat
from nbconvert import HTMLExporter

from tools._nbrun import ROOT
from tools.outline import Entry, read_outline

TEMPLATES = Path(__file__).with_name("site_template")
TITLE = "modelmaint — keeping machine-learning models healthy after deployment"
STYLE = """<style>
.mm-nav{display:flex;justify-content:space-between;gap:1em;max-width:1100px;
margin:1em auto;padding:.5em 1em;background:#f3f6fa;border-radius:6px;
font:15px sans-serif}
.mm-nav a{text-decoration:none} details.mm-solution{margin:.5em 0 .5em 6em}
details.mm-solution>summary{cursor:pointer;color:#1f5fa8;font:15px sans-serif}
</style>"""


def page_name(stem: str) -> str:
    return f"{stem}.html"


def notebook_title(nb: nbformat.NotebookNode) -> str:
    """The ``# NN · Title`` heading of the first cell, without the ``#``."""
    return nb.cells[0].source.splitlines()[0].lstrip("#").strip()


def _nav(prev: tuple[str, str] | None, nxt: tuple[str, str] | None) -> str:
    left = (
        f'<a href="{page_name(prev[0])}">← {html.escape(prev[1])}</a>'
        if prev
        else "<span></span>"
    )
    right = (
        f'<a href="{page_name(nxt[0])}">{html.escape(nxt[1])} →</a>'
        if nxt
        else "<span></span>"
    )
    middle = '<a href="index.html">course index</a>'
    return f'{STYLE}<nav class="mm-nav">{left}{middle}{right}</nav>'


def _local_links(text: str, stems: set[str]) -> str:
    """Links to course notebooks (``07_pruning.ipynb#x``) -> pages (``.html#x``)."""

    def swap(match: re.Match[str]) -> str:
        stem = Path(match.group(2)).name.removesuffix(".ipynb")
        if stem not in stems:
            return match.group(0)
        return f'{match.group(1)}{page_name(stem)}{match.group(3) or ""}"'

    # Relative links only: a Binder or GitHub URL ending in .ipynb stays as it is.
    return re.sub(r'(href=")([^"#:]*?\.ipynb)(#[^"]*)?"', swap, text)


def _intro(readme: str) -> str:
    """The README's first paragraph after the title, skipping badge lines."""
    for block in readme.split("\n\n")[1:]:
        block = block.strip()
        if block and not block.startswith(("#", "[![", "![")):
            return block
    return ""


def _index(entries: list[Entry], titles: dict[str, str]) -> str:
    intro = _intro((ROOT / "README.md").read_text(encoding="utf-8"))
    rows = "\n".join(
        f'<tr><td>{e.number}</td><td><a href="{page_name(e.name)}">'
        f"{html.escape(titles[e.name])}</a></td><td>{mistune.html(e.topic)}</td>"
        f"<td>{html.escape(e.seed_sections)}</td></tr>"
        for e in entries
    )
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{html.escape(TITLE)}</title>
<style>body{{font:16px/1.5 sans-serif;max-width:1100px;margin:2em auto;padding:0 1em}}
td,th{{border-bottom:1px solid #ddd;padding:.4em;vertical-align:top}} td p{{margin:0}}
table{{border-collapse:collapse}}</style></head><body>
<h1>{html.escape(TITLE)}</h1>{mistune.html(intro)}
<p>Run the notebooks yourself with <code>make lab</code>, or on Binder; this site
shows them with their stored outputs. Exercise solutions are folded: try first.</p>
<table><tr><th>#</th><th>Notebook</th><th>Topic</th><th>Seed sections</th></tr>
{rows}</table></body></html>"""


def build_site(out: Path = ROOT / "build" / "site") -> list[Path]:
    """Write the index and one page per notebook of the outline into ``out``."""
    entries = [e for e in read_outline() if (ROOT / "notebooks" / e.filename).exists()]
    notebooks = {
        e.name: nbformat.read(ROOT / "notebooks" / e.filename, as_version=4)
        for e in entries
    }
    titles = {name: notebook_title(nb) for name, nb in notebooks.items()}
    stems = set(titles)
    exporter = HTMLExporter(
        template_name="lab",
        extra_template_paths=[str(TEMPLATES)],
        template_file="course.html.j2",
    )
    out.mkdir(parents=True, exist_ok=True)
    written = [out / "index.html"]
    written[0].write_text(_index(entries, titles), encoding="utf-8")
    names = [e.name for e in entries]
    for k, name in enumerate(names):
        prev = (names[k - 1], titles[names[k - 1]]) if k > 0 else None
        nxt = (names[k + 1], titles[names[k + 1]]) if k + 1 < len(names) else None
        resources = {"mm_nav": _nav(prev, nxt), "metadata": {"name": titles[name]}}
        body, _ = exporter.from_notebook_node(notebooks[name], resources=resources)
        page = out / page_name(name)
        page.write_text(_local_links(body, stems), encoding="utf-8")
        written.append(page)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default=str(ROOT / "build" / "site"))
    args = parser.parse_args()
    start = time.perf_counter()
    out = Path(args.out).resolve()
    pages = build_site(out)
    for page in pages:
        print(f"{page.name:45s} {page.stat().st_size / 1024:7.0f} KB")
    seconds = time.perf_counter() - start
    shown = out.relative_to(ROOT) if out.is_relative_to(ROOT) else out
    print(f"site: {len(pages)} pages in {seconds:.1f} s → {shown}")


if __name__ == "__main__":
    main()
