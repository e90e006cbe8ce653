"""Prequential (test-then-train) evaluation of an incremental model, with late labels.

Part of :mod:`modelmaint.online` (notebook 05).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from modelmaint._validation import check_int
from modelmaint.online._stream import (
    check_labels,
    check_xy,
    positive_proba,
    rows,
    unknown_labels,
)

__all__ = ["prequential"]


def prequential(
    model: Any,
    X: Any,
    y: Any,
    *,
    classes: Any,
    batch_size: int = 1,
    warm_start: int = 0,
    label_delay: int = 0,
) -> pd.DataFrame:
    """Test-then-train evaluation of an incremental model over a stream.

    The first ``warm_start`` rows only train (history whose labels are known). Then,
    for each batch of ``batch_size`` rows in order: predict the batch with the model
    as it is, *then* ``partial_fit`` on the rows whose labels have arrived: the label
    of row ``t`` arrives once row ``t + label_delay`` has been predicted. With
    ``label_delay=0`` this is plain test-then-train. ``model`` is cloned first and
    never changed. Rows scored before the model learned anything are predicted as
    ``classes[0]`` (probability NaN).

    river counts a delay differently: its ``progressive_val_score(..., delay=d)``
    reveals row ``t``'s label just before row ``t + d`` is predicted, so
    ``label_delay=L`` here is river's ``delay=L + 1`` (river's 0 and 1 both mean
    no delay); ``tests/test_online.py`` checks the two agree.

    Parameters
    ----------
    model : estimator with ``partial_fit`` and ``predict``
        E.g. :class:`sklearn.linear_model.SGDClassifier`, or a river model in a
        :class:`~modelmaint.online.RiverClassifier`.
    X : array-like or DataFrame, shape (n, d)
        The stream's inputs, in arrival order (an array: finite numbers; a
        DataFrame is passed to the model as it is, strings and all).
    y : array-like, shape (n,)
        The class labels (integers or strings), in the same order.
    classes : array-like
        Every class the stream may contain (``partial_fit`` needs them up front):
        at least 2, distinct, of the same kind as ``y``.
    batch_size : int, default 1
        Rows per step (>= 1): predicted together, then learned from.
    warm_start : int, default 0
        Rows used to train before any scoring (0 <= warm_start < n).
    label_delay : int, default 0
        Rows predicted after a row before its label can be learned (>= 0). For a
        stream of ``per_day`` rows a day and labels that arrive at the end of the
        ``d``-th day after the decision, use ``batch_size=per_day`` and
        ``label_delay=d * per_day``.

    Returns
    -------
    pandas.DataFrame
        One row per scored sample: ``index`` (position in the stream), ``batch``,
        ``y_true``, ``y_pred`` and, for two classes when the model has
        ``predict_proba``, ``proba`` (probability of ``classes[1]``).

    Examples
    --------
    >>> from sklearn.linear_model import SGDClassifier
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(400, 2))
    >>> y = (X[:, 0] > 0).astype(int)
    >>> df = prequential(SGDClassifier(random_state=0), X, y, classes=[0, 1],
    ...                  batch_size=20, warm_start=20, label_delay=40)
    >>> len(df), bool((df.y_true == df.y_pred).mean() > 0.9)
    (380, True)
    >>> prequential(SGDClassifier(), X, y, classes=[0, 1], batch_size=0)
    Traceback (most recent call last):
    ...
    ValueError: batch_size must be an integer >= 1; got 0
    """
    from sklearn.base import clone

    if not hasattr(model, "partial_fit") or not hasattr(model, "predict"):
        raise TypeError(
            "model must have partial_fit and predict methods; got "
            f"{type(model).__name__}"
        )
    X, y = check_xy(X, y)
    batch_size = check_int(batch_size, "batch_size", minimum=1)
    warm_start = check_int(warm_start, "warm_start", minimum=0)
    label_delay = check_int(label_delay, "label_delay", minimum=0)
    if warm_start >= y.size:
        raise ValueError(
            f"warm_start must leave rows to score; got {warm_start} for {y.size} rows"
        )
    classes = check_labels(classes, "classes")
    if classes.size < 2 or np.unique(classes).size != classes.size:
        raise ValueError(
            f"classes must list at least 2 distinct classes; got {classes.tolist()}"
        )
    unknown = unknown_labels(y, classes)
    if unknown:
        raise ValueError(f"y holds classes not in classes: {unknown}")
    learner, learned = clone(model), 0

    def learn_until(stop: int) -> None:
        nonlocal learned
        if stop > learned:
            index = np.arange(learned, stop)
            learner.partial_fit(rows(X, index), y[index], classes=classes)
            learned = stop

    learn_until(warm_start)
    frames = []
    for b, start in enumerate(range(warm_start, y.size, batch_size)):
        index = np.arange(start, min(start + batch_size, y.size))
        part = rows(X, index)
        frame = {"index": index, "batch": b, "y_true": y[index]}
        if learned and getattr(learner, "predicts_from_proba", False):
            proba = positive_proba(learner, part, classes)  # one pass, not two
            frame["y_pred"] = np.where(proba > 0.5, classes[1], classes[0])
        elif learned:
            frame["y_pred"] = learner.predict(part)
            proba = positive_proba(learner, part, classes)
        else:  # nothing learned yet: the first class, no probability
            frame["y_pred"] = np.full(index.size, classes[0])
            proba = np.full(index.size, np.nan)
        if proba is not None:
            frame["proba"] = proba
        frames.append(pd.DataFrame(frame))
        learn_until(index[-1] + 1 - label_delay)  # labels of rows <= last - delay
    return pd.concat(frames, ignore_index=True)
