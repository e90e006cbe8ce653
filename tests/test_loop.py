"""modelmaint.loop: the day-by-day monitors (a missing label is "not yet"), the
calibration chart that separates covariate from concept drift, the alarm policy that
reads only arrived labels, and the release gate with its paired interval."""

import numpy as np
import pandas as pd
import pytest
from sklearn.dummy import DummyClassifier
from sklearn.linear_model import LogisticRegression

from modelmaint import monitor
from modelmaint.loop import (
    AlarmPolicy,
    MonitorLog,
    daily_monitor,
    drift_monitor,
    label_chart,
    labelled_days,
    performance_monitor,
    plot_monitor_log,
    release_gate,
)
from modelmaint.online import replay_policy


def _stream(n_days=60, per_day=200, seed=0, *, rule_change=None, shift=None):
    """A calibrated model: y ~ Bernoulli(p) with p = sigmoid(2x); optionally the
    inputs move from day ``shift`` (covariate drift) or the rule from
    ``rule_change`` (defaults rise to 0.5 whatever the model says)."""
    rng = np.random.default_rng(seed)
    day = np.repeat(np.arange(n_days), per_day)
    x = rng.normal(-1.0, 1.0, day.size)
    if shift is not None:
        x = np.where(day >= shift, x + 1.0, x)
    p = 1 / (1 + np.exp(-2 * x))
    truth = p if rule_change is None else np.where(day >= rule_change, 0.5, p)
    y = (rng.random(day.size) < truth).astype(int)
    return pd.DataFrame(
        {
            "day": day,
            "x": x,
            "colour": rng.choice(["red", "blue"], day.size),
            "y_true": y,
            "y_pred": (p >= 0.5).astype(int),
            "y_proba": p,
        }
    )


def _monitor(stream, **kw):
    kw = {"features": ["x", "colour"], "reference_days": 20, "label_delay": 0, **kw}
    return daily_monitor(stream, **kw)


def test_quiet_stream_raises_no_alarm():
    log = _monitor(_stream())
    assert log.alarm_days().size == 0
    assert log.daily["day"].tolist() == list(range(20, 60))


def test_labels_arrive_after_the_delay():
    log = _monitor(_stream(rule_change=40), label_delay=5)
    assert log.first_alarm("performance") == 45  # labels of day 40 arrive on day 45
    row = log.daily.set_index("day").loc[45]
    assert row["labelled_day"] == 40 and row["statistic"] > 5
    assert log.first_alarm("drift") is None  # the inputs did not move


def test_a_missing_label_is_not_yet_not_wrong():
    """Issue 20's reproducer: labels only up to day 25 raised an alarm on day 32."""
    stream = _stream()
    stream.loc[stream["day"] > 25, "y_true"] = np.nan
    for watch in ("calibration", "error"):
        log = _monitor(stream, label_delay=7, watch=watch, reference_error_rate=0.2)
        assert log.first_alarm("performance") is None, watch
        daily = log.daily.set_index("day")
        assert (
            daily.loc[32, "labelled_day"] == 25 and daily.loc[33, "labelled_day"] == -1
        )


def test_calibration_chart_ignores_covariate_drift_the_error_chart_does_not():
    stream = _stream(shift=30)
    calibration = _monitor(stream, label_delay=3)
    assert calibration.first_alarm("performance") is None  # still calibrated
    assert calibration.first_alarm("drift") == 30  # but the inputs moved
    reference = (stream["y_true"] != stream["y_pred"])[stream["day"] < 20].mean()
    error = _monitor(
        stream, label_delay=3, watch="error", reference_error_rate=reference
    )
    assert error.first_alarm("performance") is not None  # more errors: riskier mix


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


def test_a_boolean_feature_is_categorical_everywhere():
    stream = _stream().assign(flag=lambda s: s["x"] > 0)
    log = _monitor(stream, features=["x", "flag"])  # used to fail naming "columns"
    assert log.first_alarm("drift") is None


