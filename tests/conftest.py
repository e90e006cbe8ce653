"""Fixtures shared by more than one test module."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site, English and Chinese, built once for tests/test_site.py and the browser.

    The root conftest's scheduler keeps both modules on one xdist worker, so the build
    (about half a minute) happens once per ``make test``.
    """
    from tools.make_site import build_site
    from tools.outline import read_outline

    out = tmp_path_factory.mktemp("site")
    pages = build_site(out)
    assert [p.name for p in pages] == ["index.html"] + [
        f"{e.name}.html" for e in read_outline()
    ]
    chinese = build_site(out, lang="zh")
    assert [p.relative_to(out).as_posix() for p in chinese] == [
        f"zh/{p.name}" for p in pages
    ]
    return out
