"""What a learner sees: the course in a real browser (headless Chromium via Playwright).

JupyterLab serves a copy of notebook 00; Chromium opens it and we check what a person
would: the title is rendered, a figure is on screen, the tab is not marked modified
(nothing was rewritten on opening) and no pop-up covers the page. Then one page of
the static site (``make site``) is opened the same way. Screenshots go to
``build/browser/``.

Playwright's own browser download needs the internet, so the test drives the system's
Chromium (Debian: ``apt-get install chromium``; ``.ci/run`` installs it). Without one it
is skipped on a user's machine, and fails under ``CI=true``.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests._lab import running_lab

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "build" / "browser"
NOTEBOOK = "00_course_overview.ipynb"
CANDIDATES = ("/usr/lib/chromium/chromium", "chromium", "chromium-browser", "chrome")
TOASTS = ".Toastify__toast, .jp-Notification-Toast, .jp-Dialog"


def chromium() -> str | None:
    """The system Chromium: $MODELMAINT_CHROMIUM, Debian's binary, or one on PATH."""
    for name in (os.environ.get("MODELMAINT_CHROMIUM"), *CANDIDATES):
        if name and (found := shutil.which(name)):
            return found
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    exe = chromium()
    if exe is None:
        reason = "no Chromium installed (Debian/Ubuntu: sudo apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"the browser check must run under CI: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=exe, args=["--no-sandbox", "--no-proxy-server"]
        )
        yield browser
        browser.close()


@pytest.fixture
def lab(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """JupyterLab serving a copy of notebook 00 (opening it may change the copy)."""
    (tmp_path / "notebooks").mkdir()
    copy = tmp_path / "notebooks" / NOTEBOOK
    shutil.copy(ROOT / "notebooks" / NOTEBOOK, copy)
    url_path = f"lab/tree/notebooks/{NOTEBOOK}"
    with running_lab(tmp_path, tmp_path / "scratch", url_path) as base:
        yield f"{base}/{url_path}", copy


def test_jupyterlab_shows_the_first_notebook_clean(browser, lab) -> None:
    url, copy = lab
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    page.goto(url)
    title = page.locator(".jp-RenderedMarkdown h1").first
    title.wait_for(state="visible", timeout=60_000)
    assert title.inner_text().startswith("00 · Course overview")
    figure = page.locator(".jp-OutputArea-output img").first
    figure.wait_for(state="visible", timeout=30_000)
    width, height = figure.evaluate(
        "e => [e.naturalWidth, e.getBoundingClientRect().height]"
    )
    assert width > 300 and height > 200, (width, height)  # decoded and laid out
    # the kernel starts and JupyterLab writes its language_info: nothing may change
    page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").first.wait_for(
        timeout=60_000
    )
    page.wait_for_timeout(3_000)  # the news pop-up, if enabled, shows within ~2 s
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / "jupyterlab_00_title.png")
    figure.scroll_into_view_if_needed()
    page.screenshot(path=SHOTS / "jupyterlab_00_figure.png")
    toasts = page.locator(TOASTS).all_inner_texts()
    assert not toasts, f"a pop-up covers the notebook: {toasts}"
    dirty = page.locator(".lm-TabBar-tab.jp-mod-dirty").count()
    if dirty:
        page.keyboard.press("Control+s")  # save the copy to see what changed
        page.wait_for_timeout(2_000)
        stored = json.loads((ROOT / "notebooks" / NOTEBOOK).read_text())["metadata"]
        written = json.loads(copy.read_text())["metadata"]
        pytest.fail(
            "opening the notebook marked it modified; metadata stored "
            f"{stored} vs written {written} (this Python: {platform.python_version()}; "
            "`make notebooks` stores what the kernel reports)"
        )
    page.close()


def test_a_site_page_renders(browser, tmp_path: Path) -> None:
    from tools.make_site import build_site

    build_site(tmp_path)
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    # offline as a reader without a network: only the local files load
    page.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith("file:")
            else route.abort()
        ),
    )
    page.goto((tmp_path / "07_pruning.html").as_uri(), wait_until="domcontentloaded")
    heading = page.locator("h1").first
    assert heading.inner_text().startswith("07 · Pruning")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / "site_07_top.png")
    figure = page.locator(".jp-OutputArea-output img").first
    figure.scroll_into_view_if_needed()
    width = figure.evaluate("e => e.complete ? e.naturalWidth : 0")
    assert width > 300, width  # the embedded PNG decoded
    solution = page.locator("details.mm-solution").first
    assert solution.evaluate("e => e.open") is False  # folded until the reader opens it
    assert not solution.locator(".jp-InputArea").is_visible()
    assert page.locator("nav.mm-nav a", has_text="08 · Quantization").first.is_visible()
    page.screenshot(path=SHOTS / "site_07_figure.png")
    page.close()
