"""Private checks shared by the modules of :mod:`modelmaint.plotting`.

The Axes to draw in, a pair of legend names, a figure size, 0/1 flags per point, a
control chart to draw. Everything else goes through :mod:`modelmaint._validation`,
so a plot refuses bad input by name like every other public function. Only modules
of ``modelmaint.plotting`` import from here.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from modelmaint._validation import (
    InputTypeError,
    as_1d,
    check_length,
    check_scalar,
    check_str,
    show,
)

CHART_FIELDS = ("statistic", "center", "lower", "upper", "signals")


def check_axes(ax: Any, name: str = "ax") -> Any:
    """``ax`` if it is None or a matplotlib Axes."""
    if ax is None:
        return None
    from matplotlib.axes import Axes

    if not isinstance(ax, Axes):
        raise InputTypeError(
            f"{name} must be a matplotlib Axes or None; got {type(ax).__name__}"
        )
    return ax


def check_figsize(figsize: Any) -> tuple[float, float] | None:
    """None, or (width, height) in inches, both > 0."""
    if figsize is None:
        return None
    if not isinstance(figsize, (tuple, list)) or len(figsize) != 2:
        raise InputTypeError(
            f"figsize must be a pair (width, height) in inches; got {show(figsize)}"
        )
    width, height = (
        check_scalar(v, "figsize", low=0, include_low=False) for v in figsize
    )
    return width, height


def check_names(names: Any, name: str = "names") -> tuple[str, str]:
    """Two legend names."""
    if not isinstance(names, (tuple, list)) or len(names) != 2:
        raise InputTypeError(f"{name} must be a pair of strings; got {show(names)}")
    first, second = (check_str(v, name) for v in names)
    return first, second


def as_flags(x: Any, name: str, size: int, other: str) -> np.ndarray:
    """One 0/1 (or bool) value per point, as a bool array."""
    arr = as_1d(x, name)
    check_length(arr, name, size, other)
    bad = (arr != 0) & (arr != 1)
    if bad.any():
        raise ValueError(
            f"{name} must hold 0/1 (or True/False) values; found {show(arr[bad][0])}"
        )
    return arr.astype(bool)


def check_chart(result: Any) -> Any:
    """A control chart: anything with ChartResult's arrays, of one length."""
    missing = [f for f in CHART_FIELDS if not hasattr(result, f)]
    if missing:
        raise InputTypeError(
            "result must be a ChartResult (with statistic, center, lower, upper, "
            f"signals); got {type(result).__name__}"
        )
    return result
