"""LIME: the seed's four steps written out, and ``lime``'s explanations as a table.

Taught in notebook 04, sections 2-3 (seed 000 §3.2, §4.2). :func:`lime_from_scratch`
perturbs, predicts, weights and fits a local linear surrogate; :func:`lime_table`
reads an explanation of the ``lime`` library (which this module never imports).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from modelmaint._validation import (
    InputTypeError,
    as_1d,
    as_2d,
    check_budget,
    check_callable,
    check_int,
    check_positive,
    check_seed,
    safe_scaled,
)
from modelmaint.explain._tables import check_feature_names, sort_by_size

__all__ = ["LocalSurrogate", "lime_from_scratch", "lime_table"]


@dataclass(frozen=True, kw_only=True)
class LocalSurrogate:
    """A weighted linear model fitted around one row (LIME's explanation).

    Made by :func:`lime_from_scratch`.

    Parameters
    ----------
    weights : pandas.DataFrame
        Columns ``feature, weight``, sorted by ``|weight|``; a weight is in units of
        the model's output per standard deviation of the feature.
    intercept : float
        The surrogate's output at the explained row.
    score : float
        The weighted R² of the surrogate on its perturbed samples: how faithful it
        is *locally*, not how right the model is.

    Examples
    --------
    >>> def proba(X):
    ...     p = 1 / (1 + np.exp(-X[:, 0]))
    ...     return np.column_stack([1 - p, p])
    >>> background = np.random.default_rng(0).normal(size=(200, 2))
    >>> local = lime_from_scratch(proba, np.zeros(2), background, num_samples=500)
    >>> local.weights["feature"].tolist(), round(local.intercept, 1)
    (['x0', 'x1'], 0.5)
    """

    weights: pd.DataFrame
    intercept: float
    score: float


def lime_from_scratch(
    predict_proba: Callable[[np.ndarray], np.ndarray],
    x: Any,
    X_background: Any,
    *,
    num_samples: int = 5000,
    kernel_width: float | None = None,
    random_state: int = 0,
    feature_names: Sequence[str] | None = None,
) -> LocalSurrogate:
    r"""LIME for tabular data in the seed's four steps (000 §3.2).

    1. **perturb**: draw ``num_samples`` points around ``x``, each feature from a
       normal with the background's standard deviation;
    2. **predict**: the model's probability of class 1 at each point;
    3. **weight**: :math:`\pi_x(z) = \exp(-d(x, z)^2 / \sigma^2)`, with :math:`d` the
       Euclidean distance in standardised units and :math:`\sigma` = ``kernel_width``
       (default :math:`0.75\sqrt{d}`, as in ``lime``);
    4. **fit** a weighted ridge regression :math:`g` on the standardised points:
       :math:`\xi(x) = \arg\min_g L(f, g, \pi_x) + \Omega(g)`, where the ridge penalty
       plays :math:`\Omega`.

    Parameters
    ----------
    predict_proba : callable
        Maps an (n, d) array to an (n, k) array of class probabilities, k >= 2.
    x : array-like, shape (d,)
        The row to explain.
    X_background : array-like, shape (m, d)
        Data whose per-feature standard deviations set the perturbation scale.
    num_samples : int, default 5000
        Perturbed points (>= 10; ``num_samples`` x features at most 50 million); the
        first is ``x`` itself.
    kernel_width : float, optional
        Width :math:`\sigma` of the proximity kernel, in standardised units (> 0).
    random_state : int, default 0
        Seed of the perturbations (>= 0).
    feature_names : sequence of str, optional
        One unique name per feature; default ``x0, x1, ...``.

    Returns
    -------
    LocalSurrogate
        The surrogate's weights (sorted by size), intercept and local R².

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> background = rng.normal(size=(500, 3))
    >>> def proba(X):  # feature 0 pushes up, feature 2 down, feature 1 does nothing
    ...     p = 1 / (1 + np.exp(-(2 * X[:, 0] - X[:, 2])))
    ...     return np.column_stack([1 - p, p])
    >>> local = lime_from_scratch(proba, np.zeros(3), background,
    ...                           feature_names=["a", "b", "c"])
    >>> local.weights["feature"].tolist()
    ['a', 'c', 'b']
    >>> bool(local.weights["weight"].iloc[0] > 0 > local.weights["weight"].iloc[1])
    True
    >>> lime_from_scratch(proba, np.zeros(2), background)
    Traceback (most recent call last):
    ...
    ValueError: x must have 3 features like X_background; got 2
    """
    from sklearn.linear_model import Ridge

    check_callable(predict_proba, "predict_proba")
    background = as_2d(X_background, "X_background")
    x = as_1d(x, "x")
    if x.size != background.shape[1]:
        raise ValueError(
            f"x must have {background.shape[1]} features like X_background; "
            f"got {x.size}"
        )
    names = check_feature_names(feature_names, x.size, "feature_names")
    num_samples = check_int(num_samples, "num_samples", minimum=10)
    check_budget({"num_samples": num_samples, "features": x.size})
    width = (
        0.75 * np.sqrt(x.size)
        if kernel_width is None
        else check_positive(kernel_width, "kernel_width")
    )
    random_state = check_seed(random_state, "random_state")
    scaled, e = safe_scaled(background)  # no overflow of the variance near 1e308
    scale = np.ldexp(scaled.std(axis=0), e)
    scale[scale == 0] = 1.0

    rng = np.random.default_rng(random_state)
    z = rng.normal(size=(num_samples, x.size))  # standardised offsets from x
    z[0] = 0.0  # the row itself, as lime does
    points = x + z * scale
    target = np.asarray(predict_proba(points))
    if target.ndim != 2 or target.shape[0] != num_samples or target.shape[1] < 2:
        raise ValueError(
            "predict_proba must return an (n, k >= 2) array of probabilities; "
            f"got shape {target.shape}"
        )
    if target.dtype.kind not in "fiub" or not np.isfinite(target[:, 1]).all():
        raise ValueError(
            "predict_proba must return finite probabilities; got dtype "
            f"{target.dtype} with NaN, inf or non-numbers around x"
        )
    # exp(-(d / width)^2): no overflow of width**2 for a tiny or a huge width
    kernel = np.exp(-np.square(np.sqrt(np.sum(z**2, axis=1)) / width))
    surrogate = Ridge(alpha=1.0).fit(z, target[:, 1], sample_weight=kernel)
    weights = pd.DataFrame({"feature": names, "weight": surrogate.coef_})
    return LocalSurrogate(
        weights=sort_by_size(weights, "weight"),
        intercept=float(surrogate.intercept_),
        score=float(surrogate.score(z, target[:, 1], sample_weight=kernel)),
    )


def lime_table(explanation: Any, label: int = 1) -> pd.DataFrame:
    """A ``lime`` explanation as a DataFrame (feature, weight), sorted by |weight|.

    ``feature`` is lime's description of the condition (e.g. ``"income <= 42.1"``),
    which is what the weight belongs to.

    Parameters
    ----------
    explanation : lime.explanation.Explanation
        What ``LimeTabularExplainer.explain_instance`` returns (anything with
        ``as_list(label=...)``).
    label : int, default 1
        The class whose explanation is read (>= 0).

    Returns
    -------
    pandas.DataFrame
        Columns ``feature, weight``, the largest ``|weight|`` first.

    Examples
    --------
    >>> class Fake:  # the one method lime's Explanation needs here
    ...     def as_list(self, label=1):
    ...         return [("b > 1", 0.1), ("a <= 0", -0.4)]
    >>> lime_table(Fake())
      feature  weight
    0  a <= 0    -0.4
    1   b > 1     0.1
    """
    if not hasattr(explanation, "as_list"):
        raise InputTypeError(
            "explanation must be a lime Explanation (with as_list); "
            f"got {type(explanation).__name__}"
        )
    label = check_int(label, "label", minimum=0)
    pairs = explanation.as_list(label=label)
    table = pd.DataFrame(pairs, columns=["feature", "weight"])
    return sort_by_size(table, "weight")
