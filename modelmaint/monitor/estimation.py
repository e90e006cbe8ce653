"""Label-free performance estimation (CBPE): accuracy expected from the probabilities.

Taught in notebook 03, section 9 (seed 001 §3.1, 004 §3.3: monitor the model's
accuracy - when its labels arrive months late). If a classifier's probabilities are
*calibrated* - of the rows given probability ``p`` of the positive class, a share
``p`` is positive - then a row decided positive (``p >= threshold``) is right with
probability ``p``, and a row decided negative with probability ``1 - p``. The mean
over a window is the accuracy the model should have there, computed before a single
label arrives: confidence-based performance estimation (CBPE, as in NannyML).

Its blind spot is built in: it trusts the probabilities. When the inputs move
(covariate drift) the probabilities move with them and the estimate follows; when
the rule linking inputs to the label changes (concept drift), the probabilities are
no longer calibrated and the estimate misses it. Labels are still needed, later.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from modelmaint._validation import as_probabilities, check_fraction, check_int

__all__ = ["expected_accuracy", "windowed_expected_accuracy"]


def _correct_probability(p: np.ndarray, threshold: float) -> np.ndarray:
    """Probability that each row's decision ``p >= threshold`` is right."""
    return np.where(p >= threshold, p, 1.0 - p)


def expected_accuracy(probabilities: Any, threshold: float = 0.5) -> float:
    r"""Accuracy a calibrated classifier should have on these rows, without labels.

    .. math::
        \widehat{\mathrm{acc}} = \frac1n \sum_i
        \begin{cases} p_i & p_i \ge t \\ 1 - p_i & p_i < t \end{cases}

    which is :math:`\frac1n\sum_i \max(p_i, 1 - p_i)` for the threshold
    :math:`t = 0.5`.

    Parameters
    ----------
    probabilities : array-like of float, 1-D
        Calibrated probabilities of the positive class, in [0, 1].
    threshold : float, default 0.5
        The decision rule ``p >= threshold`` (predict positive), in (0, 1).

    Returns
    -------
    float

    Raises
    ------
    ValueError
        If ``probabilities`` is empty, not 1-D, holds NaN/inf or values outside
        [0, 1]; if ``threshold`` is not in (0, 1).

    Notes
    -----
    Taught in notebook 03, section 9: it follows covariate drift and misses
    concept drift.

    Examples
    --------
    >>> round(expected_accuracy([0.9, 0.2, 0.6]), 4)  # (0.9 + 0.8 + 0.6) / 3
    0.7667
    >>> round(expected_accuracy([0.9, 0.2, 0.25], threshold=0.3), 4)  # 0.9, 0.8, 0.75
    0.8167
    >>> expected_accuracy([0.4], threshold=0.3)  # decided "yes", right 40 % of the time
    0.4
    >>> expected_accuracy([0.5, 1.2])
    Traceback (most recent call last):
    ...
    ValueError: probabilities must be in [0, 1]; found 1.2 (1 value(s) outside)
    """
    p = as_probabilities(probabilities, "probabilities")
    threshold = check_fraction(threshold, "threshold")
    return float(np.mean(_correct_probability(p, threshold)))


def windowed_expected_accuracy(
    probabilities: Any,
    window: int | None = None,
    *,
    groups: Any = None,
    threshold: float = 0.5,
) -> pd.DataFrame:
    """:func:`expected_accuracy` per window of a stream, or per group (e.g. day).

    The label-free twin of :func:`~modelmaint.monitor.windowed_metrics`: same
    windows, same row layout, so the estimate can be set beside the realised
    accuracy once the labels arrive.

    Parameters
    ----------
    probabilities : array-like of float, 1-D
        Calibrated probabilities of the positive class, in arrival order.
    window : int, optional
        Rows per window (>= 1), the last possibly shorter. Give exactly one of
        ``window`` and ``groups``.
    groups : array-like, optional
        One key per row (e.g. the day); one result row per distinct key, sorted.
    threshold : float, default 0.5
        The decision rule ``p >= threshold``, in (0, 1).

    Returns
    -------
    pandas.DataFrame
        With ``window``: columns ``window, start, stop`` (0-based, ``stop``
        excluded); with ``groups``: ``group``. Then ``n``, ``expected_accuracy``,
        ``expected_positive_rate`` (mean probability) and
        ``predicted_positive_rate`` (share decided positive).

    Examples
    --------
    >>> p = [0.9, 0.2, 0.6, 0.1, 0.5, 0.3]
    >>> windowed_expected_accuracy(p, window=4)[["start", "n", "expected_accuracy"]]
       start  n  expected_accuracy
    0      0  4              0.800
    1      4  2              0.600
    >>> windowed_expected_accuracy(p, groups=[2, 2, 1, 1, 1, 1])["group"].tolist()
    [1, 2]
    """
    p = as_probabilities(probabilities, "probabilities")
    threshold = check_fraction(threshold, "threshold")
    if (window is None) == (groups is None):
        raise ValueError(
            "give exactly one of window and groups; got "
            f"window={window!r} and groups={'None' if groups is None else '...'}"
        )
    if window is not None:
        window = check_int(window, "window", minimum=1)
        keys = np.arange(p.size) // window
    else:
        keys = np.asarray(groups)
        if keys.ndim != 1 or keys.size != p.size:
            raise ValueError(
                "groups must be 1-D with the same length as probabilities "
                f"({p.size}); got shape {keys.shape}"
            )
        if pd.isna(keys).any():
            raise ValueError("groups must not contain missing values (NaN/None)")
    frame = pd.DataFrame(
        {
            "key": keys,
            "expected_accuracy": _correct_probability(p, threshold),
            "expected_positive_rate": p,
            "predicted_positive_rate": (p >= threshold).astype(float),
        }
    )
    by_key = frame.groupby("key", sort=True)
    table = by_key.mean()
    table.insert(0, "n", by_key.size())
    table = table.reset_index()
    if window is None:
        return table.rename(columns={"key": "group"})
    table = table.rename(columns={"key": "window"})
    table.insert(1, "start", table["window"] * window)
    table.insert(2, "stop", np.minimum(table["start"] + window, p.size))
    return table
