"""`make site`: the course as a static website, built and read offline.

Writes ``build/site/``: ``index.html`` in course order — the README's outline table,
read by :mod:`tools.outline`, so the order and topics are written once — with the
README's Binder link and its two commands; one page per notebook, made by
nbconvert's ``lab`` template with its stored outputs (figures embedded as data URIs),
a previous / index / next bar at the top and bottom, and each exercise's solution
folded in a ``<details>`` element. Links between notebooks (``NN_name.ipynb``) point
to the pages. ``course.css`` (from ``tools/site_template/``) styles them all.

The Chinese edition (issue 19) is built beside it, in ``build/site/zh/``, from
:mod:`tools.i18n`'s catalogs: the same pages with their markdown in Chinese and their
code and outputs unchanged, a Chinese index (intro, Binder link and commands from the
README's Chinese section), and on every page of either edition a link to the same page
in the other language.

Nothing is downloaded, neither while building nor while reading: formulas are
typeset by the MathJax 2.7 that the ``jupyter-server-mathjax`` package ships, of
which ``mathjax/`` holds the part the pages use (the TeX input, the HTML-CSS output
and its STIX web fonts).
"""

from __future__ import annotations

import argparse
import html
import re
import shutil
import time
from pathlib import Path

import jupyter_server_mathjax
import mistune
import nbformat
from nbconvert import HTMLExporter

from tools import i18n
from tools._nbrun import ROOT
from tools.outline import Entry, read_outline

TEMPLATES = Path(__file__).with_name("site_template")
TITLE = "modelmaint — keeping machine-learning models healthy after deployment"
CSS = "course.css"
MATHJAX_STATIC = Path(jupyter_server_mathjax.__file__).with_name("static")
MATHJAX_DIR = "mathjax"
MATHJAX_CONFIG = "TeX-AMS-MML_HTMLorMML-full,Safe"
MATHJAX_URL = f"{MATHJAX_DIR}/MathJax.js?config={MATHJAX_CONFIG}"
# What MATHJAX_CONFIG loads, or may load on demand (TeX extensions such as \cancel,
# MathJax's menu): not the SVG output, the accessibility explorer (3.7 MB) nor the
# menu's translations other than Chinese (English is built in).
MATHJAX_FILES = (
    "LICENSE",
    "MathJax.js",
    "config/TeX-AMS-MML_HTMLorMML-full.js",
    "config/Safe.js",
    "extensions/*.js",
    "extensions/HTML-CSS/*.js",
    "extensions/TeX/**/*.js",
    "jax/element/mml/**/*.js",
    "jax/input/TeX/*.js",
    "jax/output/HTML-CSS/**/*.js",
    "fonts/HTML-CSS/STIX-Web/woff/*.woff",
    "localization/zh-hans/*.js",
    "localization/zh-hant/*.js",
)
_COMMANDS = re.compile(r"^## Two commands\n(.*?\n```[^\n]*\n.*?\n```)", re.M | re.S)
_CHINESE = re.compile(r"^## 中文版\n(.*?)(?=^## )", re.M | re.S)
ZH = "zh"  # the Chinese edition's folder inside the site

# What the site itself says, per edition (the notebooks' text comes from the catalogs).
UI = {
    "en": {
        "lang": "en",
        "title": TITLE,
        "index": "course index",
        "other": ("中文", "zh-Hans", ZH + "/"),
        "run": "Run it",
        "binder": "launch on Binder",
        "binder_note": "— in the browser, nothing to install (the first start takes "
        "several minutes).",
        "stored": "This site shows the notebooks with their stored outputs. Exercise "
        "solutions are folded: try first.",
        "outline": "Outline",
        "columns": ("#", "Notebook", "Topic", "Seed sections"),
        "solution": "Solution — open it after you have tried",
    },
    "zh": {
        "lang": "zh",
        "title": "modelmaint — 模型部署之后的维护（中文版）",
        "index": "课程目录",
        "other": ("English", "en", "../"),
        "run": "运行课程",
        "binder": "在 Binder 上启动",
        "binder_note": "——在浏览器中运行，无需安装（第一次启动需要几分钟）。",
        "stored": "本站展示的是笔记本及其保存的输出（代码输出保持英文）。"
        "练习的答案已折叠：请先自己试一试。",
        "outline": "课程大纲",
        "columns": ("#", "笔记本", "主题", "种子章节"),
        "solution": "答案——先自己试过再打开",
    },
}


def page_name(stem: str) -> str:
    return f"{stem}.html"


