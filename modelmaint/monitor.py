"""Performance monitoring: quality over time, latency, memory and TensorBoard logs.

* :func:`windowed_metrics` - accuracy, precision, recall and F1 per window of a
  stream of labelled predictions (or per group, such as a day);
* :func:`measure_latency` / :func:`latency_stats` - latency percentiles and
  throughput of a prediction function;
* :func:`model_nbytes` and :func:`peak_memory_of` - memory footprint of a model and
  of one prediction call;
* :func:`write_scalars` / :func:`read_scalars` - TensorBoard event files written and
  read back in pure Python (no TensorFlow import, no TensorBoard server); the reader
  also understands the tensor summaries Keras's ``TensorBoard`` callback writes.

Taught in notebook 03 (seed 001 §3.1, §4.1; 004 §3.3) and reused by notebooks 09 and
10 to compare Keras and TFLite.
"""

from __future__ import annotations

import os
import pickle
import socket
import struct
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from modelmaint._validation import as_1d, check_int

__all__ = [
    "LatencyStats",
    "MemoryUsage",
    "latency_stats",
    "measure_latency",
    "model_nbytes",
    "peak_memory_of",
    "read_scalars",
    "windowed_metrics",
    "write_scalars",
]


@dataclass(frozen=True)
class LatencyStats:
    """Latency of repeated calls, in milliseconds per call.

    ``throughput_per_s`` counts samples (calls x batch size) per second of
    measured call time.
    """

    mean_ms: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    throughput_per_s: float
    n_calls: int
    batch_size: int


def latency_stats(durations_ms: Any, batch_size: int = 1) -> LatencyStats:
    """Summarise per-call durations (milliseconds) as a :class:`LatencyStats`.

    Parameters
    ----------
    durations_ms : array-like of float
        One duration per call, in milliseconds, all > 0.
    batch_size : int, default 1
        Samples handled by each call; used for the throughput.

    Examples
    --------
    >>> stats = latency_stats([1.0, 2.0, 3.0, 4.0], batch_size=2)
    >>> stats.p50_ms, stats.mean_ms
    (2.5, 2.5)
    >>> round(stats.throughput_per_s)  # 8 samples in 10 ms
    800
    """
    d = as_1d(durations_ms, "durations_ms")
    if np.any(d <= 0):
        raise ValueError(f"durations_ms must all be > 0; got minimum {d.min()!r}")
    batch_size = check_int(batch_size, "batch_size", minimum=1)
    p50, p95, p99 = np.percentile(d, [50, 95, 99])
    return LatencyStats(
        mean_ms=float(d.mean()),
        p50_ms=float(p50),
        p95_ms=float(p95),
        p99_ms=float(p99),
        throughput_per_s=float(d.size * batch_size / (d.sum() / 1000.0)),
        n_calls=int(d.size),
        batch_size=batch_size,
    )


