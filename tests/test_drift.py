"""Unit tests of modelmaint.drift: PSI by hand, KS and chi-square against scipy."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy import stats

from modelmaint import drift


def test_psi_hand_computed_shift():
    # Reference 0..99: with bins=4 the inner edges are the quartiles 24.75, 49.5,
    # 74.25, so each bin holds 25 values. Current: 10, 20, 30 and 40 values in
    # the bins below, built explicitly (bins are closed on the right).
    reference = np.arange(100.0)
    current = np.concatenate(
        [
            np.full(10, 5.0),  # bin 0 (<= 24.75)
            np.full(20, 30.0),  # bin 1 (24.75, 49.5]
            np.full(30, 60.0),  # bin 2 (49.5, 74.25]
            np.full(40, 200.0),  # bin 3 (> 74.25, open-ended: beyond the max)
        ]
    )
    r = np.array([0.25, 0.25, 0.25, 0.25])
    c = np.array([0.10, 0.20, 0.30, 0.40])
    expected = sum((ci - ri) * math.log(ci / ri) for ci, ri in zip(c, r, strict=True))
    assert drift.psi(reference, current, bins=4) == pytest.approx(expected, rel=1e-12)
    assert expected == pytest.approx(0.2282, abs=1e-4)


def test_psi_empty_bin_uses_epsilon():
    reference = np.arange(100.0)
    current = np.full(50, 10.0)  # every value in bin 0 of 2; bin 1 empty
    eps = drift.PSI_EPSILON
    expected = (1 - 0.5) * math.log(1 / 0.5) + (eps - 0.5) * math.log(eps / 0.5)
    assert drift.psi(reference, current, bins=2) == pytest.approx(expected)


def test_psi_identical_is_zero_and_values_below_range_count():
    x = np.random.default_rng(0).normal(size=500)
    assert drift.psi(x, x) == 0.0
    assert drift.psi(x, x - 100) > 5  # everything lands in the open lower bin


def test_psi_constant_reference_merges_tied_edges():
    assert drift.psi(np.ones(10), np.ones(5)) == 0.0
    assert drift.psi(np.ones(10), np.full(5, 2.0)) > 1


finite = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)


@settings(max_examples=60, deadline=None)
@given(
    arrays(float, st.integers(1, 60), elements=finite),
    arrays(float, st.integers(1, 60), elements=finite),
    st.integers(2, 12),
)
def test_psi_is_non_negative(reference, current, bins):
    value = drift.psi(reference, current, bins=bins)
    assert value >= 0
    assert math.isfinite(value)
    assert drift.psi(reference, reference, bins=bins) == 0.0


@settings(max_examples=40, deadline=None)
@given(arrays(float, st.integers(2, 60), elements=finite), st.integers(2, 10))
def test_psi_invariant_to_order_and_duplication(x, bins):
    # Only the proportions per bin matter: shuffling or repeating a sample keeps them.
    current = x[::-1]
    assert drift.psi(x, current, bins=bins) == pytest.approx(0.0, abs=1e-12)
    assert drift.psi(x, np.tile(x, 3), bins=bins) == pytest.approx(0.0, abs=1e-12)


def test_psi_categorical_by_hand():
    reference = ["a"] * 60 + ["b"] * 40
    current = ["a"] * 30 + ["b"] * 50 + ["c"] * 20
    eps = drift.PSI_EPSILON
    expected = (
        (0.3 - 0.6) * math.log(0.3 / 0.6)
        + (0.5 - 0.4) * math.log(0.5 / 0.4)
        + (0.2 - eps) * math.log(0.2 / eps)
    )
    assert drift.psi_categorical(reference, current) == pytest.approx(expected)


def test_psi_level_thresholds():
    assert drift.psi_level(0.0999) == "stable"
    assert drift.psi_level(0.1) == "moderate"
    assert drift.psi_level(0.25) == "moderate"
    assert drift.psi_level(0.2501) == "major"


def test_ks_matches_scipy():
    rng = np.random.default_rng(1)
    reference, current = rng.normal(0, 1, 300), rng.normal(0.2, 1, 250)
    result = drift.ks_drift(reference, current, alpha=0.01, feature="x")
    expected = stats.ks_2samp(reference, current)
    assert result.statistic == pytest.approx(expected.statistic)
    assert result.pvalue == pytest.approx(expected.pvalue)
    assert result.drifted == (expected.pvalue < 0.01)
    assert (result.feature, result.test, result.alpha) == ("x", "ks", 0.01)


def test_ks_statistic_by_hand():
    # ECDF gap of [1, 2, 3] vs [4, 5, 6] is 1 everywhere between 3 and 4.
    result = drift.ks_drift([1, 2, 3], [4, 5, 6])
    assert result.statistic == 1.0
    assert result.pvalue == pytest.approx(0.1)  # exact: 2 / C(6, 3) = 2 / 20


def test_drift_result_is_frozen():
    result = drift.ks_drift([1, 2, 3], [1, 2, 3])
    with pytest.raises(AttributeError):
        result.drifted = True


def test_drift_result_is_keyword_only():
    with pytest.raises(TypeError):
        drift.DriftResult("x", "ks", 0.1, 0.5, 0.05, False)  # type: ignore[misc]


def test_p_value_is_a_deprecated_alias_of_pvalue():
    result = drift.ks_drift([1, 2, 3], [4, 5, 6])
    with pytest.warns(DeprecationWarning, match="use DriftResult.pvalue"):
        assert result.p_value == result.pvalue
    with pytest.raises(AttributeError):
        result.p_value = 0.5  # read-only


def test_chi2_known_contingency_table():
    # Table [[20, 30, 50], [30, 30, 40]]: column totals 50, 60, 90, rows 100 each,
    # expected 25, 30, 45 in both rows.
    reference = ["x"] * 20 + ["y"] * 30 + ["z"] * 50
    current = ["x"] * 30 + ["y"] * 30 + ["z"] * 40
    expected_stat = 2 * (5**2 / 25 + 0 + 5**2 / 45)
    result = drift.chi2_drift(reference, current)
    assert result.statistic == pytest.approx(expected_stat)
    assert result.pvalue == pytest.approx(stats.chi2.sf(expected_stat, df=2))
    assert result.test == "chi2"
    assert result.drifted == (result.pvalue < 0.05)


def test_chi2_single_shared_category_is_no_drift():
    result = drift.chi2_drift(["a"] * 5, ["a"] * 7)
    assert (result.statistic, result.pvalue, result.drifted) == (0.0, 1.0, False)


def _frames():
    rng = np.random.default_rng(0)
    reference = pd.DataFrame(
        {
            "x": rng.normal(0, 1, 2000),
            "same": rng.normal(0, 1, 2000),
            "colour": rng.choice(["red", "blue"], 2000, p=[0.5, 0.5]),
        }
    )
    current = pd.DataFrame(
        {
            "x": rng.normal(0.8, 1, 2000),
            "same": rng.normal(0, 1, 2000),
            "colour": rng.choice(["red", "blue"], 2000, p=[0.8, 0.2]),
        }
    )
    return reference, current


def test_drift_report_rows_and_alerts():
    reference, current = _frames()
    report = drift.drift_report(reference, current)
    assert list(report.columns) == [
        "feature", "kind", "psi", "level", "test", "statistic", "p_value",
        "drifted", "alert",
    ]  # fmt: skip
    rows = report.set_index("feature")
    assert rows.loc["x", "kind"] == "numeric" and rows.loc["x", "test"] == "ks"
    assert rows.loc["colour", "kind"] == "categorical"
    assert rows.loc["colour", "test"] == "chi2"
    assert rows.loc["x", "psi"] == pytest.approx(
        drift.psi(reference["x"], current["x"])
    )
    assert rows.loc["x", "alert"] and rows.loc["colour", "alert"]
    assert not rows.loc["same", "alert"] and rows.loc["same", "level"] == "stable"


def test_drift_report_features_subset():
    reference, current = _frames()
    report = drift.drift_report(reference, current.drop(columns="same"), features=["x"])
    assert report["feature"].tolist() == ["x"]


def test_bad_inputs():
    x = np.arange(10.0)
    with pytest.raises(ValueError, match="reference must have at least 1"):
        drift.psi([], x)
    with pytest.raises(ValueError, match="current must contain only finite"):
        drift.psi(x, [1.0, np.nan])
    with pytest.raises(ValueError, match="current must contain only finite"):
        drift.ks_drift(x, [1.0, np.inf])
    with pytest.raises(ValueError, match="reference must be 1-D"):
        drift.psi(np.ones((3, 2)), x)
    with pytest.raises(ValueError, match="bins must be an integer >= 2; got 1"):
        drift.psi(x, x, bins=1)
    with pytest.raises(ValueError, match="bins must be an integer >= 2; got 2.5"):
        drift.psi(x, x, bins=2.5)
    with pytest.raises(ValueError, match=r"alpha must be in \(0, 1\); got 1"):
        drift.ks_drift(x, x, alpha=1)
    with pytest.raises(ValueError, match=r"alpha must be in \(0, 1\); got 0"):
        drift.chi2_drift(["a"], ["a"], alpha=0)
    with pytest.raises(ValueError, match="current must not contain missing"):
        drift.chi2_drift(["a"], ["a", None])
    with pytest.raises(ValueError, match="reference must have at least 1"):
        drift.psi_categorical([], ["a"])
    with pytest.raises(ValueError, match=r"value must be >= 0; got -0.1"):
        drift.psi_level(-0.1)


def test_drift_report_bad_inputs():
    reference, current = _frames()
    with pytest.raises(ValueError, match=r"same columns.*missing \['same'\]"):
        drift.drift_report(reference, current.drop(columns="same"))
    with pytest.raises(ValueError, match="reference_df must have at least 1 row"):
        drift.drift_report(reference.iloc[:0], current)
    with pytest.raises(TypeError, match="current_df must be a pandas DataFrame"):
        drift.drift_report(reference, current.to_numpy())
    with pytest.raises(ValueError, match=r"features \['nope'\] are not columns"):
        drift.drift_report(reference, current, features=["nope"])
    with pytest.raises(ValueError, match="one is numeric"):
        drift.drift_report(reference, current.assign(x=current["x"].astype(str)))
    with pytest.raises(ValueError, match="bins must be an integer >= 2"):
        drift.drift_report(reference, current, bins=0)
    with pytest.raises(ValueError, match=r"alpha must be in \(0, 1\)"):
        drift.drift_report(reference, current, alpha=1.5)
    with pytest.raises(ValueError, match=r"current_df\['x'\] must contain only finite"):
        drift.drift_report(reference, current.assign(x=np.nan))
    with pytest.raises(
        ValueError, match=r"reference_df\['colour'\] must not contain missing"
    ):
        drift.drift_report(reference.assign(colour=None), current)
    with pytest.raises(ValueError, match=r"reference_df\['x'\] must be finite"):
        drift.drift_report(reference.assign(x=np.inf), current)
    with pytest.raises(TypeError, match=r"current_df\['x'\] must hold real numbers"):
        drift.drift_report(reference, current.assign(x=current["x"] + 1j))
    with pytest.raises(TypeError, match="features must be a list of names"):
        drift.drift_report(reference, current, features=3)
    with pytest.raises(ValueError, match="bins must be an integer <= 10000"):
        drift.drift_report(reference, current, bins=10**9)


def test_issue_17_reproducers():
    """bins=10**9 tried to allocate 7.45 GiB; psi_level(True) said 'major' and
    psi_level('0.3') raised NumPy's TypeError; complex, datetime and strings were
    read as numbers."""
    x = np.random.default_rng(0).normal(size=200)
    with pytest.raises(ValueError, match="bins must be an integer <= 10000; got"):
        drift.psi(x, x, bins=10**9)
    with pytest.raises(TypeError, match="value must be a real number; got True"):
        drift.psi_level(True)
    with pytest.raises(TypeError, match="value must be a real number; got '0.3'"):
        drift.psi_level("0.3")
    with pytest.raises(ValueError, match="value must be finite; got nan"):
        drift.psi_level(np.float64("nan"))
    with pytest.raises(TypeError, match="reference must be numeric; got complex"):
        drift.psi(x + 1j, x)
    with pytest.raises(TypeError, match="current must be numeric; got string"):
        drift.ks_drift(x, x.astype(str))
    with pytest.raises(TypeError, match="feature must be a string; got 3"):
        drift.ks_drift(x, x, feature=3)
    with pytest.raises(TypeError, match="column must hold real numbers"):
        drift.feature_kind(pd.Series([1 + 1j]))
    with pytest.raises(ValueError, match="n_windows x window_size must be at most"):
        drift.psi_null_distribution(x, 10**6, n_windows=10**6)
    with pytest.raises(ValueError, match="bins must be at most the number of"):
        drift.psi_null_distribution(x[:5], 2, bins=10)


def test_psi_holds_over_the_whole_float_range():
    """Quantile bins are scale-free: the PSI of x * 1e300 (whose quantiles overflowed
    to inf and NaN) and of x * 1e-310 is the PSI of x."""
    rng = np.random.default_rng(1)
    reference, current = rng.normal(0, 1, 500), rng.normal(0.5, 1, 300)
    expected = drift.psi(reference, current)
    for scale in (1e300, 1.7e308 / 5, 2.0**-1040):
        assert drift.psi(reference * scale, current * scale) == pytest.approx(
            expected, rel=1e-12
        ), scale
    null = drift.psi_null_distribution(reference * 1e300, 50, n_windows=50)
    assert np.isfinite(null).all()


# -- the PSI's null distribution ---------------------------------------------------


def test_psi_null_distribution_is_psi_of_bootstrap_windows():
    reference = np.random.default_rng(4).gamma(2.0, size=3000)
    null = drift.psi_null_distribution(reference, 40, n_windows=25, seed=7)
    draws = np.random.default_rng(7).integers(0, reference.size, size=(25, 40))
    expected = [drift.psi(reference, reference[row]) for row in draws]
    np.testing.assert_allclose(null, expected, rtol=1e-12)


@pytest.mark.parametrize("window_size", [150, 500, 1500])
def test_psi_null_mean_is_about_bins_minus_one_over_n(window_size):
    reference = np.random.default_rng(5).normal(size=20_000)
    null = drift.psi_null_distribution(reference, window_size, n_windows=3000)
    assert null.mean() == pytest.approx(9 / window_size, rel=0.1)
    assert (null > 0).all()


def test_small_windows_leave_bins_empty_and_each_adds_about_0_69():
    reference = np.random.default_rng(6).normal(size=20_000)
    null = drift.psi_null_distribution(reference, 50, n_windows=4000)
    eps = drift.PSI_EPSILON
    one_empty = (eps - 0.1) * math.log(eps / 0.1)
    assert one_empty == pytest.approx(0.69, abs=0.01)
    # (9/10)^50 = 0.5 % per bin: a few percent of windows have an empty bin
    assert 0.02 < np.mean(null > 0.6) < 0.12
    assert np.quantile(null, 0.95) > 0.25  # "major drift" with no drift at all


def test_psi_null_distribution_rejects_bad_input():
    reference = np.arange(100.0)
    with pytest.raises(ValueError, match="window_size must be an integer >= 1"):
        drift.psi_null_distribution(reference, 0)
    with pytest.raises(ValueError, match="n_windows must be an integer >= 1"):
        drift.psi_null_distribution(reference, 10, n_windows=0)
    with pytest.raises(ValueError, match="bins must be an integer >= 2"):
        drift.psi_null_distribution(reference, 10, bins=1)
    with pytest.raises(ValueError, match="seed must be an integer >= 0"):
        drift.psi_null_distribution(reference, 10, seed=-1)
    with pytest.raises(ValueError, match="reference must contain only finite values"):
        drift.psi_null_distribution([1.0, np.nan], 10)
