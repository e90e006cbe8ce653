"""What the submodules of :mod:`modelmaint.compress` share (private to the package).

* lazy imports: :func:`import_tf`, :func:`import_keras`, :func:`import_tfmot` import
  on first call, after defaulting ``TF_USE_LEGACY_KERAS=1`` (Keras 2 via ``tf_keras``)
  and quieting TensorFlow's C++ logs, so importing any ``compress`` module stays
  instant: nothing heavy is imported at module level here or in a sibling;
* input checks: one x/y check (:func:`as_xy`, built on :func:`as_samples` and
  :func:`as_labels`), weights, image shapes, sparsity, alpha, layer names to skip;
* Keras helpers: compiling a classifier the course's way, reading its logits,
  finding its kernels;
* LiteRT helpers: the interpreter, quantizing inputs and dequantizing outputs.

Siblings import from here, never each other's ``_private`` names.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from modelmaint._validation import (
    InputTypeError,
    as_array,
    as_numbers,
    check_fraction,
    check_int,
    show,
)

# ------------------------------------------------------------------ lazy imports


def import_tf() -> Any:
    """Import TensorFlow with Keras 2 (``tf_keras``), quietly; return the module."""
    os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import tensorflow as tf

    return tf


def import_keras() -> Any:
    """Import TensorFlow (as in :func:`import_tf`), then ``tf_keras``; return it."""
    import_tf()
    import tf_keras

    return tf_keras


def import_tfmot() -> Any:
    """Import TensorFlow, then ``tensorflow_model_optimization``; return the latter."""
    import_tf()
    import tensorflow_model_optimization as tfmot

    return tfmot


# ------------------------------------------------------------------ input checks


def as_weights(weights: Any, name: str = "weights") -> np.ndarray:
    """Weights as a finite float array of any shape but 0-D, with >= 1 element.

    A kernel is 2-D (``Dense``) or 4-D (``Conv2D``), a bias 1-D; a lone number
    (``w.sum()`` or ``w[0, 0]`` passed by mistake) is refused.
    """
    arr = as_array(weights, name)
    if arr.ndim == 0:
        raise ValueError(
            f"{name} must be an array of weights (at least 1-D); got the number "
            f"{show(arr.item())}"
        )
    return arr


def check_input_shape(input_shape: Any) -> None:
    """An image ``input_shape`` must be ``(height, width, channels)``, each >= 1."""
    if not isinstance(input_shape, (tuple, list)):
        raise InputTypeError(
            "input_shape must be a tuple (height, width, channels); got "
            f"{show(input_shape)}"
        )
    if len(input_shape) != 3 or any(int(d) < 1 for d in input_shape):
        raise ValueError(
            f"input_shape must be (height, width, channels); got {input_shape}"
        )


def as_samples(x: Any, name: str = "x") -> np.ndarray:
    """``x`` as float32, at least 2-D (samples first), >= 1 sample, all finite."""
    x = as_numbers(x, name).astype(np.float32, copy=False)
    if x.ndim < 2 or x.shape[0] == 0:
        raise ValueError(f"{name} must have at least 1 sample; got shape {x.shape}")
    if not np.all(np.isfinite(x)):
        bad = int(np.count_nonzero(~np.isfinite(x)))
        raise ValueError(
            f"{name} must contain only finite values; found {bad} NaN or inf"
        )
    return x


def as_labels(
    y: Any, n: int, *, n_classes: int | None = None, per: str = "x"
) -> np.ndarray:
    """``y`` as ``n`` labels, one per sample (or row) of ``per``.

    With ``n_classes`` the labels must be integers in ``[0, n_classes - 1]`` and come
    back as int32; without it they are returned as given (compared with an arg-max).
    """
    y = np.asarray(y)
    if y.ndim != 1 or y.shape[0] != n:
        raise ValueError(
            f"y must be 1-D with {n} labels (one per {per}); got shape {y.shape}"
        )
    if n_classes is None:
        return y
    if not np.issubdtype(y.dtype, np.integer):
        raise ValueError(f"y must hold integer class labels; got dtype {y.dtype}")
    if y.min() < 0 or y.max() >= n_classes:
        raise ValueError(f"y must be in [0, {n_classes - 1}]; got {y.min()}..{y.max()}")
    return y.astype(np.int32)


def as_xy(
    x: Any, y: Any, *, n_classes: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """The one x/y check of the package: samples ``x`` and one label per sample.

    ``x`` comes back float32 (:func:`as_samples`), ``y`` as :func:`as_labels` gives it.
    """
    x = as_samples(x)
    return x, as_labels(y, x.shape[0], n_classes=n_classes)


def check_sparsity(value: Any, name: str = "target_sparsity") -> float:
    """Sparsity must lie in [0, 1): pruning every weight leaves no model."""
    return check_fraction(value, name, include_low=True)


def check_alpha(alpha: Any) -> float:
    """Distillation's weight of the hard-label term, in [0, 1]."""
    return check_fraction(alpha, "alpha", include_low=True, include_high=True)


def check_skip(model: Any, skip: Sequence[str]) -> None:
    """``skip`` must be a sequence of names of ``model``'s layers (not one string)."""
    if isinstance(skip, str):
        raise ValueError(
            f"skip must be a sequence of layer names; got the string {skip!r}"
        )
    names = [layer.name for layer in model.layers]
    unknown = [name for name in skip if name not in names]
    if unknown:
        raise ValueError(f"skip must name layers of the model {names}; got {unknown}")


