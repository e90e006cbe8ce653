"""The shared validation helpers: one message style for every public function."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from modelmaint import _validation as v


def test_as_1d_accepts_lists_and_returns_float() -> None:
    out = v.as_1d([1, 2, 3], "x")
    assert out.dtype == float and out.tolist() == [1.0, 2.0, 3.0]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ([], "x must have at least 1 element(s); got 0"),
        ([[1.0, 2.0]], "x must be 1-D; got shape (1, 2)"),
        ([1.0, math.nan], "x must contain only finite values; found 1 NaN or inf"),
        (
            [1.0, math.inf, -math.inf],
            "x must contain only finite values; found 2 NaN or inf",
        ),
        (["a", "b"], "x must be numeric"),
    ],
)
def test_as_1d_rejects(value: object, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        v.as_1d(value, "x")


def test_as_1d_min_size_and_nonfinite_allowed() -> None:
    with pytest.raises(
        ValueError, match=re.escape("x must have at least 3 element(s); got 2")
    ):
        v.as_1d([1, 2], "x", min_size=3)
    assert np.isnan(v.as_1d([np.nan], "x", allow_nonfinite=True)[0])


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ([1.0, 2.0], "X must be 2-D (samples x features); got shape (2,)"),
        (np.zeros((0, 3)), "X must have at least 1 row(s); got 0"),
        (np.zeros((2, 0)), "X must have at least 1 column(s); got 0"),
        ([[1.0, np.nan]], "X must contain only finite values; found 1 NaN or inf"),
    ],
)
def test_as_2d_rejects(value: object, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        v.as_2d(value, "X")


def test_check_non_constant() -> None:
    v.check_non_constant(np.array([1.0, 2.0]), "x")
    with pytest.raises(ValueError, match="x is constant"):
        v.check_non_constant(np.array([3.0, 3.0, 3.0]), "x")


@pytest.mark.parametrize(
    ("value", "kwargs", "message"),
    [
        (0.0, {}, "alpha must be in (0, 1); got 0.0"),
        (1.0, {}, "alpha must be in (0, 1); got 1.0"),
        (-0.1, {"include_low": True}, "alpha must be in [0, 1); got -0.1"),
        (1.2, {"include_high": True}, "alpha must be in (0, 1]; got 1.2"),
        ("0.5", {}, "alpha must be a real number; got '0.5'"),
        (True, {}, "alpha must be a real number; got True"),
        (math.nan, {}, "alpha must be finite; got nan"),
    ],
)
def test_check_fraction_rejects(value: object, kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        v.check_fraction(value, "alpha", **kwargs)


def test_check_fraction_closed_ends() -> None:
    assert v.check_fraction(1, "lam", include_high=True) == 1.0
    assert v.check_fraction(0, "p", include_low=True) == 0.0


def test_check_positive() -> None:
    assert v.check_positive(np.float32(2.5), "sigma") == 2.5
    assert v.check_positive(0, "k", allow_zero=True) == 0.0
    with pytest.raises(ValueError, match=re.escape("sigma must be > 0; got -1")):
        v.check_positive(-1, "sigma")
    with pytest.raises(ValueError, match=re.escape("k must be >= 0; got -0.5")):
        v.check_positive(-0.5, "k", allow_zero=True)


def test_check_int() -> None:
    assert v.check_int(np.int64(4), "bins", minimum=2) == 4
    for bad in (1, 2.0, True, "3"):
        with pytest.raises(ValueError, match="bins must be an integer >= 2"):
            v.check_int(bad, "bins", minimum=2)


def test_check_one_of_lists_valid_values() -> None:
    with pytest.raises(
        ValueError, match=re.escape("mode must be one of 'a', 'b'; got 'c'")
    ):
        v.check_one_of("c", "mode", ["a", "b"])


def test_as_array_any_dimension() -> None:
    assert v.as_array(np.ones((2, 3, 4)), "weights").shape == (2, 3, 4)
    assert v.as_array(5, "w").shape == ()


@pytest.mark.parametrize(
    ("value", "kwargs", "message"),
    [
        ([], {}, "w must have at least 1 element(s); got shape (0,)"),
        (np.zeros((2, 2, 2)), {"ndims": (1, 2)}, "w must have 1 or 2 dimension(s)"),
        ([[1.0, np.inf]], {}, "w must contain only finite values; found 1 NaN or inf"),
        ([object()], {}, "w must be numeric"),
    ],
)
def test_as_array_rejects(value: object, kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        v.as_array(value, "w", **kwargs)
