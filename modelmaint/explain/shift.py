"""Attribution shift: which feature's influence changed between two windows?

Taught in notebook 04, section 7, and used by the capstone (12) to name the feature
behind a drop in accuracy.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from modelmaint._validation import (
    as_1d,
    as_2d,
    as_names,
    check_frame,
    numeric_column,
)
from modelmaint.explain._tables import (
    check_feature_names,
    importance_table,
    sort_by_size,
)

__all__ = ["ImportanceShift", "importance_shift"]


@dataclass(frozen=True, kw_only=True)
class ImportanceShift:
    """How each feature's global importance changed between two windows.

    Made by :func:`importance_shift`.

    Parameters
    ----------
    table : pandas.DataFrame
        Columns ``feature, reference, current, shift`` (= current - reference),
        the largest ``|shift|`` first.
    top : str
        The feature whose importance moved most.

    Examples
    --------
    >>> before = pd.DataFrame({"feature": ["a", "b"], "importance": [0.5, 0.2]})
    >>> after = pd.DataFrame({"feature": ["a", "b"], "importance": [0.4, 0.6]})
    >>> importance_shift(before, after).top
    'b'
    """

    table: pd.DataFrame
    top: str


def _importance(frame: Any, label: str) -> pd.Series:
    """A window's importance per feature, from a table or from SHAP values."""
    check_frame(frame, label, min_rows=0)
    if {"feature", "importance"} <= set(frame.columns):
        if len(frame) == 0:
            raise ValueError(f"{label} must have at least 1 feature; got 0")
        names = as_names(list(frame["feature"]), f"{label}['feature']")
        importance = as_1d(
            numeric_column(frame, "importance", label), f"{label}['importance']"
        )
        return pd.Series(importance, index=names, name="importance")
    values = as_2d(frame, label)
    names = check_feature_names(list(frame.columns), values.shape[1], label)
    table = importance_table(values, names, False)
    return pd.Series(table["importance"].to_numpy(), index=table["feature"])


def importance_shift(reference: Any, current: Any) -> ImportanceShift:
    """Compare two windows' :func:`global_importance` tables (or their SHAP values).

    Parameters
    ----------
    reference, current : pandas.DataFrame
        Either :func:`global_importance` results (columns feature, importance) or
        DataFrames of SHAP values with one column per feature; both must cover the
        same features.

    Returns
    -------
    ImportanceShift
        The table of shifts, largest first, and the feature that moved most.

    Examples
    --------
    >>> before = pd.DataFrame({"income": [0.2, -0.2], "age": [0.1, -0.1]})
    >>> after = pd.DataFrame({"income": [0.9, -0.5], "age": [0.1, -0.2]})
    >>> shift = importance_shift(before, after)
    >>> shift.top, shift.table["shift"].round(2).tolist()
    ('income', [0.5, 0.05])
    >>> importance_shift(before, after[["income"]])
    Traceback (most recent call last):
    ...
    ValueError: current must cover the same features as reference; missing ['age'], ...
    """
    tables = [_importance(reference, "reference"), _importance(current, "current")]
    ref, cur = tables
    if set(ref.index) != set(cur.index):
        raise ValueError(
            "current must cover the same features as reference; missing "
            f"{sorted(set(ref.index) - set(cur.index))}, "
            f"unexpected {sorted(set(cur.index) - set(ref.index))}"
        )
    cur = cur.reindex(ref.index)
    table = pd.DataFrame(
        {
            "feature": ref.index,
            "reference": ref.to_numpy(),
            "current": cur.to_numpy(),
            "shift": (cur - ref).to_numpy(),
        }
    )
    table = sort_by_size(table, "shift")
    return ImportanceShift(table=table, top=str(table["feature"].iloc[0]))
