"""Monitoring statistics of many simulated streams at once, with or without a change.

Taught in the lab notebook after 03 ("Alarms you can trust"). A chart is reduced to
one number per point that grows when something is wrong, and it alarms where that
number exceeds a threshold; :mod:`~modelmaint.alarms.calibrate` picks the threshold.
The streams are N(0, 1) in control (standardized residuals of a model's metric); a
:class:`Shift` changes them from index τ on. Every statistic is computed for an
``(n_streams, n_steps)`` array at once, with cumulative sums along the steps (the
CUSUM's and the EWMA's recursions in closed form): no Python loop over the steps.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from modelmaint._validation import (
    InputTypeError,
    as_2d,
    as_array,
    check_fraction,
    check_int,
    check_one_of,
    check_positive,
    check_real,
    safe_scaled,
)

__all__ = [
    "ChartStatistic",
    "Shift",
    "cusum_statistic",
    "ewma_statistic",
    "shewhart_statistic",
]


@dataclass(frozen=True)
class Shift:
    r"""A change of N(0, 1) streams from index ``at`` (τ, 0-based) on.

    For :math:`t \ge \tau` a value is
    :math:`x_t = \delta + s\,(t - \tau + 1) + c\,\varepsilon_t`, with
    :math:`\varepsilon_t \sim N(0, 1)`; before τ it is :math:`\varepsilon_t`.

    Parameters
    ----------
    at : int
        τ, the first changed index, >= 0.
    delta : float, default 0.0
        Step in the mean, in σ (0.5, 1 and 2 are the usual small, medium, large).
    scale : float, default 1.0
        Factor on the standard deviation, > 0 (2.0 quadruples the variance).
    slope : float, default 0.0
        Linear drift of the mean, in σ per step (a ramp; x_τ is already ``slope``).

    Examples
    --------
    >>> Shift(at=2, delta=1.0, slope=0.5).apply(np.zeros(5))
    array([0. , 0. , 1.5, 2. , 2.5])
    >>> Shift(at=-1)
    Traceback (most recent call last):
    ...
    ValueError: at must be an integer >= 0; got -1
    """

    at: int
    delta: float = 0.0
    scale: float = 1.0
    slope: float = 0.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "at", check_int(self.at, "at", minimum=0))
        object.__setattr__(self, "delta", check_real(self.delta, "delta"))
        object.__setattr__(self, "scale", check_positive(self.scale, "scale"))
        object.__setattr__(self, "slope", check_real(self.slope, "slope"))

    def apply(self, noise: np.ndarray) -> np.ndarray:
        """Return the changed streams; ``noise`` is N(0, 1), time on the last axis.

        Parameters
        ----------
        noise : array-like of float
            In-control values, finite, at least 1-D (any shape: time is the last
            axis, one stream per other index).

        Returns
        -------
        numpy.ndarray
            The streams with the change from index ``at`` on, shaped like ``noise``.

        Examples
        --------
        >>> Shift(at=1, scale=2.0).apply(np.ones(3))
        array([1., 2., 2.])
        """
        noise = as_array(noise, "noise")
        if noise.ndim == 0:
            raise ValueError("noise must have at least 1 dimension; got a scalar")
        t = np.arange(noise.shape[-1])
        after = t >= self.at
        mean = np.where(after, self.delta + self.slope * (t - self.at + 1), 0.0)
        return noise * np.where(after, self.scale, 1.0) + mean


@dataclass(frozen=True)
class ChartStatistic:
    """A chart's monitoring statistic on simulated N(0, 1) streams (larger = worse).

    Call it as ``statistic(rng, n_streams, n_steps)`` (the form that
    :func:`~modelmaint.alarms.calibrate_threshold` and
    :func:`~modelmaint.alarms.expected_delay` take); :meth:`transform` applies the
    same chart to standardized data of your own. Build it with
    :func:`shewhart_statistic`, :func:`ewma_statistic` or :func:`cusum_statistic`.

    Parameters
    ----------
    chart : {"shewhart", "ewma", "cusum"}
        The chart whose statistic this is.
    lam : float or None
        EWMA weight λ (``"ewma"`` only).
    k : float or None
        CUSUM allowance in σ (``"cusum"`` only).
    shift : Shift or None
        The change applied to the simulated streams (None: in control).

    Examples
    --------
    >>> statistic = ewma_statistic(lam=0.5)
    >>> statistic.chart, statistic(np.random.default_rng(0), 4, 100).shape
    ('ewma', (4, 100))
    """

    chart: str
    lam: float | None = None
    k: float | None = None
    shift: Shift | None = None

    def __post_init__(self) -> None:
        check_one_of(self.chart, "chart", ("shewhart", "ewma", "cusum"))
        for name, needed in (("lam", "ewma"), ("k", "cusum")):
            value = getattr(self, name)
            if value is None and self.chart == needed:
                raise ValueError(f"{name} must be given for chart={needed!r}; got None")
        if self.lam is not None:
            lam = check_fraction(self.lam, "lam", include_high=True)
            object.__setattr__(self, "lam", lam)
        if self.k is not None:
            object.__setattr__(self, "k", check_positive(self.k, "k", allow_zero=True))
        _check_shift(self.shift)

    def transform(self, x: Any) -> np.ndarray:
        """The statistic of standardized data ``x`` (streams x steps), same shape.

        Parameters
        ----------
        x : array-like of float, shape (n_streams, n_steps)
            Standardized values (in-control N(0, 1)), finite; one stream per row.

        Returns
        -------
        numpy.ndarray
            The chart's statistic at every point, shape of ``x``, >= 0.

        Examples
        --------
        >>> cusum_statistic(k=0.5).transform([[1.0, 2.0, -1.0], [0.0, -3.0, 0.0]])
        array([[0.5, 2. , 0.5],
               [0. , 2.5, 2. ]])
        """
        arr = as_2d(x, "x")
        if self.chart == "shewhart":
            return np.abs(arr)
        if self.chart == "ewma":
            lam = float(self.lam)  # type: ignore[arg-type]
            return np.abs(_ewma(arr, lam)) / math.sqrt(lam / (2.0 - lam))
        k = float(self.k)  # type: ignore[arg-type]
        return np.maximum(_lindley(arr - k), _lindley(-arr - k))

    def __call__(
        self, rng: np.random.Generator, n_streams: int, n_steps: int
    ) -> np.ndarray:
        noise = rng.standard_normal((n_streams, n_steps))
        return self.transform(noise if self.shift is None else self.shift.apply(noise))


def _ewma(x: np.ndarray, lam: float) -> np.ndarray:
    """z_t = lam x_t + (1 - lam) z_{t-1}, z_{-1} = 0, along axis 1, in closed form.

    Within a block, z_{b+j} = w^(j+1) z_{b-1} + lam w^j cumsum_i(w^-i x_{b+i}) with
    w = 1 - lam; blocks are short enough that w^-j stays below e^300.
    """
    if lam == 1.0:
        return x.copy()
    x, e = safe_scaled(x)  # linear in x: no overflow of x / decay near 1e308
    log_w = math.log1p(-lam)
    block = max(1, int(300.0 / -log_w))
    z = np.empty_like(x)
    previous = np.zeros(x.shape[0])
    for start in range(0, x.shape[1], block):
        chunk = x[:, start : start + block]
        j = np.arange(chunk.shape[1])
        decay = np.exp(j * log_w)
        z_chunk = lam * decay * np.cumsum(chunk / decay, axis=1)
        z_chunk += previous[:, None] * (decay * (1.0 - lam))
        z[:, start : start + block] = z_chunk
        previous = z_chunk[:, -1]
    return np.ldexp(z, e)


def _lindley(steps: np.ndarray) -> np.ndarray:
    """C_t = max(0, C_{t-1} + steps_t), C_{-1} = 0, along axis 1, in closed form."""
    total = np.cumsum(steps, axis=1)
    return total - np.minimum(np.minimum.accumulate(total, axis=1), 0.0)


def shewhart_statistic(shift: Shift | None = None) -> ChartStatistic:
    """Two-sided Shewhart chart on known σ: the statistic is ``|x_t|``.

    Alarms above 3 give ARL0 = 1 / P(|Z| > 3) = 370.4.

    Parameters
    ----------
    shift : Shift, optional
        Change applied to the simulated streams.

    Returns
    -------
    ChartStatistic

    Examples
    --------
    >>> shewhart_statistic().transform([[-2.0, 0.5]])
    array([[2. , 0.5]])
    """
    return ChartStatistic("shewhart", shift=_check_shift(shift))


def ewma_statistic(lam: float = 0.2, shift: Shift | None = None) -> ChartStatistic:
    r"""EWMA in units of its asymptotic sd: :math:`|z_t| / \sqrt{\lambda/(2-\lambda)}`.

    :math:`z_t = \lambda x_t + (1-\lambda) z_{t-1}`, :math:`z_{-1} = 0`. A threshold
    L is the usual chart with asymptotic limits ±Lσ_z (Lucas & Saccucci 1990).

    Parameters
    ----------
    lam : float, default 0.2
        Weight λ in (0, 1]; λ = 1 is the Shewhart chart.
    shift : Shift, optional
        Change applied to the simulated streams.

    Returns
    -------
    ChartStatistic

    Examples
    --------
    >>> ewma_statistic(lam=0.5).transform([[1.0, 1.0]]).round(3)  # z = 0.5, 0.75
    array([[0.866, 1.299]])
    """
    lam = check_fraction(lam, "lam", include_high=True)
    return ChartStatistic("ewma", lam=lam, shift=_check_shift(shift))


def cusum_statistic(k: float = 0.5, shift: Shift | None = None) -> ChartStatistic:
    r"""Two-sided tabular CUSUM: the statistic is :math:`\max(C_t^+, C_t^-)`.

    :math:`C_t^\pm = \max(0, C_{t-1}^\pm \pm x_t - k)`, :math:`C_{-1}^\pm = 0`, as
    ``mm.control.cusum_chart`` with target 0 and σ = 1; a threshold is h.

    Parameters
    ----------
    k : float, default 0.5
        Allowance in σ, >= 0 (half the shift the chart is tuned for).
    shift : Shift, optional
        Change applied to the simulated streams.

    Returns
    -------
    ChartStatistic

    Examples
    --------
    >>> cusum_statistic(k=0.5).transform([[1.0, 2.0, -1.0]])
    array([[0.5, 2. , 0.5]])
    """
    k = check_positive(k, "k", allow_zero=True)
    return ChartStatistic("cusum", k=k, shift=_check_shift(shift))


def _check_shift(shift: Any) -> Shift | None:
    if shift is not None and not isinstance(shift, Shift):
        raise InputTypeError(
            f"shift must be a Shift or None; got {type(shift).__name__}"
        )
    return shift
