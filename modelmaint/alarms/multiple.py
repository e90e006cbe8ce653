"""Many tests a day: Bonferroni and Benjamini-Hochberg reject masks.

Taught in the lab notebook after 03 ("Alarms you can trust"): a drift test per
feature per day at α = 0.05 raises a false alarm on most days once there are tens of
features. Bonferroni keeps the chance of *any* false alarm among m tests below α
(family-wise error); Benjamini-Hochberg keeps the expected *share* of false alarms
among the alarms below α (false discovery rate) and so misses fewer real changes.
Both work along the last axis: pass an ``(n_days, n_features)`` array to correct each
day's features together.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from modelmaint._validation import as_array, check_fraction, show

__all__ = ["benjamini_hochberg", "bonferroni"]


def _pvalues(pvalues: Any) -> np.ndarray:
    p = as_array(pvalues, "pvalues")
    if p.ndim == 0:
        raise ValueError("pvalues must have at least 1 dimension; got a scalar")
    outside = (p < 0) | (p > 1)
    if outside.any():
        raise ValueError(
            f"pvalues must be in [0, 1]; found {show(p[outside][0])} "
            f"({int(outside.sum())} value(s) outside)"
        )
    return p


def bonferroni(pvalues: Any, alpha: float = 0.05) -> np.ndarray:
    """Bonferroni: reject where ``p <= alpha / m``, m = length of the last axis.

    Parameters
    ----------
    pvalues : array-like of float in [0, 1]
        P-values; each slice along the last axis is one family of m tests.
    alpha : float, default 0.05
        Family-wise error rate, in (0, 1).

    Returns
    -------
    numpy.ndarray of bool
        Reject mask, the shape of ``pvalues``.

    Examples
    --------
    >>> bonferroni([0.01, 0.04, 0.03, 0.005], alpha=0.05)  # alpha / m = 0.0125
    array([ True, False, False,  True])
    >>> bonferroni([[0.01, 0.02], [0.2, 0.02]], alpha=0.05)  # per row, m = 2
    array([[ True,  True],
           [False,  True]])
    """
    p = _pvalues(pvalues)
    alpha = check_fraction(alpha, "alpha")
    return p <= alpha / p.shape[-1]


def benjamini_hochberg(pvalues: Any, alpha: float = 0.05) -> np.ndarray:
    r"""Benjamini-Hochberg step-up: reject the k smallest p-values, k as large as
    possible with :math:`p_{(k)} \le k\alpha/m`.

    Parameters
    ----------
    pvalues : array-like of float in [0, 1]
        P-values; each slice along the last axis is one family of m tests.
    alpha : float, default 0.05
        False discovery rate, in (0, 1) (valid for independent or positively
        dependent tests).

    Returns
    -------
    numpy.ndarray of bool
        Reject mask, the shape of ``pvalues``; equal to
        ``scipy.stats.false_discovery_control(p, axis=-1) <= alpha``.

    Examples
    --------
    >>> p = [0.01, 0.04, 0.03, 0.005]  # sorted: 0.005 0.01 0.03 0.04 <= k * 0.0125
    >>> benjamini_hochberg(p, alpha=0.05)
    array([ True,  True,  True,  True])
    >>> benjamini_hochberg([0.03, 0.2, 0.6], alpha=0.05)  # 0.03 > 1 * 0.05 / 3
    array([False, False, False])
    """
    p = _pvalues(pvalues)
    alpha = check_fraction(alpha, "alpha")
    m = p.shape[-1]
    order = np.argsort(p, axis=-1, kind="stable")
    ranked = np.take_along_axis(p, order, axis=-1)
    below = ranked <= alpha * np.arange(1, m + 1) / m
    # reject every rank up to the largest one below its line (step-up)
    keep = np.flip(np.logical_or.accumulate(np.flip(below, axis=-1), axis=-1), axis=-1)
    reject = np.empty_like(keep)
    np.put_along_axis(reject, order, keep, axis=-1)
    return reject
