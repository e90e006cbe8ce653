"""Quality of a binary classifier over a stream: accuracy, precision, recall, F1.

Taught in notebook 03 (seed 001 §3.1, §4.1): the metrics a monitor computes per window
of labelled predictions (or per day), so that a drop shows up when it happens.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from modelmaint._validation import as_1d, check_int

__all__ = ["windowed_metrics"]


def _as_binary(x: Any, name: str) -> np.ndarray:
    arr = as_1d(x, name)
    bad = ~np.isin(arr, (0.0, 1.0))
    if bad.any():
        raise ValueError(
            f"{name} must hold binary labels 0/1; found {float(arr[bad][0])!r} "
            f"({int(bad.sum())} value(s) not 0 or 1)"
        )
    return arr.astype(np.int8)


def _binary_scores(y_true: np.ndarray, y_pred: np.ndarray) -> dict[str, float]:
    tp = int(np.sum((y_true == 1) & (y_pred == 1)))
    fp = int(np.sum((y_true == 0) & (y_pred == 1)))
    fn = int(np.sum((y_true == 1) & (y_pred == 0)))
    n = y_true.size
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0
    return {
        "n": n,
        "accuracy": float(np.mean(y_true == y_pred)),
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "positive_rate": float(y_true.mean()),
        "predicted_positive_rate": float(y_pred.mean()),
    }


def windowed_metrics(
    y_true: Any,
    y_pred: Any,
    window: int | None = None,
    *,
    groups: Any = None,
) -> pd.DataFrame:
    """Accuracy, precision, recall and F1 of a binary classifier over a stream.

    Either cut the stream (in arrival order) into consecutive windows of ``window``
    predictions, the last one possibly shorter, or group the predictions by a key
    such as the day (``groups``). The positive class is 1; a ratio with a zero
    denominator (no predicted or no actual positive in a window) is reported as 0,
    as scikit-learn does with ``zero_division=0``.

    Parameters
    ----------
    y_true, y_pred : array-like of 0/1, 1-D, same length
        Observed labels and the model's predictions, in arrival order.
    window : int, optional
        Predictions per window (>= 1). Give exactly one of ``window`` and ``groups``.
    groups : array-like, optional
        One key per prediction (e.g. the day); one row per distinct key, sorted.

    Returns
    -------
    pandas.DataFrame
        With ``window``: columns ``window, start, stop`` (0-based row indices,
        ``stop`` excluded); with ``groups``: column ``group``. Then ``n, accuracy,
        precision, recall, f1, positive_rate`` (observed) and
        ``predicted_positive_rate``.

    Examples
    --------
    >>> y_true = [1, 0, 1, 0, 1, 1, 0, 0]
    >>> y_pred = [1, 0, 0, 0, 0, 0, 1, 1]
    >>> windowed_metrics(y_true, y_pred, window=4)[["start", "accuracy", "recall"]]
       start  accuracy  recall
    0      0      0.75     0.5
    1      4      0.00     0.0
    >>> windowed_metrics(y_true, y_pred, groups=["a"] * 6 + ["b"] * 2)["n"].tolist()
    [6, 2]
    >>> windowed_metrics(y_true, y_pred, window=0)
    Traceback (most recent call last):
    ...
    ValueError: window must be an integer >= 1; got 0
    """
    true = _as_binary(y_true, "y_true")
    pred = _as_binary(y_pred, "y_pred")
    if pred.size != true.size:
        raise ValueError(
            f"y_pred must have the same length as y_true ({true.size}); got {pred.size}"
        )
    if (window is None) == (groups is None):
        raise ValueError(
            "give exactly one of window and groups; got "
            f"window={window!r} and groups={'None' if groups is None else '...'}"
        )
    rows = []
    if window is not None:
        window = check_int(window, "window", minimum=1)
        for k, start in enumerate(range(0, true.size, window)):
            stop = min(start + window, true.size)
            scores = _binary_scores(true[start:stop], pred[start:stop])
            rows.append({"window": k, "start": start, "stop": stop, **scores})
    else:
        keys = np.asarray(groups)
        if keys.ndim != 1 or keys.size != true.size:
            raise ValueError(
                f"groups must be 1-D with the same length as y_true ({true.size}); "
                f"got shape {keys.shape}"
            )
        if pd.isna(keys).any():
            raise ValueError("groups must not contain missing values (NaN/None)")
        codes, uniques = pd.factorize(keys, sort=True)
        for code, key in enumerate(uniques):
            mask = codes == code
            rows.append({"group": key, **_binary_scores(true[mask], pred[mask])})
    return pd.DataFrame(rows)
