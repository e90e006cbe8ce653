"""Generalized ESD test (Rosner, 1983): how many outliers, when they mask each other.

Taught in notebook ``01_anomaly_detection``, section 4.1 (seed 000 §3.1). Iterated
Grubbs stops at the first round that is not significant, so two or three similar
outliers - each inflating σ for the others - can hide the whole group. The
generalized extreme Studentized deviate (ESD) test always runs all ``r`` rounds and
then counts back: the number of outliers is the *largest* ``i`` whose statistic
exceeds its critical value, even if an earlier round fell short.

Reference: B. Rosner, "Percentage points for a generalized ESD many-outlier
procedure", *Technometrics* 25 (1983) 165-172; NIST/SEMATECH e-Handbook of
Statistical Methods, §1.3.5.17.3 (the worked example in the tests).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from modelmaint._validation import (
    MAX_ELEMENTS,
    as_1d,
    check_fraction,
    check_int,
    check_non_constant,
    safe_scaled,
    show,
)

__all__ = ["ESDResult", "esd_critical_values", "generalized_esd"]


@dataclass(frozen=True, kw_only=True)
class ESDResult:
    """Result of a generalized ESD test (:func:`generalized_esd`).

    Its arrays are read-only.

    Parameters
    ----------
    n_outliers : int
        The largest ``i`` with ``statistics[i - 1] > critical_values[i - 1]``
        (0 when no round exceeds its critical value).
    indices : numpy.ndarray of int
        0-based positions in ``x`` of the ``n_outliers`` outliers, in the order
        they were removed (the most extreme first).
    candidates : numpy.ndarray of int
        Positions of every value removed, one per round (``indices`` is its start).
    statistics : numpy.ndarray of float
        :math:`R_1, \\dots, R_r`: the largest ``|z|`` (sample σ) of the values still
        present at each round.
    critical_values : numpy.ndarray of float
        :math:`\\lambda_1, \\dots, \\lambda_r` at the test's ``alpha``.
    alpha : float
        Significance level.

    Examples
    --------
    >>> x = [10.0, 10.2, 9.9, 10.1, 9.8, 10.0, 10.1, 9.9, 10.3, 9.7, 14.0, 9.9]
    >>> result = generalized_esd(x, max_outliers=2)
    >>> result.n_outliers, result.indices, result.candidates
    (1, array([10]), array([10,  8]))
    >>> result.indices[0] = 0
    Traceback (most recent call last):
    ...
    ValueError: assignment destination is read-only
    """

    n_outliers: int
    indices: np.ndarray
    candidates: np.ndarray
    statistics: np.ndarray
    critical_values: np.ndarray
    alpha: float

    def __post_init__(self) -> None:
        for name in ("indices", "candidates", "statistics", "critical_values"):
            view = np.asarray(getattr(self, name)).view()
            view.setflags(write=False)
            object.__setattr__(self, name, view)


def esd_critical_values(n: int, max_outliers: int, alpha: float = 0.05) -> np.ndarray:
    r"""Rosner's critical values :math:`\lambda_1, \dots, \lambda_r` for ``n`` values.

    .. math::
        \lambda_i = \frac{(n-i)\, t_{p,\,n-i-1}}
        {\sqrt{(n-i-1+t_{p,\,n-i-1}^2)(n-i+1)}}, \qquad
        p = 1 - \frac{\alpha}{2(n-i+1)}

    :math:`\lambda_i` is Grubbs' critical value for the :math:`n-i+1` values still
    present at round :math:`i` (:func:`~modelmaint.anomaly.grubbs_critical`).

    Parameters
    ----------
    n : int
        Sample size, 3 to 50 million (a sample that fits in memory).
    max_outliers : int
        ``r``, the number of rounds: 1 <= r < n - 1.
    alpha : float, default 0.05
        Significance level in (0, 1).

    Returns
    -------
    numpy.ndarray of float, shape (max_outliers,)

    Examples
    --------
    The NIST e-Handbook's example prints them truncated: 3.158, 3.151, 3.143.

    >>> esd_critical_values(54, 3).round(4)
    array([3.1588, 3.1514, 3.1439])
    """
    n = check_int(n, "n", minimum=3, maximum=MAX_ELEMENTS)
    max_outliers = _check_max_outliers(max_outliers, n)
    alpha = check_fraction(alpha, "alpha")
    from scipy import stats

    remaining = n - np.arange(max_outliers)  # n - i + 1 values at round i
    t = stats.t.isf(alpha / (2 * remaining), remaining - 2)
    # SciPy gives up (-inf) where t is astronomically large (a tiny tail, few
    # degrees of freedom): there the critical value is its limit, t -> inf
    t = np.where(t > 0, t, np.inf)
    with np.errstate(over="ignore"):
        bound = 1 + (remaining - 2) / (t * t)
    # Grubbs' critical value, written so that t = inf gives its limit
    return (remaining - 1) / np.sqrt(remaining) / np.sqrt(bound)


def _check_max_outliers(max_outliers: Any, n: int) -> int:
    max_outliers = check_int(max_outliers, "max_outliers", minimum=1)
    if max_outliers >= n - 1:
        raise ValueError(
            f"max_outliers must be < n - 1 = {n - 1} (at least 3 values must remain "
            f"in the last round) for {n} values; got {show(max_outliers)}"
        )
    return max_outliers


def generalized_esd(x: Any, max_outliers: int, alpha: float = 0.05) -> ESDResult:
    r"""Generalized ESD test for up to ``max_outliers`` outliers in normal data.

    Round :math:`i = 1, \dots, r` computes :math:`R_i = \max_j |x_j - \bar x| / s`
    over the values still present and removes the value that attains it. Every
    round runs, whatever :math:`R_i`; then the number of outliers is the largest
    :math:`i` with :math:`R_i > \lambda_i` (:func:`esd_critical_values`). Unlike
    iterated Grubbs, a round masked by the outliers still to be removed does not
    stop the search. The overall false-alarm rate stays near ``alpha`` for normal
    data (Rosner, 1983).

    Parameters
    ----------
    x : array-like of float, 1-D
        At least 3 finite values, not all equal.
    max_outliers : int
        ``r``, an upper bound on the number of outliers: 1 <= r < n - 1.
    alpha : float, default 0.05
        Significance level in (0, 1).

    Returns
    -------
    ESDResult
        If the values left after a round are all equal, the search stops early and
        ``statistics`` has fewer than ``max_outliers`` entries.

    Raises
    ------
    ValueError
        If ``x`` is not 1-D, has fewer than 3 values, holds NaN/inf or is constant;
        if ``max_outliers`` < 1 or >= n - 1; if ``alpha`` is not in (0, 1).

    Notes
    -----
    Taught in notebook 01, section 4.1: a burst of similar bugged requests that
    iterated Grubbs cannot see.

    Examples
    --------
    Two equal outliers mask each other for Grubbs (round 1 fails), not for ESD:

    >>> x = [10.0, 10.2, 9.9, 10.1, 9.8, 10.0, 10.1, 9.9, 10.3, 9.7, 14.0, 14.0]
    >>> result = generalized_esd(x, max_outliers=3)
    >>> result.n_outliers, result.indices.tolist()
    (2, [10, 11])
    >>> bool(result.statistics[0] > result.critical_values[0])  # round 1 masked
    False
    """
    arr = as_1d(x, "x")
    if arr.size < 3:
        raise ValueError(
            f"x must have at least 3 values for a generalized ESD test; got {arr.size}"
        )
    check_non_constant(arr, "x")
    max_outliers = _check_max_outliers(max_outliers, arr.size)
    alpha = check_fraction(alpha, "alpha")
    critical = esd_critical_values(arr.size, max_outliers, alpha)
    arr, _ = safe_scaled(arr)  # R_i is scale-free: no overflow, no underflow
    remaining = np.arange(arr.size)
    removed: list[int] = []
    statistics: list[float] = []
    for _ in range(max_outliers):
        values = arr[remaining]
        if values.max() == values.min():
            break
        deviation = np.abs(values - values.mean())
        position = int(np.argmax(deviation))
        statistics.append(float(deviation[position] / values.std(ddof=1)))
        removed.append(int(remaining[position]))
        remaining = np.delete(remaining, position)
    stats_arr = np.asarray(statistics)
    critical = critical[: stats_arr.size]
    exceed = np.flatnonzero(stats_arr > critical)
    n_outliers = int(exceed[-1] + 1) if exceed.size else 0
    candidates = np.asarray(removed, dtype=int)
    return ESDResult(
        n_outliers=n_outliers,
        indices=candidates[:n_outliers],
        candidates=candidates,
        statistics=stats_arr,
        critical_values=critical,
        alpha=alpha,
    )
