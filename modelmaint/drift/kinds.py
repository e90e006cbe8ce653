"""One rule for every monitor: is a column numeric or categorical?

Part of :mod:`modelmaint.drift` (notebooks 03 and 12): the drift report and the
maintenance loop's monitors decide a column's kind here, so a column never gets a KS
test in one place and a chi-square test in another.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from modelmaint._validation import InputTypeError, show

__all__ = ["feature_kind"]


def feature_kind(column: Any) -> str:
    """``"numeric"`` for numbers, ``"categorical"`` for everything else.

    Booleans are categorical (two categories, not a scale); so are strings,
    categoricals and objects. Numeric columns get PSI on quantile bins and a KS test,
    categorical ones PSI on categories and a chi-square test.

    Parameters
    ----------
    column : pandas.Series or array-like, 1-D
        The column's values (its dtype decides; complex numbers are refused).

    Returns
    -------
    str
        ``"numeric"`` or ``"categorical"``.

    Examples
    --------
    >>> feature_kind(pd.Series([1.5, 2.0])), feature_kind(pd.Series([True, False]))
    ('numeric', 'categorical')
    >>> feature_kind(pd.Series(["north", "south"]))
    'categorical'
    """
    if column is None or isinstance(column, (str, bytes, dict)) or np.ndim(column) != 1:
        shape = "" if column is None else f" of shape {np.shape(column)}"
        raise (InputTypeError if np.ndim(column) == 0 else ValueError)(
            f"column must be a 1-D column of values; got {show(column)}{shape}"
        )
    series = column if isinstance(column, pd.Series) else pd.Series(column)
    if pd.api.types.is_complex_dtype(series):
        raise InputTypeError(
            f"column must hold real numbers or categories; got dtype {series.dtype}"
        )
    numeric = pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(
        series
    )
    return "numeric" if numeric else "categorical"
