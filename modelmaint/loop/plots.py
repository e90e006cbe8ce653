"""The monitor's log as one figure: error chart, drift alarms, quality alarms.

Part of :mod:`modelmaint.loop` (notebook 12). matplotlib is imported inside.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from modelmaint.loop.monitor import MonitorLog

__all__ = ["plot_monitor_log"]


def plot_monitor_log(
    log: MonitorLog,
    *,
    marks: Mapping[str, Any] | None = None,
    axes: Any = None,
) -> Any:
    """Three stacked panels sharing the day axis, one per monitor.

    Top: the labelled error rate of the day whose labels arrived, its EWMA and the
    upper limit (plotted on the day the monitor *knew* them); middle: how many
    features drifted; bottom: the quality alarm. ``marks`` maps a label to a day
    (a vertical line) or a ``range`` of days (a shaded span), e.g. the incidents the
    notebook knows and the monitor does not.

    Returns
    -------
    numpy.ndarray of matplotlib Axes, shape (3,)

    Examples
    --------
    >>> import pandas as pd
    >>> log = MonitorLog(pd.DataFrame({"day": [30, 31], "error_rate": [0.2, 0.3],
    ...     "ewma": [0.2, 0.22], "upper": [0.25, 0.26], "performance": [False] * 2,
    ...     "drift": [False, True], "drifted": ["", "income"], "quality": [False] * 2,
    ...     "broken": ["", ""]}))
    >>> axes = plot_monitor_log(log, marks={"drift": 31, "bug": range(30, 31)})
    >>> [ax.get_ylabel() for ax in axes]
    ['error rate', 'drifted features', 'quality alarm']
    """
    import matplotlib.pyplot as plt

    if not isinstance(log, MonitorLog):
        raise ValueError(f"log must be a MonitorLog; got {type(log).__name__}")
    daily = log.daily.set_index("day")
    if axes is None:
        _, axes = plt.subplots(3, 1, figsize=(7.5, 6), sharex=True)
    top, middle, bottom = axes
    top.plot(daily.index, daily["error_rate"], ".", color="0.6", label="labelled error")
    top.plot(daily.index, daily["ewma"], label="EWMA")
    top.plot(daily.index, daily["upper"], "--", label="upper limit")
    top.set(ylabel="error rate", title="What the monitor knew, on the day it knew it")
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
