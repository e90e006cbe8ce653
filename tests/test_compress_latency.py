"""modelmaint.compress.latency: invoke() alone, compiled TF calls, the sweep table."""

from __future__ import annotations

import numpy as np
import pytest

from modelmaint import compress


@pytest.fixture(scope="module")
def small():
    data = compress.digits_data()
    model = compress.build_cnn()
    return data, model, compress.to_tflite(model)


def test_invoke_timing_counts_calls_and_batch(small) -> None:
    data, _, tflite = small
    stats = compress.time_tflite_invoke(tflite, data.x_test, batch_size=4, repeats=7)
    assert (stats.n_calls, stats.batch_size) == (7, 4)
    assert 0 < stats.p50_ms <= stats.p99_ms


def test_invoke_alone_is_cheaper_than_the_python_round_trip(small) -> None:
    # The reason the module exists: set_tensor + conversion + get_tensor add time.
    data, _, tflite = small
    from modelmaint.monitor import measure_latency

    alone = compress.time_tflite_invoke(tflite, data.x_test, repeats=300)
    predict = compress.make_tflite_predictor(tflite)
    round_trip = measure_latency(predict, data.x_test, n_calls=300)
    assert alone.p50_ms < round_trip.p50_ms


def test_int8_model_gets_integer_input(small) -> None:
    data, model, _ = small
    int8 = compress.to_tflite(model, "int8", representative_data=data.x_train[:50])
    stats = compress.time_tflite_invoke(int8, data.x_test, repeats=5)
    assert stats.n_calls == 5


def test_tf_function_and_sweep(small) -> None:
    data, model, tflite = small
    table = compress.latency_sweep(
        data.x_test,
        tflite_models={"float32": tflite},
        keras_models={"keras": model},
        batch_sizes=(1, 16),
        repeats=5,
    )
    assert table.shape[0] == 4
    assert set(table.engine) == {"tflite invoke", "tf.function"}
    one = table[table.batch_size == 16].iloc[0]
    assert one.us_per_sample == pytest.approx(1000 * one.p50_ms / 16)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"batch_size": 0}, "batch_size"),
        ({"batch_size": 10_000}, "at least batch_size"),
        ({"repeats": 0}, "repeats"),
        ({"num_threads": 0}, "num_threads"),
    ],
)
def test_bad_input(small, kwargs, match) -> None:
    data, _, tflite = small
    with pytest.raises(ValueError, match=match):
        compress.time_tflite_invoke(tflite, data.x_test, **kwargs)


def test_bad_models() -> None:
    x = np.zeros((4, 8, 8, 1), np.float32)
    with pytest.raises(ValueError, match="tflite_model"):
        compress.time_tflite_invoke(b"", x)
    with pytest.raises(ValueError, match="Keras model"):
        compress.time_tf_function(lambda t: t, x)
    with pytest.raises(ValueError, match="at least one model"):
        compress.latency_sweep(x)
