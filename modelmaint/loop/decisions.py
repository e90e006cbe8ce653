"""Decisions of the maintenance loop: when to retrain, and whether to release.

Part of :mod:`modelmaint.loop` (notebook 12): :class:`AlarmPolicy` (a retraining
policy for :func:`modelmaint.online.replay_policy`) and :func:`release_gate`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from modelmaint._validation import (
    check_fraction,
    check_int,
    check_one_of,
    check_positive,
)
from modelmaint.loop._stream import (
    check_binary,
    check_model_input,
    check_targets,
    row_losses,
)
from modelmaint.loop.charts import label_chart
from modelmaint.monitor import DecisionCosts, PairedDifference, paired_difference

__all__ = ["AlarmPolicy", "GateDecision", "release_gate"]


class AlarmPolicy:
    """Retrain when the model in service goes out of control on its labelled days.

    A stateful policy for :func:`modelmaint.online.replay_policy`: called at the end
    of each day as ``policy(day, history)``. ``history`` has one row per scored day;
    its label-based columns are NaN until the day's labels have arrived, so the
    policy needs no label delay of its own: it charts (:func:`label_chart`) the
    labelled days the *current* model scored (after its last retraining).

    With ``watch="calibration"`` (default) it charts the standardized calibration
    gap: it stays quiet when only the inputs move and the model stays calibrated
    (covariate drift), and fires when the rule changes (concept drift). With
    ``watch="error"`` it charts the error rate against ``reference_error_rate`` for
    the first model and, after each retraining, the new model's own error over its
    first ``calibration_days`` labelled days (a phase I, notebook 02).

    Drift and data-quality alarms are deliberately not triggers: moved inputs do not
    say the model got worse, and broken data must be repaired, never trained on.
    ``alarms`` and ``retrains`` record the days. ``follow_up`` (days) retrains once
    more that long after each alarm-triggered retraining, when the training window
    holds only data labelled after the change.

    Parameters
    ----------
    watch : {"calibration", "error"}, default "calibration"
        What to chart.
    reference_error_rate : float, optional
        The first model's error rate before deployment (for ``watch="error"``).
    tolerance : float, default 0.0
        A rise of the error rate the business accepts (``watch="error"``).
    calibration_days : int, default 5
        Labelled days a new model first spends before it can be charted: with
        ``watch="error"`` they set its own baseline, with ``"calibration"`` they are
        a burn-in (a model retrained on a window that straddles a change is
        miscalibrated for a while; the policy does not retrain it every day).
    lam, L : float
        EWMA weight and limit width.
    follow_up : int, optional
        Days after an alarm-triggered retraining at which to retrain once more.

    Examples
    --------
    >>> history = pd.DataFrame({"day": range(30, 60), "n": 150,
    ...     "positive_rate": [0.2] * 15 + [0.35] * 15, "mean_predicted": 0.2,
    ...     "predicted_sd": 0.033, "accuracy": 0.8})
    >>> policy = AlarmPolicy()
    >>> [d for d in range(30, 60) if policy(d, history[history.day <= d])][0]
    46

    The gap opened on day 45; the chart is sure on day 46. (This history never
    changes, so the retrained "model" keeps failing and the policy fires again after
    each new model's first ``calibration_days`` labelled days.)
    """

    def __init__(
        self,
        *,
        watch: str = "calibration",
        reference_error_rate: float | None = None,
        tolerance: float = 0.0,
        calibration_days: int = 5,
        lam: float = 0.2,
        L: float = 3.0,
        follow_up: int | None = None,
    ) -> None:
        self.watch = check_one_of(watch, "watch", ("calibration", "error"))
        if watch == "error" and reference_error_rate is None:
            raise ValueError('reference_error_rate is needed for watch="error"')
        self.reference_error_rate = (
            None
            if reference_error_rate is None
            else check_fraction(reference_error_rate, "reference_error_rate")
        )
        self.tolerance = check_positive(tolerance, "tolerance", allow_zero=True)
        self.calibration_days = check_int(
            calibration_days, "calibration_days", minimum=1
        )
        check_fraction(lam, "lam", include_high=True)
        self.lam, self.L = lam, check_positive(L, "L")
        self.follow_up = (
            None if follow_up is None else check_int(follow_up, "follow_up", minimum=1)
        )
        self.alarms: list[int] = []
        self.retrains: list[int] = []
        self._due: int | None = None

    def _baseline(self, seen: pd.DataFrame) -> tuple[pd.DataFrame, float] | None:
        if not self.retrains:
            base = self.reference_error_rate
            return seen, float("nan") if base is None else float(base)
        if len(seen) <= self.calibration_days:  # phase I / burn-in of the new model
            return None
        first = seen.iloc[: self.calibration_days]
        p0 = float(np.average(1 - first["accuracy"], weights=first["n"]))
        return seen.iloc[self.calibration_days :], p0

    def __call__(self, day: int, history: pd.DataFrame) -> bool:
        if self._due is not None and day >= self._due:
            self._due = None
            self.retrains.append(int(day))
            return True
        since = self.retrains[-1] if self.retrains else -1
        needed = "accuracy" if self.watch == "error" else "positive_rate"
        seen = history[(history["day"] > since) & history[needed].notna()]
        if seen.empty:
            return False
        base = self._baseline(seen)
        if base is None:
            return False
        seen, p0 = base
        if self.watch == "error":
            n = float(seen["n"].median())
            p0 = min(max(p0, 1.0 / n), 1 - 1.0 / n - self.tolerance)
            chart = label_chart(
                seen, watch="error", reference_error_rate=p0,
                tolerance=self.tolerance, lam=self.lam, L=self.L,
            )  # fmt: skip
        else:
            chart = label_chart(seen, watch="calibration", lam=self.lam, L=self.L)
        if len(chart) and bool(chart["alarm"].iloc[-1]):
            self.alarms.append(int(day))
            self.retrains.append(int(day))
            if self.follow_up is not None:
                self._due = int(day) + self.follow_up
            return True
        return False


@dataclass(frozen=True, kw_only=True)
class GateDecision:
    """A release gate's verdict: both models on the same rows, and the gain's interval.

    Parameters
    ----------
    loss : str
        What was compared: ``"log_loss"``, ``"cost"``, ``"error"`` or
        ``"squared_error"``.
    candidate_loss, current_loss : float
        Mean loss per row of each model on the held-out rows.
    gain : PairedDifference
        ``current - candidate`` per row, with its paired bootstrap interval.
    min_gain : float
        The gain the interval's lower end must exceed.
    passed : bool
        True when ``gain.low > min_gain``.
    reason : str
        The verdict in a sentence.

    Examples
    --------
    >>> from modelmaint.monitor import PairedDifference
    >>> gain = PairedDifference(mean=0.05, low=0.02, high=0.08, confidence=0.95,
    ...                         n_rows=300, n_groups=300)
    >>> GateDecision(loss="log_loss", candidate_loss=0.40, current_loss=0.45,
    ...              gain=gain, min_gain=0.0, passed=True, reason="passes").passed
    True
    """

    loss: str
    candidate_loss: float
    current_loss: float
    gain: PairedDifference
    min_gain: float
    passed: bool
    reason: str


def release_gate(
    candidate: Any,
    current: Any,
    X: Any,
    y: Any,
    *,
    loss: str = "log_loss",
    costs: DecisionCosts | None = None,
    weight: Any = None,
    min_gain: float = 0.0,
    groups: Any = None,
    n_resamples: int = 2000,
    seed: int = 0,
) -> GateDecision:
    """Let ``candidate`` replace ``current`` only if it is better on the same rows.

    Both models score the same held-out recent rows; the per-row losses are paired
    and the gain ``current - candidate`` gets a 95 % paired bootstrap interval
    (:func:`~modelmaint.monitor.paired_difference`). The candidate passes only when
    the whole interval lies above ``min_gain``: a gain the interval cannot tell
    from zero is noise, and the gate refuses it.

    Parameters
    ----------
    candidate, current : fitted models
        With ``predict_proba`` (``loss="log_loss"`` or ``"cost"``) or ``predict``
        (``loss="error"`` or ``"squared_error"``).
    X : array-like or DataFrame
        Held-out rows neither model was trained on (an array: finite numbers; a
        DataFrame is passed to the models as it is).
    y : array-like
        Their labels (0/1), or targets for ``loss="squared_error"``, one per row.
    loss : {"log_loss", "cost", "error", "squared_error"}, default "log_loss"
        Per-row loss: log loss, the cost of the cheapest decision under ``costs``,
        the 0/1 error, or a regressor's squared error (then ``y`` holds any finite
        targets and the models need only ``predict``).
    costs : DecisionCosts, optional
        Needed for ``loss="cost"``.
    weight : array-like, optional
        What is at stake per row, for ``loss="cost"``.
    min_gain : float, default 0.0
        Gain (in loss units per row) the interval's lower end must exceed (>= 0).
    groups : array-like, optional
        Resample whole groups (e.g. days) instead of rows.
    n_resamples, seed : int
        Bootstrap resamples and seed.

    Returns
    -------
    GateDecision

    Examples
    --------
    >>> from sklearn.dummy import DummyClassifier
    >>> from sklearn.linear_model import LogisticRegression
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(600, 1)); y = (X[:, 0] + rng.normal(size=600) > 0) * 1
    >>> good = LogisticRegression().fit(X[:300], y[:300])
    >>> prior = DummyClassifier().fit(X[:300], y[:300])
    >>> release_gate(good, prior, X[300:], y[300:]).passed
    True
    >>> release_gate(prior, good, X[300:], y[300:]).passed
    False
    """
    loss = check_one_of(loss, "loss", ("log_loss", "cost", "error", "squared_error"))
    if loss == "cost" and not isinstance(costs, DecisionCosts):
        raise TypeError(f"costs must be a DecisionCosts for loss='cost'; got {costs!r}")
    min_gain = check_positive(min_gain, "min_gain", allow_zero=True)
    for model, name in ((candidate, "candidate"), (current, "current")):
        if not hasattr(model, "predict"):
            raise TypeError(
                f"{name} must be a fitted model; got {type(model).__name__}"
            )
    n_rows = check_model_input(X, "X")
    if loss == "squared_error":  # a regressor's targets: any finite numbers
        y = check_targets(y, "y", n_rows, "X")
    else:
        y = check_binary(y, "y", n_rows, "X")
    new = row_losses(candidate, "candidate", X, y, loss, costs, weight)
    old = row_losses(current, "current", X, y, loss, costs, weight)
    gain = paired_difference(
        old, new, groups=groups, n_resamples=n_resamples, seed=seed
    )
    passed = gain.low > min_gain
    verdict = "passes" if passed else "refused"
    reason = (
        f"{verdict}: {loss} {new.mean():.4f} (candidate) vs {old.mean():.4f} "
        f"(current); gain {gain.mean:+.4f}, 95 % interval [{gain.low:+.4f}, "
        f"{gain.high:+.4f}] {'above' if passed else 'not above'} {min_gain:g}"
    )
    return GateDecision(
        loss=loss, candidate_loss=float(new.mean()), current_loss=float(old.mean()),
        gain=gain, min_gain=min_gain, passed=passed, reason=reason,
    )  # fmt: skip
