"""modelmaint.online: prequential evaluation with late labels, policy replay that
hides unlabelled outcomes, the river adapter (checked against river's own
progressive_val_score); bad input."""

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression, SGDClassifier

from modelmaint.online import every, never, prequential, replay_policy


@pytest.fixture
def stream():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 3))
    y = (X[:, 0] + 0.5 * X[:, 1] > 0).astype(int)
    return X, y


def test_prequential_matches_a_hand_written_loop(stream):
    X, y = stream
    model = SGDClassifier(random_state=0)
    df = prequential(model, X, y, classes=[0, 1], batch_size=25, warm_start=50)
    by_hand = SGDClassifier(random_state=0)
    by_hand.partial_fit(X[:50], y[:50], classes=[0, 1])
    expected = []
    for start in range(50, 300, 25):
        expected.extend(by_hand.predict(X[start : start + 25]))  # test ...
        by_hand.partial_fit(
            X[start : start + 25], y[start : start + 25]
        )  # ... then train
    assert df["y_pred"].tolist() == expected
    assert df["index"].tolist() == list(range(50, 300))
    assert df["batch"].max() == 9
    assert not hasattr(model, "coef_")  # the model passed in was cloned, not trained


def test_prequential_without_warm_start_scores_every_row(stream):
    X, y = stream
    df = prequential(SGDClassifier(random_state=0), pd.DataFrame(X), y, classes=[0, 1])
    assert len(df) == 300 and df.loc[0, "y_pred"] == 0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"batch_size": 0}, "batch_size must be an integer >= 1"),
        ({"warm_start": 300}, "warm_start must leave rows to score"),
        ({"warm_start": -1}, "warm_start must be an integer >= 0"),
    ],
)
def test_prequential_bad_parameters(stream, kwargs, message):
    X, y = stream
    with pytest.raises(ValueError, match=message):
        prequential(SGDClassifier(), X, y, classes=[0, 1], **kwargs)


def test_prequential_bad_inputs(stream):
    X, y = stream
    with pytest.raises(TypeError, match="model must have partial_fit and predict"):
        prequential(LogisticRegression(), X, y, classes=[0, 1])
    with pytest.raises(ValueError, match="same length; got 300 and 299"):
        prequential(SGDClassifier(), X, y[:-1], classes=[0, 1])
    with pytest.raises(ValueError, match="at least 1 row"):
        prequential(SGDClassifier(), X[:0], y[:0], classes=[0, 1])


def _days():
    rng = np.random.default_rng(1)
    day = np.repeat(np.arange(12), 40)
    X = rng.normal(size=(day.size, 1))
    y = (X[:, 0] > np.where(day < 6, 0.0, 1.5)).astype(int)
    return X, y, day


def test_replay_uses_only_delayed_labels_in_the_window():
    X, y, day = _days()
    seen = []

    def make_model():
        class Spy(LogisticRegression):
            def fit(self, X_fit, y_fit):
                seen.append(len(y_fit))
                return super().fit(X_fit, y_fit)

        return Spy()

    run = replay_policy(
        make_model,
        X,
        y,
        day,
        policy=every(3),
        window=2,
        label_delay=1,
        first_train_days=4,
    )
    assert seen == [
        160,
        80,
        80,
    ]  # days 0-3, then 2 labelled days at the end of days 6, 9
    assert run.daily["day"].tolist() == list(range(4, 12))
    assert run.daily.loc[run.daily["retrained"], "day"].tolist() == [6, 9]
    assert run.n_retrains == 2 and run.labels_used == 320


def test_replay_never_keeps_the_first_model():
    X, y, day = _days()
    run = replay_policy(
        LogisticRegression, X, y, day, policy=never(), first_train_days=4
    )
    first = LogisticRegression().fit(X[day < 4], y[day < 4])
    last = day == 11
    assert run.daily["accuracy"].iloc[-1] == np.mean(first.predict(X[last]) == y[last])
    assert run.n_retrains == 0 and run.labels_used == 160


