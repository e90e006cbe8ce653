"""Fair latency of a model: the inference itself, on equal terms.

Taught in notebooks 07 (does pruning make anything faster?), 09 (TFLite vs TensorFlow)
and 10 (teacher vs student); used by ``make bench``.

A tiny model's inference takes microseconds, so what surrounds it decides a naive
measurement: converting a float batch to int8 and back in Python costs ~9 µs a call,
more than the whole float inference of the course's digits CNN, and an eager Keras
call ``model(x)`` spends ~2 ms in Python before any arithmetic. So this module times

* :func:`time_tflite_invoke`: ``interpreter.invoke()`` alone — the input is set (and
  quantized) once, outside the timed region;
* :func:`time_tf_function`: a *compiled* TensorFlow call, a ``tf.function`` with a
  fixed ``input_signature``, on a tensor prepared outside the timed region;
* :func:`latency_sweep`: both, for several models, over a sweep of batch sizes.

Both sides must run with the same number of threads: the LiteRT interpreter takes
``num_threads``; TensorFlow's thread pools are fixed once at start-up, so call
:func:`set_tf_threads` before the first TensorFlow operation (the notebook's first
cell). Every call is warmed up first, then timed one call at a time; the median
(``p50_ms``) is the number to compare.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from modelmaint._validation import check_int
from modelmaint.compress._common import import_tf, make_interpreter, quantize_input
from modelmaint.console import quiet_stderr
from modelmaint.monitor import LatencyStats, latency_stats

__all__ = [
    "latency_sweep",
    "set_tf_threads",
    "time_tf_function",
    "time_tflite_invoke",
]


def set_tf_threads(num_threads: int = 1) -> None:
    """Fix TensorFlow's intra- and inter-op thread pools to ``num_threads``.

    Call it before TensorFlow runs its first operation: afterwards TensorFlow refuses
    (``RuntimeError``). The LiteRT interpreter takes its own ``num_threads``.

    Parameters
    ----------
    num_threads : int, default 1
        Threads of each pool (>= 1).

    Examples
    --------
    >>> set_tf_threads(0)
    Traceback (most recent call last):
    ...
    ValueError: num_threads must be an integer >= 1; got 0
    """
    num_threads = check_int(num_threads, "num_threads", minimum=1)
    tf = import_tf()
    tf.config.threading.set_intra_op_parallelism_threads(num_threads)
    tf.config.threading.set_inter_op_parallelism_threads(num_threads)


def _batch(x: Any, batch_size: int) -> np.ndarray:
    batch_size = check_int(batch_size, "batch_size", minimum=1)
    x = np.asarray(x, dtype=np.float32)
    if x.ndim < 2 or x.shape[0] < batch_size:
        raise ValueError(
            f"x must have at least batch_size={batch_size} sample(s); "
            f"got shape {x.shape}"
        )
    return np.ascontiguousarray(x[:batch_size])


def _time_calls(
    call: Callable[[], Any], repeats: int, warmup: int, batch_size: int
) -> LatencyStats:
    repeats = check_int(repeats, "repeats", minimum=1)
    warmup = check_int(warmup, "warmup", minimum=0)
    for _ in range(warmup):
        call()
    clock = time.perf_counter_ns
    durations = np.empty(repeats)
    for i in range(repeats):
        start = clock()
        call()
        durations[i] = clock() - start
    return latency_stats(np.maximum(durations / 1e6, 1e-9), batch_size=batch_size)


def time_tflite_invoke(
    tflite_model: bytes,
    x: Any,
    *,
    batch_size: int = 1,
    num_threads: int = 1,
    repeats: int = 50,
    warmup: int = 5,
) -> LatencyStats:
    """Latency of ``interpreter.invoke()`` alone, on the first ``batch_size`` rows.

    The interpreter is sized for the batch and its input is set once — quantized
    to the input tensor's integer type when the model is full-integer — outside
    the timed region, so the Python conversion around inference is not counted.

    Parameters
    ----------
    tflite_model : bytes
        A model from :func:`~modelmaint.compress.to_tflite`.
    x : array-like, shape (n_samples, ...)
        Float inputs; at least ``batch_size`` rows.
    batch_size : int, default 1
        Samples per call.
    num_threads : int, default 1
        Interpreter threads.
    repeats, warmup : int
        Timed calls (>= 1) and untimed calls before them (>= 0).

    Returns
    -------
    LatencyStats
        Milliseconds per call; throughput in samples per second.

    Examples
    --------
    >>> from modelmaint.compress import build_cnn, digits_data, to_tflite
    >>> data = digits_data()
    >>> stats = time_tflite_invoke(to_tflite(build_cnn()), data.x_test, repeats=20)
    >>> stats.n_calls, stats.batch_size, stats.p50_ms < 5
    (20, 1, True)
    """
    batch = _batch(x, batch_size)
    interpreter = make_interpreter(tflite_model, num_threads)
    detail = interpreter.get_input_details()[0]
    interpreter.resize_tensor_input(detail["index"], list(batch.shape))
    with quiet_stderr():  # LiteRT's "INFO: Created ... XNNPACK delegate for CPU."
        interpreter.allocate_tensors()
    interpreter.set_tensor(detail["index"], quantize_input(batch, detail))
    return _time_calls(interpreter.invoke, repeats, warmup, batch.shape[0])


def time_tf_function(
    model: Any,
    x: Any,
    *,
    batch_size: int = 1,
    repeats: int = 50,
    warmup: int = 5,
) -> LatencyStats:
    """Latency of a compiled call: ``tf.function`` with a fixed input signature.

    The graph is traced once for ``(batch_size, *x.shape[1:])`` float32 inputs and
    called on a tensor made outside the timed region, with ``training=False``. This
    is what TensorFlow Serving and a SavedModel ``serve`` signature run — unlike an
    eager ``model(x)``, whose cost is mostly Python. Threads: :func:`set_tf_threads`.

    Parameters
    ----------
    model : keras.Model
        A built ``tf_keras`` model.
    x : array-like, shape (n_samples, ...)
        Float inputs; at least ``batch_size`` rows.
    batch_size, repeats, warmup : int
        As in :func:`time_tflite_invoke`.

    Returns
    -------
    LatencyStats

    Examples
    --------
    >>> from modelmaint.compress import build_cnn, digits_data
    >>> data = digits_data()
    >>> stats = time_tf_function(build_cnn(), data.x_test, batch_size=8, repeats=20)
    >>> stats.batch_size, stats.n_calls
    (8, 20)
    """
    if not callable(model) or not hasattr(model, "inputs"):
        raise ValueError(f"model must be a Keras model; got {type(model).__name__}")
    batch = _batch(x, batch_size)
    tf = import_tf()
    spec = tf.TensorSpec(batch.shape, tf.float32)
    compiled = tf.function(lambda t: model(t, training=False), input_signature=[spec])
    tensor = tf.constant(batch)
    return _time_calls(lambda: compiled(tensor), repeats, warmup, batch.shape[0])


def latency_sweep(
    x: Any,
    *,
    tflite_models: Mapping[str, bytes] | None = None,
    keras_models: Mapping[str, Any] | None = None,
    batch_sizes: Sequence[int] = (1, 64),
    num_threads: int = 1,
    repeats: int = 50,
    warmup: int = 5,
) -> pd.DataFrame:
    """Median latency of TFLite ``invoke()`` and compiled TF calls over batch sizes.

    TensorFlow's threads must already be set (:func:`set_tf_threads`) to
    ``num_threads`` for the comparison to be fair.

    Parameters
    ----------
    x : array-like, shape (n_samples, ...)
        Float inputs; at least ``max(batch_sizes)`` rows.
    tflite_models : mapping of str to bytes, optional
        Name to a model from :func:`~modelmaint.compress.to_tflite`, timed with
        :func:`time_tflite_invoke`.
    keras_models : mapping of str to keras.Model, optional
        Name to a built ``tf_keras`` model, timed with :func:`time_tf_function`.
        At least one model in all.
    batch_sizes : sequence of int, default (1, 64)
        Samples per call, each >= 1.
    num_threads : int, default 1
        Interpreter threads.
    repeats, warmup : int, default 50, 5
        Timed calls (>= 1) and untimed calls before them (>= 0).

    Returns
    -------
    pandas.DataFrame
        One row per (model, batch size): columns ``model``, ``engine``
        (``"tflite invoke"`` or ``"tf.function"``), ``batch_size``, ``p50_ms``,
        ``p95_ms``, ``us_per_sample`` (the median divided by the batch) and
        ``throughput_per_s``.

    Examples
    --------
    >>> from modelmaint.compress import build_cnn, digits_data, to_tflite
    >>> data = digits_data()
    >>> table = latency_sweep(data.x_test, tflite_models={"float32":
    ...     to_tflite(build_cnn())}, batch_sizes=(1, 8), repeats=10)
    >>> table[["model", "batch_size"]].values.tolist()
    [['float32', 1], ['float32', 8]]
    """
    if not tflite_models and not keras_models:
        raise ValueError("give at least one model in tflite_models or keras_models")
    rows = []
    for name, model in (tflite_models or {}).items():
        for b in batch_sizes:
            stats = time_tflite_invoke(
                model, x, batch_size=b, num_threads=num_threads,
                repeats=repeats, warmup=warmup,
            )  # fmt: skip
            rows.append((name, "tflite invoke", stats))
    for name, model in (keras_models or {}).items():
        for b in batch_sizes:
            stats = time_tf_function(
                model, x, batch_size=b, repeats=repeats, warmup=warmup
            )
            rows.append((name, "tf.function", stats))
    return pd.DataFrame(
        {
            "model": name,
            "engine": engine,
            "batch_size": s.batch_size,
            "p50_ms": s.p50_ms,
            "p95_ms": s.p95_ms,
            "us_per_sample": 1000 * s.p50_ms / s.batch_size,
            "throughput_per_s": s.throughput_per_s,
        }
        for name, engine, s in rows
    )
