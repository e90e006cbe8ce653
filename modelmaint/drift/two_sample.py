"""Two-sample tests of drift: Kolmogorov-Smirnov (numeric), chi-square (categorical).

Taught in notebook 03, section 6. A test asks *whether* a feature moved at all; with
thousands of rows it rejects for shifts far too small to matter, and testing many
features multiplies false alarms - hence :func:`~modelmaint.drift.drift_report`'s
rule of alerting on the PSI's size, not on significance alone.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np

from modelmaint._validation import as_1d, check_fraction, check_str
from modelmaint.drift._counts import category_counts

__all__ = ["DriftResult", "chi2_drift", "ks_drift"]


@dataclass(frozen=True, kw_only=True)
class DriftResult:
    """Outcome of a two-sample drift test on one feature.

    ``drifted`` is ``pvalue < alpha``: the test rejects "both samples come from the
    same distribution" at level ``alpha``. The names ``statistic`` and ``pvalue``
    are SciPy's (``scipy.stats.ks_2samp(...).pvalue``).

    Parameters
    ----------
    feature : str
        Name of the feature tested (may be empty).
    test : str
        ``"ks"`` (Kolmogorov-Smirnov) or ``"chi2"`` (chi-square).
    statistic : float
        The test statistic.
    pvalue : float
        The p-value, in [0, 1].
    alpha : float
        The significance level.
    drifted : bool
        ``pvalue < alpha``.

    See Also
    --------
    ks_drift, chi2_drift : The tests that make it.

    Examples
    --------
    >>> result = chi2_drift(["a"] * 50 + ["b"] * 50, ["a"] * 30 + ["b"] * 70)
    >>> result.test, round(result.pvalue, 4), result.drifted
    ('chi2', 0.0039, True)
    """

    feature: str
    test: str
    statistic: float
    pvalue: float
    alpha: float
    drifted: bool

    @property
    def p_value(self) -> float:
        """The p-value under its old name.

        .. deprecated:: 0.1.0
            ``p_value`` is ``pvalue`` now, as in SciPy; this alias warns.

        Examples
        --------
        >>> import warnings
        >>> result = chi2_drift(["a", "b"], ["a", "b"])
        >>> with warnings.catch_warnings(record=True) as caught:
        ...     warnings.simplefilter("always")
        ...     old = result.p_value
        >>> old == result.pvalue, caught[0].category.__name__
        (True, 'DeprecationWarning')
        """
        warnings.warn(
            "DriftResult.p_value is deprecated; use DriftResult.pvalue (SciPy's name)",
            DeprecationWarning,
            stacklevel=2,
        )
        return self.pvalue


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

    Returns
    -------
    DriftResult
        The statistic (the largest CDF gap), the p-value and the decision.

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
    feature = check_str(feature, "feature")
    from scipy import stats

    res = stats.ks_2samp(ref, cur)
    pvalue = float(res.pvalue)
    return DriftResult(
        feature=feature,
        test="ks",
        statistic=float(res.statistic),
        pvalue=pvalue,
        alpha=alpha,
        drifted=pvalue < alpha,
    )


def chi2_drift(
    reference: Any, current: Any, alpha: float = 0.05, *, feature: str = ""
) -> DriftResult:
    """Chi-square test of homogeneity: did a categorical feature's mix change?

    Builds the 2 x K table of category counts (reference row, current row; every
    category seen in either sample) and runs :func:`scipy.stats.chi2_contingency`
    without Yates' continuity correction. If both samples hold a single and the
    same category there is nothing to test: statistic 0, p-value 1.

    Parameters
    ----------
    reference : array-like, 1-D
        The feature's categories at training time (compared as strings; no missing
        values).
    current : array-like, 1-D
        The categories in the window being checked.
    alpha : float, default 0.05
        Significance level, in (0, 1).
    feature : str, optional
        Name stored in the result.

    Returns
    -------
    DriftResult
        The chi-square statistic, its p-value (``K - 1`` degrees of freedom) and
        the decision.

    Examples
    --------
    >>> reference = ["a"] * 50 + ["b"] * 50
    >>> result = chi2_drift(reference, ["a"] * 30 + ["b"] * 70)
    >>> round(result.statistic, 3), result.drifted
    (8.333, True)
    >>> chi2_drift(reference, reference).pvalue
    1.0
    >>> chi2_drift(reference, reference, alpha=0)
    Traceback (most recent call last):
    ...
    ValueError: alpha must be in (0, 1); got 0
    """
    alpha = check_fraction(alpha, "alpha")
    feature = check_str(feature, "feature")
    ref_counts, cur_counts = category_counts(reference, current)
    if ref_counts.size < 2:
        statistic, pvalue = 0.0, 1.0
    else:
        from scipy import stats

        res = stats.chi2_contingency(
            np.vstack([ref_counts, cur_counts]), correction=False
        )
        statistic, pvalue = float(res.statistic), float(res.pvalue)
    return DriftResult(
        feature=feature,
        test="chi2",
        statistic=statistic,
        pvalue=pvalue,
        alpha=alpha,
        drifted=pvalue < alpha,
    )
