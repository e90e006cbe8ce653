"""Pruning from scratch: sparsity of weights, threshold, magnitude, random pruning.

Taught in notebook 07 (seed 001 §3.3, §4.3, 003 §3.1.1.3, 004 §4.4), reused in 08.
The array functions are plain NumPy; :func:`prune_weights` prunes a Keras model's
kernels one by one, without fine-tuning. Pruning *during* fine-tuning with the
TensorFlow Model Optimization Toolkit is
:func:`~modelmaint.compress.finetune.prune_model` (also importable from here).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from modelmaint._validation import check_int, check_one_of, check_positive
from modelmaint.compress._common import as_weights, check_skip, check_sparsity
from modelmaint.compress.finetune import prune_model  # re-exported: its old home
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


def _is_kernel(name: str) -> bool:
    leaf = name.split("/")[-1].split(":")[0]
    return leaf in ("kernel", "depthwise_kernel", "pointwise_kernel")


def _kernels(model: Any) -> dict[str, np.ndarray]:
    """Kernel arrays of a Keras model by layer name (unwrapping tfmot wrappers)."""
    out: dict[str, np.ndarray] = {}
    for layer in model.layers:
        inner = getattr(layer, "layer", layer)
        for var in layer.weights:
            if _is_kernel(var.name) and "quantize" not in var.name.split("/")[-1]:
                out[inner.name] = np.asarray(var.numpy())
                break
    return out


def sparsity(model_or_weights: Any) -> float:
    """Fraction of weights exactly zero: kernels of a Keras model, or given arrays.

    Taught in notebooks 07, 08.

    Biases are left out for a model (pruning never touches them). For a list of
    arrays, every element of every array counts.

    Examples
    --------
    >>> sparsity(np.array([[0.0, 1.0], [0.0, -2.0]]))
    0.5
    >>> sparsity([np.zeros(3), np.ones(1)])
    0.75
    """
    if hasattr(model_or_weights, "layers"):
        arrays = list(_kernels(model_or_weights).values())
        if not arrays:
            raise ValueError("model_or_weights has no kernel weights to measure")
    elif isinstance(model_or_weights, (list, tuple)):
        if len(model_or_weights) == 0:
            raise ValueError("model_or_weights must not be empty; got 0 arrays")
        arrays = [as_weights(w, "model_or_weights") for w in model_or_weights]
    else:
        arrays = [as_weights(model_or_weights, "model_or_weights")]
    total = sum(a.size for a in arrays)
    zeros = sum(int(np.count_nonzero(a == 0)) for a in arrays)
    return zeros / total


def layer_sparsity(model: Any) -> dict[str, float]:
    """Fraction of zero kernel weights of each layer that has a kernel.

    Taught in notebook 07.

    Examples
    --------
    >>> from modelmaint.compress import build_cnn
    >>> sorted(layer_sparsity(build_cnn()).items())
    [('conv1', 0.0), ('conv2', 0.0), ('dense', 0.0), ('output', 0.0)]
    """
    if not hasattr(model, "layers"):
        raise ValueError(f"model must be a Keras model; got {type(model).__name__}")
    return {name: float(np.mean(k == 0)) for name, k in _kernels(model).items()}


def count_unique_weights(model: Any) -> dict[str, int]:
    """Number of distinct values in each layer's kernel (weight sharing shows here).

    Taught in notebook 08.

    Examples
    --------
    >>> from modelmaint.compress import build_cnn
    >>> counts = count_unique_weights(build_cnn())
    >>> counts["conv1"]  # 3 * 3 * 1 * 16 random weights, all different
    144
    """
    if not hasattr(model, "layers"):
        raise ValueError(f"model must be a Keras model; got {type(model).__name__}")
    return {name: int(np.unique(k).size) for name, k in _kernels(model).items()}


# --------------------------------------------------------------------------- pruning


def threshold_prune(weights: Any, tau: float) -> np.ndarray:
    r"""Seed 001 §3.3: :math:`w \leftarrow 0` if :math:`|w| < \tau`, else unchanged.

    Taught in notebook 07.

    Parameters
    ----------
    weights : array-like
        Any shape; a copy is returned.
    tau : float
        Threshold (>= 0). Weights with ``|w| < tau`` become 0.

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
        if not weights or not any(_is_kernel(v.name) for v in layer.weights):
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
