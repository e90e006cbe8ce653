"""One drift report over every column of two DataFrames, with an alert rule.

Taught in notebook 03, sections 6-7.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from modelmaint._validation import (
    MAX_BINS,
    InputTypeError,
    as_1d,
    as_labels,
    as_names,
    check_fraction,
    check_frame,
    check_int,
    numeric_column,
)
from modelmaint.drift.kinds import feature_kind
from modelmaint.drift.psi import psi, psi_categorical, psi_level
from modelmaint.drift.two_sample import chi2_drift, ks_drift

__all__ = ["drift_report"]


def _is_numeric(frame: pd.DataFrame, feature: Any, label: str) -> bool:
    column = frame[feature]
    if pd.api.types.is_complex_dtype(column):
        raise InputTypeError(
            f"{label}[{feature!r}] must hold real numbers or categories; "
            f"got dtype {column.dtype}"
        )
    return feature_kind(column) == "numeric"


def drift_report(
    reference_df: pd.DataFrame,
    current_df: pd.DataFrame,
    *,
    features: list[str] | None = None,
    bins: int = 10,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Drift of every feature between a reference and a current DataFrame.

    Numeric columns get :func:`psi` and :func:`ks_drift`; other columns (strings,
    categories, booleans) get :func:`psi_categorical` and :func:`chi2_drift`.

    The alert rule: ``alert`` is True when the PSI is major (> 0.25), or when it is
    moderate (>= 0.1) *and* the test rejects at ``alpha``. A significant test with a
    stable PSI is not an alert: with thousands of rows the tests detect shifts
    too small to hurt a model.

    Parameters
    ----------
    reference_df, current_df : pandas.DataFrame
        The baseline and the window to check; both must hold every feature.
    features : list of str, optional
        Columns to check; by default every column of ``reference_df``, which must
        then be the same set as ``current_df``'s.
    bins : int, default 10
        Quantile bins for the numeric PSI, 2 to 10,000.
    alpha : float, default 0.05
        Level of the KS and chi-square tests, in (0, 1).

    Returns
    -------
    pandas.DataFrame
        One row per feature: ``feature, kind ("numeric"/"categorical"), psi,
        level ("stable"/"moderate"/"major"), test ("ks"/"chi2"), statistic,
        p_value, drifted, alert``.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> reference = pd.DataFrame({"x": rng.normal(0, 1, 1000),
    ...                           "colour": rng.choice(["red", "blue"], 1000)})
    >>> current = pd.DataFrame({"x": rng.normal(1, 1, 1000),
    ...                         "colour": rng.choice(["red", "blue"], 1000)})
    >>> report = drift_report(reference, current)
    >>> report[["feature", "kind", "level", "test", "alert"]]
      feature         kind   level  test  alert
    0       x      numeric   major    ks   True
    1  colour  categorical  stable  chi2  False
    """
    check_frame(reference_df, "reference_df")
    check_frame(current_df, "current_df")
    if features is None:
        ref_cols, cur_cols = set(reference_df.columns), set(current_df.columns)
        if ref_cols != cur_cols:
            raise ValueError(
                "current_df must have the same columns as reference_df; missing "
                f"{sorted(ref_cols - cur_cols)}, "
                f"unexpected {sorted(cur_cols - ref_cols)}"
            )
        features = list(reference_df.columns)
    else:
        features = as_names(features, "features")
        for df, name in ((reference_df, "reference_df"), (current_df, "current_df")):
            missing = [f for f in features if f not in df.columns]
            if missing:
                raise ValueError(f"features {missing} are not columns of {name}")
    bins = check_int(bins, "bins", minimum=2, maximum=MAX_BINS)
    alpha = check_fraction(alpha, "alpha")

    rows = []
    for feature in features:
        ref, cur = reference_df[feature], current_df[feature]
        numeric = _is_numeric(reference_df, feature, "reference_df")
        if numeric != _is_numeric(current_df, feature, "current_df"):
            raise ValueError(
                f"current_df[{feature!r}] has dtype {cur.dtype}, but reference_df's "
                f"is {ref.dtype}: one is numeric, the other is not"
            )
        name = str(feature)
        if numeric:
            kind = "numeric"
            r, c = (
                as_1d(numeric_column(df, feature, label), f"{label}[{feature!r}]")
                for df, label in (
                    (reference_df, "reference_df"),
                    (current_df, "current_df"),
                )
            )
            value = psi(r, c, bins=bins)
            test = ks_drift(r, c, alpha, feature=name)
        else:
            kind = "categorical"
            r = as_labels(ref.to_numpy(), f"reference_df[{feature!r}]")
            c = as_labels(cur.to_numpy(), f"current_df[{feature!r}]")
            value = psi_categorical(r, c)
            test = chi2_drift(r, c, alpha, feature=name)
        level = psi_level(value)
        rows.append(
            {
                "feature": feature,
                "kind": kind,
                "psi": value,
                "level": level,
                "test": test.test,
                "statistic": test.statistic,
                "p_value": test.pvalue,
                "drifted": test.drifted,
                "alert": level == "major" or (level == "moderate" and test.drifted),
            }
        )
    return pd.DataFrame(rows)
