"""Explanations as tidy tables: LIME from scratch, LIME's and SHAP's results, shifts.

Taught in notebook 04 (seed 000 §3.2, §4.2: LIME, SHAP, DeepLIFT) and reused by the
capstone, notebook 12. The libraries compute the explanations (``lime``, ``shap``);
this package turns their results into DataFrames with one row per feature, sorted by
size, and answers the maintenance question "which feature's influence changed
between two windows?" (:func:`importance_shift`). :func:`lime_from_scratch` is the
seed's four LIME steps written out, to compare with the library. One module per job,
every public name importable from here (``mm.explain.global_importance``):

* :mod:`~modelmaint.explain.lime_tools` - ``LocalSurrogate``, ``lime_from_scratch``,
  ``lime_table``;
* :mod:`~modelmaint.explain.shap_tools` - ``shap_table``, ``global_importance``;
* :mod:`~modelmaint.explain.shift` - ``ImportanceShift``, ``importance_shift``.

Nothing here imports ``lime``, ``shap`` or TensorFlow: they are heavy, and these
functions only read their results (scikit-learn's ridge regression, which
:func:`lime_from_scratch` fits, is imported when it runs).
"""

from __future__ import annotations

from modelmaint.explain.lime_tools import LocalSurrogate, lime_from_scratch, lime_table
from modelmaint.explain.shap_tools import global_importance, shap_table
from modelmaint.explain.shift import ImportanceShift, importance_shift

__all__ = [
    "ImportanceShift",
    "LocalSurrogate",
    "global_importance",
    "importance_shift",
    "lime_from_scratch",
    "lime_table",
    "shap_table",
]
