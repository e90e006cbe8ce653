"""Serve a model over HTTP: a FastAPI app, a request log, a background server.

Taught in notebook 09 (seed 004 §3.2, step 3: "implement the model's API"). The app
validates every request before the model sees it — a malformed one gets HTTP 422
with a message naming what is wrong, never a 500 — and appends one JSON line per
prediction to a log that notebook 03's monitor reads (:func:`read_request_log`):
latency, prediction, confidence and the input features, ready for
``monitor.latency_stats``, ``monitor.windowed_expected_accuracy`` and drift tests.

Import it as ``from modelmaint import serving`` (FastAPI is imported with it).
"""

from __future__ import annotations

import json
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import pandas as pd
import uvicorn
from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, field_validator

from modelmaint._validation import check_int

__all__ = [
    "MAX_ROWS",
    "ServerHandle",
    "make_app",
    "read_request_log",
    "serve_in_background",
]

MAX_ROWS = 1000  # rows per request: a bigger batch is a client error (422)
Finite = Annotated[float, Field(allow_inf_nan=False)]
_FLOAT32_MAX = float(np.finfo(np.float32).max)


def _request_model(n_features: int) -> type[BaseModel]:
    class PredictRequest(BaseModel):
        """``{"instances": [[x_1, ..., x_n], ...]}``: finite numbers, n per row."""

        model_config = ConfigDict(extra="forbid", strict=True)
        instances: list[list[Finite]] = Field(min_length=1, max_length=MAX_ROWS)

        @field_validator("instances")
        @classmethod
        def _width(cls, rows: list[list[float]]) -> list[list[float]]:
            for i, row in enumerate(rows):
                if len(row) != n_features:
                    raise ValueError(
                        f"row {i} has {len(row)} features; the model needs {n_features}"
                    )
                big = [j for j, v in enumerate(row) if abs(v) > _FLOAT32_MAX]
                if big:  # finite in Python, infinite once cast to the model's float32
                    raise ValueError(
                        f"row {i} feature {big[0]} is too large for float32"
                    )
            return rows

    return PredictRequest


def make_app(
    predict_proba: Callable[[np.ndarray], Any],
    *,
    n_features: int,
    log_path: str | os.PathLike[str] | None = None,
    model_version: str = "1",
    feature_names: Sequence[str] | None = None,
) -> FastAPI:
    """A FastAPI app with ``GET /health`` and ``POST /predict``.

    Parameters
    ----------
    predict_proba : callable
        Maps a float32 array ``(n_rows, n_features)`` to class probabilities
        ``(n_rows, n_classes)`` (a TFLite predictor, scikit-learn's
        ``predict_proba``, ...).
    n_features : int
        Features per row (>= 1); a row of another length is refused with 422.
    log_path : path, optional
        Append one JSON line per predicted row here (see :func:`read_request_log`).
    model_version : str, default "1"
        Reported by both endpoints and written to the log.
    feature_names : sequence of str, optional
        Names of the ``n_features`` columns in the log (default ``x0, x1, ...``).

    Examples
    --------
    >>> from fastapi.testclient import TestClient
    >>> def proba(x):
    ...     return np.column_stack([1 - x.mean(axis=1), x.mean(axis=1)])
    >>> client = TestClient(make_app(proba, n_features=2))
    >>> client.post("/predict", json={"instances": [[0.9, 0.7]]}).json()["predictions"]
    [1]
    >>> bad = client.post("/predict", json={"instances": [[0.9]]})
    >>> bad.status_code, "row 0 has 1 features" in bad.text
    (422, True)
    """
    n_features = check_int(n_features, "n_features", minimum=1)
    if not callable(predict_proba):
        raise ValueError("predict_proba must be callable (rows -> probabilities)")
    names = (
        [f"x{i}" for i in range(n_features)]
        if feature_names is None
        else list(feature_names)
    )
    if len(names) != n_features or len(set(names)) != n_features:
        raise ValueError(
            f"feature_names must be {n_features} distinct names; got {names!r}"
        )
    log = Path(log_path) if log_path is not None else None
    if log is not None and not log.parent.is_dir():
        raise ValueError(f"log_path: folder {str(log.parent)!r} does not exist")
    lock = threading.Lock()
    request_model = _request_model(n_features)
    app = FastAPI(title="modelmaint model server", version=model_version)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        # FastAPI's default echoes the input back; a NaN in it cannot be written as
        # JSON and the 422 became a 500. Say where and what, without the input.
        detail = [
            {"loc": list(e["loc"]), "type": e["type"], "msg": e["msg"]}
            for e in exc.errors()
        ]
        return JSONResponse(status_code=422, content={"detail": detail})

    @app.get("/health")
    def health() -> dict[str, str]:
        return {"status": "ok", "model_version": model_version}

    def predict(request: Any) -> dict[str, Any]:
        x = np.asarray(request.instances, dtype=np.float32)
        start = time.perf_counter()
        try:
            proba = np.asarray(predict_proba(x), dtype=float)
        except Exception as exc:  # the model failed, not the client
            raise HTTPException(500, f"model error: {type(exc).__name__}") from exc
        latency_ms = (time.perf_counter() - start) * 1000
        predictions = proba.argmax(axis=1)
        if log is not None:
            _append(log, lock, x, proba, predictions, latency_ms, model_version, names)
        return {
            "model_version": model_version,
            "predictions": predictions.tolist(),
            "probabilities": proba.tolist(),
        }

    # the request model is built for n_features at run time: annotate it by object
    predict.__annotations__["request"] = request_model
    app.post("/predict")(predict)
    return app


