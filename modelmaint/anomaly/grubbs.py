"""Grubbs' test for one outlier, and its iterated form.

Taught in notebook ``01_anomaly_detection``, section 4 (seed 000 §3.1). Grubbs' test
turns the largest ``|z|`` into a decision with a stated false-alarm rate ``alpha``;
iterated, it stops at the first round that fails - which is where masking bites
(:func:`~modelmaint.anomaly.generalized_esd` is the cure). Indices are 0-based.

References: F. E. Grubbs, "Procedures for detecting outlying observations in
samples", *Technometrics* 11 (1969); ASTM E178 (tables of critical values).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from modelmaint._validation import MAX_ELEMENTS, as_1d, check_fraction, check_int
from modelmaint.anomaly.zscores import zscore

__all__ = ["GrubbsResult", "grubbs_critical", "grubbs_outliers", "grubbs_test"]


@dataclass(frozen=True, kw_only=True)
class GrubbsResult:
    """Result of a two-sided Grubbs test (:func:`grubbs_test`).

    Parameters
    ----------
    statistic : float
        :math:`G = \\max_i |x_i - \\bar x| / s` (sample standard deviation).
    critical : float
        The critical value of :math:`G` at the test's ``alpha``.
    index : int
        0-based index of the most extreme value (the candidate outlier).
    is_outlier : bool
        ``statistic > critical``.

    Examples
    --------
    >>> result = grubbs_test([9.8, 10.1, 10.0, 9.9, 10.2, 10.0, 13.0])
    >>> result.index, result.is_outlier
    (6, True)
    """

    statistic: float
    critical: float
    index: int
    is_outlier: bool


def grubbs_critical(n: int, alpha: float = 0.05) -> float:
    r"""Critical value of the two-sided Grubbs statistic for ``n`` values.

    .. math::
        G_\mathrm{crit} = \frac{n-1}{\sqrt n}
        \sqrt{\frac{t^2}{n-2+t^2}}, \qquad t = t_{1-\alpha/(2n),\,n-2}

    where :math:`t` is the upper quantile of Student's t distribution with
    :math:`n-2` degrees of freedom (ASTM E178; Grubbs, 1969).

    Parameters
    ----------
    n : int
        Sample size, 3 to 50 million (a sample that fits in memory).
    alpha : float, default 0.05
        Significance level in (0, 1).

    Returns
    -------
    float

    Examples
    --------
    >>> round(grubbs_critical(10), 3)  # ASTM E178 table: 2.290
    2.29
    """
    n = check_int(n, "n", minimum=3, maximum=MAX_ELEMENTS)
    alpha = check_fraction(alpha, "alpha")
    from scipy import stats

    t = float(stats.t.isf(alpha / (2 * n), n - 2))
    # SciPy gives up (-inf) where t is astronomically large (a tiny tail, few
    # degrees of freedom): there the critical value is its limit, t -> inf
    if not t > 0:
        t = math.inf
    # (n-1)/sqrt(n) * sqrt(t^2/(n-2+t^2)), written so that t = inf gives the bound
    return (n - 1) / math.sqrt(n) / math.sqrt(1 + (n - 2) / (t * t))


def grubbs_test(x: Any, alpha: float = 0.05) -> GrubbsResult:
    """Two-sided Grubbs test for one outlier in (approximately) normal data.

    Parameters
    ----------
    x : array-like of float, 1-D
        At least 3 finite values, not all equal.
    alpha : float, default 0.05
        Significance level in (0, 1).

    Returns
    -------
    GrubbsResult

    Notes
    -----
    Taught in notebook 01, section 4. The statistic is bounded by
    ``max_abs_zscore(n)``, like every z-score.

    Examples
    --------
    >>> result = grubbs_test([9.8, 10.1, 10.0, 9.9, 10.2, 10.0, 13.0])
    >>> result.index, result.is_outlier
    (6, True)
    >>> round(result.statistic, 3), round(result.critical, 3)
    (2.253, 2.02)
    """
    arr = as_1d(x, "x")
    if arr.size < 3:
        raise ValueError(
            f"x must have at least 3 values for a Grubbs test; got {arr.size}"
        )
    alpha = check_fraction(alpha, "alpha")
    z = np.abs(zscore(arr, ddof=1))
    index = int(np.argmax(z))
    statistic = float(z[index])
    critical = grubbs_critical(arr.size, alpha)
    return GrubbsResult(
        statistic=statistic,
        critical=critical,
        index=index,
        is_outlier=statistic > critical,
    )


def _spread(values: np.ndarray) -> bool:
    """True unless every value is the same (np.ptp would overflow near 1e308)."""
    return bool(values.max() > values.min())


def grubbs_outliers(x: Any, alpha: float = 0.05) -> np.ndarray:
    """Iterated Grubbs test: remove the most extreme value while it is significant.

    Each round tests the values still present; it stops at the first
    non-significant round, when fewer than 3 values remain, or when the rest are
    all equal.

    Parameters
    ----------
    x : array-like of float, 1-D
        At least 3 finite values.
    alpha : float, default 0.05
        Significance level of each round, in (0, 1).

    Returns
    -------
    numpy.ndarray of int
        0-based indices into the original ``x``, in the order they were removed.

    Notes
    -----
    Taught in notebook 01, section 4. Like every test built on the mean and σ, one
    round can be masked by a second outlier; the iteration helps only once the
    larger one is removed.

    Examples
    --------
    >>> grubbs_outliers([10.0, 10.2, 9.9, 10.1, 9.8, 10.0, 10.1, 25.0, 9.9, 3.0])
    array([7, 9])
    """
    arr = as_1d(x, "x")
    if arr.size < 3:
        raise ValueError(
            f"x must have at least 3 values for a Grubbs test; got {arr.size}"
        )
    alpha = check_fraction(alpha, "alpha")
    remaining = np.arange(arr.size)
    found: list[int] = []
    while remaining.size >= 3 and _spread(arr[remaining]):
        result = grubbs_test(arr[remaining], alpha)
        if not result.is_outlier:
            break
        found.append(int(remaining[result.index]))
        remaining = np.delete(remaining, result.index)
    return np.asarray(found, dtype=int)
