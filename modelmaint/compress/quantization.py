"""Quantization by hand: the affine map to int8 (or fewer bits) and back.

Taught in notebook 08 (seed 000 §3.4, §4.4, 001 §3.3, §4.3, 004 §3.4). Plain NumPy.
Quantization-aware training and weight clustering, which fine-tune a Keras model
with the TensorFlow Model Optimization Toolkit, live in
:mod:`~modelmaint.compress.finetune` (and are importable from here too).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from modelmaint._validation import check_int, check_positive
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
    arr = as_weights(x, "x")
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
    arr = as_weights(x, "x")
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
