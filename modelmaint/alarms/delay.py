"""Detection delay: how long a calibrated alarm takes to notice a change.

Taught in the lab notebook after 03 ("Alarms you can trust"). Once every chart's
threshold gives the same in-control ARL0 (:mod:`~modelmaint.alarms.calibrate`), the
charts differ only in how fast they react: the conditional expected delay
E[T - τ | T >= τ] from a change at τ to the first alarm T, among the streams that had
no false alarm before τ (the delay a user sees when the change comes in a quiet
period). Estimated by simulating many changed streams at once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from modelmaint._validation import check_budget, check_int, check_real, check_seed
from modelmaint.alarms._shared import StatisticFn, _first_alarms, _simulate

__all__ = ["DetectionDelay", "expected_delay"]


@dataclass(frozen=True)
class DetectionDelay:
    """Conditional expected detection delay E[T - τ | T >= τ] by simulation.

    Made by :func:`expected_delay`.

    Parameters
    ----------
    mean : float
        Mean of T - τ over the streams that alarm at or after τ (0 = the first
        changed point already alarms; with τ = 0 the zero-state ARL1 is mean + 1).
    std_error : float
        Standard error of ``mean`` (sd / sqrt(n_detected)).
    n_detected : int
        Streams alarming at or after τ within ``n_steps``.
    n_false_alarms : int
        Streams alarming before τ (dropped).
    n_censored : int
        Streams never alarming (dropped; ``mean`` is biased low unless this is 0).
    n_streams : int
        Simulated streams.

    Examples
    --------
    >>> from modelmaint.alarms import Shift, shewhart_statistic
    >>> fn = shewhart_statistic(shift=Shift(at=10, delta=3.0))
    >>> d = expected_delay(fn, 3.0, n_streams=500)
    >>> d.n_detected + d.n_false_alarms + d.n_censored == d.n_streams
    True
    """

    mean: float
    std_error: float
    n_detected: int
    n_false_alarms: int
    n_censored: int
    n_streams: int


def expected_delay(
    statistic_fn: StatisticFn,
    threshold: float,
    *,
    change_point: int | None = None,
    n_streams: int = 2000,
    n_steps: int | None = None,
    seed: int | np.random.Generator | None = 0,
) -> DetectionDelay:
    """Mean delay from a change at τ to the first alarm, among streams quiet until τ.

    Parameters
    ----------
    statistic_fn : callable
        ``statistic_fn(rng, n_streams, n_steps)`` for streams that change at τ, e.g.
        ``cusum_statistic(k=0.5, shift=Shift(at=50, delta=1.0))``.
    threshold : float
        Alarm threshold (e.g. ``calibrate_threshold(...).threshold``).
    change_point : int, optional
        τ (0-based); default ``statistic_fn.shift.at``. Both given must agree.
    n_streams : int, default 2000
        Simulated streams, >= 2.
    n_steps : int, optional
        Points per stream, default ``change_point + 1000``; ``n_streams x n_steps``
        at most 50 million.
    seed : int or numpy.random.Generator, default 0
        Seed (>= 0) of :func:`numpy.random.default_rng`, or a Generator.

    Returns
    -------
    DetectionDelay

    Examples
    --------
    >>> from modelmaint.alarms import Shift, shewhart_statistic
    >>> fn = shewhart_statistic(shift=Shift(at=10, delta=3.0))
    >>> d = expected_delay(fn, 3.0, n_streams=1000)
    >>> round(d.mean, 1)  # geometric, P(|Z + 3| > 3) = 0.5: E[T - τ] = 1
    1.0
    """
    threshold = check_real(threshold, "threshold")
    shift = getattr(statistic_fn, "shift", None)
    if change_point is None:
        if shift is None:
            raise ValueError(
                "change_point must be given when statistic_fn has no shift"
            )
        change_point = shift.at
    change_point = check_int(change_point, "change_point", minimum=0)
    if shift is not None and shift.at != change_point:
        raise ValueError(
            f"change_point must equal statistic_fn.shift.at = {shift.at}; "
            f"got {change_point}"
        )
    n_streams = check_int(n_streams, "n_streams", minimum=2)
    n_steps = change_point + 1000 if n_steps is None else n_steps
    n_steps = check_int(n_steps, "n_steps", minimum=change_point + 1)
    check_budget({"n_streams": n_streams, "n_steps": n_steps})
    seed = check_seed(seed, generator=True)
    running_max = np.maximum.accumulate(
        _simulate(statistic_fn, seed, n_streams, n_steps), axis=1
    )
    first = _first_alarms(running_max, threshold)
    early = first < change_point
    censored = first == n_steps
    delays = first[~early & ~censored] - change_point
    if delays.size == 0:
        raise ValueError(
            f"threshold must let some stream alarm after change_point; none of "
            f"{n_streams} did in {n_steps} steps"
        )
    se = (
        float(delays.std(ddof=1) / math.sqrt(delays.size))
        if delays.size > 1
        else math.nan
    )
    return DetectionDelay(
        float(delays.mean()),
        se,
        int(delays.size),
        int(early.sum()),
        int(censored.sum()),
        n_streams,
    )
