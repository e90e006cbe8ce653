"""EWMA and CUSUM: charts with memory, for small sustained shifts.

Taught in notebook 02 (seed 002 §3.1): a Shewhart chart looks at one point at a time
and needs a shift of about 3σ to react quickly; EWMA and CUSUM accumulate evidence
and catch a 1σ shift in about 10 points (Montgomery, ch. 9).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from modelmaint._validation import (
    as_1d,
    check_fraction,
    check_positive,
    check_real,
    safe_scaled,
)
from modelmaint.control._chart import ewma_factor, finish, first, lindley
from modelmaint.control.shewhart import ChartResult, CusumResult

__all__ = ["cusum_chart", "ewma_chart"]


def ewma_chart(
    x: Any, target: float, sigma: float, lam: float = 0.2, L: float = 3.0
) -> ChartResult:
    r"""EWMA chart with exact (time-varying) limits.

    .. math::
        z_i = \lambda x_i + (1-\lambda) z_{i-1},\quad z_0 = \mu_0, \qquad
        \mu_0 \pm L\sigma
        \sqrt{\tfrac{\lambda}{2-\lambda}\left[1-(1-\lambda)^{2i}\right]}

    Parameters
    ----------
    x : array-like of float, 1-D
        The monitored values.
    target : float
        In-control mean :math:`\mu_0`.
    sigma : float
        In-control standard deviation of one value, > 0.
    lam : float, default 0.2
        Smoothing weight λ in (0, 1]; λ = 1 is the Shewhart chart.
    L : float, default 3.0
        Width of the limits, > 0.

    Returns
    -------
    ChartResult

    Notes
    -----
    Taught in notebook 02, section 6. The recursion runs in C through
    ``scipy.signal.lfilter``.

    Examples
    --------
    >>> chart = ewma_chart([10.0, 12.0, 13.0], target=10.0, sigma=1.0, lam=0.5)
    >>> chart.statistic
    array([10., 11., 12.])
    >>> chart.upper.round(3), chart.first_signal
    (array([11.5  , 11.677, 11.718]), 2)
    """
    arr = as_1d(x, "x")
    target = check_real(target, "target")
    sigma = check_positive(sigma, "sigma")
    lam = check_fraction(lam, "lam", include_high=True)
    L = check_positive(L, "L")
    from scipy.signal import lfilter

    # z is a weighted mean of target and x: computed in units of 2**e (exact), its
    # rounding cannot carry it past the largest float
    _, e = safe_scaled(np.array([np.abs(arr).max(), target]))
    xs, ts = np.ldexp(arr, -e), float(np.ldexp(target, -e))
    z, _ = lfilter([lam], [1.0, lam - 1.0], xs, zi=[(1.0 - lam) * ts])
    z = np.ldexp(z, e)
    # the limits target +- L sigma f_i, in units of 2**e too: a limit that is a
    # float stays one even when L sigma is not
    (ml, el), (ms, es) = np.frexp(L), np.frexp(sigma)
    e = max(int(el + es), int(np.frexp(target)[1]) if target else -1074)
    e = 0 if -400 <= e <= 400 else e
    half = np.ldexp(ml * ms * ewma_factor(lam, np.arange(1, arr.size + 1)), el + es - e)
    ts = float(np.ldexp(target, -e))
    with np.errstate(over="ignore"):  # a limit beyond the float range is inf
        lower, upper = np.ldexp(ts - half, e), np.ldexp(ts + half, e)
    return ChartResult(statistic=z, **finish(z, target, lower, upper))


def cusum_chart(
    x: Any, target: float, sigma: float, k: float = 0.5, h: float = 5.0
) -> CusumResult:
    r"""Two-sided tabular CUSUM (no reset after a signal).

    .. math::
        C_i^+ = \max\left(0, x_i - (\mu_0 + K) + C_{i-1}^+\right), \quad
        C_i^- = \max\left(0, (\mu_0 - K) - x_i + C_{i-1}^-\right)

    with :math:`K = k\sigma`, :math:`C_0^\pm = 0`; it signals where either sum
    exceeds :math:`H = h\sigma`.

    Parameters
    ----------
    x : array-like of float, 1-D
        The monitored values.
    target : float
        In-control mean :math:`\mu_0`.
    sigma : float
        In-control standard deviation, > 0.
    k : float, default 0.5
        Reference value (allowance) in σ, >= 0; half the shift to detect.
    h : float, default 5.0
        Decision interval in σ, > 0.

    Returns
    -------
    CusumResult

    Notes
    -----
    Taught in notebook 02, section 6. The max-recursion is solved in closed form
    (a running minimum of the cumulative sum), so it is vectorized.

    Examples
    --------
    >>> chart = cusum_chart([10.0, 12.0, 13.0, 14.0], target=10.0, sigma=1.0)
    >>> chart.c_plus, chart.first_signal
    (array([0. , 1.5, 4. , 7.5]), 3)
    """
    arr = as_1d(x, "x")
    target = check_real(target, "target")
    sigma = check_positive(sigma, "sigma")
    k = check_positive(k, "k", allow_zero=True)
    h = check_positive(h, "h")
    # The sums are computed in units of 2**e (exact), with e the exponent of the
    # largest of |x|, |target| and k sigma: x - target and k sigma cannot overflow
    # near 1e308, nor be lost when sigma is huge and k is 0. A sum beyond the float
    # range is inf, as the true value is (it is not a float).
    (mk, ek), (ms, es) = np.frexp(k), np.frexp(sigma)
    peaks = [np.abs(arr).max(), abs(target)]
    exponents = [int(np.frexp(v)[1]) for v in peaks if v] + (
        [int(ek + es)] if k else []
    )
    e = max(exponents, default=0)
    e = 0 if -400 <= e <= 400 else e
    xs, ts = np.ldexp(arr, -e), float(np.ldexp(target, -e))
    ks = float(np.ldexp(mk * ms, int(ek + es) - e)) if k else 0.0
    with np.errstate(over="ignore"):
        c_plus = np.ldexp(lindley(xs - (ts + ks)), e)
        c_minus = np.ldexp(lindley((ts - ks) - xs), e)
        limit = float(np.ldexp(h * ms, es))
    statistic = np.maximum(c_plus, c_minus)
    n = arr.size
    signals = np.flatnonzero(statistic > limit)
    return CusumResult(
        statistic=statistic,
        center=np.zeros(n),
        lower=np.full(n, -limit),
        upper=np.full(n, limit),
        signals=signals,
        first_signal=first(signals),
        c_plus=c_plus,
        c_minus=c_minus,
    )
