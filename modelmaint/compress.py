"""Model compression: pruning, quantization, weight clustering and TFLite conversion.

Taught in notebooks 07 (pruning; seed 001 §3.3, §4.3, 003 §3.1.1.3, 004 §4.4) and
08 (quantization and weight sharing; seed 000 §3.4, §4.4, 001 §3.3, §4.3, 004 §3.4),
and reused by notebooks 09 (TFLite deployment) and 10 (distillation).

The from-scratch parts (threshold pruning, affine quantization, gzip size, sparsity
of weight arrays) are plain NumPy. TensorFlow, ``tf_keras`` and the TensorFlow Model
Optimization Toolkit are imported inside the functions that need them, so
``import modelmaint.compress`` is instant.
"""

from __future__ import annotations

import gzip
import os
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from modelmaint._validation import (
    check_fraction,
    check_int,
    check_one_of,
    check_positive,
)

__all__ = [
    "TFLITE_MODES",
    "DigitsData",
    "QuantParams",
    "build_cnn",
    "clone_model",
    "cluster_model",
    "count_unique_weights",
    "dequantize_affine",
    "digits_data",
    "gzipped_size",
    "keras_accuracy",
    "layer_sparsity",
    "magnitude_prune",
    "magnitude_threshold",
    "make_tflite_predictor",
    "prune_model",
    "prune_weights",
    "quant_params",
    "quantize_affine",
    "quantize_aware",
    "random_prune",
    "sparsity",
    "threshold_prune",
    "tflite_accuracy",
    "tflite_predict",
    "to_tflite",
]

TFLITE_MODES = ("float32", "dynamic", "float16", "int8")


def _tf() -> Any:
    """Import TensorFlow with Keras 2 (``tf_keras``), quietly; return the module."""
    os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import tensorflow as tf

    return tf


def _keras() -> Any:
    _tf()
    import tf_keras

    return tf_keras


def _tfmot() -> Any:
    _tf()
    import tensorflow_model_optimization as tfmot

    return tfmot


