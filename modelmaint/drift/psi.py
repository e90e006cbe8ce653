"""Population stability index (PSI): how far did a feature's distribution move?

Taught in notebook 03, section 6 (seed 004 §3.3). The PSI of a window is an
*estimate*: from a window of ``n`` rows it is biased upwards by about
``(bins - 1) / n`` even when nothing drifted (0.06 for 150 rows, 0.006 for 1,500),
its spread shrinks like ``1 / n``, and a bin left empty by a small window adds about
0.69 through :data:`PSI_EPSILON`. The credit-scoring rule of thumb (< 0.1 stable,
> 0.25 major) assumes large windows; for small ones compare a window's PSI with its
*null distribution* for that window size (:func:`psi_null_distribution`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from modelmaint._validation import (
    MAX_BINS,
    as_1d,
    check_budget,
    check_int,
    check_scalar,
    check_seed,
    safe_scaled,
)
from modelmaint.drift._counts import category_counts

__all__ = [
    "PSI_EPSILON",
    "psi",
    "psi_categorical",
    "psi_level",
    "psi_null_distribution",
]

PSI_EPSILON = 1e-4
"""Proportion used in place of 0 for an empty bin, so that ``log(p/q)`` stays finite.

With it, one empty bin adds about ``q * log(q / 1e-4)`` to the PSI instead of
infinity - for a decile bin (``q = 0.1``) that is 0.69, more than the "major drift"
threshold on its own, so a window too small to fill every bin looks drifted. The
value is the one most credit-scoring texts use.
"""

PSI_STABLE = 0.1
PSI_MAJOR = 0.25


def _psi_from_counts(ref_counts: np.ndarray, cur_counts: np.ndarray) -> float:
    ref_p = np.maximum(ref_counts / ref_counts.sum(), PSI_EPSILON)
    cur_p = np.maximum(cur_counts / cur_counts.sum(), PSI_EPSILON)
    # Each term (c - r) * log(c / r) is >= 0, so the sum is too.
    return float(np.sum((cur_p - ref_p) * np.log(cur_p / ref_p)))


def _common_scale(*samples: np.ndarray) -> list[np.ndarray]:
    """The samples times one power of two when they come near 1.7e308.

    Quantile bins are scale-free and a power of two is exact: near 1e308 the
    quantiles' interpolation ``a + (b - a) t`` would overflow to inf and NaN.
    """
    peak = max(float(np.abs(s).max()) for s in samples)
    _, e = safe_scaled(np.array([peak]), bound=1022)
    return [np.ldexp(s, -e) for s in samples] if e else list(samples)


def _inner_edges(ref: np.ndarray, bins: int) -> np.ndarray:
    """Inner bin edges: the reference's quantiles at 1/b, ..., (b-1)/b, ties merged."""
    return np.unique(np.quantile(ref, np.linspace(0, 1, bins + 1)[1:-1]))


def _bin_codes(inner: np.ndarray, x: np.ndarray) -> np.ndarray:
    # side="left": bin i holds values in (edge_{i-1}, edge_i], the last bin values
    # above the last edge, so anything beyond the reference's maximum stands apart.
    return np.searchsorted(inner, x, side="left")


def psi(reference: Any, current: Any, bins: int = 10) -> float:
    r"""Population stability index of a numeric feature.

    .. math:: \mathrm{PSI} = \sum_i (c_i - r_i)\,\ln\frac{c_i}{r_i}

    where :math:`r_i` and :math:`c_i` are the proportions of the reference and
    current samples in bin :math:`i`. The inner bin edges are the reference's
    quantiles at :math:`1/b, \dots, (b-1)/b` (so each bin holds about :math:`1/b`
    of the reference); the outer bins are open-ended, so current values beyond the
    reference's range still count. Bins are closed on the right,
    ``(e_{i-1}, e_i]``. Tied quantiles are merged, so a feature with few distinct
    values gets fewer bins (a constant reference gets two: "at most its value" and
    "above it"). An empty bin's proportion is replaced by :data:`PSI_EPSILON`.
    PSI is >= 0, and 0 when both samples fill the bins alike. It is not free of the
    sample size: two samples of the *same* law give about ``(bins - 1) / n`` for a
    current window of ``n`` rows (see :func:`psi_null_distribution`).

    Parameters
    ----------
    reference : array-like of float, 1-D
        The feature at training time (or any baseline window).
    current : array-like of float, 1-D
        The feature in the window being checked.
    bins : int, default 10
        Number of quantile bins, 2 to 10,000.

    Returns
    -------
    float

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> reference = rng.normal(0, 1, 5000)
    >>> psi(reference, reference)
    0.0
    >>> round(psi(reference, rng.normal(0, 1, 5000)), 3)  # same law: near 0
    0.005
    >>> round(psi(reference, rng.normal(1, 1, 5000)), 2)  # one sigma: major drift
    0.95
    >>> psi(reference, reference, bins=1)
    Traceback (most recent call last):
    ...
    ValueError: bins must be an integer >= 2; got 1
    """
    ref = as_1d(reference, "reference")
    cur = as_1d(current, "current")
    bins = check_int(bins, "bins", minimum=2, maximum=MAX_BINS)
    ref, cur = _common_scale(ref, cur)
    inner = _inner_edges(ref, bins)
    n_bins = inner.size + 1
    ref_counts = np.bincount(_bin_codes(inner, ref), minlength=n_bins)
    cur_counts = np.bincount(_bin_codes(inner, cur), minlength=n_bins)
    return _psi_from_counts(ref_counts, cur_counts)


