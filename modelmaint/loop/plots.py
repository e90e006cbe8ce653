"""The monitor's log as one figure: error chart, drift alarms, quality alarms.

Part of :mod:`modelmaint.loop` (notebook 12). matplotlib is imported inside.
"""

from __future__ import annotations

import itertools
import numbers
from collections.abc import Mapping
from typing import Any

import numpy as np

from modelmaint._validation import InputTypeError, check_instance, check_real, show
from modelmaint.loop.log import MonitorLog

__all__ = ["plot_monitor_log"]


_PLOTTED = ("statistic", "ewma", "lower", "upper", "drifted", "quality")


def _check_marks(marks: Any) -> Mapping[str, Any]:
    """``marks``: labels to a day (a real number) or a ``range`` of days."""
    if marks is None:
        return {}
    check_instance(marks, "marks", Mapping, "a mapping of labels to days")
    for label, where in marks.items():
        if isinstance(where, range):
            continue
        if isinstance(where, (bool, np.bool_)) or not isinstance(where, numbers.Real):
            raise InputTypeError(
                f"marks[{label!r}] must be a day (a number) or a range of days; "
                f"got {show(where)}"
            )
        check_real(where, f"marks[{label!r}]")
    return marks


def _check_axes(axes: Any) -> Any:
    """None, or three matplotlib Axes (top, middle, bottom)."""
    if axes is None:
        return None
    from matplotlib.axes import Axes

    if not hasattr(axes, "__len__") or len(axes) != 3:
        raise InputTypeError(f"axes must be three matplotlib Axes; got {show(axes)}")
    for ax in axes:
        check_instance(ax, "axes", Axes, "three matplotlib Axes")
    return axes


def plot_monitor_log(
    log: MonitorLog,
    *,
    marks: Mapping[str, Any] | None = None,
    axes: Any = None,
) -> Any:
    """Three stacked panels sharing the day axis, one per monitor.

    Top: the chart of the day whose labels arrived - its calibration gap (in
    standard deviations) or error rate, the EWMA and its limits - plotted on the day
    the monitor *knew* them; middle: how many
    features drifted; bottom: the quality alarm. ``marks`` maps a label to a day
    (a vertical line) or a ``range`` of days (a shaded span), e.g. the incidents the
    notebook knows and the monitor does not.

    Parameters
    ----------
    log : MonitorLog
        What :func:`~modelmaint.loop.daily_monitor` returned.
    marks : mapping of str to int or range, optional
        Labelled days (vertical lines) or spans of days (shaded).
    axes : sequence of three matplotlib Axes, optional
        Where to draw; new ones by default.

    Returns
    -------
    numpy.ndarray of matplotlib Axes, shape (3,)

    Examples
    --------
    >>> import pandas as pd
    >>> log = MonitorLog(pd.DataFrame({"day": [30, 31], "statistic": [0.2, 0.3],
    ...     "ewma": [0.2, 0.22], "lower": [-1.0, -1.0], "upper": [1.0, 1.0],
    ...     "performance": [False] * 2, "drift": [False, True],
    ...     "drifted": ["", "income"], "quality": [False] * 2, "broken": ["", ""]}))
    >>> axes = plot_monitor_log(log, marks={"drift": 31, "bug": range(30, 31)})
    >>> [ax.get_ylabel() for ax in axes]
    ['calibration gap (z)', 'drifted features', 'quality alarm']
    """
    import matplotlib.pyplot as plt

    check_instance(log, "log", MonitorLog, "a MonitorLog")
    missing = [c for c in _PLOTTED if c not in log.daily.columns]
    if missing:
        raise ValueError(f"log.daily lacks the column(s) {missing} this figure plots")
    marks = _check_marks(marks)
    axes = _check_axes(axes)
    daily = log.daily.set_index("day")
    if axes is None:
        _, axes = plt.subplots(3, 1, figsize=(7.5, 6), sharex=True)
    top, middle, bottom = axes
    calibration = log.watch == "calibration"
    ylabel = "calibration gap (z)" if calibration else "error rate"
    point = "labelled day's gap" if calibration else "labelled error"
    top.plot(daily.index, daily["statistic"], ".", color="0.6", label=point)
    top.plot(daily.index, daily["ewma"], label="EWMA")
    top.plot(daily.index, daily["upper"], "--", color="C3", label="limits")
    if calibration:
        top.plot(daily.index, daily["lower"], "--", color="C3")
    top.set(ylabel=ylabel, title="What the monitor knew, on the day it knew it")
    n_drifted = daily["drifted"].str.count(",") + (daily["drifted"] != "")
    middle.bar(daily.index, n_drifted, color="tab:orange")
    middle.set(ylabel="drifted features", yticks=range(int(n_drifted.max()) + 1))
    bottom.bar(daily.index, daily["quality"].astype(int), color="tab:red")
    bottom.set(ylabel="quality alarm", xlabel="day", yticks=[0, 1])
    styles = itertools.cycle([":", "-.", "--", (0, (1, 3))])  # a 5th mark reuses
    for label, where in marks.items():
        style = None if isinstance(where, range) else next(styles)
        for ax in axes:
            name = label if ax is top else None
            if style is None:
                ax.axvspan(
                    where.start, where.stop, color="tab:red", alpha=0.12, label=name
                )
            else:
                ax.axvline(where, color="k", ls=style, label=name)
    top.legend(loc="upper left", bbox_to_anchor=(1.01, 1))
    return axes