def measure_latency(
    fn: Callable[[Any], Any],
    X: Any,
    *,
    n_calls: int = 200,
    batch_size: int = 1,
    warmup: int = 10,
) -> LatencyStats:
    """Time ``fn`` on batches of ``X``, one call at a time, after a warm-up.

    Calls cycle through ``X`` in consecutive batches of ``batch_size`` rows. The
    first ``warmup`` calls (graph tracing, caches, lazy allocation) are not timed.

    Parameters
    ----------
    fn : callable
        The prediction function, called as ``fn(batch)``.
    X : array-like, shape (n_samples, ...)
        Inputs; at least ``batch_size`` rows.
    n_calls : int, default 200
        Timed calls (>= 1).
    batch_size : int, default 1
        Rows per call (>= 1).
    warmup : int, default 10
        Untimed calls before measuring (>= 0).

    Returns
    -------
    LatencyStats

    Examples
    --------
    >>> X = np.ones((8, 3))
    >>> stats = measure_latency(lambda batch: batch.sum(), X, n_calls=50)
    >>> stats.n_calls, stats.batch_size
    (50, 1)
    >>> stats.p50_ms <= stats.p99_ms
    True
    """
    if not callable(fn):
        raise ValueError(f"fn must be callable; got {type(fn).__name__}")
    n_calls = check_int(n_calls, "n_calls", minimum=1)
    batch_size = check_int(batch_size, "batch_size", minimum=1)
    warmup = check_int(warmup, "warmup", minimum=0)
    X = np.asarray(X)
    if X.ndim == 0 or X.shape[0] < batch_size:
        raise ValueError(
            f"X must have at least batch_size={batch_size} row(s); got shape {X.shape}"
        )
    n_batches = X.shape[0] // batch_size
    batches = [X[i * batch_size : (i + 1) * batch_size] for i in range(n_batches)]
    for i in range(warmup):
        fn(batches[i % n_batches])
    durations = np.empty(n_calls)
    clock = time.perf_counter
    for i in range(n_calls):
        batch = batches[i % n_batches]
        start = clock()
        fn(batch)
        durations[i] = clock() - start
    durations_ms = np.maximum(durations * 1000.0, 1e-9)
    return latency_stats(durations_ms, batch_size=batch_size)


def _as_binary(x: Any, name: str) -> np.ndarray:
    arr = as_1d(x, name)
    bad = ~np.isin(arr, (0.0, 1.0))
    if bad.any():
        raise ValueError(
            f"{name} must hold binary labels 0/1; found {float(arr[bad][0])!r} "
            f"({int(bad.sum())} value(s) not 0 or 1)"
        )
    return arr.astype(np.int8)


def _binary_scores(y_true: np.ndarray, y_pred: np.ndarray) -> dict[str, float]:
    tp = int(np.sum((y_true == 1) & (y_pred == 1)))
    fp = int(np.sum((y_true == 0) & (y_pred == 1)))
    fn = int(np.sum((y_true == 1) & (y_pred == 0)))
    n = y_true.size
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0
    return {
        "n": n,
        "accuracy": float(np.mean(y_true == y_pred)),
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "positive_rate": float(y_true.mean()),
        "predicted_positive_rate": float(y_pred.mean()),
    }


