"""The suite needs no network: connections out are refused, kernel downloads fail."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap

import pytest
from pytest_socket import SocketConnectBlockedError


@pytest.mark.filterwarnings("ignore:A test tried to use socket")
def test_connection_to_the_internet_is_refused() -> None:
    with pytest.raises(SocketConnectBlockedError):
        socket.create_connection(("93.184.215.14", 80), timeout=2)


def test_loopback_stays_allowed() -> None:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    client = socket.create_connection(server.getsockname(), timeout=2)
    client.close()
    server.close()


def test_a_notebook_kernel_cannot_download() -> None:
    """Kernels inherit the dead proxies set in conftest.py: urllib fails at once."""
    code = textwrap.dedent(
        """
        import urllib.request
        try:
            urllib.request.urlopen("http://example.com/data.csv", timeout=5)
        except OSError as exc:
            print("refused:", type(exc).__name__)
        else:
            print("downloaded")
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=os.environ,
        timeout=60,
    )
    assert out.stdout.startswith("refused"), out.stdout + out.stderr
