"""Updating a model with new data, and judging it fairly: test, then train.

Taught in notebook 05 (seeds 000 §3.3, §4.3; 002 §3.2, §4.2; 004 §3.1) and reused by
the capstone, notebook 12 (all §5). A model that learns from a stream must be scored on
each example *before* it learns from it — prequential, or test-then-train, evaluation —
otherwise it is graded on answers it has already seen.

* :func:`prequential`: an incremental model (``partial_fit``) over a stream, batch by
  batch: predict, then learn.
* :func:`replay_policy`: a day-indexed stream replayed under a *retraining policy*
  (never, every n days, or any ``policy(day, history)`` callable such as
  :class:`modelmaint.loop.AlarmPolicy`): each day is scored by the model in service,
  then the policy may retrain a fresh model on the labels available at that time.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone

from modelmaint._validation import check_int

__all__ = ["PolicyRun", "every", "never", "prequential", "replay_policy"]


def _rows(X: Any, index: np.ndarray) -> Any:
    return X.iloc[index] if hasattr(X, "iloc") else np.asarray(X)[index]


def _check_xy(X: Any, y: Any) -> tuple[Any, np.ndarray]:
    y = np.asarray(y)
    if y.ndim != 1:
        raise ValueError(f"y must be 1-D; got shape {y.shape}")
    if len(X) != y.size:
        raise ValueError(
            f"X and y must have the same length; got {len(X)} and {y.size}"
        )
    if y.size == 0:
        raise ValueError("X must have at least 1 row; got 0")
    return X, y


def prequential(
    model: Any,
    X: Any,
    y: Any,
    *,
    classes: Any,
    batch_size: int = 1,
    warm_start: int = 0,
) -> pd.DataFrame:
    """Test-then-train evaluation of an incremental model over a stream.

    The first ``warm_start`` rows only train. Then, for each batch of ``batch_size``
    rows in order: predict it with the model as it is, *then* ``partial_fit`` on it.
    ``model`` is cloned first and never changed. With ``warm_start=0`` the first
    batch is scored before anything was learned: it is predicted as ``classes[0]``.

    Parameters
    ----------
    model : estimator with ``partial_fit``
        E.g. :class:`sklearn.linear_model.SGDClassifier`.
    X : array-like or DataFrame, shape (n, d)
    y : array-like, shape (n,)
    classes : array-like
        Every class the stream may contain (``partial_fit`` needs them up front).
    batch_size : int, default 1
        Rows per update (>= 1).
    warm_start : int, default 0
        Rows used to train before any scoring (0 <= warm_start < n).

    Returns
    -------
    pandas.DataFrame
        One row per scored sample: ``index`` (position in the stream), ``batch``,
        ``y_true``, ``y_pred``. The prequential accuracy is
        ``(df.y_true == df.y_pred).mean()``.

    Examples
    --------
    >>> from sklearn.linear_model import SGDClassifier
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(400, 2))
    >>> y = (X[:, 0] > 0).astype(int)
    >>> df = prequential(SGDClassifier(random_state=0), X, y, classes=[0, 1],
    ...                  batch_size=20, warm_start=20)
    >>> len(df), round(float((df.y_true == df.y_pred).mean()), 2) > 0.9
    (380, True)
    >>> prequential(SGDClassifier(), X, y, classes=[0, 1], batch_size=0)
    Traceback (most recent call last):
    ...
    ValueError: batch_size must be an integer >= 1; got 0
    """
    if not hasattr(model, "partial_fit"):
        raise ValueError(
            f"model must have a partial_fit method; got {type(model).__name__}"
        )
    X, y = _check_xy(X, y)
    batch_size = check_int(batch_size, "batch_size", minimum=1)
    warm_start = check_int(warm_start, "warm_start", minimum=0)
    if warm_start >= y.size:
        raise ValueError(
            f"warm_start must leave rows to score; got {warm_start} for {y.size} rows"
        )
    classes = np.asarray(classes)
    learner = clone(model)
    if warm_start:
        first = np.arange(warm_start)
        learner.partial_fit(_rows(X, first), y[first], classes=classes)
    frames = []
    for b, start in enumerate(range(warm_start, y.size, batch_size)):
        index = np.arange(start, min(start + batch_size, y.size))
        rows = _rows(X, index)
        if b == 0 and not warm_start:  # nothing learned yet: predict the first class
            predicted = np.full(index.size, classes[0])
            learner.partial_fit(rows, y[index], classes=classes)
        else:
            predicted = learner.predict(rows)
            learner.partial_fit(rows, y[index])
        frames.append(
            pd.DataFrame(
                {"index": index, "batch": b, "y_true": y[index], "y_pred": predicted}
            )
        )
    return pd.concat(frames, ignore_index=True)


def never() -> Callable[[int, pd.DataFrame], bool]:
    """The policy that never retrains: the first model serves forever."""

    def policy(day: int, history: pd.DataFrame) -> bool:
        return False

    return policy


def every(n_days: int) -> Callable[[int, pd.DataFrame], bool]:
    """Retrain at the end of every ``n_days``-th scored day (a schedule).

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


