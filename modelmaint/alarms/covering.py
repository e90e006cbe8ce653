"""Segmentation covering of change points against annotators, as TCPDBench does.

Taught in the lab notebook after 03 ("Alarms you can trust"). The second metric of
van den Burg & Williams (2020) besides F1 (:mod:`~modelmaint.alarms.scoring`): the
change points cut a series into segments, and each annotator's segments are compared
with the predicted ones by their best overlap (Jaccard index), weighted by length.
Computed as TCPDBench's ``covering`` (same order of the floating-point sums, so the
numbers agree to the last digit); index 0 always starts a segment.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

from modelmaint._validation import check_int
from modelmaint.alarms._shared import _annotators, _points

__all__ = ["covering"]


def _segments(
    points: list[int], n_obs: int, name: str
) -> tuple[np.ndarray, np.ndarray]:
    """Start and end (exclusive) of the segments that the change points cut."""
    beyond = [p for p in points if p >= n_obs]
    if beyond:
        raise ValueError(f"{name} must be indices < n_obs = {n_obs}; got {beyond[0]}")
    starts = np.array(sorted(set(points) | {0}))
    return starts, np.append(starts[1:], n_obs)


def covering(
    annotations: Mapping[Any, Iterable[int]] | list[Iterable[int]],
    predictions: Iterable[int],
    n_obs: int,
) -> float:
    """Mean over annotators of the covering of their segmentation by the predicted one.

    The covering of S by S' (Arbelaez et al. 2010, eq. 8) is
    ``sum(|A| * max_{A' in S'} |A & A'| / |A | A'| for A in S) / n_obs``.

    Parameters
    ----------
    annotations, predictions
        As in :func:`score_changepoints`.
    n_obs : int
        Length of the series, >= 1; every change point must be < ``n_obs``.

    Returns
    -------
    float

    Examples
    --------
    >>> covering({1: [10, 20], 2: [10], 3: [0, 5]}, [10, 20], 45)
    0.7962962962962963
    >>> covering({1: [], 2: [10], 3: [40]}, [], 45)
    0.8189300411522634
    """
    n_obs = check_int(n_obs, "n_obs", minimum=1)
    pred_start, pred_end = _segments(
        _points(predictions, "predictions"), n_obs, "predictions"
    )
    covers = []
    for name, pts in _annotators(annotations):
        start, end = _segments(pts, n_obs, name)
        inter = np.minimum(end[:, None], pred_end) - np.maximum(
            start[:, None], pred_start
        )
        inter = np.maximum(inter, 0)
        union = (end - start)[:, None] + (pred_end - pred_start) - inter
        best = (inter / union).max(axis=1)
        total = 0.0
        for length, b in zip((end - start).tolist(), best.tolist(), strict=True):
            total += length * b
        covers.append(total / n_obs)
    return sum(covers) / len(covers)
