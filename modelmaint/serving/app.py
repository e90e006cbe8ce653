"""The FastAPI app: validated requests in, checked answers out, one log line per row.

Taught in notebook 09.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Sequence
from typing import Annotated, Any

import numpy as np
from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, field_validator

from modelmaint._validation import check_int, check_positive, show
from modelmaint.serving._guards import BadAnswer, BodyLimit, checked_answer
from modelmaint.serving.requestlog import LOG_COLUMNS, RequestLog, request_lines

__all__ = ["MAX_ROWS", "make_app"]

MAX_ROWS = 1000  # rows per request: a bigger batch is a client error (422)
Finite = Annotated[float, Field(allow_inf_nan=False)]
_FLOAT32_MAX = float(np.finfo(np.float32).max)
logger = logging.getLogger("modelmaint.serving")


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


def _feature_names(feature_names: Sequence[str] | None, n_features: int) -> list[str]:
    if feature_names is None:
        return [f"x{i}" for i in range(n_features)]
    if isinstance(feature_names, str):
        raise TypeError(
            f"feature_names must be a sequence of str; got {feature_names!r}"
        )
    names = list(feature_names)
    if (
        len(names) != n_features
        or len(set(names)) != n_features
        or not all(isinstance(n, str) and n for n in names)
    ):
        raise ValueError(
            f"feature_names must be {n_features} distinct non-empty strings; "
            f"got {names!r}"
        )
    taken = sorted(set(names) & set(LOG_COLUMNS))
    if taken:
        raise ValueError(
            f"feature_names must not reuse the log's columns {LOG_COLUMNS}; got {taken}"
        )
    return names


def make_app(
    predict_proba: Callable[[np.ndarray], Any],
    *,
    n_features: int,
    log_path: str | os.PathLike[str] | None = None,
    model_version: str = "1",
    feature_names: Sequence[str] | None = None,
    max_body_bytes: int | None = None,
    log_max_bytes: int = 10 * 2**20,
    log_backups: int = 3,
    sum_tol: float = 1e-6,
) -> FastAPI:
    """A FastAPI app with ``GET /health`` and ``POST /predict``.

    A malformed request gets 422 with the reason (never the input back); a body over
    ``max_body_bytes`` gets 413 before it is parsed. The model's answer is checked
    before it is served: finite, one row per input row, values in [0, 1], rows
    summing to 1 (within ``sum_tol``) when there are >= 2 classes. A model that
    raises or answers anything else gets ``500 {"detail": "model error..."}`` and
    nothing is written to the request log (the reason goes to the
    ``modelmaint.serving`` logger). ``/openapi.json`` is served; the ``/docs`` and
    ``/redoc`` pages are turned off, because they load their scripts from a CDN and
    would be blank offline.

    Parameters
    ----------
    predict_proba : callable
        Maps a float32 array ``(n_rows, n_features)`` to class probabilities
        ``(n_rows, n_classes)`` (a TFLite predictor, scikit-learn's
        ``predict_proba``, ...). The prediction is the column of the largest one.
    n_features : int
        Features per row (>= 1); a row of another length is refused with 422.
    log_path : path, optional
        Append one JSON line per predicted row here (see
        :func:`~modelmaint.serving.read_request_log`). Checked now: a directory or
        a file that cannot be appended to raises ``ValueError``.
    model_version : str, default "1"
        Reported by both endpoints and written to the log.
    feature_names : sequence of str, optional
        Names of the ``n_features`` columns in the log (default ``x0, x1, ...``).
    max_body_bytes : int, optional
        Largest request body accepted. Default: room for ``MAX_ROWS`` rows of
        ``n_features`` numbers at 32 bytes each, and at least 1 MiB.
    log_max_bytes : int, default 10 MiB
        When the log would grow past this, it is renamed ``<log_path>.1``
        (``.1`` to ``.2``, ...) and a new one started.
    log_backups : int, default 3
        Rotated files kept (the oldest is deleted); 0 keeps none.
    sum_tol : float, default 1e-6
        How far from 1 a row of probabilities may sum (float32 softmax: ~5e-7;
        raise it for a quantized model's coarse outputs).

    Returns
    -------
    fastapi.FastAPI
        The app, ready for :func:`~modelmaint.serving.serve_in_background`,
        uvicorn, or FastAPI's ``TestClient`` (no server needed).

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
    >>> wrong = client.post("/predict", json={"instances": [[1.5, 2.5]]})  # p = 2
    >>> wrong.status_code, wrong.json()
    (500, {'detail': 'model error'})
    """
    n_features = check_int(n_features, "n_features", minimum=1)
    if not callable(predict_proba):
        raise ValueError("predict_proba must be callable (rows -> probabilities)")
    if not isinstance(model_version, str):
        raise TypeError(f"model_version must be a str; got {show(model_version)}")
    if not model_version.strip():
        raise ValueError(
            f"model_version must be a non-empty str; got {model_version!r}"
        )
    names = _feature_names(feature_names, n_features)
    if max_body_bytes is None:
        max_body_bytes = max(2**20, 32 * n_features * MAX_ROWS)
    max_body_bytes = check_int(max_body_bytes, "max_body_bytes", minimum=1)
    sum_tol = check_positive(sum_tol, "sum_tol")
    log = (
        None
        if log_path is None
        else RequestLog(log_path, max_bytes=log_max_bytes, backups=log_backups)
    )
    request_model = _request_model(n_features)
    app = FastAPI(
        title="modelmaint model server",
        version=model_version,
        docs_url=None,  # Swagger UI and ReDoc load from a CDN: blank offline
        redoc_url=None,
    )
    app.add_middleware(BodyLimit, max_bytes=max_body_bytes)

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
            answer = predict_proba(x)
        except Exception as exc:  # the model failed, not the client
            logger.error("model error: %s", type(exc).__name__, exc_info=True)
            raise HTTPException(500, f"model error: {type(exc).__name__}") from exc
        latency_ms = (time.perf_counter() - start) * 1000
        try:
            proba = checked_answer(answer, len(x), sum_tol)
        except BadAnswer as exc:  # never serve (or log) a NaN or a wrong shape
            logger.error("model error: %s", exc)
            raise HTTPException(500, "model error") from None
        predictions = proba.argmax(axis=1)
        if log is not None:
            lines = request_lines(
                x, proba, predictions, latency_ms, model_version, names
            )
            try:
                log.append(lines)
            except OSError as exc:
                logger.error("request log error: %s", exc)
                raise HTTPException(500, "request log error") from None
        return {
            "model_version": model_version,
            "predictions": predictions.tolist(),
            "probabilities": proba.tolist(),
        }

    # the request model is built for n_features at run time: annotate it by object
    predict.__annotations__["request"] = request_model
    app.post("/predict")(predict)
    return app
