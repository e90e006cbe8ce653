"""Pruning: sparsity of weights, threshold, magnitude and random pruning, tfmot.

Taught in notebook 07 (seed 001 §3.3, §4.3, 003 §3.1.1.3, 004 §4.4), reused in 08.
The array functions are plain NumPy; :func:`prune_model` imports the TensorFlow
Model Optimization Toolkit when called.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from modelmaint._validation import (
    check_fraction,
    check_int,
    check_one_of,
    check_positive,
)
from modelmaint.compress._tf import _keras, _tfmot
from modelmaint.compress.models import _as_weights, _check_xy, _compile, clone_model


def _check_sparsity(target_sparsity: Any) -> float:
    """Sparsity must lie in [0, 1): pruning every weight leaves no model."""
    return check_fraction(target_sparsity, "target_sparsity", include_low=True)


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
        arrays = [_as_weights(w, "model_or_weights") for w in model_or_weights]
    else:
        arrays = [_as_weights(model_or_weights, "model_or_weights")]
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
    arr = _as_weights(weights)
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
    arr = _as_weights(weights)
    target_sparsity = _check_sparsity(target_sparsity)
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
    arr = _as_weights(weights)
    target_sparsity = _check_sparsity(target_sparsity)
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
    arr = _as_weights(weights)
    target_sparsity = _check_sparsity(target_sparsity)
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
    target_sparsity = _check_sparsity(target_sparsity)
    method = check_one_of(method, "method", ["magnitude", "random"])
    seed = check_int(seed, "seed", minimum=0)
    _check_skip(model, skip)
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


def _check_skip(model: Any, skip: Sequence[str]) -> None:
    if isinstance(skip, str):
        raise ValueError(
            f"skip must be a sequence of layer names; got the string {skip!r}"
        )
    names = [layer.name for layer in model.layers]
    unknown = [name for name in skip if name not in names]
    if unknown:
        raise ValueError(f"skip must name layers of the model {names}; got {unknown}")


def prune_model(
    model: Any,
    target_sparsity: float,
    x: Any,
    y: Any,
    *,
    epochs: int = 4,
    batch_size: int = 32,
    initial_sparsity: float = 0.0,
    frequency: int = 10,
    end_fraction: float = 0.6,
    skip: Sequence[str] = (),
) -> Any:
    """Magnitude pruning during fine-tuning with tfmot; returns the stripped model.

    Taught in notebooks 07, 08.

    A fresh clone of ``model`` is wrapped by ``prune_low_magnitude`` with a
    ``PolynomialDecay`` schedule from ``initial_sparsity`` to ``target_sparsity``
    over the first ``end_fraction`` of the steps, fine-tuned with the
    ``UpdatePruningStep`` callback (without it the masks never update), then
    ``strip_pruning`` removes the wrappers so the zeros are plain weights.

    Parameters
    ----------
    model : tf_keras model
        Trained model; left unchanged.
    target_sparsity : float
        Final fraction of zero weights in every kernel, in [0, 1).
    x, y : arrays
        Fine-tuning data.
    epochs, batch_size, frequency : int
        Fine-tuning length, batch size, and steps between mask updates.
    initial_sparsity : float, default 0
        Sparsity at step 0, in [0, target_sparsity].
    end_fraction : float, default 0.6
        Fraction of the steps over which sparsity ramps up; the rest fine-tunes at
        the final sparsity, in (0, 1].
    skip : sequence of str, default ()
        Names of layers left dense. Small layers that every prediction flows through
        (the first convolution, the output layer) are the most sensitive to pruning
        and hold few weights: skipping them costs little size.

    Returns
    -------
    tf_keras model
        Compiled, stripped, with the pruned weights.

    Examples
    --------
    >>> from modelmaint.compress import build_cnn, digits_data
    >>> data = digits_data()
    >>> base = build_cnn()
    >>> x, y = data.x_train[:256], data.y_train[:256]
    >>> pruned = prune_model(base, 0.8, x, y, epochs=1)
    >>> round(sparsity(pruned), 2), sparsity(base)
    (0.8, 0.0)
    """
    target_sparsity = _check_sparsity(target_sparsity)
    initial_sparsity = _check_sparsity(initial_sparsity)
    if initial_sparsity > target_sparsity:
        raise ValueError(
            f"initial_sparsity must be <= target_sparsity={target_sparsity}; "
            f"got {initial_sparsity}"
        )
    epochs = check_int(epochs, "epochs", minimum=1)
    batch_size = check_int(batch_size, "batch_size", minimum=1)
    frequency = check_int(frequency, "frequency", minimum=1)
    end_fraction = check_fraction(end_fraction, "end_fraction", include_high=True)
    x, y = _check_xy(x, y)
    tfmot = _tfmot()
    sparsity_api = tfmot.sparsity.keras
    steps = int(np.ceil(x.shape[0] / batch_size)) * epochs
    end_step = max(1, int(steps * end_fraction))
    schedule = sparsity_api.PolynomialDecay(
        initial_sparsity=initial_sparsity,
        final_sparsity=target_sparsity,
        begin_step=0,
        end_step=end_step,
        frequency=min(frequency, end_step),
    )
    _check_skip(model, skip)
    keras = _keras()

    def wrap(layer: Any) -> Any:
        prunable = isinstance(layer, (keras.layers.Conv2D, keras.layers.Dense))
        if prunable and layer.name not in skip:
            return sparsity_api.prune_low_magnitude(layer, pruning_schedule=schedule)
        return layer

    base = clone_model(model, compile=False)
    wrapped = keras.models.clone_model(base, clone_function=wrap)
    _compile(wrapped)
    wrapped.fit(
        x,
        y,
        epochs=epochs,
        batch_size=batch_size,
        verbose=0,
        callbacks=[sparsity_api.UpdatePruningStep()],
    )
    return _compile(sparsity_api.strip_pruning(wrapped))
