"""modelmaint.explain: LIME from scratch vs the library, tables, shifts; bad input."""

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression

from modelmaint import explain


@pytest.fixture(scope="module")
def model_and_data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(800, 4))
    y = (1.5 * X[:, 0] - X[:, 2] + 0.3 * rng.normal(size=800) > 0).astype(int)
    return LogisticRegression().fit(X, y), X


def test_importing_modelmaint_stays_light():
    code = (
        "import sys, modelmaint, modelmaint.explain; "
        "print(sorted(m for m in ('shap', 'lime', 'tensorflow') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr


def test_lime_from_scratch_agrees_with_lime(model_and_data):
    from lime.lime_tabular import LimeTabularExplainer

    model, X = model_and_data
    names = ["a", "b", "c", "d"]
    ours = explain.lime_from_scratch(
        model.predict_proba, X[0], X, feature_names=names, random_state=0
    )
    library = LimeTabularExplainer(
        X, feature_names=names, discretize_continuous=False, random_state=0
    ).explain_instance(X[0], model.predict_proba, num_features=4)
    theirs = explain.lime_table(library)
    assert ours.weights["feature"].tolist()[:2] == theirs["feature"].tolist()[:2]
    ours_w = ours.weights.set_index("feature")["weight"]
    theirs_w = theirs.set_index("feature")["weight"]
    for name in ("a", "c"):  # the two features the model uses: same sign
        assert np.sign(ours_w[name]) == np.sign(theirs_w[name]) != 0
    assert ours.score > 0.5


def test_lime_from_scratch_is_reproducible_and_checks_input(model_and_data):
    model, X = model_and_data
    one = explain.lime_from_scratch(model.predict_proba, X[1], X, random_state=3)
    two = explain.lime_from_scratch(model.predict_proba, X[1], X, random_state=3)
    pd.testing.assert_frame_equal(one.weights, two.weights)
    with pytest.raises(TypeError, match="predict_proba must be callable"):
        explain.lime_from_scratch(model, X[0], X)
    with pytest.raises(ValueError, match="must return an"):
        explain.lime_from_scratch(model.predict, X[0], X)
    with pytest.raises(ValueError, match="feature_names must name 4 features; got 2"):
        explain.lime_from_scratch(
            model.predict_proba, X[0], X, feature_names=["a", "b"]
        )
    with pytest.raises(ValueError, match="x must contain only finite values"):
        explain.lime_from_scratch(model.predict_proba, [np.nan, 0, 0, 0], X)
    with pytest.raises(ValueError, match="kernel_width"):
        explain.lime_from_scratch(model.predict_proba, X[0], X, kernel_width=0)


def test_shap_values_of_a_linear_model_become_a_ranked_table(model_and_data):
    import shap

    model, X = model_and_data
    explainer = shap.LinearExplainer(model, X)
    values = explainer.shap_values(X[:200])
    table = explain.global_importance(values, ["a", "b", "c", "d"])
    assert table["feature"].tolist()[:2] == ["a", "c"]
    # a linear model's SHAP value is w_j (x_j - mean_j): mean |SHAP| is known exactly
    # (the mean of the background shap kept: it samples 100 rows of X)
    expected = np.abs(model.coef_[0] * (X[:200] - explainer.mean)).mean(axis=0)
    np.testing.assert_allclose(
        table.set_index("feature").loc[list("abcd"), "importance"], expected
    )
    row = explain.shap_table(values[0], ["a", "b", "c", "d"], data=X[0])
    assert row["feature"].iloc[0] in {"a", "c"} and list(row.columns) == [
        "feature",
        "value",
        "shap",
    ]


def test_importance_shift_names_the_feature_that_moved():
    rng = np.random.default_rng(2)
    before = pd.DataFrame(
        rng.normal(0, [1.0, 1.0, 1.0], size=(300, 3)), columns=list("xyz")
    )
    after = before.assign(y=before["y"] * 3)
    shift = explain.importance_shift(before, after)
    assert shift.top == "y"
    assert shift.table.loc[0, "shift"] == pytest.approx(2 * before["y"].abs().mean())
    tables = explain.importance_shift(
        explain.global_importance(before), explain.global_importance(after)
    )
    pd.testing.assert_frame_equal(tables.table, shift.table)


def test_bad_tables():
    good = pd.DataFrame({"a": [0.1, 0.2]})
    with pytest.raises(TypeError, match="reference must be a pandas DataFrame"):
        explain.importance_shift(np.ones((2, 1)), good)
    with pytest.raises(ValueError, match="missing \\['a'\\], unexpected \\['b'\\]"):
        explain.importance_shift(good, good.rename(columns={"a": "b"}))
    with pytest.raises(ValueError, match="shap_values must contain only finite values"):
        explain.global_importance([[np.nan, 1.0]], ["a", "b"])
    with pytest.raises(ValueError, match="feature_names must be unique"):
        explain.global_importance([[0.1, 1.0]], ["a", "a"])
    with pytest.raises(TypeError, match="explanation must be a lime Explanation"):
        explain.lime_table({"a": 0.1})
    with pytest.raises(ValueError, match="data must have 2 values; got 3"):
        explain.shap_table([0.1, 0.2], ["a", "b"], data=[1, 2, 3])


def test_signed_importance_sees_a_mean_shift_that_mean_abs_misses():
    # SHAP of a linear feature is w (x - mean_background): a shift of the mean by
    # 0.3 sd barely changes mean |SHAP| but moves mean SHAP by w * 0.3.
    rng = np.random.default_rng(3)
    before = pd.DataFrame({"x": rng.normal(0, 1, 5000), "z": rng.normal(0, 1, 5000)})
    after = pd.DataFrame({"x": rng.normal(0.3, 1, 5000), "z": rng.normal(0, 1.1, 5000)})
    unsigned = explain.importance_shift(before, after)
    signed = explain.importance_shift(
        explain.global_importance(before, signed=True),
        explain.global_importance(after, signed=True),
    )
    assert unsigned.top == "z"  # the wider spread wins mean |SHAP|
    assert signed.top == "x"
    assert signed.table.loc[0, "shift"] == pytest.approx(0.3, abs=0.05)


def test_results_are_frozen_and_keyword_only():
    table = pd.DataFrame({"feature": ["a"], "importance": [0.1]})
    shift = explain.importance_shift(table, table)
    with pytest.raises(AttributeError):
        shift.top = "b"
    with pytest.raises(TypeError):
        explain.ImportanceShift(shift.table, "a")
    with pytest.raises(TypeError):
        explain.LocalSurrogate(table, 0.0, 1.0)


def test_issue_17_bad_inputs_are_refused_by_name():
    """Each of these reached pandas, NumPy or scikit-learn (or was accepted)."""
    good = pd.DataFrame({"a": [0.1, -0.2], "b": [0.3, 0.1]})
    with pytest.raises(ValueError, match="current must have at least 1 row"):
        explain.importance_shift(good, good.iloc[:0])
    with pytest.raises(ValueError, match="reference must contain only finite"):
        explain.importance_shift(good.assign(a=np.inf), good)
    with pytest.raises(TypeError, match="current must be numeric; got"):
        explain.importance_shift(good, good.assign(a=good["a"] + 1j))
    with pytest.raises(TypeError, match="feature_names must be a list of names"):
        explain.shap_table([0.1, 0.2], None)
    with pytest.raises(ValueError, match="feature_names must not contain missing"):
        explain.global_importance([[0.1, 1.0]], ["a", None])
    with pytest.raises(TypeError, match="signed must be True or False; got 'yes'"):
        explain.global_importance([[0.1, 1.0]], ["a", "b"], signed="yes")
    with pytest.raises(ValueError, match=r"data must be 1-D \(one row\)"):
        explain.shap_table([0.1, 0.2], ["a", "b"], data=[[1, 2]])
    with pytest.raises(TypeError, match="label must be an integer >= 0; got '1'"):
        explain.lime_table(_Fake(), label="1")
    with pytest.raises(TypeError, match="values must be numeric; got string"):
        explain.shap_table(["0.1", "0.2"], ["a", "b"])


class _Fake:
    def as_list(self, label=1):
        return [("a", 0.1)]


def test_lime_from_scratch_refuses_bad_sizes_and_holds_at_extreme_scales():
    rng = np.random.default_rng(0)
    background = rng.normal(size=(100, 2))

    def proba(X):
        p = 1 / (1 + np.exp(-np.clip(X[:, 0], -50, 50)))
        return np.column_stack([1 - p, p])

    with pytest.raises(ValueError, match="num_samples x features must be at most"):
        explain.lime_from_scratch(proba, np.zeros(2), background, num_samples=10**9)
    with pytest.raises(ValueError, match="random_state must be an integer >= 0"):
        explain.lime_from_scratch(proba, np.zeros(2), background, random_state=-1)
    with pytest.raises(ValueError, match="predict_proba must return finite"):
        explain.lime_from_scratch(
            lambda X: np.full((len(X), 2), np.nan), np.zeros(2), background
        )
    # a background near 1e300 (its variance overflowed) and a tiny kernel width
    local = explain.lime_from_scratch(
        proba, np.zeros(2), background * 1e300, num_samples=50, kernel_width=1e-300
    )
    assert np.isfinite(local.weights["weight"]).all() and np.isfinite(local.score)
