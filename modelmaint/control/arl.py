"""Average run length of a chart, by Monte Carlo simulation.

Taught in notebook 02 (seed 002 §3.1): how long a chart takes to signal — about 370
points with no shift for a 3σ Shewhart chart (the false-alarm cost), and how many
after a shift of a given size (the detection delay).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from modelmaint._validation import (
    check_budget,
    check_fraction,
    check_int,
    check_one_of,
    check_positive,
    check_real,
    check_seed,
)
from modelmaint.control._chart import ewma_factor, lindley, readonly

__all__ = ["ARLResult", "average_run_length"]


@dataclass(frozen=True, kw_only=True)
class ARLResult:
    """Average run length estimated by simulation (:func:`average_run_length`).

    Its ``run_lengths`` array is read-only.

    Parameters
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

    Examples
    --------
    >>> result = average_run_length("shewhart", shift=3.0, n_runs=100)
    >>> result.chart, result.run_lengths.size, result.censored
    ('shewhart', 100, 0)
    """

    chart: str
    shift: float
    arl: float
    std_error: float
    run_lengths: np.ndarray
    censored: int

    def __post_init__(self) -> None:
        readonly(self, "run_lengths")


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
        Number of simulated runs, >= 2; ``n_runs x min(block, max_len)`` at most
        50 million (the values drawn per step).
    max_len : int, default 20000
        Longest run simulated; longer runs are censored.
    seed : int, default 0
        Seed of :func:`numpy.random.default_rng`, >= 0.
    block : int, default 256
        Points simulated per step for every active run.
    **params : float
        The chart's parameters: ``k`` (default 3) for ``"shewhart"``; ``lam``
        (0.2) and ``L`` (3) for ``"ewma"`` (exact time-varying limits, as in
        :func:`ewma_chart`); ``k`` (0.5) and ``h`` (5) for ``"cusum"``.

    Returns
    -------
    ARLResult
        The mean run length, its standard error and every run's length.

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
    seed = check_seed(seed)
    check_budget({"n_runs": n_runs, "block": min(block, max_len)})
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
            half = width * ewma_factor(lam, np.arange(t0 + 1, t0 + width_t + 1))
            out = np.abs(z) > half
            state_a[active] = z[:, -1]
        else:
            cp = lindley(x - allowance, state_a[active])
            cm = lindley(-allowance - x, state_b[active])
            out = (cp > limit) | (cm > limit)
            state_a[active], state_b[active] = cp[:, -1], cm[:, -1]
        hit = out.any(axis=1)
        first = out.argmax(axis=1)
        run_lengths[active[hit]] = t0 + first[hit] + 1
        active = active[~hit]
        t0 += width_t
    arl = float(run_lengths.mean())
    std_error = float(run_lengths.std(ddof=1) / math.sqrt(n_runs))
    return ARLResult(
        chart=chart,
        shift=shift,
        arl=arl,
        std_error=std_error,
        run_lengths=run_lengths,
        censored=int(active.size),
    )