def windowed_metrics(
    y_true: Any,
    y_pred: Any,
    window: int | None = None,
    *,
    groups: Any = None,
) -> pd.DataFrame:
    """Accuracy, precision, recall and F1 of a binary classifier over a stream.

    Either cut the stream (in arrival order) into consecutive windows of ``window``
    predictions, the last one possibly shorter, or group the predictions by a key
    such as the day (``groups``). The positive class is 1; a ratio with a zero
    denominator (no predicted or no actual positive in a window) is reported as 0,
    as scikit-learn does with ``zero_division=0``.

    Parameters
    ----------
    y_true, y_pred : array-like of 0/1, 1-D, same length
        Observed labels and the model's predictions, in arrival order.
    window : int, optional
        Predictions per window (>= 1). Give exactly one of ``window`` and ``groups``.
    groups : array-like, optional
        One key per prediction (e.g. the day); one row per distinct key, sorted.

    Returns
    -------
    pandas.DataFrame
        With ``window``: columns ``window, start, stop`` (0-based row indices,
        ``stop`` excluded); with ``groups``: column ``group``. Then ``n, accuracy,
        precision, recall, f1, positive_rate`` (observed) and
        ``predicted_positive_rate``.

    Examples
    --------
    >>> y_true = [1, 0, 1, 0, 1, 1, 0, 0]
    >>> y_pred = [1, 0, 0, 0, 0, 0, 1, 1]
    >>> windowed_metrics(y_true, y_pred, window=4)[["start", "accuracy", "recall"]]
       start  accuracy  recall
    0      0      0.75     0.5
    1      4      0.00     0.0
    >>> windowed_metrics(y_true, y_pred, groups=["a"] * 6 + ["b"] * 2)["n"].tolist()
    [6, 2]
    >>> windowed_metrics(y_true, y_pred, window=0)
    Traceback (most recent call last):
    ...
    ValueError: window must be an integer >= 1; got 0
    """
    true = _as_binary(y_true, "y_true")
    pred = _as_binary(y_pred, "y_pred")
    if pred.size != true.size:
        raise ValueError(
            f"y_pred must have the same length as y_true ({true.size}); got {pred.size}"
        )
    if (window is None) == (groups is None):
        raise ValueError(
            "give exactly one of window and groups; got "
            f"window={window!r} and groups={'None' if groups is None else '...'}"
        )
    rows = []
    if window is not None:
        window = check_int(window, "window", minimum=1)
        for k, start in enumerate(range(0, true.size, window)):
            stop = min(start + window, true.size)
            scores = _binary_scores(true[start:stop], pred[start:stop])
            rows.append({"window": k, "start": start, "stop": stop, **scores})
    else:
        keys = np.asarray(groups)
        if keys.ndim != 1 or keys.size != true.size:
            raise ValueError(
                f"groups must be 1-D with the same length as y_true ({true.size}); "
                f"got shape {keys.shape}"
            )
        if pd.isna(keys).any():
            raise ValueError("groups must not contain missing values (NaN/None)")
        codes, uniques = pd.factorize(keys, sort=True)
        for code, key in enumerate(uniques):
            mask = codes == code
            rows.append({"group": key, **_binary_scores(true[mask], pred[mask])})
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class MemoryUsage:
    """Python-heap memory of one call, measured with :mod:`tracemalloc`.

    ``peak_bytes``: highest allocation above the level before the call;
    ``retained_bytes``: still allocated when the call returned (e.g. its result);
    ``seconds``: wall time of the traced call (tracing slows it down).
    """

    peak_bytes: int
    retained_bytes: int
    seconds: float


