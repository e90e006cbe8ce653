"""Three monitors run day by day on a stream: performance, drift, data quality.

Part of :mod:`modelmaint.loop` (notebook 12): :func:`daily_monitor` runs
:func:`~modelmaint.loop.performance_monitor`, :func:`~modelmaint.loop.drift_monitor`
and :func:`~modelmaint.loop.quality_monitor` over every day after the reference
window, each with only what it would know that day, and returns a
:class:`~modelmaint.loop.MonitorLog`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from modelmaint._validation import check_fraction, check_int
from modelmaint.loop._stream import check_chart_params, check_features, check_stream
from modelmaint.loop.inputs import drift_monitor, quality_monitor
from modelmaint.loop.log import MonitorLog
from modelmaint.loop.performance import performance_monitor

__all__ = ["daily_monitor"]

#: Most days one call monitors (about 270 years): a larger span is a wrong day column.
MAX_DAYS = 100_000


def daily_monitor(
    stream: pd.DataFrame,
    *,
    features: Sequence[str],
    reference_days: int,
    label_delay: int,
    watch: str = "calibration",
    reference_error_rate: float | None = None,
    tolerance: float = 0.0,
    drift_alpha: float = 0.001,
    drift_window: int = 1,
    lam: float = 0.2,
    L: float = 3.0,
) -> MonitorLog:
    """Run the three monitors over every day after the reference window.

    Parameters
    ----------
    stream : pandas.DataFrame
        Columns ``day`` (whole day numbers), the ``features``, ``y_true`` (NaN:
        not labelled yet), ``y_pred`` (the deployed model's decision) and, for
        ``watch="calibration"``, ``y_proba`` (in [0, 1]).
    features : sequence of str
        Input columns to test for drift; the numeric ones also get quality rules.
    reference_days : int
        Days ``0 .. reference_days - 1`` are the reference (the training data);
        monitoring starts on day ``reference_days``.
    label_delay : int
        The labels of day ``t`` arrive at the end of day ``t + label_delay`` (>= 0).
    watch : {"calibration", "error"}, default "calibration"
        What the performance chart watches (:func:`~modelmaint.loop.label_chart`).
    reference_error_rate, tolerance : float
        For ``watch="error"``: the model's error rate before deployment and the rise
        the business accepts.
    drift_alpha : float, default 0.001
        Family-wise false-alarm rate of the drift tests per day, in (0, 1).
    drift_window : int, default 1
        Days of inputs each drift test looks at (:func:`drift_monitor`).
    lam, L : float
        EWMA weight in (0, 1] and limit width (> 0).

    Returns
    -------
    MonitorLog

    Examples
    --------
    >>> from modelmaint.datasets import make_loan_applications
    >>> stream = make_loan_applications(n_days=40, per_day=100, covariate_shift_day=30,
    ...                                 concept_shift_day=None, seed=1)
    >>> stream = stream.assign(y_true=stream["default"], y_pred=0)
    >>> log = daily_monitor(stream, features=["income", "debt_to_income"],
    ...                     reference_days=20, label_delay=7, watch="error",
    ...                     reference_error_rate=0.2)
    >>> log.first_alarm("drift") >= 30, log.first_alarm("quality")
    (True, None)
    """
    watch = check_chart_params(watch, reference_error_rate, tolerance, lam, L)
    columns = ["day", "y_true", "y_pred"]
    stream = check_stream(
        stream, columns + (["y_proba"] if watch == "calibration" else [])
    )
    features = check_features(features, {"stream": stream})
    reference_days = check_int(reference_days, "reference_days", minimum=1)
    check_int(label_delay, "label_delay", minimum=0)
    check_fraction(drift_alpha, "drift_alpha")
    check_int(drift_window, "drift_window", minimum=1)
    day = stream["day"].to_numpy()
    reference = stream[day < reference_days]
    if len(reference) == 0 or reference_days > day.max():
        raise ValueError(
            f"reference_days must leave days on both sides; got {reference_days} "
            f"for days {day.min()}..{day.max()}"
        )
    if day.max() - reference_days >= MAX_DAYS:
        raise ValueError(
            f"stream['day'] must span at most {MAX_DAYS:,} monitored days; got "
            f"days {reference_days}..{day.max()} after the reference"
        )
    days = np.arange(reference_days, day.max() + 1)
    performance = performance_monitor(
        stream, days=days, label_delay=label_delay, watch=watch,
        reference_error_rate=reference_error_rate, tolerance=tolerance, lam=lam, L=L,
    )  # fmt: skip
    drift = drift_monitor(
        stream,
        reference=reference,
        days=days,
        features=features,
        alpha=drift_alpha,
        window=drift_window,
    )
    quality = quality_monitor(stream, reference=reference, days=days, features=features)
    daily = performance.merge(drift, on="day").merge(quality, on="day")
    return MonitorLog(daily=daily, watch=watch)
