"""The one chart of labelled performance, shared by the daily monitor and the policy.

Part of :mod:`modelmaint.loop` (notebook 12). Each labelled day contributes one point;
two things can be watched:

* ``"calibration"`` - the day's calibration gap, observed default rate minus mean
  predicted probability, standardized by its standard deviation under calibration,
  ``sqrt(sum p(1 - p)) / n``, capped at ``Z_CAP`` = 6 standard deviations a day:
  target 0, sigma 1, both sides. A model that stays
  calibrated while the inputs move (covariate drift) keeps it in control; a changed
  rule (concept drift) pushes it out (notebook 03, section 7);
* ``"error"`` - the day's error rate against a reference rate plus a tolerance
  (upper side only: a model that gets better is not an incident). Error rates also
  move when the population moves, so this chart fires on covariate drift too.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from modelmaint._validation import (
    check_fraction,
    check_frame,
    check_positive,
    numeric_column,
    show,
)
from modelmaint.control import ewma_chart
from modelmaint.loop._stream import WATCHES, check_chart_params, check_day_column

__all__ = ["WATCHES", "Z_CAP", "label_chart"]

# A day's standardized gap is capped: a day of broken inputs (probabilities near 0,
# so a tiny standard deviation) could otherwise add millions of standard deviations
# and keep the EWMA out of control for months after the data were repaired.
Z_CAP = 6.0


# What each column of ``days`` may hold (NaN too: a day without labels is skipped).
_RANGES = {
    "n": (0.0, np.inf),
    "accuracy": (0.0, 1.0),
    "positive_rate": (0.0, 1.0),
    "mean_predicted": (0.0, 1.0),
    "predicted_sd": (0.0, np.inf),
}


def _check_days(days: pd.DataFrame, needed: list[str]) -> None:
    """The needed columns are numbers in range (or NaN); a ``day`` column is whole."""
    for column in needed:
        values = numeric_column(days, column, "days")
        low, high = _RANGES[column]
        outside = (values < low) | (values > high)
        if outside.any():
            rule = f"in [{low:g}, {high:g}]" if np.isfinite(high) else f">= {low:g}"
            raise ValueError(
                f"days[{column!r}] must be {rule} (or NaN); found "
                f"{show(values[outside][0])} (row {show(days.index[outside][0])})"
            )
    if "day" in days.columns:
        check_day_column(days, "days")


def label_chart(
    days: pd.DataFrame,
    *,
    watch: str = "calibration",
    reference_error_rate: float | None = None,
    tolerance: float = 0.0,
    lam: float = 0.2,
    L: float = 3.0,
) -> pd.DataFrame:
    """EWMA chart of a daily labelled statistic; one row per labelled day.

    Parameters
    ----------
    days : pandas.DataFrame
        One row per labelled day, in time order, with ``n`` and, for
        ``watch="error"``, ``accuracy``; for ``watch="calibration"``,
        ``positive_rate``, ``mean_predicted`` and ``predicted_sd`` (numbers in
        range; a ``day`` column, if any, of whole day numbers). Rows with NaN in
        the needed columns (days without labels) are skipped; no rows at all give
        an empty chart (no label has arrived yet).
    watch : {"calibration", "error"}
        What to chart (see the module's docstring).
    reference_error_rate : float, optional
        The model's error rate before deployment, in (0, 1); needed for "error".
    tolerance : float, default 0.0
        A rise of the error rate the business accepts (>= 0), for "error".
    lam, L : float
        EWMA weight in (0, 1] and limit width (> 0).

    Returns
    -------
    pandas.DataFrame
        The input rows kept, plus ``statistic``, ``ewma``, ``lower``, ``upper`` and
        ``alarm`` (bool).

    Examples
    --------
    >>> days = pd.DataFrame({"n": 150, "positive_rate": [0.2] * 10 + [0.35] * 5,
    ...     "mean_predicted": 0.2, "predicted_sd": 0.033})
    >>> chart = label_chart(days, watch="calibration")
    >>> int(chart["alarm"].idxmax())  # the gap opens on day 10; two days to be sure
    11
    """
    watch = check_chart_params(watch, reference_error_rate, tolerance, lam, L)
    check_frame(days, "days", min_rows=0)  # no labelled day yet: an empty chart
    needed = (
        ["n", "accuracy"]
        if watch == "error"
        else ["n", "positive_rate", "mean_predicted", "predicted_sd"]
    )
    missing = [c for c in needed if c not in days.columns]
    if missing:
        raise ValueError(f"days lacks the column(s) {missing} for watch={watch!r}")
    _check_days(days, needed)
    kept = days.dropna(subset=needed).copy()
    if watch == "calibration":
        gap = kept["positive_rate"] - kept["mean_predicted"]
        z = gap / kept["predicted_sd"].clip(lower=1e-12)
        kept["statistic"] = z.clip(-Z_CAP, Z_CAP)
        target, sigma = 0.0, 1.0
    else:
        p0 = check_fraction(reference_error_rate, "reference_error_rate")
        p0 += check_positive(tolerance, "tolerance", allow_zero=True)
        target = check_fraction(p0, "reference_error_rate + tolerance")
        kept["statistic"] = 1.0 - kept["accuracy"]
        n = float(kept["n"].median()) if len(kept) else 1.0
        sigma = float(np.sqrt(target * (1 - target) / n))
    if kept.empty:
        for column in ("ewma", "lower", "upper"):
            kept[column] = np.array([], dtype=float)
        kept["alarm"] = np.array([], dtype=bool)
        return kept
    chart = ewma_chart(kept["statistic"].to_numpy(float), target, sigma, lam=lam, L=L)
    kept["ewma"], kept["lower"], kept["upper"] = (
        chart.statistic,
        chart.lower,
        chart.upper,
    )
    above = kept["ewma"] > kept["upper"]
    kept["alarm"] = (
        above | (kept["ewma"] < kept["lower"]) if watch == "calibration" else above
    )
    return kept
