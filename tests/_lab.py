"""A JupyterLab server for the tests: a free local port, no token, no user settings."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def running_lab(root: Path, scratch: Path, ready_path: str) -> Iterator[str]:
    """Serve ``root``; yield the base URL once ``ready_path`` answers; stop after.

    Runtime files, settings and workspaces go to ``scratch``, so this machine's own
    JupyterLab settings play no part (the course's overrides.json in the venv does).
    """
    port = free_port()
    env = dict(
        os.environ,
        JUPYTER_RUNTIME_DIR=str(scratch / "runtime"),
        JUPYTER_CONFIG_DIR=str(scratch / "config"),
        JUPYTERLAB_WORKSPACES_DIR=str(scratch / "workspaces"),
    )
    args = [sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}"]
    args += ["--ip=127.0.0.1", "--ServerApp.token=", "--ServerApp.password="]
    args += [f"--ServerApp.root_dir={root}", "--allow-root"]
    server = subprocess.Popen(
        args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                opener.open(f"{base}/{ready_path}", timeout=5).close()
                break
            except urllib.error.HTTPError:
                break  # it answers; the test looks at the status
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)
