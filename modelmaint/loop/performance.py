"""The labelled half of monitoring: per-day label summaries and the performance chart.

Part of :mod:`modelmaint.loop` (notebook 12). A missing label (NaN ``y_true``) is "not
labelled yet", never "wrong".
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from modelmaint._validation import check_int, numeric_column, show
from modelmaint.loop._stream import as_days, check_chart_params, check_stream
from modelmaint.loop.charts import label_chart

__all__ = ["labelled_days", "performance_monitor"]


def _probabilities(stream: pd.DataFrame) -> np.ndarray:
    """``stream['y_proba']`` as floats in [0, 1] (NaN allowed: no probability)."""
    p = numeric_column(stream, "y_proba", "stream")
    outside = (p < 0) | (p > 1)
    if outside.any():
        raise ValueError(
            f"stream['y_proba'] must be probabilities in [0, 1] (or NaN); found "
            f"{show(p[outside][0])} (row {show(stream.index[outside][0])})"
        )
    return p


def labelled_days(stream: pd.DataFrame) -> pd.DataFrame:
    """Per decision day, what its labelled rows say (NaN ``y_true``: not labelled).

    Parameters
    ----------
    stream : pandas.DataFrame
        Columns ``day``, ``y_true`` (0/1, NaN while unknown), ``y_pred`` and,
        optionally, ``y_proba`` (the model's probability of 1).

    Returns
    -------
    pandas.DataFrame
        Indexed by day: ``n`` (labelled rows), ``accuracy`` and, with ``y_proba``,
        ``positive_rate``, ``mean_predicted`` and ``predicted_sd``; NaN on a day
        without labels.

    Examples
    --------
    >>> s = pd.DataFrame({"day": [0, 0, 1], "y_true": [1, 0, np.nan],
    ...                   "y_pred": [1, 1, 0], "y_proba": [0.8, 0.6, 0.3]})
    >>> labelled_days(s)[["n", "accuracy", "mean_predicted"]]
         n  accuracy  mean_predicted
    day
    0    2       0.5             0.7
    1    0       NaN             NaN
    """
    stream = check_stream(stream, ["day", "y_true", "y_pred"])
    truth = pd.to_numeric(stream["y_true"], errors="coerce").to_numpy(float)
    known = ~np.isnan(truth)
    parts = {
        "day": stream["day"].to_numpy(),
        "known": known.astype(float),
        "right": np.where(known, truth == stream["y_pred"].to_numpy(), np.nan),
    }
    if "y_proba" in stream:
        p = _probabilities(stream)
        parts |= {
            "y": np.where(known, truth, np.nan),
            "p": np.where(known, p, np.nan),
            "var": np.where(known, p * (1 - p), np.nan),
        }
    frame = pd.DataFrame(parts).groupby("day")
    out = pd.DataFrame({"n": frame["known"].sum().astype(int)})
    out["accuracy"] = frame["right"].mean()
    if "y_proba" in stream:
        out["positive_rate"] = frame["y"].mean()
        out["mean_predicted"] = frame["p"].mean()
        out["predicted_sd"] = np.sqrt(frame["var"].sum(min_count=1)) / out["n"]
    return out


def performance_monitor(
    stream: pd.DataFrame,
    *,
    days: Sequence[int],
    label_delay: int,
    watch: str = "calibration",
    reference_error_rate: float | None = None,
    tolerance: float = 0.0,
    lam: float = 0.2,
    L: float = 3.0,
) -> pd.DataFrame:
    """On each of ``days``, the chart point of the decision day whose labels arrived.

    The labels of day ``t`` arrive at the end of day ``t + label_delay``: monitored
    day ``d`` adds the point of day ``d - label_delay`` (see :func:`label_chart`).

    Parameters
    ----------
    stream : pandas.DataFrame
        As for :func:`labelled_days`.
    days : sequence of int
        The monitored days, ascending.
    label_delay : int
        Days between a decision and the end of the day its label arrives (>= 0).
    watch, reference_error_rate, tolerance, lam, L
        As for :func:`~modelmaint.loop.label_chart`.

    Returns
    -------
    pandas.DataFrame
        One row per monitored day: ``day``, ``labelled_day`` (-1 before any),
        ``error_rate``, ``statistic``, ``ewma``, ``lower``, ``upper``,
        ``performance``.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> day = np.repeat(np.arange(30), 200)
    >>> p = np.full(day.size, 0.2)
    >>> truth = np.where(day >= 20, 0.4, 0.2)  # the rule changes on day 20
    >>> stream = pd.DataFrame({"day": day, "y_true": rng.random(day.size) < truth,
    ...                        "y_pred": 0, "y_proba": p}).astype({"y_true": int})
    >>> out = performance_monitor(stream, days=range(10, 30), label_delay=3)
    >>> int(out.loc[out["performance"], "day"].min())  # day 20's labels, on day 23
    23
    """
    stream = check_stream(stream, ["day", "y_true", "y_pred"])
    days = as_days(days, "days", increasing=True)
    label_delay = check_int(label_delay, "label_delay", minimum=0)
    check_chart_params(watch, reference_error_rate, tolerance, lam, L)
    per_day = labelled_days(stream)
    decided = days - label_delay  # the decision day whose labels arrive on each day
    arrived = per_day.reindex(decided[np.isin(decided, days)])
    arrived = arrived[arrived["n"] > 0]
    chart = label_chart(
        arrived, watch=watch, reference_error_rate=reference_error_rate,
        tolerance=tolerance, lam=lam, L=L,
    ).reindex(decided)  # fmt: skip
    known = chart["statistic"].notna().to_numpy()
    out = pd.DataFrame(
        {"day": days, "labelled_day": np.where(known, days - label_delay, -1)}
    )
    out["error_rate"] = 1.0 - chart["accuracy"].to_numpy()
    for column in ("statistic", "ewma", "lower", "upper"):
        out[column] = chart[column].to_numpy(dtype=float)
    out["performance"] = chart["alarm"].fillna(False).to_numpy(dtype=bool)
    return out
