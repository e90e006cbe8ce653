"""Data drift: has the distribution of a model's inputs moved since training?

Three tools, each answering a different question:

* the **population stability index** (PSI) measures *how much* a feature moved, on a
  scale that does not grow with the sample size (rule of thumb: < 0.1 stable,
  0.1-0.25 moderate, > 0.25 major);
* the two-sample **Kolmogorov-Smirnov** test asks *whether* a numeric feature moved
  at all; with thousands of rows it flags shifts too small to matter;
* the **chi-square** test of homogeneity does the same for a categorical feature.

:func:`drift_report` runs them over every column of two DataFrames. Input drift
tests see only the inputs: a change in the rule linking inputs to the label
(concept drift) is invisible to them. Taught in notebook 03 (seed 004 §3.3).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from modelmaint._validation import as_1d, check_fraction, check_int

__all__ = [
    "PSI_EPSILON",
    "DriftResult",
    "chi2_drift",
    "drift_report",
    "ks_drift",
    "psi",
    "psi_categorical",
    "psi_level",
]

PSI_EPSILON = 1e-4
"""Proportion used in place of 0 for an empty bin, so that ``log(p/q)`` stays finite.

With it, one empty bin adds at most about ``q * log(q / 1e-4)`` to the PSI instead
of infinity; the value is the one most credit-scoring texts use.
"""

PSI_STABLE = 0.1
PSI_MAJOR = 0.25


@dataclass(frozen=True)
class DriftResult:
    """Outcome of a two-sample drift test on one feature.

    ``drifted`` is ``p_value < alpha``: the test rejects "both samples come from the
    same distribution" at level ``alpha``.
    """

    feature: str
    test: str
    statistic: float
    p_value: float
    alpha: float
    drifted: bool


def _psi_from_counts(ref_counts: np.ndarray, cur_counts: np.ndarray) -> float:
    ref_p = np.maximum(ref_counts / ref_counts.sum(), PSI_EPSILON)
    cur_p = np.maximum(cur_counts / cur_counts.sum(), PSI_EPSILON)
    # Each term (c - r) * log(c / r) is >= 0, so the sum is too.
    return float(np.sum((cur_p - ref_p) * np.log(cur_p / ref_p)))


def psi(reference: Any, current: Any, bins: int = 10) -> float:
    r"""Population stability index of a numeric feature.

    .. math:: \mathrm{PSI} = \sum_i (c_i - r_i)\,\ln\frac{c_i}{r_i}

    where :math:`r_i` and :math:`c_i` are the proportions of the reference and
    current samples in bin :math:`i`. The inner bin edges are the reference's
    quantiles at :math:`1/b, \dots, (b-1)/b` (so each bin holds about :math:`1/b`
    of the reference); the outer bins are open-ended, so current values beyond the
    reference's range still count. Bins are closed on the right,
    ``(e_{i-1}, e_i]``. Tied quantiles are merged, so a feature with few distinct
    values gets fewer bins (a constant reference gets two: "at most its value" and
    "above it"). An empty bin's proportion is replaced by :data:`PSI_EPSILON`.
    PSI is >= 0, and 0 when both samples fill the bins alike.

    Parameters
    ----------
    reference : array-like of float, 1-D
        The feature at training time (or any baseline window).
    current : array-like of float, 1-D
        The feature in the window being checked.
    bins : int, default 10
        Number of quantile bins (>= 2).

    Returns
    -------
    float

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> reference = rng.normal(0, 1, 5000)
    >>> psi(reference, reference)
    0.0
    >>> round(psi(reference, rng.normal(0, 1, 5000)), 3)  # same law: near 0
    0.005
    >>> round(psi(reference, rng.normal(1, 1, 5000)), 2)  # one sigma: major drift
    0.95
    >>> psi(reference, reference, bins=1)
    Traceback (most recent call last):
    ...
    ValueError: bins must be an integer >= 2; got 1
    """
    ref = as_1d(reference, "reference")
    cur = as_1d(current, "current")
    bins = check_int(bins, "bins", minimum=2)
    inner = np.unique(np.quantile(ref, np.linspace(0, 1, bins + 1)[1:-1]))
    # side="left": bin i holds values in (edge_{i-1}, edge_i], the last bin values
    # above the last edge, so anything beyond the reference's maximum stands apart.
    n_bins = inner.size + 1
    ref_counts = np.bincount(np.searchsorted(inner, ref, side="left"), minlength=n_bins)
    cur_counts = np.bincount(np.searchsorted(inner, cur, side="left"), minlength=n_bins)
    return _psi_from_counts(ref_counts, cur_counts)


def _as_labels(x: Any, name: str) -> np.ndarray:
    arr = np.asarray(x, dtype=object)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be 1-D; got shape {arr.shape}")
    if arr.size == 0:
        raise ValueError(f"{name} must have at least 1 element(s); got 0")
    missing = pd.isna(arr)
    if missing.any():
        raise ValueError(
            f"{name} must not contain missing values; "
            f"found {int(missing.sum())} NaN/None"
        )
    return arr.astype(str)


def _category_counts(reference: Any, current: Any) -> tuple[np.ndarray, np.ndarray]:
    ref = _as_labels(reference, "reference")
    cur = _as_labels(current, "current")
    categories = np.union1d(ref, cur)
    ref_counts = np.array([np.count_nonzero(ref == c) for c in categories])
    cur_counts = np.array([np.count_nonzero(cur == c) for c in categories])
    return ref_counts, cur_counts


def psi_categorical(reference: Any, current: Any) -> float:
    """Population stability index of a categorical feature: one bin per category.

    Categories seen in only one sample get :data:`PSI_EPSILON` in the other.

    Examples
    --------
    >>> psi_categorical(["a", "a", "b", "b"], ["a", "b", "b", "a"])
    0.0
    >>> round(psi_categorical(["a"] * 50 + ["b"] * 50, ["a"] * 25 + ["b"] * 75), 4)
    0.2747
    """
    ref_counts, cur_counts = _category_counts(reference, current)
    return _psi_from_counts(ref_counts, cur_counts)


def psi_level(value: float) -> str:
    """Rule of thumb for a PSI: "stable" (< 0.1), "moderate", "major" (> 0.25).

    Examples
    --------
    >>> [psi_level(v) for v in (0.02, 0.1, 0.25, 0.4)]
    ['stable', 'moderate', 'moderate', 'major']
    """
    if not np.isfinite(value) or value < 0:
        raise ValueError(f"value must be a finite PSI >= 0; got {value!r}")
    if value < PSI_STABLE:
        return "stable"
    return "moderate" if value <= PSI_MAJOR else "major"


def ks_drift(
    reference: Any, current: Any, alpha: float = 0.05, *, feature: str = ""
) -> DriftResult:
    """Two-sample Kolmogorov-Smirnov test: did a numeric feature's distribution move?

    The statistic is the largest gap between the two empirical CDFs; the p-value
    is :func:`scipy.stats.ks_2samp`'s (exact for small samples, asymptotic beyond).

    Parameters
    ----------
    reference, current : array-like of float, 1-D
        The two samples.
    alpha : float, default 0.05
        Significance level, in (0, 1).
    feature : str, optional
        Name stored in the result.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> reference = rng.normal(0, 1, 2000)
    >>> ks_drift(reference, rng.normal(0, 1, 2000)).drifted
    False
    >>> result = ks_drift(reference, rng.normal(0.3, 1, 2000), feature="income")
    >>> result.feature, result.test, result.drifted
    ('income', 'ks', True)
    """
    ref = as_1d(reference, "reference")
    cur = as_1d(current, "current")
    alpha = check_fraction(alpha, "alpha")
    res = stats.ks_2samp(ref, cur)
    p_value = float(res.pvalue)
    return DriftResult(
        feature=str(feature),
        test="ks",
        statistic=float(res.statistic),
        p_value=p_value,
        alpha=alpha,
        drifted=p_value < alpha,
    )


def chi2_drift(
    reference: Any, current: Any, alpha: float = 0.05, *, feature: str = ""
) -> DriftResult:
    """Chi-square test of homogeneity: did a categorical feature's mix change?

    Builds the 2 x K table of category counts (reference row, current row; every
    category seen in either sample) and runs :func:`scipy.stats.chi2_contingency`
    without Yates' continuity correction. If both samples hold a single and the
    same category there is nothing to test: statistic 0, p-value 1.

    Examples
    --------
    >>> reference = ["a"] * 50 + ["b"] * 50
    >>> result = chi2_drift(reference, ["a"] * 30 + ["b"] * 70)
    >>> round(result.statistic, 3), result.drifted
    (8.333, True)
    >>> chi2_drift(reference, reference).p_value
    1.0
    >>> chi2_drift(reference, reference, alpha=0)
    Traceback (most recent call last):
    ...
    ValueError: alpha must be in (0, 1); got 0
    """
    alpha = check_fraction(alpha, "alpha")
    ref_counts, cur_counts = _category_counts(reference, current)
    if ref_counts.size < 2:
        statistic, p_value = 0.0, 1.0
    else:
        res = stats.chi2_contingency(
            np.vstack([ref_counts, cur_counts]), correction=False
        )
        statistic, p_value = float(res.statistic), float(res.pvalue)
    return DriftResult(
        feature=str(feature),
        test="chi2",
        statistic=statistic,
        p_value=p_value,
        alpha=alpha,
        drifted=p_value < alpha,
    )


def _is_numeric(series: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(
        series
    )


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
        Quantile bins for the numeric PSI (>= 2).
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
    for df, name in ((reference_df, "reference_df"), (current_df, "current_df")):
        if not isinstance(df, pd.DataFrame):
            raise ValueError(
                f"{name} must be a pandas DataFrame; got {type(df).__name__}"
            )
        if len(df) == 0:
            raise ValueError(f"{name} must have at least 1 row; got 0")
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
        features = list(features)
        if not features:
            raise ValueError("features must name at least 1 column; got []")
        for df, name in ((reference_df, "reference_df"), (current_df, "current_df")):
            missing = [f for f in features if f not in df.columns]
            if missing:
                raise ValueError(f"features {missing} are not columns of {name}")
    bins = check_int(bins, "bins", minimum=2)
    alpha = check_fraction(alpha, "alpha")

    rows = []
    for feature in features:
        ref, cur = reference_df[feature], current_df[feature]
        if _is_numeric(ref) != _is_numeric(cur):
            raise ValueError(
                f"current_df[{feature!r}] has dtype {cur.dtype}, but reference_df's "
                f"is {ref.dtype}: one is numeric, the other is not"
            )
        try:
            if _is_numeric(ref):
                kind = "numeric"
                value = psi(ref.to_numpy(float), cur.to_numpy(float), bins=bins)
                test = ks_drift(
                    ref.to_numpy(float), cur.to_numpy(float), alpha, feature=feature
                )
            else:
                kind = "categorical"
                value = psi_categorical(ref.to_numpy(), cur.to_numpy())
                test = chi2_drift(
                    ref.to_numpy(), cur.to_numpy(), alpha, feature=feature
                )
        except ValueError as exc:  # say which column, keep the parameter's message
            raise ValueError(f"column {feature!r}: {exc}") from exc
        level = psi_level(value)
        rows.append(
            {
                "feature": feature,
                "kind": kind,
                "psi": value,
                "level": level,
                "test": test.test,
                "statistic": test.statistic,
                "p_value": test.p_value,
                "drifted": test.drifted,
                "alert": level == "major" or (level == "moderate" and test.drifted),
            }
        )
    return pd.DataFrame(rows)
