"""The app's two guards: a request-body size limit and a check of the model's answer."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class _BodyTooLarge(HTTPException):
    """Raised from ``receive`` once a streamed body passes the limit.

    An ``HTTPException``: FastAPI re-raises those while reading a body and its
    exception middleware answers them, so the client gets the 413.
    """

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"request body larger than {limit} bytes")


class BodyLimit:
    """ASGI middleware: refuse a request body over ``max_bytes`` with HTTP 413.

    Checked twice: from ``Content-Length`` before any byte is read, and while the
    body streams in (a chunked body has no ``Content-Length``, and a client may lie),
    so at most ``max_bytes`` plus one chunk is ever held in memory. Works with any
    FastAPI version (the built-in ``max_body_size`` exists only in recent ones).
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def _refuse(self, send: Send) -> None:
        body = json.dumps(
            {"detail": f"request body larger than {self.max_bytes} bytes"}
        ).encode()
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"connection", b"close"),
        ]
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(send)
            return
        seen = 0
        over = started = replaced = False

        async def limited_receive() -> Message:
            nonlocal seen, over
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    over = True
                    raise _BodyTooLarge(self.max_bytes)
            return message

        async def guarded_send(message: Message) -> None:
            # whatever the app makes of the cut-off body, the client gets the 413
            nonlocal started, replaced
            if message["type"] == "http.response.start":
                started = True
                if over:
                    replaced = True
                    await self._refuse(send)
                    return
            if not replaced:
                await send(message)

        try:
            await self.app(scope, limited_receive, guarded_send)
        except _BodyTooLarge:
            if started:
                raise
            await self._refuse(send)


class BadAnswer(ValueError):
    """The model answered something that cannot be served (the reason is the text)."""


def checked_answer(proba: Any, n_rows: int, sum_tol: float) -> np.ndarray:
    """The model's answer as a float array, or :class:`BadAnswer` saying what is wrong.

    It must be finite numbers of shape ``(n_rows, k)``, each in [0, 1], and for
    ``k >= 2`` every row must sum to 1 within ``sum_tol`` (class probabilities).
    """
    try:
        arr = np.asarray(proba, dtype=float)
    except (TypeError, ValueError) as exc:
        raise BadAnswer(f"the answer is not numeric ({type(exc).__name__})") from exc
    if arr.ndim != 2 or arr.shape[0] != n_rows or arr.shape[1] < 1:
        raise BadAnswer(f"the answer has shape {arr.shape}; need ({n_rows}, k >= 1)")
    if not np.isfinite(arr).all():
        raise BadAnswer(f"the answer has {int((~np.isfinite(arr)).sum())} NaN or inf")
    outside = int(((arr < 0) | (arr > 1)).sum())
    if outside:
        raise BadAnswer(f"the answer has {outside} value(s) outside [0, 1]")
    worst = float(np.abs(arr.sum(axis=1) - 1).max())
    if arr.shape[1] >= 2 and worst > sum_tol:
        raise BadAnswer(f"a row sums to 1 +- {worst:.3g}; allowed {sum_tol:g}")
    return arr
