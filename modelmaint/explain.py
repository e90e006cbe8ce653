"""Explanations as tidy tables: LIME from scratch, LIME's and SHAP's results, shifts.

Taught in notebook 04 (seed 000 §3.2, §4.2: LIME, SHAP, DeepLIFT) and reused by the
capstone, notebook 12. The libraries compute the explanations (``lime``, ``shap``); this
module turns their results into DataFrames with one row per feature, sorted by size,
and answers the maintenance question "which feature's influence changed between two
windows?" (:func:`importance_shift`). :func:`lime_from_scratch` is the seed's four LIME
steps written out, to compare with the library.

Nothing here imports ``lime``, ``shap`` or TensorFlow: they are heavy, and these
functions only read their results.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from modelmaint._validation import as_1d, as_2d, check_int, check_positive

__all__ = [
    "ImportanceShift",
    "LocalSurrogate",
    "global_importance",
    "importance_shift",
    "lime_from_scratch",
    "lime_table",
    "shap_table",
]


def _names(feature_names: Sequence[str] | None, n: int, label: str) -> list[str]:
    if feature_names is None:
        return [f"x{i}" for i in range(n)]
    names = [str(f) for f in feature_names]
    if len(names) != n:
        raise ValueError(f"{label} must name {n} features; got {len(names)}")
    if len(set(names)) != n:
        raise ValueError(f"{label} must be unique; got {names}")
    return names


def _sorted(table: pd.DataFrame, column: str) -> pd.DataFrame:
    order = table[column].abs().sort_values(ascending=False, kind="stable").index
    return table.loc[order].reset_index(drop=True)


@dataclass(frozen=True)
class LocalSurrogate:
    """A weighted linear model fitted around one row (LIME's explanation).

    ``weights``: DataFrame (feature, weight) sorted by |weight|, in units of the
    model's output per standard deviation of the feature; ``intercept``; ``score``:
    the weighted R² of the surrogate on its perturbed samples (how *local* fidelity
    is, not how right the model is).
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
    kernel_width : float, optional
    random_state : int, default 0
    feature_names : sequence of str, optional

    Returns
    -------
    LocalSurrogate

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> background = rng.normal(size=(500, 3))
    >>> def proba(X):  # feature 0 pushes up, feature 2 down, feature 1 does nothing
    ...     p = 1 / (1 + np.exp(-(2 * X[:, 0] - X[:, 2])))
    ...     return np.column_stack([1 - p, p])
    >>> local = lime_from_scratch(proba, np.zeros(3), background, feature_names="abc")
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

    if not callable(predict_proba):
        raise ValueError(
            f"predict_proba must be callable; got {type(predict_proba).__name__}"
        )
    background = as_2d(X_background, "X_background")
    x = as_1d(x, "x")
    if x.size != background.shape[1]:
        raise ValueError(
            f"x must have {background.shape[1]} features like X_background; "
            f"got {x.size}"
        )
    names = _names(feature_names, x.size, "feature_names")
    num_samples = check_int(num_samples, "num_samples", minimum=10)
    width = (
        0.75 * np.sqrt(x.size)
        if kernel_width is None
        else check_positive(kernel_width, "kernel_width")
    )
    scale = background.std(axis=0)
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
    kernel = np.exp(-np.sum(z**2, axis=1) / width**2)
    surrogate = Ridge(alpha=1.0).fit(z, target[:, 1], sample_weight=kernel)
    weights = pd.DataFrame({"feature": names, "weight": surrogate.coef_})
    return LocalSurrogate(
        weights=_sorted(weights, "weight"),
        intercept=float(surrogate.intercept_),
        score=float(surrogate.score(z, target[:, 1], sample_weight=kernel)),
    )


def lime_table(explanation: Any, label: int = 1) -> pd.DataFrame:
    """A ``lime`` explanation as a DataFrame (feature, weight), sorted by |weight|.

    ``feature`` is lime's description of the condition (e.g. ``"income <= 42.1"``),
    which is what the weight belongs to.

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
        raise ValueError(
            "explanation must be a lime Explanation (with as_list); "
            f"got {type(explanation).__name__}"
        )
    pairs = explanation.as_list(label=label)
    table = pd.DataFrame(pairs, columns=["feature", "weight"])
    return _sorted(table, "weight")


def shap_table(
    values: Any, feature_names: Sequence[str], data: Any = None
) -> pd.DataFrame:
    """One row's SHAP values as a DataFrame (feature, [value], shap), by |shap|.

    Examples
    --------
    >>> shap_table([0.1, -0.5, 0.2], ["a", "b", "c"], data=[1.0, 2.0, 3.0])
      feature  value  shap
    0       b    2.0  -0.5
    1       c    3.0   0.2
    2       a    1.0   0.1
    """
    values = as_1d(values, "values")
    names = _names(feature_names, values.size, "feature_names")
    table = pd.DataFrame({"feature": names})
    if data is not None:
        row = np.asarray(data, dtype=object).ravel()
        if row.size != values.size:
            raise ValueError(f"data must have {values.size} values; got {row.size}")
        table["value"] = row
    table["shap"] = values
    return _sorted(table, "shap")


def global_importance(
    shap_values: Any,
    feature_names: Sequence[str] | None = None,
    *,
    signed: bool = False,
) -> pd.DataFrame:
    """Mean |SHAP| per feature over a window: DataFrame (feature, importance), desc.

    Mean |SHAP| says how strongly a feature moves the output *either way*. With
    ``signed=True`` the importance is the mean SHAP value instead: the feature's
    average push on the output, relative to the background. When a feature's mean
    drifts, its mean |SHAP| may hardly change (the spread around the background mean
    grows on one side and shrinks on the other) while its mean SHAP moves by
    weight x shift: compare windows with ``signed=True`` to find what moved the
    model's average output. Sorted by the absolute value either way.

    Parameters
    ----------
    shap_values : array-like (n, d) or pandas.DataFrame
        SHAP values of the window's rows (one column per feature); a DataFrame's
        columns are the feature names.
    feature_names : sequence of str, optional

    Examples
    --------
    >>> global_importance([[0.5, -0.1], [-0.3, 0.1]], ["income", "age"])
      feature  importance
    0  income         0.4
    1     age         0.1
    >>> global_importance([[0.5, -0.1], [-0.3, 0.1]], ["income", "age"], signed=True)
      feature  importance
    0  income         0.1
    1     age         0.0
    >>> global_importance(np.empty((0, 2)), ["income", "age"])
    Traceback (most recent call last):
    ...
    ValueError: shap_values must have at least 1 row(s); got 0
    """
    if isinstance(shap_values, pd.DataFrame) and feature_names is None:
        feature_names = list(shap_values.columns)
    values = as_2d(shap_values, "shap_values")
    names = _names(feature_names, values.shape[1], "feature_names")
    mean = values.mean(axis=0) if signed else np.abs(values).mean(axis=0)
    return _sorted(pd.DataFrame({"feature": names, "importance": mean}), "importance")


@dataclass(frozen=True)
class ImportanceShift:
    """How each feature's global importance changed between two windows.

    ``table``: feature, reference, current, shift (= current - reference), sorted by
    |shift|; ``top``: the feature whose importance moved most.
    """

    table: pd.DataFrame
    top: str


def importance_shift(reference: Any, current: Any) -> ImportanceShift:
    """Compare two windows' :func:`global_importance` tables (or their SHAP values).

    Parameters
    ----------
    reference, current : pandas.DataFrame
        Either :func:`global_importance` results (columns feature, importance) or
        DataFrames of SHAP values with one column per feature; both must cover the
        same features.

    Examples
    --------
    >>> before = pd.DataFrame({"income": [0.2, -0.2], "age": [0.1, -0.1]})
    >>> after = pd.DataFrame({"income": [0.9, -0.5], "age": [0.1, -0.2]})
    >>> shift = importance_shift(before, after)
    >>> shift.top, shift.table["shift"].round(2).tolist()
    ('income', [0.5, 0.05])
    >>> importance_shift(before, after[["income"]])
    Traceback (most recent call last):
    ...
    ValueError: current must cover the same features as reference; missing ['age'], ...
    """
    tables = []
    for frame, label in ((reference, "reference"), (current, "current")):
        if not isinstance(frame, pd.DataFrame):
            raise ValueError(
                f"{label} must be a pandas DataFrame; got {type(frame).__name__}"
            )
        if not {"feature", "importance"} <= set(frame.columns):
            frame = global_importance(frame)
        if len(frame) == 0:
            raise ValueError(f"{label} must have at least 1 feature; got 0")
        tables.append(frame.set_index("feature")["importance"])
    ref, cur = tables
    if set(ref.index) != set(cur.index):
        raise ValueError(
            "current must cover the same features as reference; missing "
            f"{sorted(set(ref.index) - set(cur.index))}, "
            f"unexpected {sorted(set(cur.index) - set(ref.index))}"
        )
    cur = cur.reindex(ref.index)
    table = pd.DataFrame(
        {
            "feature": ref.index,
            "reference": ref.to_numpy(),
            "current": cur.to_numpy(),
            "shift": (cur - ref).to_numpy(),
        }
    )
    table = _sorted(table, "shift")
    return ImportanceShift(table=table, top=str(table["feature"].iloc[0]))
