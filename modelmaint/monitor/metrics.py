"""Quality of a binary classifier over a stream, per window or per day.

Taught in notebook 03 (seed 001 §3.1, §4.1): the metrics a monitor computes per window
of labelled predictions, so that a drop shows up when it happens. Decision metrics
(accuracy, precision, recall, F1) judge a rule; given the probabilities, proper scores
(ROC AUC for ranking, log loss and Brier for the probabilities themselves) and the
calibration gap judge the model; given :class:`~modelmaint.monitor.DecisionCosts`,
the cost per row judges the decisions by what they lose.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from modelmaint._validation import (
    as_1d,
    as_probabilities,
    check_instance,
    check_int,
    show,
)
from modelmaint.monitor.costs import DecisionCosts

__all__ = ["windowed_metrics"]

_EPS = np.finfo(float).eps  # log loss clips probabilities to [eps, 1 - eps]


def _as_binary(x: Any, name: str) -> np.ndarray:
    arr = as_1d(x, name)
    bad = ~np.isin(arr, (0.0, 1.0))
    if bad.any():
        raise ValueError(
            f"{name} must hold binary labels 0/1; found {show(arr[bad][0])} "
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


def _auc(y_true: np.ndarray, p: np.ndarray) -> float:
    """ROC AUC by the rank-sum (Mann-Whitney) formula, ties counted as half."""
    positives = int(y_true.sum())
    negatives = y_true.size - positives
    if positives == 0 or negatives == 0:
        return float("nan")
    ranks = pd.Series(p).rank().to_numpy()
    rank_sum = ranks[y_true == 1].sum()
    return float((rank_sum - positives * (positives + 1) / 2) / (positives * negatives))


def _probability_scores(y_true: np.ndarray, p: np.ndarray) -> dict[str, float]:
    clipped = np.clip(p, _EPS, 1 - _EPS)
    log_loss = -np.mean(y_true * np.log(clipped) + (1 - y_true) * np.log(1 - clipped))
    return {
        "mean_predicted": float(p.mean()),
        "calibration_gap": float(y_true.mean() - p.mean()),
        "auc": _auc(y_true, p),
        "log_loss": float(log_loss),
        "brier": float(np.mean((p - y_true) ** 2)),
    }


def _window_row(
    true: np.ndarray,
    pred: np.ndarray,
    proba: np.ndarray | None,
    costs: DecisionCosts | None,
    weight: np.ndarray | None,
) -> dict[str, float]:
    row = _binary_scores(true, pred)
    if proba is not None:
        row |= _probability_scores(true, proba)
    if costs is not None:
        row["cost"] = costs.cost(true, pred, weight)
        if proba is not None:
            row["expected_cost"] = costs.expected_cost(proba, pred, weight)
    return row


def windowed_metrics(
    y_true: Any,
    y_pred: Any,
    window: int | None = None,
    *,
    groups: Any = None,
    probabilities: Any = None,
    costs: DecisionCosts | None = None,
    weight: Any = None,
) -> pd.DataFrame:
    """Quality of a binary classifier's decisions (and probabilities) over a stream.

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
    probabilities : array-like of float, optional
        The model's probability of class 1 for each row, in [0, 1]: adds
        ``mean_predicted``, ``calibration_gap`` (observed positive rate minus mean
        predicted), ``auc`` (NaN in a window with one class only), ``log_loss``
        (probabilities clipped to [eps, 1 - eps] as scikit-learn does) and ``brier``.
    costs : DecisionCosts, optional
        Adds ``cost``, the mean cost per row of the decisions ``y_pred``, and with
        ``probabilities`` also ``expected_cost`` (its label-free estimate).
    weight : array-like of float, optional
        What is at stake in each row (e.g. the amount lent); only with ``costs``.

    Returns
    -------
    pandas.DataFrame
        With ``window``: columns ``window, start, stop`` (0-based row indices,
        ``stop`` excluded); with ``groups``: column ``group``. Then ``n, accuracy,
        precision, recall, f1, positive_rate`` (observed) and
        ``predicted_positive_rate``, then the columns ``probabilities`` and
        ``costs`` add.

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
    >>> proba = [0.9, 0.2, 0.4, 0.1, 0.7, 0.3, 0.6, 0.2]
    >>> table = windowed_metrics(y_true, y_pred, window=4, probabilities=proba)
    >>> table[["auc", "calibration_gap"]].round(3)
        auc  calibration_gap
    0  1.00             0.10
    1  0.75             0.05
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
    proba = (
        None
        if probabilities is None
        else as_probabilities(probabilities, "probabilities")
    )
    if proba is not None and proba.size != true.size:
        raise ValueError(
            f"probabilities must have the same length as y_true ({true.size}); "
            f"got {proba.size}"
        )
    if costs is not None:
        check_instance(costs, "costs", DecisionCosts, "a DecisionCosts")
    if weight is not None and costs is None:
        raise ValueError("weight is only used with costs; give costs too")
    w = None if weight is None else as_1d(weight, "weight")
    if w is not None and w.size != true.size:
        raise ValueError(
            f"weight must have the same length as y_true ({true.size}); got {w.size}"
        )

    def part(mask: Any) -> dict[str, float]:
        return _window_row(
            true[mask],
            pred[mask],
            None if proba is None else proba[mask],
            costs,
            None if w is None else w[mask],
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
            scores = part(slice(start, stop))
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
            rows.append({"group": key, **part(mask)})
    return pd.DataFrame(rows)
