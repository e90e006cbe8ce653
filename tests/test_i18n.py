"""The Chinese edition (issue 19): every markdown cell translated, kept in sync by key,
math/code/links untouched, one term base, code cells identical, and one Chinese
notebook executed as a smoke test."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from tools import i18n

NOTEBOOKS = i18n.notebooks()
IDS = [p.stem for p in NOTEBOOKS]
GLOSSARY = json.loads((i18n.CATALOG / "_glossary.json").read_text(encoding="utf-8"))
MATH = re.compile(r"\$\$.+?\$\$|\$[^$\n]+?\$", re.S)
CODE = re.compile(r"```.*?```|`[^`]+`", re.S)  # inline code may break a line
TARGET = re.compile(r"\]\(([^)#\s]*)")  # a link's file part (anchors are rewritten)


def _entries(notebook: Path):
    return i18n.load_catalog(notebook).items()


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=IDS)
def test_every_markdown_cell_is_translated(notebook: Path) -> None:
    found = i18n.status(notebook)
    missing = [f"cell {i} ({key[:12]})" for i, key in found["missing"]]
    assert not missing, (
        f"{notebook.name}: {len(missing)} markdown cell(s) without a Chinese "
        f"translation: {', '.join(missing)} - the English changed or is new; run "
        "`python -m tools.i18n extract`, translate the empty 'zh' entries in "
        f"i18n/zh/{notebook.stem}.json, then `python -m tools.i18n extract --prune`"
    )
    assert not found["stale"], (
        f"{notebook.name}: {len(found['stale'])} catalog entries no English cell uses "
        "any more: `python -m tools.i18n extract --prune`"
    )


def _code(text: str) -> list[str]:
    """Inline code and code blocks, a line break inside inline code read as a space."""
    return sorted(
        c if c.startswith("```") else " ".join(c.split()) for c in CODE.findall(text)
    )


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=IDS)
def test_math_code_links_and_headings_are_untouched(notebook: Path) -> None:
    for key, entry in _entries(notebook):
        en, zh = entry["en"], entry["zh"]
        if not zh:
            continue
        where = f"{notebook.stem}, entry {key[:12]}"
        assert sorted(MATH.findall(en)) == sorted(MATH.findall(zh)), f"math: {where}"
        assert _code(en) == _code(zh), f"code: {where}"
        assert sorted(TARGET.findall(en)) == sorted(TARGET.findall(zh)), (
            f"link: {where}"
        )
        heads = [(h, t.split()[0]) for h, t in i18n._HEADING.findall(en)]
        heads_zh = [(h, t.split()[0]) for h, t in i18n._HEADING.findall(zh)]
        numbered = [(h, n) for h, n in heads if re.fullmatch(r"[\d.]+", n)]
        numbered_zh = [(h, n) for h, n in heads_zh if re.fullmatch(r"[\d.]+", n)]
        assert len(heads) == len(heads_zh) and numbered == numbered_zh, f"head: {where}"
        en_rows = [line.count("|") for line in en.splitlines() if line.startswith("|")]
        zh_rows = [line.count("|") for line in zh.splitlines() if line.startswith("|")]
        assert en_rows == zh_rows, f"table: {where}"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=IDS)
def test_glossary_terms_have_one_chinese_form(notebook: Path) -> None:
    wrong = []
    for key, entry in _entries(notebook):
        if not entry["zh"]:
            continue
        prose = CODE.sub("", MATH.sub("", entry["en"])).lower()
        for term, chinese in GLOSSARY["terms"].items():
            if re.search(rf"(?<![\w-]){re.escape(term.lower())}(?![\w-])", prose):
                if chinese not in entry["zh"]:
                    wrong.append(f"{key[:12]}: '{term}' is not '{chinese}'")
    assert not wrong, f"{notebook.stem}: " + "; ".join(wrong[:10])


def test_a_seed_term_that_is_wrong_is_named_with_the_right_one() -> None:
    for seed_term, correct in GLOSSARY["seed_errata"].items():
        right = correct.split("（")[0]
        for notebook in NOTEBOOKS:
            for _, entry in _entries(notebook):
                if seed_term in entry["en"] and entry["zh"]:
                    assert right in entry["zh"], (notebook.stem, seed_term)


def test_the_chinese_edition_keeps_every_code_cell(tmp_path: Path) -> None:
    written = i18n.build(tmp_path)
    assert len(written) == len(NOTEBOOKS)
    for english_path, chinese_path in zip(NOTEBOOKS, written, strict=True):
        english = nbformat.read(english_path, as_version=4)
        chinese = nbformat.read(chinese_path, as_version=4)
        assert len(english.cells) == len(chinese.cells)
        for a, b in zip(english.cells, chinese.cells, strict=True):
            assert a.cell_type == b.cell_type
            if a.cell_type == "code":
                assert a.source == b.source and a.outputs == b.outputs
                assert a.metadata == b.metadata
            elif a.source.strip():
                assert re.search(r"[\u4e00-\u9fff]", b.source), english_path.name


def test_links_point_at_the_chinese_headings(tmp_path: Path) -> None:
    written = {p.stem: p for p in i18n.build(tmp_path)}
    anchors = {}
    for stem, path in written.items():
        text = "\n".join(
            c.source for c in nbformat.read(path, as_version=4).cells
            if c.cell_type == "markdown"
        )  # fmt: skip
        anchors[stem] = {i18n.anchor(t) for _, t in i18n._HEADING.findall(text)}
    broken = []
    for stem, path in written.items():
        for cell in nbformat.read(path, as_version=4).cells:
            for target, fragment in i18n._LINK.findall(cell.source):
                other = target[: -len(".ipynb")] if target else stem
                if other in anchors and fragment not in anchors[other]:
                    broken.append(f"{stem} -> {other}#{fragment}")
    assert not broken, broken[:5]


def test_changing_an_english_cell_makes_the_sync_check_fail(tmp_path: Path) -> None:
    source = NOTEBOOKS[0]
    nb = nbformat.read(source, as_version=4)
    index = next(i for i, c in enumerate(nb.cells) if c.cell_type == "markdown")
    nb.cells[index].source += "\n\nOne new English sentence."
    (tmp_path / "notebooks").mkdir()
    changed = tmp_path / "notebooks" / source.name
    nbformat.write(nb, changed)
    before, after = i18n.status(source), i18n.status(changed)
    newly_missing = {i for i, _ in after["missing"]} - {i for i, _ in before["missing"]}
    old_key = i18n.cell_key(nbformat.read(source, as_version=4).cells[index].source)
    assert newly_missing == {index} or index in {i for i, _ in after["missing"]}
    assert old_key in after["stale"]  # the old English's translation, now unused


def test_one_chinese_notebook_runs_under_nbval(tmp_path: Path) -> None:
    """The code is the English code (checked above), so one run proves the build."""
    (chinese,) = [p for p in i18n.build(tmp_path) if p.stem == "02_control_charts"]
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval-lax", "-q", "-p", "no:cacheprovider",
         str(chinese)],
        cwd=i18n.ROOT / "notebooks", capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-2000:]


def test_the_chinese_student_edition_keeps_the_checks(tmp_path: Path) -> None:
    from tools.make_student import write_edition

    english = write_edition(NOTEBOOKS, tmp_path / "en")
    chinese = write_edition(NOTEBOOKS, tmp_path / "zh", lang="zh")
    assert [p.name for p in english] == [p.name for p in chinese]
    for a_path, b_path in zip(english, chinese, strict=True):
        a = nbformat.read(a_path, as_version=4)
        b = nbformat.read(b_path, as_version=4)
        for x, y in zip(a.cells, b.cells, strict=True):
            assert x.metadata.get("nbgrader") == y.metadata.get("nbgrader"), b_path.name
            if x.cell_type == "code":
                assert x.source == y.source, b_path.name  # stubs and checks alike
        assert any(
            c.cell_type == "markdown" and "你将学会" in c.source for c in b.cells
        )
