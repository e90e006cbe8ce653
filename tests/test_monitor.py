"""Unit tests of modelmaint.monitor: windowed metrics, latency, memory, TensorBoard."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score, precision_score, recall_score

from modelmaint import monitor

Y_TRUE = [1, 1, 0, 0, 1, 0, 1, 1, 0]
Y_PRED = [1, 0, 0, 1, 1, 0, 0, 0, 0]


def test_windowed_metrics_hand_example():
    table = monitor.windowed_metrics(Y_TRUE, Y_PRED, window=4)
    assert table[["window", "start", "stop", "n"]].values.tolist() == [
        [0, 0, 4, 4],
        [1, 4, 8, 4],
        [2, 8, 9, 1],
    ]
    # Window 0: TP=1 (row 0), FN=1 (row 1), TN=1 (row 2), FP=1 (row 3).
    first = table.iloc[0]
    assert (first.accuracy, first.precision, first.recall, first.f1) == (
        0.5,
        0.5,
        0.5,
        0.5,
    )
    # Window 1: [1,0,1,1] vs [1,0,0,0]: TP=1, TN=1, FN=2, FP=0.
    second = table.iloc[1]
    assert second.accuracy == 0.5 and second.precision == 1.0
    assert second.recall == pytest.approx(1 / 3) and second.f1 == pytest.approx(0.5)
    assert second.positive_rate == 0.75 and second.predicted_positive_rate == 0.25
    # Window 2: one true negative, nothing predicted positive: ratios are 0.
    assert table.iloc[2][["accuracy", "precision", "recall", "f1"]].tolist() == [
        1.0, 0.0, 0.0, 0.0,
    ]  # fmt: skip


def test_windowed_metrics_matches_sklearn_by_group():
    rng = np.random.default_rng(0)
    y_true = rng.integers(0, 2, 600)
    y_pred = np.where(rng.random(600) < 0.8, y_true, 1 - y_true)
    day = np.repeat(np.arange(6), 100)[::-1]  # keys sorted in the output
    table = monitor.windowed_metrics(y_true, y_pred, groups=day)
    assert table["group"].tolist() == list(range(6))
    for row in table.itertuples():
        mask = day == row.group
        truth, pred = y_true[mask], y_pred[mask]
        assert row.accuracy == pytest.approx(accuracy_score(truth, pred))
        assert row.precision == pytest.approx(precision_score(truth, pred))
        assert row.recall == pytest.approx(recall_score(truth, pred))
        assert row.f1 == pytest.approx(f1_score(truth, pred))


def test_windowed_metrics_bad_inputs():
    with pytest.raises(
        ValueError, match="y_true must hold binary labels 0/1; found 2.0"
    ):
        monitor.windowed_metrics([0, 2], [0, 1], window=1)
    with pytest.raises(ValueError, match="y_pred must have the same length"):
        monitor.windowed_metrics([0, 1], [0, 1, 1], window=1)
    with pytest.raises(ValueError, match="y_true must have at least 1"):
        monitor.windowed_metrics([], [], window=1)
    with pytest.raises(ValueError, match="y_pred must contain only finite"):
        monitor.windowed_metrics([0, 1], [0, np.nan], window=1)
    with pytest.raises(ValueError, match="exactly one of window and groups"):
        monitor.windowed_metrics([0, 1], [0, 1])
    with pytest.raises(ValueError, match="exactly one of window and groups"):
        monitor.windowed_metrics([0, 1], [0, 1], window=1, groups=[0, 0])
    with pytest.raises(ValueError, match="window must be an integer >= 1; got 0"):
        monitor.windowed_metrics([0, 1], [0, 1], window=0)
    with pytest.raises(ValueError, match="groups must be 1-D with the same length"):
        monitor.windowed_metrics([0, 1], [0, 1], groups=[0])
    with pytest.raises(ValueError, match="groups must not contain missing"):
        monitor.windowed_metrics([0, 1], [0, 1], groups=[0, None])


def test_latency_stats_known_values():
    stats = monitor.latency_stats([1.0, 2.0, 3.0, 4.0, 10.0], batch_size=4)
    assert stats.mean_ms == 4.0 and stats.p50_ms == 3.0
    assert stats.p95_ms == pytest.approx(np.percentile([1, 2, 3, 4, 10], 95))
    assert stats.throughput_per_s == pytest.approx(20 / 0.020)
    with pytest.raises(AttributeError):
        stats.mean_ms = 0.0


def test_measure_latency_batches_raise_throughput():
    X = np.random.default_rng(0).normal(size=(512, 20))
    weights = np.ones(20)

    def predict(batch):
        return batch @ weights

    single = monitor.measure_latency(predict, X, n_calls=200)
    batched = monitor.measure_latency(predict, X, n_calls=50, batch_size=256)
    assert (single.batch_size, batched.batch_size, batched.n_calls) == (1, 256, 50)
    assert batched.throughput_per_s > 5 * single.throughput_per_s
    assert single.p50_ms <= single.p95_ms <= single.p99_ms


def test_latency_bad_inputs():
    with pytest.raises(ValueError, match="durations_ms must all be > 0"):
        monitor.latency_stats([1.0, 0.0])
    with pytest.raises(ValueError, match="durations_ms must have at least 1"):
        monitor.latency_stats([])
    with pytest.raises(ValueError, match="durations_ms must contain only finite"):
        monitor.latency_stats([1.0, np.inf])
    with pytest.raises(ValueError, match="batch_size must be an integer >= 1; got 0"):
        monitor.latency_stats([1.0], batch_size=0)
    X = np.ones((4, 2))
    with pytest.raises(TypeError, match="fn must be callable"):
        monitor.measure_latency("predict", X)
    with pytest.raises(ValueError, match="n_calls must be an integer >= 1; got 0"):
        monitor.measure_latency(np.sum, X, n_calls=0)
    with pytest.raises(ValueError, match="warmup must be an integer >= 0; got -1"):
        monitor.measure_latency(np.sum, X, warmup=-1)
    with pytest.raises(ValueError, match="X must have at least batch_size=8 row"):
        monitor.measure_latency(np.sum, X, batch_size=8)
    with pytest.raises(ValueError, match="n_calls must be an integer <= 10000000"):
        monitor.measure_latency(np.sum, X, n_calls=10**12)
    with pytest.raises(ValueError, match="durations_ms must all be >= 1e-06"):
        monitor.latency_stats([1e-310, 1.0])
    with pytest.raises(TypeError, match="durations_ms must be numeric; got complex"):
        monitor.latency_stats([1.0 + 1j])
    with pytest.raises(TypeError, match="inputs must be a sequence of arguments"):
        monitor.time_calls(print, 3)


def test_latency_stats_holds_near_the_largest_float():
    """The mean of durations near 1.7e308 overflowed to inf (and throughput to 0)."""
    stats = monitor.latency_stats([1.5e308, 1.5e308, 1.5e308])
    assert stats.mean_ms == stats.p99_ms == 1.5e308
    assert stats.throughput_per_s == pytest.approx(1000 / 1.5e308)


def test_model_nbytes():
    assert monitor.model_nbytes(np.zeros((3, 4), dtype=np.float32)) == 48
    model = LogisticRegression().fit(np.eye(4), [0, 1, 0, 1])
    import pickle

    assert monitor.model_nbytes(model) == len(pickle.dumps(model, protocol=5))

    class FakeKeras:  # the two methods a Keras model exposes
        def get_weights(self):
            return [np.zeros((10, 4), np.float32), np.zeros(4, np.float32)]

        def count_params(self):
            return 44

    assert monitor.model_nbytes(FakeKeras()) == 44 * 4


def test_peak_memory_of():
    usage = monitor.peak_memory_of(lambda n: np.zeros(n).cumsum()[-1], 500_000)
    assert usage.peak_bytes >= 2 * 500_000 * 8 * 0.99  # zeros + cumsum alive together
    assert usage.retained_bytes < 50_000
    assert usage.seconds > 0
    with pytest.raises(AttributeError):
        usage.peak_bytes = 0
    with pytest.raises(TypeError, match="fn must be callable; got int"):
        monitor.peak_memory_of(3)


def test_tensorboard_round_trip(tmp_path):
    values = [0.91, 0.88, 0.79]
    path = monitor.write_scalars(
        tmp_path / "prod", "accuracy", values, steps=[80, 81, 82]
    )
    monitor.write_scalars(tmp_path / "prod", "latency_ms", [1.5, 1.25])
    assert path.parent == tmp_path / "prod" and "tfevents" in path.name
    table = monitor.read_scalars(tmp_path)
    assert list(table.columns) == ["run", "tag", "step", "value", "wall_time"]
    accuracy = monitor.read_scalars(tmp_path, tag="accuracy")
    assert accuracy["run"].unique().tolist() == ["prod"]
    assert accuracy["step"].tolist() == [80, 81, 82]
    # simple_value is a float32: equal to 1e-7 relative
    np.testing.assert_allclose(accuracy["value"], values, rtol=1e-6)
    assert len(table) == 5 and (table["wall_time"] > 1e9).all()
    assert monitor.read_scalars(tmp_path, tag="missing").empty


def test_tensorboard_file_is_readable_by_tensorboard(tmp_path):
    from tensorboard.backend.event_processing import event_accumulator

    monitor.write_scalars(tmp_path, "loss", [0.5, 0.25, 0.125])
    accumulator = event_accumulator.EventAccumulator(str(tmp_path))
    accumulator.Reload()
    events = accumulator.Scalars("loss")
    assert [e.step for e in events] == [0, 1, 2]
    assert [e.value for e in events] == [0.5, 0.25, 0.125]


def test_read_scalars_reads_tensor_summaries(tmp_path):
    # What tf.summary.scalar (and Keras's TensorBoard callback) writes: a float32
    # tensor with the "scalars" plugin, not a simple_value.
    from tensorboard.compat.proto import event_pb2, summary_pb2
    from tensorboard.summary.writer.record_writer import RecordWriter
    from tensorboard.util import tensor_util

    with open(tmp_path / "events.out.tfevents.1.test.v2", "wb") as handle:
        writer = RecordWriter(handle)
        for step, loss in enumerate([0.7, 0.5]):
            value = summary_pb2.Summary.Value(
                tag="epoch_loss",
                tensor=tensor_util.make_tensor_proto(np.float32(loss)),
                metadata=summary_pb2.SummaryMetadata(
                    plugin_data=summary_pb2.SummaryMetadata.PluginData(
                        plugin_name="scalars"
                    )
                ),
            )
            event = event_pb2.Event(
                step=step, wall_time=1.0, summary=summary_pb2.Summary(value=[value])
            )
            writer.write(event.SerializeToString())
    table = monitor.read_scalars(tmp_path)
    assert table["run"].tolist() == [".", "."]
    np.testing.assert_allclose(table["value"], [0.7, 0.5], rtol=1e-6)


def test_read_scalars_rejects_corrupted_file(tmp_path):
    path = monitor.write_scalars(tmp_path, "loss", [0.5, 0.25])
    data = bytearray(path.read_bytes())
    data[-6] ^= 0xFF  # flip a byte inside the last record's payload
    path.write_bytes(bytes(data))
    with pytest.raises(ValueError, match="corrupted"):
        monitor.read_scalars(tmp_path)


def test_read_scalars_tolerates_a_torn_last_record(tmp_path):
    # A writer still running leaves a half-written record at the end of the file.
    path = monitor.write_scalars(tmp_path, "loss", [0.5, 0.25])
    path.write_bytes(path.read_bytes()[:-7])
    table = monitor.read_scalars(tmp_path)
    assert table["value"].round(2).tolist() == [0.5]


def test_process_memory_units():
    # ru_maxrss is KiB on Linux and bytes on macOS: both must come out in bytes,
    # so the peak is at least the current resident size and far above 1 MiB.
    usage = monitor.process_memory()
    assert usage.peak_rss_bytes >= usage.rss_bytes > 2**20


def test_tensorboard_bad_inputs(tmp_path):
    with pytest.raises(ValueError, match="logdir must be a non-empty path"):
        monitor.write_scalars("", "loss", [1.0])
    with pytest.raises(ValueError, match="tag must be a non-empty string"):
        monitor.write_scalars(tmp_path, "", [1.0])
    with pytest.raises(ValueError, match="values must have at least 1"):
        monitor.write_scalars(tmp_path, "loss", [])
    with pytest.raises(ValueError, match="values must contain only finite"):
        monitor.write_scalars(tmp_path, "loss", [np.nan])
    with pytest.raises(ValueError, match="steps must have one entry per value"):
        monitor.write_scalars(tmp_path, "loss", [1.0, 2.0], steps=[0])
    with pytest.raises(ValueError, match="steps must be non-negative integers"):
        monitor.write_scalars(tmp_path, "loss", [1.0], steps=[-1])
    with pytest.raises(ValueError, match="steps must be non-negative integers below"):
        monitor.write_scalars(tmp_path, "loss", [1.0], steps=[1e300])
    with pytest.raises(TypeError, match="logdir must be a non-empty path; got 3"):
        monitor.write_scalars(3, "loss", [1.0])
    with pytest.raises(TypeError, match="tag must be a string; got None"):
        monitor.write_scalars(tmp_path, None, [1.0])
    with pytest.raises(ValueError, match="logdir must be an existing directory"):
        monitor.read_scalars(tmp_path / "nope")
    with pytest.raises(ValueError, match="tag must be a non-empty string or None"):
        monitor.read_scalars(tmp_path, tag="")


def test_monitor_import_stays_tensorflow_free():
    import subprocess
    import sys

    code = (
        "import sys, tempfile; from modelmaint import monitor; d = tempfile.mkdtemp();"
        "monitor.write_scalars(d, 't', [1.0]); monitor.read_scalars(d);"
        "print('tensorflow' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"


def test_windowed_metrics_returns_dataframe():
    assert isinstance(monitor.windowed_metrics([1], [1], window=5), pd.DataFrame)


def test_process_memory_is_not_inherited_from_the_parent():
    # Linux carries ru_maxrss across fork+exec: a kernel started by a process that
    # holds 300 MB must still report its own (small) peak.
    import subprocess
    import sys

    import numpy as np

    held = np.ones(300 * 2**20 // 8)
    held += 1
    code = "import modelmaint.monitor as m; print(m.process_memory().peak_rss_bytes)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert int(out.stdout) < 250 * 2**20, int(out.stdout) / 2**20
    del held


def test_windowed_metrics_proper_scores_match_sklearn():
    from sklearn.metrics import brier_score_loss, log_loss, roc_auc_score

    rng = np.random.default_rng(1)
    proba = rng.random(900)
    y_true = (rng.random(900) < proba).astype(int)
    proba[:5] = [0.0, 1.0, 0.5, 0.5, 0.5]  # clipping and ties
    y_pred = (proba >= 0.3).astype(int)
    day = np.repeat(np.arange(3), 300)
    table = monitor.windowed_metrics(y_true, y_pred, groups=day, probabilities=proba)
    for row in table.itertuples():
        m = day == row.group
        assert row.auc == pytest.approx(roc_auc_score(y_true[m], proba[m]))
        assert row.log_loss == pytest.approx(log_loss(y_true[m], proba[m]))
        assert row.brier == pytest.approx(brier_score_loss(y_true[m], proba[m]))
        gap = y_true[m].mean() - proba[m].mean()
        assert row.calibration_gap == pytest.approx(gap)


def test_windowed_metrics_auc_is_nan_with_one_class():
    table = monitor.windowed_metrics([0, 0], [0, 1], window=2, probabilities=[0.1, 0.2])
    assert np.isnan(table.loc[0, "auc"])


def test_decision_costs_cost_and_expected_cost():
    costs = monitor.DecisionCosts(false_positive=0.15, false_negative=0.6)
    y_true = np.array([0, 1, 1, 0, 0])
    y_pred = np.array([1, 0, 1, 0, 1])
    amount = np.array([10.0, 20.0, 5.0, 1.0, 2.0])
    expected = (0.15 * 10 + 0.6 * 20 + 0.15 * 2) / 5
    assert costs.cost(y_true, y_pred, amount) == pytest.approx(expected)
    # a calibrated model's expected cost matches its realised cost on average
    rng = np.random.default_rng(0)
    p = rng.random(200_000)
    y = (rng.random(p.size) < p).astype(int)
    pred = costs.decide(p)
    assert costs.expected_cost(p) == pytest.approx(costs.cost(y, pred), rel=0.01)
    # the threshold is the cheapest rule for calibrated probabilities
    for t in (0.1, 0.3, 0.5):
        other = (p >= t).astype(int)
        assert costs.cost(y, pred) < costs.cost(y, other)


def test_windowed_metrics_costs_columns():
    costs = monitor.DecisionCosts(false_positive=1.0, false_negative=3.0)
    table = monitor.windowed_metrics(
        [1, 0, 0, 1], [0, 1, 0, 1], window=2, costs=costs, weight=[2, 1, 1, 1],
        probabilities=[0.2, 0.5, 0.1, 0.9],
    )  # fmt: skip
    assert table["cost"].tolist() == [(3 * 2 + 1 * 1) / 2, 0.0]
    assert table["expected_cost"].iloc[1] == pytest.approx((0.1 * 3 + 0.1 * 1) / 2)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"weight": [1, 1]}, ValueError, "weight is only used with costs"),
        ({"costs": (1, 2)}, TypeError, "costs must be a DecisionCosts"),
        ({"probabilities": [0.5]}, ValueError, "probabilities must have the same"),
        ({"probabilities": [0.5, 2.0]}, ValueError, "probabilities must be in"),
    ],
)
def test_windowed_metrics_refuses_bad_extras(kwargs, error, message):
    with pytest.raises(error, match=message):
        monitor.windowed_metrics([0, 1], [0, 1], window=2, **kwargs)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"false_positive": -1, "false_negative": 1}, "false_positive must be > 0"),
        ({"false_positive": 1, "false_negative": np.nan}, "false_negative must be"),
        ({"false_positive": True, "false_negative": 1}, "false_positive must be a"),
        ({"false_positive": "1", "false_negative": 1}, "false_positive must be a"),
    ],
)
def test_decision_costs_refuses_bad_costs(kwargs, message):
    with pytest.raises(ValueError, match=message):
        monitor.DecisionCosts(**kwargs)


def test_decision_costs_wrong_types_are_type_errors():
    with pytest.raises(TypeError, match="false_positive must be a real number; got"):
        monitor.DecisionCosts(false_positive=True, false_negative=1)
    costs = monitor.DecisionCosts(false_positive=1, false_negative=2)
    with pytest.raises(TypeError, match="y_true must be numeric; got timedelta"):
        costs.cost(np.array([0, 1], dtype="m8[s]"), [0, 1])


def test_paired_difference_covers_a_known_difference():
    from sklearn.metrics import log_loss

    rng = np.random.default_rng(3)
    hits = 0
    for k in range(40):  # a 95 % interval covers the true shift about 95 % of the time
        a = rng.exponential(1.0, 400)
        b = a - 0.05 + rng.normal(0, 0.3, 400)
        d = monitor.paired_difference(a, b, n_resamples=500, seed=k)
        hits += d.low <= 0.05 <= d.high
    assert hits >= 33
    y = rng.integers(0, 2, 300)
    p = rng.random(300)
    assert monitor.log_loss_per_row(y, p).mean() == pytest.approx(log_loss(y, p))


def test_paired_difference_by_group_resamples_groups():
    a = np.r_[np.ones(50), np.zeros(50)]
    d = monitor.paired_difference(a, np.zeros(100), groups=np.repeat([0, 1], 50))
    assert d.n_groups == 2 and d.n_rows == 100 and d.mean == 0.5
    assert d.low == 0.0 and d.high == 1.0  # two groups: all-0, mixed or all-1


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n_resamples": 10}, "n_resamples must be an integer >= 100"),
        ({"confidence": 1.0}, "confidence must be in"),
        ({"groups": [1, 2, 3]}, "groups must have the same length"),
        ({"groups": [1, None]}, "groups must not contain missing values"),
        ({"n_resamples": 10**9}, "n_resamples x n_groups must be at most"),
        ({"seed": -1}, "seed must be an integer >= 0"),
    ],
)
def test_paired_difference_refuses(kwargs, message):
    with pytest.raises(ValueError, match=message):
        monitor.paired_difference([1.0, 2.0], [0.0, 1.0], **kwargs)
