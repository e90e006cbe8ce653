"""Statistical anomaly detection on a model's outputs: z-scores, MAD and Grubbs.

Taught in notebook ``01_anomaly_detection`` (seed 000 §3.1, §4.1, §6). Every function
is vectorized NumPy; indices are 0-based.

The seed's ``z_score`` (000 §4.1) is *not* reproduced here: the notebook runs it as
written and shows its faults (a Python loop, division by zero on constant data, the
bound on ``max |z|`` that makes small thresholds unreachable, masking).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from modelmaint._validation import as_1d, check_fraction, check_int, check_positive

__all__ = [
    "GrubbsResult",
    "grubbs_critical",
    "grubbs_outliers",
    "grubbs_test",
    "max_abs_zscore",
    "modified_zscore",
    "zscore",
    "zscore_outliers",
]

#: Consistency constant of the modified z-score: 0.6745 = Phi^{-1}(0.75), so that
#: ``MAD / 0.6745`` estimates sigma for normal data (Iglewicz and Hoaglin, 1993).
MAD_CONSTANT = 0.6745


def _check_ddof(ddof: Any, n: int) -> int:
    ddof = check_int(ddof, "ddof", minimum=0)
    if ddof >= n:
        raise ValueError(f"ddof must be < the number of values ({n}); got {ddof}")
    return ddof


def zscore(x: Any, ddof: int = 1) -> np.ndarray:
    r"""Standardize ``x``: :math:`z_i = (x_i - \bar x) / s`.

    Parameters
    ----------
    x : array-like of float, 1-D
        At least two finite values, not all equal.
    ddof : int, default 1
        Delta degrees of freedom of the standard deviation: 1 is the sample
        standard deviation (divide by ``n - 1``), 0 the population one that the
        seed's ``np.std`` uses.

    Returns
    -------
    numpy.ndarray
        The z-scores; their mean is 0 and their standard deviation (same ``ddof``) 1.

    Raises
    ------
    ValueError
        If ``x`` is empty, not 1-D, holds NaN/inf, or is constant (σ = 0).

    Notes
    -----
    Taught in notebook 01, section 2.

    Examples
    --------
    >>> zscore([1.0, 2.0, 3.0])
    array([-1.,  0.,  1.])
    >>> zscore([1.0, 2.0, 3.0], ddof=0).round(4)
    array([-1.2247,  0.    ,  1.2247])
    >>> zscore([5.0, 5.0, 5.0])
    Traceback (most recent call last):
    ...
    ValueError: x is constant (every value is 5.0): its standard deviation is 0
    """
    arr = as_1d(x, "x", min_size=2)
    ddof = _check_ddof(ddof, arr.size)
    mean = arr.mean()
    centred = arr - mean
    sd = math.sqrt(float(centred @ centred) / (arr.size - ddof))
    # rounding can leave a tiny sd on constant data: look closer only then
    if sd <= 1e-12 * abs(mean) + 1e-300 and np.ptp(arr) == 0:
        raise ValueError(
            f"x is constant (every value is {float(arr[0])!r}): "
            "its standard deviation is 0"
        )
    centred /= sd
    return centred


def zscore_outliers(x: Any, threshold: float = 3.0, ddof: int = 1) -> np.ndarray:
    """Boolean mask of the values whose ``|z|`` exceeds ``threshold``.

    Parameters
    ----------
    x : array-like of float, 1-D
        The values (see :func:`zscore`).
    threshold : float, default 3.0
        Flag ``|z| > threshold``; must be > 0. Note that ``|z|`` can never exceed
        :func:`max_abs_zscore` ``(n)``, so a threshold above it flags nothing.
    ddof : int, default 1
        Passed to :func:`zscore`.

    Returns
    -------
    numpy.ndarray of bool
        True where the value is flagged.

    Notes
    -----
    Taught in notebook 01, section 2.

    Examples
    --------
    >>> x = [10.0] * 19 + [30.0]
    >>> zscore_outliers(x).nonzero()[0]
    array([19])
    >>> bool(zscore_outliers([1.0, 2.0, 100.0], threshold=2).any())  # max |z| = 1.15
    False
    """
    threshold = check_positive(threshold, "threshold")
    z = zscore(x, ddof=ddof)
    return np.abs(z, out=z) > threshold


def max_abs_zscore(n: int, ddof: int = 1) -> float:
    r"""The largest ``|z|`` any sample of ``n`` values can reach.

    With the sample standard deviation (``ddof=1``) the bound is
    :math:`(n-1)/\sqrt{n}`; with the population one (``ddof=0``, the seed's
    ``np.std``) it is :math:`\sqrt{n-1}`. In general it is
    :math:`\sqrt{(n-1)(n-\mathrm{ddof})/n}` (Shiffler, 1988), reached when all values
    but one are equal.

    Parameters
    ----------
    n : int
        Sample size, at least 2.
    ddof : int, default 1
        Delta degrees of freedom, 0 <= ddof < n.

    Returns
    -------
    float

    Notes
    -----
    Taught in notebook 01, section 2 (why threshold 2 never fires for n <= 5).

    Examples
    --------
    >>> round(max_abs_zscore(5), 4)
    1.7889
    >>> max_abs_zscore(5, ddof=0)
    2.0
    """
    n = check_int(n, "n", minimum=2)
    ddof = _check_ddof(ddof, n)
    return math.sqrt((n - 1) * (n - ddof) / n)


def modified_zscore(x: Any) -> np.ndarray:
    r"""Robust z-score :math:`M_i = 0.6745\,(x_i - \tilde x) / \mathrm{MAD}`.

    The median :math:`\tilde x` and the median absolute deviation
    :math:`\mathrm{MAD} = \mathrm{median}(|x_i - \tilde x|)` are barely moved by a few
    outliers, so they do not mask each other as they do with the mean and σ.
    Iglewicz and Hoaglin suggest flagging :math:`|M_i| > 3.5`.

    Parameters
    ----------
    x : array-like of float, 1-D
        Finite values whose MAD is > 0 (more than half the values must differ from
        the median).

    Returns
    -------
    numpy.ndarray

    Raises
    ------
    ValueError
        If ``x`` is empty, not 1-D, holds NaN/inf, or its MAD is 0.

    Notes
    -----
    Taught in notebook 01, section 3.

    Examples
    --------
    >>> modified_zscore([1.0, 2.0, 3.0, 4.0, 100.0]).round(3)
    array([-1.349, -0.674,  0.   ,  0.674, 65.427])
    >>> modified_zscore([1.0, 1.0, 1.0, 5.0])
    Traceback (most recent call last):
    ...
    ValueError: x has a median absolute deviation (MAD) of 0: ...
    """
    arr = as_1d(x, "x")
    med = np.median(arr)
    mad = float(np.median(np.abs(arr - med)))
    if mad == 0.0:
        raise ValueError(
            "x has a median absolute deviation (MAD) of 0: more than half the values "
            f"equal the median {float(med)!r}"
        )
    return MAD_CONSTANT * (arr - med) / mad


@dataclass(frozen=True)
class GrubbsResult:
    """Result of a two-sided Grubbs test.

    Attributes
    ----------
    statistic : float
        :math:`G = \\max_i |x_i - \\bar x| / s` (sample standard deviation).
    critical : float
        The critical value of :math:`G` at the test's ``alpha``.
    index : int
        0-based index of the most extreme value (the candidate outlier).
    is_outlier : bool
        ``statistic > critical``.
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
        Sample size, at least 3.
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
    n = check_int(n, "n", minimum=3)
    alpha = check_fraction(alpha, "alpha")
    from scipy import stats

    t = float(stats.t.isf(alpha / (2 * n), n - 2))
    return (n - 1) / math.sqrt(n) * math.sqrt(t * t / (n - 2 + t * t))


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
    return GrubbsResult(statistic, critical, index, statistic > critical)


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
    while remaining.size >= 3 and np.ptp(arr[remaining]) > 0:
        result = grubbs_test(arr[remaining], alpha)
        if not result.is_outlier:
            break
        found.append(int(remaining[result.index]))
        remaining = np.delete(remaining, result.index)
    return np.asarray(found, dtype=int)
