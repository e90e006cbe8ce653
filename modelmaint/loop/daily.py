"""Three monitors run day by day on a stream: performance, drift, data quality.

Part of :mod:`modelmaint.loop` (notebook 12): :func:`daily_monitor` and its
:class:`MonitorLog`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from modelmaint._validation import check_fraction, check_int, check_positive
from modelmaint.control import ewma_chart
from modelmaint.drift import chi2_drift, ks_drift
from modelmaint.quality import check_quality, learn_rules

__all__ = ["MonitorLog", "daily_monitor"]

KINDS = ("performance", "drift", "quality")


@dataclass(frozen=True)
class MonitorLog:
    """What the monitor knew on each day of the stream.

    ``daily`` has one row per monitored day: ``day``; ``labelled_day`` (the decision
    day whose labels arrived that day, or -1 before any did), ``error_rate`` and the
    chart's ``ewma`` and ``upper`` for it (NaN before any label); the three alarms
    ``performance``, ``drift`` and ``quality`` (bool) with ``drifted`` and ``broken``
    naming the features behind the last two (comma-separated, ``""`` if none).
    """

    daily: pd.DataFrame

    def alarm_days(self, kinds: Sequence[str] = KINDS) -> np.ndarray:
        """Days on which any alarm of ``kinds`` fired, ascending.

        Examples
        --------
        >>> log = MonitorLog(pd.DataFrame({"day": [5, 6], "drift": [True, False],
        ...     "performance": [False, True], "quality": [False, False]}))
        >>> log.alarm_days(["performance"]).tolist(), log.alarm_days().tolist()
        ([6], [5, 6])
        """
        unknown = [k for k in kinds if k not in KINDS]
        if unknown or not kinds:
            raise ValueError(
                f"kinds must be a non-empty subset of {KINDS}; got {kinds}"
            )
        fired = self.daily[list(kinds)].any(axis=1).to_numpy()
        return self.daily["day"].to_numpy()[fired]

    def began(self, start: int, end: int) -> dict[str, tuple[int, int]]:
        """Alarms that *began* in days ``[start, end)``: kind -> (day, day - start).

        An alarm begins on a day it is on and was off the day before; one that was
        already ringing when ``start`` came is not reported: it cannot announce a
        new incident.

        Examples
        --------
        >>> log = MonitorLog(pd.DataFrame({"day": [5, 6, 7], "drift": [True] * 3,
        ...     "performance": [False, False, True], "quality": [False] * 3}))
        >>> log.began(6, 8)
        {'performance': (7, 1)}
        """
        daily = self.daily.set_index("day")
        found = {}
        for kind in KINDS:
            on = daily[kind].astype(bool)
            began = on & ~on.shift(1, fill_value=False)
            days = [int(d) for d in began[began].index if start <= d < end]
            if days:
                found[kind] = (days[0], days[0] - start)
        return found

    def first_alarm(self, kind: str, *, after: int = -1) -> int | None:
        """First day > ``after`` on which the ``kind`` alarm fired, or None."""
        days = self.alarm_days([kind])
        days = days[days > after]
        return int(days[0]) if days.size else None


def _check_stream(stream: Any, columns: Sequence[str]) -> pd.DataFrame:
    if not isinstance(stream, pd.DataFrame):
        raise ValueError(
            f"stream must be a pandas DataFrame; got {type(stream).__name__}"
        )
    missing = [c for c in columns if c not in stream.columns]
    if missing:
        raise ValueError(f"stream lacks the column(s) {missing}")
    if len(stream) == 0:
        raise ValueError("stream must have at least 1 row; got 0")
    return stream


def _drift_today(
    reference: pd.DataFrame, today: pd.DataFrame, features: Sequence[str], alpha: float
) -> list[str]:
    """Features whose test rejects at ``alpha / len(features)`` (Bonferroni)."""
    level = alpha / len(features)
    drifted = []
    for name in features:
        ref, cur = reference[name], today[name]
        if pd.api.types.is_numeric_dtype(ref) and not pd.api.types.is_bool_dtype(ref):
            p = ks_drift(ref.to_numpy(float), cur.to_numpy(float)).p_value
        else:
            p = chi2_drift(ref.to_numpy(), cur.to_numpy()).p_value
        if p < level:
            drifted.append(name)
    return drifted


def daily_monitor(
    stream: pd.DataFrame,
    *,
    features: Sequence[str],
    reference_days: int,
    reference_error_rate: float,
    tolerance: float = 0.0,
    label_delay: int = 7,
    drift_alpha: float = 0.001,
    lam: float = 0.2,
    L: float = 3.0,
) -> MonitorLog:
    """Run the three monitors over every day after the reference window.

    Parameters
    ----------
    stream : pandas.DataFrame
        Columns ``day`` (int), the ``features``, ``y_true`` and ``y_pred`` (the
        deployed model's decision). Only ``y_true`` of days ``<= d - label_delay``
        is used on day ``d``.
    features : sequence of str
        Input columns to test for drift (numeric or categorical); the numeric ones
        also get data-quality rules.
    reference_days : int
        Days ``0 .. reference_days - 1`` are the reference (the training data);
        monitoring starts on day ``reference_days``.
    reference_error_rate : float
        The model's error rate measured before deployment (on validation data), in
        (0, 1): the chart's centre line.
    tolerance : float, default 0.0
        A rise of the error rate the business accepts (>= 0): the chart watches for
        a rate above ``reference_error_rate + tolerance``. A baseline measured on
        a few thousand rows is itself uncertain by about a point, so a small
        tolerance keeps that uncertainty from becoming false alarms.
    label_delay : int, default 7
        Days between a decision and its label (>= 0).
    drift_alpha : float, default 0.001
        Family-wise false-alarm rate of the drift tests per day, in (0, 1).
    lam, L : float
        EWMA weight in (0, 1] and limit width (> 0); see
        :func:`modelmaint.control.ewma_chart`.

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
    ...                     reference_days=20, reference_error_rate=0.16)
    >>> log.first_alarm("drift"), log.first_alarm("quality")
    (30, None)
    >>> daily_monitor(stream, features=[], reference_days=20, reference_error_rate=0.2)
    Traceback (most recent call last):
    ...
    ValueError: features must name at least 1 column; got []
    """
    features = list(features)
    if not features:
        raise ValueError("features must name at least 1 column; got []")
    stream = _check_stream(stream, ["day", "y_true", "y_pred", *features])
    reference_days = check_int(reference_days, "reference_days", minimum=1)
    label_delay = check_int(label_delay, "label_delay", minimum=0)
    p0 = check_fraction(reference_error_rate, "reference_error_rate")
    p0 = check_fraction(
        p0 + check_positive(tolerance, "tolerance", allow_zero=True),
        "reference_error_rate + tolerance",
    )
    drift_alpha = check_fraction(drift_alpha, "drift_alpha")
    check_positive(L, "L")

    day = stream["day"].to_numpy()
    reference = stream[day < reference_days]
    if len(reference) == 0 or reference_days > day.max():
        raise ValueError(
            f"reference_days must leave days on both sides; got {reference_days} "
            f"for days {day.min()}..{day.max()}"
        )
    numeric = [f for f in features if pd.api.types.is_numeric_dtype(reference[f])]
    rules = learn_rules(reference, numeric) if numeric else None

    wrong = (stream["y_true"].to_numpy() != stream["y_pred"].to_numpy()).astype(float)
    per_day = pd.DataFrame({"day": day, "wrong": wrong}).groupby("day")["wrong"]
    errors, counts = per_day.mean(), per_day.size()

    days = np.arange(reference_days, day.max() + 1)
    labelled = days - label_delay
    known = labelled >= reference_days
    rates = errors.reindex(labelled[known]).to_numpy()
    n = float(np.median(counts))
    sigma = np.sqrt(p0 * (1 - p0) / n)
    ewma = np.full(days.size, np.nan)
    upper = np.full(days.size, np.nan)
    if rates.size:
        chart = ewma_chart(np.nan_to_num(rates, nan=p0), p0, sigma, lam=lam, L=L)
        ewma[known], upper[known] = chart.statistic, chart.upper

    rows = []
    for i, d in enumerate(days):
        today = stream[day == d]
        drifted = (
            _drift_today(reference, today, features, drift_alpha) if len(today) else []
        )
        broken = []
        if rules is not None and len(today):
            report = check_quality(rules, today)
            broken = report.loc[report["alarm"], "column"].tolist()
        rows.append(
            {
                "day": int(d),
                "labelled_day": int(labelled[i]) if known[i] else -1,
                "error_rate": float(errors.get(labelled[i], np.nan))
                if known[i]
                else np.nan,
                "ewma": ewma[i],
                "upper": upper[i],
                "performance": bool(ewma[i] > upper[i]),
                "drift": bool(drifted),
                "drifted": ", ".join(drifted),
                "quality": bool(broken),
                "broken": ", ".join(broken),
            }
        )
    return MonitorLog(daily=pd.DataFrame(rows))
