"""Checks of inputs that are not numbers: strings, callables, objects, and sizes.

Part of :mod:`modelmaint._validation`. A wrong type raises :class:`InputTypeError`;
:func:`check_budget` refuses sizes whose product would allocate absurd memory
(``psi(..., bins=10**9)``, ``n_streams x n_steps`` of a simulation).
"""

from __future__ import annotations

import math
import os
from typing import Any

from modelmaint._validation._scalars import MAX_ELEMENTS, InputTypeError, show


def check_str(
    value: Any, name: str, *, allow_none: bool = False, allow_empty: bool = True
) -> str | None:
    """Check that ``value`` is a string (a label, a title, a name).

    Examples
    --------
    >>> check_str("accuracy", "ylabel")
    'accuracy'
    >>> try:
    ...     check_str(3, "ylabel")
    ... except TypeError as err:
    ...     print(err)
    ylabel must be a string; got 3
    """
    if value is None and allow_none:
        return None
    if not isinstance(value, str):
        rule = "a string or None" if allow_none else "a string"
        raise InputTypeError(f"{name} must be {rule}; got {show(value)}")
    if not allow_empty and not value:
        rule = "a non-empty string" + (" or None" if allow_none else "")
        raise ValueError(f"{name} must be {rule}; got ''")
    return value


def check_path(value: Any, name: str) -> str | os.PathLike[str]:
    """``value`` if it is a non-empty ``str`` or ``os.PathLike``; else raise naming it.

    An int would be opened as a file descriptor and ``''`` is the current folder:
    neither is a path to a file the caller meant.

    Examples
    --------
    >>> check_path("model.keras", "path")
    'model.keras'
    >>> check_path(3, "path")
    Traceback (most recent call last):
    ...
    modelmaint._validation._scalars.InputTypeError: path must be a path (str or \
os.PathLike); got 3
    """
    if not isinstance(value, (str, os.PathLike)):
        raise InputTypeError(
            f"{name} must be a path (str or os.PathLike); got {show(value)}"
        )
    if not os.fspath(value):
        raise ValueError(f"{name} must be a non-empty path; got ''")
    return value


def check_callable(value: Any, name: str) -> Any:
    """Check that ``value`` can be called.

    Examples
    --------
    >>> try:
    ...     check_callable("predict", "fn")
    ... except TypeError as err:
    ...     print(err)
    fn must be callable; got str
    """
    if not callable(value):
        raise InputTypeError(f"{name} must be callable; got {type(value).__name__}")
    return value


def check_instance(value: Any, name: str, types: Any, what: str) -> Any:
    """Check that ``value`` is an instance of ``types``, described as ``what``.

    Examples
    --------
    >>> try:
    ...     check_instance(3, "rules", dict, "a dict")
    ... except TypeError as err:
    ...     print(err)
    rules must be a dict; got int
    """
    if not isinstance(value, types):
        raise InputTypeError(f"{name} must be {what}; got {type(value).__name__}")
    return value


def check_budget(
    sizes: dict[str, int], *, limit: int = MAX_ELEMENTS, what: str = "values"
) -> int:
    """Refuse sizes whose product would allocate absurd memory; return the product.

    Every name is in the message, so whichever size is too large is named.

    Examples
    --------
    >>> check_budget({"n_streams": 2000, "n_steps": 600})
    1200000
    >>> check_budget({"n_streams": 2000, "n_steps": 10**9})
    Traceback (most recent call last):
    ...
    ValueError: n_streams x n_steps must be at most 50,000,000 values together ...
    """
    total = math.prod(sizes.values())
    if total > limit:
        names = " x ".join(sizes)
        got = " x ".join(f"{v:,}" for v in sizes.values())
        together, product = (
            (" together", f" = {total:,}") if len(sizes) > 1 else ("", "")
        )
        raise ValueError(
            f"{names} must be at most {limit:,} {what}{together} "
            f"(about {limit * 8 // 10**6:,} MB); got {got}{product}"
        )
    return total
