"""Serve a model over HTTP: a FastAPI app, a request log, a background server.

Taught in notebook 09 (seed 004 §3.2, step 3: "implement the model's API"). The app
validates every request before the model sees it — a malformed one gets HTTP 422
with a message naming what is wrong, never a 500; a body over the size limit gets
413 — and checks the model's answer before serving it (finite probabilities, one
row per input row; otherwise 500 ``model error`` and nothing logged). It appends
one JSON line per prediction to a size-rotated log that notebook 03's monitor
reads (:func:`read_request_log`): latency, prediction, confidence and the input
features, ready for ``monitor.latency_stats``, ``monitor.windowed_expected_accuracy``
and drift tests. ``/openapi.json`` describes the API; the Swagger and ReDoc pages
are off (they need a CDN). The background server binds loopback only unless told
otherwise.

Modules: :mod:`~modelmaint.serving.app` (:func:`make_app`),
:mod:`~modelmaint.serving.requestlog` (writing with rotation,
:func:`read_request_log`), :mod:`~modelmaint.serving.server`
(:func:`serve_in_background`, :class:`ServerHandle`), ``_guards`` (the body-size
limit, the check of the model's answer).

``import modelmaint.serving`` is cheap: FastAPI, pydantic and uvicorn are imported when
:func:`make_app` is first used or a server starts.
"""

from typing import Any

from modelmaint.serving.requestlog import read_request_log
from modelmaint.serving.server import ServerHandle, serve_in_background


def __getattr__(name: str) -> Any:  # the app's module imports FastAPI: load it late
    if name in ("MAX_ROWS", "make_app"):
        from modelmaint.serving import app

        return getattr(app, name)
    raise AttributeError(f"module 'modelmaint.serving' has no attribute {name!r}")


__all__ = [
    "MAX_ROWS",
    "ServerHandle",
    "make_app",
    "read_request_log",
    "serve_in_background",
]
