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


# -- generalized ESD (Rosner, 1983) -----------------------------------------------

# NIST/SEMATECH e-Handbook of Statistical Methods, §1.3.5.17.3: Rosner's (1983)
# 54 values, tested for up to 10 outliers at alpha = 0.05. The handbook prints R_i
# and lambda_i truncated to three decimals; it finds 3 outliers although R_1 and R_2
# fall short (iterated Grubbs would stop at round 1 and report none).
ROSNER_1983 = np.array(
    "-0.25 0.68 0.94 1.15 1.20 1.26 1.26 1.34 1.38 1.43 1.49 1.49 1.55 1.56 1.58 "
    "1.65 1.69 1.70 1.76 1.77 1.81 1.91 1.94 1.96 1.99 2.06 2.09 2.10 2.14 2.15 "
    "2.23 2.24 2.26 2.35 2.37 2.40 2.47 2.54 2.62 2.64 2.90 2.92 2.92 2.93 3.21 "
    "3.26 3.30 3.59 3.68 4.30 4.64 5.34 5.42 6.01".split(),
    dtype=float,
)
NIST_R = [3.118, 2.942, 3.179, 2.810, 2.815, 2.848, 2.279, 2.310, 2.101, 2.067]
NIST_LAMBDA = [3.158, 3.151, 3.143, 3.136, 3.128, 3.120, 3.111, 3.103, 3.094, 3.085]


def _truncated(values: np.ndarray) -> list[float]:
    return (np.floor(np.asarray(values) * 1000 + 1e-9) / 1000).tolist()


def test_generalized_esd_reproduces_the_nist_worked_example():
    assert ROSNER_1983.size == 54
    result = anomaly.generalized_esd(ROSNER_1983, max_outliers=10, alpha=0.05)
    assert _truncated(result.statistics) == NIST_R
    assert _truncated(result.critical_values) == NIST_LAMBDA
    assert result.n_outliers == 3
    assert result.indices.tolist() == [53, 52, 51]  # 6.01, 5.42, 5.34
    assert result.candidates[:4].tolist() == [53, 52, 51, 50]
    assert result.alpha == 0.05


def test_esd_counts_the_largest_significant_round_not_the_first_failure():
    result = anomaly.generalized_esd(ROSNER_1983, max_outliers=10)
    exceed = result.statistics > result.critical_values
    assert exceed.tolist()[:3] == [False, False, True]  # rounds 1-2 are masked
    assert anomaly.grubbs_outliers(ROSNER_1983).size == 0  # iterated Grubbs stops


def test_esd_critical_values_are_grubbs_critical_values_of_the_remaining_sample():
    lam = anomaly.esd_critical_values(30, 5, alpha=0.01)
    expected = [anomaly.grubbs_critical(30 - i, alpha=0.01) for i in range(5)]
    np.testing.assert_allclose(lam, expected, rtol=1e-12)


def test_esd_finds_planted_outliers_at_their_positions_and_nothing_in_clean_data():
    rng = np.random.default_rng(3)
    x = rng.normal(0.0, 1.0, 60)
    x[[4, 40, 17]] = [8.0, -7.5, 7.8]
    result = anomaly.generalized_esd(x, max_outliers=6)
    assert result.n_outliers == 3
    assert sorted(result.indices.tolist()) == [4, 17, 40]
    assert anomaly.generalized_esd(rng.normal(size=60), 6).n_outliers == 0


def test_esd_false_alarm_rate_is_about_alpha():
    rng = np.random.default_rng(4)
    alarms = np.mean(
        [
            anomaly.generalized_esd(rng.normal(size=20), 4).n_outliers > 0
            for _ in range(1500)
        ]
    )
    assert 0.03 < alarms < 0.075, alarms


def test_esd_result_is_frozen_and_read_only():
    result = anomaly.generalized_esd(ROSNER_1983, max_outliers=2)
    with pytest.raises(AttributeError):
        result.n_outliers = 5
    with pytest.raises(ValueError, match="read-only"):
        result.statistics[0] = 0.0


def test_esd_stops_when_the_rest_is_constant():
    result = anomaly.generalized_esd([5.0, 5.0, 5.0, 5.0, 9.0], max_outliers=3)
    assert result.candidates.tolist() == [4]
    assert result.statistics.size == result.critical_values.size == 1


