"""The maintenance loop, day by day: what a monitor knows, and when it says so.

Taught in notebook 12, the capstone (all seeds §5, financial risk first: 000 §5,
002 §5). Earlier notebooks teach one instrument each: a control chart (02), drift
tests (03), data-quality rules (:mod:`modelmaint.quality`). Here they run together
on a day-indexed stream, each using only what it would have on that day:

* **performance** (:func:`performance_monitor`): the *labelled* predictions. A loan's
  outcome arrives at the end of day ``t + label_delay``, so the point for decision
  day ``t`` joins the chart then; an EWMA chart (:func:`label_chart`) of the daily
  calibration gap (standardized: it stays in control when only the inputs move and
  opens when the rule changes) or of the error rate; a missing label is "not yet",
  never "wrong";
* **drift** (:func:`drift_monitor`): each feature of the day's inputs against the
  reference window, with a Kolmogorov-Smirnov (numeric) or chi-square (categorical)
  test, Bonferroni-corrected over the features, so the day's family-wise false-alarm
  rate is ``drift_alpha``;
* **quality** (:func:`quality_monitor`): :func:`modelmaint.quality.check_quality` with
  rules learned on the reference window; it names the broken column and what is
  wrong with it.

:func:`daily_monitor` runs the three. :class:`AlarmPolicy` retrains when the current
model goes out of control on its labelled days (a policy for
:func:`modelmaint.online.replay_policy`, which hides unlabelled outcomes from it), and
:func:`release_gate` lets a candidate replace the model in production only when its
gain on the same held-out rows has a paired bootstrap interval above zero.
"""

from modelmaint.loop.charts import label_chart
from modelmaint.loop.daily import daily_monitor
from modelmaint.loop.decisions import AlarmPolicy, GateDecision, release_gate
from modelmaint.loop.inputs import drift_monitor, quality_monitor
from modelmaint.loop.log import MonitorLog
from modelmaint.loop.performance import labelled_days, performance_monitor
from modelmaint.loop.plots import plot_monitor_log

__all__ = [
    "AlarmPolicy",
    "GateDecision",
    "MonitorLog",
    "daily_monitor",
    "drift_monitor",
    "label_chart",
    "labelled_days",
    "performance_monitor",
    "plot_monitor_log",
    "quality_monitor",
    "release_gate",
]
