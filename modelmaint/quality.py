"""Data-quality checks: is today's input even the data the model was built for?

Taught in notebook 12 (the capstone; seed 000 §2.1 "monitoring", 001 §3.1). Drift
tests ask whether the inputs *moved*; a data-quality check asks whether they are
*broken*: a column that arrives in dollars instead of thousands of dollars, a sensor
stuck at one value, a field that is suddenly empty. Such a bug also moves the
distribution, so a drift test fires on it too — but the right response differs: drift
may call for retraining, broken data must never be trained on. The rules here are
learned from a trusted reference window (the training data) and are deliberately
simple, so that an alarm names the column and says what is wrong:

* ``missing``: the share of missing values is above ``max_missing``;
* ``range``: more than ``max_out_of_range`` of the values fall outside the reference
  range widened by ``margin`` of its width on each side;
* ``scale``: the median moved by a factor of ``scale_factor`` or more (a unit change:
  x1000 or /1000 gives a factor of 1000); only for columns that are positive in the
  reference (amounts, durations), since a ratio of medians near zero means nothing;
* ``stuck``: a column with many distinct values in the reference has at most one
  distinct value in the batch.

Examples
--------
>>> import pandas as pd
>>> reference = pd.DataFrame({"income": [40.0, 55.0, 61.0, 48.0, 70.0]})
>>> rules = learn_rules(reference)
>>> check_quality(rules, pd.DataFrame({"income": [52_000.0, 47_000.0]}))[
...     ["column", "alarm", "reasons"]]
   column  alarm         reasons
0  income   True  range, scale
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from modelmaint._validation import (
    InputTypeError,
    as_names,
    check_fraction,
    check_frame,
    check_positive,
    check_scalar,
    looks_numeric,
    numeric_column,
    safe_scaled,
)

__all__ = ["ColumnRule", "QualityRules", "check_quality", "learn_rules"]


@dataclass(frozen=True, kw_only=True)
class ColumnRule:
    """What a numeric column looked like in the reference window.

    :func:`learn_rules` makes one per watched column.

    Parameters
    ----------
    column : str
        The column's name.
    low : float
        Lowest accepted value: the reference minimum less the margin.
    high : float
        Highest accepted value: the reference maximum plus the margin.
    median : float
        The reference median (the scale rule compares medians).
    n_distinct : int
        Distinct values in the reference (the stuck rule needs more than 2).
    positive : bool
        Whether every reference value is > 0 (only then is the scale rule used).

    Examples
    --------
    >>> rules = learn_rules(pd.DataFrame({"x": [1.0, 2.0, 3.0]}))
    >>> rules.columns[0]
    ColumnRule(column='x', low=0.5, high=3.5, median=2.0, n_distinct=3, positive=True)
    """

    column: str
    low: float
    high: float
    median: float
    n_distinct: int
    positive: bool


@dataclass(frozen=True, kw_only=True)
class QualityRules:
    """Rules learned by :func:`learn_rules`, one :class:`ColumnRule` per column.

    Parameters
    ----------
    columns : tuple of ColumnRule
        The watched columns, in order.
    margin : float
        Share of the reference range added on each side of it.
    max_missing : float
        Largest accepted share of missing values.
    max_out_of_range : float
        Largest accepted share of values outside ``[low, high]``.
    scale_factor : float
        Ratio of medians (either way) that counts as a unit change.

    Examples
    --------
    >>> rules = learn_rules(pd.DataFrame({"x": [1.0, 2.0], "y": [5.0, 6.0]}))
    >>> [rule.column for rule in rules.columns], rules.scale_factor
    (['x', 'y'], 10.0)
    """

    columns: tuple[ColumnRule, ...]
    margin: float
    max_missing: float
    max_out_of_range: float
    scale_factor: float


_LARGEST = float(np.finfo(float).max)


def _median(values: np.ndarray) -> float:
    """The median, computed in units of 2**e: no overflow near 1e308."""
    scaled, e = safe_scaled(values)
    return float(np.ldexp(np.median(scaled), e))


def learn_rules(
    reference: pd.DataFrame,
    columns: Sequence[str] | None = None,
    *,
    margin: float = 0.25,
    max_missing: float = 0.05,
    max_out_of_range: float = 0.05,
    scale_factor: float = 10.0,
) -> QualityRules:
    """Learn range, scale and variety of each numeric column of ``reference``.

    Parameters
    ----------
    reference : pandas.DataFrame
        Data the model was trained on (or another window trusted to be correct):
        missing values are allowed, inf and non-numeric values in a watched column
        are not (a numeric column with a stray string is refused, not left out).
    columns : sequence of str, optional
        Numeric columns to watch; default every numeric column (and every column
        that is mostly numbers).
    margin : float, default 0.25
        The accepted range is the reference ``[min, max]`` widened by this share of
        its width on each side (>= 0), so drift alone rarely breaks it.
    max_missing, max_out_of_range : float, default 0.05
        Largest accepted share of missing and of out-of-range values, in [0, 1].
    scale_factor : float, default 10
        A median this many times larger or smaller than the reference's (> 1) is a
        unit change.

    Returns
    -------
    QualityRules

    Examples
    --------
    >>> rules = learn_rules(pd.DataFrame({"x": [1.0, 2.0, 3.0], "name": list("abc")}))
    >>> [(r.column, r.low, r.high) for r in rules.columns]
    [('x', 0.5, 3.5)]
    >>> learn_rules(pd.DataFrame({"x": [1.0]}), columns=["y"])
    Traceback (most recent call last):
    ...
    ValueError: columns must name numeric columns of reference; got 'y'
    """
    reference = check_frame(reference, "reference")
    margin = check_positive(margin, "margin", allow_zero=True)
    max_missing = check_fraction(max_missing, "max_missing")
    max_out_of_range = check_fraction(max_out_of_range, "max_out_of_range")
    scale_factor = check_scalar(scale_factor, "scale_factor", low=1, include_low=False)
    numeric = [c for c in reference.columns if looks_numeric(reference[c])]
    names = numeric if columns is None else as_names(columns, "columns")
    for name in names:
        if name not in numeric:
            raise ValueError(
                f"columns must name numeric columns of reference; got {name!r}"
            )
    rules = []
    for name in names:
        values = numeric_column(reference, name, "reference")
        values = values[~np.isnan(values)]
        if values.size == 0:
            raise ValueError(f"reference column {name!r} has no values")
        (low, high), e = safe_scaled(np.array([values.min(), values.max()]))
        pad = margin * (high - low)  # in units of 2**e: no overflow near 1e308
        with np.errstate(over="ignore"):
            low, high = np.ldexp([low - pad, high + pad], e)
        rules.append(
            ColumnRule(
                column=name,
                low=max(float(low), -_LARGEST),
                high=min(float(high), _LARGEST),
                median=_median(values),
                n_distinct=int(np.unique(values).size),
                positive=bool(values.min() > 0),
            )
        )
    return QualityRules(
        columns=tuple(rules),
        margin=margin,
        max_missing=max_missing,
        max_out_of_range=max_out_of_range,
        scale_factor=scale_factor,
    )


def _scale_ratio(median: float, reference_median: float) -> float:
    if reference_median == 0 or median == 0 or np.isnan(median):
        return 1.0 if median == reference_median else np.inf
    ratio = abs(median / reference_median)
    return float(max(ratio, 1 / ratio))


def check_quality(rules: QualityRules, batch: pd.DataFrame) -> pd.DataFrame:
    """Check one batch (say, one day of requests) against ``rules``.

    Parameters
    ----------
    rules : QualityRules
        Rules from :func:`learn_rules`.
    batch : pandas.DataFrame
        The rows to check; it must hold every watched column (non-numeric values
        count as missing, inf as out of range; complex numbers are refused).

    Returns
    -------
    pandas.DataFrame
        One row per watched column: ``column``, ``missing`` and ``out_of_range``
        (shares), ``scale_ratio`` (>= 1), ``distinct`` (values seen), ``alarm``
        (bool) and ``reasons`` (the broken rules, comma-separated, or ``""``).

    Examples
    --------
    >>> rules = learn_rules(pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0]}))
    >>> check_quality(rules, pd.DataFrame({"x": [7.0, 7.0, 7.0]}))["reasons"].item()
    'range, stuck'
    >>> check_quality(rules, pd.DataFrame({"y": [1.0]}))
    Traceback (most recent call last):
    ...
    ValueError: batch lacks the watched column(s) ['x']
    """
    if not isinstance(rules, QualityRules):
        raise InputTypeError(
            f"rules must come from learn_rules; got {type(rules).__name__}"
        )
    batch = check_frame(batch, "batch")
    absent = [r.column for r in rules.columns if r.column not in batch.columns]
    if absent:
        raise ValueError(f"batch lacks the watched column(s) {absent}")
    rows = []
    for rule in rules.columns:
        column = batch[rule.column]
        if pd.api.types.is_complex_dtype(column):
            raise InputTypeError(
                f"batch[{rule.column!r}] must hold real numbers; got complex values"
            )
        raw = pd.to_numeric(column, errors="coerce").to_numpy(dtype=float)
        present = raw[~np.isnan(raw)]
        missing = 1 - present.size / raw.size
        outside = (
            ((present < rule.low) | (present > rule.high)).mean()
            if present.size
            else 0.0
        )
        ratio = (
            _scale_ratio(_median(present) if present.size else np.nan, rule.median)
            if rule.positive
            else 1.0
        )
        distinct = int(np.unique(present).size)
        reasons = [
            name
            for name, broken in (
                ("missing", missing > rules.max_missing),
                ("range", outside > rules.max_out_of_range),
                ("scale", ratio >= rules.scale_factor),
                ("stuck", rule.n_distinct > 2 and present.size > 2 and distinct <= 1),
            )
            if broken
        ]
        rows.append(
            {
                "column": rule.column,
                "missing": float(missing),
                "out_of_range": float(outside),
                "scale_ratio": ratio,
                "distinct": distinct,
                "alarm": bool(reasons),
                "reasons": ", ".join(reasons),
            }
        )
    return pd.DataFrame(rows)
