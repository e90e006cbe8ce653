"""SHAP values as tables: one row's attributions, and a window's global importance.

Taught in notebook 04, sections 4-6 (seed 000 §3.2, §4.2) and reused by notebook 12.
The ``shap`` library computes the values; these functions only read them (this
module never imports ``shap``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from modelmaint._validation import as_1d, as_2d, check_bool
from modelmaint.explain._tables import (
    check_feature_names,
    importance_table,
    sort_by_size,
)

__all__ = ["global_importance", "shap_table"]


def shap_table(
    values: Any, feature_names: Sequence[str], data: Any = None
) -> pd.DataFrame:
    """One row's SHAP values as a DataFrame (feature, [value], shap), by |shap|.

    Parameters
    ----------
    values : array-like of float, 1-D
        The row's SHAP values, one per feature.
    feature_names : sequence of str
        One unique name per feature.
    data : array-like, 1-D, optional
        The row's feature values (any values: they are only shown), in a ``value``
        column.

    Returns
    -------
    pandas.DataFrame
        Columns ``feature, [value,] shap``, the largest ``|shap|`` first.

    Examples
    --------
    >>> shap_table([0.1, -0.5, 0.2], ["a", "b", "c"], data=[1.0, 2.0, 3.0])
      feature  value  shap
    0       b    2.0  -0.5
    1       c    3.0   0.2
    2       a    1.0   0.1
    """
    values = as_1d(values, "values")
    names = check_feature_names(
        feature_names, values.size, "feature_names", required=True
    )
    table = pd.DataFrame({"feature": names})
    if data is not None:
        row = np.asarray(data, dtype=object)
        if row.ndim != 1:
            raise ValueError(f"data must be 1-D (one row); got shape {row.shape}")
        if row.size != values.size:
            raise ValueError(f"data must have {values.size} values; got {row.size}")
        table["value"] = row
    table["shap"] = values
    return sort_by_size(table, "shap")


def global_importance(
    shap_values: Any,
    feature_names: Sequence[str] | None = None,
    *,
    signed: bool = False,
) -> pd.DataFrame:
    """Mean |SHAP| per feature over a window: DataFrame (feature, importance), desc.

    Mean |SHAP| says how strongly a feature moves the output *either way*. With
    ``signed=True`` the importance is the mean SHAP value instead: the feature's
    average push on the output, relative to the background. When a feature's mean
    drifts, its mean |SHAP| may hardly change (the spread around the background mean
    grows on one side and shrinks on the other) while its mean SHAP moves by
    weight x shift: compare windows with ``signed=True`` to find what moved the
    model's average output. Sorted by the absolute value either way.

    Parameters
    ----------
    shap_values : array-like (n, d) or pandas.DataFrame
        SHAP values of the window's rows (one column per feature); a DataFrame's
        columns are the feature names.
    feature_names : sequence of str, optional
        One unique name per feature; default the DataFrame's columns, or
        ``x0, x1, ...``.
    signed : bool, default False
        Mean SHAP value instead of mean |SHAP|.

    Returns
    -------
    pandas.DataFrame
        Columns ``feature, importance``, the largest ``|importance|`` first.

    Examples
    --------
    >>> global_importance([[0.5, -0.1], [-0.3, 0.1]], ["income", "age"])
      feature  importance
    0  income         0.4
    1     age         0.1
    >>> global_importance([[0.5, -0.1], [-0.3, 0.1]], ["income", "age"], signed=True)
      feature  importance
    0  income         0.1
    1     age         0.0
    >>> global_importance(np.empty((0, 2)), ["income", "age"])
    Traceback (most recent call last):
    ...
    ValueError: shap_values must have at least 1 row(s); got 0
    """
    if isinstance(shap_values, pd.DataFrame) and feature_names is None:
        feature_names = list(shap_values.columns)
    values = as_2d(shap_values, "shap_values")
    names = check_feature_names(feature_names, values.shape[1], "feature_names")
    return importance_table(values, names, check_bool(signed, "signed"))
