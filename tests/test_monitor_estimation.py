"""Unit tests of modelmaint.monitor.estimation (CBPE): hand values, the promise it
keeps on calibrated data, the concept drift it cannot see, and bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from modelmaint import monitor


def test_expected_accuracy_by_hand():
    assert monitor.expected_accuracy([0.9, 0.2, 0.6]) == pytest.approx(2.3 / 3)
    assert monitor.expected_accuracy([0.5]) == 0.5
    # threshold 0.3: 0.4 is decided positive (right with p = 0.4), 0.1 negative (0.9)
    assert monitor.expected_accuracy([0.4, 0.1], threshold=0.3) == pytest.approx(0.65)
    assert monitor.expected_accuracy([0.0, 1.0]) == 1.0


def test_expected_accuracy_is_the_mean_of_max_p_1_minus_p_at_one_half():
    p = np.random.default_rng(0).uniform(size=1000)
    assert monitor.expected_accuracy(p) == pytest.approx(np.maximum(p, 1 - p).mean())


@pytest.mark.parametrize("threshold", [0.3, 0.5, 0.7])
def test_calibrated_probabilities_predict_the_realised_accuracy(threshold):
    rng = np.random.default_rng(1)
    p = rng.beta(0.8, 2.5, size=200_000)
    y = rng.uniform(size=p.size) < p  # calibrated by construction
    realised = np.mean((p >= threshold) == y)
    estimated = monitor.expected_accuracy(p, threshold)
    assert abs(estimated - realised) < 0.005, (estimated, realised)


def test_concept_drift_is_invisible_to_the_estimate():
    rng = np.random.default_rng(2)
    p = rng.beta(0.8, 2.5, size=200_000)
    y_drifted = rng.uniform(size=p.size) < np.minimum(1.0, 1.6 * p)  # P(y|x) moved
    realised = np.mean((p >= 0.5) == y_drifted)
    assert monitor.expected_accuracy(p) - realised > 0.05


def test_windowed_by_window_matches_the_function_on_each_slice():
    p = np.random.default_rng(3).uniform(size=23)
    table = monitor.windowed_expected_accuracy(p, window=10, threshold=0.4)
    assert table["window"].tolist() == [0, 1, 2]
    assert table[["start", "stop", "n"]].values.tolist() == [
        [0, 10, 10],
        [10, 20, 10],
        [20, 23, 3],
    ]
    for row in table.itertuples():
        part = p[row.start : row.stop]
        assert row.expected_accuracy == pytest.approx(
            monitor.expected_accuracy(part, 0.4)
        )
        assert row.expected_positive_rate == pytest.approx(part.mean())
        assert row.predicted_positive_rate == pytest.approx(np.mean(part >= 0.4))


def test_windowed_by_group_sorts_keys_and_has_windowed_metrics_layout():
    p = [0.9, 0.1, 0.8, 0.3]
    table = monitor.windowed_expected_accuracy(p, groups=["b", "a", "b", "a"])
    assert table["group"].tolist() == ["a", "b"]
    assert table["n"].tolist() == [2, 2]
    assert table["expected_accuracy"].tolist() == pytest.approx([0.8, 0.85])
    labelled = monitor.windowed_metrics(
        [1, 0, 1, 0], [1, 0, 1, 0], groups=["b", "a"] * 2
    )
    shared = ["group", "n", "predicted_positive_rate"]
    pd.testing.assert_frame_equal(table[shared], labelled[shared], check_dtype=False)


@pytest.mark.parametrize(
    ("probabilities", "message"),
    [
        ([0.2, 1.1], r"probabilities must be in \[0, 1\]; found 1.1"),
        ([-0.1, 0.5], r"probabilities must be in \[0, 1\]; found -0.1"),
        ([0.2, np.nan], "probabilities must contain only finite values"),
        ([[0.2, 0.3]], r"probabilities must be 1-D; got shape \(1, 2\)"),
        ([], "probabilities must have at least 1 element"),
    ],
)
def test_bad_probabilities_are_rejected(probabilities, message):
    with pytest.raises(ValueError, match=message):
        monitor.expected_accuracy(probabilities)
    with pytest.raises(ValueError, match=message):
        monitor.windowed_expected_accuracy(probabilities, window=1)


@pytest.mark.parametrize("threshold", [0.0, 1.0, -0.5, 2.0])
def test_threshold_outside_the_open_unit_interval_is_rejected(threshold):
    with pytest.raises(ValueError, match=r"threshold must be in \(0, 1\)"):
        monitor.expected_accuracy([0.5], threshold=threshold)


def test_windowed_needs_exactly_one_of_window_and_groups():
    with pytest.raises(ValueError, match="give exactly one of window and groups"):
        monitor.windowed_expected_accuracy([0.5, 0.6])
    with pytest.raises(ValueError, match="give exactly one of window and groups"):
        monitor.windowed_expected_accuracy([0.5, 0.6], window=1, groups=[1, 2])
    with pytest.raises(ValueError, match="window must be an integer >= 1"):
        monitor.windowed_expected_accuracy([0.5, 0.6], window=0)
    with pytest.raises(ValueError, match="groups must be 1-D with the same length"):
        monitor.windowed_expected_accuracy([0.5, 0.6], groups=[1])
    with pytest.raises(ValueError, match="groups must not contain missing values"):
        monitor.windowed_expected_accuracy([0.5, 0.6], groups=[1, None])
