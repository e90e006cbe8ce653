"""Statistical anomaly detection on a model's outputs: z-scores, MAD, Grubbs, ESD.

Taught in notebook ``01_anomaly_detection`` (seed 000 §3.1, §4.1, §6). Every function
is vectorized NumPy; indices are 0-based. One module per idea, every public name
importable from here (``mm.anomaly.generalized_esd``):

* :mod:`~modelmaint.anomaly.zscores` - ``zscore``, ``zscore_outliers``, the bound
  ``max_abs_zscore`` and the robust ``modified_zscore`` (median and MAD);
* :mod:`~modelmaint.anomaly.grubbs` - Grubbs' test for one outlier, its critical
  value and its iterated form;
* :mod:`~modelmaint.anomaly.esd` - Rosner's generalized ESD test for up to ``r``
  outliers that mask each other;
* :mod:`~modelmaint.anomaly.clusters` - hierarchical clustering as an outlier
  detector (how far must the dendrogram be cut before a point joins a cluster).

The seed's ``z_score`` (000 §4.1) is *not* reproduced here: the notebook runs it as
written and shows its faults (a Python loop, division by zero on constant data, the
bound on ``max |z|`` that makes small thresholds unreachable, masking).
"""

from __future__ import annotations

from modelmaint.anomaly.clusters import hierarchical_outlier_scores
from modelmaint.anomaly.esd import ESDResult, esd_critical_values, generalized_esd
from modelmaint.anomaly.grubbs import (
    GrubbsResult,
    grubbs_critical,
    grubbs_outliers,
    grubbs_test,
)
from modelmaint.anomaly.zscores import (
    MAD_CONSTANT,
    max_abs_zscore,
    modified_zscore,
    zscore,
    zscore_outliers,
)

__all__ = [
    "MAD_CONSTANT",
    "ESDResult",
    "GrubbsResult",
    "esd_critical_values",
    "generalized_esd",
    "grubbs_critical",
    "grubbs_outliers",
    "grubbs_test",
    "hierarchical_outlier_scores",
    "max_abs_zscore",
    "modified_zscore",
    "zscore",
    "zscore_outliers",
]
