"""z-scores, their bound, and the robust modified z-score (median and MAD).

Taught in notebook ``01_anomaly_detection``, sections 2-3 (seed 000 §3.1, §4.1).
Every function is vectorized NumPy; indices are 0-based.

The seed's ``z_score`` (000 §4.1) is *not* reproduced here: the notebook runs it as
written and shows its faults (a Python loop, division by zero on constant data, the
bound on ``max |z|`` that makes small thresholds unreachable, masking).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from modelmaint._validation import (
    as_1d,
    check_int,
    check_positive,
    safe_scaled,
    show,
)

__all__ = [
    "MAD_CONSTANT",
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
    # z is scale-free: computed on x / 2**e (exact), its sum of squares can neither
    # overflow (x near 1e308) nor underflow (subnormal x)
    scaled, _ = safe_scaled(arr)
    mean = scaled.mean()
    centred = scaled - mean
    sd = math.sqrt(float(centred @ centred) / (arr.size - ddof))
    # rounding can leave a tiny sd on constant data: look closer only then
    if sd <= 1e-12 * abs(mean) and arr.max() == arr.min():
        raise ValueError(
            f"x is constant (every value is {show(arr[0])}): "
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
    scaled, e = safe_scaled(arr, bound=1022)  # scale-free: no overflow of x - median
    med = np.median(scaled)
    mad = float(np.median(np.abs(scaled - med)))
    if mad == 0.0:
        raise ValueError(
            "x has a median absolute deviation (MAD) of 0: more than half the values "
            f"equal the median {show(np.ldexp(med, e))}"
        )
    with np.errstate(over="ignore"):  # inf where M is beyond the float range
        return MAD_CONSTANT * ((scaled - med) / mad)