@dataclass(frozen=True)
class PolicyRun:
    """A policy replayed over a stream.

    ``daily``: one row per scored day (``day``, ``n``, ``accuracy`` of the model in
    service that day, ``retrained`` at the end of it); ``n_retrains``;
    ``labels_used``: rows fitted in total, first model included; ``seconds``: time
    spent fitting.
    """

    daily: pd.DataFrame
    n_retrains: int
    labels_used: int
    seconds: float


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
    day is first scored by the model in service; then ``policy(day, history)`` is
    asked (``history``: the ``daily`` rows so far, today's included). If it says
    yes, a fresh model is fitted on the rows whose labels are known by then — days
    ``<= day - label_delay`` — keeping the last ``window`` of those days (all if
    None); it serves from the next day.

    Parameters
    ----------
    make_model : callable
        Returns a new, unfitted estimator with ``fit`` and ``predict``.
    X : array-like or DataFrame, shape (n, d)
    y : array-like, shape (n,)
    day : array-like of int, shape (n,)
        Day of each row (non-decreasing is not required).
    policy : callable
        ``policy(day, history) -> bool``; see :func:`never`, :func:`every`,
        :class:`modelmaint.loop.AlarmPolicy`.
    window : int, optional
        Days of labelled data to retrain on (>= 1).
    label_delay : int, default 0
        Days between a decision and its label (>= 0).
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
    if not callable(make_model):
        raise ValueError(
            f"make_model must be callable; got {type(make_model).__name__}"
        )
    if not callable(policy):
        raise ValueError(f"policy must be callable; got {type(policy).__name__}")
    X, y = _check_xy(X, y)
    day = np.asarray(day)
    if day.shape != y.shape or not np.issubdtype(day.dtype, np.integer):
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

    seconds = 0.0

    def fit(mask: np.ndarray) -> Any:
        nonlocal seconds
        start = time.perf_counter()
        model = make_model().fit(_rows(X, np.flatnonzero(mask)), y[mask])
        seconds += time.perf_counter() - start
        return model

    first = day < first_train_days
    model, used, rows = fit(first), int(first.sum()), []
    for d in range(first_train_days, last_day + 1):
        today = np.flatnonzero(day == d)
        accuracy = (
            float(np.mean(model.predict(_rows(X, today)) == y[today]))
            if today.size
            else np.nan
        )
        rows.append(
            {"day": d, "n": int(today.size), "accuracy": accuracy, "retrained": False}
        )
        if policy(d, pd.DataFrame(rows)):
            newest = d - label_delay
            oldest = -np.inf if window is None else newest - window + 1
            train = (day <= newest) & (day >= oldest)
            if train.any():
                model, used = fit(train), used + int(train.sum())
                rows[-1]["retrained"] = True
    daily = pd.DataFrame(rows)
    return PolicyRun(
        daily=daily,
        n_retrains=int(daily["retrained"].sum()),
        labels_used=used,
        seconds=float(seconds),
    )
