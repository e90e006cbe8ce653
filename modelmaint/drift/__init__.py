"""Data drift: has the distribution of a model's inputs moved since training?

Three tools, each answering a different question:

* the **population stability index** (PSI) measures *how much* a feature moved. It is
  an estimate, biased upwards by about ``(bins - 1) / n`` on a window of ``n`` rows
  even when nothing moved (0.06 for 150 rows): the rule of thumb (< 0.1 stable,
  0.1-0.25 moderate, > 0.25 major) holds for windows of thousands of rows; for small
  windows take a threshold from the PSI's null distribution for that window size;
* the two-sample **Kolmogorov-Smirnov** test asks *whether* a numeric feature moved
  at all; with thousands of rows it flags shifts too small to matter;
* the **chi-square** test of homogeneity does the same for a categorical feature.

:func:`drift_report` runs them over every column of two DataFrames. Input drift
tests see only the inputs: a change in the rule linking inputs to the label
(concept drift) is invisible to them. Taught in notebook 03 (seed 004 §3.3). One
module per tool, every public name importable from here (``mm.drift.psi``):

* :mod:`~modelmaint.drift.psi` - ``psi``, ``psi_categorical``, ``psi_level``,
  ``psi_null_distribution``;
* :mod:`~modelmaint.drift.two_sample` - ``ks_drift``, ``chi2_drift``, ``DriftResult``;
* :mod:`~modelmaint.drift.report` - ``drift_report``;
* :mod:`~modelmaint.drift.kinds` - ``feature_kind``: the one rule (numeric or
  categorical; booleans are categorical) the report and the loop's monitors share.
"""

from __future__ import annotations

from modelmaint.drift.kinds import feature_kind
from modelmaint.drift.psi import (
    PSI_EPSILON,
    psi,
    psi_categorical,
    psi_level,
    psi_null_distribution,
)
from modelmaint.drift.report import drift_report
from modelmaint.drift.two_sample import DriftResult, chi2_drift, ks_drift

__all__ = [
    "PSI_EPSILON",
    "DriftResult",
    "chi2_drift",
    "drift_report",
    "feature_kind",
    "ks_drift",
    "psi",
    "psi_categorical",
    "psi_level",
    "psi_null_distribution",
]