# ------------------------------------------------------------------ Keras


def is_kernel(name: str) -> bool:
    """True for the name of a kernel variable (not a bias, not a tfmot variable)."""
    leaf = name.split("/")[-1].split(":")[0]
    return leaf in ("kernel", "depthwise_kernel", "pointwise_kernel")


def kernels(model: Any) -> dict[str, np.ndarray]:
    """Kernel arrays of a Keras model by layer name (unwrapping tfmot wrappers)."""
    out: dict[str, np.ndarray] = {}
    for layer in model.layers:
        inner = getattr(layer, "layer", layer)
        for var in layer.weights:
            if is_kernel(var.name) and "quantize" not in var.name.split("/")[-1]:
                out[inner.name] = np.asarray(var.numpy())
                break
    return out


def compile_classifier(model: Any, learning_rate: float = 1e-3) -> Any:
    """Compile like ``build_cnn``: Adam, sparse categorical cross-entropy, accuracy."""
    keras = import_keras()
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


def logits_fn(model: Any) -> Callable[..., Any]:
    """A differentiable ``f(x, training)`` giving the model's pre-softmax logits.

    Works for a model whose last layer is a ``Softmax`` layer, a ``Dense`` layer
    with a softmax activation (``build_cnn``, ``build_student``), or a linear one.
    """
    keras = import_keras()
    last = model.layers[-1]
    if isinstance(last, keras.layers.Softmax):
        body = keras.Model(model.inputs, last.input)
        return lambda x, training=False: body(x, training=training)
    if isinstance(last, keras.layers.Dense):
        act = keras.activations.serialize(last.activation)
        act = act if isinstance(act, str) else act.get("config", {}).get("name", act)
        if act == "linear":
            return lambda x, training=False: model(x, training=training)
        if act == "softmax":
            body = keras.Model(model.inputs, last.input)

            def logits(x: Any, training: bool = False) -> Any:
                h = body(x, training=training)
                return keras.backend.dot(h, last.kernel) + last.bias

            return logits
    raise ValueError(
        "model must end with a Dense layer (linear or softmax) or a Softmax layer, "
        f"so that its logits can be read; got {type(last).__name__}"
    )


# ------------------------------------------------------------------ LiteRT


def make_interpreter(tflite_model: bytes, num_threads: int) -> Any:
    """A LiteRT interpreter of a flatbuffer from ``to_tflite`` (not yet allocated)."""
    if not isinstance(tflite_model, (bytes, bytearray)) or len(tflite_model) == 0:
        raise ValueError(
            f"tflite_model must be non-empty bytes from to_tflite; "
            f"got {type(tflite_model).__name__}"
        )
    num_threads = check_int(num_threads, "num_threads", minimum=1)
    from ai_edge_litert.interpreter import Interpreter

    return Interpreter(model_content=bytes(tflite_model), num_threads=num_threads)


def quantize_input(x: np.ndarray, detail: dict[str, Any]) -> np.ndarray:
    """Float ``x`` in the input tensor's type: quantized if that type is integer."""
    dtype = detail["dtype"]
    if np.issubdtype(dtype, np.integer):
        scale, zero_point = detail["quantization"]
        info = np.iinfo(dtype)
        x = np.clip(np.round(x / scale) + zero_point, info.min, info.max)
    return x.astype(dtype)


def check_tensor_input(x: np.ndarray, detail: dict[str, Any]) -> np.ndarray:
    """``x`` (>= 1 sample) against the input tensor: dtype, shape, finite; float32.

    Every message names the shape and type the model takes. A model with an integer
    input is given floats, quantized here: integer ``x`` may be quantized already
    and would be quantized twice, so it is refused.
    """
    sig = detail.get("shape_signature", detail["shape"])  # -1: any size
    pairs = zip(detail["shape"], sig, strict=True)
    dims = [None if s < 0 else int(d) for d, s in pairs]
    shape = "(n, " + ", ".join("?" if d is None else str(d) for d in dims[1:]) + ")"
    dtype = np.dtype(detail["dtype"])
    tensor = f"this model's {dtype} input"
    takes = f"{tensor} of shape {shape}"
    if x.dtype.kind not in "biuf":
        raise InputTypeError(f"x must be real numbers for {takes}; got dtype {x.dtype}")
    if np.issubdtype(dtype, np.integer) and x.dtype.kind != "f":
        raise ValueError(
            f"x must be floats, quantized here to {takes} (integer x looks quantized "
            f"already); got dtype {x.dtype}"
        )
    fits = x.ndim == len(dims) and all(
        d is None or d == got for d, got in zip(dims[1:], x.shape[1:], strict=True)
    )
    if not fits:
        raise ValueError(f"x must have shape {shape} for {tensor}; got {x.shape}")
    with np.errstate(over="ignore"):
        out = x.astype(np.float32)  # float64 beyond float32's range becomes inf
    if not np.all(np.isfinite(out)):
        bad = int(np.count_nonzero(~np.isfinite(out)))
        raise ValueError(
            f"x must contain only finite values for {takes}; found {bad} NaN or inf"
        )
    return out


def dequantize_output(out: np.ndarray, detail: dict[str, Any]) -> np.ndarray:
    """An output tensor as float32: dequantized if its type is integer."""
    if np.issubdtype(detail["dtype"], np.integer):
        scale, zero_point = detail["quantization"]
        return scale * (out.astype(np.float32) - zero_point)
    return out.astype(np.float32)