def psi_null_distribution(
    reference: Any,
    window_size: int,
    *,
    n_windows: int = 2000,
    bins: int = 10,
    seed: int = 0,
) -> np.ndarray:
    """PSI of windows drawn from the reference itself: its values when nothing drifted.

    Each window holds ``window_size`` rows drawn with replacement from
    ``reference`` (a bootstrap) and is binned exactly as :func:`psi` bins a current
    window. A high quantile of the result (say the 99th) is a threshold with a known
    false-alarm rate *for that window size* - unlike the fixed 0.1 / 0.25.

    Parameters
    ----------
    reference : array-like of float, 1-D
        The feature at training time (at least ``bins`` rows).
    window_size : int
        Rows per monitored window (>= 1).
    n_windows : int, default 2000
        Number of windows drawn (>= 1); ``n_windows x window_size`` at most 50
        million (the rows drawn).
    bins : int, default 10
        Quantile bins, as in :func:`psi`: 2 to 10,000, and at most the reference's
        rows.
    seed : int, default 0
        Seed of the random draws (>= 0).

    Returns
    -------
    numpy.ndarray of float, shape (n_windows,)

    Notes
    -----
    Taught in notebook 03, section 6: the mean is close to ``(bins - 1) /
    window_size`` (a window of n rows shares the chi-square statistic's
    ``bins - 1`` degrees of freedom, divided by n), and small windows add empty
    bins on top.

    Examples
    --------
    >>> reference = np.random.default_rng(0).normal(size=10_000)
    >>> for n in (50, 150, 1500):
    ...     null = psi_null_distribution(reference, n, n_windows=4000)
    ...     print(n, round(null.mean(), 3), round(9 / n, 3))
    50 0.231 0.18
    150 0.063 0.06
    1500 0.006 0.006
    """
    ref = as_1d(reference, "reference")
    window_size = check_int(window_size, "window_size", minimum=1)
    n_windows = check_int(n_windows, "n_windows", minimum=1)
    bins = check_int(bins, "bins", minimum=2, maximum=MAX_BINS)
    if bins > ref.size:
        raise ValueError(
            f"bins must be at most the number of reference values ({ref.size}); "
            f"got {bins}"
        )
    seed = check_seed(seed)
    check_budget({"n_windows": n_windows, "window_size": window_size})
    (ref,) = _common_scale(ref)
    inner = _inner_edges(ref, bins)
    n_bins = inner.size + 1
    codes = _bin_codes(inner, ref)
    ref_counts = np.bincount(codes, minlength=n_bins)
    rng = np.random.default_rng(seed)
    drawn = codes[rng.integers(0, ref.size, size=(n_windows, window_size))]
    offsets = n_bins * np.arange(n_windows)[:, None]
    counts = np.bincount((drawn + offsets).ravel(), minlength=n_windows * n_bins)
    counts = counts.reshape(n_windows, n_bins)
    ref_p = np.maximum(ref_counts / ref_counts.sum(), PSI_EPSILON)
    cur_p = np.maximum(counts / window_size, PSI_EPSILON)
    return np.sum((cur_p - ref_p) * np.log(cur_p / ref_p), axis=1)


def psi_categorical(reference: Any, current: Any) -> float:
    """Population stability index of a categorical feature: one bin per category.

    Categories seen in only one sample get :data:`PSI_EPSILON` in the other. Unlike
    the numeric :func:`psi`, whose bins come from the reference, it is symmetric:
    swapping ``reference`` and ``current`` gives the same value (each term
    ``(c - r) log(c / r)`` is unchanged), and the order of the rows does not matter.

    Parameters
    ----------
    reference : array-like, 1-D
        The feature's categories at training time (compared as strings; no missing
        values).
    current : array-like, 1-D
        The categories in the window being checked.

    Returns
    -------
    float
        The PSI, >= 0; 0 when both samples have the same mix.

    Notes
    -----
    Taught in notebook 03, section 6.

    Examples
    --------
    >>> psi_categorical(["a", "a", "b", "b"], ["a", "b", "b", "a"])
    0.0
    >>> round(psi_categorical(["a"] * 50 + ["b"] * 50, ["a"] * 25 + ["b"] * 75), 4)
    0.2747
    """
    ref_counts, cur_counts = category_counts(reference, current)
    return _psi_from_counts(ref_counts, cur_counts)


def psi_level(value: float) -> str:
    """Rule of thumb for a PSI: "stable" (< 0.1), "moderate", "major" (> 0.25).

    The thresholds come from credit scoring, with windows of thousands of rows; on
    small windows the PSI of undrifted data alone reaches them (see
    :func:`psi_null_distribution`).

    Parameters
    ----------
    value : float
        A PSI: a real number (not a bool or a string), finite and >= 0.

    Returns
    -------
    str
        ``"stable"``, ``"moderate"`` or ``"major"``.

    Examples
    --------
    >>> [psi_level(v) for v in (0.02, 0.1, 0.25, 0.4)]
    ['stable', 'moderate', 'moderate', 'major']
    """
    value = check_scalar(value, "value", low=0)
    if value < PSI_STABLE:
        return "stable"
    return "moderate" if value <= PSI_MAJOR else "major"