def test_replay_bad_input():
    X, y, day = _days()
    with pytest.raises(TypeError, match="policy must be callable"):
        replay_policy(LogisticRegression, X, y, day, policy="every 10 days")
    with pytest.raises(TypeError, match="make_model must be callable"):
        replay_policy(LogisticRegression(), X, y, day, policy=never())
    with pytest.raises(ValueError, match="day must be integers, one per row"):
        replay_policy(LogisticRegression, X, y, day[:-1], policy=never())
    with pytest.raises(ValueError, match="first_train_days must leave days"):
        replay_policy(
            LogisticRegression, X, y, day, policy=never(), first_train_days=12
        )
    with pytest.raises(ValueError, match="window must be an integer >= 1"):
        replay_policy(LogisticRegression, X, y, day, policy=never(), window=0)
    with pytest.raises(ValueError, match="n_days must be an integer >= 1"):
        every(0)


def test_prequential_learns_each_label_label_delay_rows_later(stream):
    X, y = stream
    df = prequential(
        SGDClassifier(random_state=0), X, y, classes=[0, 1],
        batch_size=10, warm_start=20, label_delay=30,
    )  # fmt: skip
    by_hand, learned, expected = SGDClassifier(random_state=0), 0, []
    by_hand.partial_fit(X[:20], y[:20], classes=[0, 1])
    learned = 20
    for start in range(20, 300, 10):
        expected.extend(by_hand.predict(X[start : start + 10]))
        stop = start + 10 - 30  # rows whose label arrived: <= last predicted - 30
        if stop > learned:
            by_hand.partial_fit(X[learned:stop], y[learned:stop])
            learned = stop
    assert df["y_pred"].tolist() == expected
    assert "proba" not in df.columns  # the hinge loss gives no probabilities


def test_prequential_reports_probabilities_of_the_second_class(stream):
    X, y = stream
    df = prequential(
        SGDClassifier(loss="log_loss", random_state=0), X, y, classes=[0, 1],
        batch_size=50, warm_start=50,
    )  # fmt: skip
    assert df["proba"].between(0, 1).all()
    assert ((df["proba"] >= 0.5) == (df["y_pred"] == 1)).all()


@pytest.mark.parametrize("delay", [0, 1, 5, 40])
def test_prequential_matches_rivers_progressive_val_score(delay):
    from river import datasets, evaluate, linear_model, metrics

    from modelmaint.online import RiverClassifier

    data = list(datasets.Phishing())[:400]
    names = sorted(data[0][0])
    X = np.array([[x[k] for k in names] for x, _ in data], dtype=float)
    y = np.array([int(target) for _, target in data])
    river_score = evaluate.progressive_val_score(
        iter(
            (dict(zip(names, row, strict=True)), bool(t))
            for row, t in zip(X, y, strict=True)
        ),
        linear_model.LogisticRegression(),
        metrics.Accuracy(),
        delay=delay + 1,
    ).get()
    ours = prequential(
        RiverClassifier(linear_model.LogisticRegression(), feature_names=names),
        X, y, classes=[0, 1], label_delay=delay,
    )  # fmt: skip
    assert (ours["y_true"] == ours["y_pred"]).mean() == pytest.approx(river_score)


def test_a_policy_cannot_read_outcomes_before_they_arrive():
    X, y, day = _days()
    read = {}

    def peeking(d, history):
        read[d] = history.set_index("day")["accuracy"]
        return False

    replay_policy(
        LogisticRegression, X, y, day, policy=peeking, label_delay=3,
        first_train_days=4,
    )  # fmt: skip
    for d, accuracy in read.items():
        assert accuracy.loc[: d - 3].notna().all()  # arrived: readable
        assert accuracy.loc[d - 2 :].isna().all()  # not yet: NaN, whatever it tries


def test_replay_keeps_each_rows_prediction_and_probability():
    X, y, day = _days()
    run = replay_policy(LogisticRegression, X, y, day, policy=never(),
                        first_train_days=4)  # fmt: skip
    assert len(run.predictions) == int((day >= 4).sum())
    assert run.predictions["proba"].between(0, 1).all()
    daily = run.daily.set_index("day")
    on_day_5 = run.predictions[run.predictions["day"] == 5]
    assert daily.loc[5, "mean_predicted"] == pytest.approx(on_day_5["proba"].mean())


