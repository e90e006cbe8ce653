"""The loop's shared input checks (private): streams, day numbers, features, charts.

Every check goes through :mod:`modelmaint._validation` (one door, one message style):
a wrong type raises ``InputTypeError``, a bad value ``ValueError``, and the message
starts with the parameter's name (``stream['day']`` for a column of ``stream``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from modelmaint._validation import (
    InputTypeError,
    as_1d,
    as_2d,
    as_names,
    check_fraction,
    check_frame,
    check_one_of,
    check_positive,
    numeric_column,
    show,
)
from modelmaint.monitor import log_loss_per_row

WATCHES = ("calibration", "error")
# Day numbers are whole numbers a float holds exactly (ints and floats compare alike).
_DAY_LIMIT = 2.0**53


def _whole_days(values: np.ndarray, label: str, where: Any) -> None:
    """Refuse NaN, fractions and day numbers beyond +-2**53 in finite ``values``."""
    bad = np.isnan(values)
    bad[~bad] = (values[~bad] != np.round(values[~bad])) | (
        np.abs(values[~bad]) > _DAY_LIMIT
    )
    if bad.any():
        first = int(np.argmax(bad))
        raise ValueError(
            f"{label} must hold whole day numbers (at most 2**53 in size); found "
            f"{show(values[first])} ({int(bad.sum())} value(s), first at "
            f"{where(first)})"
        )


def check_day_column(frame: pd.DataFrame, name: str) -> None:
    """``frame['day']`` holds whole day numbers: no NaN, inf, text, dates or bools."""
    label = f"{name}['day']"
    values = numeric_column(frame, "day", name)
    _whole_days(values, label, lambda i: f"row {show(frame.index[i])}")


def check_stream(
    stream: Any, columns: Sequence[str], name: str = "stream"
) -> pd.DataFrame:
    """A DataFrame with ``columns`` and at least 1 row; its ``day`` column checked."""
    check_frame(stream, name, min_rows=0)
    missing = [c for c in columns if c not in stream.columns]
    if missing:
        raise ValueError(f"{name} lacks the column(s) {missing}")
    check_frame(stream, name)
    if "day" in columns:
        check_day_column(stream, name)
    return stream


def check_features(features: Any, frames: Mapping[str, pd.DataFrame]) -> list[Any]:
    """``features`` as a list of distinct column names found in every frame."""
    features = as_names(features, "features", allow_empty=True)
    if not features:
        raise ValueError("features must name at least 1 column; got []")
    repeated = sorted({f for f in features if features.count(f) > 1}, key=str)
    if repeated:
        raise ValueError(f"features must not repeat a column; got {repeated} twice")
    for name, frame in frames.items():
        missing = [f for f in features if f not in frame.columns]
        if missing:
            raise ValueError(
                f"features must name columns of {name}: {name} lacks the "
                f"column(s) {missing}"
            )
    return features


def as_days(days: Any, name: str = "days", *, increasing: bool = False) -> np.ndarray:
    """A non-empty 1-D sequence of whole day numbers, as int64."""
    if np.asarray(days).dtype.kind == "b":
        raise InputTypeError(f"{name} must hold whole day numbers; got booleans")
    arr = as_1d(days, name)
    _whole_days(arr, name, lambda i: f"index {i}")
    if increasing and arr.size > 1 and not np.all(np.diff(arr) > 0):
        first = int(np.argmax(np.diff(arr) <= 0)) + 1
        raise ValueError(
            f"{name} must be strictly increasing; got {show(arr[first])} after "
            f"{show(arr[first - 1])} at index {first}"
        )
    return arr.astype(np.int64)


def check_chart_params(
    watch: Any, reference_error_rate: Any, tolerance: Any, lam: Any, L: Any
) -> str:
    """The chart's settings (:func:`~modelmaint.loop.label_chart`); returns watch."""
    watch = check_one_of(watch, "watch", WATCHES)
    if reference_error_rate is not None:
        check_fraction(reference_error_rate, "reference_error_rate")
    elif watch == "error":
        raise ValueError('reference_error_rate is needed for watch="error"')
    check_positive(tolerance, "tolerance", allow_zero=True)
    check_fraction(lam, "lam", include_high=True)
    check_positive(L, "L")
    return watch


def check_model_input(X: Any, name: str = "X") -> int:
    """A DataFrame, or a 2-D array of finite real numbers; returns its row count."""
    if isinstance(X, pd.DataFrame):
        return len(check_frame(X, name))
    return as_2d(X, name).shape[0]


def check_binary(y: Any, name: str, n_rows: int, other: str) -> np.ndarray:
    """``y`` as given (an array), after checking it is 0/1 labels, one per row."""
    values = as_1d(y, name)
    if values.size != n_rows:
        raise ValueError(
            f"{name} must have the same length as {other} ({n_rows}); got {values.size}"
        )
    wrong = (values != 0) & (values != 1)
    if wrong.any():
        raise ValueError(
            f"{name} must hold 0/1 labels; found {show(values[wrong][0])} "
            f"({int(wrong.sum())} value(s) not 0 or 1)"
        )
    return np.asarray(y)


def check_targets(y: Any, name: str, n_rows: int, other: str) -> np.ndarray:
    """``y`` as finite numbers (a regressor's targets), one per row."""
    values = as_1d(y, name)
    if values.size != n_rows:
        raise ValueError(
            f"{name} must have the same length as {other} ({n_rows}); got {values.size}"
        )
    return values


def row_losses(
    model: Any, name: str, X: Any, y: np.ndarray, loss: str, costs: Any, weight: Any
) -> np.ndarray:
    """Per-row loss of ``model`` (the parameter ``name``) for the release gate."""
    if loss == "squared_error":
        predicted = np.ravel(np.asarray(model.predict(X), dtype=float))
        if predicted.size != y.size or not np.isfinite(predicted).all():
            raise ValueError(
                f"{name}.predict(X) must give one finite number per row of X; got "
                f"{predicted.size} value(s) for {y.size} rows"
            )
        return (np.asarray(y, dtype=float) - predicted) ** 2
    if loss == "error":
        return (np.asarray(model.predict(X)) != y).astype(float)
    if not hasattr(model, "predict_proba"):
        raise InputTypeError(
            f"{name} needs predict_proba for loss={loss!r}; got {type(model).__name__}"
        )
    p = np.asarray(model.predict_proba(X), dtype=float)[:, 1]
    if loss == "log_loss":
        return log_loss_per_row(y, p)
    return costs.row_costs(y, costs.decide(p), weight)
