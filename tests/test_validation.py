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


# -- issue 17: the one door ----------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ([1 + 2j, 3.0], "x must be numeric; got complex values (dtype complex128)"),
        (np.array(["2024-01-01"], dtype="M8[D]"), "x must be numeric; got datetime"),
        (np.array([1, 2], dtype="m8[s]"), "x must be numeric; got timedelta"),
        (["1.0", "2.0"], "x must be numeric; got string values"),
        ([b"1"], "x must be numeric; got bytes values"),
        (np.array([1.0, "a"], dtype=object), "x must be numeric; got 'a' at index 1"),
        (np.array([1.0, 2j], dtype=object), "x must be numeric; got 2j at index 1"),
        (None, "x must be numeric; got None"),
        ("abc", "x must be numeric; got 'abc'"),
    ],
)
def test_the_door_refuses_what_is_not_a_real_number(value, message):
    with pytest.raises(TypeError, match=re.escape(message)):
        v.as_1d(value, "x")


def test_object_arrays_of_numbers_and_missing_values_pass():
    out = v.as_numbers(np.array([1, 2.5, None, np.int64(3)], dtype=object), "x")
    assert out.dtype == float and np.isnan(out[2]) and out[3] == 3.0
    with pytest.raises(ValueError, match="x must contain only finite values"):
        v.as_1d(np.array([1.0, None], dtype=object), "x")
    with pytest.raises(ValueError, match="integer too large for a float"):
        v.as_1d([10**400], "x")


def test_a_wrong_type_is_a_type_error_and_still_a_value_error():
    with pytest.raises(TypeError) as caught:
        v.check_real("0.5", "alpha")
    assert isinstance(caught.value, ValueError)  # callers that caught ValueError
    assert str(caught.value) == "alpha must be a real number; got '0.5'"


@pytest.mark.parametrize(
    ("value", "kwargs", "error", "message"),
    [
        (True, {}, TypeError, "value must be a real number; got True"),
        (np.True_, {}, TypeError, "value must be a real number; got True"),
        ("0.3", {}, TypeError, "value must be a real number; got '0.3'"),
        (np.array([0.3]), {}, TypeError, "value must be a real number; got array"),
        (1 + 0j, {}, TypeError, "value must be a real number; got (1+0j)"),
        (np.float64(-1.5), {"low": 0}, ValueError, "value must be >= 0; got -1.5"),
        (np.float64("nan"), {}, ValueError, "value must be finite; got nan"),
        (2.0, {"high": 1}, ValueError, "value must be <= 1; got 2.0"),
        (0.0, {"low": 0, "include_low": False}, ValueError, "value must be > 0"),
        (10**400, {}, ValueError, "value must be finite"),
    ],
)
def test_check_scalar_like_scikit_learn(value, kwargs, error, message):
    with pytest.raises(error, match=re.escape(message)):
        v.check_scalar(value, "value", **kwargs)


def test_messages_print_plain_values_never_numpy_reprs():
    with pytest.raises(ValueError) as caught:
        v.check_positive(np.float64(-2.5), "sigma")
    assert "np.float64" not in str(caught.value) and "got -2.5" in str(caught.value)
    assert v.show(np.int64(3)) == "3"


def test_integers_seeds_and_sizes():
    assert v.check_int(np.int64(5), "n", minimum=1, maximum=10) == 5
    with pytest.raises(
        ValueError, match=re.escape("n must be an integer <= 10; got 11")
    ):
        v.check_int(11, "n", minimum=1, maximum=10)
    with pytest.raises(TypeError, match="n must be an integer >= 1; got 2.0"):
        v.check_int(2.0, "n", minimum=1)
    with pytest.raises(TypeError, match="n must be an integer"):
        v.check_int(np.timedelta64(3), "n")
    generator = np.random.default_rng(0)
    assert v.check_seed(generator, generator=True) is generator
    with pytest.raises(ValueError, match="seed must be an integer >= 0; got -1"):
        v.check_seed(-1)
    assert v.check_budget({"n_streams": 10, "n_steps": 20}) == 200
    with pytest.raises(ValueError, match=r"n_streams x n_steps must be at most 50,000"):
        v.check_budget({"n_streams": 2000, "n_steps": 10**9})
    with pytest.raises(ValueError, match=r"bins must be at most 50,000,000 values \("):
        v.check_budget({"bins": 10**9})


def test_strings_callables_and_objects():
    assert v.check_str("", "title") == ""
    with pytest.raises(TypeError, match="title must be a string; got 3"):
        v.check_str(3, "title")
    with pytest.raises(ValueError, match="tag must be a non-empty string; got ''"):
        v.check_str("", "tag", allow_empty=False)
    with pytest.raises(TypeError, match="fn must be callable; got int"):
        v.check_callable(3, "fn")
    with pytest.raises(TypeError, match="rules must be a dict; got list"):
        v.check_instance([], "rules", dict, "a dict")
    with pytest.raises(TypeError, match="mode must be one of 'a'; got"):
        v.check_one_of(np.array([1, 2]), "mode", ["a"])


def test_tables_names_labels_and_indices():
    import pandas as pd

    frame = pd.DataFrame({"income": [40.0, np.nan, 60.0], "text": ["a", "b", "c"]})
    assert np.isnan(v.numeric_column(frame, "income", "reference")[1])
    with pytest.raises(ValueError, match=r"reference\['income'\] must be finite; "):
        v.numeric_column(frame.assign(income=np.inf), "income", "reference")
    spoiled = frame.assign(income=pd.Series([40.0, "n/a", 60.0], dtype=object))
    assert v.looks_numeric(spoiled["income"]) and not v.looks_numeric(frame["text"])
    with pytest.raises(TypeError, match=r"reference\['income'\] must be numeric; got"):
        v.numeric_column(spoiled, "income", "reference")
    with pytest.raises(TypeError, match="batch must be a pandas DataFrame; got dict"):
        v.check_frame({"x": [1]}, "batch")
    assert v.as_names(np.array(["a", "b"]), "features") == ["a", "b"]
    with pytest.raises(TypeError, match="features must be a list of names; got 3"):
        v.as_names(3, "features")
    with pytest.raises(ValueError, match="features must not contain missing"):
        v.as_names(["a", None], "features")
    with pytest.raises(ValueError, match="reference must not contain missing"):
        v.as_labels(["a", np.nan], "reference")
    assert v.as_indices((0, np.int64(3)), "points") == [0, 3]
    with pytest.raises(ValueError, match="points must contain indices >= 0; got -1"):
        v.as_indices([-1], "points")


@pytest.mark.parametrize("scale", [5e-324, 1e-310, 1e-125, 1e125, 1e300, 1.7e308])
def test_safe_scaled_is_exact_and_tames_extreme_magnitudes(scale):
    x = np.array([scale, -scale / 2, 0.0])
    scaled, e = v.safe_scaled(x)
    peak = np.abs(scaled).max()
    assert (2.0**-401 <= peak < 2.0**400) if e else scaled is x
    assert np.array_equal(np.ldexp(scaled, e), x)
    with np.errstate(over="raise", under="ignore"):
        assert np.isfinite((scaled**2).sum() * 2.0**100)  # sums of squares stay floats
