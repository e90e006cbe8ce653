"""`make lab` serves JupyterLab: start it headless on a free port, fetch the index."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path

from tests._lab import running_lab

ROOT = Path(__file__).resolve().parents[1]
INDEX = "notebooks/00_course_overview.ipynb"


def _get(url: str) -> int:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_jupyter_lab_serves_the_index_notebook(tmp_path: Path) -> None:
    with running_lab(ROOT, tmp_path, f"lab/tree/{INDEX}") as base:
        assert _get(f"{base}/lab/tree/{INDEX}") == 200
        assert _get(f"{base}/api/contents/{INDEX}") == 200
        # binder/overrides.json (installed by make and by Binder's postBuild) turns off
        # the "get notified about Jupyter news?" pop-up that covers the first screen
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        url = f"{base}/lab/api/settings/@jupyterlab/apputils-extension:notification"
        with opener.open(url, timeout=10) as response:
            schema = json.load(response)["schema"]  # overrides replace the defaults
        fetch_news = schema["properties"]["fetchNews"]["default"]
        assert fetch_news == "false", fetch_news
