"""Thresholds calibrated to one false-alarm budget, the in-control ARL.

Taught in the lab notebook after 03 ("Alarms you can trust"). The in-control average
run length ARL0 (mean number of points until a false alarm) is the budget: simulate
many in-control streams at once and find the threshold whose ARL0 is the target; the
ARL and its interval come from :mod:`~modelmaint.alarms.run_length`, the delays that
the threshold buys from :mod:`~modelmaint.alarms.delay`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from modelmaint._validation import (
    InputTypeError,
    check_budget,
    check_int,
    check_real,
    check_scalar,
    check_seed,
    show,
)
from modelmaint.alarms._shared import StatisticFn, _first_alarms, _simulate
from modelmaint.alarms.run_length import run_lengths

__all__ = ["Calibration", "StatisticFn", "calibrate_threshold"]


@dataclass(frozen=True)
class Calibration:
    """A threshold calibrated to a target in-control ARL.

    Made by :func:`calibrate_threshold`.

    Parameters
    ----------
    threshold : float
        Smallest threshold (to ``xtol``) whose estimated ARL0 reaches the target.
    arl, arl_low, arl_high : float
        Estimated ARL0 at ``threshold`` on the simulated paths and its 95 % interval:
        the simulation error of the calibration.
    n_streams : int
        Simulated in-control streams.
    censored : int
        Streams without a false alarm in ``n_steps`` points at ``threshold``.

    Examples
    --------
    >>> from modelmaint.alarms import shewhart_statistic
    >>> cal = calibrate_threshold(shewhart_statistic(), 20.0, n_streams=500)
    >>> cal.n_streams, cal.arl_low < cal.arl < cal.arl_high, cal.censored < 50
    (500, True, True)
    """

    threshold: float
    arl: float
    arl_low: float
    arl_high: float
    n_streams: int
    censored: int


def calibrate_threshold(
    statistic_fn: StatisticFn,
    target_arl: float,
    *,
    n_streams: int = 2000,
    n_steps: int | None = None,
    seed: int | np.random.Generator | None = 0,
    bracket: tuple[float, float] | None = None,
    xtol: float = 1e-6,
) -> Calibration:
    """Threshold whose in-control ARL is ``target_arl``, by simulation.

    All streams are simulated once; the threshold is found by bisection on these
    same paths (the estimated ARL never decreases with the threshold), so it is
    reproducible for a seed and its error is the simulation error reported in
    ``arl_low``/``arl_high``.

    Parameters
    ----------
    statistic_fn : callable
        ``statistic_fn(rng, n_streams, n_steps)`` -> array (n_streams, n_steps), the
        statistic of in-control streams (e.g. :func:`cusum_statistic`).
    target_arl : float
        Target ARL0, > 1 (points between false alarms).
    n_streams : int, default 2000
        Simulated streams, >= 2; the ARL's relative error is about 1/sqrt(alarms).
    n_steps : int, optional
        Points per stream, default ``ceil(3 * target_arl)`` (about 5 % censored);
        ``n_streams x n_steps`` at most 50 million.
    seed : int or numpy.random.Generator, default 0
        Seed (>= 0) of :func:`numpy.random.default_rng`, or a Generator.
    bracket : (float, float), optional
        Thresholds (low, high) around the answer; default from the simulated paths.
    xtol : float, default 1e-6
        Bisection stops when the bracket is narrower than ``xtol * max(1, |high|)``
        (or than the float spacing); in (0, 1].

    Returns
    -------
    Calibration

    Notes
    -----
    The ARL at a threshold is estimated as exposure / alarms (the geometric MLE
    under censoring) with a delta-method 95 % interval: see the module docstring.

    Examples
    --------
    >>> from modelmaint.alarms import shewhart_statistic
    >>> cal = calibrate_threshold(shewhart_statistic(), 20.0, n_streams=1000)
    >>> round(cal.threshold, 1)  # exact: P(|Z| > c) = 1/20 at c = 1.96
    2.0
    >>> cal.arl_low < 20.0 < cal.arl_high
    True
    """
    target = check_real(target_arl, "target_arl")
    if not target > 1:
        raise ValueError(f"target_arl must be > 1; got {target_arl!r}")
    n_streams = check_int(n_streams, "n_streams", minimum=2)
    steps_name = "n_steps" if n_steps is not None else "n_steps (3 x target_arl)"
    n_steps = math.ceil(3 * target) if n_steps is None else n_steps
    n_steps = check_int(n_steps, "n_steps", minimum=1)
    check_budget({"n_streams": n_streams, steps_name: n_steps})
    if target > n_streams * n_steps / 10:
        raise ValueError(
            f"target_arl must be at most n_streams x n_steps / 10 = "
            f"{n_streams * n_steps / 10:g} (10 alarms at least); got {show(target_arl)}"
        )
    seed = check_seed(seed, generator=True)
    xtol = check_scalar(xtol, "xtol", low=0, high=1, include_low=False)
    running_max = np.maximum.accumulate(
        _simulate(statistic_fn, seed, n_streams, n_steps), axis=1
    )

    def arl_at(c: float) -> float:
        first = _first_alarms(running_max, c)
        alarms = np.count_nonzero(first < n_steps)
        exposure = np.minimum(first + 1, n_steps).sum()
        return math.inf if alarms == 0 else float(exposure / alarms)

    if bracket is None:
        lo, hi = float(running_max[:, 0].min()) - 1.0, float(running_max[:, -1].max())
    elif isinstance(bracket, (tuple, list)) and len(bracket) == 2:
        lo, hi = (check_real(b, "bracket") for b in bracket)
    else:
        raise InputTypeError(
            f"bracket must be a pair (low, high) or None; got {show(bracket)}"
        )
    if not (lo < hi and arl_at(lo) < target <= arl_at(hi)):
        raise ValueError(
            f"bracket must hold thresholds (low, high) with ARL(low) < target_arl <= "
            f"ARL(high); got ({lo:g}, {hi:g}) with ARL {arl_at(lo):g}, {arl_at(hi):g}"
        )
    while hi - lo > xtol * max(1.0, abs(hi)):
        mid = 0.5 * lo + 0.5 * hi  # no overflow for a bracket near +-1e308
        if not lo < mid < hi:  # the bracket is one float wide
            break
        lo, hi = (lo, mid) if arl_at(mid) >= target else (mid, hi)
    rl = run_lengths(running_max, hi)
    alarms = n_streams - int(rl.censored.sum())
    if alarms < 10:
        raise ValueError(
            f"n_steps must let at least 10 streams alarm at the threshold; got "
            f"{alarms} of {n_streams} in {n_steps} steps: raise n_steps or n_streams"
        )
    return Calibration(
        hi, rl.arl, rl.arl_low, rl.arl_high, n_streams, n_streams - alarms
    )
