"""Structured pruning (modelmaint.compress.structured): narrower models that compute
the same function when the removed units were silent, and clear errors."""

from __future__ import annotations

import numpy as np
import pytest

from modelmaint.compress import build_cnn, digits_data
from modelmaint.compress.structured import shrink_model, unit_norms


@pytest.fixture(scope="module")
def x() -> np.ndarray:
    return digits_data().x_test[:64]


def test_unit_norms_known_values() -> None:
    kernel = np.arange(24, dtype=float).reshape(2, 3, 4) - 10  # (.., .., units)
    expected = np.abs(kernel.reshape(-1, 4)).sum(axis=0)
    assert np.array_equal(unit_norms(kernel), expected)
    assert np.allclose(
        unit_norms(kernel, ord=2), np.linalg.norm(kernel.reshape(-1, 4), axis=0)
    )


def test_keeping_everything_changes_nothing(x) -> None:
    base = build_cnn(filters=4, dense=8, seed=3)
    result = shrink_model(base, {"conv1": 1.0, "conv2": 1.0, "dense": 1.0})
    assert result.params_after == result.params_before
    np.testing.assert_allclose(
        result.model.predict(x, verbose=0), base.predict(x, verbose=0), atol=1e-6
    )


def test_removing_silent_units_keeps_the_function(x) -> None:
    """Filters and units with zero incoming weights and bias output relu(0) = 0:
    dropping them (and the next layer's rows that read them) changes nothing."""
    base = build_cnn(filters=4, dense=8, seed=1)
    silent = {"conv1": [0, 2], "conv2": [1, 3, 4, 6], "dense": [0, 1, 5, 7]}
    for name, units in silent.items():
        layer = base.get_layer(name)
        kernel, bias = layer.get_weights()
        kernel[..., units] = 0.0
        bias[units] = 0.0
        layer.set_weights([kernel, bias])
    result = shrink_model(base, {"conv1": 0.5, "conv2": 0.5, "dense": 0.5})
    for name, units in silent.items():
        assert not set(units) & set(result.kept[name]), (name, result.kept[name])
    assert result.units_after == {"conv1": 2, "conv2": 4, "dense": 4}
    np.testing.assert_allclose(
        result.model.predict(x, verbose=0), base.predict(x, verbose=0), atol=1e-5
    )
    narrow = result.model
    assert narrow.get_layer("conv2").get_weights()[0].shape == (3, 3, 2, 4)
    assert narrow.get_layer("dense").get_weights()[0].shape == (4 * 4 * 4, 4)
    assert narrow.get_layer("output").get_weights()[0].shape == (4, 10)
    assert result.params_after < result.params_before / 3


def test_the_largest_norms_survive() -> None:
    base = build_cnn(filters=4, dense=10, seed=2)
    norms = unit_norms(base.get_layer("dense").get_weights()[0])
    result = shrink_model(base, {"dense": 0.3})
    assert set(result.kept["dense"]) == set(np.argsort(-norms)[:3])
    assert result.model.optimizer is not None  # compiled: ready to fine-tune


@pytest.mark.parametrize(
    ("keep", "message"),
    [
        ({}, "keep must map"),
        ({"nope": 0.5}, "'nope', not a layer"),
        ({"output": 0.5}, "output layer"),
        ({"pool": 0.5}, "only Dense/Conv2D"),
        ({"dense": 0.0}, r"keep\['dense'\] must be in \(0, 1\]"),
        ({"dense": 1.5}, r"keep\['dense'\]"),
    ],
)
def test_bad_keep_is_refused(keep, message) -> None:
    with pytest.raises(ValueError, match=message):
        shrink_model(build_cnn(filters=2, dense=4), keep)


def test_bad_ord_and_kernel() -> None:
    with pytest.raises(ValueError, match="ord"):
        unit_norms(np.ones((2, 2)), ord=3)
    with pytest.raises(ValueError, match="kernel must be at least 2-D"):
        unit_norms(np.ones(3))
