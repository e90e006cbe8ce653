"""Private helpers shared by the modules of :mod:`modelmaint.explain`.

Feature names checked against a number of columns, and tables sorted by the size of
a column. Only modules of ``modelmaint.explain`` import from here.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd


def check_feature_names(names: Sequence[str] | None, n: int, label: str) -> list[str]:
    """``names`` as n unique strings, or ``x0, x1, ...`` when None."""
    if names is None:
        return [f"x{i}" for i in range(n)]
    out = [str(f) for f in names]
    if len(out) != n:
        raise ValueError(f"{label} must name {n} features; got {len(out)}")
    if len(set(out)) != n:
        raise ValueError(f"{label} must be unique; got {out}")
    return out


def sort_by_size(table: pd.DataFrame, column: str) -> pd.DataFrame:
    """Rows sorted by ``|table[column]|``, largest first (stable), index reset."""
    order = table[column].abs().sort_values(ascending=False, kind="stable").index
    return table.loc[order].reset_index(drop=True)
