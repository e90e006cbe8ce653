"""Scoring change-point alarms against human annotations, as TCPDBench does.

Taught in the lab notebook after 03 ("Alarms you can trust"). The F1 score of
G. J. J. van den Burg and C. K. I. Williams (2020), "An Evaluation of Change Point
Detection Algorithms" (arXiv:2003.06222), computed as the Turing Change Point
Benchmark does (TCPDBench, ``analysis/scripts/metrics.py``), so the course's numbers
can stand beside the paper's (its second metric is in
:mod:`~modelmaint.alarms.covering`). Its conventions, kept here:

* change points are 0-based indices, and index 0 is added to every annotator's set
  and to the predictions (the start of a series always starts a segment);
* an annotated point is matched (a true positive) if a prediction lies within
  ``margin`` points of it; each prediction serves at most one annotated point: each
  annotated point in turn takes its nearest free prediction (the smaller on a tie),
  visiting the points in Python-set order as TCPDBench does (the order matters only
  when two annotated points compete for one prediction);
* precision = matched points of the union of all annotations / number of
  predictions; recall = mean over annotators of each one's matched share;
  F1 = 2PR / (P + R).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from modelmaint._validation import check_bool, check_int
from modelmaint.alarms._shared import _annotators, _points

__all__ = [
    "ChangePointScore",
    "f_measure",
    "score_changepoints",
    "true_positives",
]


@dataclass(frozen=True)
class ChangePointScore:
    """Precision, recall and F1 of predicted change points (TCPDBench's definitions).

    Made by :func:`score_changepoints`.

    Parameters
    ----------
    precision : float
        Share of predictions (with 0) that match an annotated point.
    recall : float
        Mean over annotators of the share of their points (with 0) matched.
    f1 : float
        2 · precision · recall / (precision + recall).

    Examples
    --------
    >>> s = score_changepoints([[10]], [10, 30])  # 0 and 10 match; 30 does not
    >>> round(s.precision, 4), s.recall, round(s.f1, 4)
    (0.6667, 1.0, 0.8)
    """

    precision: float
    recall: float
    f1: float


def _match(annotated: set[int], predicted: set[int], margin: int) -> set[int]:
    """TCPDBench's ``true_positives``: the annotated points matched, no double use."""
    free = set(predicted)
    matched = set()
    for tau in annotated:
        close = sorted((abs(tau - x), x) for x in free if abs(tau - x) <= margin)
        if close:
            matched.add(tau)
            free.remove(close[0][1])
    return matched


def true_positives(annotated: Any, predicted: Any, margin: int = 5) -> set[int]:
    """Annotated points with a prediction within ``margin``, each prediction used once.

    Parameters
    ----------
    annotated, predicted : iterable of int
        Change points (0-based indices >= 0); nothing is added here.
    margin : int, default 5
        Largest distance of a match, >= 0.

    Returns
    -------
    set of int
        The matched annotated points.

    Examples
    --------
    >>> sorted(true_positives({1, 10, 20, 23}, {3, 8, 20}))
    [1, 10, 20]
    >>> sorted(true_positives({1, 10, 20, 23}, {1, 3, 5, 8, 20}))
    [1, 10, 20]
    """
    margin = check_int(margin, "margin", minimum=0)
    return _match(
        set(_points(annotated, "annotated")),
        set(_points(predicted, "predicted")),
        margin,
    )


def score_changepoints(
    annotations: Mapping[Any, Iterable[int]] | list[Iterable[int]],
    predictions: Iterable[int],
    *,
    margin: int = 5,
) -> ChangePointScore:
    """Precision, recall and F1 of predicted change points against annotators.

    Parameters
    ----------
    annotations : dict of annotator -> list of int, or list of lists of int
        Each annotator's change points (0-based); an empty list is allowed.
    predictions : iterable of int
        The detector's change points (0-based).
    margin : int, default 5
        Largest distance between a prediction and the annotated point it matches.

    Returns
    -------
    ChangePointScore

    Examples
    --------
    >>> s = score_changepoints({1: [], 2: [10], 3: [50]}, [10])
    >>> s.precision, round(s.recall, 4), round(s.f1, 4)  # recall (1 + 1 + 1/2) / 3
    (1.0, 0.8333, 0.9091)
    """
    margin = check_int(margin, "margin", minimum=0)
    per_annotator = []
    for _, pts in _annotators(annotations):
        tk = set(pts)
        tk.add(0)
        per_annotator.append(tk)
    predicted = set(_points(predictions, "predictions"))
    predicted.add(0)
    union: set[int] = set()
    for tk in per_annotator:
        for tau in tk:
            union.add(tau)
    precision = len(_match(union, predicted, margin)) / len(predicted)
    n = len(per_annotator)
    recall = (
        1
        / n
        * sum(len(_match(tk, predicted, margin)) / len(tk) for tk in per_annotator)
    )
    f1 = precision * recall / (0.5 * recall + 0.5 * precision)
    return ChangePointScore(precision, recall, f1)


def f_measure(
    annotations: Mapping[Any, Iterable[int]] | list[Iterable[int]],
    predictions: Iterable[int],
    margin: int = 5,
    *,
    return_pr: bool = False,
) -> float | tuple[float, float, float]:
    """F1 of predicted change points (TCPDBench's ``f_measure``).

    Parameters
    ----------
    annotations, predictions, margin
        As in :func:`score_changepoints`.
    return_pr : bool, default False
        Return ``(f1, precision, recall)`` instead of ``f1``.

    Returns
    -------
    float or (float, float, float)

    Examples
    --------
    >>> f_measure({1: [10, 20], 2: [11, 20], 3: [10], 4: [0, 5]}, [10, 20])
    1.0
    >>> f_measure({1: [], 2: [10], 3: [50]}, [])
    0.8
    """
    return_pr = check_bool(return_pr, "return_pr")
    s = score_changepoints(annotations, predictions, margin=margin)
    return (s.f1, s.precision, s.recall) if return_pr else s.f1
