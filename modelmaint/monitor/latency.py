"""Latency percentiles and throughput of a prediction function.

Taught in notebook 03 (seed 001 §3.1, §4.1; 004 §3.3): a monitor reports p50, p95 and
p99 per call, not a mean, because users feel the tail. :func:`time_calls` is the
package's one timing loop (warm-up, then one call at a time): :func:`measure_latency`
uses it on batches of an array, and the fair TFLite / TensorFlow timings of
:mod:`modelmaint.compress.latency` are meant to use it too.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from modelmaint._validation import (
    InputTypeError,
    as_1d,
    check_callable,
    check_int,
    safe_scaled,
    show,
)

__all__ = ["LatencyStats", "latency_stats", "measure_latency", "time_calls"]

#: Most calls one timing loop makes (its durations are kept in memory).
MAX_CALLS = 10_000_000
#: Shortest duration a clock can measure, in ms (one nanosecond).
MIN_DURATION_MS = 1e-6


@dataclass(frozen=True, kw_only=True)
class LatencyStats:
    """Latency of repeated calls, in milliseconds per call.

    Made by :func:`latency_stats` from measured durations.

    Parameters
    ----------
    mean_ms : float
        Mean duration of one call.
    p50_ms : float
        Median duration (the number to compare between two models).
    p95_ms : float
        95th percentile.
    p99_ms : float
        99th percentile: the tail users feel.
    throughput_per_s : float
        Samples (calls x batch size) per second of measured call time.
    n_calls : int
        Timed calls.
    batch_size : int
        Samples handled by each call.

    Examples
    --------
    >>> latency_stats([2.0, 2.0, 2.0, 6.0])
    LatencyStats(mean_ms=3.0, p50_ms=2.0, p95_ms=5.4, p99_ms=5.88,
                 throughput_per_s=333.33..., n_calls=4, batch_size=1)
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
        One duration per call, in milliseconds, all >= 1e-6 (a nanosecond: the
        clock's tick).
    batch_size : int, default 1
        Samples handled by each call; used for the throughput.

    Returns
    -------
    LatencyStats
        Mean, percentiles and throughput of the calls.

    Examples
    --------
    >>> stats = latency_stats([1.0, 2.0, 3.0, 4.0], batch_size=2)
    >>> stats.p50_ms, stats.mean_ms
    (2.5, 2.5)
    >>> round(stats.throughput_per_s)  # 8 samples in 10 ms
    800
    """
    d = as_1d(durations_ms, "durations_ms")
    if np.any(d < MIN_DURATION_MS):
        rule = "> 0" if d.min() <= 0 else f">= {MIN_DURATION_MS:g} (a nanosecond)"
        raise ValueError(
            f"durations_ms must all be {rule}; got minimum {show(d.min())}"
        )
    batch_size = check_int(batch_size, "batch_size", minimum=1)
    scaled, e = safe_scaled(d)  # no overflow of the sum near 1e308
    mean = float(np.ldexp(scaled.mean(), e))
    p50, p95, p99 = np.percentile(d, [50, 95, 99])  # d > 0: b - a cannot overflow
    return LatencyStats(
        mean_ms=mean,
        p50_ms=float(p50),
        p95_ms=float(p95),
        p99_ms=float(p99),
        throughput_per_s=float(batch_size * 1000.0 / mean),
        n_calls=int(d.size),
        batch_size=batch_size,
    )


def time_calls(
    call: Callable[..., Any],
    inputs: Sequence[Any] | None = None,
    *,
    n_calls: int = 200,
    warmup: int = 10,
    batch_size: int = 1,
) -> LatencyStats:
    """Time ``call`` one call at a time, after ``warmup`` untimed calls.

    The clock (:func:`time.perf_counter_ns`) is read just before and just after
    each call, so nothing else is timed: the input of a call is picked outside the
    timed region. A duration is at least 1 ns (a clock tick can read 0).

    Parameters
    ----------
    call : callable
        Called as ``call()`` when ``inputs`` is None, else as ``call(inputs[i])``
        cycling through ``inputs``.
    inputs : sequence, optional
        Arguments of the successive calls (e.g. batches), at least one.
    n_calls : int, default 200
        Timed calls, 1 to 10 million.
    warmup : int, default 10
        Untimed calls before them (0 to 10 million): graph tracing, caches, lazy
        allocation.
    batch_size : int, default 1
        Samples handled by each call (>= 1), for the throughput.

    Returns
    -------
    LatencyStats
        Milliseconds per call; throughput in samples per second.

    Examples
    --------
    >>> stats = time_calls(lambda: sum(range(100)), n_calls=20, warmup=2)
    >>> stats.n_calls, stats.batch_size, stats.p50_ms > 0
    (20, 1, True)
    >>> seen = []
    >>> _ = time_calls(seen.append, ["a", "b"], n_calls=3, warmup=1)
    >>> seen
    ['a', 'a', 'b', 'a']
    """
    check_callable(call, "call")
    n_calls = check_int(n_calls, "n_calls", minimum=1, maximum=MAX_CALLS)
    warmup = check_int(warmup, "warmup", minimum=0, maximum=MAX_CALLS)
    batch_size = check_int(batch_size, "batch_size", minimum=1)
    if inputs is None:
        arguments: list[tuple[Any, ...]] = [()]
    elif isinstance(inputs, (str, bytes)) or not isinstance(inputs, Sequence):
        raise InputTypeError(
            f"inputs must be a sequence of arguments or None; got {show(inputs)}"
        )
    else:
        arguments = [(item,) for item in inputs]
        if not arguments:
            raise ValueError("inputs must hold at least 1 item; got 0")
    n_args = len(arguments)
    for i in range(warmup):
        call(*arguments[i % n_args])
    clock = time.perf_counter_ns
    durations = np.empty(n_calls)
    for i in range(n_calls):
        args = arguments[i % n_args]
        start = clock()
        call(*args)
        durations[i] = clock() - start
    return latency_stats(np.maximum(durations / 1e6, 1e-6), batch_size=batch_size)


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
        Timed calls, 1 to 10 million.
    batch_size : int, default 1
        Rows per call (>= 1).
    warmup : int, default 10
        Untimed calls before measuring, 0 to 10 million.

    Returns
    -------
    LatencyStats
        Milliseconds per call; throughput in samples per second.

    Examples
    --------
    >>> X = np.ones((8, 3))
    >>> stats = measure_latency(lambda batch: batch.sum(), X, n_calls=50)
    >>> stats.n_calls, stats.batch_size
    (50, 1)
    >>> stats.p50_ms <= stats.p99_ms
    True
    """
    check_callable(fn, "fn")
    n_calls = check_int(n_calls, "n_calls", minimum=1, maximum=MAX_CALLS)
    batch_size = check_int(batch_size, "batch_size", minimum=1)
    warmup = check_int(warmup, "warmup", minimum=0, maximum=MAX_CALLS)
    X = np.asarray(X)
    if X.ndim == 0 or X.shape[0] < batch_size:
        raise ValueError(
            f"X must have at least batch_size={batch_size} row(s); got shape {X.shape}"
        )
    n_batches = X.shape[0] // batch_size
    batches = [X[i * batch_size : (i + 1) * batch_size] for i in range(n_batches)]
    return time_calls(
        fn, batches, n_calls=n_calls, warmup=warmup, batch_size=batch_size
    )
