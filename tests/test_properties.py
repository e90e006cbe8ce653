"""Properties that must hold for every input, checked on inputs hypothesis draws.

* the tabular CUSUM equals its Lindley recursion, run as a plain loop;
* the EWMA chart's statistic equals its recursion, and its limits the formula;
* ``psi_categorical`` is symmetric in its two samples (each term ``(c - r) log(c/r)``
  is unchanged by swapping them, and the categories and the ``PSI_EPSILON`` floor
  are the same both ways), it ignores the order of the rows and is 0 when both
  samples have the same mix; the numeric ``psi`` is *not* symmetric (its bins are
  the reference's quantiles), so nothing is claimed for it;
* the chi-square test's p-value is in [0, 1] and its statistic >= 0;
* the affine int8 quantization round trip is within half a step of the input (for
  inputs within +-1e6 and not subnormal: see the test);
* ``monitor.time_calls``, the package's one timing loop, makes ``warmup`` calls then
  ``n_calls`` timed ones, cycling through its inputs from the start each time.
"""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from modelmaint import control, drift, monitor
from modelmaint.compress import quantization

FAST = settings(max_examples=100, deadline=None)

values = st.lists(
    st.floats(-1e3, 1e3, allow_nan=False, allow_subnormal=False),
    min_size=1,
    max_size=60,
)
targets = st.floats(-100, 100, allow_nan=False, allow_subnormal=False)
sigmas = st.floats(0.01, 100, allow_nan=False)
labels = st.lists(st.sampled_from("abcde"), min_size=1, max_size=40)


@FAST
@given(x=values, target=targets, sigma=sigmas, k=st.floats(0, 3), h=st.floats(0.1, 8))
def test_cusum_is_the_lindley_recursion(x, target, sigma, k, h):
    chart = control.cusum_chart(x, target=target, sigma=sigma, k=k, h=h)
    c_plus, c_minus, up, down = [], [], 0.0, 0.0
    for value in x:
        up = max(0.0, up + value - (target + k * sigma))
        down = max(0.0, down + (target - k * sigma) - value)
        c_plus.append(up)
        c_minus.append(down)
    scale = max(1.0, sum(abs(v - target) for v in x))
    np.testing.assert_allclose(chart.c_plus, c_plus, rtol=1e-9, atol=1e-9 * scale)
    np.testing.assert_allclose(chart.c_minus, c_minus, rtol=1e-9, atol=1e-9 * scale)
    statistic = np.maximum(chart.c_plus, chart.c_minus)
    np.testing.assert_array_equal(chart.statistic, statistic)
    np.testing.assert_array_equal(chart.signals, np.flatnonzero(statistic > h * sigma))


@FAST
@given(
    x=values, target=targets, sigma=sigmas, lam=st.floats(0.01, 1), L=st.floats(1, 4)
)
def test_ewma_is_its_recursion(x, target, sigma, lam, L):
    chart = control.ewma_chart(x, target=target, sigma=sigma, lam=lam, L=L)
    z, expected = target, []
    for value in x:
        z = lam * value + (1 - lam) * z
        expected.append(z)
    scale = max(1.0, max(abs(v) for v in x), abs(target))
    np.testing.assert_allclose(chart.statistic, expected, rtol=1e-9, atol=1e-9 * scale)
    i = np.arange(1, len(x) + 1)
    half = L * sigma * np.sqrt(lam / (2 - lam) * (1 - (1 - lam) ** (2 * i)))
    np.testing.assert_allclose(chart.upper - target, half, rtol=1e-9, atol=1e-9 * scale)
    np.testing.assert_allclose(target - chart.lower, half, rtol=1e-9, atol=1e-9 * scale)


@FAST
@given(reference=labels, current=labels)
def test_psi_categorical_is_symmetric(reference, current):
    forward = drift.psi_categorical(reference, current)
    backward = drift.psi_categorical(current, reference)
    assert forward >= 0
    assert math.isclose(forward, backward, rel_tol=1e-12, abs_tol=1e-15)


@FAST
@given(reference=labels, current=labels, data=st.data())
def test_psi_categorical_ignores_row_order_and_is_0_for_the_same_mix(
    reference, current, data
):
    shuffled = data.draw(st.permutations(current))
    assert drift.psi_categorical(reference, shuffled) == drift.psi_categorical(
        reference, current
    )
    copies = data.draw(st.integers(1, 4))
    assert drift.psi_categorical(reference, reference * copies) == 0.0


@FAST
@given(reference=labels, current=labels)
def test_chi2_pvalue_is_a_probability(reference, current):
    result = drift.chi2_drift(reference, current)
    assert 0.0 <= result.pvalue <= 1.0
    assert result.statistic >= 0.0
    assert result.drifted == (result.pvalue < result.alpha)


@FAST
@given(
    x=st.lists(
        st.floats(-1e6, 1e6, allow_nan=False, allow_subnormal=False),
        min_size=1,
        max_size=50,
    ),
    num_bits=st.integers(2, 8),
    symmetric=st.booleans(),
)
def test_quantize_dequantize_is_within_half_a_step(x, num_bits, symmetric):
    arr = np.asarray(x)
    p = quantization.quant_params(arr, num_bits, symmetric=symmetric)
    q = quantization.quantize_affine(
        arr, p.scale, p.zero_point, qmin=p.qmin, qmax=p.qmax
    )
    back = quantization.dequantize_affine(q, p.scale, p.zero_point)
    error = np.abs(back - arr)
    # half a step, plus the rounding of x / scale and of scale * (q - z)
    assert np.all(error <= p.scale / 2 * (1 + 1e-9) + 1e-12 * np.abs(arr)), (
        error.max(),
        p,
    )


@FAST
@given(n_inputs=st.integers(1, 5), n_calls=st.integers(1, 12), warmup=st.integers(0, 6))
def test_time_calls_cycles_through_its_inputs(n_inputs, n_calls, warmup):
    seen = []
    stats = monitor.time_calls(
        seen.append, list(range(n_inputs)), n_calls=n_calls, warmup=warmup
    )
    expected = [i % n_inputs for i in range(warmup)]
    expected += [i % n_inputs for i in range(n_calls)]
    assert seen == expected
    assert stats.n_calls == n_calls and stats.p50_ms > 0
