"""modelmaint.quality: range, unit (scale), stuck and missing rules; bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from modelmaint.quality import check_quality, learn_rules


@pytest.fixture
def reference() -> pd.DataFrame:
    rng = np.random.default_rng(0)
    return pd.DataFrame(
        {
            "income": rng.lognormal(np.log(55), 0.45, 1000),
            "age": rng.integers(18, 80, 1000).astype(float),
            "region": rng.choice(list("nsew"), 1000),
        }
    )


def _reasons(rules, batch) -> dict[str, str]:
    report = check_quality(rules, batch)
    return dict(zip(report["column"], report["reasons"], strict=True))


def test_clean_and_drifted_batches_pass(reference) -> None:
    rules = learn_rules(reference)
    assert [r.column for r in rules.columns] == ["income", "age"]
    clean = reference.sample(150, random_state=1)
    assert not check_quality(rules, clean)["alarm"].any()
    drifted = clean.assign(income=clean["income"] * 0.85)  # a 15 % downturn
    assert not check_quality(rules, drifted)["alarm"].any()


def test_unit_change_is_named(reference) -> None:
    rules = learn_rules(reference)
    dollars = reference.head(150).assign(income=reference["income"].head(150) * 1000)
    assert _reasons(rules, dollars) == {"income": "range, scale", "age": ""}


def test_stuck_and_missing(reference) -> None:
    rules = learn_rules(reference)
    batch = reference.head(100).copy()
    batch["age"] = 40.0
    batch.loc[batch.index[:20], "income"] = np.nan
    assert _reasons(rules, batch) == {"income": "missing", "age": "stuck"}


def test_thresholds_are_respected(reference) -> None:
    batch = reference.head(100).copy()
    batch.loc[batch.index[:3], "income"] = 1e6  # 3 % out of range
    assert not check_quality(learn_rules(reference), batch)["alarm"].any()
    strict = learn_rules(reference, max_out_of_range=0.01)
    assert _reasons(strict, batch)["income"] == "range"


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"margin": -1}, "margin"),
        ({"max_missing": 1.5}, "max_missing"),
        ({"scale_factor": 1.0}, "scale_factor must be > 1"),
        ({"columns": ["region"]}, "numeric columns"),
    ],
)
def test_bad_rules(reference, kwargs, match) -> None:
    with pytest.raises(ValueError, match=match):
        learn_rules(reference, **kwargs)


def test_bad_batches(reference) -> None:
    rules = learn_rules(reference)
    with pytest.raises(TypeError, match="reference must be a pandas DataFrame"):
        learn_rules([1, 2, 3])
    with pytest.raises(ValueError, match="batch must have at least 1 row"):
        check_quality(rules, reference.head(0))
    with pytest.raises(ValueError, match="lacks the watched"):
        check_quality(rules, reference[["income"]])
    with pytest.raises(TypeError, match="rules must come from learn_rules"):
        check_quality({"income": 1}, reference)
    with pytest.raises(TypeError, match=r"batch\['income'\] must hold real numbers"):
        check_quality(rules, reference.assign(income=reference["income"] + 1j))


def test_issue_17_reproducers():
    """learn_rules learned low=-inf, high=inf from an inf; left a numeric column
    with one stray string out without a word; overflowed on a range near 1e308."""
    with pytest.raises(ValueError, match=r"reference\['income'\] must be finite; "):
        learn_rules(pd.DataFrame({"income": [40.0, 50.0, 60.0, np.inf]}))
    spoiled = pd.DataFrame({"income": [40.0, 50.0, "n/a", 60.0], "name": list("abcd")})
    with pytest.raises(TypeError, match=r"reference\['income'\] must be numeric; "):
        learn_rules(spoiled)
    with pytest.raises(TypeError, match="columns must be a list of names"):
        learn_rules(pd.DataFrame({"x": [1.0]}), columns="x")
    huge = learn_rules(pd.DataFrame({"x": [-1.5e308, 0.0, 1.5e308]})).columns[0]
    assert np.isfinite([huge.low, huge.high, huge.median]).all()
    assert huge.low == -np.finfo(float).max and huge.median == 0.0
    # missing values in the reference are data, not errors: they are dropped
    rule = learn_rules(pd.DataFrame({"x": [1.0, np.nan, 3.0]})).columns[0]
    assert (rule.low, rule.high) == (0.5, 3.5)


def test_inf_in_a_batch_is_out_of_range_not_an_error(reference):
    rules = learn_rules(reference)
    batch = reference.assign(income=np.inf)
    table = check_quality(rules, batch).set_index("column")
    assert table.loc["income", "out_of_range"] == 1


def test_scale_rule_only_for_positive_columns():
    # A zero-centred column has a median near 0: the ratio of two such medians is
    # noise, so it must never raise a unit alarm (it did, on most clean days).
    rng = np.random.default_rng(0)
    rules = learn_rules(pd.DataFrame({"z": rng.normal(0, 1, 3000)}))
    days = [pd.DataFrame({"z": rng.normal(0, 1, 200)}) for _ in range(50)]
    assert not any(check_quality(rules, day)["alarm"].item() for day in days)


def test_rules_are_frozen_keyword_only_and_have_no_dummy_default():
    from modelmaint.quality import ColumnRule

    rules = learn_rules(pd.DataFrame({"x": [1.0, 2.0, 3.0]}))
    with pytest.raises(AttributeError):
        rules.margin = 0.0
    with pytest.raises(TypeError):
        ColumnRule("x", 0.0, 1.0, 0.5, 3, True)
    with pytest.raises(TypeError, match="positive"):
        ColumnRule(column="x", low=0.0, high=1.0, median=0.5, n_distinct=3)
