"""Tests of modelmaint.compress: from-scratch pruning/quantization against hand values,
the TensorFlow parts on one tiny digits CNN trained once (module fixture)."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from modelmaint import compress as c

# ----------------------------------------------------------------- imports

COMPRESS_MODULES = (
    "modelmaint.compress",
    "modelmaint.compress._common",
    "modelmaint.compress.distill",
    "modelmaint.compress.finetune",
    "modelmaint.compress.latency",
    "modelmaint.compress.measure",
    "modelmaint.compress.models",
    "modelmaint.compress.pruning",
    "modelmaint.compress.quantization",
    "modelmaint.compress.soft_targets",
    "modelmaint.compress.structured",
    "modelmaint.compress.student",
    "modelmaint.compress.tflite",
)
HEAVY = ("tensorflow", "tf_keras", "tensorflow_model_optimization", "sklearn")


def test_importing_compress_imports_nothing_heavy():
    """TensorFlow & co. load inside the functions that use them, never on import."""
    code = (
        f"import {', '.join(COMPRESS_MODULES)}; import sys; "
        f"print(sorted(m for m in {HEAVY + ('scipy.stats',)!r} if m in sys.modules))"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]", run.stdout


def test_every_public_compress_module_is_listed_above():
    from pathlib import Path

    folder = Path(c.__file__).parent
    on_disk = {f"modelmaint.compress.{p.stem}" for p in folder.glob("*.py")}
    on_disk = {m.replace(".__init__", "") for m in on_disk}
    assert on_disk == set(COMPRESS_MODULES)


# ----------------------------------------------------------------- from scratch


def test_threshold_prune_follows_seed_formula():
    w = np.array([[0.5, -0.05], [0.1, -2.0]])
    pruned = c.threshold_prune(w, tau=0.1)
    # |w| < tau -> 0; |w| = tau is kept (strict inequality in 001 §3.3)
    np.testing.assert_array_equal(pruned, [[0.5, 0.0], [0.1, -2.0]])
    assert pruned.shape == w.shape
    np.testing.assert_array_equal(w, [[0.5, -0.05], [0.1, -2.0]])  # input untouched


@pytest.mark.parametrize("target", [0.0, 0.25, 0.5, 0.8, 0.95])
def test_magnitude_threshold_gives_exact_sparsity(target):
    rng = np.random.default_rng(0)
    w = rng.normal(size=(40, 50))  # 2,000 distinct magnitudes
    tau = c.magnitude_threshold(w, target)
    assert c.sparsity(c.threshold_prune(w, tau)) == target
    assert c.sparsity(c.magnitude_prune(w, target)) == target
    # magnitude pruning keeps exactly the largest weights
    kept = np.abs(c.magnitude_prune(w, target))
    if 0 < target:
        assert kept[kept > 0].min() >= np.abs(w)[kept == 0].max()


def test_magnitude_threshold_hand_value():
    w = np.array([0.4, -0.1, 0.3, -0.2, 0.5])
    assert c.magnitude_threshold(w, 0.4) == 0.3
    assert c.magnitude_threshold(w, 0.0) == 0.0


def test_random_prune_sparsity_and_values():
    w = np.arange(1.0, 101.0)
    pruned = c.random_prune(w, 0.3, seed=1)
    assert c.sparsity(pruned) == 0.3
    np.testing.assert_array_equal(pruned[pruned != 0], w[pruned != 0])
    # not the smallest ones: random pruning ignores magnitude
    assert not np.array_equal(pruned == 0, c.magnitude_prune(w, 0.3) == 0)


def test_sparsity_of_arrays():
    assert c.sparsity([np.zeros((2, 2)), np.ones(4)]) == 0.5
    assert c.sparsity(np.array([1.0, 0.0, 0.0, 0.0])) == 0.75


def test_quant_params_asymmetric_hand_values():
    p = c.quant_params([-1.0, 3.0])
    assert p.scale == pytest.approx(4.0 / 255)
    assert p.zero_point == round(-128 + 1.0 / (4.0 / 255))  # -64
    assert (p.qmin, p.qmax) == (-128, 127)


def test_quant_params_symmetric_and_zero_exact():
    p = c.quant_params([-0.5, 0.25], symmetric=True)
    assert p.zero_point == 0 and p.scale == pytest.approx(0.5 / 127)
    q = c.quantize_affine([0.0], p.scale, p.zero_point, qmin=p.qmin, qmax=p.qmax)
    assert c.dequantize_affine(q, p.scale, p.zero_point)[0] == 0.0


def test_affine_round_trip_error_at_most_half_scale():
    rng = np.random.default_rng(0)
    x = rng.normal(0.0, 0.2, size=10_000)
    p = c.quant_params(x)
    q = c.quantize_affine(x, p.scale, p.zero_point)
    assert q.dtype == np.int8
    assert q.min() >= -128 and q.max() <= 127
    assert q.min() == -128 and q.max() == 127  # the range is used fully
    err = np.abs(c.dequantize_affine(q, p.scale, p.zero_point) - x)
    assert err.max() <= p.scale / 2 + 1e-12


def test_quantize_affine_clips_out_of_range():
    q = c.quantize_affine([-10.0, 10.0], scale=0.01, zero_point=0)
    np.testing.assert_array_equal(q, [-128, 127])


def test_gzipped_size_bytes_and_path(tmp_path):
    assert c.gzipped_size(bytes(10_000)) < 100
    path = tmp_path / "m.bin"
    path.write_bytes(b"abc" * 1000)
    assert c.gzipped_size(path) == c.gzipped_size(b"abc" * 1000)


# ----------------------------------------------------------------- bad input


@pytest.mark.parametrize("bad", [-0.1, 1.0, 1.5, float("nan")])
def test_bad_target_sparsity(bad):
    with pytest.raises(ValueError, match="target_sparsity"):
        c.magnitude_prune([1.0, 2.0], bad)


def test_empty_weights():
    with pytest.raises(ValueError, match="weights must have at least 1 element"):
        c.magnitude_threshold([], 0.5)
    with pytest.raises(ValueError, match="model_or_weights must not be empty"):
        c.sparsity([])


def test_nonfinite_weights():
    with pytest.raises(ValueError, match="weights must contain only finite"):
        c.threshold_prune([1.0, np.nan], 0.1)


def test_negative_tau():
    with pytest.raises(ValueError, match="tau must be >= 0"):
        c.threshold_prune([1.0], -0.1)


def test_bad_scale_and_zero_point():
    with pytest.raises(ValueError, match="scale must be > 0"):
        c.quantize_affine([1.0], 0.0, 0)
    with pytest.raises(ValueError, match="zero_point must be in"):
        c.quantize_affine([1.0], 0.1, 300)
    with pytest.raises(ValueError, match="q must be an integer array"):
        c.dequantize_affine([0.5], 0.1, 0)


def test_bad_num_bits():
    with pytest.raises(ValueError, match="num_bits"):
        c.quant_params([1.0], num_bits=1)


def test_gzipped_size_bad_input(tmp_path):
    with pytest.raises(ValueError, match="data must not be empty"):
        c.gzipped_size(b"")
    with pytest.raises(ValueError, match="data must be bytes or an existing file"):
        c.gzipped_size(tmp_path / "missing.tflite")


def test_bad_digits_test_size():
    with pytest.raises(ValueError, match="test_size"):
        c.digits_data(test_size=0.0)


def test_tflite_bad_inputs_without_tensorflow():
    with pytest.raises(ValueError, match="tflite_model must be non-empty bytes"):
        c.tflite_predict(b"", np.zeros((1, 8, 8, 1)))
    with pytest.raises(ValueError, match="x must have at least 1 sample"):
        c.tflite_predict(b"x", np.zeros((0, 8, 8, 1)))


# ----------------------------------------------------------------- TensorFlow parts


@pytest.fixture(scope="module")
def trained():
    data = c.digits_data()
    model = c.build_cnn(filters=8, dense=32)
    model.fit(data.x_train, data.y_train, epochs=2, batch_size=32, verbose=0)
    return data, model


@pytest.fixture(scope="module")
def float_tflite(trained):
    return c.to_tflite(trained[1])


def test_digits_data_split():
    data = c.digits_data()
    assert data.x_train.shape == (1347, 8, 8, 1) and data.x_test.shape == (450, 8, 8, 1)
    assert data.x_train.dtype == np.float32
    assert 0.0 == data.x_train.min() and data.x_train.max() == 1.0
    # stratified: class proportions in train and test agree within 1 point
    p_train = np.bincount(data.y_train) / len(data.y_train)
    p_test = np.bincount(data.y_test) / len(data.y_test)
    assert np.abs(p_train - p_test).max() < 0.01


def test_model_learns(trained):
    data, model = trained
    assert c.keras_accuracy(model, data.x_test, data.y_test) > 0.6


def test_float_tflite_matches_keras(trained, float_tflite):
    data, model = trained
    out = c.tflite_predict(float_tflite, data.x_test)
    np.testing.assert_allclose(out, model.predict(data.x_test, verbose=0), atol=1e-5)
    assert c.tflite_accuracy(float_tflite, data.x_test, data.y_test) == pytest.approx(
        c.keras_accuracy(model, data.x_test, data.y_test)
    )


def test_int8_tflite_is_smaller_and_close(trained, float_tflite):
    data, model = trained
    int8 = c.to_tflite(model, "int8", representative_data=data.x_train[:100])
    assert len(int8) < len(float_tflite) / 2
    from ai_edge_litert.interpreter import Interpreter

    interp = Interpreter(model_content=int8)
    assert interp.get_input_details()[0]["dtype"] == np.int8
    assert interp.get_output_details()[0]["dtype"] == np.int8
    probs = c.tflite_predict(int8, data.x_test)
    assert probs.dtype == np.float32
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, atol=0.05)  # dequantized
    keras_acc = c.keras_accuracy(model, data.x_test, data.y_test)
    assert c.tflite_accuracy(int8, data.x_test, data.y_test) > keras_acc - 0.03


def test_predictor_single_sample(float_tflite, trained):
    data, _ = trained
    predict = c.make_tflite_predictor(float_tflite)
    one = predict(data.x_test[:1])
    assert one.shape == (1, 10)
    np.testing.assert_allclose(predict(data.x_test[:3])[:1], one, atol=1e-6)


def test_to_tflite_bad_mode_and_missing_data(trained):
    model = trained[1]
    with pytest.raises(ValueError, match="mode must be one of 'float32', 'dynamic'"):
        c.to_tflite(model, "int4")
    with pytest.raises(ValueError, match="representative_data is required"):
        c.to_tflite(model, "int8")


def test_prune_weights_magnitude_beats_random(trained):
    data, model = trained
    mag = c.prune_weights(model, 0.7, method="magnitude")
    rnd = c.prune_weights(model, 0.7, method="random")
    assert c.sparsity(mag) == pytest.approx(0.7, abs=0.005)
    assert c.sparsity(rnd) == pytest.approx(0.7, abs=0.005)
    assert c.sparsity(model) == 0.0  # the original is untouched
    acc_mag = c.keras_accuracy(mag, data.x_test, data.y_test)
    acc_rnd = c.keras_accuracy(rnd, data.x_test, data.y_test)
    assert acc_mag > acc_rnd
    with pytest.raises(ValueError, match="method must be one of"):
        c.prune_weights(model, 0.5, method="l1")


def test_prune_model_sparsity_and_skip(trained):
    data, model = trained
    pruned = c.prune_model(
        model, 0.75, data.x_train[:320], data.y_train[:320], epochs=1, skip=["output"]
    )
    per_layer = c.layer_sparsity(pruned)
    assert per_layer["output"] == 0.0
    for name in ("conv1", "conv2", "dense"):
        assert per_layer[name] == pytest.approx(0.75, abs=0.01)
    assert not any("prune" in w.name for w in pruned.weights)  # stripped
    with pytest.raises(ValueError, match="skip must name layers"):
        c.prune_model(model, 0.5, data.x_train[:32], data.y_train[:32], skip=["nope"])
    with pytest.raises(ValueError, match="initial_sparsity must be <="):
        c.prune_model(
            model, 0.5, data.x_train[:32], data.y_train[:32], initial_sparsity=0.6
        )


def test_clustering_shares_weights(trained):
    data, model = trained
    clustered = c.cluster_model(model, 4, data.x_train[:64], data.y_train[:64])
    assert max(c.count_unique_weights(clustered).values()) <= 4
    with pytest.raises(ValueError, match="n_clusters"):
        c.cluster_model(model, 1, data.x_train[:64], data.y_train[:64])


def test_keras_accuracy_bad_labels(trained):
    data, model = trained
    with pytest.raises(ValueError, match="y must be 1-D"):
        c.keras_accuracy(model, data.x_test, data.y_test[:5])


def test_keras_accuracy_refuses_nonfinite_x(trained):
    data, model = trained
    x = data.x_test[:8].copy()
    x[0, 0, 0, 0] = np.nan
    with pytest.raises(ValueError, match="x must contain only finite values"):
        c.keras_accuracy(model, x, data.y_test[:8])


# ----------------------------------------------------------------- TFLite input checks


@pytest.fixture(scope="module")
def tiny_tflite():
    """An untrained 8x8 model, converted once to float32 and full-integer int8."""
    model = c.build_cnn(filters=2, dense=4)
    rep = np.random.default_rng(0).random((16, 8, 8, 1), dtype=np.float32)
    return {
        "float32": c.to_tflite(model),
        "int8": c.to_tflite(model, "int8", representative_data=rep),
    }


@pytest.mark.parametrize("mode", ["float32", "int8"])
@pytest.mark.parametrize("shape", [(3, 9, 9, 1), (3, 8, 8), (3, 8, 8, 2), (3, 64)])
def test_tflite_predict_refuses_the_wrong_shape(tiny_tflite, mode, shape):
    with pytest.raises(ValueError, match=r"x must have shape \(n, 8, 8, 1\) for "):
        c.tflite_predict(tiny_tflite[mode], np.zeros(shape, np.float32))


@pytest.mark.parametrize("mode", ["float32", "int8"])
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf, 1e39])
def test_tflite_predict_refuses_nonfinite_x(tiny_tflite, mode, bad):
    x = np.full((2, 8, 8, 1), 0.5)
    x[1, 3, 4, 0] = bad  # 1e39 is finite in float64, inf in the model's float32
    with pytest.raises(ValueError, match="x must contain only finite values") as err:
        c.tflite_predict(tiny_tflite[mode], x)
    assert f"{mode} input of shape (n, 8, 8, 1)" in str(err.value)
    assert "found 1 NaN or inf" in str(err.value)


def test_tflite_predict_checks_the_dtype(tiny_tflite):
    ints = np.zeros((2, 8, 8, 1), np.int8)  # looks quantized already: not again
    with pytest.raises(ValueError, match="x must be floats, quantized here to this "
                       "model's int8 input") as err:  # fmt: skip
        c.tflite_predict(tiny_tflite["int8"], ints)
    assert "got dtype int8" in str(err.value)
    for mode in ("float32", "int8"):
        with pytest.raises(ValueError, match="x must be real numbers for this model"):
            c.tflite_predict(tiny_tflite[mode], np.zeros((2, 8, 8, 1), complex))
    with pytest.raises(ValueError, match="got dtype <U1"):
        c.tflite_predict(tiny_tflite["float32"], np.full((2, 8, 8, 1), "a"))


def test_tflite_predict_valid_inputs_unchanged(tiny_tflite):
    x = np.random.default_rng(1).random((5, 8, 8, 1))
    for blob in tiny_tflite.values():
        out = c.tflite_predict(blob, x)  # float64 in: converted, as before
        assert out.shape == (5, 10) and out.dtype == np.float32
        np.testing.assert_array_equal(out, c.make_tflite_predictor(blob)(x))
    # integers are real numbers for a float model: converted, not refused
    ones = np.ones((2, 8, 8, 1), np.int64)
    np.testing.assert_array_equal(
        c.tflite_predict(tiny_tflite["float32"], ones),
        c.tflite_predict(tiny_tflite["float32"], ones.astype(np.float32)),
    )
