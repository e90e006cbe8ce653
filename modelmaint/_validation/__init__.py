"""Input validation shared by every public function: the one door, one message style.

Every check raises an error whose message starts with the parameter's name, says what
was wrong and what is allowed, in the style of scikit-learn's ``check_array`` and
``check_scalar`` ("x must be ...; got ..."), and prints plain values (``2.5``, never
``np.float64(2.5)``):

* a value of the wrong **type** - a string where a number belongs, ``True`` as a
  number, a complex, datetime, timedelta, string or object array where real numbers
  belong, a list where a DataFrame belongs - raises :class:`InputTypeError`, a
  ``TypeError`` (also a ``ValueError``, for code that catches the ``ValueError``
  these checks raised before);
* a value of the right type that is not allowed - out of range, the wrong shape,
  empty, NaN or inf, a size that would allocate absurd memory - raises ``ValueError``.

One module per job: :mod:`~modelmaint._validation._scalars` (numbers, flags,
choices, seeds), :mod:`~modelmaint._validation._objects` (strings, callables,
objects, size budgets), :mod:`~modelmaint._validation._arrays` (arrays of real
numbers, and :func:`safe_scaled` for statistics that must hold over the whole
finite float range), :mod:`~modelmaint._validation._tables` (DataFrames, their
columns, categories, names, indices). Every name is importable from here.

Examples
--------
>>> from modelmaint._validation import as_1d, check_int
>>> as_1d([1, 2], "x"), check_int(3, "bins", minimum=2)
(array([1., 2.]), 3)
"""

from __future__ import annotations

from modelmaint._validation._arrays import (
    as_1d,
    as_2d,
    as_array,
    as_numbers,
    as_probabilities,
    check_length,
    check_non_constant,
    safe_scaled,
)
from modelmaint._validation._objects import (
    check_budget,
    check_callable,
    check_instance,
    check_path,
    check_str,
)
from modelmaint._validation._scalars import (
    MAX_BINS,
    MAX_ELEMENTS,
    InputTypeError,
    check_bool,
    check_fraction,
    check_int,
    check_one_of,
    check_positive,
    check_real,
    check_scalar,
    check_seed,
    show,
)
from modelmaint._validation._tables import (
    as_indices,
    as_labels,
    as_names,
    check_frame,
    looks_numeric,
    numeric_column,
)

__all__ = [
    "MAX_BINS",
    "MAX_ELEMENTS",
    "InputTypeError",
    "as_1d",
    "as_2d",
    "as_array",
    "as_indices",
    "as_labels",
    "as_names",
    "as_numbers",
    "as_probabilities",
    "check_bool",
    "check_budget",
    "check_callable",
    "check_fraction",
    "check_frame",
    "check_instance",
    "check_int",
    "check_length",
    "check_non_constant",
    "check_one_of",
    "check_positive",
    "check_real",
    "check_scalar",
    "check_seed",
    "check_path",
    "check_str",
    "looks_numeric",
    "numeric_column",
    "show",
    "safe_scaled",
]
