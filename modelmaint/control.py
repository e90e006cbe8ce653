"""Control charts for a model's health metrics: Shewhart, p, EWMA, CUSUM, run rules.

Taught in notebook ``02_control_charts`` (seed 002 §3.1, §4.1). The seed estimates σ
from every point, including the ones it judges; here the limits come from a
*reference* (phase I) period or from a known target and σ, and are then applied to
the monitored (phase II) points. Everything is vectorized NumPy; indices are 0-based.

References: D. C. Montgomery, *Introduction to Statistical Quality Control*,
chapters 6, 7 and 9 (the CUSUM and EWMA examples of the tests come from there).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from modelmaint._validation import (
    as_1d,
    check_fraction,
    check_int,
    check_one_of,
    check_positive,
    check_real,
)

__all__ = [
    "D2",
    "ARLResult",
    "ChartResult",
    "CusumResult",
    "WesternElectricResult",
    "average_run_length",
    "cusum_chart",
    "ewma_chart",
    "individuals_chart",
    "moving_range_sigma",
    "p_chart",
    "western_electric",
]

#: Mean of the range of two independent standard normal values: E|X1 - X2| = 2/sqrt(pi).
#: Tables round it to 1.128.
D2 = 1.128


@dataclass(frozen=True)
class ChartResult:
    """A control chart: the plotted statistic, its limits and where it signals.

    Attributes
    ----------
    statistic : numpy.ndarray
        The plotted value per point.
    center, lower, upper : numpy.ndarray
        Centre line and control limits per point (constant for most charts).
    signals : numpy.ndarray of int
        0-based indices where the statistic is outside ``(lower, upper)``.
    first_signal : int or None
        The first of ``signals``, or None when the chart never signals.
    """

    statistic: np.ndarray
    center: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    signals: np.ndarray
    first_signal: int | None


@dataclass(frozen=True)
class CusumResult(ChartResult):
    """A tabular CUSUM: :class:`ChartResult` plus the two one-sided sums.

    ``statistic`` is ``max(c_plus, c_minus)``, ``upper`` is ``h·σ`` and ``lower``
    is ``-h·σ`` (the limit for ``-c_minus`` when both sums are drawn).
    """

    c_plus: np.ndarray = field(default_factory=lambda: np.empty(0))
    c_minus: np.ndarray = field(default_factory=lambda: np.empty(0))


def _finish(
    statistic: np.ndarray, center: Any, lower: Any, upper: Any
) -> tuple[np.ndarray, ...]:
    n = statistic.size
    center = np.broadcast_to(np.asarray(center, dtype=float), (n,)).copy()
    lower = np.broadcast_to(np.asarray(lower, dtype=float), (n,)).copy()
    upper = np.broadcast_to(np.asarray(upper, dtype=float), (n,)).copy()
    signals = np.flatnonzero((statistic > upper) | (statistic < lower))
    return center, lower, upper, signals


def _first(signals: np.ndarray) -> int | None:
    return int(signals[0]) if signals.size else None


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
    mr_bar = float(np.abs(np.diff(arr)).mean())
    if mr_bar == 0.0:
        raise ValueError(
            f"x is constant (every value is {float(arr[0])!r}): its moving range is 0"
        )
    return mr_bar / D2


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
    parts = _finish(arr, center, center - k * sigma, center + k * sigma)
    return ChartResult(arr, *parts, _first(parts[-1]))


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
    sizes = np.broadcast_to(as_1d(np.atleast_1d(n), "n"), err.shape).astype(float)
    if np.any(sizes < 1) or np.any(sizes != np.round(sizes)):
        raise ValueError(f"n must be whole numbers >= 1; got minimum {sizes.min()!r}")
    if np.any(err < 0) or np.any(err != np.round(err)):
        raise ValueError(
            f"errors must be whole numbers >= 0; got minimum {err.min()!r}"
        )
    if np.any(err > sizes):
        i = int(np.argmax(err > sizes))
        raise ValueError(
            f"errors must be <= n; got errors[{i}]={err[i]!r} > n[{i}]={sizes[i]!r}"
        )
    k = check_positive(k, "k")
    if reference_rate is None:
        p_bar = float(err.sum() / sizes.sum())
        if p_bar in (0.0, 1.0):
            raise ValueError(
                f"errors give a pooled rate of {p_bar!r}: the limits need 0 < p < 1"
            )
    else:
        p_bar = check_fraction(reference_rate, "reference_rate")
    half = k * np.sqrt(p_bar * (1 - p_bar) / sizes)
    rate = err / sizes
    parts = _finish(
        rate, p_bar, np.clip(p_bar - half, 0, 1), np.clip(p_bar + half, 0, 1)
    )
    return ChartResult(rate, *parts, _first(parts[-1]))


@dataclass(frozen=True)
class WesternElectricResult:
    """Where each Western Electric rule fires (0-based index of the point that
    completes the pattern).

    Attributes
    ----------
    rule1 : one point beyond 3σ.
    rule2 : two of three consecutive points beyond 2σ on the same side.
    rule3 : four of five consecutive points beyond 1σ on the same side.
    rule4 : eight consecutive points on the same side of the centre line.
    """

    rule1: np.ndarray
    rule2: np.ndarray
    rule3: np.ndarray
    rule4: np.ndarray

    @property
    def by_rule(self) -> dict[int, np.ndarray]:
        """``{rule number: indices}``."""
        return {1: self.rule1, 2: self.rule2, 3: self.rule3, 4: self.rule4}

    @property
    def signals(self) -> np.ndarray:
        """Sorted indices where any rule fires."""
        return np.unique(
            np.concatenate([self.rule1, self.rule2, self.rule3, self.rule4])
        )

    @property
    def first_signal(self) -> int | None:
        """First index where any rule fires, or None."""
        return _first(self.signals)


def _window_hits(flags: np.ndarray, window: int, needed: int) -> np.ndarray:
    """Indices i >= window-1 where flags[i-window+1 : i+1] holds >= needed Trues."""
    if flags.size < window:
        return np.empty(0, dtype=int)
    counts = np.convolve(flags.astype(int), np.ones(window, dtype=int), mode="valid")
    return np.flatnonzero(counts >= needed) + window - 1


def western_electric(x: Any, center: float, sigma: float) -> WesternElectricResult:
    """Apply the four Western Electric run rules to ``x``.

    A rule fires at index ``i`` when the window of points ending at ``i`` shows
    the pattern; rules 2–4 need the qualifying points on the same side.

    Parameters
    ----------
    x : array-like of float, 1-D
        The monitored values.
    center : float
        In-control mean (from a reference period).
    sigma : float
        In-control standard deviation, > 0.

    Returns
    -------
    WesternElectricResult

    Notes
    -----
    Taught in notebook 02, section 5. Together the four rules raise false alarms
    far more often than rule 1 alone (ARL0 about 92 instead of 370).

    Examples
    --------
    >>> x = [0.2, -0.3, 0.5, 0.4, 0.6, 0.3, 0.2, 0.7, 0.4, 3.5]
    >>> rules = western_electric(x, center=0.0, sigma=1.0)
    >>> rules.rule1, rules.rule4, rules.first_signal
    (array([9]), array([9]), 9)
    """
    arr = as_1d(x, "x")
    center = check_real(center, "center")
    sigma = check_positive(sigma, "sigma")
    z = (arr - center) / sigma
    rule1 = np.flatnonzero(np.abs(z) > 3)
    found = []
    for window, needed, level in ((3, 2, 2.0), (5, 4, 1.0), (8, 8, 0.0)):
        above = _window_hits(z > level, window, needed)
        below = _window_hits(z < -level, window, needed)
        found.append(np.union1d(above, below).astype(int))
    return WesternElectricResult(rule1, *found)


def _ewma_factor(lam: float, i: np.ndarray) -> np.ndarray:
    """sqrt(lam/(2-lam) * (1-(1-lam)^(2i))) for i = 1, 2, ... (1-based time)."""
    if lam == 1.0:
        return np.ones(i.shape)
    return np.sqrt(lam / (2 - lam) * -np.expm1(2 * i * np.log1p(-lam)))


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

    z, _ = lfilter([lam], [1.0, lam - 1.0], arr, zi=[(1.0 - lam) * target])
    half = L * sigma * _ewma_factor(lam, np.arange(1, arr.size + 1))
    parts = _finish(z, target, target - half, target + half)
    return ChartResult(z, *parts, _first(parts[-1]))


def _lindley(steps: np.ndarray, start: np.ndarray | float = 0.0) -> np.ndarray:
    """C_i = max(0, C_{i-1} + steps_i), C_0 = start >= 0, along the last axis.

    Closed form: with T_i = start + cumsum(steps)_i, C_i = T_i - min(0, min_{j<=i} T_j).
    """
    total = np.cumsum(steps, axis=-1)
    total += np.asarray(start)[..., None] if np.ndim(start) else start
    return total - np.minimum(np.minimum.accumulate(total, axis=-1), 0.0)


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
    allowance = k * sigma
    c_plus = _lindley(arr - (target + allowance))
    c_minus = _lindley((target - allowance) - arr)
    statistic = np.maximum(c_plus, c_minus)
    limit = h * sigma
    n = arr.size
    signals = np.flatnonzero(statistic > limit)
    return CusumResult(
        statistic=statistic,
        center=np.zeros(n),
        lower=np.full(n, -limit),
        upper=np.full(n, limit),
        signals=signals,
        first_signal=_first(signals),
        c_plus=c_plus,
        c_minus=c_minus,
    )


@dataclass(frozen=True)
class ARLResult:
    """Average run length estimated by simulation.

    Attributes
    ----------
    chart : str
        ``"shewhart"``, ``"ewma"`` or ``"cusum"``.
    shift : float
        Mean shift in σ units (0 = in control: ARL0).
    arl : float
        Mean number of points until the first signal.
    std_error : float
        Standard error of ``arl`` (sd of the run lengths / sqrt(n_runs)).
    run_lengths : numpy.ndarray of int
        One run length per simulated run (1-based count of points).
    censored : int
        Runs without a signal within ``max_len`` (counted as ``max_len``, which
        biases ``arl`` down; keep it 0 by choosing ``max_len`` large enough).
    """

    chart: str
    shift: float
    arl: float
    std_error: float
    run_lengths: np.ndarray
    censored: int


_DEFAULTS = {
    "shewhart": {"k": 3.0},
    "ewma": {"lam": 0.2, "L": 3.0},
    "cusum": {"k": 0.5, "h": 5.0},
}


def average_run_length(
    chart: str,
    shift: float = 0.0,
    *,
    n_runs: int = 2000,
    max_len: int = 20_000,
    seed: int = 0,
    block: int = 256,
    **params: float,
) -> ARLResult:
    """Average run length (ARL) of a chart by Monte Carlo simulation.

    Each run draws standard normal values with mean ``shift`` (target 0, σ 1) until
    the chart first signals. Runs are simulated together, ``block`` points at a
    time, carrying each chart's state between blocks and dropping the runs that
    have signalled — so even ARL0 ≈ 370 takes well under a second.

    Parameters
    ----------
    chart : {"shewhart", "ewma", "cusum"}
        The chart (an individuals chart with known σ for ``"shewhart"``).
    shift : float, default 0.0
        Mean shift in σ units.
    n_runs : int, default 2000
        Number of simulated runs, >= 2.
    max_len : int, default 20000
        Longest run simulated; longer runs are censored.
    seed : int, default 0
        Seed of :func:`numpy.random.default_rng`.
    block : int, default 256
        Points simulated per step for every active run.
    **params : float
        The chart's parameters: ``k`` (default 3) for ``"shewhart"``; ``lam``
        (0.2) and ``L`` (3) for ``"ewma"`` (exact time-varying limits, as in
        :func:`ewma_chart`); ``k`` (0.5) and ``h`` (5) for ``"cusum"``.

    Returns
    -------
    ARLResult

    Notes
    -----
    Taught in notebook 02, section 7. Published values for comparison: Shewhart
    3σ ARL0 = 1/0.0027 = 370.4, ARL at a 1σ shift 43.9; CUSUM k=0.5, h=5 ARL0 ≈ 465,
    ARL1(1σ) ≈ 10.4 (Montgomery, Table 9.3).

    Examples
    --------
    >>> result = average_run_length("shewhart", shift=3.0, n_runs=1000)
    >>> round(result.arl, 1)  # exact: 1 / P(|Z + 3| > 3) = 2.0
    2.0
    """
    chart = check_one_of(chart, "chart", list(_DEFAULTS))
    shift = check_real(shift, "shift")
    n_runs = check_int(n_runs, "n_runs", minimum=2)
    max_len = check_int(max_len, "max_len", minimum=1)
    block = check_int(block, "block", minimum=1)
    unknown = set(params) - set(_DEFAULTS[chart])
    if unknown:
        allowed = ", ".join(sorted(_DEFAULTS[chart]))
        raise ValueError(
            f"params for chart={chart!r} must be among {allowed}; got {sorted(unknown)}"
        )
    p = {**_DEFAULTS[chart], **params}
    if chart == "ewma":
        lam = check_fraction(p["lam"], "lam", include_high=True)
        width = check_positive(p["L"], "L")
    elif chart == "cusum":
        allowance = check_positive(p["k"], "k", allow_zero=True)
        limit = check_positive(p["h"], "h")
    else:
        width = check_positive(p["k"], "k")

    rng = np.random.default_rng(seed)
    run_lengths = np.full(n_runs, max_len, dtype=np.int64)
    active = np.arange(n_runs)
    state_a = np.zeros(n_runs)  # EWMA z or CUSUM C+
    state_b = np.zeros(n_runs)  # CUSUM C-
    t0 = 0
    while active.size and t0 < max_len:
        width_t = min(block, max_len - t0)
        x = rng.standard_normal((active.size, width_t)) + shift
        if chart == "shewhart":
            out = np.abs(x) > width
        elif chart == "ewma":
            from scipy.signal import lfilter

            zi = ((1.0 - lam) * state_a[active])[:, None]
            z, _ = lfilter([lam], [1.0, lam - 1.0], x, axis=1, zi=zi)
            half = width * _ewma_factor(lam, np.arange(t0 + 1, t0 + width_t + 1))
            out = np.abs(z) > half
            state_a[active] = z[:, -1]
        else:
            cp = _lindley(x - allowance, state_a[active])
            cm = _lindley(-allowance - x, state_b[active])
            out = (cp > limit) | (cm > limit)
            state_a[active], state_b[active] = cp[:, -1], cm[:, -1]
        hit = out.any(axis=1)
        first = out.argmax(axis=1)
        run_lengths[active[hit]] = t0 + first[hit] + 1
        active = active[~hit]
        t0 += width_t
    arl = float(run_lengths.mean())
    std_error = float(run_lengths.std(ddof=1) / math.sqrt(n_runs))
    return ARLResult(chart, shift, arl, std_error, run_lengths, int(active.size))
