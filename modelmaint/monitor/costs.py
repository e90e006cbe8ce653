"""What a decision costs: a threshold derived from two costs, and the cost of a window.

Taught in notebook 03 (and used by 04, 05, 11, 12): accuracy at 0.5 is a decision rule,
not a model's quality. A deployed classifier makes a *decision* - reject a loan
application, block a page - and each wrong decision has a price: a false positive
(a good applicant rejected: the margin lost) and a false negative (a defaulter
approved: the principal lost). Measured against perfect foresight, right decisions
cost nothing, so the cost of a window is the money a perfect decision-maker would
have saved. With calibrated probabilities the cheapest rule is a threshold on them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from modelmaint._validation import (
    as_1d,
    as_probabilities,
    check_positive,
    show,
)

__all__ = ["DecisionCosts"]


def _binary(x: Any, name: str, size: int | None = None) -> np.ndarray:
    arr = as_1d(x, name)
    bad = ~np.isin(arr, (0.0, 1.0))
    if bad.any():
        raise ValueError(
            f"{name} must hold 0/1 values; found {show(arr[bad][0])} "
            f"({int(bad.sum())} value(s) not 0 or 1)"
        )
    if size is not None and arr.size != size:
        raise ValueError(f"{name} must have length {size}; got {arr.size}")
    return arr.astype(np.int8)


def _weights(weight: Any, size: int) -> np.ndarray:
    if weight is None:
        return np.ones(size)
    w = as_1d(weight, "weight")
    if w.size != size:
        raise ValueError(f"weight must have length {size}; got {w.size}")
    if (w < 0).any():
        raise ValueError(f"weight must be >= 0; found {show(w[w < 0][0])}")
    return w


@dataclass(frozen=True)
class DecisionCosts:
    """The cost of each kind of wrong decision of a binary classifier.

    The positive class (1) is the one that triggers the action - for the loan stream,
    "default", so a positive decision is a rejection.

    Parameters
    ----------
    false_positive : float
        Cost of deciding 1 when the truth is 0 (> 0), per unit of ``weight``: a good
        applicant rejected loses the margin.
    false_negative : float
        Cost of deciding 0 when the truth is 1 (> 0), per unit of ``weight``: a
        defaulter approved loses the unrecovered principal.

    Examples
    --------
    >>> costs = DecisionCosts(false_positive=0.15, false_negative=0.6)
    >>> costs.threshold
    0.2
    >>> costs.decide([0.1, 0.2, 0.7]).tolist()
    [0, 1, 1]
    >>> costs.cost([0, 1, 1], [1, 0, 1])  # (0.15 + 0.6 + 0) / 3
    0.25
    >>> DecisionCosts(false_positive=0, false_negative=1)
    Traceback (most recent call last):
    ...
    ValueError: false_positive must be > 0; got 0
    """

    false_positive: float
    false_negative: float

    def __post_init__(self) -> None:
        object.__setattr__(
            self,
            "false_positive",
            check_positive(self.false_positive, "false_positive"),
        )
        object.__setattr__(
            self,
            "false_negative",
            check_positive(self.false_negative, "false_negative"),
        )

    @property
    def threshold(self) -> float:
        """Risk at which deciding 1 and 0 cost the same in expectation.

        Deciding 0 costs ``p * false_negative``, deciding 1 costs
        ``(1 - p) * false_positive``: equal at ``fp / (fp + fn)``. With calibrated
        probabilities, ``p >= threshold`` is the cheapest rule.

        Examples
        --------
        >>> DecisionCosts(false_positive=1, false_negative=3).threshold  # 1 / (1 + 3)
        0.25
        """
        total = self.false_positive + self.false_negative
        return round(self.false_positive / total, 12)

    def decide(self, probabilities: Any) -> np.ndarray:
        """The cheapest decision for each row: 1 where ``p >= threshold``.

        Parameters
        ----------
        probabilities : array-like of float, 1-D
            Probabilities of the positive class, in [0, 1].

        Returns
        -------
        numpy.ndarray of int8
            1 (act: reject) or 0 (approve), one per row.

        Examples
        --------
        >>> costs = DecisionCosts(false_positive=1, false_negative=3)
        >>> costs.decide([0.1, 0.25, 0.9])
        array([0, 1, 1], dtype=int8)
        """
        p = as_probabilities(probabilities, "probabilities")
        return (p >= self.threshold).astype(np.int8)

    def row_costs(self, y_true: Any, y_pred: Any, weight: Any = None) -> np.ndarray:
        """The cost of each row's decision (0 where it was right).

        Parameters
        ----------
        y_true, y_pred : array-like of 0/1, 1-D, same length
            Outcomes and decisions.
        weight : array-like of float, optional
            What is at stake in each row (>= 0); 1 if omitted.

        Returns
        -------
        numpy.ndarray
            ``weight * (fp * [pred=1, true=0] + fn * [pred=0, true=1])`` per row: what
            :func:`~modelmaint.monitor.paired_difference` compares between two models.

        Examples
        --------
        >>> DecisionCosts(false_positive=1, false_negative=4).row_costs(
        ...     [0, 1, 1], [1, 0, 1]).tolist()
        [1.0, 4.0, 0.0]
        """
        true = _binary(y_true, "y_true")
        pred = _binary(y_pred, "y_pred", true.size)
        w = _weights(weight, true.size)
        wrong = self.false_positive * ((pred == 1) & (true == 0)) + (
            self.false_negative * ((pred == 0) & (true == 1))
        )
        return w * wrong

    def cost(self, y_true: Any, y_pred: Any, weight: Any = None) -> float:
        """Mean cost per row of the decisions ``y_pred`` given the outcomes ``y_true``.

        Parameters
        ----------
        y_true, y_pred : array-like of 0/1, 1-D, same length
            Outcomes and decisions.
        weight : array-like of float, optional
            What is at stake in each row (e.g. the amount lent, >= 0); 1 if omitted.

        Returns
        -------
        float
            ``mean(weight * (fp * [pred=1, true=0] + fn * [pred=0, true=1]))``.

        Examples
        --------
        >>> costs = DecisionCosts(false_positive=1, false_negative=3)
        >>> costs.cost([0, 1, 1, 0], [1, 0, 1, 0])  # one FP, one FN: (1 + 3) / 4
        1.0
        >>> costs.cost([0, 1], [1, 0], weight=[10, 0])  # only the first row at stake
        5.0
        """
        true = _binary(y_true, "y_true")
        pred = _binary(y_pred, "y_pred", true.size)
        w = _weights(weight, true.size)
        wrong = self.false_positive * ((pred == 1) & (true == 0)) + (
            self.false_negative * ((pred == 0) & (true == 1))
        )
        return float(np.mean(w * wrong))

    def expected_cost(
        self, probabilities: Any, y_pred: Any = None, weight: Any = None
    ) -> float:
        """Mean cost per row that calibrated probabilities promise, without labels.

        A row decided 1 costs ``false_positive`` with probability ``1 - p``, a row
        decided 0 costs ``false_negative`` with probability ``p``: the label-free
        estimate of :meth:`cost` (CBPE for a cost; it trusts the probabilities, so
        it follows covariate drift and misses concept drift).

        Parameters
        ----------
        probabilities : array-like of float, 1-D
            Probabilities of the positive class, in [0, 1].
        y_pred : array-like of 0/1, optional
            The decisions taken; by default the cheapest ones (:meth:`decide`).
        weight : array-like of float, optional
            What is at stake in each row (>= 0); 1 if omitted.

        Returns
        -------
        float

        Examples
        --------
        >>> costs = DecisionCosts(false_positive=0.15, false_negative=0.6)
        >>> round(costs.expected_cost([0.1, 0.5]), 4)  # (0.1 * 0.6 + 0.5 * 0.15) / 2
        0.0675
        """
        p = as_probabilities(probabilities, "probabilities")
        pred = self.decide(p) if y_pred is None else _binary(y_pred, "y_pred", p.size)
        w = _weights(weight, p.size)
        risk = np.where(
            pred == 1, (1 - p) * self.false_positive, p * self.false_negative
        )
        return float(np.mean(w * risk))
