"""Performance monitoring: quality over time, latency, memory and TensorBoard logs.

Taught in notebook 03 (seed 001 §3.1, §4.1; 004 §3.3) and reused by notebooks 09, 10
and 12. One job per module; every public name is importable from here
(``mm.monitor.windowed_metrics``):

* :mod:`~modelmaint.monitor.metrics` - :func:`windowed_metrics`: accuracy, precision,
  recall and F1 per window of a stream of labelled predictions (or per day), and with
  the probabilities ROC AUC, log loss, Brier score and the calibration gap;
* :mod:`~modelmaint.monitor.compare` - :func:`paired_difference`: two models' per-row
  losses on the same rows, their mean difference and a paired bootstrap interval
  (:func:`log_loss_per_row` gives the per-row log loss);
* :mod:`~modelmaint.monitor.costs` - :class:`DecisionCosts`: the threshold two costs
  imply, and the cost per row of a window's decisions (realised, or expected from
  calibrated probabilities before the labels arrive);
* :mod:`~modelmaint.monitor.latency` - :func:`measure_latency` /
  :func:`latency_stats`: latency percentiles and throughput of a prediction function,
  timed by :func:`time_calls`, the package's one timing loop;
* :mod:`~modelmaint.monitor.memory` - :func:`model_nbytes`, :func:`peak_memory_of`
  and :func:`process_memory`: a model's footprint, one call's Python-heap peak, the
  process's resident memory (Linux and macOS);
* :mod:`~modelmaint.monitor.estimation` - :func:`expected_accuracy` /
  :func:`windowed_expected_accuracy`: the accuracy calibrated probabilities promise,
  before the labels arrive (CBPE);
* :mod:`~modelmaint.monitor.tensorboard` - :func:`write_scalars` /
  :func:`read_scalars`: TensorBoard event files written and read back with
  TensorBoard's pure-Python pieces (no TensorFlow import, no server).
"""

from __future__ import annotations

from modelmaint.monitor.compare import (
    PairedDifference,
    log_loss_per_row,
    paired_difference,
)
from modelmaint.monitor.costs import DecisionCosts
from modelmaint.monitor.estimation import (
    expected_accuracy,
    windowed_expected_accuracy,
)
from modelmaint.monitor.latency import (
    LatencyStats,
    latency_stats,
    measure_latency,
    time_calls,
)
from modelmaint.monitor.memory import (
    MemoryUsage,
    ProcessMemory,
    model_nbytes,
    peak_memory_of,
    process_memory,
)
from modelmaint.monitor.metrics import windowed_metrics
from modelmaint.monitor.tensorboard import read_scalars, write_scalars

__all__ = [
    "DecisionCosts",
    "LatencyStats",
    "MemoryUsage",
    "PairedDifference",
    "ProcessMemory",
    "expected_accuracy",
    "latency_stats",
    "log_loss_per_row",
    "measure_latency",
    "model_nbytes",
    "paired_difference",
    "peak_memory_of",
    "process_memory",
    "read_scalars",
    "time_calls",
    "windowed_expected_accuracy",
    "windowed_metrics",
    "write_scalars",
]
