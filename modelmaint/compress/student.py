"""The student of knowledge distillation, and the logits a teacher hands it.

Taught in notebook 10: :func:`build_student` makes the small model, compiled like
:func:`~modelmaint.compress.build_cnn`; :func:`model_logits` reads any classifier's
pre-softmax outputs, the teacher's soft targets before the temperature. Both are
also importable from :mod:`~modelmaint.compress.distill`. TensorFlow is imported
when they are called.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from modelmaint._validation import check_int, check_one_of
from modelmaint.compress._common import (
    as_samples,
    check_input_shape,
    compile_classifier,
    import_keras,
    logits_fn,
)

__all__ = ["build_student", "model_logits"]


def model_logits(model: Any, x: Any, *, batch_size: int = 512) -> np.ndarray:
    """The pre-softmax outputs of a classifier on ``x`` (NumPy, in batches).

    Parameters
    ----------
    model : tf_keras model
        A classifier ending in a ``Dense`` layer (linear or softmax) or a
        ``Softmax`` layer.
    x : array-like
        Samples (first axis), finite; computed in float32.
    batch_size : int, default 512
        Samples per call (>= 1).

    Returns
    -------
    numpy.ndarray
        float64 logits, shape ``(n_samples, n_classes)``.

    Examples
    --------
    >>> from modelmaint.compress import build_cnn, digits_data
    >>> from modelmaint.compress.soft_targets import softmax_with_temperature
    >>> data, model = digits_data(), build_cnn()
    >>> z = model_logits(model, data.x_test[:4])
    >>> p = model.predict(data.x_test[:4], verbose=0)
    >>> bool(np.allclose(softmax_with_temperature(z), p, atol=1e-6))
    True
    """
    batch_size = check_int(batch_size, "batch_size", minimum=1)
    x = as_samples(x)
    fn = logits_fn(model)
    parts = [
        np.asarray(fn(x[i : i + batch_size])) for i in range(0, len(x), batch_size)
    ]
    return np.concatenate(parts).astype(np.float64)


def build_student(
    input_shape: tuple[int, ...] = (8, 8, 1),
    n_classes: int = 10,
    *,
    kind: str = "mlp",
    hidden: int = 16,
    seed: int = 0,
) -> Any:
    """A tiny compiled ``tf_keras`` classifier to be taught by a bigger teacher.

    ``kind="mlp"``: ``Flatten`` → ``Dense(hidden, relu)`` → ``Dense(n_classes,
    softmax)``. ``kind="cnn"``: ``Conv2D(hidden, 3, relu)`` → ``MaxPooling2D`` →
    ``Flatten`` → ``Dense(n_classes, softmax)``. Compiled like
    :func:`modelmaint.compress.build_cnn` (Adam 1e-3, sparse categorical
    cross-entropy, accuracy), so the same evaluation and TFLite helpers apply.

    Parameters
    ----------
    input_shape : tuple of int, default (8, 8, 1)
        Image height, width, channels (each >= 1).
    n_classes : int, default 10
        Number of output classes (>= 2).
    kind : {"mlp", "cnn"}, default "mlp"
        A one-hidden-layer perceptron or a one-convolution network.
    hidden : int, default 16
        Units of the hidden layer, or filters of the convolution (>= 1).
    seed : int, default 0
        Seed of the weight initialisers.

    Returns
    -------
    tf_keras.Sequential
        The compiled model, named ``student_mlp`` or ``student_cnn``.

    Examples
    --------
    >>> build_student().count_params()  # 64*16+16 + 16*10+10
    1210
    >>> build_student(kind="cnn", hidden=4).count_params()  # 9*4+4 + 64*10+10
    690
    >>> build_student(kind="rnn")
    Traceback (most recent call last):
    ...
    ValueError: kind must be one of 'mlp', 'cnn'; got 'rnn'
    """
    kind = check_one_of(kind, "kind", ("mlp", "cnn"))
    n_classes = check_int(n_classes, "n_classes", minimum=2)
    hidden = check_int(hidden, "hidden", minimum=1)
    seed = check_int(seed, "seed", minimum=0)
    check_input_shape(input_shape)
    keras = import_keras()
    layers = keras.layers

    def init(i: int) -> Any:
        return keras.initializers.GlorotUniform(seed=seed + i)

    body: list[Any]
    if kind == "mlp":
        body = [
            layers.Flatten(name="flatten"),
            layers.Dense(
                hidden, activation="relu", kernel_initializer=init(0), name="hidden"
            ),
        ]
    else:
        body = [
            layers.Conv2D(
                hidden, 3, padding="same", activation="relu",
                kernel_initializer=init(0), name="conv",
            ),
            layers.MaxPooling2D(2, name="pool"),
            layers.Flatten(name="flatten"),
        ]  # fmt: skip
    model = keras.Sequential(
        [
            keras.Input(shape=tuple(int(d) for d in input_shape)),
            *body,
            layers.Dense(
                n_classes,
                activation="softmax",
                kernel_initializer=init(1),
                name="output",
            ),
        ],
        name=f"student_{kind}",
    )
    return compile_classifier(model)
