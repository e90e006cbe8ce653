"""Data and the course's small Keras CNN: cloning it, measuring its accuracy.

Taught in notebooks 07–10: :func:`digits_data` and :func:`build_cnn` give every
compression notebook the same images and the same model.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from modelmaint._validation import check_bool, check_fraction, check_int
from modelmaint.compress._common import (
    as_xy,
    check_input_shape,
    compile_classifier,
    import_keras,
)

__all__ = ["DigitsData", "build_cnn", "clone_model", "digits_data", "keras_accuracy"]


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class DigitsData:
    """scikit-learn's 8x8 digits as images: ``x`` float32 (n, 8, 8, 1) in [0, 1].

    Made by :func:`digits_data`.

    Parameters
    ----------
    x_train, x_test : numpy.ndarray
        Images, float32, shape ``(n, 8, 8, 1)``, values in [0, 1].
    y_train, y_test : numpy.ndarray
        Their digits, int64, in 0..9.

    Examples
    --------
    >>> data = digits_data(test_size=0.5)
    >>> len(data.x_train), len(data.y_test)
    (898, 899)
    """

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
        Fraction of images held out, in (0, 1), leaving at least 10 images (one
        per digit) on each side: about 0.005 to 0.994.
    seed : int, default 0
        Random state of the split, in [0, 2**32 - 1].

    Returns
    -------
    DigitsData
        Train and test images and labels, stratified by digit.

    Examples
    --------
    >>> data = digits_data()
    >>> data.x_train.shape, data.x_test.shape, data.x_train.dtype
    ((1347, 8, 8, 1), (450, 8, 8, 1), dtype('float32'))
    >>> float(data.x_train.max()), sorted(set(data.y_test.tolist())) == list(range(10))
    (1.0, True)
    """
    test_size = check_fraction(test_size, "test_size")
    seed = check_int(seed, "seed", minimum=0, maximum=2**32 - 1)
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    digits = load_digits()
    n = len(digits.target)
    n_test = math.ceil(test_size * n)  # as train_test_split counts it
    if not 10 <= n_test <= n - 10:
        raise ValueError(
            f"test_size must leave at least 10 of the {n} images (one per digit) in "
            f"each split, so in ({9 / n:.4g}, {(n - 10) / n:.4g}]; got "
            f"{test_size} ({n_test} test images)"
        )
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

    Returns
    -------
    tf_keras.Sequential
        The compiled model, named ``digits_cnn``; layers ``conv1``, ``pool``,
        ``conv2``, ``flatten``, ``dense``, ``output``.

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
    check_input_shape(input_shape)
    keras = import_keras()
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
    compile_classifier(model)
    return model


def clone_model(model: Any, *, compile: bool = True) -> Any:
    """A fresh copy of ``model`` (new layer objects, same weights), compiled by default.

    Taught in notebooks 07, 08.

    Pruning and clustering wrap the *layer objects* of the model they are given: give
    each technique its own copy so they never share state.

    Parameters
    ----------
    model : tf_keras model
        The model to copy (unchanged).
    compile : bool, default True
        Compile the copy like :func:`build_cnn` (Adam, cross-entropy, accuracy).

    Returns
    -------
    tf_keras model
        The copy, with ``model``'s architecture and weights.

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
    compile = check_bool(compile, "compile")
    keras = import_keras()
    copy = keras.models.clone_model(model)
    copy.set_weights(model.get_weights())
    if compile:
        compile_classifier(copy)
    return copy


def keras_accuracy(model: Any, x: Any, y: Any) -> float:
    """Fraction of ``x`` whose arg-max prediction equals ``y``.

    Taught in notebooks 07–10.

    Parameters
    ----------
    model : tf_keras model
        A classifier: one score per class for each sample.
    x : array-like
        Samples (first axis), finite; computed in float32, 1,024 at a time.
    y : array-like of int
        One class label per sample.

    Returns
    -------
    float
        The accuracy, in [0, 1].

    Examples
    --------
    >>> data = digits_data()
    >>> 0.0 <= keras_accuracy(build_cnn(), data.x_test, data.y_test) <= 1.0
    True
    """
    x, y = as_xy(x, y)
    probs = np.concatenate(
        [
            np.asarray(model(x[i : i + 1024], training=False))
            for i in range(0, len(x), 1024)
        ]
    )
    return float(np.mean(np.argmax(probs, axis=1) == y))
