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

This module is the training loop (:func:`distill`, :func:`train_from_scratch`); it
re-exports the loss in NumPy (:mod:`~modelmaint.compress.soft_targets`:
:func:`softmax_with_temperature`, :func:`distillation_loss`) and the student
(:mod:`~modelmaint.compress.student`: :func:`build_student`, :func:`model_logits`),
so ``compress.distill`` holds the whole technique. TensorFlow is imported when a
Keras function is called.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from modelmaint._validation import check_int, check_positive
from modelmaint.compress._common import (
    as_xy,
    check_alpha,
    import_keras,
    import_tf,
    logits_fn,
)
from modelmaint.compress.soft_targets import (
    distillation_loss,
    softmax_with_temperature,
)
from modelmaint.compress.student import build_student, model_logits

__all__ = [
    "build_student",
    "distill",
    "distillation_loss",
    "model_logits",
    "softmax_with_temperature",
    "train_from_scratch",
]


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
    alpha = check_alpha(alpha)
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
    x, y = as_xy(x, y, n_classes=n_classes)
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

    tf = import_tf()
    keras = import_keras()
    student_logits = logits_fn(student)
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

    Parameters
    ----------
    student : tf_keras model
        The model to train (modified in place and returned).
    x, y : array-like
        Training inputs and integer labels.
    epochs, batch_size : int, default 20, 32
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
