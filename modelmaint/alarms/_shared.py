"""What the alarms modules share: simulated paths, first alarms, annotated points.

Private to :mod:`modelmaint.alarms` (the layout test keeps siblings' underscored names
out of each other's imports).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from modelmaint._validation import InputTypeError, as_2d, as_indices, check_callable

StatisticFn = Callable[[np.random.Generator, int, int], np.ndarray]


def _simulate(
    statistic_fn: StatisticFn, seed: Any, n_streams: int, n_steps: int
) -> np.ndarray:
    check_callable(statistic_fn, "statistic_fn")
    paths = as_2d(
        statistic_fn(np.random.default_rng(seed), n_streams, n_steps),
        "statistic_fn's result",
    )
    if paths.shape != (n_streams, n_steps):
        raise ValueError(
            f"statistic_fn's result must have shape (n_streams, n_steps) = "
            f"{(n_streams, n_steps)}; got {paths.shape}"
        )
    return paths


def _first_alarms(running_max: np.ndarray, threshold: float) -> np.ndarray:
    """0-based index of the first value > threshold per row (n_steps if none)."""
    return np.count_nonzero(running_max <= threshold, axis=1)


def _points(values: Any, name: str) -> list[int]:
    """Integer indices >= 0, in the order given (``_validation.as_indices``)."""
    return as_indices(values, name)


def _annotators(annotations: Any) -> list[tuple[str, list[int]]]:
    if isinstance(annotations, Mapping):
        items = list(annotations.items())
    elif isinstance(annotations, (list, tuple)):
        items = list(enumerate(annotations))
    else:
        raise InputTypeError(
            "annotations must be a dict of annotator -> indices or a list of lists; "
            f"got {type(annotations).__name__}"
        )
    if not items:
        raise ValueError("annotations must hold at least one annotator; got none")
    return [
        (f"annotations[{k!r}]", _points(v, f"annotations[{k!r}]")) for k, v in items
    ]
