"""Latency percentiles and throughput of a prediction function.

Taught in notebook 03 (seed 001 §3.1, §4.1; 004 §3.3): a monitor reports p50, p95 and
p99 per call, not a mean, because users feel the tail. For TFLite ``invoke()`` and
compiled TensorFlow calls on equal terms, see :mod:`modelmaint.compress.latency`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from modelmaint._validation import as_1d, check_int

__all__ = ["LatencyStats", "latency_stats", "measure_latency"]


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