def _as_weights(weights: Any, name: str = "weights") -> np.ndarray:
    try:
        arr = np.asarray(weights, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(
            f"{name} must be numeric; got {type(weights).__name__}"
        ) from exc
    if arr.size == 0:
        raise ValueError(f"{name} must have at least 1 element; got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        bad = int(np.count_nonzero(~np.isfinite(arr)))
        raise ValueError(
            f"{name} must contain only finite values; found {bad} NaN or inf"
        )
    return arr


def _check_sparsity(target_sparsity: Any) -> float:
    """Sparsity must lie in [0, 1): pruning every weight leaves no model."""
    return check_fraction(target_sparsity, "target_sparsity", include_low=True)


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class DigitsData:
    """scikit-learn's 8x8 digits as images: ``x`` float32 (n, 8, 8, 1) in [0, 1]."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray


def digits_data(test_size: float = 0.25, seed: int = 0) -> DigitsData:
    """Load the 1,797 bundled 8x8 digit images, scaled to [0, 1], stratified split.

    Taught in notebooks 07–10.

    Parameters
    ----------
    test_size : float, default 0.25
        Fraction of images held out, in (0, 1).
    seed : int, default 0
        Random state of the split.

    Returns
    -------
    DigitsData

    Examples
    --------
    >>> data = digits_data()
    >>> data.x_train.shape, data.x_test.shape, data.x_train.dtype
    ((1347, 8, 8, 1), (450, 8, 8, 1), dtype('float32'))
    >>> float(data.x_train.max()), sorted(set(data.y_test.tolist())) == list(range(10))
    (1.0, True)
    """
    test_size = check_fraction(test_size, "test_size")
    seed = check_int(seed, "seed", minimum=0)
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    digits = load_digits()
    x = (digits.images / 16.0).astype(np.float32)[..., np.newaxis]
    y = digits.target.astype(np.int64)
    x_train, x_test, y_train, y_test = train_test_split(
        x, y, test_size=test_size, stratify=y, random_state=seed
    )
    return DigitsData(x_train, y_train, x_test, y_test)


# --------------------------------------------------------------------------- Keras


def build_cnn(
    input_shape: tuple[int, ...] = (8, 8, 1),
    n_classes: int = 10,
    *,
    filters: int = 16,
    dense: int = 32,
    seed: int = 0,
) -> Any:
    """A small compiled ``tf_keras`` CNN: two 3x3 convolutions, max-pool, two dense.

    Taught in notebooks 07–10.

    Layers: ``Conv2D(filters)`` → ``MaxPooling2D`` → ``Conv2D(2 * filters)`` →
    ``Flatten`` → ``Dense(dense)`` → ``Dense(n_classes, softmax)``; compiled with Adam,
    sparse categorical cross-entropy and accuracy.

    Parameters
    ----------
    input_shape : tuple of int, default (8, 8, 1)
        Image height, width, channels.
    n_classes : int, default 10
        Number of output classes (>= 2).
    filters, dense : int
        Width of the first convolution and of the hidden dense layer (>= 1).
    seed : int, default 0
        Seed of the weight initialisers.

    Examples
    --------
    >>> model = build_cnn()
    >>> model.count_params()
    21546
    >>> model.output_shape
    (None, 10)
    """
    n_classes = check_int(n_classes, "n_classes", minimum=2)
    filters = check_int(filters, "filters", minimum=1)
    dense = check_int(dense, "dense", minimum=1)
    seed = check_int(seed, "seed", minimum=0)
    if len(input_shape) != 3 or any(int(d) < 1 for d in input_shape):
        raise ValueError(
            f"input_shape must be (height, width, channels); got {input_shape}"
        )
    keras = _keras()
    layers = keras.layers

    def init(i: int) -> Any:
        return keras.initializers.GlorotUniform(seed=seed + i)

    model = keras.Sequential(
        [
            keras.Input(shape=tuple(int(d) for d in input_shape)),
            layers.Conv2D(
                filters,
                3,
                padding="same",
                activation="relu",
                kernel_initializer=init(0),
                name="conv1",
            ),
            layers.MaxPooling2D(2, name="pool"),
            layers.Conv2D(
                2 * filters,
                3,
                padding="same",
                activation="relu",
                kernel_initializer=init(1),
                name="conv2",
            ),
            layers.Flatten(name="flatten"),
            layers.Dense(
                dense, activation="relu", kernel_initializer=init(2), name="dense"
            ),
            layers.Dense(
                n_classes,
                activation="softmax",
                kernel_initializer=init(3),
                name="output",
            ),
        ],
        name="digits_cnn",
    )
    _compile(model)
    return model


def _compile(model: Any, learning_rate: float = 1e-3) -> Any:
    keras = _keras()
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


def clone_model(model: Any, *, compile: bool = True) -> Any:
    """A fresh copy of ``model`` (new layer objects, same weights), compiled by default.

    Taught in notebooks 07, 08.

    Pruning and clustering wrap the *layer objects* of the model they are given: give
    each technique its own copy so they never share state.

    Examples
    --------
    >>> model = build_cnn()
    >>> copy = clone_model(model)
    >>> copy is model, copy.layers[1] is model.layers[1]
    (False, False)
    >>> pairs = zip(copy.get_weights(), model.get_weights())
    >>> all(np.array_equal(a, b) for a, b in pairs)
    True
    """
    keras = _keras()
    copy = keras.models.clone_model(model)
    copy.set_weights(model.get_weights())
    if compile:
        _compile(copy)
    return copy


def keras_accuracy(model: Any, x: Any, y: Any) -> float:
    """Fraction of ``x`` whose arg-max prediction equals ``y``.

    Taught in notebooks 07–10.

    Examples
    --------
    >>> data = digits_data()
    >>> 0.0 <= keras_accuracy(build_cnn(), data.x_test, data.y_test) <= 1.0
    True
    """
    x, y = _check_xy(x, y)
    probs = np.concatenate(
        [
            np.asarray(model(x[i : i + 1024], training=False))
            for i in range(0, len(x), 1024)
        ]
    )
    return float(np.mean(np.argmax(probs, axis=1) == y))


def _check_xy(x: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    x = np.asarray(x, dtype=np.float32)
    y = np.asarray(y)
    if x.ndim == 0 or x.shape[0] == 0:
        raise ValueError(f"x must have at least 1 sample; got shape {x.shape}")
    if y.ndim != 1 or y.shape[0] != x.shape[0]:
        raise ValueError(
            f"y must be 1-D with {x.shape[0]} labels (one per x); got {y.shape}"
        )
    return x, y


# --------------------------------------------------------------------------- sizes


def gzipped_size(data: bytes | str | os.PathLike[str]) -> int:
    """Bytes after gzip (level 9) of ``data`` or of the file at that path.

    Taught in notebooks 07, 08.

    Zeros compress: a pruned model is not smaller on disk until it is compressed.

    Examples
    --------
    >>> gzipped_size(bytes(100_000)) < 200
    True
    >>> rng = np.random.default_rng(0)
    >>> gzipped_size(rng.random(1000).astype(np.float32).tobytes()) > 3500
    True
    """
    if isinstance(data, (bytes, bytearray, memoryview)):
        raw = bytes(data)
    elif isinstance(data, (str, os.PathLike)):
        path = Path(data)
        if not path.is_file():
            raise ValueError(
                f"data must be bytes or an existing file; got path {str(path)!r}"
            )
        raw = path.read_bytes()
    else:
        raise ValueError(
            f"data must be bytes or a file path; got {type(data).__name__}"
        )
    if len(raw) == 0:
        raise ValueError("data must not be empty; got 0 bytes")
    return len(gzip.compress(raw, compresslevel=9, mtime=0))


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


# ------------------------------------------------------------------ quantization


@dataclass(frozen=True)
class QuantParams:
    """Affine quantization ``q = clip(round(x / scale) + zero_point, qmin, qmax)``."""

    scale: float
    zero_point: int
    qmin: int
    qmax: int


def quant_params(x: Any, num_bits: int = 8, *, symmetric: bool = False) -> QuantParams:
    r"""Scale and zero point mapping ``[min(x, 0), max(x, 0)]`` onto signed integers.

    Taught in notebook 08.

    Asymmetric: :math:`s = (x_{max} - x_{min}) / (q_{max} - q_{min})`,
    :math:`z = \mathrm{round}(q_{min} - x_{min} / s)`. Symmetric (what TFLite uses
    for weights): :math:`s = \max|x| / q_{max}`, :math:`z = 0`, range
    ``[-(2^{b-1} - 1), 2^{b-1} - 1]``. The range always contains 0 so that 0 (a
    pruned weight, ReLU's output, padding) is represented exactly.

    Examples
    --------
    >>> p = quant_params([-1.0, 0.0, 3.0])
    >>> round(p.scale, 6), p.zero_point, p.qmin, p.qmax
    (0.015686, -64, -128, 127)
    >>> quant_params([-0.5, 0.25], symmetric=True)
    QuantParams(scale=0.003937007874015748, zero_point=0, qmin=-127, qmax=127)
    """
    arr = _as_weights(x, "x")
    num_bits = check_int(num_bits, "num_bits", minimum=2)
    if num_bits > 16:
        raise ValueError(f"num_bits must be <= 16; got {num_bits}")
    qmax = 2 ** (num_bits - 1) - 1
    qmin = -qmax if symmetric else -(2 ** (num_bits - 1))
    lo, hi = min(float(arr.min()), 0.0), max(float(arr.max()), 0.0)
    if symmetric:
        bound = max(abs(lo), abs(hi))
        scale = bound / qmax if bound > 0 else 1.0
        return QuantParams(scale, 0, qmin, qmax)
    scale = (hi - lo) / (qmax - qmin) if hi > lo else 1.0
    zero_point = int(np.clip(round(qmin - lo / scale), qmin, qmax))
    return QuantParams(scale, zero_point, qmin, qmax)


def quantize_affine(
    x: Any, scale: float, zero_point: int, *, qmin: int = -128, qmax: int = 127
) -> np.ndarray:
    """``clip(round(x / scale) + zero_point, qmin, qmax)`` as int8 (or int16/int32).

    Taught in notebook 08.

    Examples
    --------
    >>> p = quant_params([-1.0, 3.0])
    >>> quantize_affine([-1.0, 0.0, 3.0, 100.0], p.scale, p.zero_point)
    array([-128,  -64,  127,  127], dtype=int8)
    """
    arr = _as_weights(x, "x")
    scale = check_positive(scale, "scale")
    qmin = check_int(qmin, "qmin")
    qmax = check_int(qmax, "qmax")
    if qmin >= qmax:
        raise ValueError(f"qmin must be < qmax={qmax}; got {qmin}")
    zero_point = check_int(zero_point, "zero_point")
    if not qmin <= zero_point <= qmax:
        raise ValueError(f"zero_point must be in [{qmin}, {qmax}]; got {zero_point}")
    dtype = (
        np.int8
        if (qmin >= -128 and qmax <= 127)
        else (np.int16 if (qmin >= -(2**15) and qmax < 2**15) else np.int32)
    )
    q = np.clip(np.round(arr / scale) + zero_point, qmin, qmax)
    return q.astype(dtype)


def dequantize_affine(q: Any, scale: float, zero_point: int) -> np.ndarray:
    """``scale * (q - zero_point)`` as float: within ``scale / 2`` of the original.

    Taught in notebook 08.

    Examples
    --------
    >>> p = quant_params([-1.0, 3.0])
    >>> x = np.array([-1.0, 0.1, 2.0])
    >>> back = dequantize_affine(quantize_affine(x, p.scale, p.zero_point), p.scale,
    ...                          p.zero_point)
    >>> bool(np.all(np.abs(back - x) <= p.scale / 2 + 1e-12))
    True
    """
    arr = np.asarray(q)
    if arr.size == 0:
        raise ValueError(f"q must have at least 1 element; got shape {arr.shape}")
    if arr.dtype.kind not in "iu":
        raise ValueError(f"q must be an integer array; got dtype {arr.dtype}")
    scale = check_positive(scale, "scale")
    zero_point = check_int(zero_point, "zero_point")
    return scale * (arr.astype(np.float64) - zero_point)


def quantize_aware(
    model: Any,
    x: Any,
    y: Any,
    *,
    epochs: int = 1,
    batch_size: int = 32,
    preserve_sparsity: bool = False,
    learning_rate: float = 1e-4,
) -> Any:
    """Quantization-aware training (QAT) of a fresh clone of ``model``.

    Taught in notebook 08.

    ``quantize_model`` inserts fake-quantization (quantize then dequantize in float)
    so training sees the int8 rounding. With ``preserve_sparsity=True`` the model is
    annotated and quantized with ``Default8BitPrunePreserveQuantizeScheme``, which
    keeps the zeros of a pruned model (plain QAT lets them drift away from 0).

    Examples
    --------
    >>> data = digits_data()
    >>> qat = quantize_aware(build_cnn(), data.x_train[:64], data.y_train[:64])
    >>> qat.layers[0].name
    'quantize_layer'
    """
    epochs = check_int(epochs, "epochs", minimum=1)
    batch_size = check_int(batch_size, "batch_size", minimum=1)
    learning_rate = check_positive(learning_rate, "learning_rate")
    x, y = _check_xy(x, y)
    tfmot = _tfmot()
    quant = tfmot.quantization.keras
    copy = clone_model(model, compile=False)
    if preserve_sparsity:
        scheme = tfmot.experimental.combine.Default8BitPrunePreserveQuantizeScheme()
        qat = quant.quantize_apply(quant.quantize_annotate_model(copy), scheme)
    else:
        qat = quant.quantize_model(copy)
    _compile(qat, learning_rate)
    qat.fit(x, y, epochs=epochs, batch_size=batch_size, verbose=0)
    return qat


def cluster_model(
    model: Any,
    n_clusters: int,
    x: Any,
    y: Any,
    *,
    epochs: int = 1,
    batch_size: int = 32,
    learning_rate: float = 1e-4,
) -> Any:
    """Weight clustering (parameter sharing): each kernel keeps ``n_clusters`` values.

    Taught in notebook 08.

    A fresh clone is wrapped by ``cluster_weights`` (k-means++ centroids), fine-tuned
    (the centroids train), then ``strip_clustering`` leaves plain layers whose
    kernels hold at most ``n_clusters`` distinct values.

    Examples
    --------
    >>> data = digits_data()
    >>> clustered = cluster_model(build_cnn(), 8, data.x_train[:64], data.y_train[:64])
    >>> max(count_unique_weights(clustered).values()) <= 8
    True
    """
    n_clusters = check_int(n_clusters, "n_clusters", minimum=2)
    epochs = check_int(epochs, "epochs", minimum=1)
    batch_size = check_int(batch_size, "batch_size", minimum=1)
    learning_rate = check_positive(learning_rate, "learning_rate")
    x, y = _check_xy(x, y)
    tfmot = _tfmot()
    clustering = tfmot.clustering.keras
    wrapped = clustering.cluster_weights(
        clone_model(model, compile=False),
        number_of_clusters=n_clusters,
        cluster_centroids_init=clustering.CentroidInitialization.KMEANS_PLUS_PLUS,
    )
    _compile(wrapped, learning_rate)
    wrapped.fit(x, y, epochs=epochs, batch_size=batch_size, verbose=0)
    return _compile(clustering.strip_clustering(wrapped))


# --------------------------------------------------------------------------- TFLite


def to_tflite(
    model: Any, mode: str = "float32", representative_data: Any = None
) -> bytes:
    """Convert a Keras model to a TFLite flatbuffer.

    Taught in notebooks 08, 09.

    Parameters
    ----------
    model : tf_keras model
    mode : {"float32", "dynamic", "float16", "int8"}
        ``"float32"``: no optimization. ``"dynamic"``: ``Optimize.DEFAULT`` alone —
        int8 weights, float activations (dynamic-range quantization; no retraining).
        ``"float16"``: float16 weights. ``"int8"``: full-integer — weights *and*
        activations int8, int8 input and output; needs ``representative_data`` to
        calibrate the activation ranges.
    representative_data : array, optional
        A few hundred inputs (first axis = samples) for ``"int8"``.

    Returns
    -------
    bytes

    Examples
    --------
    >>> model = build_cnn()
    >>> len(to_tflite(model)) > 4 * model.count_params()
    True
    >>> to_tflite(model, "int4")
    Traceback (most recent call last):
    ...
    ValueError: mode must be one of 'float32', 'dynamic', 'float16', 'int8'; got 'int4'
    """
    mode = check_one_of(mode, "mode", TFLITE_MODES)
    rep = None
    if mode == "int8":
        if representative_data is None:
            raise ValueError(
                "representative_data is required for mode='int8' (full-integer "
                "quantization calibrates activation ranges on it); got None"
            )
        rep = np.asarray(representative_data, dtype=np.float32)
        if rep.ndim < 2 or rep.shape[0] == 0:
            raise ValueError(
                "representative_data must have at least 1 sample; "
                f"got shape {rep.shape}"
            )
    tf = _tf()
    converter = tf.lite.TFLiteConverter.from_keras_model(model)
    if mode != "float32":
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
    if mode == "float16":
        converter.target_spec.supported_types = [tf.float16]
    if mode == "int8":
        samples = rep[:500]

        def representative_dataset() -> Any:
            for i in range(samples.shape[0]):
                yield [samples[i : i + 1]]

        converter.representative_dataset = representative_dataset
        converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
        converter.inference_input_type = tf.int8
        converter.inference_output_type = tf.int8
    logger = tf.get_logger()
    level = logger.level
    logger.setLevel("ERROR")  # "Assets written to /tmp/..." on every conversion
    try:
        with warnings.catch_warnings():
            # int8 input: the converter asks for input statistics it does not need
            warnings.filterwarnings("ignore", message="Statistics for quantized inputs")
            return bytes(converter.convert())
    finally:
        logger.setLevel(level)


def _interpreter(tflite_model: bytes, num_threads: int) -> Any:
    if not isinstance(tflite_model, (bytes, bytearray)) or len(tflite_model) == 0:
        raise ValueError(
            f"tflite_model must be non-empty bytes from to_tflite; "
            f"got {type(tflite_model).__name__}"
        )
    num_threads = check_int(num_threads, "num_threads", minimum=1)
    from ai_edge_litert.interpreter import Interpreter

    return Interpreter(model_content=bytes(tflite_model), num_threads=num_threads)


def _quantize_input(x: np.ndarray, detail: dict[str, Any]) -> np.ndarray:
    dtype = detail["dtype"]
    if np.issubdtype(dtype, np.integer):
        scale, zero_point = detail["quantization"]
        info = np.iinfo(dtype)
        x = np.clip(np.round(x / scale) + zero_point, info.min, info.max)
    return x.astype(dtype)


def _dequantize_output(out: np.ndarray, detail: dict[str, Any]) -> np.ndarray:
    if np.issubdtype(detail["dtype"], np.integer):
        scale, zero_point = detail["quantization"]
        return scale * (out.astype(np.float32) - zero_point)
    return out.astype(np.float32)


def make_tflite_predictor(
    tflite_model: bytes, num_threads: int = 1
) -> Callable[[np.ndarray], np.ndarray]:
    """A function ``predict(batch)`` backed by one LiteRT interpreter.

    Taught in notebook 09.

    Meant for single-sample latency (``mm.monitor.measure_latency``): the
    interpreter is allocated once, and resized only when the batch size changes.
    Integer inputs are quantized and outputs dequantized with the tensors' scale
    and zero point, so callers always pass and receive float arrays.

    Examples
    --------
    >>> data = digits_data()
    >>> predict = make_tflite_predictor(to_tflite(build_cnn()))
    >>> predict(data.x_test[:1]).shape
    (1, 10)
    """
    interpreter = _interpreter(tflite_model, num_threads)
    interpreter.allocate_tensors()
    inp = interpreter.get_input_details()[0]
    out_detail = interpreter.get_output_details()[0]  # scale and zero point fixed
    out_index = out_detail["index"]
    state = {"batch": int(inp["shape"][0])}

    def predict(batch: np.ndarray) -> np.ndarray:
        batch = np.asarray(batch, dtype=np.float32)
        n = batch.shape[0]
        if n != state["batch"]:
            interpreter.resize_tensor_input(inp["index"], [n, *batch.shape[1:]])
            interpreter.allocate_tensors()
            state["batch"] = n
        interpreter.set_tensor(inp["index"], _quantize_input(batch, inp))
        interpreter.invoke()
        return _dequantize_output(interpreter.get_tensor(out_index), out_detail)

    return predict


def tflite_predict(tflite_model: bytes, x: Any, *, num_threads: int = 1) -> np.ndarray:
    """Outputs of a TFLite model on all of ``x`` (float, dequantized if int8).

    Taught in notebooks 08, 09.

    Examples
    --------
    >>> data = digits_data()
    >>> model = build_cnn()
    >>> out = tflite_predict(to_tflite(model), data.x_test[:5])
    >>> bool(np.allclose(out, model.predict(data.x_test[:5], verbose=0), atol=1e-5))
    True
    """
    x = np.asarray(x, dtype=np.float32)
    if x.ndim < 2 or x.shape[0] == 0:
        raise ValueError(f"x must have at least 1 sample; got shape {x.shape}")
    return make_tflite_predictor(tflite_model, num_threads=num_threads)(x)


def tflite_accuracy(tflite_model: bytes, x: Any, y: Any) -> float:
    """Arg-max accuracy of a TFLite model on ``(x, y)``.

    Taught in notebooks 08, 09.

    Examples
    --------
    >>> data = digits_data()
    >>> model = build_cnn()
    >>> acc = tflite_accuracy(to_tflite(model), data.x_test, data.y_test)
    >>> acc == keras_accuracy(model, data.x_test, data.y_test)
    True
    """
    x, y = _check_xy(x, y)
    return float(np.mean(np.argmax(tflite_predict(tflite_model, x), axis=1) == y))
