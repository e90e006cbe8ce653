"""Quantization by hand: the affine map to int8 (or fewer bits) and back.

Taught in notebook 08 (seed 000 §3.4, §4.4, 001 §3.3, §4.3, 004 §3.4). Plain NumPy.
Quantization-aware training and weight clustering, which fine-tune a Keras model
with the TensorFlow Model Optimization Toolkit, live in
:mod:`~modelmaint.compress.finetune` (and are importable from here too).

The round trip holds over the whole finite float range: the scale is computed on
the range times a power of two (exact) and scaled back, rounded up where it lands
among the subnormals, so it is never 0 and never inf; a dequantized value beyond
the largest float saturates there, as a quantized one saturates at ``qmax``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from modelmaint._validation import (
    InputTypeError,
    as_numbers,
    check_bool,
    check_int,
    check_positive,
    safe_scaled,
)
from modelmaint.compress._common import as_weights

# re-exported: their old home
from modelmaint.compress.finetune import cluster_model, quantize_aware

__all__ = [
    "QuantParams",
    "cluster_model",
    "dequantize_affine",
    "quant_params",
    "quantize_affine",
    "quantize_aware",
]

_INT32 = (-(2**31), 2**31 - 1)
_BIGGEST = float(np.finfo(np.float64).max)


@dataclass(frozen=True)
class QuantParams:
    """Affine quantization ``q = clip(round(x / scale) + zero_point, qmin, qmax)``.

    Made by :func:`quant_params`.

    Parameters
    ----------
    scale : float
        Width of one integer step, > 0 and finite.
    zero_point : int
        The integer that stands for the real 0, in ``[qmin, qmax]``.
    qmin, qmax : int
        The integer range (``-128``, ``127`` for signed int8).

    Examples
    --------
    >>> quant_params([-1.0, 3.0], num_bits=4)
    QuantParams(scale=0.26666666666666666, zero_point=-4, qmin=-8, qmax=7)
    """

    scale: float
    zero_point: int
    qmin: int
    qmax: int


def _unscale(scaled: float, e: int) -> float:
    """``scaled * 2**e``, rounded up (never to 0) when it lands among subnormals."""
    scale = float(np.ldexp(scaled, e))
    if e < 0 and np.ldexp(scale, -e) < scaled:
        scale = float(np.nextafter(scale, np.inf))
    return scale


def quant_params(x: Any, num_bits: int = 8, *, symmetric: bool = False) -> QuantParams:
    r"""Scale and zero point mapping ``[min(x, 0), max(x, 0)]`` onto signed integers.

    Taught in notebook 08.

    Asymmetric: :math:`s = (x_{max} - x_{min}) / (q_{max} - q_{min})`,
    :math:`z = \mathrm{round}(q_{min} - x_{min} / s)`. Symmetric (what TFLite uses
    for weights): :math:`s = \max|x| / q_{max}`, :math:`z = 0`, range
    ``[-(2^{b-1} - 1), 2^{b-1} - 1]``. The range always contains 0 so that 0 (a
    pruned weight, ReLU's output, padding) is represented exactly. Any finite
    ``x`` works, from subnormals (the scale is rounded up, never to 0) to
    ``1.7e308`` (the range is computed without overflow).

    Parameters
    ----------
    x : array-like of float
        The values to quantize (a kernel, a bias, activations): finite, any shape
        but 0-D, at least one element.
    num_bits : int, default 8
        Width of the integers, in [2, 16].
    symmetric : bool, default False
        True: zero point 0 and a range symmetric about 0 (``qmin = -qmax``).

    Returns
    -------
    QuantParams
        ``scale`` (> 0, finite), ``zero_point``, ``qmin`` and ``qmax``.

    Examples
    --------
    >>> p = quant_params([-1.0, 0.0, 3.0])
    >>> round(p.scale, 6), p.zero_point, p.qmin, p.qmax
    (0.015686, -64, -128, 127)
    >>> quant_params([-0.5, 0.25], symmetric=True)
    QuantParams(scale=0.003937007874015748, zero_point=0, qmin=-127, qmax=127)
    >>> quant_params([5e-324]).scale > 0, quant_params([-1e308, 1e308]).scale
    (True, 7.843137254901961e+305)
    """
    arr = as_weights(x, "x")
    num_bits = check_int(num_bits, "num_bits", minimum=2)
    if num_bits > 16:
        raise ValueError(f"num_bits must be <= 16; got {num_bits}")
    symmetric = check_bool(symmetric, "symmetric")
    qmax = 2 ** (num_bits - 1) - 1
    qmin = -qmax if symmetric else -(2 ** (num_bits - 1))
    lo, hi = min(float(arr.min()), 0.0), max(float(arr.max()), 0.0)
    (lo_s, hi_s), e = safe_scaled(np.array([lo, hi]))  # exact: a power of two
    if symmetric:
        bound = max(abs(float(lo_s)), abs(float(hi_s)))
        scale = _unscale(bound / qmax, e) if bound > 0 else 1.0
        return QuantParams(scale, 0, qmin, qmax)
    scale = _unscale(float(hi_s - lo_s) / (qmax - qmin), e) if hi > lo else 1.0
    zero_point = int(np.clip(round(qmin - lo / scale), qmin, qmax))
    return QuantParams(scale, zero_point, qmin, qmax)


def quantize_affine(
    x: Any, scale: float, zero_point: int, *, qmin: int = -128, qmax: int = 127
) -> np.ndarray:
    """``clip(round(x / scale) + zero_point, qmin, qmax)`` as int8 (or int16/int32).

    Taught in notebook 08.

    Parameters
    ----------
    x : array-like of float
        Finite values, any shape but 0-D, at least one element.
    scale : float
        Width of one integer step, > 0 (:attr:`QuantParams.scale`).
    zero_point : int
        The integer standing for 0, in ``[qmin, qmax]``.
    qmin, qmax : int, default -128, 127
        The integer range, ``qmin < qmax``, within int32.

    Returns
    -------
    numpy.ndarray
        The integers, shaped like ``x``: int8 when ``[qmin, qmax]`` fits in it,
        else int16, else int32.

    Examples
    --------
    >>> p = quant_params([-1.0, 3.0])
    >>> quantize_affine([-1.0, 0.0, 3.0, 100.0], p.scale, p.zero_point)
    array([-128,  -64,  127,  127], dtype=int8)
    """
    arr = as_weights(x, "x")
    scale = check_positive(scale, "scale")
    qmin = check_int(qmin, "qmin", minimum=_INT32[0])
    qmax = check_int(qmax, "qmax", maximum=_INT32[1])
    if qmin >= qmax:
        raise ValueError(f"qmin must be < qmax={qmax}; got {qmin}")
    zero_point = check_int(zero_point, "zero_point")
    if not qmin <= zero_point <= qmax:
        raise ValueError(
            f"zero_point must be in [qmin, qmax] = [{qmin}, {qmax}]; got {zero_point}"
        )
    dtype = (
        np.int8
        if (qmin >= -128 and qmax <= 127)
        else (np.int16 if (qmin >= -(2**15) and qmax < 2**15) else np.int32)
    )
    with np.errstate(over="ignore"):  # |x / scale| beyond the floats: clipped
        q = np.clip(np.round(arr / scale) + zero_point, qmin, qmax)
    return q.astype(dtype)


def dequantize_affine(q: Any, scale: float, zero_point: int) -> np.ndarray:
    """``scale * (q - zero_point)`` as float: within ``scale / 2`` of the original.

    Taught in notebook 08.

    A value beyond the largest float (``1.8e308``) saturates at ``±1.8e308``, the
    float nearest to it, as :func:`quantize_affine` saturates at ``qmin``/``qmax``.

    Parameters
    ----------
    q : array-like of int
        Quantized integers (from :func:`quantize_affine`), any shape but 0-D.
    scale : float
        The scale they were quantized with, > 0.
    zero_point : int
        The zero point they were quantized with.

    Returns
    -------
    numpy.ndarray
        float64, shaped like ``q``.

    Examples
    --------
    >>> p = quant_params([-1.0, 3.0])
    >>> x = np.array([-1.0, 0.1, 2.0])
    >>> back = dequantize_affine(quantize_affine(x, p.scale, p.zero_point), p.scale,
    ...                          p.zero_point)
    >>> bool(np.all(np.abs(back - x) <= p.scale / 2 + 1e-12))
    True
    """
    arr = as_numbers(q, "q")
    if arr.size == 0:
        raise ValueError(f"q must have at least 1 element; got shape {arr.shape}")
    if arr.dtype.kind not in "iu":
        raise InputTypeError(f"q must be an integer array; got dtype {arr.dtype}")
    if arr.ndim == 0:
        raise ValueError(f"q must be an array (at least 1-D); got the number {arr}")
    scale = check_positive(scale, "scale")
    zero_point = check_int(zero_point, "zero_point")
    with np.errstate(over="ignore"):
        out = scale * (arr.astype(np.float64) - zero_point)
    if not np.isfinite(out).all():
        out = np.clip(out, -_BIGGEST, _BIGGEST)
    return out