def test_monitor_bad_input():
    stream = _stream()
    with pytest.raises(ValueError, match="features must name at least 1"):
        _monitor(stream, features=[])
    with pytest.raises(ValueError, match=r"stream lacks the column\(s\) \['z'\]"):
        _monitor(stream, features=["z"])
    with pytest.raises(ValueError, match="reference_days must leave days"):
        _monitor(stream, reference_days=60)
    with pytest.raises(ValueError, match="reference_error_rate"):
        _monitor(stream, watch="error", reference_error_rate=1.5)
    with pytest.raises(
        ValueError, match='reference_error_rate is needed for watch="error"'
    ):
        _monitor(stream, watch="error")
    with pytest.raises(ValueError, match="label_delay"):
        _monitor(stream, label_delay=-1)
    with pytest.raises(ValueError, match="watch must be one of"):
        _monitor(stream, watch="accuracy")
    with pytest.raises(ValueError, match=r"stream lacks the column\(s\) \['y_proba'\]"):
        _monitor(stream.drop(columns="y_proba"))
    with pytest.raises(ValueError, match="kinds must be a non-empty subset"):
        _monitor(stream).alarm_days(["latency"])


def test_label_chart_standardizes_the_gap():
    days = pd.DataFrame({"n": 100, "positive_rate": 0.2, "mean_predicted": 0.2,
                         "predicted_sd": 0.04}, index=range(5))  # fmt: skip
    chart = label_chart(days)
    assert (chart["statistic"] == 0).all() and not chart["alarm"].any()
    with pytest.raises(ValueError, match=r"days lacks the column\(s\)"):
        label_chart(days.drop(columns="predicted_sd"))


def _history(errors, start=30, n=150):
    return pd.DataFrame(
        {
            "day": np.arange(start, start + len(errors)),
            "n": n,
            "accuracy": 1 - np.asarray(errors),
        }  # fmt: skip
    )


def test_alarm_policy_on_errors_recalibrates_after_retraining():
    history = _history([0.15] * 10 + [0.40] * 30)
    policy = AlarmPolicy(watch="error", reference_error_rate=0.15, calibration_days=5)
    fired = [d for d in range(30, 70) if policy(d, history[history["day"] <= d])]
    # the jump on day 40 is seen at once (one EWMA step of 0.25 is > 3 limits);
    # after retraining, the new model's 5 days of 0.40 are its own baseline: quiet
    assert fired == [40] and policy.retrains == [40]


def test_alarm_policy_reads_only_arrived_labels_through_replay():
    stream = _stream(rule_change=40)
    X, y, day = stream[["x"]], stream["y_true"].to_numpy(), stream["day"].to_numpy()
    policy = AlarmPolicy()
    run = replay_policy(
        LogisticRegression, X, y, day, policy=policy, label_delay=6,
        first_train_days=20, window=10,
    )  # fmt: skip
    assert policy.alarms and policy.alarms[0] >= 46  # not before day 40's labels
    assert run.n_retrains >= 1


def test_alarm_policy_quiet_when_in_control_and_bad_input():
    rng = np.random.default_rng(1)
    history = _history(rng.binomial(150, 0.15, 80) / 150)
    policy = AlarmPolicy(watch="error", reference_error_rate=0.15)
    assert not any(policy(d, history[history["day"] <= d]) for d in range(30, 110))
    with pytest.raises(ValueError, match="reference_error_rate"):
        AlarmPolicy(watch="error", reference_error_rate=0.0)
    with pytest.raises(ValueError, match="calibration_days"):
        AlarmPolicy(calibration_days=0)
    with pytest.raises(TypeError, match="label_delay"):
        AlarmPolicy(label_delay=3)  # one delay only: replay_policy's


def test_alarm_policy_follow_up_retrains_once_on_clean_data():
    history = _history([0.15] * 10 + [0.40] * 30)
    policy = AlarmPolicy(watch="error", reference_error_rate=0.15, follow_up=10)
    fired = [d for d in range(30, 70) if policy(d, history[history["day"] <= d])]
    assert fired == [40, 50] and policy.alarms == [40]  # one alarm, one follow-up
    with pytest.raises(ValueError, match="follow_up must be an integer >= 1"):
        AlarmPolicy(follow_up=0)