@pytest.mark.parametrize("max_outliers", [0, -1, 4, 9])
def test_esd_rejects_max_outliers_out_of_range(max_outliers):
    with pytest.raises(ValueError, match="max_outliers must be"):
        anomaly.generalized_esd([1.0, 2.0, 3.0, 4.0, 10.0], max_outliers=max_outliers)


def test_esd_rejects_a_non_integer_max_outliers():
    with pytest.raises(ValueError, match="max_outliers must be an integer >= 1"):
        anomaly.generalized_esd([1.0, 2.0, 3.0, 4.0, 10.0], max_outliers=2.0)


def test_esd_rejects_fewer_than_three_values_nan_and_constant_data():
    with pytest.raises(ValueError, match="x must have at least 3 values"):
        anomaly.generalized_esd([1.0, 2.0], max_outliers=1)
    with pytest.raises(ValueError, match="x must contain only finite values"):
        anomaly.generalized_esd([1.0, np.nan, 2.0, 3.0], max_outliers=1)
    with pytest.raises(ValueError, match="x is constant"):
        anomaly.generalized_esd([2.0, 2.0, 2.0, 2.0], max_outliers=1)


@pytest.mark.parametrize("alpha", [0.0, 1.0, -0.05, 1.5])
def test_esd_rejects_alpha_outside_the_unit_interval(alpha):
    with pytest.raises(ValueError, match=r"alpha must be in \(0, 1\)"):
        anomaly.generalized_esd([1.0, 2.0, 3.0, 4.0, 10.0], 1, alpha=alpha)


# -- hierarchical clustering as an outlier detector --------------------------------


def test_hierarchical_scores_hand_computed():
    # single linkage: 0-0.1 merge at 0.1, 0.3 joins at 0.2, 5.0 joins at 4.7
    X = [[0.0], [0.1], [0.3], [5.0]]
    np.testing.assert_allclose(
        anomaly.hierarchical_outlier_scores(X, 2, "single"), [0.1, 0.1, 0.2, 4.7]
    )
    np.testing.assert_allclose(
        anomaly.hierarchical_outlier_scores(X, 3, "single"), [0.2, 0.2, 0.2, 4.7]
    )
    np.testing.assert_allclose(
        anomaly.hierarchical_outlier_scores(X, 4, "single"), [4.7] * 4
    )


@pytest.mark.parametrize("method", ["single", "average", "complete", "ward"])
def test_a_cut_at_h_flags_exactly_the_points_scored_above_h(method):
    from scipy.cluster.hierarchy import fcluster, linkage

    rng = np.random.default_rng(5)
    X = np.r_[rng.normal(0, 1, (60, 2)), rng.normal(6, 1, (40, 2)), [[3, 12]]]
    scores = anomaly.hierarchical_outlier_scores(X, 8, method)
    Z = linkage(X, method)
    for h in np.quantile(Z[:, 2], [0.5, 0.8, 0.95, 0.99]):
        labels = fcluster(Z, h, criterion="distance")
        _, inverse, counts = np.unique(labels, return_inverse=True, return_counts=True)
        in_small_cluster = counts[inverse] < 8
        np.testing.assert_array_equal(in_small_cluster, scores > h)
    assert int(np.argmax(scores)) == 100  # the lone point far from both groups


def test_hierarchical_scores_reject_bad_input():
    X = np.zeros((5, 2))
    with pytest.raises(ValueError, match="min_cluster_size must be an integer >= 2"):
        anomaly.hierarchical_outlier_scores(X, 1)
    with pytest.raises(ValueError, match=r"min_cluster_size must be <= .* \(5\)"):
        anomaly.hierarchical_outlier_scores(X, 6)
    with pytest.raises(ValueError, match="method must be one of"):
        anomaly.hierarchical_outlier_scores(X, 2, method="centroid")
    with pytest.raises(ValueError, match="X must be 2-D"):
        anomaly.hierarchical_outlier_scores([1.0, 2.0, 3.0], 2)
    with pytest.raises(ValueError, match="X must contain only finite values"):
        anomaly.hierarchical_outlier_scores([[1.0], [np.nan], [2.0]], 2)


