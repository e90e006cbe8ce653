"""Array checks: real numbers of the right shape, finite, and scaled for statistics.

Part of :mod:`modelmaint._validation`. One conversion (:func:`as_numbers`) refuses
complex, datetime, timedelta, string and bytes dtypes, and object arrays holding
anything but numbers and missing values, with an :class:`InputTypeError` naming the
parameter; :func:`as_1d`, :func:`as_2d` and :func:`as_array` add the shape and the
finiteness checks (``ValueError``). :func:`safe_scaled` lets a scale-sensitive
statistic hold over the whole finite float range.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from modelmaint._validation._scalars import InputTypeError, show

_REFUSED = {
    "c": "complex",
    "M": "datetime",
    "m": "timedelta",
    "U": "string",
    "S": "bytes",
    "V": "structured",
}


def _kind_text(arr: np.ndarray) -> str:
    return f"{_REFUSED[arr.dtype.kind]} values (dtype {arr.dtype})"


def as_numbers(x: Any, name: str) -> np.ndarray:
    """``x`` as an array of real numbers (float, int or bool dtype), any shape.

    Missing values (None, NaN, ``pd.NA``) in an object array become NaN.

    Examples
    --------
    >>> as_numbers([1, None, 2.5], "x")
    array([1. , nan, 2.5])
    >>> try:
    ...     as_numbers([1 + 2j, 3], "x")
    ... except TypeError as err:
    ...     print(err)
    x must be numeric; got complex values (dtype complex128)
    >>> try:
    ...     as_numbers(np.array([1.0, "a"], dtype=object), "x")
    ... except TypeError as err:
    ...     print(err)
    x must be numeric; got 'a' at index 1
    """
    if x is None or isinstance(x, (str, bytes, Mapping, set, frozenset)):
        raise InputTypeError(f"{name} must be numeric; got {show(x)}")
    try:
        arr = np.asarray(x)
    except (TypeError, ValueError) as exc:  # ragged nested sequences
        raise ValueError(
            f"{name} must be a rectangular array of numbers; got "
            f"{type(x).__name__}: {exc}"
        ) from None
    if arr.dtype.kind in _REFUSED:
        raise InputTypeError(f"{name} must be numeric; got {_kind_text(arr)}")
    if arr.dtype.kind == "O":
        arr = _from_objects(arr, name)
    return arr


def _is_missing(value: Any) -> bool:
    """None, a float NaN, or pandas' NA/NaT (without importing pandas)."""
    if value is None or (isinstance(value, float) and value != value):
        return True
    return type(value).__name__ in ("NAType", "NaTType")


def _from_objects(arr: np.ndarray, name: str) -> np.ndarray:
    flat = arr.ravel()
    missing = np.fromiter((_is_missing(v) for v in flat), bool, flat.size)
    for i, value in enumerate(flat):
        if missing[i]:
            continue
        if isinstance(value, (bool, np.bool_)) or not isinstance(
            value, (int, float, np.integer, np.floating)
        ):
            where = f" at index {i}" if arr.ndim == 1 else f" at flat index {i}"
            raise InputTypeError(f"{name} must be numeric; got {show(value)}{where}")
    out = np.full(flat.shape, np.nan)
    try:
        out[~missing] = flat[~missing].astype(float)
    except OverflowError:
        raise ValueError(
            f"{name} must contain only finite values; found an integer too large "
            "for a float"
        ) from None
    return out.reshape(arr.shape)


def _check_finite(arr: np.ndarray, name: str) -> None:
    if arr.dtype.kind in "fc" and not np.all(np.isfinite(arr)):
        bad = int(np.count_nonzero(~np.isfinite(arr)))
        raise ValueError(
            f"{name} must contain only finite values; found {bad} NaN or inf"
        )


def as_1d(
    x: Any,
    name: str,
    *,
    min_size: int = 1,
    allow_nonfinite: bool = False,
    dtype: type = float,
) -> np.ndarray:
    """Return ``x`` as a 1-D array of real numbers, or raise naming ``name``.

    Examples
    --------
    >>> as_1d([1, 2, 3], "x")
    array([1., 2., 3.])
    >>> as_1d([], "x")
    Traceback (most recent call last):
    ...
    ValueError: x must have at least 1 element(s); got 0
    """
    arr = as_numbers(x, name).astype(dtype, copy=False)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be 1-D; got shape {arr.shape}")
    if arr.size < min_size:
        raise ValueError(
            f"{name} must have at least {min_size} element(s); got {arr.size}"
        )
    if not allow_nonfinite:
        _check_finite(arr, name)
    return arr


