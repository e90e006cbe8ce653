"""Control charts for a model's health metrics: Shewhart, p, EWMA, CUSUM, run rules.

Taught in notebook ``02_control_charts`` (seed 002 §3.1, §4.1) and reused by the
capstone (12). The seed estimates σ from every point, including the ones it judges;
here the limits come from a *reference* (phase I) period or from a known target and
σ, and are then applied to the monitored (phase II) points. Everything is vectorized
NumPy; indices are 0-based. One module per kind of chart, every public name
importable from here (``mm.control.ewma_chart``):

* :mod:`~modelmaint.control.shewhart` - ``ChartResult``, the individuals chart with
  moving-range σ, the p-chart for error rates;
* :mod:`~modelmaint.control.rules` - the Western Electric run rules;
* :mod:`~modelmaint.control.small_shifts` - EWMA and tabular CUSUM;
* :mod:`~modelmaint.control.arl` - average run length by simulation.

References: D. C. Montgomery, *Introduction to Statistical Quality Control*,
chapters 6, 7 and 9 (the CUSUM and EWMA examples of the tests come from there).
"""

from __future__ import annotations

from modelmaint.control.arl import ARLResult, average_run_length
from modelmaint.control.rules import WesternElectricResult, western_electric
from modelmaint.control.shewhart import (
    D2,
    ChartResult,
    CusumResult,
    individuals_chart,
    moving_range_sigma,
    p_chart,
)
from modelmaint.control.small_shifts import cusum_chart, ewma_chart

__all__ = [
    "D2",
    "ARLResult",
    "ChartResult",
    "CusumResult",
    "WesternElectricResult",
    "average_run_length",
    "cusum_chart",
    "ewma_chart",
    "individuals_chart",
    "moving_range_sigma",
    "p_chart",
    "western_electric",
]