def _append(
    log: Path,
    lock: threading.Lock,
    x: np.ndarray,
    proba: np.ndarray,
    predictions: np.ndarray,
    latency_ms: float,
    model_version: str,
    names: list[str],
) -> None:
    now = datetime.now(UTC).isoformat()
    request_id = uuid.uuid4().hex
    lines = [
        json.dumps(
            {
                "time": now,
                "request_id": request_id,
                "row": i,
                "model_version": model_version,
                "latency_ms": latency_ms,
                "batch_size": len(x),
                "prediction": int(predictions[i]),
                "probability": float(proba[i, predictions[i]]),
                "features": dict(zip(names, map(float, x[i]), strict=True)),
            }
        )
        for i in range(len(x))
    ]
    with (
        lock,
        log.open("a", encoding="utf-8") as fh,
    ):  # whole requests, never interleaved
        fh.write("\n".join(lines) + "\n")
        fh.flush()


def read_request_log(path: str | os.PathLike[str]) -> pd.DataFrame:
    """The request log as a table: one row per prediction, features as columns.

    Columns: ``time`` (UTC), ``request_id``, ``row``, ``model_version``,
    ``latency_ms`` (of the whole request), ``batch_size``, ``prediction``,
    ``probability`` (of the predicted class), then one column per feature.

    Examples
    --------
    >>> import tempfile
    >>> from fastapi.testclient import TestClient
    >>> from modelmaint.monitor import latency_stats
    >>> log = Path(tempfile.mkdtemp()) / "requests.jsonl"
    >>> app = make_app(lambda x: np.full((len(x), 2), 0.5), n_features=1, log_path=log)
    >>> client = TestClient(app)
    >>> for rows in ([[1.0]], [[2.0], [3.0]]):
    ...     _ = client.post("/predict", json={"instances": rows})
    >>> table = read_request_log(log)
    >>> table[["row", "batch_size", "x0"]].values.tolist()
    [[0.0, 1.0, 1.0], [0.0, 2.0, 2.0], [1.0, 2.0, 3.0]]
    >>> per_request = table.groupby("request_id", sort=False)["latency_ms"].first()
    >>> latency_stats(per_request).n_calls
    2
    """
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"path: no request log at {str(path)!r}")
    records = [
        json.loads(line) for line in path.read_text("utf-8").splitlines() if line
    ]
    if not records:
        raise ValueError(f"path: the request log {str(path)!r} is empty")
    table = pd.DataFrame(records)
    features = pd.DataFrame(table.pop("features").tolist(), index=table.index)
    table["time"] = pd.to_datetime(table["time"], utc=True, format="ISO8601")
    return pd.concat([table, features], axis=1)


@dataclass(frozen=True)
class ServerHandle:
    """A uvicorn server running in a background thread; ``stop()`` ends it."""

    url: str
    port: int
    server: Any = field(repr=False)
    thread: threading.Thread = field(repr=False)

    def stop(self, timeout: float = 5.0) -> None:
        """Ask uvicorn to exit, wait for the thread, check the port is closed."""
        self.server.should_exit = True
        self.thread.join(timeout)
        if self.thread.is_alive():
            raise RuntimeError(f"the server thread did not stop within {timeout} s")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                raise RuntimeError(f"port {self.port} still accepts connections")

    def __enter__(self) -> ServerHandle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def serve_in_background(
    app: FastAPI, *, host: str = "127.0.0.1", port: int = 0, timeout: float = 10.0
) -> ServerHandle:
    """Start ``app`` with uvicorn in a daemon thread; return when it accepts requests.

    ``port=0`` lets the operating system choose a free port (read back from the
    socket). Works inside Jupyter: the server runs its own event loop in its own
    thread, and uvicorn installs no signal handlers outside the main thread.
    """
    port = check_int(port, "port", minimum=0)
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
    return ServerHandle(
        url=f"http://{host}:{bound}", port=bound, server=server, thread=thread
    )
