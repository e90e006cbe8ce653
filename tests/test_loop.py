"""modelmaint.loop: the day-by-day monitors, the alarm policy and the release gate."""

import numpy as np
import pandas as pd
import pytest
from sklearn.dummy import DummyClassifier

from modelmaint.loop import AlarmPolicy, daily_monitor, plot_monitor_log, release_gate


def _stream(n_days=60, per_day=200, seed=0):
    rng = np.random.default_rng(seed)
    day = np.repeat(np.arange(n_days), per_day)
    y = rng.random(day.size) < 0.2
    return pd.DataFrame(
        {
            "day": day,
            "x": rng.normal(0.0, 1.0, day.size),
            "colour": rng.choice(["red", "blue"], day.size),
            "y_true": y.astype(int),
            "y_pred": np.zeros(day.size, dtype=int),  # always "no": 20 % wrong
        }
    )


def _monitor(stream, **kw):
    kw = {"features": ["x", "colour"], "reference_days": 20, **kw}
    return daily_monitor(stream, reference_error_rate=0.2, **kw)


def test_quiet_stream_raises_no_alarm():
    log = _monitor(_stream())
    assert log.alarm_days().size == 0
    assert log.daily["day"].tolist() == list(range(20, 60))


def test_labels_arrive_after_the_delay():
    stream = _stream()
    bad = stream["day"] >= 40
    stream.loc[bad, "y_pred"] = 1 - stream.loc[bad, "y_true"]  # every answer wrong
    log = _monitor(stream, label_delay=5)
    assert log.first_alarm("performance") == 45  # labels of day 40 arrive on day 45
    row = log.daily.set_index("day").loc[45]
    assert row["labelled_day"] == 40 and row["error_rate"] == 1.0
    assert log.first_alarm("drift") is None  # the inputs did not move


def test_drift_and_quality_name_the_column():
    stream = _stream()
    late = stream["day"] >= 30
    stream.loc[late, "colour"] = "red"  # the mix changed: drift, not broken data
    stream.loc[stream["day"] == 50, "x"] *= 1000  # a unit bug on one day
    log = _monitor(stream)
    daily = log.daily.set_index("day")
    assert log.first_alarm("drift") == 30 and daily.loc[30, "drifted"] == "colour"
    assert log.alarm_days(["quality"]).tolist() == [50]
    assert daily.loc[50, "broken"] == "x"


def test_monitor_bad_input():
    stream = _stream()
    with pytest.raises(ValueError, match="features must name at least 1"):
        daily_monitor(stream, features=[], reference_days=20, reference_error_rate=0.2)
    with pytest.raises(ValueError, match=r"stream lacks the column\(s\) \['z'\]"):
        _monitor(stream, features=["z"])
    with pytest.raises(ValueError, match="reference_days must leave days"):
        _monitor(stream, reference_days=60)
    with pytest.raises(ValueError, match="reference_error_rate"):
        daily_monitor(
            stream, features=["x"], reference_days=20, reference_error_rate=1.5
        )
    with pytest.raises(ValueError, match="label_delay"):
        _monitor(stream, label_delay=-1)
    with pytest.raises(ValueError, match="kinds must be a non-empty subset"):
        _monitor(stream).alarm_days(["latency"])


def _history(errors, start=30, n=150):
    return pd.DataFrame(
        {
            "day": np.arange(start, start + len(errors)),
            "n": n,
            "accuracy": 1 - np.asarray(errors),
        }
    )


def test_alarm_policy_sees_only_delayed_labels_and_recalibrates():
    errors = [0.15] * 10 + [0.40] * 30
    history = _history(errors)
    policy = AlarmPolicy(reference_error_rate=0.15, label_delay=3, calibration_days=5)
    fired = [d for d in range(30, 70) if policy(d, history[history["day"] <= d])]
    # The jump on day 40 is seen on day 43 (one EWMA step of 0.25 is > 3 limits);
    # after retraining, the new model's 5 days of 0.40 are its own baseline: quiet.
    assert fired == [43]
    assert policy.retrains == [43]


def test_alarm_policy_quiet_when_in_control_and_bad_input():
    rng = np.random.default_rng(1)
    history = _history(rng.binomial(150, 0.15, 80) / 150)
    policy = AlarmPolicy(reference_error_rate=0.15, label_delay=0)
    assert not any(policy(d, history[history["day"] <= d]) for d in range(30, 110))
    with pytest.raises(ValueError, match="reference_error_rate"):
        AlarmPolicy(reference_error_rate=0.0)
    with pytest.raises(ValueError, match="calibration_days"):
        AlarmPolicy(reference_error_rate=0.2, calibration_days=0)


def test_release_gate():
    X, y = [[0], [1], [2], [3]], [0, 1, 1, 1]
    ones = DummyClassifier(strategy="constant", constant=1).fit(X, y)
    zeros = DummyClassifier(strategy="constant", constant=0).fit(X, y)
    decision = release_gate(ones, zeros, X, y)
    assert decision.passed and decision.candidate_score == 0.75
    assert not release_gate(ones, zeros, X, y, min_gain=0.6).passed  # 0.5 gain only
    assert not release_gate(ones, ones, X, y).passed  # a tie keeps the current model
    with pytest.raises(ValueError, match="candidate must have a score method"):
        release_gate("model", zeros, X, y)
    with pytest.raises(ValueError, match="min_gain"):
        release_gate(ones, zeros, X, y, min_gain=-0.1)


def test_tolerance_raises_the_line_the_chart_watches():
    stream = _stream()
    worse = (stream["day"] >= 30) & (np.arange(len(stream)) % 200 < 10)
    stream.loc[worse, "y_pred"] = 1 - stream.loc[worse, "y_true"]  # +5 % wrong
    assert _monitor(stream, label_delay=0).first_alarm("performance") is not None
    log = _monitor(stream, label_delay=0, tolerance=0.10)
    assert log.first_alarm("performance") is None
    with pytest.raises(ValueError, match="tolerance"):
        _monitor(stream, tolerance=-0.01)


def test_alarm_policy_follow_up_retrains_once_on_clean_data():
    history = _history([0.15] * 10 + [0.40] * 30)
    policy = AlarmPolicy(reference_error_rate=0.15, label_delay=3, follow_up=10)
    fired = [d for d in range(30, 70) if policy(d, history[history["day"] <= d])]
    assert fired == [43, 53] and policy.alarms == [43]  # one alarm, one follow-up
    with pytest.raises(ValueError, match="follow_up must be an integer >= 1"):
        AlarmPolicy(reference_error_rate=0.2, follow_up=0)


def test_plot_monitor_log():
    import matplotlib

    matplotlib.use("Agg")
    log = _monitor(_stream())
    axes = plot_monitor_log(log, marks={"change": 40, "bug": range(50, 52)})
    assert [ax.get_ylabel() for ax in axes] == [
        "error rate",
        "drifted features",
        "quality alarm",
    ]
    assert len(axes[1].patches) >= 40  # one bar per day (+ the shaded span)
    with pytest.raises(ValueError, match="log must be a MonitorLog"):
        plot_monitor_log(log.daily)


def test_began_reports_rising_edges_only():
    stream = _stream()
    late = stream["day"] >= 30
    stream.loc[late, "colour"] = "red"
    log = _monitor(stream)
    assert log.began(30, 40) == {"drift": (30, 0)}
    assert log.began(35, 60) == {}  # still ringing: nothing new begins
