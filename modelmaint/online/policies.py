"""Retraining policies replayed over a day-indexed stream, test-then-train.

Part of :mod:`modelmaint.online` (notebooks 05 and 12).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from modelmaint._validation import as_numbers, check_callable, check_int
from modelmaint.online._stream import check_xy, positive_proba, rows

__all__ = ["PolicyRun", "every", "never", "replay_policy"]

# Columns of a policy's history that need labels: NaN until the labels arrive.
LABELLED = (
    "accuracy",
    "positive_rate",
    "mean_predicted",
    "predicted_sd",
    "log_loss",
)
_EPS = np.finfo(float).eps


def never() -> Callable[[int, pd.DataFrame], bool]:
    """The policy that never retrains: the first model serves forever.

    Returns
    -------
    callable
        ``policy(day, history) -> False``.

    Examples
    --------
    >>> never()(40, pd.DataFrame({"day": [40]}))
    False
    """

    def policy(day: int, history: pd.DataFrame) -> bool:
        return False

    return policy


def every(n_days: int) -> Callable[[int, pd.DataFrame], bool]:
    """Retrain at the end of every ``n_days``-th scored day (a schedule).

    Parameters
    ----------
    n_days : int
        Days between retrainings (>= 1).

    Returns
    -------
    callable
        ``policy(day, history)``, true on every ``n_days``-th scored day.

    Examples
    --------
    >>> policy = every(10)
    >>> history = pd.DataFrame({"day": range(30, 60)})
    >>> [d for d in range(30, 60) if policy(d, history[history.day <= d])]
    [39, 49, 59]
    """
    n_days = check_int(n_days, "n_days", minimum=1)

    def policy(day: int, history: pd.DataFrame) -> bool:
        return len(history) % n_days == 0

    return policy


@dataclass(frozen=True, kw_only=True)
class PolicyRun:
    """A policy replayed over a stream.

    Parameters
    ----------
    daily : pandas.DataFrame
        One row per scored day: ``day``, ``n``, ``accuracy`` of the model in
        service; with probabilities also ``positive_rate`` (observed),
        ``mean_predicted``, ``predicted_sd`` (the standard deviation of the day's
        calibration gap if the model were calibrated) and ``log_loss``; and
        ``retrained`` (at the end of that day).
    predictions : pandas.DataFrame
        One row per scored row: ``index``, ``day``, ``y_true``, ``y_pred`` (and
        ``proba``), for any other metric on the same rows.
    n_retrains : int
        Retrainings (the first model not counted).
    labels_used : int
        Rows fitted in total, first model included.
    seconds : float
        Time spent fitting.

    Examples
    --------
    >>> from sklearn.dummy import DummyClassifier
    >>> day = np.repeat(np.arange(4), 10)
    >>> run = replay_policy(DummyClassifier, np.zeros((40, 1)), np.tile([0, 1], 20),
    ...                     day, policy=never(), first_train_days=2)
    >>> run.daily["day"].tolist(), run.n_retrains, run.labels_used
    ([2, 3], 0, 20)
    """

    daily: pd.DataFrame
    predictions: pd.DataFrame
    n_retrains: int
    labels_used: int
    seconds: float


def _day_scores(
    truth: np.ndarray, pred: np.ndarray, p: np.ndarray | None, positive: Any
) -> dict:
    """The day's scores; with ``p``, P(``positive``), ``truth`` counts as 1 where it
    is ``positive`` (the same 0/1 numbers for 0/1 labels)."""
    row: dict[str, float] = {"accuracy": float(np.mean(pred == truth))}
    if p is not None:
        zero_one = truth.dtype.kind in "iuf" and np.isin(truth, (0, 1)).all()
        if not (zero_one and positive == 1):
            truth = (truth == positive).astype(float)
        clipped = np.clip(p, _EPS, 1 - _EPS)
        loss = -(truth * np.log(clipped) + (1 - truth) * np.log(1 - clipped))
        row |= {
            "positive_rate": float(truth.mean()),
            "mean_predicted": float(p.mean()),
            "predicted_sd": float(np.sqrt(np.sum(p * (1 - p))) / p.size),
            "log_loss": float(loss.mean()),
        }
    return row


def replay_policy(
    make_model: Callable[[], Any],
    X: Any,
    y: Any,
    day: Any,
    *,
    policy: Callable[[int, pd.DataFrame], bool],
    window: int | None = None,
    label_delay: int = 0,
    first_train_days: int = 30,
) -> PolicyRun:
    """Replay a day-indexed stream under a retraining policy, test-then-train.

    A model from ``make_model()`` is fitted on days ``< first_train_days``. Each later
    day ``d`` is first scored by the model in service. The labels of day ``t`` arrive
    at the end of day ``t + label_delay``: then ``policy(d, history)`` is asked, with
    ``history`` one row per scored day so far whose label-based columns (accuracy,
    log loss, ...) are **NaN for the days whose labels have not arrived** - the
    policy cannot read an outcome before it exists. If it says yes, a fresh model is
    fitted on the labelled rows - days ``<= d - label_delay`` - keeping the last
    ``window`` of those days (all if None); it serves from day ``d + 1``.

    Parameters
    ----------
    make_model : callable
        Returns a new, unfitted estimator with ``fit`` and ``predict`` (and
        ``predict_proba`` for the probability columns).
    X : array-like or DataFrame, shape (n, d)
        The stream's inputs (an array: finite numbers; a DataFrame is passed to
        the model as it is).
    y : array-like, shape (n,)
        Class labels, integers or strings (binary for the probability columns,
        which score the second class in sorted order).
    day : array-like of int, shape (n,)
        Day of each row.
    policy : callable
        ``policy(day, history) -> bool``; see :func:`never`, :func:`every`,
        :class:`modelmaint.loop.AlarmPolicy`.
    window : int, optional
        Days of labelled data to retrain on (>= 1).
    label_delay : int, default 0
        Days after a decision at whose end its label arrives (>= 0).
    first_train_days : int, default 30
        Days that train the first model (>= 1, and fewer than the stream's days).

    Returns
    -------
    PolicyRun

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> rng = np.random.default_rng(0)
    >>> day = np.repeat(np.arange(20), 50)
    >>> X = rng.normal(size=(day.size, 1))
    >>> y = (X[:, 0] > np.where(day < 10, 0.0, 1.0)).astype(int)  # the rule moves
    >>> runs = {name: replay_policy(LogisticRegression, X, y, day, policy=p,
    ...                             window=3, label_delay=1, first_train_days=5)
    ...         for name, p in [("never", never()), ("every", every(2))]}
    >>> runs["never"].n_retrains, runs["every"].n_retrains
    (0, 7)
    >>> late = {k: r.daily.query("day >= 14").accuracy.mean() for k, r in runs.items()}
    >>> bool(late["every"] > late["never"] + 0.1)
    True
    """
    check_callable(make_model, "make_model")
    check_callable(policy, "policy")
    X, y = check_xy(X, y)
    as_numbers(day, "day")  # refuses text, dates, complex numbers by name
    day = np.asarray(day)
    if day.shape != y.shape or day.dtype.kind not in "iu":
        raise ValueError(
            f"day must be integers, one per row; got dtype {day.dtype}, "
            f"shape {day.shape} for {y.size} rows"
        )
    label_delay = check_int(label_delay, "label_delay", minimum=0)
    first_train_days = check_int(first_train_days, "first_train_days", minimum=1)
    if window is not None:
        window = check_int(window, "window", minimum=1)
    last_day = int(day.max())
    if first_train_days > last_day:
        raise ValueError(
            f"first_train_days must leave days to score; got {first_train_days} "
            f"for days {int(day.min())}..{last_day}"
        )
    classes = np.unique(y)
    seconds = 0.0

    def fit(mask: np.ndarray) -> Any:
        nonlocal seconds
        start = time.perf_counter()
        model = make_model().fit(rows(X, np.flatnonzero(mask)), y[mask])
        seconds += time.perf_counter() - start
        return model

    first = day < first_train_days
    if not first.any():
        raise ValueError(
            f"first_train_days must leave rows to train on; no row has a day < "
            f"{first_train_days} (days {int(day.min())}..{last_day})"
        )
    model, used = fit(first), int(first.sum())
    scored, predictions = [], []
    for d in range(first_train_days, last_day + 1):
        today = np.flatnonzero(day == d)
        row: dict[str, Any] = {"day": d, "n": int(today.size), "retrained": False}
        if today.size:
            part = rows(X, today)
            pred = np.asarray(model.predict(part))
            p = positive_proba(model, part, classes)
            row |= _day_scores(y[today], pred, p, classes[-1])
            frame = {"index": today, "day": d, "y_true": y[today], "y_pred": pred}
            predictions.append(
                pd.DataFrame(frame | ({} if p is None else {"proba": p}))
            )
        scored.append(row)
        history = pd.DataFrame(scored)
        unlabelled = history["day"] > d - label_delay
        for column in LABELLED:
            if column in history:
                history.loc[unlabelled, column] = np.nan
        if policy(d, history):
            newest = d - label_delay
            oldest = -np.inf if window is None else newest - window + 1
            train = (day <= newest) & (day >= oldest)
            if train.any():
                model, used = fit(train), used + int(train.sum())
                scored[-1]["retrained"] = True
    daily = pd.DataFrame(scored)
    return PolicyRun(
        daily=daily,
        predictions=pd.concat(predictions, ignore_index=True),
        n_retrains=int(daily["retrained"].sum()),
        labels_used=used,
        seconds=float(seconds),
    )
