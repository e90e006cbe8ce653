"""Input validation shared by every public function: one place for the messages.

Every check raises :class:`ValueError` whose message starts with the parameter's name,
says what was wrong and what is allowed, in the style of scikit-learn's
``check_array`` ("x must be ...; got ...").
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np

__all__ = [
    "as_1d",
    "as_array",
    "as_probabilities",
    "as_2d",
    "check_bool",
    "check_fraction",
    "check_int",
    "check_non_constant",
    "check_one_of",
    "check_positive",
    "check_real",
    "show",
]


def _shape_text(arr: np.ndarray) -> str:
    return f"shape {arr.shape}"


def show(value: Any) -> str:
    """``repr`` of a value for a message; NumPy scalars shown as plain Python numbers.

    Examples
    --------
    >>> show(np.float64(2.5)), show("a")
    ('2.5', "'a'")
    """
    if isinstance(value, np.generic):
        value = value.item()
    return repr(value)


def _to_array(x: Any, name: str, dtype: Any) -> np.ndarray:
    try:
        return np.asarray(x, dtype=dtype)
    except (TypeError, ValueError) as exc:
        raise ValueError(
            f"{name} must be numeric; got {type(x).__name__}: {exc}"
        ) from exc


def _check_finite(arr: np.ndarray, name: str) -> None:
    if not np.all(np.isfinite(arr)):
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
    """Return ``x`` as a 1-D NumPy array, or raise a ``ValueError`` naming ``name``.

    Examples
    --------
    >>> as_1d([1, 2, 3], "x")
    array([1., 2., 3.])
    >>> as_1d([], "x")
    Traceback (most recent call last):
    ...
    ValueError: x must have at least 1 element(s); got 0
    """
    arr = _to_array(x, name, dtype)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be 1-D; got {_shape_text(arr)}")
    if arr.size < min_size:
        raise ValueError(
            f"{name} must have at least {min_size} element(s); got {arr.size}"
        )
    if not allow_nonfinite and arr.dtype.kind == "f":
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

    For weights, logits and other tensors; :func:`as_1d` and :func:`as_2d` are the
    stricter forms for samples and tables.

    Examples
    --------
    >>> as_array([[0.5, -1.0]], "weights").shape
    (1, 2)
    >>> as_array(np.zeros((2, 2, 2)), "logits", ndims=(1, 2))
    Traceback (most recent call last):
    ...
    ValueError: logits must have 1 or 2 dimension(s); got shape (2, 2, 2)
    >>> as_array([], "weights")
    Traceback (most recent call last):
    ...
    ValueError: weights must have at least 1 element(s); got shape (0,)
    """
    arr = _to_array(x, name, float)
    if ndims is not None and arr.ndim not in ndims:
        allowed = " or ".join(str(n) for n in ndims)
        raise ValueError(
            f"{name} must have {allowed} dimension(s); got {_shape_text(arr)}"
        )
    if arr.size < min_size:
        raise ValueError(
            f"{name} must have at least {min_size} element(s); got {_shape_text(arr)}"
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
    >>> as_2d([[1, 2], [3, 4]], "X").shape
    (2, 2)
    >>> as_2d([1, 2], "X")
    Traceback (most recent call last):
    ...
    ValueError: X must be 2-D (samples x features); got shape (2,)
    """
    arr = _to_array(x, name, float)
    if arr.ndim != 2:
        raise ValueError(
            f"{name} must be 2-D (samples x features); got {_shape_text(arr)}"
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
    >>> as_probabilities([0.2, 0.9], "probabilities")
    array([0.2, 0.9])
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


def check_non_constant(arr: np.ndarray, name: str) -> None:
    """Raise ``ValueError`` if ``arr`` has no spread (a standard deviation of 0).

    Examples
    --------
    >>> check_non_constant(np.array([2.0, 2.0]), "x")
    Traceback (most recent call last):
    ...
    ValueError: x is constant (every value is 2.0): its standard deviation is 0
    """
    if arr.size and np.ptp(arr) == 0:
        raise ValueError(
            f"{name} is constant (every value is {show(arr.flat[0])}): "
            "its standard deviation is 0"
        )


def check_real(value: Any, name: str) -> float:
    """Check that ``value`` is a finite real number (any sign); return it as a float.

    Examples
    --------
    >>> check_real(-2, "shift")
    -2.0
    >>> check_real(float("nan"), "target")
    Traceback (most recent call last):
    ...
    ValueError: target must be finite; got nan
    """
    if isinstance(value, bool) or not isinstance(
        value, (int, float, np.integer, np.floating)
    ):
        raise ValueError(f"{name} must be a real number; got {show(value)}")
    out = float(value)
    if not math.isfinite(out):
        raise ValueError(f"{name} must be finite; got {show(value)}")
    return out


def check_fraction(
    value: Any,
    name: str,
    *,
    include_low: bool = False,
    include_high: bool = False,
) -> float:
    """Check that ``value`` lies in the unit interval; return it as a float.

    The interval is open by default: ``(0, 1)``. ``include_low``/``include_high``
    close either end.

    Examples
    --------
    >>> check_fraction(0.05, "alpha")
    0.05
    >>> check_fraction(1.0, "lam", include_high=True)
    1.0
    >>> check_fraction(1.5, "alpha")
    Traceback (most recent call last):
    ...
    ValueError: alpha must be in (0, 1); got 1.5
    """
    v = check_real(value, name)
    low_ok = v >= 0 if include_low else v > 0
    high_ok = v <= 1 if include_high else v < 1
    if not (low_ok and high_ok):
        interval = (
            ("[" if include_low else "(") + "0, 1" + ("]" if include_high else ")")
        )
        raise ValueError(f"{name} must be in {interval}; got {show(value)}")
    return v


def check_positive(value: Any, name: str, *, allow_zero: bool = False) -> float:
    """Check that ``value`` is a finite number > 0 (or >= 0); return it as a float.

    Examples
    --------
    >>> check_positive(3, "k")
    3.0
    >>> check_positive(0, "sigma")
    Traceback (most recent call last):
    ...
    ValueError: sigma must be > 0; got 0
    """
    v = check_real(value, name)
    if v < 0 or (v == 0 and not allow_zero):
        raise ValueError(
            f"{name} must be {'>= 0' if allow_zero else '> 0'}; got {show(value)}"
        )
    return v


def check_int(value: Any, name: str, *, minimum: int | None = None) -> int:
    """Check that ``value`` is an integer (not a bool) at least ``minimum``.

    Examples
    --------
    >>> check_int(10, "bins", minimum=2)
    10
    >>> check_int(1, "bins", minimum=2)
    Traceback (most recent call last):
    ...
    ValueError: bins must be an integer >= 2; got 1
    """
    ok = isinstance(value, (int, np.integer)) and not isinstance(value, bool)
    if not ok or (minimum is not None and value < minimum):
        rule = "an integer" + (f" >= {minimum}" if minimum is not None else "")
        raise ValueError(f"{name} must be {rule}; got {show(value)}")
    return int(value)


def check_bool(value: Any, name: str) -> bool:
    """Check that ``value`` is a bool (NumPy's too; not 0, 1 or None).

    Examples
    --------
    >>> check_bool(True, "verify")
    True
    >>> check_bool(None, "verify")
    Traceback (most recent call last):
    ...
    TypeError: verify must be True or False; got None
    """
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False; got {show(value)}")
    return bool(value)


def check_one_of(value: Any, name: str, allowed: Iterable[Any]) -> Any:
    """Check that ``value`` is one of ``allowed``; the message lists the valid values.

    Examples
    --------
    >>> check_one_of("int8", "mode", ["float32", "int8"])
    'int8'
    >>> check_one_of("int4", "mode", ["float32", "int8"])
    Traceback (most recent call last):
    ...
    ValueError: mode must be one of 'float32', 'int8'; got 'int4'
    """
    options = list(allowed)
    if value not in options:
        listed = ", ".join(repr(o) for o in options)
        raise ValueError(f"{name} must be one of {listed}; got {show(value)}")
    return value