def test_river_classifier_is_cloned_not_trained():
    from river import tree
    from sklearn.base import clone

    from modelmaint.online import RiverClassifier

    wrapped = RiverClassifier(tree.HoeffdingTreeClassifier())
    copy = clone(wrapped).partial_fit(np.zeros((5, 2)), [0, 1, 0, 1, 0], classes=[0, 1])
    assert copy.model is not wrapped.model
    assert wrapped.model.predict_proba_one({"x0": 0.0, "x1": 0.0}) == {}  # untouched
    with pytest.raises(TypeError, match="model must be a river classifier"):
        RiverClassifier(LogisticRegression())


# ---------------------------------------------------------------- issue 17: contract
# Reproducers of tests/test_contract.py's findings: each bad input used to reach
# scikit-learn, river or NumPy (or pass silently); now it is refused by name.


@pytest.mark.parametrize(
    ("bad", "error", "message"),
    [
        ({"X": np.full((300, 3), np.nan)}, ValueError, "X must contain only finite"),
        ({"X": np.ones((300, 3)) + 1j}, TypeError, "X must be numeric; got complex"),
        (
            {"y": np.array([0] * 299 + ["a"], dtype=object)},
            TypeError,
            "y must hold labels of one kind",
        ),
        ({"y": np.full(300, 0.5)}, ValueError, "y must hold class labels"),
        (  # "0" is not 0: these classes used to pass and fail inside partial_fit
            {"classes": ["0", "1"]},
            ValueError,
            r"y holds classes not in classes: \[0, 1\]",
        ),
    ],
)
def test_prequential_refuses_bad_rows_and_labels_by_name(stream, bad, error, message):
    X, y = stream
    args = {"X": X, "y": y, "classes": [0, 1]} | bad
    with pytest.raises(error, match=message):
        prequential(SGDClassifier(), **args)


def test_replay_refuses_bad_days_and_labels_by_name():
    X, y, day = _days()
    with pytest.raises(TypeError, match="day must be numeric; got timedelta"):
        replay_policy(LogisticRegression, X, y, day.astype("m8[D]"), policy=never())
    with pytest.raises(ValueError, match="y must hold class labels"):
        replay_policy(LogisticRegression, X, y * 1e300, day, policy=never())
    with pytest.raises(ValueError, match="first_train_days must leave rows to train"):
        replay_policy(
            LogisticRegression, X, y, day + 10, policy=never(), first_train_days=4
        )


def test_replay_scores_string_labels_as_their_second_class():
    """String labels used to crash the log loss; they score P("yes") like 0/1."""
    X, y, day = _days()
    kw = {"policy": every(3), "label_delay": 1, "first_train_days": 4}
    numbers = replay_policy(LogisticRegression, X, y, day, **kw)
    words = replay_policy(
        LogisticRegression, X, np.where(y == 1, "yes", "no"), day, **kw
    )
    pd.testing.assert_frame_equal(numbers.daily, words.daily)


def test_river_classifier_refuses_bad_input_by_name():
    from river import linear_model
    from sklearn.exceptions import NotFittedError

    from modelmaint.online import RiverClassifier

    with pytest.raises(ValueError, match="feature_names must be distinct"):
        RiverClassifier(linear_model.LogisticRegression(), feature_names=["a", "a"])
    clf = RiverClassifier(linear_model.LogisticRegression(), feature_names=["a", "b"])
    with pytest.raises(NotFittedError, match="call partial_fit"):
        clf.predict(np.zeros((1, 2)))
    with pytest.raises(ValueError, match="classes must be given on the first call"):
        clf.partial_fit(np.zeros((2, 2)), [0, 1])
    with pytest.raises(ValueError, match=r"X must have one column per feature_names"):
        clf.partial_fit(np.zeros((2, 3)), [0, 1], classes=[0, 1])
    with pytest.raises(ValueError, match=r"y holds classes not in classes: \[2\]"):
        clf.partial_fit(np.zeros((2, 2)), [0, 2], classes=[0, 1])
    with pytest.raises(TypeError, match="deep must be True or False"):
        clf.get_params(deep="yes")
    with pytest.raises(ValueError, match="colour is not a parameter"):
        clf.set_params(colour="red")
