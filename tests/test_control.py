"""Unit tests of modelmaint.control against textbook examples and published ARLs."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from modelmaint import control

# Montgomery, Introduction to Statistical Quality Control, Table 9.1: 30 observations,
# the first 20 from N(10, 1), the last 10 from N(11, 1) (a 1σ shift at observation 21).
MONTGOMERY_9_1 = np.array(
    [9.45, 7.99, 9.29, 11.66, 12.16, 10.18, 8.04, 11.46, 9.20, 10.34,
     9.03, 11.47, 10.51, 9.40, 10.08, 9.37, 10.62, 10.31, 8.52, 10.84,
     10.90, 9.33, 12.29, 11.50, 10.60, 11.08, 10.38, 11.62, 11.31, 10.52]
)  # fmt: skip


def test_d2_is_the_mean_range_of_two_normals():
    assert control.D2 == pytest.approx(2 / math.sqrt(math.pi), abs=5e-4)  # 1.1284
    rng = np.random.default_rng(0)
    x = rng.normal(0.0, 2.0, 200_000)
    assert control.moving_range_sigma(x) == pytest.approx(2.0, rel=0.01)


def test_individuals_chart_limits_from_moving_range():
    reference = np.array([10.0, 12.0, 11.0, 13.0, 12.0])  # MR-bar = (2+1+2+1)/4 = 1.5
    chart = control.individuals_chart([11.0, 17.0], reference=reference)
    sigma = 1.5 / 1.128
    np.testing.assert_allclose(chart.center, 11.6)
    np.testing.assert_allclose(chart.upper, 11.6 + 3 * sigma)
    np.testing.assert_allclose(chart.lower, 11.6 - 3 * sigma)
    assert chart.signals.tolist() == [1] and chart.first_signal == 1


def test_individuals_chart_moving_range_is_robust_to_a_shift():
    # std of all points is inflated by the step; the moving range barely is
    x = np.r_[np.zeros(50), np.full(50, 4.0)] + np.tile([0.5, -0.5], 50)
    assert np.std(x) > 2.0
    assert control.moving_range_sigma(x) < 1.0


def test_tabular_cusum_montgomery_example():
    chart = control.cusum_chart(MONTGOMERY_9_1, target=10.0, sigma=1.0, k=0.5, h=5.0)
    # Montgomery's tabular CUSUM: C+_29 = 5.28, C+_30 = 5.30 (1-based), first > H = 5
    np.testing.assert_allclose(chart.c_plus[[3, 4, 28, 29]], [1.16, 2.82, 5.28, 5.30])
    assert chart.first_signal == 28  # observation 29, 1-based
    assert chart.signals.tolist() == [28, 29]
    assert chart.c_minus.max() < 5.0


def test_ewma_montgomery_example():
    chart = control.ewma_chart(MONTGOMERY_9_1, target=10.0, sigma=1.0, lam=0.1, L=2.7)
    # z_1 = 9.945, z_28 = 10.5731, z_29 = 10.6468 (1-based); asymptotic UCL 10.62
    np.testing.assert_allclose(
        chart.statistic[[0, 27, 28]], [9.945, 10.5731, 10.6468], atol=1e-4
    )
    np.testing.assert_allclose(chart.upper[0], 10.27, atol=1e-3)
    assert chart.upper[-1] == pytest.approx(10 + 2.7 * math.sqrt(0.1 / 1.9), abs=1e-3)
    # z_28 = 10.5731 is still inside its limit (10.6186): the first signal is the
    # 29th observation (index 28).
    assert chart.statistic[27] < chart.upper[27]
    assert chart.first_signal == 28


def test_ewma_with_lambda_1_is_the_shewhart_chart():
    x = np.array([0.5, -3.5, 1.0, 3.2])
    chart = control.ewma_chart(x, target=0.0, sigma=1.0, lam=1.0, L=3.0)
    np.testing.assert_allclose(chart.statistic, x)
    np.testing.assert_allclose(chart.upper, 3.0)
    assert chart.signals.tolist() == [1, 3]


def test_cusum_closed_form_matches_the_loop():
    rng = np.random.default_rng(3)
    x = rng.normal(0.2, 1.0, 500)
    chart = control.cusum_chart(x, target=0.0, sigma=1.0, k=0.25, h=4.0)
    cp = cm = 0.0
    for i, value in enumerate(x):
        cp = max(0.0, value - 0.25 + cp)
        cm = max(0.0, -0.25 - value + cm)
        assert chart.c_plus[i] == pytest.approx(cp, abs=1e-9)
        assert chart.c_minus[i] == pytest.approx(cm, abs=1e-9)


def test_p_chart_limits_vary_with_sample_size():
    errors = np.array([4, 10, 30, 2])
    n = np.array([100, 200, 100, 50])
    chart = control.p_chart(errors, n)
    p_bar = errors.sum() / n.sum()  # 46 / 450
    np.testing.assert_allclose(chart.center, p_bar)
    np.testing.assert_allclose(
        chart.upper, p_bar + 3 * np.sqrt(p_bar * (1 - p_bar) / n)
    )
    assert chart.lower[3] == 0.0  # clipped at 0
    assert chart.first_signal == 2
    fixed = control.p_chart([1, 3], n=40, reference_rate=0.02)
    np.testing.assert_allclose(fixed.center, 0.02)


def test_western_electric_each_rule():
    base = np.zeros(12)
    rules = control.western_electric(base, center=0.0, sigma=1.0)
    assert rules.signals.size == 0 and rules.first_signal is None
    r1 = control.western_electric(np.r_[base[:5], -3.2], 0.0, 1.0)
    assert r1.rule1.tolist() == [5]
    r2 = control.western_electric([0.0, 2.5, 0.1, 2.2, 0.0], 0.0, 1.0)
    assert r2.rule2.tolist() == [3] and r2.rule1.size == 0
    r3 = control.western_electric([0.0, -1.5, -1.2, 0.3, -1.1, -1.3], 0.0, 1.0)
    assert r3.rule3.tolist() == [5] and r3.rule2.size == 0
    r4 = control.western_electric(np.r_[-0.3, np.full(8, 0.4)], 0.0, 1.0)
    assert r4.rule4.tolist() == [8] and r4.rule3.size == 0
    assert r4.by_rule[4].tolist() == [8] and r4.first_signal == 8
    mixed = control.western_electric(np.tile([0.5, -0.5], 10), 0.0, 1.0)
    assert mixed.signals.size == 0


def test_western_electric_false_alarm_rate_in_control():
    # Together the four rules alarm about every 92 points (Champ & Woodall, 1987),
    # about four times as often as rule 1 alone (1/370).
    x = np.random.default_rng(4).normal(size=200_000)
    rules = control.western_electric(x, 0.0, 1.0)
    rule1_rate = rules.rule1.size / x.size
    assert rule1_rate == pytest.approx(2 * stats.norm.sf(3), rel=0.1)
    assert rules.signals.size / x.size > 3 * rule1_rate


def test_arl_shewhart_matches_the_geometric_distribution():
    arl0 = control.average_run_length("shewhart", 0.0, n_runs=4000, seed=0)
    exact0 = 1 / (2 * stats.norm.sf(3))  # 370.4
    assert abs(arl0.arl - exact0) < 3.5 * arl0.std_error, (arl0.arl, arl0.std_error)
    assert arl0.censored == 0
    arl1 = control.average_run_length("shewhart", 1.0, n_runs=4000, seed=1)
    exact1 = 1 / (stats.norm.sf(2) + stats.norm.cdf(-4))  # 43.9
    assert abs(arl1.arl - exact1) < 3.5 * arl1.std_error


@pytest.mark.parametrize(("h", "shift", "published"),
                         [(5.0, 0.0, 465), (5.0, 1.0, 10.4), (4.0, 0.0, 168),
                          (4.0, 1.0, 8.38)])  # fmt: skip
def test_arl_cusum_matches_montgomery_table_9_3(h, shift, published):
    result = control.average_run_length("cusum", shift, n_runs=4000, k=0.5, h=h)
    assert abs(result.arl - published) < max(3.5 * result.std_error, 0.03 * published)


def test_arl_ewma_detects_small_shifts_faster_than_shewhart():
    ewma = control.average_run_length("ewma", 1.0, n_runs=2000, lam=0.2, L=3.0)
    shewhart = control.average_run_length("shewhart", 1.0, n_runs=2000)
    assert ewma.arl < shewhart.arl / 3
    ewma0 = control.average_run_length("ewma", 0.0, n_runs=2000, lam=0.2, L=3.0)
    assert ewma0.arl > 370  # about 500 with these limits


def test_arl_is_reproducible_and_counts_censoring():
    a = control.average_run_length("cusum", 0.5, n_runs=200, seed=7)
    b = control.average_run_length("cusum", 0.5, n_runs=200, seed=7)
    np.testing.assert_array_equal(a.run_lengths, b.run_lengths)
    short = control.average_run_length("shewhart", 0.0, n_runs=200, max_len=10)
    assert short.censored > 150 and short.run_lengths.max() == 10


# -- bad input: one test per rule ------------------------------------------------


def test_empty_input_is_rejected():
    with pytest.raises(ValueError, match="x must have at least 1"):
        control.ewma_chart([], target=0.0, sigma=1.0)


def test_nan_is_rejected():
    with pytest.raises(ValueError, match="x must contain only finite values"):
        control.cusum_chart([1.0, np.nan], target=0.0, sigma=1.0)


def test_inf_in_reference_is_rejected():
    with pytest.raises(ValueError, match="reference must contain only finite"):
        control.individuals_chart([1.0, 2.0], reference=[1.0, np.inf])


def test_wrong_dimension_is_rejected():
    with pytest.raises(ValueError, match="x must be 1-D"):
        control.western_electric(np.zeros((3, 3)), center=0.0, sigma=1.0)


def test_constant_reference_is_rejected():
    with pytest.raises(ValueError, match="reference is constant"):
        control.individuals_chart([1.0, 2.0], reference=[5.0, 5.0, 5.0])


@pytest.mark.parametrize("sigma", [0.0, -1.0])
def test_sigma_must_be_positive(sigma):
    with pytest.raises(ValueError, match="sigma must be > 0"):
        control.ewma_chart([1.0], target=0.0, sigma=sigma)


@pytest.mark.parametrize("lam", [0.0, 1.2, -0.5])
def test_lambda_outside_0_1_is_rejected(lam):
    with pytest.raises(ValueError, match=r"lam must be in \(0, 1\]"):
        control.ewma_chart([1.0], target=0.0, sigma=1.0, lam=lam)


def test_h_must_be_positive():
    with pytest.raises(ValueError, match="h must be > 0"):
        control.cusum_chart([1.0], target=0.0, sigma=1.0, h=0.0)


def test_k_must_not_be_negative():
    with pytest.raises(ValueError, match="k must be >= 0"):
        control.cusum_chart([1.0], target=0.0, sigma=1.0, k=-0.1)


def test_errors_above_n_are_rejected():
    with pytest.raises(ValueError, match=r"errors must be <= n; got errors\[1\]"):
        control.p_chart([3, 12], n=[10, 10])


def test_p_chart_rejects_zero_pooled_rate_and_bad_reference():
    with pytest.raises(ValueError, match="pooled rate of 0.0"):
        control.p_chart([0, 0], n=10)
    with pytest.raises(ValueError, match=r"reference_rate must be in \(0, 1\)"):
        control.p_chart([1, 0], n=10, reference_rate=1.0)


def test_arl_rejects_unknown_chart_and_params():
    with pytest.raises(ValueError, match="chart must be one of"):
        control.average_run_length("xbar")
    with pytest.raises(ValueError, match="params for chart='ewma' must be among"):
        control.average_run_length("ewma", h=5.0)


def _charts():
    x = MONTGOMERY_9_1
    return {
        "individuals": control.individuals_chart(x, reference=x[:20]),
        "p": control.p_chart([5, 6, 4, 20], n=100, reference_rate=0.05),
        "ewma": control.ewma_chart(x, target=10.0, sigma=1.0),
        "cusum": control.cusum_chart(x, target=10.0, sigma=1.0),
    }


@pytest.mark.parametrize("kind", ["individuals", "p", "ewma", "cusum"])
def test_chart_results_are_frozen_with_read_only_arrays(kind):
    chart = _charts()[kind]
    with pytest.raises(AttributeError):
        chart.first_signal = 0
    names = ["statistic", "center", "lower", "upper", "signals"]
    names += ["c_plus", "c_minus"] if kind == "cusum" else []
    for name in names:
        with pytest.raises(ValueError, match="read-only"):
            getattr(chart, name)[0] = 0.0


def test_a_chart_does_not_freeze_the_callers_array():
    x = np.array([10.0, 11.0, 10.0, 14.0, 10.0])
    chart = control.individuals_chart(x, reference=[10, 11, 10, 11])
    x[0] = 0.0  # the caller's array stays writable
    assert not chart.statistic.flags.writeable


def test_other_results_are_read_only_and_keyword_only():
    rules = control.western_electric(MONTGOMERY_9_1, center=10.0, sigma=1.0)
    arl = control.average_run_length("shewhart", shift=3.0, n_runs=50)
    for array in (rules.rule1, rules.rule4, arl.run_lengths):
        with pytest.raises(ValueError, match="read-only"):
            array[...] = 0
    empty = np.empty(0)
    with pytest.raises(TypeError):
        control.ChartResult(empty, empty, empty, empty, empty, None)
    with pytest.raises(TypeError):
        control.ARLResult("shewhart", 0.0, 370.0, 1.0, empty, 0)
    with pytest.raises(TypeError, match="c_plus"):  # no dummy default any more
        control.CusumResult(
            statistic=empty,
            center=empty,
            lower=empty,
            upper=empty,
            signals=empty,
            first_signal=None,
        )


# -- issue 17: refuse bad input by name, hold over the whole float range -------------


def test_issue_17_dtypes_are_refused_by_name():
    """individuals_chart dropped the imaginary parts of complex data."""
    with pytest.raises(TypeError, match="x must be numeric; got complex values"):
        control.individuals_chart(np.array([1 + 5j, 2, 3 - 7j, 2 + 1j]))
    with pytest.raises(TypeError, match="reference must be numeric; got timedelta"):
        control.individuals_chart([1.0, 2.0], reference=np.array([1, 2], dtype="m8[s]"))
    with pytest.raises(TypeError, match="x must be numeric; got string values"):
        control.cusum_chart(["1", "2"], target=0.0, sigma=1.0)
    with pytest.raises(TypeError, match="target must be a real number; got '0'"):
        control.ewma_chart([1.0], target="0", sigma=1.0)
    with pytest.raises(TypeError, match="sigma must be a real number; got True"):
        control.western_electric([1.0], center=0.0, sigma=True)
    with pytest.raises(
        ValueError, match=r"n must have the same length as errors \(3\)"
    ):
        control.p_chart([1, 2, 3], n=[10, 10])
    with pytest.raises(ValueError, match="n_runs x block must be at most"):
        control.average_run_length("shewhart", n_runs=10**9)
    with pytest.raises(TypeError, match="seed must be an integer >= 0; got 2.5"):
        control.average_run_length("shewhart", n_runs=10, seed=2.5)


def test_charts_hold_near_the_largest_float():
    """x - target overflowed to inf (and inf - inf to NaN) in the CUSUM; the moving
    range overflowed in moving_range_sigma."""
    x = np.array([1.5e308, -1.5e308, 1.0e308, -1.0e308])
    chart = control.cusum_chart(x, target=-1.0e308, sigma=1e307, k=0.5, h=5.0)
    assert not np.isnan(chart.statistic).any()
    small = control.cusum_chart(x / 1e300, target=-1e8, sigma=1e7)
    np.testing.assert_allclose(chart.c_minus, small.c_minus * 1e300, rtol=1e-12)
    wide = np.array([1.0e308, -1.0e308, 0.5e308, -0.5e308])  # |diff| up to 2e308
    assert control.moving_range_sigma(wide) == pytest.approx(1.5e308 / control.D2)
    assert control.moving_range_sigma(x * 1e-300 * 1e-10) > 0  # subnormal
    rules = control.western_electric(x, center=0.0, sigma=1e300)
    assert rules.rule1.tolist() == [0, 1, 2, 3]  # |z| = 100 to 150