def notebook_title(nb: nbformat.NotebookNode) -> str:
    """The ``# NN · Title`` heading of the first cell, without the ``#``."""
    return nb.cells[0].source.splitlines()[0].lstrip("#").strip()


def copy_mathjax(out: Path) -> int:
    """Copy the MathJax files the pages use into ``out/mathjax``; return the bytes."""
    target = out / MATHJAX_DIR
    if target.exists():
        shutil.rmtree(target)
    size = 0
    for pattern in MATHJAX_FILES:
        found = [p for p in MATHJAX_STATIC.glob(pattern) if p.is_file()]
        if not found:
            raise FileNotFoundError(f"MathJax: no {pattern} in {MATHJAX_STATIC}")
        for src in found:
            dst = target / src.relative_to(MATHJAX_STATIC)
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, dst)
            size += dst.stat().st_size
    return size


def readme_binder_url(readme: str) -> str:
    """The target of the README's ``[![Binder](badge)](url)`` badge."""
    match = re.search(r"\[!\[Binder\]\([^)]*\)\]\(([^)\s]+)\)", readme)
    if match is None:
        raise ValueError("README.md has no [![Binder](...)](url) badge")
    return match.group(1)


def readme_commands(readme: str) -> str:
    """The README's ``## Two commands`` section up to its code block, as markdown."""
    match = _COMMANDS.search(readme)
    if match is None:
        raise ValueError("README.md has no '## Two commands' section with a code block")
    return match.group(1).strip()


def readme_chinese(readme: str) -> str:
    """The README's ``## 中文版`` section, as markdown."""
    match = _CHINESE.search(readme + "\n## ")
    if match is None:
        raise ValueError("README.md has no '## 中文版' section")
    return match.group(1).strip()


def _intro(readme: str) -> str:
    """The README's first paragraph after the title, skipping badge lines."""
    for block in readme.split("\n\n")[1:]:
        block = block.strip()
        if block and not block.startswith(("#", "[![", "![")):
            return block
    return ""


def _switch(page: str, lang: str) -> str:
    """A link to the same page in the other edition."""
    label, code, prefix = UI[lang]["other"]
    return (
        f'<p class="mm-lang"><a href="{prefix}{page}" hreflang="{code}" '
        f'lang="{code}">{label}</a></p>'
    )


def _nav(
    prev: tuple[str, str] | None, nxt: tuple[str, str] | None, lang: str = "en"
) -> str:
    left = (
        f'<a href="{page_name(prev[0])}" rel="prev">← {html.escape(prev[1])}</a>'
        if prev
        else "<span></span>"
    )
    right = (
        f'<a href="{page_name(nxt[0])}" rel="next">{html.escape(nxt[1])} →</a>'
        if nxt
        else "<span></span>"
    )
    middle = f'<a href="index.html">{UI[lang]["index"]}</a>'
    return f'<nav class="mm-nav">{left}{middle}{right}</nav>'


def _local_links(text: str, stems: set[str]) -> str:
    """Links to course notebooks (``07_pruning.ipynb#x``) -> pages (``.html#x``)."""

    def swap(match: re.Match[str]) -> str:
        stem = Path(match.group(2)).name.removesuffix(".ipynb")
        if stem not in stems:
            return match.group(0)
        return f'{match.group(1)}{page_name(stem)}{match.group(3) or ""}"'

    # Relative links only: a Binder or GitHub URL ending in .ipynb stays as it is.
    return re.sub(r'(href=")([^"#:]*?\.ipynb)(#[^"]*)?"', swap, text)


def _has_mermaid(nb: nbformat.NotebookNode) -> bool:
    return any(c.cell_type == "markdown" and "```mermaid" in c.source for c in nb.cells)


def _topic(nb: nbformat.NotebookNode) -> str:
    """A Chinese notebook's topic: the first sentence of its opening paragraph."""
    blocks = nb.cells[0].source.split("\n\n")
    first = next((b for b in blocks[1:] if not b.startswith(("#", "**"))), "")
    return first.split("。")[0] + "。" if first else ""


