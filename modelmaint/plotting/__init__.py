"""Plots used across the course. Every ``plot_*`` takes ``ax=None``, returns the Axes.

matplotlib is imported inside the functions, so importing :mod:`modelmaint` stays
fast. One module per job, every public name importable from here
(``mm.plotting.plot_control_chart``):

* :mod:`~modelmaint.plotting.style` - ``use_course_style``, ``get_ax``,
  ``fonts_covering``;
* :mod:`~modelmaint.plotting.charts` - ``plot_control_chart``,
  ``plot_score_histogram``, ``plot_flagged_points`` (notebooks 01, 02);
* :mod:`~modelmaint.plotting.diagrams` - ``plot_maintenance_loop`` (notebook 00).
"""

from __future__ import annotations

from modelmaint.plotting.charts import (
    plot_control_chart,
    plot_flagged_points,
    plot_score_histogram,
)
from modelmaint.plotting.diagrams import plot_maintenance_loop
from modelmaint.plotting.style import fonts_covering, get_ax, use_course_style

__all__ = [
    "fonts_covering",
    "get_ax",
    "plot_control_chart",
    "plot_flagged_points",
    "plot_maintenance_loop",
    "plot_score_histogram",
    "use_course_style",
]
