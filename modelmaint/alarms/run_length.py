"""Run lengths of many streams and the average run length (ARL) with its error.

Taught in the lab notebook after 03 ("Alarms you can trust"). One
``(n_streams, n_steps)`` array holds every simulated path; the run length of a stream
for any threshold comes from its running maximum, so no Python loop runs over the
steps.

**The ARL estimate.** A stream that does not alarm within ``n_steps`` is censored.
The ARL is estimated as total exposure / number of alarms, ``sum(lengths) / alarms``:
the maximum-likelihood estimate for geometric run lengths, and the plain mean when
nothing is censored. Its 95 % interval is the normal approximation of this ratio
(delta method, on the log scale), which needs no geometric assumption; with no
censoring its standard error is the usual ``sd(lengths) / sqrt(n_streams)``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from modelmaint._validation import as_1d, as_2d, check_real
from modelmaint.alarms._shared import _first_alarms

__all__ = ["RunLengths", "run_lengths"]

_Z95 = 1.959963984540054


@dataclass(frozen=True)
class RunLengths:
    """Run lengths of many streams for one threshold or a grid of thresholds.

    Made by :func:`run_lengths`.

    Parameters
    ----------
    threshold : float or numpy.ndarray
        The threshold(s); arrays below have a leading axis per threshold for a grid.
    lengths : numpy.ndarray of int
        Points observed up to and including the first alarm (its 0-based index + 1);
        ``n_steps`` for a censored stream. Shape ``(n_streams,)`` or ``(m, n_streams)``.
    censored : numpy.ndarray of bool
        Streams without an alarm in ``n_steps`` points.
    arl, arl_low, arl_high : float or numpy.ndarray
        ARL estimate (exposure / alarms) and its 95 % interval; with no alarm, the
        ARL is ``inf`` and ``arl_low`` is exposure / 3.689 (zero events, 97.5 %).

    Examples
    --------
    >>> rl = run_lengths([[0.0, 5.0], [1.0, 1.0]], 3.0)
    >>> rl.lengths, rl.censored, rl.arl  # (2 + 2) points / 1 alarm
    (array([2, 2]), array([False,  True]), 4.0)
    """

    threshold: float | np.ndarray
    lengths: np.ndarray
    censored: np.ndarray
    arl: float | np.ndarray
    arl_low: float | np.ndarray
    arl_high: float | np.ndarray


def _arl(lengths: np.ndarray, censored: np.ndarray) -> tuple[Any, Any, Any]:
    """Exposure / alarms along the last axis, with its 95 % delta-method interval."""
    alarms = np.count_nonzero(~censored, axis=-1)
    exposure = lengths.sum(axis=-1)
    n = lengths.shape[-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        arl = exposure / alarms
        resid = lengths - arl[..., None] * ~censored
        se = np.sqrt((resid**2).sum(axis=-1) * n / max(n - 1, 1)) / alarms
        half = _Z95 * se / arl
    none = alarms == 0
    arl_low = np.where(none, exposure / -math.log(0.025), arl * np.exp(-half))
    arl_high = np.where(none, np.inf, arl * np.exp(half))
    return np.where(none, np.inf, arl), arl_low, arl_high


def run_lengths(statistic: Any, threshold: Any) -> RunLengths:
    """Run length of every stream: points up to the first ``statistic > threshold``.

    Parameters
    ----------
    statistic : array-like of float, shape (n_streams, n_steps)
        Monitoring statistic of each stream (larger = more alarming).
    threshold : float or 1-D array-like of float
        One threshold, or a grid (one row of results per threshold).

    Returns
    -------
    RunLengths

    Notes
    -----
    The running maximum of a stream is non-decreasing, so its first value above a
    threshold c sits after all values <= c: one comparison of the whole array per
    threshold, no loop over the steps.

    Examples
    --------
    >>> s = [[0.0, 5.0, 1.0], [0.0, 0.0, 0.0], [4.0, 0.0, 9.0]]
    >>> rl = run_lengths(s, 3.0)
    >>> rl.lengths, rl.censored
    (array([2, 3, 1]), array([False,  True, False]))
    >>> float(rl.arl)  # (2 + 3 + 1) / 2 alarms
    3.0
    >>> run_lengths(s, [3.0, 4.5]).lengths
    array([[2, 3, 1],
           [2, 3, 3]])
    """
    running_max = np.maximum.accumulate(as_2d(statistic, "statistic"), axis=1)
    scalar = np.ndim(threshold) == 0
    grid = (
        np.array([check_real(threshold, "threshold")])
        if scalar
        else as_1d(threshold, "threshold")
    )
    n_steps = running_max.shape[1]
    first = np.stack([_first_alarms(running_max, c) for c in grid])
    censored = first == n_steps
    lengths = np.where(censored, n_steps, first + 1)
    arl, low, high = _arl(lengths, censored)
    if scalar:
        return RunLengths(
            float(grid[0]),
            lengths[0],
            censored[0],
            *(float(v[0]) for v in (arl, low, high)),
        )
    return RunLengths(grid, lengths, censored, arl, low, high)