def test_grubbs_result_is_frozen_and_keyword_only():
    result = anomaly.grubbs_test([9.8, 10.1, 10.0, 9.9, 10.2, 10.0, 13.0])
    with pytest.raises(AttributeError):
        result.is_outlier = False
    with pytest.raises(TypeError):
        anomaly.GrubbsResult(2.0, 1.5, 0, True)
    with pytest.raises(TypeError):
        anomaly.ESDResult(0, [], [], [], [], 0.05)


# -- issue 17: refuse bad input by name, hold over the whole float range -------------

X19 = np.array([10.0] * 19 + [30.0])


def test_issue_17_scale_reproducers():
    """zscore_outliers(x * 1e153) flagged nothing (the sum of squares overflowed);
    grubbs_outliers(x * 1e-310) flagged 18 of 20 (it underflowed)."""
    assert anomaly.zscore_outliers(X19).nonzero()[0].tolist() == [19]
    assert anomaly.zscore_outliers(X19 * 1e153).nonzero()[0].tolist() == [19]
    assert anomaly.grubbs_outliers(X19 * 1e-310).tolist() == [19]
    wobbly = np.r_[np.linspace(9.0, 11.0, 19), 30.0]
    for scale in (1e-310, 1e-300, 1e153, 1e300):
        assert anomaly.grubbs_outliers(wobbly * scale).tolist() == [19], scale
        assert anomaly.generalized_esd(wobbly * scale, 3).indices.tolist() == [19]
        np.testing.assert_allclose(
            anomaly.zscore(wobbly * scale), anomaly.zscore(wobbly), atol=1e-12
        )
        np.testing.assert_allclose(
            anomaly.modified_zscore(wobbly * scale),
            anomaly.modified_zscore(wobbly),
            atol=1e-12,
        )
    spread = np.array([-1.7e308, -1e308, 0.0, 1e308, 1.7e308])  # x - mean overflowed
    assert np.isfinite(anomaly.zscore(spread)).all()
    assert np.isfinite(anomaly.modified_zscore(spread)).all()


def test_issue_17_dtypes_are_refused_by_name():
    with pytest.raises(TypeError, match="x must be numeric; got datetime values"):
        anomaly.zscore(np.array(["2024-01-01", "2024-01-02"], dtype="datetime64[D]"))
    with pytest.raises(TypeError, match="x must be numeric; got complex values"):
        anomaly.grubbs_test([1 + 5j, 2, 3 - 7j, 2 + 1j])
    with pytest.raises(TypeError, match="x must be numeric; got string values"):
        anomaly.modified_zscore(["1", "2", "3"])
    with pytest.raises(TypeError, match="x must be numeric; got 'a' at index 2"):
        anomaly.zscore(np.array([1.0, 2.0, "a"], dtype=object))
    with pytest.raises(TypeError, match="ddof must be an integer >= 0; got True"):
        anomaly.zscore([1.0, 2.0], ddof=True)
    with pytest.raises(TypeError, match="threshold must be a real number; got '3'"):
        anomaly.zscore_outliers([1.0, 2.0], threshold="3")
    with pytest.raises(ValueError, match="n must be an integer <= 50000000"):
        anomaly.esd_critical_values(10**12, 3)


def test_critical_values_at_a_tiny_alpha_are_their_limit_not_nan():
    """SciPy's t quantile is -inf for a subnormal tail: the value was NaN."""
    bound = 53 / math.sqrt(54)
    assert anomaly.grubbs_critical(54, 1e-310) == pytest.approx(bound)
    assert np.isfinite(anomaly.esd_critical_values(54, 3, 1e-310)).all()
    assert anomaly.grubbs_critical(10_000, 1e-300) < 60  # many dof: t stays finite


def test_hierarchical_scores_scale_with_the_data():
    X = np.array([[0.0], [0.1], [0.3], [5.0]])
    expected = anomaly.hierarchical_outlier_scores(X, 3, "single")
    huge = anomaly.hierarchical_outlier_scores(X * 1e300, 3, "single")
    np.testing.assert_allclose(huge, expected * 1e300, rtol=1e-12)
