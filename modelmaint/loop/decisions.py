"""Decisions of the maintenance loop: when to retrain, and whether to release.

Part of :mod:`modelmaint.loop` (notebook 12): :class:`AlarmPolicy` (a retraining
policy for :func:`modelmaint.online.replay_policy`) and :func:`release_gate`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from modelmaint._validation import check_fraction, check_int, check_positive
from modelmaint.control import ewma_chart

__all__ = ["AlarmPolicy", "GateDecision", "release_gate"]


class AlarmPolicy:
    """Retrain when the *current* model's labelled error rate goes out of control.

    A stateful policy for :func:`modelmaint.online.replay_policy`: called at the end
    of each day as ``policy(day, history)``, where ``history`` has one row per
    scored day (``day``, ``n``, ``accuracy``). On day ``d`` it sees only the days
    whose labels have arrived (``<= d - label_delay``) and that the current model
    scored (after its last retraining). The chart is an upper EWMA on the daily
    error rate. Its centre is ``reference_error_rate`` for the first model and,
    after each retraining, the new model's own error over its first
    ``calibration_days`` labelled days (a phase I, as in notebook 02): a new model
    needs a new baseline, and its labels come ``label_delay`` days late. The chart
    watches for a rate above the baseline plus ``tolerance`` (see
    :func:`~modelmaint.loop.daily_monitor`).

    Drift and data-quality alarms are deliberately not triggers: drift of the
    inputs does not say the model got worse, and broken data must be repaired,
    never trained on. ``alarms`` and ``retrains`` record the days.

    An alarm usually comes some days after a change, so the first retraining learns
    from a window that still straddles it, and that model's baseline may then accept
    a level it could beat. ``follow_up`` (in days, e.g. the training window's length)
    retrains once more that many days after each alarm-triggered retraining, when
    the window holds only data labelled after the alarm.

    Examples
    --------
    >>> history = pd.DataFrame({"day": range(30, 60), "n": 150,
    ...                         "accuracy": [0.85] * 15 + [0.70] * 15})
    >>> policy = AlarmPolicy(reference_error_rate=0.15, label_delay=5)
    >>> [d for d in range(30, 60) if policy(d, history[history.day <= d])]
    [50]
    >>> policy.alarms
    [50]
    >>> policy = AlarmPolicy(reference_error_rate=0.15, label_delay=5, follow_up=6)
    >>> [d for d in range(30, 60) if policy(d, history[history.day <= d])]
    [50, 56]
    """

    def __init__(
        self,
        *,
        reference_error_rate: float,
        tolerance: float = 0.0,
        label_delay: int = 7,
        calibration_days: int = 5,
        lam: float = 0.2,
        L: float = 3.0,
        follow_up: int | None = None,
    ) -> None:
        self.reference_error_rate = check_fraction(
            reference_error_rate, "reference_error_rate"
        )
        self.tolerance = check_positive(tolerance, "tolerance", allow_zero=True)
        self.label_delay = check_int(label_delay, "label_delay", minimum=0)
        self.calibration_days = check_int(
            calibration_days, "calibration_days", minimum=1
        )
        self.lam, self.L = lam, check_positive(L, "L")
        self.follow_up = (
            None if follow_up is None else check_int(follow_up, "follow_up", minimum=1)
        )
        self.alarms: list[int] = []
        self.retrains: list[int] = []
        self._due: int | None = None

    def __call__(self, day: int, history: pd.DataFrame) -> bool:
        if self._due is not None and day >= self._due:
            self._due = None
            self.retrains.append(int(day))
            return True
        since = self.retrains[-1] if self.retrains else -1
        seen = history[
            (history["day"] <= day - self.label_delay) & (history["day"] > since)
        ]
        if len(seen) == 0:
            return False
        errors = 1.0 - seen["accuracy"].to_numpy(dtype=float)
        n = float(seen["n"].median())
        if self.retrains:  # phase I of the new model: its own baseline first
            if len(seen) <= self.calibration_days:
                return False
            p0 = float(
                np.average(
                    errors[: self.calibration_days],
                    weights=seen["n"].to_numpy()[: self.calibration_days],
                )
            )
            errors = errors[self.calibration_days :]
        else:
            p0 = self.reference_error_rate
        p0 = min(max(p0 + self.tolerance, 1.0 / n), 1 - 1.0 / n)
        chart = ewma_chart(
            errors, p0, np.sqrt(p0 * (1 - p0) / n), lam=self.lam, L=self.L
        )
        if chart.statistic[-1] > chart.upper[-1]:
            self.alarms.append(int(day))
            self.retrains.append(int(day))
            if self.follow_up is not None:
                self._due = int(day) + self.follow_up
            return True
        return False


@dataclass(frozen=True)
class GateDecision:
    """A release gate's verdict: both scores on the same recent window, and why."""

    candidate_score: float
    current_score: float
    min_gain: float
    passed: bool
    reason: str


def release_gate(
    candidate: Any, current: Any, X: Any, y: Any, *, min_gain: float = 0.0
) -> GateDecision:
    """Let ``candidate`` replace ``current`` only if it scores higher on ``(X, y)``.

    Both models are scored with their own ``score`` method (accuracy for a
    scikit-learn classifier) on the same held-out recent window; the candidate
    passes when its score exceeds the current model's by more than ``min_gain``.

    Examples
    --------
    >>> from sklearn.dummy import DummyClassifier
    >>> X, y = [[0], [1], [2], [3]], [0, 1, 1, 1]
    >>> ones = DummyClassifier(strategy="constant", constant=1).fit(X, y)
    >>> zeros = DummyClassifier(strategy="constant", constant=0).fit(X, y)
    >>> release_gate(ones, zeros, X, y).passed, release_gate(zeros, ones, X, y).passed
    (True, False)
    """
    min_gain = check_positive(min_gain, "min_gain", allow_zero=True)
    for model, name in ((candidate, "candidate"), (current, "current")):
        if not hasattr(model, "score"):
            raise ValueError(
                f"{name} must have a score method; got {type(model).__name__}"
            )
    new, old = float(candidate.score(X, y)), float(current.score(X, y))
    passed = new - old > min_gain
    verb = "beats" if passed else "does not beat"
    reason = f"candidate {new:.3f} {verb} current {old:.3f} by more than {min_gain:.3f}"
    return GateDecision(new, old, min_gain, passed, reason)