def _gate_data(seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(1200, 1))
    y = (X[:, 0] + rng.normal(size=1200) > 0).astype(int)
    return X, y


def test_release_gate_passes_a_real_gain_and_refuses_noise():
    X, y = _gate_data()
    good = LogisticRegression().fit(X[:600], y[:600])
    prior = DummyClassifier().fit(X[:600], y[:600])
    decision = release_gate(good, prior, X[600:], y[600:])
    assert decision.passed and decision.gain.low > 0.05
    assert not release_gate(prior, good, X[600:], y[600:]).passed
    tie = release_gate(good, good, X[600:], y[600:])
    assert not tie.passed and tie.gain.mean == 0  # a tie keeps the current model
    assert not release_gate(good, prior, X[600:], y[600:], min_gain=1.0).passed
    costs = monitor.DecisionCosts(false_positive=1.0, false_negative=3.0)
    assert release_gate(good, prior, X[600:], y[600:], loss="cost", costs=costs).passed


def test_release_gate_bad_input():
    X, y = _gate_data()
    good = LogisticRegression().fit(X, y)
    with pytest.raises(TypeError, match="candidate must be a fitted model"):
        release_gate("model", good, X, y)
    with pytest.raises(ValueError, match="min_gain"):
        release_gate(good, good, X, y, min_gain=-0.1)
    with pytest.raises(TypeError, match="costs must be a DecisionCosts"):
        release_gate(good, good, X, y, loss="cost")
    with pytest.raises(ValueError, match="loss must be one of"):
        release_gate(good, good, X, y, loss="auc")


def test_tolerance_raises_the_line_the_error_chart_watches():
    stream = _stream()
    worse = (stream["day"] >= 30) & (np.arange(len(stream)) % 200 < 10)
    stream.loc[worse, "y_pred"] = 1 - stream.loc[worse, "y_true"]  # +5 % wrong
    reference = (stream["y_true"] != stream["y_pred"])[stream["day"] < 20].mean()
    kw = {"watch": "error", "reference_error_rate": reference}
    assert _monitor(stream, **kw).first_alarm("performance") is not None
    assert _monitor(stream, tolerance=0.10, **kw).first_alarm("performance") is None
    with pytest.raises(ValueError, match="tolerance"):
        _monitor(stream, tolerance=-0.01, **kw)


def test_plot_monitor_log():
    import matplotlib

    matplotlib.use("Agg")
    log = _monitor(_stream())
    axes = plot_monitor_log(log, marks={"change": 40, "bug": range(50, 52)})
    assert [ax.get_ylabel() for ax in axes] == [
        "calibration gap (z)",
        "drifted features",
        "quality alarm",
    ]
    assert len(axes[1].patches) >= 40  # one bar per day (+ the shaded span)
    with pytest.raises(TypeError, match="log must be a MonitorLog"):
        plot_monitor_log(log.daily)


def test_began_reports_rising_edges_only():
    stream = _stream()
    late = stream["day"] >= 30
    stream.loc[late, "colour"] = "red"
    log = _monitor(stream)
    assert log.began(30, 40) == {"drift": (30, 0)}
    assert log.began(35, 60) == {}  # still ringing: nothing new begins


# ---------------------------------------------------------------- issue 17: contract
# Reproducers of tests/test_contract.py's findings: each bad input used to reach
# pandas or NumPy (or pass silently); now it is refused by name.


def _small():
    return _stream(n_days=8, per_day=30)


