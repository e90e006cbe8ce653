"""Shared input checks of the online package (private): a stream's rows and labels.

Every check goes through :mod:`modelmaint._validation` (one door, one message style):
a wrong type raises ``InputTypeError``, a bad value ``ValueError``, and the message
starts with the parameter's name.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from modelmaint._validation import InputTypeError, as_2d, check_frame, show

# Whole-number float labels a float holds exactly (scikit-learn reads them as classes).
_LABEL_LIMIT = 2.0**53
_KIND_TEXT = {
    "c": "complex",
    "M": "datetime",
    "m": "timedelta",
    "S": "bytes",
    "V": "structured",
}


def rows(X: Any, index: np.ndarray) -> Any:
    """Rows ``index`` of a DataFrame or an array."""
    return X.iloc[index] if hasattr(X, "iloc") else np.asarray(X)[index]


def check_rows(X: Any, name: str = "X") -> int:
    """A DataFrame (passed to the model as it is: strings stay strings) or a 2-D
    array of finite real numbers, with at least 1 row; returns the row count."""
    if isinstance(X, pd.DataFrame):
        return len(check_frame(X, name))
    return as_2d(X, name).shape[0]


def _object_labels(arr: np.ndarray, name: str) -> None:
    """An object array's labels: all strings or all numbers, none missing."""
    kinds = set()
    for i, value in enumerate(arr.tolist()):
        if value is None or pd.isna(value):
            raise ValueError(
                f"{name} must not contain missing labels; found {show(value)} "
                f"at index {i}"
            )
        if isinstance(value, str):
            kinds.add("string")
        elif isinstance(value, (int, float)):  # bool is an int: True == 1
            kinds.add("number")
            _whole(np.array([float(value)]), name)
        else:
            raise InputTypeError(
                f"{name} must hold class labels (integers or strings); got "
                f"{show(value)} at index {i}"
            )
        if len(kinds) > 1:
            raise InputTypeError(
                f"{name} must hold labels of one kind (all numbers or all strings); "
                f"got {show(value)} at index {i}"
            )


def _whole(arr: np.ndarray, name: str) -> None:
    """Float labels must be finite whole numbers (0.0, 1.0, 2.0, ...)."""
    bad = ~np.isfinite(arr)
    bad[~bad] = (arr[~bad] != np.round(arr[~bad])) | (np.abs(arr[~bad]) > _LABEL_LIMIT)
    if bad.any():
        raise ValueError(
            f"{name} must hold class labels: integers, whole numbers or strings; "
            f"found {show(arr[bad][0])} ({int(bad.sum())} value(s))"
        )


def check_labels(y: Any, name: str) -> np.ndarray:
    """``y`` as a non-empty 1-D array of class labels (numbers or strings).

    Refused: complex, datetime, timedelta and bytes values, NaN, inf, fractions,
    missing values, and numbers mixed with strings.
    """
    if y is None or isinstance(y, (str, bytes, Mapping, set, frozenset)):
        raise InputTypeError(
            f"{name} must be a 1-D array of class labels; got {show(y)}"
        )
    try:
        arr = np.asarray(y)
    except (TypeError, ValueError) as exc:  # ragged nested sequences
        raise ValueError(f"{name} must be a 1-D array of class labels; {exc}") from None
    if arr.ndim != 1:
        raise ValueError(f"{name} must be 1-D; got shape {arr.shape}")
    if arr.size == 0:
        raise ValueError(f"{name} must have at least 1 label; got 0")
    kind = arr.dtype.kind
    if kind in _KIND_TEXT:
        raise InputTypeError(
            f"{name} must hold class labels (integers or strings); got "
            f"{_KIND_TEXT[kind]} values (dtype {arr.dtype})"
        )
    if kind == "f":
        _whole(arr, name)
    elif kind == "O":
        _object_labels(arr, name)
    return arr


def unknown_labels(y: np.ndarray, classes: np.ndarray) -> list[Any]:
    """Labels of ``y`` that ``classes`` lacks (0 and '0' are different labels)."""
    known = set(classes.tolist())
    return sorted({v for v in np.unique(y).tolist() if v not in known}, key=str)


def check_xy(X: Any, y: Any) -> tuple[Any, np.ndarray]:
    """``X`` (kept as given) and ``y`` as a 1-D array of labels of the same length."""
    n_rows = check_rows(X, "X")
    y = check_labels(y, "y")
    if n_rows != y.size:
        raise ValueError(
            f"X and y must have the same length; got {n_rows} and {y.size}"
        )
    return X, y


def positive_proba(model: Any, X: Any, classes: np.ndarray) -> np.ndarray | None:
    """P(class ``classes[1]``) for a binary problem, or None if not available."""
    if classes.size != 2 or not hasattr(model, "predict_proba"):
        return None
    proba = np.asarray(model.predict_proba(X), dtype=float)
    known = list(getattr(model, "classes_", classes))
    return proba[:, known.index(classes[1])]