def _index(
    entries: list[Entry],
    titles: dict[str, str],
    lang: str = "en",
    topics: dict[str, str] | None = None,
) -> str:
    ui = UI[lang]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    if lang == "en":
        binder = readme_binder_url(readme)
        intro, commands = _intro(readme), readme_commands(readme)
    else:
        chinese = readme_chinese(readme)
        binder = readme_binder_url(chinese)
        intro = _intro("#\n\n" + chinese)
        commands = chinese[chinese.index("```") : chinese.rindex("```") + 3]
    topics = topics or {e.name: e.topic for e in entries}
    rows = "\n".join(
        f'<tr><td>{e.number}</td><td><a href="{page_name(e.name)}">'
        f"{html.escape(titles[e.name])}</a></td><td>{mistune.html(topics[e.name])}</td>"
        f"<td>{html.escape(e.seed_sections)}</td></tr>"
        for e in entries
    )
    head = "".join(f"<th>{c}</th>" for c in ui["columns"])
    css = CSS if lang == "en" else f"../{CSS}"
    return f"""<!DOCTYPE html><html lang="{ui["lang"]}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{html.escape(ui["title"])}</title>
<link rel="stylesheet" href="{css}"></head><body class="mm-index">
{_switch("index.html", lang)}
<h1>{html.escape(ui["title"])}</h1>{mistune.html(intro)}
<h2>{ui["run"]}</h2>
<p><a class="mm-binder" href="{html.escape(binder)}">{ui["binder"]}</a>
{ui["binder_note"]}</p>
{mistune.html(commands)}
<p>{ui["stored"]}</p>
<h2>{ui["outline"]}</h2>
<table><tr>{head}</tr>
{rows}</table></body></html>"""


def build_site(out: Path = ROOT / "build" / "site", lang: str = "en") -> list[Path]:
    """Write the index and one page per notebook of the outline into ``out``.

    ``lang="en"`` also writes ``course.css`` and the MathJax copy (``mathjax/``);
    ``lang="zh"`` writes the Chinese edition into ``out/zh/`` and uses those. The list
    returned holds the HTML pages, the index first.
    """
    ui = UI[lang]
    entries = [e for e in read_outline() if (ROOT / "notebooks" / e.filename).exists()]
    if lang == "en":
        notebooks = {
            e.name: nbformat.read(ROOT / "notebooks" / e.filename, as_version=4)
            for e in entries
        }
        folder, up = out, ""
    else:
        maps = {nb.stem: i18n.heading_map(nb) for nb in i18n.notebooks()}
        notebooks = {
            e.name: i18n.translate(ROOT / "notebooks" / e.filename, maps)
            for e in entries
        }
        folder, up = out / ZH, "../"
    titles = {name: notebook_title(nb) for name, nb in notebooks.items()}
    topics = None if lang == "en" else {n: _topic(nb) for n, nb in notebooks.items()}
    stems = set(titles)
    exporter = HTMLExporter(
        template_name="lab",
        extra_template_paths=[str(TEMPLATES)],
        template_file="course.html.j2",
        mathjax_url=up + MATHJAX_URL,  # the exporter sets resources["mathjax_url"]
        language_code=ui["lang"],  # and <html lang>
    )
    folder.mkdir(parents=True, exist_ok=True)
    if lang == "en":
        shutil.copyfile(TEMPLATES / CSS, out / CSS)
        copy_mathjax(out)
    written = [folder / "index.html"]
    written[0].write_text(_index(entries, titles, lang, topics), encoding="utf-8")
    names = [e.name for e in entries]
    for k, name in enumerate(names):
        prev = (names[k - 1], titles[names[k - 1]]) if k > 0 else None
        nxt = (names[k + 1], titles[names[k + 1]]) if k + 1 < len(names) else None
        resources = {
            "mm_nav": _nav(prev, nxt, lang),
            "mm_switch": _switch(page_name(name), lang),
            "mm_css": up + CSS,
            "mm_solution": ui["solution"],
            "mm_mermaid": _has_mermaid(notebooks[name]),
            "metadata": {"name": titles[name]},
        }
        body, _ = exporter.from_notebook_node(notebooks[name], resources=resources)
        page = folder / page_name(name)
        page.write_text(_local_links(body, stems), encoding="utf-8")
        written.append(page)
    return written


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default=str(ROOT / "build" / "site"))
    args = parser.parse_args()
    start = time.perf_counter()
    out = Path(args.out).resolve()
    pages = build_site(out) + build_site(out, lang="zh")
    for page in pages:
        print(f"{str(page.relative_to(out)):45s} {page.stat().st_size / 1024:7.0f} KB")
    mathjax = out / MATHJAX_DIR
    files = sum(1 for p in mathjax.rglob("*") if p.is_file())
    print(f"{MATHJAX_DIR + '/':45s} {_size(mathjax) / 1024:7.0f} KB in {files} files")
    seconds = time.perf_counter() - start
    shown = out.relative_to(ROOT) if out.is_relative_to(ROOT) else out
    print(
        f"site: {len(pages)} pages, {_size(out) / 2**20:.1f} MB "
        f"in {seconds:.1f} s → {shown}"
    )


if __name__ == "__main__":
    main()
