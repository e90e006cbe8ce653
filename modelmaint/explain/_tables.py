"""Private helpers shared by the modules of :mod:`modelmaint.explain`.

Feature names checked against a number of columns (through
``modelmaint._validation.as_names``), a window's mean attributions, and tables
sorted by the size of a column. Only modules of ``modelmaint.explain`` import from
here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from modelmaint._validation import as_names


def check_feature_names(
    names: Sequence[str] | None, n: int, label: str, *, required: bool = False
) -> list[str]:
    """``names`` as n unique strings, or ``x0, x1, ...`` when None (and allowed)."""
    if names is None and not required:
        return [f"x{i}" for i in range(n)]
    out = [str(f) for f in as_names(names, label, allow_empty=True)]
    if len(out) != n:
        raise ValueError(f"{label} must name {n} features; got {len(out)}")
    if len(set(out)) != n:
        raise ValueError(f"{label} must be unique; got {out}")
    return out


def importance_table(values: np.ndarray, names: list[str], signed: Any) -> pd.DataFrame:
    """Mean (or mean absolute) attribution per feature, largest first."""
    mean = values.mean(axis=0) if signed else np.abs(values).mean(axis=0)
    table = pd.DataFrame({"feature": names, "importance": mean})
    return sort_by_size(table, "importance")


def sort_by_size(table: pd.DataFrame, column: str) -> pd.DataFrame:
    """Rows sorted by ``|table[column]|``, largest first (stable), index reset."""
    order = table[column].abs().sort_values(ascending=False, kind="stable").index
    return table.loc[order].reset_index(drop=True)
