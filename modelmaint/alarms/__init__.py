"""Alarms you can trust: every detector calibrated to one false-alarm budget.

Taught in the lab notebook that follows 03 ("Alarms you can trust"). Notebooks 01-03
each raise alarms their own way (a 3σ Shewhart chart, a CUSUM with h = 5, a drift
test per feature at α = 0.05), so their false-alarm rates differ and their detection
delays cannot be compared. Here every chart gets its threshold from one budget, the
in-control average run length ARL0, by simulating many streams at once; then the
delays to a 0.5σ, 1σ or 2σ shift, a variance change or a ramp are measured at that
same budget; many tests a day share the budget through a multiple-testing
correction; and alarms on a series with annotated change points are scored with the
benchmark metric of van den Burg & Williams (2020). One module per job, every public
name importable from here (``mm.alarms.calibrate_threshold``):

* :mod:`~modelmaint.alarms.statistics` - ``Shift``, ``ChartStatistic`` and the
  vectorized Shewhart, EWMA and CUSUM statistics of simulated N(0, 1) streams;
* :mod:`~modelmaint.alarms.run_length` - ``run_lengths`` and the ARL estimate with
  its 95 % interval (censored streams included);
* :mod:`~modelmaint.alarms.calibrate` - ``calibrate_threshold``: the threshold for a
  target ARL0, with its simulation error;
* :mod:`~modelmaint.alarms.delay` - ``expected_delay`` at a calibrated threshold;
* :mod:`~modelmaint.alarms.multiple` - ``bonferroni``, ``benjamini_hochberg``;
* :mod:`~modelmaint.alarms.scoring` - TCPDBench's ``f_measure`` (precision, recall
  and F1 with a margin);
* :mod:`~modelmaint.alarms.covering` - TCPDBench's segmentation ``covering``.

Only NumPy is imported (no SciPy): ``import modelmaint.alarms`` is instant.

Examples
--------
>>> import modelmaint as mm
>>> cal = mm.alarms.calibrate_threshold(mm.alarms.cusum_statistic(k=0.5), 100.0,
...                                     n_streams=500)
>>> 2.5 < cal.threshold < 4.0
True
"""

from __future__ import annotations

from modelmaint.alarms.calibrate import Calibration, calibrate_threshold
from modelmaint.alarms.covering import covering
from modelmaint.alarms.delay import DetectionDelay, expected_delay
from modelmaint.alarms.multiple import benjamini_hochberg, bonferroni
from modelmaint.alarms.run_length import RunLengths, run_lengths
from modelmaint.alarms.scoring import (
    ChangePointScore,
    f_measure,
    score_changepoints,
    true_positives,
)
from modelmaint.alarms.statistics import (
    ChartStatistic,
    Shift,
    cusum_statistic,
    ewma_statistic,
    shewhart_statistic,
)

__all__ = [
    "Calibration",
    "ChangePointScore",
    "ChartStatistic",
    "DetectionDelay",
    "RunLengths",
    "Shift",
    "benjamini_hochberg",
    "bonferroni",
    "calibrate_threshold",
    "covering",
    "cusum_statistic",
    "ewma_statistic",
    "expected_delay",
    "f_measure",
    "run_lengths",
    "score_changepoints",
    "shewhart_statistic",
    "true_positives",
]
