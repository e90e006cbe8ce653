"""Scalar checks: numbers (bool is not one), flags, choices, strings, seeds, sizes.

Part of :mod:`modelmaint._validation`, the one door every public function's inputs go
through. A value of the wrong *type* raises :class:`InputTypeError` (a ``TypeError``);
a value of the right type outside what is allowed raises ``ValueError``. Every
message starts with the parameter's name and prints plain values (``2.5``, never
``np.float64(2.5)``), as scikit-learn's ``check_scalar`` does.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable
from typing import Any

import numpy as np

#: Largest number of elements one call may allocate for a simulation, a bootstrap or
#: a distance matrix (400 MB of float64): beyond it a typo (``n_steps=10**9``), not a
#: study, is the likely cause. The course's largest use is about 6 million.
MAX_ELEMENTS = 50_000_000

#: Largest number of quantile bins (PSI, histograms).
MAX_BINS = 10_000


class InputTypeError(TypeError, ValueError):
    """An input of the wrong type.

    A ``TypeError``; also a ``ValueError``, as scikit-learn's
    ``InvalidParameterError`` is, so code written when these checks raised
    ``ValueError`` for every bad input keeps working.

    Examples
    --------
    >>> issubclass(InputTypeError, TypeError), issubclass(InputTypeError, ValueError)
    (True, True)
    """


def show(value: Any) -> str:
    """``repr`` of a value for a message; NumPy scalars shown as plain Python numbers.

    Examples
    --------
    >>> show(np.float64(2.5)), show("a"), show(np.array([1.5]))
    ('2.5', "'a'", 'array([1.5])')
    """
    if isinstance(value, np.generic):
        value = value.item()
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _interval(low: Any, high: Any, include_low: bool, include_high: bool) -> str:
    if high is None:
        return f"{'>=' if include_low else '>'} {show(low)}"
    if low is None:
        return f"{'<=' if include_high else '<'} {show(high)}"
    return (
        ("[" if include_low else "(")
        + f"{show(low)}, {show(high)}"
        + ("]" if include_high else ")")
    )


def check_scalar(
    value: Any,
    name: str,
    kind: type = float,
    *,
    low: float | None = None,
    high: float | None = None,
    include_low: bool = True,
    include_high: bool = True,
) -> Any:
    """Check a number's type and range, as scikit-learn's ``check_scalar`` does.

    ``kind=float`` accepts any real number (Python or NumPy; not bool, not complex,
    not a string or a one-element array) and returns a finite float; ``kind=int``
    accepts integers only and returns an int.

    Examples
    --------
    >>> check_scalar(0.3, "value", low=0)
    0.3
    >>> try:
    ...     check_scalar(True, "value")
    ... except TypeError as err:
    ...     print(err)
    value must be a real number; got True
    >>> check_scalar(np.float64(-1.0), "value", low=0)
    Traceback (most recent call last):
    ...
    ValueError: value must be >= 0; got -1.0
    >>> check_scalar(1.0, "lam", low=0, high=1, include_low=False)
    1.0
    """
    integer = kind is int
    what = "an integer" if integer else "a real number"
    ok = isinstance(value, numbers.Integral if integer else numbers.Real)
    if not ok or isinstance(value, (bool, np.bool_, np.timedelta64)):
        raise InputTypeError(f"{name} must be {what}; got {show(value)}")
    if not integer:
        try:
            out: Any = float(value)
        except OverflowError:
            out = math.inf
        if not math.isfinite(out):
            raise ValueError(f"{name} must be finite; got {show(value)}")
    else:
        out = int(value)
    too_low = low is not None and (out < low if include_low else out <= low)
    too_high = high is not None and (out > high if include_high else out >= high)
    if too_low or too_high:
        rule = _interval(low, high, include_low, include_high)
        prefix = f"{what} " if integer else ""
        raise ValueError(f"{name} must be {prefix}{_in(rule)}; got {show(value)}")
    return out


def _in(rule: str) -> str:
    return f"in {rule}" if rule[0] in "[(" else rule


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
    return check_scalar(value, name)


def check_fraction(
    value: Any,
    name: str,
    *,
    include_low: bool = False,
    include_high: bool = False,
) -> float:
    """Check that ``value`` lies in the unit interval (open by default).

    Examples
    --------
    >>> check_fraction(0.05, "alpha")
    0.05
    >>> check_fraction(1.5, "alpha")
    Traceback (most recent call last):
    ...
    ValueError: alpha must be in (0, 1); got 1.5
    """
    return check_scalar(
        value, name, low=0, high=1, include_low=include_low, include_high=include_high
    )


def check_positive(value: Any, name: str, *, allow_zero: bool = False) -> float:
    """Check that ``value`` is a finite number > 0 (or >= 0); return it as a float.

    Examples
    --------
    >>> check_positive(0, "sigma")
    Traceback (most recent call last):
    ...
    ValueError: sigma must be > 0; got 0
    """
    return check_scalar(value, name, low=0, include_low=allow_zero)


def check_int(
    value: Any, name: str, *, minimum: int | None = None, maximum: int | None = None
) -> int:
    """Check that ``value`` is an integer (not a bool) in ``[minimum, maximum]``.

    A value of another type raises :class:`InputTypeError`; the message names the
    bound that is broken.

    Examples
    --------
    >>> check_int(10, "bins", minimum=2)
    10
    >>> check_int(1, "bins", minimum=2)
    Traceback (most recent call last):
    ...
    ValueError: bins must be an integer >= 2; got 1
    >>> check_int(20_000, "bins", minimum=2, maximum=10_000)
    Traceback (most recent call last):
    ...
    ValueError: bins must be an integer <= 10000; got 20000
    """
    ok = isinstance(value, (int, np.integer)) and not isinstance(
        value, (bool, np.timedelta64)
    )
    too_high = ok and maximum is not None and value > maximum
    bound = f" >= {minimum}" if minimum is not None else ""
    rule = "an integer" + (f" <= {maximum}" if too_high else bound)
    if not ok:
        raise InputTypeError(f"{name} must be {rule}; got {show(value)}")
    if too_high or (minimum is not None and value < minimum):
        raise ValueError(f"{name} must be {rule}; got {show(value)}")
    return int(value)


def check_seed(value: Any, name: str = "seed", *, generator: bool = False) -> Any:
    """An integer seed >= 0 (what ``numpy.random.default_rng`` takes), or with
    ``generator=True`` also a ``numpy.random.Generator`` or None.

    Examples
    --------
    >>> check_seed(3)
    3
    >>> check_seed(-1)
    Traceback (most recent call last):
    ...
    ValueError: seed must be an integer >= 0; got -1
    """
    if generator and (value is None or isinstance(value, np.random.Generator)):
        return value
    return check_int(value, name, minimum=0)


def check_bool(value: Any, name: str) -> bool:
    """Check that ``value`` is a bool (NumPy's too; not 0, 1 or None).

    Examples
    --------
    >>> check_bool(None, "verify")
    Traceback (most recent call last):
    ...
    modelmaint._validation._scalars.InputTypeError: verify must be True or False; \
got None
    """
    if not isinstance(value, (bool, np.bool_)):
        raise InputTypeError(f"{name} must be True or False; got {show(value)}")
    return bool(value)


def check_one_of(value: Any, name: str, allowed: Iterable[Any]) -> Any:
    """Check that ``value`` is one of ``allowed``; the message lists the valid values.

    Examples
    --------
    >>> check_one_of("int4", "mode", ["float32", "int8"])
    Traceback (most recent call last):
    ...
    ValueError: mode must be one of 'float32', 'int8'; got 'int4'
    """
    options = list(allowed)
    listed = ", ".join(repr(o) for o in options)
    if not isinstance(value, (str, int, float, type(None), np.generic)):
        raise InputTypeError(f"{name} must be one of {listed}; got {show(value)}")
    if value not in options:
        raise ValueError(f"{name} must be one of {listed}; got {show(value)}")
    return value
