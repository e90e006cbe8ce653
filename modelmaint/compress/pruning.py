"""Pruning from scratch: threshold, magnitude and random pruning of weights.

Taught in notebook 07 (seed 001 §3.3, §4.3, 003 §3.1.1.3, 004 §4.4), reused in 08.
The array functions are plain NumPy; :func:`prune_weights` prunes a Keras model's
kernels one by one, without fine-tuning. Pruning *during* fine-tuning with the
TensorFlow Model Optimization Toolkit is
:func:`~modelmaint.compress.finetune.prune_model`, and measuring sparsity is
:mod:`~modelmaint.compress.measure` (both also importable from here).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from modelmaint._validation import check_int, check_one_of, check_positive
from modelmaint.compress._common import (
    as_weights,
    check_skip,
    check_sparsity,
    is_kernel,
)
from modelmaint.compress.finetune import prune_model  # re-exported: its old home
from modelmaint.compress.measure import count_unique_weights, layer_sparsity, sparsity
from modelmaint.compress.models import clone_model

__all__ = [
    "count_unique_weights",
    "layer_sparsity",
    "magnitude_prune",
    "magnitude_threshold",
    "prune_model",
    "prune_weights",
    "random_prune",
    "sparsity",
    "threshold_prune",
]


# --------------------------------------------------------------------------- pruning


def threshold_prune(weights: Any, tau: float) -> np.ndarray:
    r"""Seed 001 §3.3: :math:`w \leftarrow 0` if :math:`|w| < \tau`, else unchanged.

    Taught in notebook 07.

    Parameters
    ----------
    weights : array-like
        Finite, any shape but 0-D; a copy is returned.
    tau : float
        Threshold (>= 0). Weights with ``|w| < tau`` become 0.

    Returns
    -------
    numpy.ndarray
        The pruned copy (float64), shaped like ``weights``.

    Examples
    --------
    >>> threshold_prune([0.5, -0.05, 0.1, -2.0], tau=0.1)
    array([ 0.5,  0. ,  0.1, -2. ])
    """
    arr = as_weights(weights)
    tau = check_positive(tau, "tau", allow_zero=True)
    return np.where(np.abs(arr) < tau, 0.0, arr)


def magnitude_threshold(weights: Any, target_sparsity: float) -> float:
    """The threshold τ that zeroes a fraction ``target_sparsity`` of ``weights``.

    Taught in notebook 07.

    τ is the ``k``-th smallest ``|w|`` with ``k = round(target_sparsity * n)``, so
    that exactly ``k`` weights satisfy ``|w| < τ`` when the magnitudes are distinct.

    Parameters
    ----------
    weights : array-like
        Finite, any shape but 0-D.
    target_sparsity : float
        Fraction of weights to zero, in [0, 1).

    Returns
    -------
    float
        τ, for :func:`threshold_prune` (0.0 when nothing is to be pruned).

    Examples
    --------
    >>> w = np.array([0.4, -0.1, 0.3, -0.2, 0.5])
    >>> magnitude_threshold(w, 0.4)
    0.3
    >>> float(np.mean(threshold_prune(w, magnitude_threshold(w, 0.4)) == 0))
    0.4
    """
    arr = as_weights(weights)
    target_sparsity = check_sparsity(target_sparsity)
    mags = np.sort(np.abs(arr).ravel())
    k = int(round(target_sparsity * mags.size))
    if k == 0:
        return 0.0
    if k >= mags.size:
        return float(np.nextafter(mags[-1], np.inf))
    return float(mags[k])


def magnitude_prune(weights: Any, target_sparsity: float) -> np.ndarray:
    """Zero the ``target_sparsity`` fraction of smallest-magnitude weights.

    Taught in notebook 07.

    Exactly ``round(target_sparsity * n)`` weights become 0 (ties broken by position).

    Parameters
    ----------
    weights : array-like
        Finite, any shape but 0-D.
    target_sparsity : float
        Fraction of weights to zero, in [0, 1).

    Returns
    -------
    numpy.ndarray
        The pruned copy (float64), shaped like ``weights``.

    Examples
    --------
    >>> magnitude_prune([[0.4, -0.1], [0.3, -0.2]], 0.5)
    array([[0.4, 0. ],
           [0.3, 0. ]])
    """
    arr = as_weights(weights)
    target_sparsity = check_sparsity(target_sparsity)
    k = int(round(target_sparsity * arr.size))
    out = arr.copy().ravel()
    if k:
        out[np.argsort(np.abs(out), kind="stable")[:k]] = 0.0
    return out.reshape(arr.shape)


def random_prune(weights: Any, target_sparsity: float, seed: int = 0) -> np.ndarray:
    """Zero a random ``target_sparsity`` fraction of weights (003 §3.1.1.3 "random").

    Taught in notebook 07.

    Parameters
    ----------
    weights : array-like
        Finite, any shape but 0-D.
    target_sparsity : float
        Fraction of weights to zero, in [0, 1): ``round(target_sparsity * n)``.
    seed : int, default 0
        Seed of the choice (>= 0).

    Returns
    -------
    numpy.ndarray
        The pruned copy (float64), shaped like ``weights``.

    Examples
    --------
    >>> w = np.arange(1.0, 11.0)
    >>> pruned = random_prune(w, 0.3, seed=0)
    >>> int(np.sum(pruned == 0)), set(pruned[pruned != 0]) <= set(w)
    (3, True)
    """
    arr = as_weights(weights)
    target_sparsity = check_sparsity(target_sparsity)
    seed = check_int(seed, "seed", minimum=0)
    k = int(round(target_sparsity * arr.size))
    out = arr.copy().ravel()
    rng = np.random.default_rng(seed)
    out[rng.choice(out.size, size=k, replace=False)] = 0.0
    return out.reshape(arr.shape)


def prune_weights(
    model: Any,
    target_sparsity: float,
    *,
    method: str = "magnitude",
    seed: int = 0,
    skip: Sequence[str] = (),
) -> Any:
    """A pruned copy of ``model``: each kernel pruned on its own, no fine-tuning.

    Taught in notebook 07.

    Parameters
    ----------
    model : tf_keras model
    target_sparsity : float
        Fraction of each kernel set to 0, in [0, 1).
    method : {"magnitude", "random"}
    seed : int
        Seed of random pruning (layer ``i`` uses ``seed + i``).
    skip : sequence of str, default ()
        Names of layers left unpruned.

    Returns
    -------
    tf_keras model
        A pruned copy (``model`` is unchanged), compiled like ``build_cnn``.

    Examples
    --------
    >>> from modelmaint.compress import build_cnn
    >>> pruned = prune_weights(build_cnn(), 0.5)
    >>> round(sparsity(pruned), 3)
    0.5
    """
    target_sparsity = check_sparsity(target_sparsity)
    method = check_one_of(method, "method", ["magnitude", "random"])
    seed = check_int(seed, "seed", minimum=0)
    check_skip(model, skip)
    copy = clone_model(model)
    for i, layer in enumerate(copy.layers):
        weights = layer.get_weights()
        if not weights or not any(is_kernel(v.name) for v in layer.weights):
            continue
        if layer.name in skip:
            continue
        kernel = weights[0]
        if method == "magnitude":
            weights[0] = magnitude_prune(kernel, target_sparsity)
        else:
            weights[0] = random_prune(kernel, target_sparsity, seed=seed + i)
        layer.set_weights([w.astype(np.float32) for w in weights])
    return copy
