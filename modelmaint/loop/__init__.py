"""The maintenance loop, day by day: what a monitor knows, and when it says so.

Taught in notebook 12, the capstone (all seeds §5, financial risk first: 000 §5,
002 §5). Earlier notebooks teach one instrument each: a control chart (02), drift
tests (03), data-quality rules (:mod:`modelmaint.quality`). Here they run together
on a day-indexed stream, each using only what it would have on that day:

* **performance**: the error rate of the *labelled* predictions. A loan's outcome is
  known ``label_delay`` days after the decision, so the point for decision day
  ``t`` joins the chart on day ``t + label_delay``; an EWMA chart on the daily error
  rate (upper side only: a model that gets better is not an incident);
* **drift**: each feature of the day's inputs against the reference window, with a
  Kolmogorov-Smirnov (numeric) or chi-square (categorical) test, Bonferroni-corrected
  over the features, so the day's family-wise false-alarm rate is ``drift_alpha``;
* **quality**: :func:`modelmaint.quality.check_quality` with rules learned on the
  reference window; it names the broken column and what is wrong with it.

:class:`AlarmPolicy` retrains when the current model's labelled error goes out of
control (a policy for :func:`modelmaint.online.replay_policy`), and
:func:`release_gate` decides whether a retrained candidate may replace the model in
production.
"""

from modelmaint.loop.decisions import AlarmPolicy, GateDecision, release_gate
from modelmaint.loop.monitor import MonitorLog, daily_monitor
from modelmaint.loop.plots import plot_monitor_log

__all__ = [
    "AlarmPolicy",
    "GateDecision",
    "MonitorLog",
    "daily_monitor",
    "plot_monitor_log",
    "release_gate",
]