def as_array(
    x: Any,
    name: str,
    *,
    ndims: tuple[int, ...] | None = None,
    min_size: int = 1,
    allow_nonfinite: bool = False,
) -> np.ndarray:
    """Return ``x`` as a float array of any (or an allowed) number of dimensions.

    Examples
    --------
    >>> as_array([[0.5, -1.0]], "weights").shape
    (1, 2)
    >>> as_array(np.zeros((2, 2, 2)), "logits", ndims=(1, 2))
    Traceback (most recent call last):
    ...
    ValueError: logits must have 1 or 2 dimension(s); got shape (2, 2, 2)
    """
    arr = as_numbers(x, name).astype(float, copy=False)
    if ndims is not None and arr.ndim not in ndims:
        allowed = " or ".join(str(n) for n in ndims)
        raise ValueError(
            f"{name} must have {allowed} dimension(s); got shape {arr.shape}"
        )
    if arr.size < min_size:
        raise ValueError(
            f"{name} must have at least {min_size} element(s); got shape {arr.shape}"
        )
    if not allow_nonfinite:
        _check_finite(arr, name)
    return arr


def as_2d(
    x: Any,
    name: str,
    *,
    min_rows: int = 1,
    min_cols: int = 1,
    allow_nonfinite: bool = False,
) -> np.ndarray:
    """Return ``x`` as a 2-D float array (rows = samples), or raise ``ValueError``.

    Examples
    --------
    >>> as_2d([1, 2], "X")
    Traceback (most recent call last):
    ...
    ValueError: X must be 2-D (samples x features); got shape (2,)
    """
    arr = as_numbers(x, name).astype(float, copy=False)
    if arr.ndim != 2:
        raise ValueError(
            f"{name} must be 2-D (samples x features); got shape {arr.shape}"
        )
    if arr.shape[0] < min_rows:
        raise ValueError(
            f"{name} must have at least {min_rows} row(s); got {arr.shape[0]}"
        )
    if arr.shape[1] < min_cols:
        raise ValueError(
            f"{name} must have at least {min_cols} column(s); got {arr.shape[1]}"
        )
    if not allow_nonfinite:
        _check_finite(arr, name)
    return arr


def as_probabilities(x: Any, name: str) -> np.ndarray:
    """Return ``x`` as a 1-D float array of probabilities (finite, in [0, 1]).

    Examples
    --------
    >>> as_probabilities([0.2, 1.5, -0.1], "probabilities")
    Traceback (most recent call last):
    ...
    ValueError: probabilities must be in [0, 1]; found 1.5 (2 value(s) outside)
    """
    arr = as_1d(x, name)
    outside = (arr < 0) | (arr > 1)
    if outside.any():
        raise ValueError(
            f"{name} must be in [0, 1]; found {show(arr[outside][0])} "
            f"({int(outside.sum())} value(s) outside)"
        )
    return arr


def check_length(arr: Any, name: str, size: int, other: str) -> None:
    """Raise ``ValueError`` unless ``arr`` has ``size`` elements, like ``other``.

    Examples
    --------
    >>> check_length(np.ones(2), "b", 3, "a")
    Traceback (most recent call last):
    ...
    ValueError: b must have the same length as a (3); got 2
    """
    n = len(arr)
    if n != size:
        raise ValueError(
            f"{name} must have the same length as {other} ({size}); got {n}"
        )


def check_non_constant(arr: np.ndarray, name: str) -> None:
    """Raise ``ValueError`` if ``arr`` has no spread (a standard deviation of 0).

    Examples
    --------
    >>> check_non_constant(np.array([2.0, 2.0]), "x")
    Traceback (most recent call last):
    ...
    ValueError: x is constant (every value is 2.0): its standard deviation is 0
    """
    if arr.size and arr.max() == arr.min():  # not np.ptp: it overflows near 1e308
        raise ValueError(
            f"{name} is constant (every value is {show(arr.flat[0])}): "
            "its standard deviation is 0"
        )


def safe_scaled(arr: np.ndarray, bound: int = 400) -> tuple[np.ndarray, int]:
    """``arr`` times a power of two ``2**-e``, when its magnitude calls for it.

    Returns the scaled array and ``e`` (``arr = scaled * 2**e``). When the largest
    ``|value|`` is between ``2**-bound`` and ``2**bound``, ``arr`` itself (``e = 0``);
    otherwise ``arr`` times the power of two that brings the largest ``|value|`` to
    about ``2**bound`` (or ``2**-bound``): the smallest shift, so a value far below
    the largest loses as few bits as it can. With the default bound, squares and
    sums of up to 2**200 squares are normal floats, so a mean, a standard deviation
    or a distance computed on the scaled values neither overflows nor underflows;
    ``bound=1022`` is enough for a difference or a median. Multiplying by a power
    of two is exact, so the statistic is the same (scale-free) or scales back
    exactly, for any finite input from 5e-324 to 1.7e308.

    Examples
    --------
    >>> scaled, e = safe_scaled(np.array([3e300, -1e300]))
    >>> e, float(np.abs(scaled).max()) < 2.0**400, np.ldexp(scaled, e).tolist()
    (599, True, [3e+300, -1e+300])
    >>> safe_scaled(np.array([2.0, 3.0]))
    (array([2., 3.]), 0)
    """
    peak = float(np.max(np.abs(arr))) if arr.size else 0.0
    if peak == 0.0:
        return arr, 0
    _, top = np.frexp(peak)
    shift = int(top - bound if top > bound else top + bound if top < -bound else 0)
    return (np.ldexp(arr, -shift), shift) if shift else (arr, 0)
