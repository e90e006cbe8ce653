"""Shared input checks of the online package (private)."""

from __future__ import annotations

from typing import Any

import numpy as np


def rows(X: Any, index: np.ndarray) -> Any:
    """Rows ``index`` of a DataFrame or an array."""
    return X.iloc[index] if hasattr(X, "iloc") else np.asarray(X)[index]


def check_xy(X: Any, y: Any) -> tuple[Any, np.ndarray]:
    """``X`` (kept as given) and ``y`` as a 1-D array of the same length."""
    if not hasattr(X, "__len__") or isinstance(X, str):
        raise TypeError(f"X must be an array or a DataFrame; got {type(X).__name__}")
    y = np.asarray(y)
    if y.ndim != 1:
        raise ValueError(f"y must be 1-D; got shape {y.shape}")
    if len(X) != y.size:
        raise ValueError(
            f"X and y must have the same length; got {len(X)} and {y.size}"
        )
    if y.size == 0:
        raise ValueError("X must have at least 1 row; got 0")
    if y.dtype.kind == "f" and not np.isfinite(y).all():
        raise ValueError("y must contain only finite values; found NaN or inf")
    return X, y


def positive_proba(model: Any, X: Any, classes: np.ndarray) -> np.ndarray | None:
    """P(class ``classes[1]``) for a binary problem, or None if not available."""
    if classes.size != 2 or not hasattr(model, "predict_proba"):
        return None
    proba = np.asarray(model.predict_proba(X), dtype=float)
    known = list(getattr(model, "classes_", classes))
    return proba[:, known.index(classes[1])]
