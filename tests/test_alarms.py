"""Unit tests of modelmaint.alarms against published numbers.

* scoring: the examples of TCPDBench's ``metrics.py`` (van den Burg & Williams 2020);
* calibration: textbook ARLs (Shewhart 3σ 370.4; two-sided CUSUM k = 0.5: 168 at
  h = 4, 465 at h = 5, ARL1(1σ) 10.4, Montgomery Table 9.3; EWMA λ = 0.2: 500 at
  L = 2.962, Lucas & Saccucci 1990 / Montgomery Table 9.11). Simulated values are
  compared with a tolerance of 4 standard errors of the simulation itself (read off
  the reported 95 % interval), never a guessed one;
* multiple testing: Benjamini & Hochberg's (1995) example and SciPy's adjusted
  p-values.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from modelmaint import alarms, control

Z95 = 1.959963984540054
N_STREAMS, N_STEPS = 2000, 1500


def _q(x: float) -> float:
    """P(Z > x) for a standard normal Z."""
    return 0.5 * math.erfc(x / math.sqrt(2.0))


def _phi(x: float) -> float:
    return math.exp(-0.5 * x * x) / math.sqrt(2.0 * math.pi)


def _se_log(low: float, arl: float, high: float) -> float:
    """Standard error of log(ARL), from the symmetric log-scale 95 % interval."""
    assert math.log(arl / low) == pytest.approx(math.log(high / arl))
    return math.log(high / arl) / Z95


def _paths(statistic: alarms.ChartStatistic, seed: int) -> np.ndarray:
    return statistic(np.random.default_rng(seed), N_STREAMS, N_STEPS)


def _calibrate_on(paths: np.ndarray, target: float) -> alarms.Calibration:
    """Calibrate on given paths (the same ones the ARL checks use)."""
    return alarms.calibrate_threshold(
        lambda rng, n, t: paths, target, n_streams=N_STREAMS, n_steps=N_STEPS
    )


def _slope(paths: np.ndarray, c: float, step: float = 0.2) -> float:
    """d log(ARL0) / d threshold near c, measured on the paths."""
    arl = alarms.run_lengths(paths, [c - step, c + step]).arl
    return math.log(arl[1] / arl[0]) / (2 * step)


def _siegmund_h(arl0: float, k: float = 0.5) -> float:
    """h of a two-sided CUSUM with ARL0 ``arl0``, by Siegmund's approximation.

    One side: ARL = (exp(2kb) - 2kb - 1) / (2k^2), b = h + 1.166; two sides: half.
    """
    lo, hi = 0.0, 20.0
    for _ in range(60):
        b = 0.5 * (lo + hi) + 1.166
        one_sided = (math.exp(2 * k * b) - 2 * k * b - 1) / (2 * k * k)
        lo, hi = (
            (lo, 0.5 * (lo + hi)) if one_sided / 2 >= arl0 else (0.5 * (lo + hi), hi)
        )
    return hi


@pytest.fixture(scope="module")
def shewhart_paths() -> np.ndarray:
    return _paths(alarms.shewhart_statistic(), seed=1)


@pytest.fixture(scope="module")
def cusum_paths() -> np.ndarray:
    return _paths(alarms.cusum_statistic(k=0.5), seed=2)


@pytest.fixture(scope="module")
def ewma_paths() -> np.ndarray:
    return _paths(alarms.ewma_statistic(lam=0.2), seed=3)


# --- scoring: TCPDBench's metrics.py ------------------------------------------------


@pytest.mark.parametrize(
    ("annotated", "predicted", "expected"),
    [
        ({1, 10, 20, 23}, {3, 8, 20}, {1, 10, 20}),
        ({1, 10, 20, 23}, {1, 3, 8, 20}, {1, 10, 20}),
        ({1, 10, 20, 23}, {1, 3, 5, 8, 20}, {1, 10, 20}),
        (set(), {1, 2, 3}, set()),
        ({1, 2, 3}, set(), set()),
    ],
)
def test_true_positives_tcpdbench_examples(annotated, predicted, expected):
    assert alarms.true_positives(annotated, predicted) == expected


@pytest.mark.parametrize(
    ("annotations", "predictions", "expected"),
    [
        ({1: [10, 20], 2: [11, 20], 3: [10], 4: [0, 5]}, [10, 20], 1.0),
        ({1: [], 2: [10], 3: [50]}, [10], 0.9090909090909091),
        ({1: [], 2: [10], 3: [50]}, [], 0.8),
    ],
)
def test_f_measure_tcpdbench_examples(annotations, predictions, expected):
    assert alarms.f_measure(annotations, predictions) == expected


@pytest.mark.parametrize(
    ("annotations", "predictions", "expected"),
    [
        ({1: [10, 20], 2: [10], 3: [0, 5]}, [10, 20], 0.7962962962962963),
        ({1: [], 2: [10], 3: [40]}, [10], 0.7954144620811286),
        ({1: [], 2: [10], 3: [40]}, [], 0.8189300411522634),
    ],
)
def test_covering_tcpdbench_examples(annotations, predictions, expected):
    assert alarms.covering(annotations, predictions, 45) == expected


def test_precision_recall_by_hand():
    # 0 joins every set: predictions {0, 10}, both match -> P = 1; recalls of the
    # annotators {0}, {0, 10}, {0, 50}: 1, 1, 1/2 -> R = 5/6; F = 2PR/(P+R) = 10/11
    f, p, r = alarms.f_measure([[], [10], [50]], np.array([10]), return_pr=True)
    assert (p, r) == (1.0, pytest.approx(5 / 6))
    assert f == pytest.approx(10 / 11)
    assert alarms.score_changepoints({"a": [], "b": [10], "c": [50]}, [10]) == (
        alarms.ChangePointScore(p, r, f)
    )


def test_margin_and_single_use_of_a_prediction():
    assert alarms.score_changepoints([[10]], [16]).precision == 0.5  # 6 > margin 5
    assert alarms.score_changepoints([[10]], [16], margin=6).precision == 1.0
    # one prediction between two annotated points serves only one of them
    score = alarms.score_changepoints([[10, 12]], [11])
    assert (score.precision, score.recall) == (1.0, pytest.approx(2 / 3))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"margin": -1}, "margin must be an integer >= 0; got -1"),
        ({"margin": 2.5}, "margin must be an integer >= 0; got 2.5"),
        ({"predictions": [10.5]}, "predictions must contain integer indices; got 10.5"),
        ({"predictions": [True]}, "predictions must contain integer indices"),
        ({"predictions": [-3]}, "predictions must contain indices >= 0; got -3"),
        ({"predictions": "10"}, "predictions must be a sequence of integer indices"),
        ({"annotations": {"x": [1.5]}}, "annotations['x'] must contain integer"),
        ({"annotations": {}}, "annotations must hold at least one annotator"),
        ({"annotations": 3}, "annotations must be a dict"),
    ],
)
def test_scoring_bad_input(kwargs, message):
    """A wrong type (2.5, True, a str, a number for a dict) is a TypeError too."""
    args = {"annotations": {1: [10]}, "predictions": [10], **kwargs}
    with pytest.raises(
        ValueError, match=message.replace("[", r"\[").replace("]", r"\]")
    ):
        alarms.score_changepoints(**args)


def test_covering_point_beyond_the_series():
    with pytest.raises(ValueError, match="predictions must be indices < n_obs = 45"):
        alarms.covering({1: [10]}, [50], 45)


# --- statistics of simulated streams ------------------------------------------------


def test_shift_step_variance_and_ramp():
    ones = np.ones((1, 4))
    np.testing.assert_allclose(
        alarms.Shift(at=1, delta=2.0).apply(ones), [[1, 3, 3, 3]]
    )
    np.testing.assert_allclose(
        alarms.Shift(at=2, scale=3.0).apply(ones), [[1, 1, 3, 3]]
    )
    np.testing.assert_allclose(
        alarms.Shift(at=2, slope=0.5).apply(np.zeros(4)), [0, 0, 0.5, 1.0]
    )
    with pytest.raises(ValueError, match="scale must be > 0; got 0"):
        alarms.Shift(at=0, scale=0)
    with pytest.raises(TypeError, match="shift must be a Shift or None; got dict"):
        alarms.cusum_statistic(shift={"at": 3})


def test_statistics_match_the_recursions_and_the_control_module():
    x = np.random.default_rng(0).standard_normal((2, 400))
    z, prev = np.empty_like(x), np.zeros(2)
    for t in range(x.shape[1]):
        prev = 0.1 * x[:, t] + 0.9 * prev
        z[:, t] = prev
    ewma = alarms.ewma_statistic(lam=0.1).transform(x)
    np.testing.assert_allclose(ewma, np.abs(z) / math.sqrt(0.1 / 1.9), atol=1e-12)
    np.testing.assert_allclose(alarms.ewma_statistic(lam=1.0).transform(x), np.abs(x))
    chart = control.cusum_chart(10.0 + 2.0 * x[0], target=10.0, sigma=2.0, k=0.5)
    cusum = alarms.cusum_statistic(k=0.5).transform(x[:1])
    np.testing.assert_allclose(cusum[0], chart.statistic / 2.0, atol=1e-12)


# --- run lengths and calibration ----------------------------------------------------


def test_run_lengths_by_hand():
    s = np.array([[0.0, 5.0, 1.0], [0.0, 0.0, 0.0], [4.0, 0.0, 9.0]])
    rl = alarms.run_lengths(s, [3.0, 4.5, 10.0])
    np.testing.assert_array_equal(rl.lengths, [[2, 3, 1], [2, 3, 3], [3, 3, 3]])
    np.testing.assert_array_equal(rl.censored[:, 1], [True, True, True])
    np.testing.assert_allclose(rl.arl[:2], [6 / 2, 8 / 2])  # exposure / alarms
    # no alarm: ARL unbounded above, at least exposure / 3.689 (zero events, 97.5 %)
    assert rl.arl[2] == math.inf and rl.arl_low[2] == pytest.approx(9 / 3.6889, 1e-4)


def test_uncensored_interval_is_the_normal_interval_of_the_mean():
    lengths = np.array([1.0, 2.0, 4.0, 8.0, 16.0])
    # a stream alarms at step L exactly: statistic 1 at index L - 1
    s = (np.arange(16) == (lengths[:, None] - 1)).astype(float)
    rl = alarms.run_lengths(s, 0.5)
    se = lengths.std(ddof=1) / math.sqrt(lengths.size)
    assert rl.arl == lengths.mean()
    assert rl.arl_high == pytest.approx(rl.arl * math.exp(Z95 * se / rl.arl))


def test_shewhart_arl0_and_calibration(shewhart_paths):
    truth = 1 / (2 * _q(3.0))  # 370.4
    rl = alarms.run_lengths(shewhart_paths, 3.0)
    assert abs(math.log(rl.arl / truth)) < 4 * _se_log(rl.arl_low, rl.arl, rl.arl_high)
    cal = _calibrate_on(shewhart_paths, truth)
    slope = _phi(3.0) / _q(3.0)  # d log ARL0 / dc of 1 / (2 Q(c)), 3.28
    tol = 4 * _se_log(cal.arl_low, cal.arl, cal.arl_high) / slope
    assert abs(cal.threshold - 3.0) < tol, (cal.threshold, tol)
    assert cal.arl == pytest.approx(truth, rel=0.01) and cal.n_streams == N_STREAMS


def test_cusum_arl0_and_calibration(cusum_paths):
    rl = alarms.run_lengths(cusum_paths, [4.0, 5.0])
    for i, truth in enumerate([168.0, 465.0]):  # Montgomery Table 9.3, two-sided
        se = _se_log(rl.arl_low[i], rl.arl[i], rl.arl_high[i])
        assert abs(math.log(rl.arl[i] / truth)) < 4 * se, (rl.arl[i], truth)
    cal = _calibrate_on(cusum_paths, 465.0)
    tol = 4 * _se_log(cal.arl_low, cal.arl, cal.arl_high) / _slope(cusum_paths, 5.0)
    assert abs(cal.threshold - 5.0) < tol, (cal.threshold, tol)
    # ARL0 = 500: Siegmund's approximation gives h = 5.07 (and 469 at h = 5)
    h500 = _calibrate_on(cusum_paths, 500.0).threshold
    assert h500 > cal.threshold and abs(h500 - _siegmund_h(500.0)) < tol, h500


def test_ewma_arl0_and_calibration(ewma_paths):
    rl = alarms.run_lengths(ewma_paths, [2.86, 2.962, 3.0])
    # L = 2.962 is Lucas & Saccucci's 500 design; 2.86 is the 370 design; 3.0: 562
    for i, truth in enumerate([370.0, 500.0, 562.0]):
        se = _se_log(rl.arl_low[i], rl.arl[i], rl.arl_high[i])
        assert abs(math.log(rl.arl[i] / truth)) < 4 * se, (rl.arl[i], truth)
    cal = _calibrate_on(ewma_paths, 500.0)
    tol = 4 * _se_log(cal.arl_low, cal.arl, cal.arl_high) / _slope(ewma_paths, 2.962)
    assert abs(cal.threshold - 2.962) < tol, (cal.threshold, tol)


def test_calibration_bad_input():
    fn = alarms.shewhart_statistic()
    with pytest.raises(ValueError, match="target_arl must be > 1; got 1"):
        alarms.calibrate_threshold(fn, 1)
    with pytest.raises(ValueError, match="bracket must hold thresholds"):
        alarms.calibrate_threshold(fn, 50.0, n_streams=50, bracket=(3.5, 4.0))
    with pytest.raises(ValueError, match="target_arl must be at most n_streams x"):
        alarms.calibrate_threshold(fn, 1000.0, n_streams=50, n_steps=20)
    with pytest.raises(ValueError, match=r"statistic_fn's result must have shape"):
        alarms.calibrate_threshold(lambda r, n, t: np.zeros((n, 2)), 5.0, n_steps=3)
    with pytest.raises(ValueError, match="statistic must be 2-D"):
        alarms.run_lengths(np.zeros(5), 1.0)


# --- detection delay ----------------------------------------------------------------


def _within(delay: alarms.DetectionDelay, truth: float) -> bool:
    return abs(delay.mean - truth) < 4 * delay.std_error


def test_cusum_delay_after_a_1_sigma_shift_is_montgomerys_arl1():
    fn = alarms.cusum_statistic(k=0.5, shift=alarms.Shift(at=0, delta=1.0))
    delay = alarms.expected_delay(fn, 5.0, n_streams=1000, n_steps=200, seed=4)
    assert delay.n_censored == 0 and delay.n_false_alarms == 0
    # ARL1 = delay + 1 (zero state); Table 9.3 gives 10.4 (rounded to 0.05)
    assert abs(delay.mean + 1 - 10.4) < 4 * delay.std_error + 0.05, delay


def test_shewhart_delays_are_geometric_and_drop_early_alarms():
    tau, n = 30, N_STREAMS
    fn = alarms.shewhart_statistic(shift=alarms.Shift(at=tau, delta=1.0))
    delay = alarms.expected_delay(fn, 3.0, n_streams=n, n_steps=tau + 600, seed=5)
    p1 = _q(2.0) + _q(4.0)  # P(|Z + 1| > 3)
    assert _within(delay, 1 / p1 - 1), delay  # 42.9, whatever came before τ
    p_early = 1 - (1 - 2 * _q(3.0)) ** tau  # 0.078
    sd = math.sqrt(n * p_early * (1 - p_early))
    assert abs(delay.n_false_alarms - n * p_early) < 4 * sd, delay
    assert delay.n_detected + delay.n_false_alarms + delay.n_censored == n
    # variance x4 (sd x2): P(|2Z| > 3) per point
    var = alarms.shewhart_statistic(shift=alarms.Shift(at=0, scale=2.0))
    delay = alarms.expected_delay(var, 3.0, n_streams=1000, n_steps=300, seed=6)
    assert _within(delay, 1 / (2 * _q(1.5)) - 1), delay  # 6.5


def test_ramp_delay_matches_its_survival_sum():
    s = 0.1  # mean s * (j + 1) at the j-th changed point
    p = [_q(3 - s * (j + 1)) + _q(3 + s * (j + 1)) for j in range(200)]
    survive = np.cumprod(1 - np.array(p))  # P(T - τ > j)
    fn = alarms.shewhart_statistic(shift=alarms.Shift(at=0, slope=s))
    delay = alarms.expected_delay(fn, 3.0, n_streams=1000, n_steps=200, seed=7)
    assert _within(delay, survive.sum()), (delay, survive.sum())  # about 19


def test_cusum_beats_shewhart_on_a_small_shift_despite_fewer_false_alarms():
    shift = alarms.Shift(at=0, delta=0.5)
    kw = {"change_point": 0, "n_streams": 500, "n_steps": 1500, "seed": 8}
    cusum = alarms.expected_delay(alarms.cusum_statistic(0.5, shift), 5.0, **kw)
    shewhart = alarms.expected_delay(alarms.shewhart_statistic(shift), 3.0, **kw)
    # ARL0 465 vs 370, yet about 38 vs 155 points to notice a 0.5σ shift
    assert cusum.mean < shewhart.mean / 2, (cusum, shewhart)


def test_delay_change_point_checks():
    fn = alarms.shewhart_statistic(shift=alarms.Shift(at=5, delta=3.0))
    with pytest.raises(ValueError, match="change_point must equal statistic_fn.shift"):
        alarms.expected_delay(fn, 3.0, change_point=6)
    with pytest.raises(ValueError, match="change_point must be given"):
        alarms.expected_delay(alarms.shewhart_statistic(), 3.0)
    with pytest.raises(ValueError, match="threshold must let some stream alarm"):
        alarms.expected_delay(fn, 1e9, n_streams=10, n_steps=20)


# --- multiple testing ---------------------------------------------------------------

# Benjamini & Hochberg (1995), section 3.2: 15 p-values of a clinical trial
BH_1995 = np.array(
    [0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344,
     0.0459, 0.3240, 0.4262, 0.5719, 0.6528, 0.7590, 1.0000]
)  # fmt: skip


def test_benjamini_hochberg_1995_example():
    # 0.0095 <= 4 * 0.05 / 15 = 0.0133, and no larger rank is below its line
    assert alarms.benjamini_hochberg(BH_1995, 0.05).nonzero()[0].tolist() == [
        0,
        1,
        2,
        3,
    ]
    # Bonferroni: 0.05 / 15 = 0.00333
    assert alarms.bonferroni(BH_1995, 0.05).nonzero()[0].tolist() == [0, 1, 2]


def test_corrections_per_row_match_scipy():
    from scipy.stats import false_discovery_control

    rng = np.random.default_rng(9)
    p = rng.uniform(size=(200, 12)) ** rng.uniform(1, 6, size=(200, 1))  # some small
    p = rng.permuted(p, axis=1)
    for alpha in (0.05, 0.2):
        expected = false_discovery_control(p, axis=-1) <= alpha
        reject = alarms.benjamini_hochberg(p, alpha)
        np.testing.assert_array_equal(reject, expected)
        assert 0 < reject.sum() < reject.size
        np.testing.assert_array_equal(alarms.bonferroni(p, alpha), p * 12 <= alpha)
    # each row is its own family: a row alone gives the same mask
    np.testing.assert_array_equal(
        alarms.benjamini_hochberg(p[7], 0.2), alarms.benjamini_hochberg(p, 0.2)[7]
    )


@pytest.mark.parametrize(
    ("pvalues", "alpha", "message"),
    [
        ([0.2, 1.5], 0.05, r"pvalues must be in \[0, 1\]; found 1.5"),
        ([0.2, np.nan], 0.05, "pvalues must contain only finite values"),
        (0.2, 0.05, "pvalues must have at least 1 dimension"),
        ([0.2], 0.0, r"alpha must be in \(0, 1\); got 0.0"),
        ([0.2], 1.5, r"alpha must be in \(0, 1\); got 1.5"),
    ],
)
def test_multiple_testing_bad_input(pvalues, alpha, message):
    for correction in (alarms.bonferroni, alarms.benjamini_hochberg):
        with pytest.raises(ValueError, match=message):
            correction(pvalues, alpha)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"margin": 2.5}, "margin must be an integer >= 0; got 2.5"),
        ({"predictions": [10.5]}, "predictions must contain integer indices; got 10.5"),
        ({"predictions": [True]}, "predictions must contain integer indices"),
        ({"predictions": "10"}, "predictions must be a sequence of integer indices"),
        ({"annotations": 3}, "annotations must be a dict"),
        (
            {"predictions": np.array([10], dtype="m8[s]")},
            "predictions must contain integer indices",
        ),
    ],
)
def test_scoring_wrong_types_are_type_errors(kwargs, message):
    args = {"annotations": {1: [10]}, "predictions": [10], **kwargs}
    with pytest.raises(TypeError, match=re.escape(message)):
        alarms.score_changepoints(**args)


def test_issue_17_simulation_sizes_seeds_and_flags_are_checked():
    fn = alarms.shewhart_statistic()
    with pytest.raises(ValueError, match="n_streams x n_steps must be at most"):
        alarms.calibrate_threshold(fn, 20.0, n_streams=2000, n_steps=10**9)
    with pytest.raises(ValueError, match=r"n_steps \(3 x target_arl\) must be"):
        alarms.calibrate_threshold(fn, 1e300, n_streams=200)
    with pytest.raises(ValueError, match="target_arl must be at most n_streams"):
        alarms.calibrate_threshold(fn, 1e6, n_streams=200, n_steps=60)
    with pytest.raises(TypeError, match="seed must be an integer >= 0; got 2.5"):
        alarms.calibrate_threshold(fn, 20.0, n_streams=200, seed=2.5)
    with pytest.raises(ValueError, match=r"xtol must be in \(0, 1\]; got 1e\+300"):
        alarms.calibrate_threshold(fn, 20.0, n_streams=200, xtol=1e300)
    # a tiny xtol stops at the float spacing instead of looping for ever
    cal = alarms.calibrate_threshold(fn, 20.0, n_streams=200, xtol=1e-310)
    assert 1.5 < cal.threshold < 2.5
    shifted = alarms.shewhart_statistic(shift=alarms.Shift(at=5, delta=3.0))
    with pytest.raises(ValueError, match="n_streams x n_steps must be at most"):
        alarms.expected_delay(shifted, 3.0, n_streams=10**6, n_steps=10**3)
    with pytest.raises(TypeError, match="return_pr must be True or False; got 1"):
        alarms.f_measure({1: [10]}, [10], return_pr=1)
    with pytest.raises(TypeError, match="threshold must be a real number; got '3'"):
        alarms.run_lengths([[0.0, 5.0]], "3")
    with pytest.raises(ValueError, match="chart must be one of"):
        alarms.ChartStatistic("xbar")
    with pytest.raises(ValueError, match="lam must be finite; got nan"):
        alarms.ChartStatistic("ewma", lam=float("nan"))
    with pytest.raises(TypeError, match="x must be numeric; got complex"):
        alarms.cusum_statistic().transform([[1 + 1j]])
    with pytest.raises(ValueError, match="noise must contain only finite"):
        alarms.Shift(at=1).apply([0.0, np.inf])


def test_ewma_statistic_holds_near_the_largest_float():
    """x / decay overflowed to inf (then NaN) for standardized data near 1e300."""
    x = np.random.default_rng(0).normal(size=(3, 700))
    statistic = alarms.ewma_statistic(lam=0.1)
    np.testing.assert_allclose(
        statistic.transform(x * 1e300), statistic.transform(x) * 1e300, rtol=1e-9
    )
