"""Two models on the same rows: the difference of their losses, with an interval.

Taught in notebook 04 (and used by 05, 11 and 12's release gate): a difference between
two models means something only when both were scored on the **same** rows, and only
with its uncertainty. The paired bootstrap resamples rows - or whole groups of rows,
such as days, when rows of a group are not independent - and recomputes the mean
difference of the per-row losses each time; the middle 95 % of those means is the
interval. A gate that refuses when the interval contains zero refuses to act on noise.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from modelmaint._validation import (
    as_1d,
    as_probabilities,
    check_budget,
    check_fraction,
    check_int,
    check_length,
    check_seed,
)

__all__ = ["PairedDifference", "log_loss_per_row", "paired_difference"]

_EPS = np.finfo(float).eps


@dataclass(frozen=True, kw_only=True)
class PairedDifference:
    """Mean of ``a - b`` over the same rows, with a bootstrap interval.

    Parameters
    ----------
    mean : float
        Mean per-row difference (per row, not per group).
    low, high : float
        Percentile bootstrap interval at ``confidence``.
    confidence : float
        E.g. 0.95.
    n_rows, n_groups : int
        Rows compared, and the units resampled (rows, or groups).

    Examples
    --------
    >>> d = PairedDifference(mean=0.02, low=0.01, high=0.03, confidence=0.95,
    ...                      n_rows=100, n_groups=100)
    >>> d.excludes_zero
    True
    """

    mean: float
    low: float
    high: float
    confidence: float
    n_rows: int
    n_groups: int

    @property
    def excludes_zero(self) -> bool:
        """True when the whole interval lies on one side of 0.

        Examples
        --------
        >>> PairedDifference(mean=0.01, low=-0.01, high=0.03, confidence=0.95,
        ...                  n_rows=50, n_groups=50).excludes_zero
        False
        """
        return self.low > 0 or self.high < 0


def log_loss_per_row(y_true: Any, probabilities: Any) -> np.ndarray:
    """Each row's log loss ``-[y log p + (1 - y) log(1 - p)]``.

    Parameters
    ----------
    y_true : array-like of 0/1, 1-D
        Outcomes.
    probabilities : array-like of float, 1-D, same length
        Predicted probabilities of class 1.

    Returns
    -------
    numpy.ndarray
        One loss per row; their mean is scikit-learn's ``log_loss``.

    Examples
    --------
    >>> log_loss_per_row([1, 0], [0.8, 0.8]).round(4).tolist()
    [0.2231, 1.6094]
    """
    y = as_1d(y_true, "y_true")
    if not np.isin(y, (0.0, 1.0)).all():
        raise ValueError("y_true must hold 0/1 values")
    p = as_probabilities(probabilities, "probabilities")
    check_length(p, "probabilities", y.size, "y_true")
    p = np.clip(p, _EPS, 1 - _EPS)
    return -(y * np.log(p) + (1 - y) * np.log(1 - p))


def paired_difference(
    a: Any,
    b: Any,
    *,
    groups: Any = None,
    n_resamples: int = 2000,
    confidence: float = 0.95,
    seed: int = 0,
) -> PairedDifference:
    """Mean per-row difference ``a - b`` of two losses on the same rows, bootstrapped.

    Parameters
    ----------
    a, b : array-like of float, 1-D, same length
        Per-row losses (log loss, cost, 0/1 error) of two models on the same rows.
    groups : array-like, optional
        One key per row (e.g. the day; no missing keys): whole groups are
        resampled, for rows that are not independent within a group. Default: rows
        are resampled.
    n_resamples : int, default 2000
        Bootstrap resamples (>= 100); ``n_resamples`` x the number of groups (or
        rows) at most 50 million.
    confidence : float, default 0.95
        Coverage of the percentile interval, in (0, 1).
    seed : int, default 0
        Seed of the resampling.

    Returns
    -------
    PairedDifference
        ``mean``, ``low``, ``high``; ``excludes_zero`` says whether the sign is
        settled. Positive means ``a`` loses more than ``b``.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> worse = rng.normal(1.1, 1, 2000)
    >>> better = worse - 0.1 + rng.normal(0, 0.1, 2000)  # same rows, 0.1 lower
    >>> d = paired_difference(worse, better)
    >>> round(d.mean, 2), d.excludes_zero
    (0.1, True)
    >>> paired_difference([1, 2], [1])
    Traceback (most recent call last):
    ...
    ValueError: b must have the same length as a (2); got 1
    """
    first, second = as_1d(a, "a"), as_1d(b, "b")
    check_length(second, "b", first.size, "a")
    n_resamples = check_int(n_resamples, "n_resamples", minimum=100)
    confidence = check_fraction(confidence, "confidence")
    seed = check_seed(seed)
    diff = first - second
    if groups is None:
        sums, counts = diff, np.ones_like(diff)
    else:
        keys = np.asarray(groups)
        if keys.shape != diff.shape:
            raise ValueError(
                f"groups must have the same length as a ({diff.size}); got shape "
                f"{keys.shape}"
            )
        if pd.isna(keys).any():
            raise ValueError("groups must not contain missing values (NaN/None)")
        codes, _ = pd.factorize(keys)
        sums = np.bincount(codes, weights=diff)
        counts = np.bincount(codes).astype(float)
    check_budget({"n_resamples": n_resamples, "n_groups": sums.size})
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, sums.size, size=(n_resamples, sums.size))
    means = sums[picks].sum(axis=1) / counts[picks].sum(axis=1)
    tail = (1 - confidence) / 2
    low, high = np.quantile(means, [tail, 1 - tail])
    return PairedDifference(
        mean=float(diff.mean()),
        low=float(low),
        high=float(high),
        confidence=confidence,
        n_rows=int(diff.size),
        n_groups=int(sums.size),
    )