def peak_memory_of(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> MemoryUsage:
    """Peak memory allocated while ``fn(*args, **kwargs)`` runs.

    :mod:`tracemalloc` sees every allocation made through Python's allocators,
    NumPy arrays included, but not memory a C++ library (TensorFlow, BLAS
    workspaces) allocates on its own: for those, read the process's peak RSS.

    Examples
    --------
    >>> usage = peak_memory_of(np.ones, 1_000_000)  # returns 8 MB of float64
    >>> usage.peak_bytes >= 8_000_000, usage.retained_bytes >= 8_000_000
    (True, True)
    >>> usage = peak_memory_of(lambda n: np.ones(n).sum(), 1_000_000)  # a temporary
    >>> usage.peak_bytes >= 8_000_000, usage.retained_bytes < 10_000
    (True, True)
    >>> peak_memory_of("predict")
    Traceback (most recent call last):
    ...
    ValueError: fn must be callable; got str
    """
    if not callable(fn):
        raise ValueError(f"fn must be callable; got {type(fn).__name__}")
    was_tracing = tracemalloc.is_tracing()
    if not was_tracing:
        tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        before, _ = tracemalloc.get_traced_memory()
        start = time.perf_counter()
        result = fn(*args, **kwargs)
        seconds = time.perf_counter() - start
        after, peak = tracemalloc.get_traced_memory()
        del result
    finally:
        if not was_tracing:
            tracemalloc.stop()
    return MemoryUsage(
        peak_bytes=max(int(peak - before), 0),
        retained_bytes=max(int(after - before), 0),
        seconds=float(seconds),
    )


def model_nbytes(model: Any) -> int:
    """Memory footprint of a model, in bytes.

    * a NumPy array: its ``nbytes``;
    * a Keras model (anything with ``get_weights`` and ``count_params``): the bytes
      of its weights, i.e. parameter count x bytes per parameter;
    * anything else (scikit-learn estimators, pipelines, plain Python objects): the
      length of its pickle, which is what a model store would write to disk.

    Examples
    --------
    >>> model_nbytes(np.zeros((10, 10)))
    800
    >>> from sklearn.linear_model import LogisticRegression
    >>> model = LogisticRegression().fit([[0.0], [1.0]], [0, 1])
    >>> 500 < model_nbytes(model) < 5_000
    True
    """
    if isinstance(model, np.ndarray):
        return int(model.nbytes)
    if hasattr(model, "get_weights") and hasattr(model, "count_params"):
        return int(sum(np.asarray(w).nbytes for w in model.get_weights()))
    return len(pickle.dumps(model, protocol=pickle.HIGHEST_PROTOCOL))


# --- TensorBoard event files -------------------------------------------------------
# An event file is a TFRecord file: each record is
#   uint64 length | uint32 masked crc32c(length) | data | uint32 masked crc32c(data)
# and each record's data is a serialised ``tensorboard.Event`` protocol buffer. We
# write and read them with TensorBoard's pure-Python pieces, never ``tensorboard.compat
# .tf``, which would import TensorFlow when it is installed.


def _check_logdir(logdir: Any) -> Path:
    if not isinstance(logdir, (str, os.PathLike)) or str(logdir) == "":
        raise ValueError(f"logdir must be a non-empty path; got {logdir!r}")
    return Path(logdir)


def write_scalars(
    logdir: str | os.PathLike,
    tag: str,
    values: Any,
    steps: Any = None,
) -> Path:
    """Write a series of scalars to a new TensorBoard event file in ``logdir``.

    The file is what ``tf.summary.scalar`` or ``SummaryWriter.add_scalar`` would
    write, so ``tensorboard --logdir`` shows it; :func:`read_scalars` reads it back.

    Parameters
    ----------
    logdir : path
        Directory (created if needed); each call adds one new file.
    tag : str
        Name of the series, e.g. ``"production/accuracy"``.
    values : array-like of float, 1-D
        Finite values.
    steps : array-like of int, optional
        One non-negative step per value (e.g. the day); default ``0, 1, ...``.

    Returns
    -------
    pathlib.Path
        The event file written.

    Examples
    --------
    >>> import tempfile
    >>> logdir = tempfile.mkdtemp()
    >>> path = write_scalars(logdir, "accuracy", [0.9, 0.8], steps=[10, 11])
    >>> "tfevents" in path.name
    True
    >>> read_scalars(logdir)[["step", "tag", "value"]].round(3)
       step       tag  value
    0    10  accuracy    0.9
    1    11  accuracy    0.8
    """
    from tensorboard.compat.proto import event_pb2, summary_pb2
    from tensorboard.summary.writer.record_writer import RecordWriter

    directory = _check_logdir(logdir)
    if not isinstance(tag, str) or not tag:
        raise ValueError(f"tag must be a non-empty string; got {tag!r}")
    vals = as_1d(values, "values")
    if steps is None:
        step_arr = np.arange(vals.size)
    else:
        step_arr = as_1d(steps, "steps")
        if step_arr.size != vals.size:
            raise ValueError(
                f"steps must have one entry per value ({vals.size}); "
                f"got {step_arr.size}"
            )
        if np.any(step_arr < 0) or np.any(step_arr != np.round(step_arr)):
            raise ValueError("steps must be non-negative integers")
    directory.mkdir(parents=True, exist_ok=True)
    now = time.time()
    name = f"events.out.tfevents.{int(now)}.{socket.gethostname()}.{os.getpid()}"
    path = directory / f"{name}.{time.perf_counter_ns()}"
    with open(path, "wb") as handle:
        writer = RecordWriter(handle)
        header = event_pb2.Event(wall_time=now, file_version="brain.Event:2")
        writer.write(header.SerializeToString())
        for step, value in zip(step_arr, vals, strict=True):
            summary = summary_pb2.Summary(
                value=[summary_pb2.Summary.Value(tag=tag, simple_value=float(value))]
            )
            event = event_pb2.Event(
                wall_time=time.time(), step=int(step), summary=summary
            )
            writer.write(event.SerializeToString())
    return path


def _read_records(path: Path) -> list[bytes]:
    from tensorboard.compat.tensorflow_stub.pywrap_tensorflow import masked_crc32c

    records = []
    data = path.read_bytes()
    pos = 0
    while pos + 12 <= len(data):
        header = data[pos : pos + 8]
        (length,) = struct.unpack("<Q", header)
        (header_crc,) = struct.unpack("<I", data[pos + 8 : pos + 12])
        end = pos + 12 + length + 4
        if header_crc != masked_crc32c(header) or end > len(data):
            break  # a torn write at the end of a file still being written
        payload = data[pos + 12 : pos + 12 + length]
        (payload_crc,) = struct.unpack("<I", data[end - 4 : end])
        if payload_crc != masked_crc32c(payload):
            raise ValueError(f"{path} is corrupted: bad checksum at byte {pos}")
        records.append(payload)
        pos = end
    return records


def _scalar_of(value: Any) -> float | None:
    if value.HasField("simple_value"):
        return float(value.simple_value)
    if value.HasField("tensor"):
        from tensorboard.util import tensor_util

        try:
            arr = tensor_util.make_ndarray(value.tensor)
        except (TypeError, ValueError):
            return None
        if arr.size == 1 and arr.dtype.kind in "fiub":
            return float(arr.reshape(()))
    return None


def read_scalars(logdir: str | os.PathLike, tag: str | None = None) -> pd.DataFrame:
    """Read every scalar in the TensorBoard event files under ``logdir``.

    Walks ``logdir`` recursively, so the ``train/`` and ``validation/`` runs that
    Keras's ``TensorBoard`` callback creates are both read. Understands the two ways
    scalars are stored: ``simple_value`` (:func:`write_scalars`, TF 1 summaries) and
    one-element tensors (``tf.summary.scalar`` in TF 2, e.g. Keras's
    ``epoch_loss``, ``epoch_accuracy``). Non-scalar summaries (histograms, images,
    the model graph) are skipped.

    Parameters
    ----------
    logdir : path
        An existing directory.
    tag : str, optional
        Keep only this tag.

    Returns
    -------
    pandas.DataFrame
        Columns ``run`` (directory relative to ``logdir``, ``"."`` for ``logdir``
        itself), ``tag, step, value, wall_time``, sorted by run, tag and step.

    Examples
    --------
    >>> import tempfile
    >>> logdir = Path(tempfile.mkdtemp())
    >>> _ = write_scalars(logdir / "train", "loss", [0.7, 0.4])
    >>> _ = write_scalars(logdir / "validation", "loss", [0.8, 0.6])
    >>> read_scalars(logdir, tag="loss")[["run", "step", "value"]].round(2)
              run  step  value
    0       train     0    0.7
    1       train     1    0.4
    2  validation     0    0.8
    3  validation     1    0.6
    """
    from tensorboard.compat.proto import event_pb2

    root = _check_logdir(logdir)
    if not root.is_dir():
        raise ValueError(f"logdir must be an existing directory; got {str(root)!r}")
    if tag is not None and (not isinstance(tag, str) or not tag):
        raise ValueError(f"tag must be a non-empty string or None; got {tag!r}")
    rows = []
    for path in sorted(root.rglob("*tfevents*")):
        if not path.is_file():
            continue
        run = path.parent.relative_to(root).as_posix()
        for record in _read_records(path):
            event = event_pb2.Event.FromString(record)
            if not event.HasField("summary"):
                continue
            for value in event.summary.value:
                if tag is not None and value.tag != tag:
                    continue
                scalar = _scalar_of(value)
                if scalar is not None:
                    rows.append(
                        (run, value.tag, int(event.step), scalar, event.wall_time)
                    )
    columns = ["run", "tag", "step", "value", "wall_time"]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.sort_values(["run", "tag", "step"], kind="stable", ignore_index=True)
