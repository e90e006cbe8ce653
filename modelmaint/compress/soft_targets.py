"""The loss of knowledge distillation, in NumPy: temperature softmax, soft targets.

Taught in notebook 10 (seed 000 §3.4; 001 §3.3), after Hinton, Vinyals & Dean
(2015), *Distilling the Knowledge in a Neural Network*:

.. math::

    L = \\alpha\\, \\mathrm{CE}(y, \\sigma(z_s))
        + (1 - \\alpha)\\, T^2\\, \\mathrm{KL}\\big(\\sigma(z_t / T) \\,\\|\\,
        \\sigma(z_s / T)\\big)

where :math:`\\sigma` is the softmax, :math:`z_t, z_s` the teacher's and student's
logits and :math:`T` the temperature. These functions check the training loop of
:mod:`~modelmaint.compress.distill` by hand; both are also importable from there.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from modelmaint._validation import as_array, check_positive
from modelmaint.compress._common import as_labels, check_alpha

__all__ = ["distillation_loss", "softmax_with_temperature"]


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
    natural logarithms. :func:`~modelmaint.compress.distill.distill` minimises
    exactly this.

    Parameters
    ----------
    y : array-like of int
        The true class of each row, in ``[0, n_classes - 1]``.
    teacher_logits, student_logits : array-like
        Pre-softmax outputs, finite, same shape ``(n, n_classes)`` (one row may
        be given 1-D).
    temperature : float, default 4.0
        Softening of both distributions in the soft term, ``T > 0``.
    alpha : float, default 0.1
        Weight of the hard-label cross-entropy, in [0, 1].

    Returns
    -------
    float
        The loss, >= 0 (rounded to 12 decimals, so that equal terms give 0.0).

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
    alpha = check_alpha(alpha)
    zt = _as_logits(teacher_logits, "teacher_logits")
    zs = _as_logits(student_logits, "student_logits")
    zt, zs = np.atleast_2d(zt), np.atleast_2d(zs)
    if zt.shape != zs.shape:
        raise ValueError(
            f"student_logits must have the teacher's shape {zt.shape}; got {zs.shape}"
        )
    y = as_labels(y, zs.shape[0], n_classes=zs.shape[1], per="row of the logits")
    p_s = softmax_with_temperature(zs)
    hard = -np.log(p_s[np.arange(y.size), y])
    pt_t = softmax_with_temperature(zt, temperature)
    ps_t = softmax_with_temperature(zs, temperature)
    kl = np.sum(pt_t * (np.log(pt_t) - np.log(ps_t)), axis=1)
    loss = alpha * hard + (1 - alpha) * temperature**2 * kl
    return float(np.round(loss.mean(), 12))