def _drift(**kw):
    stream = _small()
    args = {
        "reference": stream[stream["day"] < 3],
        "days": [4, 5],
        "features": ["x", "colour"],
    }
    return drift_monitor(stream, **(args | kw))


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: _drift(features=[]), ValueError, "features must name at least 1"),
        (lambda: _drift(days=[4.5]), ValueError, "days must hold whole day numbers"),
        (lambda: _drift(days="4"), TypeError, "days must be numeric; got '4'"),
        (lambda: _drift(reference=None), TypeError, "reference must be a pandas"),
        (
            lambda: _monitor(_small(), reference_days=3, drift_alpha=0),
            ValueError,
            r"drift_alpha must be in \(0, 1\); got 0",
        ),
        (
            lambda: _monitor(_small().assign(day=lambda s: s["day"] + 0.5)),
            ValueError,
            r"stream\['day'\] must hold whole day numbers",
        ),
        (
            lambda: performance_monitor(_small(), days=[5, 4], label_delay=0),
            ValueError,
            "days must be strictly increasing; got 4.0 after 5.0",
        ),
        (
            lambda: label_chart(
                labelled_days(_small()).reset_index(), reference_error_rate="0.2"
            ),
            TypeError,
            "reference_error_rate must be a real number; got '0.2'",
        ),
        (
            lambda: label_chart(labelled_days(_small()).assign(n=-1)),
            ValueError,
            r"days\['n'\] must be >= 0",
        ),
        (lambda: AlarmPolicy(lam=0), ValueError, r"lam must be in \(0, 1\]"),
        (lambda: MonitorLog({"day": [1]}), TypeError, "daily must be a pandas"),
        (
            lambda: MonitorLog(pd.DataFrame({"day": [1]})),
            ValueError,
            r"daily lacks the column\(s\) \['performance', 'drift', 'quality'\]",
        ),
    ],
)
def test_monitors_refuse_bad_input_by_name(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_log_and_plot_refuse_bad_input_by_name():
    import matplotlib

    matplotlib.use("Agg")
    log = _monitor(_small(), reference_days=3)
    with pytest.raises(ValueError, match="kind must be one of 'performance'"):
        log.first_alarm("latency")  # used to blame "kinds"
    with pytest.raises(TypeError, match="kinds must be a list of names; got None"):
        log.alarm_days(None)
    with pytest.raises(TypeError, match="marks must be a mapping of labels to days"):
        plot_monitor_log(log, marks=[40])
    with pytest.raises(TypeError, match=r"marks\['bug'\] must be a day"):
        plot_monitor_log(log, marks={"bug": "day 4"})


def test_release_gate_refuses_bad_rows_and_labels_by_name():
    X, y = _gate_data()
    good = LogisticRegression().fit(X, y)
    spoiled = X.copy()
    spoiled[0, 0] = np.nan
    with pytest.raises(ValueError, match="X must contain only finite values"):
        release_gate(good, good, spoiled, y)
    with pytest.raises(ValueError, match=r"y must hold 0/1 labels; found 2"):
        release_gate(good, good, X, np.where(y == 1, 2, 0))
    with pytest.raises(ValueError, match=r"y must have the same length as X \(1200\)"):
        release_gate(good, good, X, y[:-1])
    with pytest.raises(TypeError, match="current needs predict_proba"):
        release_gate(good, _NoProba(), X, y)


class _NoProba:
    def predict(self, X):
        return np.zeros(len(X), int)


def test_release_gate_compares_regressors_by_squared_error() -> None:
    from sklearn.dummy import DummyRegressor
    from sklearn.linear_model import LinearRegression

    rng = np.random.default_rng(0)
    X = rng.normal(size=(400, 3))
    y = X @ np.array([1.0, 2.0, 3.0]) + rng.normal(size=400)
    good = LinearRegression().fit(X[:200], y[:200])
    mean = DummyRegressor().fit(X[:200], y[:200])
    passed = release_gate(good, mean, X[200:], y[200:], loss="squared_error")
    refused = release_gate(mean, good, X[200:], y[200:], loss="squared_error")
    assert passed.passed and not refused.passed
    assert passed.candidate_loss == pytest.approx(
        np.mean((good.predict(X[200:]) - y[200:]) ** 2)
    )
    with pytest.raises(ValueError, match="y must have the same length as X"):
        release_gate(good, mean, X[200:], y[201:], loss="squared_error")
