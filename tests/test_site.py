"""`make site`: the index in course order with the README's Binder link and commands,
a page per notebook with its figures, previous/next links styled as links, solutions
folded, no link left to a notebook file, and formulas typeset by the site's own
MathJax (nothing loaded from a CDN: the site reads offline)."""

from __future__ import annotations

import html
import re
from pathlib import Path

import nbformat
import pytest

from tools.make_site import (
    MATHJAX_URL,
    readme_binder_url,
    readme_commands,
)
from tools.outline import read_outline

ROOT = Path(__file__).resolve().parents[1]
ENTRIES = [e for e in read_outline() if (ROOT / "notebooks" / e.filename).exists()]
DETAILS = re.compile(r'<details class="mm-solution">.*?</details>', flags=re.S)
TAG = re.compile(r"<[^>]+>")
SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", flags=re.S | re.I)
README = (ROOT / "README.md").read_text(encoding="utf-8")


def text(fragment: str) -> str:
    """What a reader sees: tags (syntax-highlighting spans too) stripped, unescaped."""
    return html.unescape(TAG.sub("", fragment))


def test_index_lists_the_outline_in_order(site: Path) -> None:
    index = (site / "index.html").read_text()
    links = re.findall(r'<td><a href="([^"]+\.html)"', index)
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


def pages(site: Path) -> list[Path]:
    return [site / "index.html"] + [site / f"{e.name}.html" for e in ENTRIES]


def css_rules(css: str) -> dict[str, str]:
    """``selector -> declarations`` of a flat stylesheet (comments dropped)."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    rules: dict[str, str] = {}
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        for selector in selectors.split(","):
            rules[" ".join(selector.split())] = " ".join(body.split())
    return rules


def test_no_script_comes_from_the_network(site: Path) -> None:
    for page in pages(site):
        for attrs, body in SCRIPT.findall(page.read_text()):
            src = re.search(r'src="([^"]*)"', attrs)
            if src:
                url = src.group(1)
                assert "//" not in url and "cdn" not in url, (page.name, url)
                assert (site / url.split("?")[0]).is_file(), (page.name, url)
            assert not re.search(r"import\(\s*[\"']https?:", body), page.name


@pytest.mark.parametrize("entry", ENTRIES, ids=[e.number for e in ENTRIES])
def test_each_page_loads_the_local_mathjax(site: Path, entry) -> None:
    page = (site / f"{entry.name}.html").read_text()
    sources = re.findall(r'<script\b[^>]*\bsrc="([^"]*)"', page)
    assert sources == [html.escape(MATHJAX_URL)], sources
    assert 'webFont: "STIX-Web"' in page  # the only web font the copy has
    assert 'href="course.css"' in page


def test_the_mathjax_copy_is_complete_and_small(site: Path) -> None:
    mathjax = site / "mathjax"
    script, query = MATHJAX_URL.split("?config=")
    assert (site / script).is_file()
    for config in query.split(","):  # the combined configuration, then Safe
        assert (mathjax / "config" / f"{config}.js").is_file(), config
    for needed in [
        "extensions/Safe.js",
        "extensions/TeX/AMSmath.js",
        "extensions/TeX/cancel.js",  # loaded when a formula uses it
        "jax/input/TeX/config.js",
        "jax/element/mml/optable/BasicLatin.js",
        "jax/output/HTML-CSS/fonts/STIX-Web/fontdata.js",
        "jax/output/HTML-CSS/fonts/STIX-Web/Main/Regular/Main.js",
        "fonts/HTML-CSS/STIX-Web/woff/STIXMathJax_Main-Regular.woff",
        "LICENSE",
    ]:
        assert (mathjax / needed).is_file(), needed
    assert not (mathjax / "jax" / "output" / "SVG").exists()  # one renderer only
    assert not (mathjax / "extensions" / "a11y").exists()
    size = sum(p.stat().st_size for p in mathjax.rglob("*") if p.is_file())
    assert 1_000_000 < size < 3_000_000, size  # ~2 MB of the package's 10 MB


def test_index_shows_binder_and_the_two_commands(site: Path) -> None:
    index = (site / "index.html").read_text()
    badge = re.search(r"\]\((https://mybinder\.org/v2/[^)\s]+)\)", README)
    assert badge, "README.md lost its Binder badge"
    assert f'href="{html.escape(badge.group(1))}"' in index
    blocks = [text(b) for b in re.findall(r"<pre>(.*?)</pre>", index, flags=re.S)]
    starts = ("make lab", "make test")
    english = README.split("## 中文版")[0]  # the Chinese section has its own two
    commands = [line for line in english.splitlines() if line.startswith(starts)]
    assert len(commands) == 2, commands
    assert any(all(c in b for c in commands) for b in blocks), blocks


def test_readme_parsers_refuse_a_readme_without_them() -> None:
    assert readme_binder_url(README).startswith("https://mybinder.org/")
    assert "make lab" in readme_commands(README)
    with pytest.raises(ValueError, match="Binder"):
        readme_binder_url("# t\n\nno badge")
    with pytest.raises(ValueError, match="Two commands"):
        readme_commands("# t\n\n## Two commands\n\nno code block\n")


def test_the_course_css(site: Path) -> None:
    rules = css_rules((site / "course.css").read_text())
    link = rules[".mm-nav a"]
    assert "text-decoration: underline" in link and "border:" in link, link
    assert "color:" in rules[".mm-nav a:visited"]
    assert "background:" in rules[".mm-nav a:hover"]
    fonts = rules[":root"].split("--mm-font:")[1].split(";")[0]
    for family in ["system-ui", '"Noto Sans CJK SC"', '"Microsoft YaHei"']:
        assert family in fonts, family
    assert fonts.strip().endswith("sans-serif"), fonts
    assert "--jp-content-font-family: var(--mm-font)" in rules[":root"]
    assert 'href="course.css"' in (site / "index.html").read_text()


def test_every_page_links_the_same_page_in_the_other_language(site: Path) -> None:
    for page in pages(site):
        english = page.read_text()
        chinese = (site / "zh" / page.name).read_text()
        assert f'<p class="mm-lang"><a href="zh/{page.name}"' in english, page.name
        assert f'<p class="mm-lang"><a href="../{page.name}"' in chinese, page.name
        assert '<html lang="zh"' in chinese and '<html lang="en"' in english


def test_the_chinese_edition_is_translated_and_keeps_the_code(site: Path) -> None:
    index = (site / "zh" / "index.html").read_text()
    links = re.findall(r'<td><a href="([^"]+\.html)"', index)
    assert links == [f"{e.name}.html" for e in ENTRIES]  # the same order
    assert "课程大纲" in index and "lab/tree/build/zh/00_course_overview" in index
    english = (site / "07_pruning.html").read_text()
    chinese = (site / "zh" / "07_pruning.html").read_text()
    assert "<h1" in chinese and "07 · 剪枝" in text(chinese)
    code = re.compile(r'<div class="highlight hl-ipython3">.*?</pre>', flags=re.S)
    assert code.findall(chinese) == code.findall(english) != []  # same code cells
    assert 'href="../course.css"' in chinese and "../mathjax/MathJax.js" in chinese
    assert "答案" in text("".join(DETAILS.findall(chinese)))  # folds say it in Chinese
