"""The monitor's log as one figure: error chart, drift alarms, quality alarms.

Part of :mod:`modelmaint.loop` (notebook 12). matplotlib is imported inside.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from modelmaint.loop.log import MonitorLog

__all__ = ["plot_monitor_log"]


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

    if not isinstance(log, MonitorLog):
        raise TypeError(f"log must be a MonitorLog; got {type(log).__name__}")
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
    styles = iter([":", "-.", "--", (0, (1, 3))])
    for label, where in (marks or {}).items():
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
