"""`make bench` section "stats": vectorized z-score, EWMA and CUSUM over 10**6 points.

Budget (COURSE.md §6): each well under a second, and the z-score at least 20x faster
than the seed's list comprehension (000 §4.1), run as written on the same points.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

from modelmaint import anomaly, control

KEY = "stats"
N_POINTS = 1_000_000
REPEATS = 7


def seed_z_score(data, threshold=2):
    """The seed's function (000 §4.1), verbatim: z-scores and the flagged indices."""
    mean = np.mean(data)
    std_dev = np.std(data)
    z_scores = [(x - mean) / std_dev for x in data]
    return np.where(np.abs(z_scores) > threshold)


def seed_z_scores_only(data):
    """The seed's z-score lines as written (its list comprehension), no flagging."""
    mean = np.mean(data)
    std_dev = np.std(data)
    z_scores = [(x - mean) / std_dev for x in data]
    return z_scores


def _best_seconds(fn: Callable[[], object], repeats: int = REPEATS) -> float:
    fn()  # warm-up: lazy imports (scipy.signal) and caches
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def run() -> dict:
    """Time each statistic on 10**6 standard normal points; print and return a table.

    ``zscore_speedup`` compares the z-scores alone (the seed's list comprehension
    vs :func:`modelmaint.anomaly.zscore`, both with the population σ);
    ``outliers_speedup`` compares the seed's whole function (z-scores + threshold
    2 + ``np.where``) with ``np.flatnonzero(zscore_outliers(x, 2, ddof=0))``.
    """
    x = np.random.default_rng(0).standard_normal(N_POINTS)
    seconds = {
        "zscore_s": _best_seconds(lambda: anomaly.zscore(x, ddof=0)),
        "zscore_outliers_s": _best_seconds(
            lambda: np.flatnonzero(anomaly.zscore_outliers(x, 2.0, ddof=0))
        ),
        "ewma_s": _best_seconds(lambda: control.ewma_chart(x, 0.0, 1.0)),
        "cusum_s": _best_seconds(lambda: control.cusum_chart(x, 0.0, 1.0)),
        "seed_zscore_s": _best_seconds(lambda: seed_z_scores_only(x), repeats=3),
        "seed_function_s": _best_seconds(lambda: seed_z_score(x), repeats=3),
    }
    report: dict = {k: round(v, 4) for k, v in seconds.items()}
    report["zscore_speedup"] = round(seconds["seed_zscore_s"] / seconds["zscore_s"], 1)
    report["outliers_speedup"] = round(
        seconds["seed_function_s"] / seconds["zscore_outliers_s"], 1
    )
    report["n_points"] = N_POINTS
    print(f"{'best of runs, 10^6 points':28s} {'seconds':>9s}")
    for name in seconds:
        print(f"{name:28s} {report[name]:9.4f}")
    ok = "ok" if report["zscore_speedup"] >= 20 else "BELOW GOAL"
    print(
        f"{'zscore_speedup':28s} {report['zscore_speedup']:8.1f}x  (goal >= 20x: {ok})"
    )
    print(
        f"{'outliers_speedup':28s} {report['outliers_speedup']:8.1f}x  (whole function)"
    )
    return report


if __name__ == "__main__":
    run()
