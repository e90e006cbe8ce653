"""Shewhart charts: the chart result, the individuals chart and the p-chart.

Taught in notebook 02 (seed 002 §3.1, §4.1). The seed estimates σ from every point,
including the ones it judges; here the limits come from a *reference* (phase I)
period and are then applied to the monitored (phase II) points. σ of individual
values comes from the average moving range (Montgomery, ch. 6), which a single
shift inflates far less than the sample standard deviation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from modelmaint._validation import (
    as_1d,
    check_fraction,
    check_length,
    check_positive,
    safe_scaled,
    show,
)
from modelmaint.control._chart import finish, readonly

__all__ = [
    "D2",
    "ChartResult",
    "CusumResult",
    "individuals_chart",
    "moving_range_sigma",
    "p_chart",
]


#: Mean of the range of two independent standard normal values: E|X1 - X2| = 2/sqrt(pi).
#: Tables round it to 1.128.
D2 = 1.128


@dataclass(frozen=True, kw_only=True)
class ChartResult:
    """A control chart: the plotted statistic, its limits and where it signals.

    The charts of this package build it; its arrays are read-only.

    Parameters
    ----------
    statistic : numpy.ndarray
        The plotted value per point.
    center : numpy.ndarray
        Centre line per point (constant for most charts).
    lower : numpy.ndarray
        Lower control limit per point.
    upper : numpy.ndarray
        Upper control limit per point.
    signals : numpy.ndarray of int
        0-based indices where the statistic is outside ``(lower, upper)``.
    first_signal : int or None
        The first of ``signals``, or None when the chart never signals.

    See Also
    --------
    individuals_chart, p_chart, modelmaint.control.ewma_chart : Charts that make it.

    Examples
    --------
    >>> chart = individuals_chart([10, 11, 10, 14, 10], reference=[10, 11, 10, 11])
    >>> chart.signals, chart.first_signal
    (array([3]), 3)
    >>> chart.statistic[0] = 0.0
    Traceback (most recent call last):
    ...
    ValueError: assignment destination is read-only
    """

    statistic: np.ndarray
    center: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    signals: np.ndarray
    first_signal: int | None

    def __post_init__(self) -> None:
        readonly(self, "statistic", "center", "lower", "upper", "signals")


@dataclass(frozen=True, kw_only=True)
class CusumResult(ChartResult):
    """A tabular CUSUM: :class:`ChartResult` plus the two one-sided sums.

    ``statistic`` is ``max(c_plus, c_minus)``, ``upper`` is ``h·σ`` and ``lower``
    is ``-h·σ`` (the limit for ``-c_minus`` when both sums are drawn). Made by
    :func:`~modelmaint.control.cusum_chart`; its arrays are read-only.

    Parameters
    ----------
    statistic : numpy.ndarray
        ``max(c_plus, c_minus)`` per point.
    center : numpy.ndarray
        Zeros.
    lower : numpy.ndarray
        ``-h·σ`` per point.
    upper : numpy.ndarray
        ``h·σ`` per point.
    signals : numpy.ndarray of int
        0-based indices where either sum exceeds ``h·σ``.
    first_signal : int or None
        The first of ``signals``, or None.
    c_plus : numpy.ndarray
        The upper sum :math:`C^+_i` (it detects an upward shift).
    c_minus : numpy.ndarray
        The lower sum :math:`C^-_i` (it detects a downward shift).

    Examples
    --------
    >>> from modelmaint.control import cusum_chart
    >>> chart = cusum_chart([10.0, 12.0, 13.0, 14.0], target=10.0, sigma=1.0)
    >>> chart.c_plus, chart.c_minus, chart.first_signal
    (array([0. , 1.5, 4. , 7.5]), array([0., 0., 0., 0.]), 3)
    """

    c_plus: np.ndarray
    c_minus: np.ndarray

    def __post_init__(self) -> None:
        super().__post_init__()
        readonly(self, "c_plus", "c_minus")


def moving_range_sigma(x: Any) -> float:
    r"""Estimate σ from the average moving range: :math:`\overline{MR} / d_2`.

    :math:`\overline{MR}` is the mean of :math:`|x_i - x_{i-1}|` and
    :math:`d_2 = 1.128` for ranges of two values. Unlike the standard deviation of
    all points, it is barely inflated by a sustained shift in the data.

    Parameters
    ----------
    x : array-like of float, 1-D
        At least 2 finite values, not all equal in consecutive pairs.

    Returns
    -------
    float

    Examples
    --------
    >>> moving_range_sigma([10.0, 11.0, 10.0, 11.0])  # MR-bar = 1
    0.88652...
    """
    arr = as_1d(x, "x", min_size=2)
    scaled, e = safe_scaled(arr, bound=1022)  # no overflow of x_i - x_(i-1)
    mr_bar = float(np.abs(np.diff(scaled)).mean())
    if mr_bar == 0.0:
        raise ValueError(
            f"x is constant (every value is {show(arr[0])}): its moving range is 0"
        )
    return float(np.ldexp(mr_bar / D2, e))


def individuals_chart(x: Any, reference: Any = None, k: float = 3.0) -> ChartResult:
    r"""Shewhart individuals chart with limits from a reference (phase I) period.

    .. math::
        \mathrm{CL} = \bar x_\mathrm{ref}, \quad
        \mathrm{UCL, LCL} = \bar x_\mathrm{ref} \pm k\,\overline{MR}_\mathrm{ref}/d_2

    Parameters
    ----------
    x : array-like of float, 1-D
        The monitored (phase II) values.
    reference : array-like of float, 1-D, optional
        In-control values that set the centre line and σ. None uses ``x`` itself
        (a phase I study).
    k : float, default 3.0
        Width of the limits in σ, > 0.

    Returns
    -------
    ChartResult

    Notes
    -----
    Taught in notebook 02, section 3.

    Examples
    --------
    >>> chart = individuals_chart([10, 11, 10, 14, 10], reference=[10, 11, 10, 11])
    >>> round(float(chart.upper[0]), 3), chart.signals, chart.first_signal
    (13.159, array([3]), 3)
    """
    arr = as_1d(x, "x")
    ref = arr if reference is None else as_1d(reference, "reference", min_size=2)
    k = check_positive(k, "k")
    sigma = moving_range_sigma(ref) if reference is None else _ref_sigma(ref)
    center = float(ref.mean())
    limits = finish(arr, center, center - k * sigma, center + k * sigma)
    return ChartResult(statistic=arr, **limits)


def _ref_sigma(ref: np.ndarray) -> float:
    try:
        return moving_range_sigma(ref)
    except ValueError as exc:
        raise ValueError(str(exc).replace("x is", "reference is", 1)) from None


def p_chart(
    errors: Any, n: Any, reference_rate: float | None = None, k: float = 3.0
) -> ChartResult:
    r"""p-chart for a proportion (e.g. a model's daily error rate).

    .. math:: \hat p_i = e_i / n_i, \quad
              \mathrm{limits}_i = \bar p \pm k\sqrt{\bar p (1-\bar p) / n_i}

    clipped to [0, 1]; they vary with each point's sample size :math:`n_i`.

    Parameters
    ----------
    errors : array-like of int, 1-D
        Count of errors (nonconforming items) per period, 0 <= errors <= n.
    n : int or array-like of int
        Sample size per period (one value for all, or one per period), >= 1.
    reference_rate : float, optional
        The in-control rate :math:`\bar p` in (0, 1), e.g. measured on a reference
        period. None pools the data: ``sum(errors) / sum(n)`` (phase I).
    k : float, default 3.0
        Width of the limits in standard errors, > 0.

    Returns
    -------
    ChartResult

    Notes
    -----
    Taught in notebook 02, section 4.

    Examples
    --------
    >>> chart = p_chart([5, 6, 4, 20], n=[100, 100, 80, 100], reference_rate=0.05)
    >>> chart.statistic
    array([0.05, 0.06, 0.05, 0.2 ])
    >>> chart.upper.round(4), chart.first_signal
    (array([0.1154, 0.1154, 0.1231, 0.1154]), 3)
    """
    err = as_1d(errors, "errors")
    sizes = as_1d(np.atleast_1d(n), "n")
    if sizes.size != 1:
        check_length(sizes, "n", err.size, "errors")
    sizes = np.broadcast_to(sizes, err.shape).astype(float)
    if np.any(sizes < 1) or np.any(sizes != np.round(sizes)):
        raise ValueError(
            f"n must be whole numbers >= 1; got minimum {show(sizes.min())}"
        )
    if np.any(err < 0) or np.any(err != np.round(err)):
        raise ValueError(
            f"errors must be whole numbers >= 0; got minimum {show(err.min())}"
        )
    if np.any(err > sizes):
        i = int(np.argmax(err > sizes))
        raise ValueError(
            f"errors must be <= n; got errors[{i}]={show(err[i])} > "
            f"n[{i}]={show(sizes[i])}"
        )
    k = check_positive(k, "k")
    if reference_rate is None:
        p_bar = float(err.sum() / sizes.sum())
        if p_bar in (0.0, 1.0):
            raise ValueError(
                f"errors give a pooled rate of {show(p_bar)}: the limits need 0 < p < 1"
            )
    else:
        p_bar = check_fraction(reference_rate, "reference_rate")
    half = k * np.sqrt(p_bar * (1 - p_bar) / sizes)
    rate = err / sizes
    limits = finish(
        rate, p_bar, np.clip(p_bar - half, 0, 1), np.clip(p_bar + half, 0, 1)
    )
    return ChartResult(statistic=rate, **limits)
