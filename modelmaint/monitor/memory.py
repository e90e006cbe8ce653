"""Memory of a model, of one prediction call, and of the whole process.

Taught in notebook 03 (seed 001 §3.1; 004 §3.3). Three different questions, three
different tools: the bytes of a model's weights (:func:`model_nbytes`), the Python-heap
peak of one call (:func:`peak_memory_of`, :mod:`tracemalloc`) and the operating
system's view of the process, C++ libraries included (:func:`process_memory`).
"""

from __future__ import annotations

import pickle
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from modelmaint._validation import check_callable

__all__ = [
    "MemoryUsage",
    "ProcessMemory",
    "model_nbytes",
    "peak_memory_of",
    "process_memory",
]


@dataclass(frozen=True, kw_only=True)
class MemoryUsage:
    """Python-heap memory of one call, measured with :mod:`tracemalloc`.

    Made by :func:`peak_memory_of`.

    Parameters
    ----------
    peak_bytes : int
        Highest allocation above the level before the call.
    retained_bytes : int
        Still allocated when the call returned (e.g. its result).
    seconds : float
        Wall time of the traced call (tracing slows it down).

    Examples
    --------
    >>> usage = peak_memory_of(bytearray, 1_000_000)
    >>> usage.peak_bytes >= 1_000_000, usage.seconds >= 0
    (True, True)
    """

    peak_bytes: int
    retained_bytes: int
    seconds: float


def peak_memory_of(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> MemoryUsage:
    """Peak memory allocated while ``fn(*args, **kwargs)`` runs.

    :mod:`tracemalloc` sees every allocation made through Python's allocators,
    NumPy arrays included, but not memory a C++ library (TensorFlow, BLAS
    workspaces) allocates on its own: for those, read the process's peak RSS
    (:func:`process_memory`).

    Parameters
    ----------
    fn : callable
        The function to measure.
    *args : Any
        Positional arguments of the call.
    **kwargs : Any
        Keyword arguments of the call.

    Returns
    -------
    MemoryUsage
        Peak and retained bytes above the level before the call, and its seconds.

    Examples
    --------
    >>> usage = peak_memory_of(np.ones, 1_000_000)  # returns 8 MB of float64
    >>> usage.peak_bytes >= 8_000_000, usage.retained_bytes >= 8_000_000
    (True, True)
    >>> usage = peak_memory_of(lambda n: np.ones(n).sum(), 1_000_000)  # a temporary
    >>> usage.peak_bytes >= 8_000_000, usage.retained_bytes < 10_000
    (True, True)
    >>> try:
    ...     peak_memory_of("predict")
    ... except TypeError as err:
    ...     print(err)
    fn must be callable; got str
    """
    check_callable(fn, "fn")
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

    Parameters
    ----------
    model : Any
        A NumPy array, a Keras model, or any picklable object.

    Returns
    -------
    int
        Bytes.

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


@dataclass(frozen=True, kw_only=True)
class ProcessMemory:
    """Resident memory of this process, in bytes: now, and the peak since it began.

    Made by :func:`process_memory`.

    Parameters
    ----------
    rss_bytes : int
        Resident set size now.
    peak_rss_bytes : int
        Highest resident set size since the process started (>= ``rss_bytes``).

    Examples
    --------
    >>> usage = process_memory()
    >>> usage.peak_rss_bytes >= usage.rss_bytes > 0
    True
    """

    rss_bytes: int
    peak_rss_bytes: int


def _linux_peak_bytes() -> int | None:
    """``VmHWM`` from ``/proc/self/status`` (this process's own peak), or None."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024  # the file says kB (KiB)
    except OSError:
        return None
    return None


def process_memory() -> ProcessMemory:
    """Resident set size of this process now and at its peak, in bytes.

    On Linux the peak is ``VmHWM`` from ``/proc/self/status``. It is *not*
    ``getrusage``'s ``ru_maxrss``: Linux carries ``ru_maxrss`` across ``fork`` and
    ``exec``, so a Jupyter kernel started by a big process (a test run that has
    already imported TensorFlow) would report its parent's peak as its own. On
    macOS the peak is ``ru_maxrss``, which is in bytes there (kibibytes on Linux);
    on Windows it is psutil's peak working set. The current size comes from
    ``psutil``. Unlike :func:`peak_memory_of`, this sees memory that C++ libraries
    (TensorFlow, BLAS) allocate on their own.

    Returns
    -------
    ProcessMemory
        The resident set size now and at its peak.

    Examples
    --------
    >>> usage = process_memory()
    >>> 0 < usage.rss_bytes <= usage.peak_rss_bytes
    True
    """
    import psutil

    rss = psutil.Process().memory_info().rss
    peak_bytes = _linux_peak_bytes() if sys.platform.startswith("linux") else None
    if peak_bytes is None:
        try:
            import resource  # POSIX only
        except ImportError:  # Windows: psutil's peak working set instead
            peak_bytes = getattr(psutil.Process().memory_info(), "peak_wset", rss)
        else:
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            peak_bytes = peak if sys.platform == "darwin" else peak * 1024
    return ProcessMemory(rss_bytes=int(rss), peak_rss_bytes=int(max(peak_bytes, rss)))
