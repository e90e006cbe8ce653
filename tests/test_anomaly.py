"""Unit tests of modelmaint.anomaly against published values and properties."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from modelmaint import anomaly

# ASTM E178-16a, Table 1: critical values of T_n (= Grubbs' G) for a two-sided
# test at 5 % (upper 2.5 % one-sided column) and at 1 % (upper 0.5 % column).
ASTM_E178_5PCT = {3: 1.155, 5: 1.715, 10: 2.290, 20: 2.709, 30: 2.908, 50: 3.128}
ASTM_E178_1PCT = {3: 1.155, 5: 1.764, 10: 2.482, 20: 3.001, 30: 3.236}


@pytest.mark.parametrize(("n", "expected"), sorted(ASTM_E178_5PCT.items()))
def test_grubbs_critical_matches_astm_e178_at_5_percent(n, expected):
    assert anomaly.grubbs_critical(n, alpha=0.05) == pytest.approx(expected, abs=1.1e-3)


@pytest.mark.parametrize(("n", "expected"), sorted(ASTM_E178_1PCT.items()))
def test_grubbs_critical_matches_astm_e178_at_1_percent(n, expected):
    assert anomaly.grubbs_critical(n, alpha=0.01) == pytest.approx(expected, abs=1.1e-3)


def test_grubbs_test_flags_a_planted_outlier_and_not_clean_data():
    rng = np.random.default_rng(0)
    clean = rng.normal(10.0, 1.0, 30)
    assert not anomaly.grubbs_test(clean).is_outlier
    dirty = clean.copy()
    dirty[7] = 18.0
    result = anomaly.grubbs_test(dirty)
    assert (result.index, result.is_outlier) == (7, True)
    assert result.critical == pytest.approx(ASTM_E178_5PCT[30], abs=1.1e-3)
    assert result.statistic == pytest.approx(np.abs(anomaly.zscore(dirty)).max())


def test_grubbs_false_alarm_rate_is_alpha():
    rng = np.random.default_rng(1)
    samples = rng.normal(size=(2000, 10))
    alarms = np.mean([anomaly.grubbs_test(row).is_outlier for row in samples])
    assert abs(alarms - 0.05) < 0.015, alarms


def test_grubbs_outliers_returns_original_indices_in_removal_order():
    rng = np.random.default_rng(2)
    x = rng.normal(0.0, 1.0, 40)
    x[[5, 30]] = [9.0, -12.0]
    assert anomaly.grubbs_outliers(x).tolist() == [30, 5]
    assert anomaly.grubbs_outliers(rng.normal(size=40)).size == 0


def test_zscore_known_values_and_seed_ddof():
    x = np.array([2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0])  # mean 5, population sd 2
    np.testing.assert_allclose(anomaly.zscore(x, ddof=0), (x - 5.0) / 2.0)
    np.testing.assert_allclose(anomaly.zscore(x), (x - 5.0) / np.std(x, ddof=1))


def test_max_abs_zscore_bound_is_reached_and_threshold_2_unreachable_for_n_le_5():
    for n in range(2, 12):
        extreme = np.r_[
            np.zeros(n - 1), 1.0
        ]  # all equal but one: the bound is attained
        for ddof in (0, 1):
            reached = np.abs(anomaly.zscore(extreme, ddof=ddof)).max()
            assert reached == pytest.approx(anomaly.max_abs_zscore(n, ddof=ddof))
    assert anomaly.max_abs_zscore(5, ddof=0) == 2.0  # |z| > 2 impossible (seed)
    assert anomaly.max_abs_zscore(5) == pytest.approx(4 / math.sqrt(5))
    assert anomaly.max_abs_zscore(6, ddof=0) > 2.0


def test_masking_two_outliers_hide_from_zscore_but_not_modified_zscore():
    x = np.r_[np.linspace(9.5, 10.5, 8), 30.0, 30.0]
    assert not anomaly.zscore_outliers(x, threshold=3.0).any()
    flagged = np.flatnonzero(np.abs(anomaly.modified_zscore(x)) > 3.5)
    assert flagged.tolist() == [8, 9]


def test_modified_zscore_known_values():
    # median 3, MAD = median(|x - 3|) = 1
    x = [1.0, 2.0, 3.0, 4.0, 100.0]
    np.testing.assert_allclose(
        anomaly.modified_zscore(x), 0.6745 * (np.array(x) - 3.0) / 1.0
    )


finite = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)


def _spread(x: np.ndarray) -> bool:
    return np.ptp(x) > 1e-6 * max(1.0, np.abs(x).max())


@settings(max_examples=200, deadline=None)
@given(arrays(float, st.integers(2, 60), elements=finite), st.sampled_from([0, 1]))
def test_zscore_has_mean_0_and_std_1(x, ddof):
    if not _spread(x):
        return
    z = anomaly.zscore(x, ddof=ddof)
    assert abs(z.mean()) < 1e-6
    assert np.std(z, ddof=ddof) == pytest.approx(1.0, rel=1e-6)


@settings(max_examples=200, deadline=None)
@given(arrays(float, st.integers(2, 60), elements=finite), st.sampled_from([0, 1]))
def test_max_abs_zscore_is_never_exceeded(x, ddof):
    if not _spread(x):
        return
    bound = anomaly.max_abs_zscore(x.size, ddof=ddof)
    assert np.abs(anomaly.zscore(x, ddof=ddof)).max() <= bound * (1 + 1e-9)


@settings(max_examples=200, deadline=None)
@given(
    arrays(float, st.integers(2, 40), elements=st.floats(-1e3, 1e3)),
    st.floats(0.01, 100.0),
    st.floats(-1e3, 1e3),
)
def test_zscore_is_invariant_to_positive_affine_maps(x, scale, shift):
    if not _spread(x) or np.ptp(x) < 1e-3:
        return
    np.testing.assert_allclose(
        anomaly.zscore(scale * x + shift), anomaly.zscore(x), atol=1e-6
    )


# -- bad input: one test per rule ------------------------------------------------


def test_empty_input_is_rejected():
    with pytest.raises(ValueError, match="x must have at least"):
        anomaly.zscore([])


def test_nan_is_rejected():
    with pytest.raises(ValueError, match="x must contain only finite values"):
        anomaly.modified_zscore([1.0, np.nan, 2.0])


def test_inf_is_rejected():
    with pytest.raises(ValueError, match="x must contain only finite values"):
        anomaly.grubbs_test([1.0, 2.0, np.inf])


def test_wrong_dimension_is_rejected():
    with pytest.raises(ValueError, match=r"x must be 1-D; got shape \(2, 2\)"):
        anomaly.zscore([[1.0, 2.0], [3.0, 4.0]])


def test_constant_data_is_rejected():
    with pytest.raises(ValueError, match="x is constant"):
        anomaly.zscore_outliers([3.0, 3.0, 3.0])


def test_zero_mad_is_rejected():
    with pytest.raises(ValueError, match="MAD"):
        anomaly.modified_zscore([1.0, 1.0, 1.0, 9.0])


@pytest.mark.parametrize("alpha", [0.0, 1.0, -0.1, 1.5])
def test_alpha_outside_unit_interval_is_rejected(alpha):
    with pytest.raises(ValueError, match=r"alpha must be in \(0, 1\)"):
        anomaly.grubbs_test([1.0, 2.0, 4.0], alpha=alpha)


def test_grubbs_needs_three_values():
    with pytest.raises(ValueError, match="x must have at least 3 values"):
        anomaly.grubbs_test([1.0, 2.0])
    with pytest.raises(ValueError, match="n must be an integer >= 3"):
        anomaly.grubbs_critical(2)


def test_bad_threshold_and_ddof_are_rejected():
    with pytest.raises(ValueError, match="threshold must be > 0"):
        anomaly.zscore_outliers([1.0, 2.0, 3.0], threshold=0)
    with pytest.raises(ValueError, match="ddof must be < the number of values"):
        anomaly.zscore([1.0, 2.0], ddof=2)
    with pytest.raises(ValueError, match="n must be an integer >= 2"):
        anomaly.max_abs_zscore(1)
