"""Checks of tables and of sequences: DataFrames, their numeric columns, samples of
categories, names, integer indices.

Part of :mod:`modelmaint._validation`. A column is named in the message as
``reference['income']``, so the parameter and the column are both there.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from modelmaint._validation._arrays import as_numbers
from modelmaint._validation._scalars import InputTypeError, show

if TYPE_CHECKING:  # pandas is imported by the checks that need it, when they run
    import pandas as pd


def check_frame(frame: Any, name: str, *, min_rows: int = 1) -> pd.DataFrame:
    """Check that ``frame`` is a DataFrame with at least ``min_rows`` rows.

    Examples
    --------
    >>> try:
    ...     check_frame([[1.0]], "reference")
    ... except TypeError as err:
    ...     print(err)
    reference must be a pandas DataFrame; got list
    >>> import pandas as pd
    >>> check_frame(pd.DataFrame({"x": []}), "batch")
    Traceback (most recent call last):
    ...
    ValueError: batch must have at least 1 row; got 0
    """
    import pandas as pd

    if not isinstance(frame, pd.DataFrame):
        raise InputTypeError(
            f"{name} must be a pandas DataFrame; got {type(frame).__name__}"
        )
    if len(frame) < min_rows:
        raise ValueError(
            f"{name} must have at least {min_rows} row{'s' * (min_rows > 1)}; "
            f"got {len(frame)}"
        )
    return frame


def looks_numeric(column: pd.Series) -> bool:
    """True for a numeric dtype (not bool), or an object column whose values are
    mostly numbers (a numeric column spoiled by a few strings).

    Examples
    --------
    >>> import pandas as pd
    >>> looks_numeric(pd.Series([1.0, "a", 2.0, 3.0])), looks_numeric(pd.Series(["a"]))
    (True, False)
    """
    import pandas as pd

    if pd.api.types.is_bool_dtype(column):
        return False
    if pd.api.types.is_numeric_dtype(column):
        return True
    if column.dtype != object:
        return False
    present = column.dropna()
    numbers = present.map(lambda v: isinstance(v, (int, float, np.number)))
    return bool(len(present) and numbers.mean() >= 0.5)


def numeric_column(
    frame: pd.DataFrame, column: Any, name: str, *, allow_nonfinite: bool = False
) -> np.ndarray:
    """``frame[column]`` as floats; NaN stays (a missing value), inf is refused.

    Examples
    --------
    >>> import pandas as pd
    >>> reference = pd.DataFrame({"income": [40.0, np.inf]})
    >>> numeric_column(reference, "income", "reference")
    Traceback (most recent call last):
    ...
    ValueError: reference['income'] must be finite; found 1 inf (row 1)
    """
    import pandas as pd

    label = f"{name}[{column!r}]"
    values = frame[column]
    if pd.api.types.is_bool_dtype(values):
        raise InputTypeError(f"{label} must be numeric; got booleans")
    try:
        arr = as_numbers(values.to_numpy(), label)
    except InputTypeError as exc:
        position = str(exc).rsplit(" at index ", 1)
        row = (
            f" (row {show(frame.index[int(position[1])])})"
            if len(position) == 2
            else ""
        )
        raise InputTypeError(f"{position[0]}{row}") from None
    arr = arr.astype(float, copy=False)
    infinite = np.isinf(arr)
    if infinite.any() and not allow_nonfinite:
        first = show(frame.index[int(np.argmax(infinite))])
        raise ValueError(
            f"{label} must be finite; found {int(infinite.sum())} inf (row {first})"
        )
    return arr


def as_labels(x: Any, name: str) -> np.ndarray:
    """A 1-D, non-empty sample of categories without missing values, as strings.

    Examples
    --------
    >>> as_labels(["a", 1], "reference")
    array(['a', '1'], dtype='<U1')
    >>> as_labels(["a", None], "reference")
    Traceback (most recent call last):
    ...
    ValueError: reference must not contain missing values; found 1 NaN/None
    """
    if x is None or isinstance(x, (str, bytes, Mapping)):
        raise InputTypeError(
            f"{name} must be a 1-D sample of categories; got {show(x)}"
        )
    import pandas as pd

    arr = np.asarray(x, dtype=object)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be 1-D; got shape {arr.shape}")
    if arr.size == 0:
        raise ValueError(f"{name} must have at least 1 element(s); got 0")
    missing = pd.isna(arr)
    if missing.any():
        raise ValueError(
            f"{name} must not contain missing values; "
            f"found {int(missing.sum())} NaN/None"
        )
    return arr.astype(str)


def as_names(value: Any, name: str, *, allow_empty: bool = False) -> list[Any]:
    """A sequence of column names or labels (strings or integers), as a list.

    Examples
    --------
    >>> as_names(("income", "age"), "features")
    ['income', 'age']
    >>> try:
    ...     as_names("income", "features")
    ... except TypeError as err:
    ...     print(err)
    features must be a list of names; got 'income'
    """
    import pandas as pd

    if isinstance(value, (str, bytes, Mapping)) or not isinstance(
        value, (list, tuple, np.ndarray, pd.Index, pd.Series)
    ):
        raise InputTypeError(f"{name} must be a list of names; got {show(value)}")
    if np.ndim(value) != 1:
        shape = np.shape(value)
        raise ValueError(f"{name} must be a flat list of names; got shape {shape}")
    out = list(value)
    for item in out:
        if item is None or (isinstance(item, float) and np.isnan(item)):
            raise ValueError(f"{name} must not contain missing values; got {show(out)}")
        if not isinstance(item, (str, int, np.integer)) or isinstance(item, bool):
            raise InputTypeError(
                f"{name} must hold strings (or integer labels); got {show(item)}"
            )
    if not out and not allow_empty:
        raise ValueError(f"{name} must name at least 1 column; got []")
    return out


def as_indices(values: Any, name: str) -> list[int]:
    """Integer indices >= 0 (a change point, a row), in the order given.

    Examples
    --------
    >>> as_indices(np.array([10, 20]), "predictions")
    [10, 20]
    >>> try:
    ...     as_indices([1.5], "predictions")
    ... except TypeError as err:
    ...     print(err)
    predictions must contain integer indices; got 1.5
    """
    if isinstance(values, (str, bytes, Mapping)) or not hasattr(values, "__iter__"):
        raise InputTypeError(
            f"{name} must be a sequence of integer indices; got {show(values)}"
        )
    if isinstance(values, np.ndarray) and values.ndim != 1:
        raise ValueError(f"{name} must be 1-D; got shape {values.shape}")
    out = []
    for v in values:
        if isinstance(v, (bool, np.bool_, np.timedelta64)) or not isinstance(
            v, (int, np.integer)
        ):
            raise InputTypeError(f"{name} must contain integer indices; got {show(v)}")
        if v < 0:
            raise ValueError(f"{name} must contain indices >= 0; got {show(v)}")
        out.append(int(v))
    return out
