"""modelmaint.compress's NumPy entry points: bad input refused by name (issue 17), and
affine quantization over the whole finite float range."""

from __future__ import annotations

import math

import numpy as np
import pytest

from modelmaint import compress as c
from modelmaint._validation import InputTypeError

BIGGEST = float(np.finfo(float).max)
TINY = 5e-324


# ----------------------------------------------------------------- quant_params


def round_trip(x, num_bits=8, symmetric=False):
    p = c.quant_params(x, num_bits, symmetric=symmetric)
    q = c.quantize_affine(x, p.scale, p.zero_point, qmin=p.qmin, qmax=p.qmax)
    return p, c.dequantize_affine(q, p.scale, p.zero_point)


@pytest.mark.parametrize("symmetric", [False, True])
@pytest.mark.parametrize(
    "x",
    [[TINY], [-TINY, 3 * TINY], [-1100 * TINY, 3e-320], [1e-310, 2e-310, -5e-311]],
)
def test_subnormal_inputs_get_a_positive_scale_and_round_trip(x, symmetric):
    p, back = round_trip(np.array(x), symmetric=symmetric)
    assert p.scale > 0 and math.isfinite(p.scale)
    assert np.all(np.abs(back - np.array(x)) <= p.scale / 2)


def test_a_subnormal_scale_is_rounded_up_never_down():
    x = np.array([0.0, 1100 * TINY])  # exact scale 1100 / 255 = 4.31 steps of TINY
    p = c.quant_params(x)
    assert p.scale == 5 * TINY  # nearest would be 4: 1100 / 4 = 275 steps > 255
    _, back = round_trip(x)
    assert back[1] == pytest.approx(1100 * TINY, abs=p.scale / 2)


@pytest.mark.parametrize("num_bits", [2, 8, 16])
@pytest.mark.parametrize("symmetric", [False, True])
@pytest.mark.parametrize(
    "x", [[-BIGGEST, BIGGEST], [BIGGEST], [-BIGGEST, 1.0], [1e308, -9e307, 3.0]]
)
def test_huge_ranges_neither_overflow_nor_dequantize_to_inf(x, num_bits, symmetric):
    p, back = round_trip(np.array(x), num_bits, symmetric)
    assert math.isfinite(p.scale) and p.scale > 0
    assert np.all(np.isfinite(back))
    assert np.all(np.abs(back - np.array(x)) <= p.scale / 2 * (1 + 1e-9))


def test_ranges_that_fit_keep_their_exact_parameters():
    """Scaling by a power of two is exact: 1e300-wide inputs get today's numbers."""
    x = np.array([-1e300, 3e300])
    p = c.quant_params(x)
    assert p.scale == (3e300 - -1e300) / 255
    assert p.zero_point == round(-128 + 1e300 / p.scale)


def test_dequantize_saturates_at_the_largest_float():
    out = c.dequantize_affine(np.array([-128, 0, 127]), 1e307, 0)
    assert out.tolist() == [-BIGGEST, 0.0, BIGGEST]  # -1.28e309, 1.27e309 exactly


@pytest.mark.parametrize("bad", [None, "yes", 2, 0.5, 1])
def test_symmetric_must_be_a_bool(bad):
    with pytest.raises(InputTypeError, match="^symmetric must be True or False"):
        c.quant_params([1.0, 2.0], symmetric=bad)


# ----------------------------------------------------------------- affine maps


def test_zero_point_message_names_qmin_and_qmax():
    with pytest.raises(ValueError, match=r"zero_point must be in \[qmin, qmax\]"):
        c.quantize_affine([1.0], 0.1, 0, qmin=-128, qmax=-1)


@pytest.mark.parametrize(
    ("kwargs", "name"), [({"qmax": 2**31}, "qmax"), ({"qmin": -(2**31) - 1}, "qmin")]
)
def test_integer_range_beyond_int32_is_refused(kwargs, name):
    with pytest.raises(ValueError, match=f"^{name} must be an integer"):
        c.quantize_affine([1.0], 0.1, 0, **kwargs)


def test_q_must_be_an_integer_array_of_at_least_one_dimension():
    with pytest.raises(InputTypeError, match="^q must be an integer array"):
        c.dequantize_affine([0.5], 0.1, 0)
    with pytest.raises(InputTypeError, match="^q must be numeric"):
        c.dequantize_affine("abc", 0.1, 0)
    with pytest.raises(ValueError, match="^q must be an array"):
        c.dequantize_affine(np.int64(3), 0.1, 0)


# ----------------------------------------------------------------- weights


@pytest.mark.parametrize(
    "fn",
    [
        lambda w: c.threshold_prune(w, 0.1),
        lambda w: c.magnitude_threshold(w, 0.5),
        lambda w: c.magnitude_prune(w, 0.5),
        lambda w: c.random_prune(w, 0.5),
        c.sparsity,
        c.quant_params,
        lambda w: c.quantize_affine(w, 0.1, 0),
    ],
)
def test_a_lone_number_is_not_weights(fn):
    with pytest.raises(ValueError, match="must be an array of weights"):
        fn(np.float64(0.3))


def test_weights_of_any_shape_are_accepted():
    """A bias is 1-D, a Dense kernel 2-D, a Conv2D kernel 4-D."""
    rng = np.random.default_rng(0)
    for shape in [(6,), (2, 3), (3, 3, 1, 4)]:
        w = rng.normal(size=shape)
        assert c.magnitude_prune(w, 0.5).shape == shape
        assert c.sparsity(c.magnitude_prune(w, 0.5)) == 0.5


def test_sparsity_of_a_list_of_numbers_counts_each_number():
    assert c.sparsity([0.0, 1.0, 2.0, 0.0]) == 0.5


@pytest.mark.parametrize("bad", [True, None, "1", [1]])
def test_unit_norms_ord_must_be_1_or_2(bad):
    with pytest.raises(InputTypeError, match="^ord must be one of 1, 2"):
        c.unit_norms(np.ones((2, 2)), ord=bad)


# ----------------------------------------------------------------- digits_data


@pytest.mark.parametrize("test_size", [1e-310, 0.004, 0.995])
def test_digits_test_size_must_leave_ten_images_per_split(test_size):
    with pytest.raises(ValueError, match="^test_size must leave at least 10"):
        c.digits_data(test_size=test_size)


def test_digits_seed_must_fit_a_random_state():
    with pytest.raises(ValueError, match=r"^seed must be an integer <= 4294967295"):
        c.digits_data(seed=2**32)
