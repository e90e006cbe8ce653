"""`make lab` serves JupyterLab: start it headless on a free port, fetch the index."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
INDEX = "notebooks/00_course_overview.ipynb"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str) -> int:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_jupyter_lab_serves_the_index_notebook(tmp_path: Path) -> None:
    port = _free_port()
    env = dict(
        os.environ, JUPYTER_RUNTIME_DIR=str(tmp_path), JUPYTER_CONFIG_DIR=str(tmp_path)
    )
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            f"--port={port}",
            "--ip=127.0.0.1",
            "--ServerApp.token=",
            "--ServerApp.password=",
            f"--ServerApp.root_dir={ROOT}",
            "--allow-root",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        status = None
        while time.monotonic() < deadline:
            try:
                status = _get(f"{base}/lab/tree/{INDEX}")
                break
            except OSError:
                time.sleep(0.5)
        assert status == 200, status
        assert _get(f"{base}/api/contents/{INDEX}") == 200
        # binder/overrides.json (installed by make and by Binder's postBuild) turns off
        # the "get notified about Jupyter news?" pop-up that covers the first screen
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        url = f"{base}/lab/api/settings/@jupyterlab/apputils-extension:notification"
        with opener.open(url, timeout=10) as response:
            schema = json.load(response)["schema"]  # overrides replace the defaults
        fetch_news = schema["properties"]["fetchNews"]["default"]
        assert fetch_news == "false", fetch_news
    finally:
        server.terminate()
        server.wait(timeout=30)
