"""Updating a model with new data, and judging it fairly: test, then train.

Taught in notebook 05 (seeds 000 §3.3, §4.3; 002 §3.2, §4.2; 004 §3.1) and reused by
the capstone, notebook 12 (all §5). A model that learns from a stream must be scored on
each example *before* it learns from it - prequential, or test-then-train, evaluation -
otherwise it is graded on answers it has already seen. And in a deployed stream the
answer comes late: a loan's outcome is known days after the decision, so a learner, a
monitor or a retraining policy may only use the labels that have arrived.

* :mod:`~modelmaint.online.prequential` - :func:`prequential`: an incremental model
  (``partial_fit``) over a stream, batch by batch: predict, then learn each label
  ``label_delay`` rows later;
* :mod:`~modelmaint.online.policies` - :func:`replay_policy`, :func:`never`,
  :func:`every`: a day-indexed stream replayed under a *retraining policy*; each day
  is scored by the model in service, then the policy, which sees only the labels that
  have arrived, may retrain a fresh model on them;
* :mod:`~modelmaint.online.river` - :class:`RiverClassifier`: a river model (one
  example at a time: Hoeffding trees, online bagging and boosting) behind the
  ``partial_fit`` / ``predict_proba`` interface, so the same evaluation scores both.
"""

from __future__ import annotations

from modelmaint.online.policies import PolicyRun, every, never, replay_policy
from modelmaint.online.prequential import prequential
from modelmaint.online.river import RiverClassifier

__all__ = [
    "PolicyRun",
    "RiverClassifier",
    "every",
    "never",
    "prequential",
    "replay_policy",
]
