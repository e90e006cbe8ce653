"""The unlabelled half of monitoring: drift and data quality of each day's inputs.

Part of :mod:`modelmaint.loop` (notebook 12); the column's kind (numeric or
categorical) comes from :func:`modelmaint.drift.feature_kind`, the one rule.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from modelmaint._validation import check_fraction, check_frame, check_int
from modelmaint.drift import chi2_drift, feature_kind, ks_drift
from modelmaint.loop._stream import as_days, check_features, check_stream
from modelmaint.quality import check_quality, learn_rules

__all__ = ["drift_monitor", "quality_monitor"]


def _check_inputs(
    stream: Any, reference: Any, days: Any, features: Any
) -> tuple[pd.DataFrame, pd.DataFrame, np.ndarray, list[Any]]:
    """The stream (with ``day``), the reference, the days and the features checked.

    Only ``reference[features]`` is read: its other columns are not judged.
    """
    stream = check_stream(stream, ["day"])
    check_frame(reference, "reference")
    features = check_features(features, {"stream": stream, "reference": reference})
    return stream, reference, as_days(days, "days"), features


def _kinds(reference: pd.DataFrame, features: list[Any]) -> dict[Any, str]:
    """Each feature's kind (numeric or categorical), a bad column named."""
    kinds = {}
    for name in features:
        try:
            kinds[name] = feature_kind(reference[name])
        except (TypeError, ValueError) as exc:
            message = str(exc).replace("column", f"reference[{name!r}]", 1)
            raise type(exc)(message) from None
    return kinds


def drift_monitor(
    stream: pd.DataFrame,
    *,
    reference: pd.DataFrame,
    days: Sequence[int],
    features: Sequence[str],
    alpha: float = 0.001,
    window: int = 1,
) -> pd.DataFrame:
    """Each day's features against the reference: KS (numeric) or chi-square.

    On day ``d`` the rows of the last ``window`` days (``d - window + 1 .. d``) are
    tested: a longer window sees smaller shifts, and remembers a change (or a bug)
    ``window - 1`` days after it ended. A feature drifts when its test rejects at
    ``alpha / len(features)`` (Bonferroni), so a day's family-wise false-alarm rate
    is at most ``alpha``.

    Parameters
    ----------
    stream, reference : pandas.DataFrame
        The stream (with ``day``) and the reference rows.
    days : sequence of int
        The monitored days.
    features : sequence of str
        The columns to test; :func:`~modelmaint.drift.feature_kind` picks the test.
    alpha : float, default 0.001
        Family-wise false-alarm rate per day, in (0, 1).
    window : int, default 1
        Days of rows tested together (>= 1).

    Returns
    -------
    pandas.DataFrame
        ``day``, ``drift`` (bool), ``drifted`` (names, comma-separated).

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> stream = pd.DataFrame({"day": np.repeat(range(6), 200),
    ...                        "x": rng.normal(0, 1, 1200)})
    >>> stream.loc[stream["day"] >= 4, "x"] += 1.0  # the input moves on day 4
    >>> drift_monitor(stream, reference=stream[stream["day"] < 3], days=[3, 4, 5],
    ...               features=["x"])["drift"].tolist()
    [False, True, True]
    """
    stream, reference, days, features = _check_inputs(stream, reference, days, features)
    alpha = check_fraction(alpha, "alpha")
    window = check_int(window, "window", minimum=1)
    level = alpha / len(features)
    kinds = _kinds(reference, features)
    rows = []
    for d in days:
        today = stream[stream["day"].between(d - window + 1, d)]
        drifted = []
        for name in features if len(today) else []:
            ref, cur = reference[name], today[name]
            if kinds[name] == "numeric":
                p = ks_drift(ref.to_numpy(float), cur.to_numpy(float)).pvalue
            else:
                p = chi2_drift(ref.to_numpy(), cur.to_numpy()).pvalue
            if p < level:
                drifted.append(name)
        rows.append(
            {"day": int(d), "drift": bool(drifted), "drifted": ", ".join(drifted)}
        )
    return pd.DataFrame(rows)


def quality_monitor(
    stream: pd.DataFrame,
    *,
    reference: pd.DataFrame,
    days: Sequence[int],
    features: Sequence[str],
) -> pd.DataFrame:
    """Data-quality rules learned on the reference, checked on each day's rows.

    Parameters
    ----------
    stream, reference : pandas.DataFrame
        The stream (with ``day``) and the reference rows.
    days : sequence of int
        The monitored days.
    features : sequence of str
        Columns to guard; the numeric ones (:func:`~modelmaint.drift.feature_kind`)
        get range, unit, stuck-value and missing-value rules.

    Returns
    -------
    pandas.DataFrame
        ``day``, ``quality`` (bool), ``broken`` (names, comma-separated).

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> stream = pd.DataFrame({"day": np.repeat(range(4), 100),
    ...                        "income": rng.lognormal(4, 0.3, 400)})
    >>> stream.loc[stream["day"] == 3, "income"] *= 1000  # dollars, not k$
    >>> quality_monitor(stream, reference=stream[stream["day"] < 2], days=[2, 3],
    ...                 features=["income"])["broken"].tolist()
    ['', 'income']
    """
    stream, reference, days, features = _check_inputs(stream, reference, days, features)
    kinds = _kinds(reference, features)
    numeric = [f for f in features if kinds[f] == "numeric"]
    rules = learn_rules(reference, numeric) if numeric else None
    rows = []
    for d in days:
        today = stream[stream["day"] == d]
        broken = []
        if rules is not None and len(today):
            report = check_quality(rules, today)
            broken = report.loc[report["alarm"], "column"].tolist()
        rows.append(
            {"day": int(d), "quality": bool(broken), "broken": ", ".join(broken)}
        )
    return pd.DataFrame(rows)
