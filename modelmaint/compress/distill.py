"""Knowledge distillation: a small student learns from a big teacher's soft targets.

Taught in notebook 10 (seed 000 §3.4; 001 §3.3). The seeds name the idea ("use a
teacher model T to guide a student model S") without a formula; this module uses
Hinton, Vinyals & Dean (2015), *Distilling the Knowledge in a Neural Network*:

.. math::

    L = \\alpha\\, \\mathrm{CE}(y, \\sigma(z_s))
        + (1 - \\alpha)\\, T^2\\, \\mathrm{KL}\\big(\\sigma(z_t / T) \\,\\|\\,
        \\sigma(z_s / T)\\big)

where :math:`\\sigma` is the softmax, :math:`z_t, z_s` the teacher's and student's
logits and :math:`T` the temperature. The factor :math:`T^2` keeps the soft term's
gradients on the same scale as the hard one when :math:`T` changes. With
``alpha=1`` the teacher is ignored: that *is* training from scratch, with the very
same loop, so the comparison in notebook 10 is fair.

TensorFlow is imported lazily; :func:`softmax_with_temperature` and
:func:`distillation_loss` are pure NumPy.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from modelmaint._validation import (
    as_array,
    check_fraction,
    check_int,
    check_one_of,
    check_positive,
)
from modelmaint.compress._tf import _keras, _tf
from modelmaint.compress.models import _check_input_shape, _compile

__all__ = [
    "build_student",
    "distill",
    "distillation_loss",
    "model_logits",
    "softmax_with_temperature",
    "train_from_scratch",
]


def _as_logits(logits: Any, name: str) -> np.ndarray:
    z = as_array(logits, name)
    if z.ndim not in (1, 2) or z.shape[-1] < 2:
        raise ValueError(
            f"{name} must be 1-D (classes) or 2-D (samples x classes) with at least "
            f"2 classes; got shape {z.shape}"
        )
    return z


def softmax_with_temperature(logits: Any, temperature: float = 1.0) -> np.ndarray:
    """Softmax of ``logits / temperature`` along the last axis (numerically stable).

    A higher temperature flattens the distribution and reveals the teacher's "dark
    knowledge": which wrong classes it finds plausible. ``T = 1`` is the ordinary
    softmax; ``T -> inf`` tends to the uniform distribution; ``T -> 0`` to one-hot.

    Parameters
    ----------
    logits : array-like, shape (n_classes,) or (n_samples, n_classes)
        Unnormalised scores.
    temperature : float, default 1.0
        ``T > 0``.

    Returns
    -------
    numpy.ndarray
        Probabilities of the same shape; each row sums to 1.

    Examples
    --------
    >>> softmax_with_temperature([1.0, 2.0, 3.0]).round(4)
    array([0.09  , 0.2447, 0.6652])
    >>> softmax_with_temperature([1.0, 2.0, 3.0], temperature=4).round(4)
    array([0.2543, 0.3265, 0.4192])
    >>> softmax_with_temperature([1.0, 2.0, 3.0], temperature=1e9).round(6)
    array([0.333333, 0.333333, 0.333333])
    >>> softmax_with_temperature([[0.0, 1000.0]])  # no overflow
    array([[0., 1.]])
    >>> softmax_with_temperature([1.0, 2.0], temperature=0)
    Traceback (most recent call last):
    ...
    ValueError: temperature must be > 0; got 0
    """
    temperature = check_positive(temperature, "temperature")
    z = _as_logits(logits, "logits") / temperature
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def _check_alpha(alpha: Any) -> float:
    return check_fraction(alpha, "alpha", include_low=True, include_high=True)


def distillation_loss(
    y: Any,
    teacher_logits: Any,
    student_logits: Any,
    *,
    temperature: float = 4.0,
    alpha: float = 0.1,
) -> float:
    """The distillation loss (mean over samples), in NumPy, for checking by hand.

    ``alpha * CE(y, softmax(z_s)) + (1 - alpha) * T**2 * KL(p_t^T || p_s^T)``, with
    natural logarithms. :func:`distill` minimises exactly this.

    Examples
    --------
    >>> z = [[2.0, 0.0, -1.0]]
    >>> distillation_loss([0], z, z, alpha=0.0)  # student = teacher: KL is 0
    0.0
    >>> ce = -np.log(softmax_with_temperature(z)[0, 0])
    >>> bool(np.isclose(distillation_loss([0], z, z, alpha=1.0), ce))
    True
    """
    temperature = check_positive(temperature, "temperature")
    alpha = _check_alpha(alpha)
    zt = _as_logits(teacher_logits, "teacher_logits")
    zs = _as_logits(student_logits, "student_logits")
    zt, zs = np.atleast_2d(zt), np.atleast_2d(zs)
    if zt.shape != zs.shape:
        raise ValueError(
            f"student_logits must have the teacher's shape {zt.shape}; got {zs.shape}"
        )
    y = np.asarray(y)
    if y.shape != (zs.shape[0],) or not np.issubdtype(y.dtype, np.integer):
        raise ValueError(
            f"y must hold {zs.shape[0]} integer labels; got {y.dtype} shape {y.shape}"
        )
    if y.min() < 0 or y.max() >= zs.shape[1]:
        raise ValueError(
            f"y must be in [0, {zs.shape[1] - 1}]; got {y.min()}..{y.max()}"
        )
    p_s = softmax_with_temperature(zs)
    hard = -np.log(p_s[np.arange(y.size), y])
    pt_t = softmax_with_temperature(zt, temperature)
    ps_t = softmax_with_temperature(zs, temperature)
    kl = np.sum(pt_t * (np.log(pt_t) - np.log(ps_t)), axis=1)
    loss = alpha * hard + (1 - alpha) * temperature**2 * kl
    return float(np.round(loss.mean(), 12))


# ----------------------------------------------------------------------- Keras


def _logits_fn(model: Any) -> Callable[..., Any]:
    """A differentiable ``f(x, training)`` giving the model's pre-softmax logits.

    Works for a model whose last layer is a ``Softmax`` layer, a ``Dense`` layer
    with a softmax activation (``build_cnn``, ``build_student``), or a linear one.
    """
    keras = _keras()
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


def model_logits(model: Any, x: Any, *, batch_size: int = 512) -> np.ndarray:
    """The pre-softmax outputs of a classifier on ``x`` (NumPy, in batches).

    Examples
    --------
    >>> from modelmaint.compress import build_cnn, digits_data
    >>> data, model = digits_data(), build_cnn()
    >>> z = model_logits(model, data.x_test[:4])
    >>> p = model.predict(data.x_test[:4], verbose=0)
    >>> bool(np.allclose(softmax_with_temperature(z), p, atol=1e-6))
    True
    """
    batch_size = check_int(batch_size, "batch_size", minimum=1)
    x = np.asarray(x, dtype=np.float32)
    if x.ndim < 2 or x.shape[0] == 0:
        raise ValueError(f"x must have at least 1 sample; got shape {x.shape}")
    fn = _logits_fn(model)
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
    _check_input_shape(input_shape)
    keras = _keras()
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
    return _compile(model)


def _check_training_data(
    x: Any, y: Any, n_classes: int
) -> tuple[np.ndarray, np.ndarray]:
    x = np.asarray(x, dtype=np.float32)
    if x.ndim < 2 or x.shape[0] == 0:
        raise ValueError(f"x must have at least 1 sample; got shape {x.shape}")
    if not np.all(np.isfinite(x)):
        raise ValueError("x must contain only finite values; found NaN or inf")
    y = np.asarray(y)
    if y.shape != (x.shape[0],) or not np.issubdtype(y.dtype, np.integer):
        raise ValueError(
            f"y must hold {x.shape[0]} integer labels (one per x); "
            f"got {y.dtype} shape {y.shape}"
        )
    if y.min() < 0 or y.max() >= n_classes:
        raise ValueError(f"y must be in [0, {n_classes - 1}]; got {y.min()}..{y.max()}")
    return x, y.astype(np.int32)


def distill(
    teacher: Any,
    student: Any,
    x: Any,
    y: Any,
    *,
    temperature: float = 4.0,
    alpha: float = 0.1,
    epochs: int = 20,
    batch_size: int = 32,
    learning_rate: float = 3e-3,
    seed: int = 0,
) -> Any:
    """Train ``student`` on ``(x, y)`` and on the teacher's softened outputs.

    Minimises :func:`distillation_loss` with Adam, in shuffled mini-batches (the
    order seeded by ``seed``). The teacher is frozen: its logits on ``x`` are
    computed once. ``alpha=1`` ignores the teacher (``teacher`` may then be
    ``None``): plain training from scratch with the same loop.

    Parameters
    ----------
    teacher : tf_keras model or None
        A trained classifier ending in a Dense or Softmax layer.
    student : tf_keras model
        The model to train (modified in place and returned), same number of classes.
    x, y : arrays
        Training inputs and integer labels. With ``alpha=0`` the labels are not
        used and ``y`` may be ``None``: the teacher labels the data on its own.
    temperature : float, default 4.0
        Softening of both distributions in the soft term, ``T > 0``.
    alpha : float, default 0.1
        Weight of the hard-label cross-entropy, in [0, 1].
    epochs, batch_size : int
        Passes over the data (>= 1) and mini-batch size (>= 1).
    learning_rate : float, default 3e-3
        Adam's step size (> 0).
    seed : int, default 0
        Seed of the mini-batch order.

    Returns
    -------
    tf_keras model
        The trained student, with ``student.distill_losses_``: mean loss per epoch.

    Examples
    --------
    >>> from modelmaint.compress import build_cnn, digits_data, keras_accuracy
    >>> data = digits_data()
    >>> teacher = build_cnn()
    >>> _ = teacher.fit(data.x_train, data.y_train, epochs=3, verbose=0)
    >>> student = distill(
    ...     teacher, build_student(), data.x_train, data.y_train, epochs=3
    ... )
    >>> losses = student.distill_losses_
    >>> len(losses), losses[-1] < losses[0]
    (3, True)
    """
    temperature = check_positive(temperature, "temperature")
    alpha = _check_alpha(alpha)
    epochs = check_int(epochs, "epochs", minimum=1)
    batch_size = check_int(batch_size, "batch_size", minimum=1)
    learning_rate = check_positive(learning_rate, "learning_rate")
    seed = check_int(seed, "seed", minimum=0)
    n_classes = int(student.output_shape[-1])
    if y is None:
        if alpha != 0.0:
            raise ValueError(
                f"y must be given when alpha > 0; got None (alpha={alpha})"
            )
        y = np.zeros(np.shape(x)[0] if np.ndim(x) else 0, dtype=np.int32)
    x, y = _check_training_data(x, y, n_classes)
    if teacher is None:
        if alpha != 1.0:
            raise ValueError(
                f"teacher must be a model when alpha < 1; got None (alpha={alpha})"
            )
        teacher_logits = np.zeros((x.shape[0], n_classes), dtype=np.float32)
    else:
        if int(teacher.output_shape[-1]) != n_classes:
            raise ValueError(
                f"teacher must predict the student's {n_classes} classes; "
                f"got {teacher.output_shape[-1]}"
            )
        teacher_logits = model_logits(teacher, x).astype(np.float32)

    tf = _tf()
    keras = _keras()
    student_logits = _logits_fn(student)
    optimizer = keras.optimizers.Adam(learning_rate)
    t = tf.constant(temperature, tf.float32)
    a = tf.constant(alpha, tf.float32)

    x_all = tf.constant(x)
    y_all = tf.constant(y)
    zt_all = tf.constant(teacher_logits)

    @tf.function(reduce_retracing=True)
    def step(idx: Any) -> Any:
        xb, yb, zt = (tf.gather(v, idx) for v in (x_all, y_all, zt_all))
        with tf.GradientTape() as tape:
            zs = student_logits(xb, training=True)
            hard = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=yb, logits=zs)
            pt = tf.nn.softmax(zt / t)
            kl = tf.reduce_sum(
                pt * (tf.nn.log_softmax(zt / t) - tf.nn.log_softmax(zs / t)), axis=1
            )
            loss = tf.reduce_sum(a * hard + (1.0 - a) * t * t * kl)
            mean_loss = loss / tf.cast(tf.size(idx), tf.float32)
        grads = tape.gradient(mean_loss, student.trainable_variables)
        optimizer.apply_gradients(zip(grads, student.trainable_variables, strict=True))
        return loss

    rng = np.random.default_rng(seed)
    losses = []
    n = x.shape[0]
    for _ in range(epochs):
        order = rng.permutation(n).astype(np.int32)
        sums = [step(order[i : i + batch_size]) for i in range(0, n, batch_size)]
        losses.append(float(tf.add_n(sums)) / n)
    student.distill_losses_ = losses
    return student


def train_from_scratch(
    student: Any,
    x: Any,
    y: Any,
    *,
    epochs: int = 20,
    batch_size: int = 32,
    learning_rate: float = 3e-3,
    seed: int = 0,
) -> Any:
    """Train ``student`` on hard labels only: :func:`distill` with ``alpha=1``.

    The baseline of notebook 10: same loop, optimizer, batches and epochs as
    distillation, only the teacher's term is switched off.

    Examples
    --------
    >>> from modelmaint.compress import digits_data, keras_accuracy
    >>> data = digits_data()
    >>> student = build_student()
    >>> _ = train_from_scratch(student, data.x_train, data.y_train, epochs=5)
    >>> keras_accuracy(student, data.x_test, data.y_test) > 0.8
    True
    """
    return distill(
        None,
        student,
        x,
        y,
        alpha=1.0,
        epochs=epochs,
        batch_size=batch_size,
        learning_rate=learning_rate,
        seed=seed,
    )
