"""A uvicorn server in a background thread (works in Jupyter), loopback by default.

Taught in notebook 09.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # FastAPI and uvicorn are imported when a server starts
    from fastapi import FastAPI

from modelmaint._validation import check_int, check_positive, show

__all__ = ["ServerHandle", "serve_in_background"]


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host.lower() == "localhost"


def _check_host(host: Any, allow_remote: Any) -> str:
    if not isinstance(allow_remote, bool):
        raise TypeError(f"allow_remote must be True or False; got {show(allow_remote)}")
    if not isinstance(host, str):
        raise TypeError(f"host must be a non-empty string; got {show(host)}")
    if not host.strip():
        raise ValueError(
            f"host must be a non-empty string such as '127.0.0.1'; got {show(host)}"
        )
    if not allow_remote and not _is_loopback(host):
        raise ValueError(
            "host must be a loopback address (127.0.0.1, ::1, localhost) unless "
            f"allow_remote=True; got {host!r}"
        )
    return host


def _probe_address(host: str) -> str:
    """Where to knock to see whether a server bound to ``host`` still listens."""
    return {"0.0.0.0": "127.0.0.1", "::": "::1"}.get(host, host)


@dataclass(frozen=True)
class ServerHandle:
    """A uvicorn server running in a background thread; ``stop()`` ends it.

    Made by :func:`serve_in_background`; a context manager that stops the server on
    exit.

    Parameters
    ----------
    url : str
        Where the server answers, e.g. ``"http://127.0.0.1:54321"``.
    port : int
        The port it is bound to (chosen by the operating system for ``port=0``).
    server : uvicorn.Server
        The server object (``should_exit`` asks it to stop).
    thread : threading.Thread
        The daemon thread it runs in.
    host : str, default "127.0.0.1"
        The address it is bound to.

    Examples
    --------
    >>> from fastapi import FastAPI
    >>> with serve_in_background(FastAPI()) as server:
    ...     server.url.startswith("http://127.0.0.1:")
    True
    >>> server.thread.is_alive()
    False
    """

    url: str
    port: int
    server: Any = field(repr=False)
    thread: threading.Thread = field(repr=False)
    host: str = "127.0.0.1"

    def stop(self, timeout: float = 5.0) -> None:
        """Ask uvicorn to exit, wait for the thread, check the port is closed.

        Parameters
        ----------
        timeout : float, default 5.0
            Seconds to wait for the thread to end (> 0).

        Raises
        ------
        RuntimeError
            If the thread is still alive after ``timeout`` seconds, or the port
            still accepts connections.

        Examples
        --------
        A handle whose thread has ended (here a stand-in for uvicorn's server, so
        that no server starts): ``stop`` sets ``should_exit`` and finds the port
        closed.

        >>> from types import SimpleNamespace
        >>> with socket.socket() as sock:  # a free port: nothing listens on it
        ...     sock.bind(("127.0.0.1", 0))
        ...     port = sock.getsockname()[1]
        >>> ended = threading.Thread(target=lambda: None)
        >>> ended.start()
        >>> stub = SimpleNamespace(should_exit=False)
        >>> handle = ServerHandle(f"http://127.0.0.1:{port}", port, stub, ended)
        >>> handle.stop(timeout=1.0)
        >>> stub.should_exit
        True
        >>> handle.stop(timeout=0)
        Traceback (most recent call last):
        ...
        ValueError: timeout must be > 0; got 0
        """
        timeout = check_positive(timeout, "timeout")
        self.server.should_exit = True
        self.thread.join(timeout)
        if self.thread.is_alive():
            raise RuntimeError(f"the server thread did not stop within {timeout} s")
        try:
            with socket.create_connection((_probe_address(self.host), self.port), 1):
                pass
        except OSError:
            return
        raise RuntimeError(f"port {self.port} still accepts connections")

    def __enter__(self) -> ServerHandle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def serve_in_background(
    app: FastAPI,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    timeout: float = 10.0,
    allow_remote: bool = False,
) -> ServerHandle:
    """Start ``app`` with uvicorn in a daemon thread; return when it accepts requests.

    ``port=0`` lets the operating system choose a free port (read back from the
    socket). Works inside Jupyter: the server runs its own event loop in its own
    thread, and uvicorn installs no signal handlers outside the main thread.

    ``host`` must be a loopback address (``127.0.0.1``, ``::1``, ``localhost``):
    the app has no authentication. Binding any other address (``0.0.0.0`` is every
    interface) needs ``allow_remote=True``.

    Parameters
    ----------
    app : fastapi.FastAPI
        The app to serve, e.g. from :func:`~modelmaint.serving.make_app`.
    host : str, default "127.0.0.1"
        The address to bind: a loopback one unless ``allow_remote=True``.
    port : int, default 0
        The port, in [0, 65535]; 0 lets the operating system choose a free one.
    timeout : float, default 10.0
        Seconds to wait for the server to accept requests (> 0).
    allow_remote : bool, default False
        Allow a ``host`` other than loopback (the app has no authentication).

    Returns
    -------
    ServerHandle
        The running server: its ``url``, ``port``, and ``stop()``.

    Raises
    ------
    RuntimeError
        If the server did not start within ``timeout`` seconds (e.g. the port is
        taken).

    Examples
    --------
    >>> import httpx
    >>> from fastapi import FastAPI
    >>> app = FastAPI()
    >>> _ = app.get("/ping")(lambda: "pong")
    >>> server = serve_in_background(app)
    >>> httpx.get(server.url + "/ping", trust_env=False).json()
    'pong'
    >>> server.stop()
    >>> serve_in_background(app, host="0.0.0.0")
    Traceback (most recent call last):
    ...
    ValueError: host must be a loopback address (127.0.0.1, ::1, localhost) unless \
allow_remote=True; got '0.0.0.0'
    """
    host = _check_host(host, allow_remote)
    port = check_int(port, "port", minimum=0)
    if port > 65535:
        raise ValueError(f"port must be an integer in [0, 65535]; got {port}")
    timeout = check_positive(timeout, "timeout")
    import uvicorn

    server = uvicorn.Server(
        uvicorn.Config(app, host=host, port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, name="modelmaint-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            raise RuntimeError(f"the server did not start on {host}:{port}")
        time.sleep(0.01)
    bound = server.servers[0].sockets[0].getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    return ServerHandle(
        url=f"http://{shown}:{bound}",
        port=bound,
        server=server,
        thread=thread,
        host=host,
    )
