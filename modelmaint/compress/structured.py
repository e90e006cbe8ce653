"""Structured pruning: remove whole units and filters, get a smaller dense model.

Taught in notebook 07 (seed 000 §3.4, 001 §3.3 and 003 §3.2.1.2 name removing
neurons or filters, "structure compression"). Unstructured pruning zeroes single
weights: the arrays keep their shapes, so a dense kernel still multiplies every
zero. Structured pruning ranks whole output units of a ``Dense`` layer (or filters of
a ``Conv2D``) by the norm of their incoming weights, keeps the largest, and builds a
*narrower* model: smaller arrays, fewer multiply-adds, a smaller file — and, unlike
zeros, a faster model on any runtime.

Removing unit ``j`` of a layer also removes row ``j`` (input channel ``j``) of the
next layer's kernel; after a ``Flatten`` every spatial position of that channel
goes. :func:`shrink_model` handles ``Sequential`` models built from ``Conv2D``,
``Dense``, ``Flatten`` and shape-preserving layers (pooling, dropout, activation).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from modelmaint._validation import InputTypeError, check_fraction, check_one_of, show
from modelmaint.compress._common import as_weights, compile_classifier, import_keras

__all__ = ["StructuredPruning", "shrink_model", "unit_norms"]

_PASS_THROUGH = ("MaxPooling2D", "AveragePooling2D", "Dropout", "Activation")


@dataclass(frozen=True)
class StructuredPruning:
    """A narrower copy of a model and what was kept; made by :func:`shrink_model`.

    Parameters
    ----------
    model : tf_keras.Sequential
        The narrower model, compiled, ready to fine-tune.
    kept : dict of str to tuple of int
        Each shrunk layer's surviving units or filters (0-based indices, sorted).
    units_before, units_after : dict of str to int
        Each shrunk layer's width before and after.
    params_before, params_after : int
        Parameter counts of the original and of the narrower model.

    Examples
    --------
    >>> from modelmaint.compress import build_cnn
    >>> result = shrink_model(build_cnn(filters=4, dense=8), {"dense": 0.5})
    >>> result.units_after, len(result.kept["dense"])
    ({'dense': 4}, 4)
    """

    model: Any
    kept: dict[str, tuple[int, ...]]
    units_before: dict[str, int]
    units_after: dict[str, int]
    params_before: int
    params_after: int


def unit_norms(kernel: Any, ord: int = 1) -> np.ndarray:
    """Norm of each output unit's (or filter's) incoming weights.

    The last axis of a Keras kernel indexes the outputs: ``(inputs, units)`` for
    ``Dense``, ``(height, width, in_channels, filters)`` for ``Conv2D``.

    Parameters
    ----------
    kernel : array-like, at least 2-D
        A layer's kernel.
    ord : {1, 2}, default 1
        L1 (sum of magnitudes) or L2 norm.

    Returns
    -------
    numpy.ndarray
        One norm per output unit (the kernel's last axis).

    Examples
    --------
    >>> unit_norms(np.array([[1.0, -3.0], [2.0, 0.0]]))
    array([3., 3.])
    >>> unit_norms(np.array([[3.0, 0.0], [4.0, 1.0]]), ord=2)
    array([5., 1.])
    """
    w = as_weights(kernel, "kernel")
    if w.ndim < 2:
        raise ValueError(f"kernel must be at least 2-D (inputs x units); got {w.shape}")
    _check_ord(ord)
    flat = w.reshape(-1, w.shape[-1])
    return np.abs(flat).sum(axis=0) if ord == 1 else np.sqrt((flat**2).sum(axis=0))


def _check_ord(ord: Any) -> None:
    number = isinstance(ord, (int, float, np.integer, np.floating))
    if not number or isinstance(ord, (bool, np.bool_)):  # True == 1: not an order
        raise InputTypeError(f"ord must be one of 1, 2; got {show(ord)}")
    check_one_of(ord, "ord", (1, 2))


def _top(norms: np.ndarray, fraction: float) -> np.ndarray:
    n_keep = max(1, math.ceil(fraction * norms.size - 1e-9))
    return np.sort(np.argsort(-norms, kind="stable")[:n_keep])


def _check_keep(model: Any, keep: Mapping[str, float]) -> dict[str, float]:
    if not hasattr(model, "layers"):
        raise InputTypeError(f"model must be a Keras model; got {type(model).__name__}")
    if not isinstance(keep, Mapping):
        raise InputTypeError(
            f"keep must map layer names to fractions; got {show(keep)}"
        )
    if not keep:
        raise ValueError("keep must map layer names to fractions; got {}")
    layers = {layer.name: layer for layer in model.layers}
    out = {}
    for name, fraction in keep.items():
        if name not in layers:
            raise ValueError(f"keep names {name!r}, not a layer of the model")
        kind = type(layers[name]).__name__
        if kind not in ("Dense", "Conv2D"):
            raise ValueError(f"keep: {name!r} is a {kind}; only Dense/Conv2D shrink")
        if layers[name] is model.layers[-1]:
            raise ValueError(
                f"keep: {name!r} is the output layer; its units are classes"
            )
        out[name] = check_fraction(fraction, f"keep[{name!r}]", include_high=True)
    return out


def shrink_model(
    model: Any, keep: Mapping[str, float], *, ord: int = 1
) -> StructuredPruning:
    """Copy ``model`` keeping, in each named layer, the units with the largest norm.

    Parameters
    ----------
    model : tf_keras.Sequential
        Layers ``Conv2D``, ``Dense``, ``Flatten`` and pooling/dropout/activation.
    keep : mapping of str to float
        Layer name → fraction of its units (``Dense``) or filters (``Conv2D``) to
        keep, in (0, 1]; at least one unit is always kept. Not the output layer.
    ord : {1, 2}, default 1
        Norm used to rank the units (:func:`unit_norms`).

    Returns
    -------
    StructuredPruning
        The new model (compiled like :func:`~modelmaint.compress.build_cnn`, ready to
        fine-tune), the kept indices and the widths and parameter counts.

    Examples
    --------
    >>> from modelmaint.compress import build_cnn, digits_data
    >>> base = build_cnn(filters=8, dense=16)
    >>> result = shrink_model(base, {"conv2": 0.5, "dense": 0.25})
    >>> result.units_before, result.units_after
    ({'conv2': 16, 'dense': 16}, {'conv2': 8, 'dense': 4})
    >>> result.params_after < result.params_before
    True
    >>> x = digits_data().x_test[:5]
    >>> result.model.predict(x, verbose=0).shape
    (5, 10)
    """
    keep = _check_keep(model, keep)
    _check_ord(ord)
    keras = import_keras()
    config = model.get_config()
    weights: dict[str, list[np.ndarray]] = {}
    kept: dict[str, tuple[int, ...]] = {}
    before: dict[str, int] = {}
    channels: np.ndarray | None = None  # surviving channels of the current activation
    configs = {c["config"]["name"]: c["config"] for c in config["layers"]}
    for layer in model.layers:
        kind = type(layer).__name__
        if kind == "Flatten":
            if channels is not None:
                h, w, c = layer.input_shape[1:]
                grid = np.arange(h * w * c).reshape(h, w, c)
                channels = grid[:, :, channels].ravel()
            continue
        if kind in _PASS_THROUGH:
            continue
        if kind not in ("Dense", "Conv2D"):
            raise ValueError(f"model: layer {layer.name!r} ({kind}) is not supported")
        kernel, bias = (np.asarray(w) for w in layer.get_weights())
        if channels is not None:
            kernel = kernel[..., channels, :]
        channels = None
        if layer.name in keep:
            channels = _top(unit_norms(kernel, ord), keep[layer.name])
            before[layer.name] = kernel.shape[-1]
            kernel, bias = kernel[..., channels], bias[channels]
            kept[layer.name] = tuple(int(i) for i in channels)
            key = "filters" if kind == "Conv2D" else "units"
            configs[layer.name][key] = int(channels.size)
        weights[layer.name] = [kernel, bias]
    narrow = keras.Sequential.from_config(config)
    for layer in narrow.layers:
        if layer.name in weights:
            layer.set_weights(weights[layer.name])
    compile_classifier(narrow)
    return StructuredPruning(
        model=narrow,
        kept=kept,
        units_before=before,
        units_after={name: len(idx) for name, idx in kept.items()},
        params_before=int(model.count_params()),
        params_after=int(narrow.count_params()),
    )
