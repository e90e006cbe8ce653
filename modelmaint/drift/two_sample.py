"""Two-sample tests of drift: Kolmogorov-Smirnov (numeric), chi-square (categorical).

Taught in notebook 03, section 6. A test asks *whether* a feature moved at all; with
thousands of rows it rejects for shifts far too small to matter, and testing many
features multiplies false alarms - hence :func:`~modelmaint.drift.drift_report`'s
rule of alerting on the PSI's size, not on significance alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import stats

from modelmaint._validation import as_1d, check_fraction
from modelmaint.drift.psi import _category_counts

__all__ = ["DriftResult", "chi2_drift", "ks_drift"]


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
