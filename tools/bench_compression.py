"""`make bench` section "compression": one digits CNN, the goals of COURSE.md §6.

One model, one test set, one run, side by side: float32 vs full-int8 TFLite size,
gzipped size after 80 % pruning and after pruning + int8, the accuracy each costs, and
single-sample latency of a Keras call vs a one-thread LiteRT invoke.

Model choice: ``build_cnn(filters=16, dense=128)`` (~72 k weights), as in notebooks
07 and 08. A TFLite file is its weights plus a few kilobytes of graph, scales and
int32 biases; with the 21 k-weight default CNN that fixed part holds the float32 /
int8 ratio at ~3.2x (goal 3.5x), because no quantization can shrink it. With ~72 k
weights the weights dominate, as in any model worth compressing, and the ratio is
~3.6x. The first convolution (144 weights) and the output layer (1,290) are left
unpruned: pruning them costs accuracy (notebook 07, §3 and §5) for a 2 % size gain.

Run alone: ``.venv/bin/python -m tools.bench_compression``.
"""

from __future__ import annotations

import os
import time

KEY = "compression"
GOALS = {
    "int8_size_ratio": (">=", 3.5),
    "pruned_gzip_ratio": (">=", 3.0),
    "pruned_int8_gzip_ratio": (">=", 8.0),
    "accuracy_drop_pp_pruned": ("<=", 1.0),
    "accuracy_drop_pp_int8": ("<=", 1.0),
    "tflite_vs_keras_latency_ratio": (">=", 5.0),
}


def _met(value: float, rule: tuple[str, float]) -> bool:
    op, goal = rule
    return value >= goal if op == ">=" else value <= goal


def run() -> dict:
    """Train, compress, convert and time one digits CNN; print and return the report."""
    os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import tensorflow as tf
    import tf_keras as keras

    from modelmaint import compress, monitor

    start = time.perf_counter()
    keras.utils.set_random_seed(0)
    tf.config.experimental.enable_op_determinism()
    data = compress.digits_data()
    model = compress.build_cnn(filters=16, dense=128)
    model.fit(data.x_train, data.y_train, epochs=20, batch_size=32, verbose=0)
    rep = data.x_train[:200]
    pruned = compress.prune_model(
        model, 0.8, data.x_train, data.y_train, epochs=4, skip=("conv1", "output")
    )
    files = {
        "float32": compress.to_tflite(model),
        "int8": compress.to_tflite(model, "int8", representative_data=rep),
        "pruned_float32": compress.to_tflite(pruned),
        "pruned_int8": compress.to_tflite(pruned, "int8", representative_data=rep),
    }
    acc = {
        name: compress.tflite_accuracy(blob, data.x_test, data.y_test)
        for name, blob in files.items()
    }
    size = {name: len(blob) for name, blob in files.items()}
    gz = {name: compress.gzipped_size(blob) for name, blob in files.items()}

    x = data.x_test
    keras_lat = monitor.measure_latency(
        lambda b: model(b, training=False), x, n_calls=200
    )
    lite_lat = monitor.measure_latency(
        compress.make_tflite_predictor(files["float32"], num_threads=1), x, n_calls=500
    )
    int8_lat = monitor.measure_latency(
        compress.make_tflite_predictor(files["int8"], num_threads=1), x, n_calls=500
    )

    report: dict = {
        "model": "build_cnn(filters=16, dense=128)",
        "n_params": int(model.count_params()),
        "keras_accuracy": compress.keras_accuracy(model, data.x_test, data.y_test),
        "accuracy": acc,
        "bytes": size,
        "gzipped_bytes": gz,
        "sparsity_pruned": round(compress.sparsity(pruned), 4),
        "int8_size_ratio": size["float32"] / size["int8"],
        "pruned_gzip_ratio": gz["float32"] / gz["pruned_float32"],
        "pruned_int8_gzip_ratio": gz["float32"] / gz["pruned_int8"],
        "accuracy_drop_pp_pruned": 100 * (acc["float32"] - acc["pruned_float32"]),
        "accuracy_drop_pp_int8": 100 * (acc["float32"] - acc["int8"]),
        "accuracy_drop_pp_pruned_int8": 100 * (acc["float32"] - acc["pruned_int8"]),
        "keras_p50_ms": keras_lat.p50_ms,
        "tflite_float32_p50_ms": lite_lat.p50_ms,
        "tflite_int8_p50_ms": int8_lat.p50_ms,
        "tflite_vs_keras_latency_ratio": keras_lat.p50_ms / lite_lat.p50_ms,
    }
    report["goals_met"] = {k: _met(report[k], rule) for k, rule in GOALS.items()}
    report["seconds"] = time.perf_counter() - start
    report = {
        k: (round(v, 4) if isinstance(v, float) else v) for k, v in report.items()
    }
    report["accuracy"] = {k: round(v, 4) for k, v in acc.items()}

    print(f"{report['model']}: {report['n_params']:,} parameters")
    print(f"{'variant':16s} {'bytes':>9s} {'gzipped':>9s} {'accuracy':>9s}")
    for name in files:
        print(f"{name:16s} {size[name]:9,d} {gz[name]:9,d} {acc[name]:9.4f}")
    print(
        f"latency p50 (1 sample): Keras {keras_lat.p50_ms:.3f} ms, TFLite float32 "
        f"{lite_lat.p50_ms:.4f} ms, TFLite int8 {int8_lat.p50_ms:.4f} ms"
    )
    for name, (op, goal) in GOALS.items():
        flag = "ok" if report["goals_met"][name] else "MISSED"
        print(f"{name:32s} {report[name]:9.2f}  goal {op} {goal:g}: {flag}")
    print(f"{'seconds':32s} {report['seconds']:9.1f}")
    return report


if __name__ == "__main__":
    run()
