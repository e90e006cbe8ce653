"""Measuring weights: the sparsity of arrays or of a model, per layer, distinct values.

Taught in notebooks 07 (how much did pruning zero?) and 08 (weight sharing: how many
distinct values are left after clustering?). Plain NumPy on arrays; a Keras model's
kernels are read by name, unwrapping the tfmot wrappers. Importable from
:mod:`~modelmaint.compress.pruning` too, their former home.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from modelmaint._validation import InputTypeError, as_array
from modelmaint.compress._common import as_weights, kernels

__all__ = ["count_unique_weights", "layer_sparsity", "sparsity"]


def sparsity(model_or_weights: Any) -> float:
    """Fraction of weights exactly zero: kernels of a Keras model, or given arrays.

    Taught in notebooks 07, 08.

    Biases are left out for a model (pruning never touches them). For a list of
    arrays, every element of every array counts.

    Parameters
    ----------
    model_or_weights : tf_keras model, array-like or list of array-like
        A model (its kernels count), one array of weights (not 0-D), or a list of
        arrays (or of numbers), all finite.

    Returns
    -------
    float
        Number of zeros over number of weights, in [0, 1].

    Examples
    --------
    >>> sparsity(np.array([[0.0, 1.0], [0.0, -2.0]]))
    0.5
    >>> sparsity([np.zeros(3), np.ones(1)])
    0.75
    """
    if hasattr(model_or_weights, "layers"):
        arrays = list(kernels(model_or_weights).values())
        if not arrays:
            raise ValueError("model_or_weights has no kernel weights to measure")
    elif isinstance(model_or_weights, (list, tuple)):
        if len(model_or_weights) == 0:
            raise ValueError("model_or_weights must not be empty; got 0 arrays")
        arrays = [as_array(w, "model_or_weights") for w in model_or_weights]
    else:
        arrays = [as_weights(model_or_weights, "model_or_weights")]
    total = sum(a.size for a in arrays)
    zeros = sum(int(np.count_nonzero(a == 0)) for a in arrays)
    return zeros / total


def layer_sparsity(model: Any) -> dict[str, float]:
    """Fraction of zero kernel weights of each layer that has a kernel.

    Taught in notebook 07.

    Parameters
    ----------
    model : tf_keras model
        Plain or wrapped by tfmot (pruning, clustering).

    Returns
    -------
    dict of str to float
        Layer name to the fraction of its kernel that is 0.

    Examples
    --------
    >>> from modelmaint.compress import build_cnn
    >>> sorted(layer_sparsity(build_cnn()).items())
    [('conv1', 0.0), ('conv2', 0.0), ('dense', 0.0), ('output', 0.0)]
    """
    if not hasattr(model, "layers"):
        raise InputTypeError(f"model must be a Keras model; got {type(model).__name__}")
    return {name: float(np.mean(k == 0)) for name, k in kernels(model).items()}


def count_unique_weights(model: Any) -> dict[str, int]:
    """Number of distinct values in each layer's kernel (weight sharing shows here).

    Taught in notebook 08.

    Parameters
    ----------
    model : tf_keras model
        Plain or wrapped by tfmot (pruning, clustering).

    Returns
    -------
    dict of str to int
        Layer name to the number of distinct values in its kernel.

    Examples
    --------
    >>> from modelmaint.compress import build_cnn
    >>> counts = count_unique_weights(build_cnn())
    >>> counts["conv1"]  # 3 * 3 * 1 * 16 random weights, all different
    144
    """
    if not hasattr(model, "layers"):
        raise InputTypeError(f"model must be a Keras model; got {type(model).__name__}")
    return {name: int(np.unique(k).size) for name, k in kernels(model).items()}
