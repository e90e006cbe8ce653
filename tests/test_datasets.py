"""Dataset checks: the README's table, the checksums, the loader, the generator, and
the loan stream's promised properties measured on the committed file."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.compose import make_column_transformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss, roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from modelmaint import datasets
from modelmaint.datasets import files

ROOT = Path(__file__).resolve().parents[1]

README = datasets.DATA_DIR / "README.md"


def readme_rows() -> dict[str, tuple[str, str]]:
    rows = {}
    for match in re.finditer(
        r"^\| `(\w+)` \| `([\w.]+)` \|.*?\| `([0-9a-f]{64})` \|",
        README.read_text(),
        re.M,
    ):
        rows[match.group(1)] = (match.group(2), match.group(3))
    return rows


def test_readme_lists_every_dataset_with_its_sha256() -> None:
    rows = readme_rows()
    assert set(rows) == set(datasets.DATASETS)
    for name, (filename, sha) in rows.items():
        info = datasets.DATASETS[name]
        assert filename == info.filename
        assert sha == info.sha256, f"README and modelmaint.datasets disagree on {name}"


@pytest.mark.parametrize("name", sorted(datasets.DATASETS))
def test_committed_file_matches_its_sha256(name: str) -> None:
    path = datasets.dataset_path(name)
    assert datasets.sha256_file(path) == datasets.DATASETS[name].sha256


@pytest.mark.parametrize("name", sorted(datasets.DATASETS))
def test_load_returns_the_target_column(name: str) -> None:
    frame = datasets.load(name)
    target = datasets.DATASETS[name].target
    assert target in frame.columns
    assert set(frame[target].unique()) == {0, 1}
    assert not frame.isna().any().any()


def test_every_file_in_datasets_is_documented() -> None:
    documented = {info.filename for info in datasets.DATASETS.values()}
    data_files = {p.name for p in datasets.DATA_DIR.glob("*.csv")}
    assert data_files == documented


def test_loan_stream_is_regenerated_byte_for_byte(tmp_path: Path) -> None:
    out = tmp_path / "loan_applications.csv"
    datasets.make_loan_applications(seed=0).to_csv(out, index=False)
    assert datasets.sha256_file(out) == datasets.DATASETS["loan_applications"].sha256


def test_loan_stream_incidents_are_where_the_readme_says() -> None:
    frame = datasets.load("loan_applications")
    stable = frame[frame.day < 80]
    downturn = frame[(frame.day >= 80) & (frame.day < 100)]
    assert downturn.income.median() < 0.92 * stable.income.median()
    assert downturn.debt_to_income.mean() > stable.debt_to_income.mean() + 0.04
    high_rates = frame[frame.day >= 100]
    assert high_rates["default"].mean() > downturn["default"].mean()


NUMERIC = ["age", "income", "debt_to_income", "credit_history_years", "loan_amount"]
CATEGORICAL = ["employment", "region"]


def _logistic():
    encode = make_column_transformer(
        (StandardScaler(), NUMERIC),
        (OneHotEncoder(handle_unknown="ignore"), CATEGORICAL),
    )
    return make_pipeline(encode, LogisticRegression(max_iter=1000))


def _boosting():
    encode = make_column_transformer(
        (OneHotEncoder(handle_unknown="ignore"), CATEGORICAL), remainder="passthrough"
    )
    return make_pipeline(
        encode, HistGradientBoostingClassifier(max_depth=3, random_state=0)
    )


@pytest.fixture(scope="module")
def loans() -> pd.DataFrame:
    return datasets.load("loan_applications")


def _days(frame: pd.DataFrame, first: int, last: int) -> pd.Series:
    return frame["day"].between(first, last)


@pytest.mark.parametrize(
    "make_model", [_logistic, _boosting], ids=["logistic", "boosting"]
)
def test_a_model_of_days_0_29_has_skill_on_days_30_79(loans, make_model) -> None:
    """Issue 23: AUC >= 0.80 on days 30-79 for a model trained on days 0-29."""
    train, later = _days(loans, 0, 29), _days(loans, 30, 79)
    X, y = loans[NUMERIC + CATEGORICAL], loans["default"]
    model = make_model().fit(X[train], y[train])
    auc = roc_auc_score(y[later], model.predict_proba(X[later])[:, 1])
    assert auc >= 0.80, auc


def test_default_rate_before_day_80_is_between_12_and_35_percent(loans) -> None:
    rates = loans[loans.day < 80].groupby(loans.day // 10)["default"].mean()
    assert rates.between(0.12, 0.35).all(), rates


@pytest.mark.parametrize(
    "make_model", [_logistic, _boosting], ids=["logistic", "boosting"]
)
def test_covariate_drift_keeps_calibration_and_concept_drift_breaks_it(
    loans, make_model
) -> None:
    """Days 80-99: |observed - mean predicted| <= 0.03 while the applicants get
    riskier; days 100-119: the gap is >= 0.04, and a model retrained on days 100-109
    beats the static one on days 110-119 (log loss, the same rows)."""
    X, y = loans[NUMERIC + CATEGORICAL], loans["default"]
    before = _days(loans, 0, 79)
    static = make_model().fit(X[before], y[before])
    gap = {}
    for first in (80, 100):
        rows = _days(loans, first, first + 19)
        gap[first] = y[rows].mean() - static.predict_proba(X[rows])[:, 1].mean()
    assert abs(gap[80]) <= 0.03, gap
    assert y[_days(loans, 80, 99)].mean() > y[before].mean() + 0.04  # riskier
    assert gap[100] >= 0.04, gap
    post, later = _days(loans, 100, 109), _days(loans, 110, 119)
    retrained = make_model().fit(X[post], y[post])
    static_loss = log_loss(y[later], static.predict_proba(X[later])[:, 1])
    retrained_loss = log_loss(y[later], retrained.predict_proba(X[later])[:, 1])
    assert retrained_loss < static_loss, (retrained_loss, static_loss)


def test_the_true_probability_is_what_drew_the_labels(loans) -> None:
    risk = datasets.loan_default_probability(loans)
    for first in (0, 80, 100):
        rows = _days(loans, first, first + 19).to_numpy()
        # 3,000 rows: the observed rate is within 3 standard errors of the mean risk
        se = np.sqrt(risk[rows].mean() * (1 - risk[rows].mean()) / rows.sum())
        assert abs(loans["default"][rows].mean() - risk[rows].mean()) < 3 * se
    # and nothing beats it: its log loss is below a model's on days 30-79
    later = _days(loans, 30, 79)
    model = _logistic().fit(loans[_days(loans, 0, 29)][NUMERIC + CATEGORICAL],
                            loans["default"][_days(loans, 0, 29)])  # fmt: skip
    modelled = model.predict_proba(loans[later][NUMERIC + CATEGORICAL])[:, 1]
    assert log_loss(loans["default"][later], risk[later]) < log_loss(
        loans["default"][later], modelled
    )


def test_a_longer_stream_continues_the_file(loans) -> None:
    longer = datasets.make_loan_applications(n_days=160, seed=0)
    pd.testing.assert_frame_equal(longer.iloc[: len(loans)], loans)


def test_the_scenario_threshold_balances_the_two_costs() -> None:
    s = datasets.LOAN_SCENARIO
    t = s.threshold
    assert t * s.loss_given_default == pytest.approx((1 - t) * s.margin)


def test_true_probability_refuses_what_it_cannot_score(loans) -> None:
    with pytest.raises(ValueError, match=r"lacks the column\(s\) \['income'\]"):
        datasets.loan_default_probability(loans.drop(columns="income"))
    with pytest.raises(TypeError, match="applications must be a pandas DataFrame"):
        datasets.loan_default_probability(loans.to_numpy())
    with pytest.raises(ValueError, match="employment"):
        datasets.loan_default_probability(loans.assign(employment="retired"))


def test_verify_must_be_a_bool() -> None:
    with pytest.raises(TypeError, match="verify must be True or False; got None"):
        datasets.load("phishing", verify=None)


def test_data_files_are_binary_to_git() -> None:
    """A Windows checkout with autocrlf must not rewrite the checksummed files."""
    out = subprocess.run(
        ["git", "check-attr", "text", "--", "datasets/loan_applications.csv"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert out.strip().endswith("text: unset"), out


def test_a_built_wheel_carries_the_data_and_loads_outside_the_clone(
    tmp_path: Path,
) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps",
         "--no-build-isolation", "-q", "-w", str(tmp_path / "wheel")],
        check=True, capture_output=True,
    )  # fmt: skip
    (wheel,) = (tmp_path / "wheel").glob("modelmaint-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        archive.extractall(tmp_path / "site")
    for info in datasets.DATASETS.values():
        assert f"modelmaint/_data/{info.filename}" in names
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); import modelmaint as mm; "
        "assert mm.__file__.startswith(sys.argv[1]), mm.__file__; "
        "print(mm.datasets.load('loan_applications').shape)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "site")],
        cwd=tmp_path, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert out.strip() == "(18000, 10)"


def test_a_tampered_file_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(datasets.dataset_path("phishing"), tmp_path / "phishing.csv")
    with open(tmp_path / "phishing.csv", "a") as handle:
        handle.write("1,1,1,1,1,1,1,1,1,0\n")
    monkeypatch.setattr(files, "DATA_DIR", tmp_path)
    with pytest.raises(ValueError, match="phishing.csv has sha256 .* expected"):
        datasets.load("phishing")
    assert len(datasets.load("phishing", verify=False)) == 1251


def test_a_missing_file_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(files, "DATA_DIR", tmp_path)
    with pytest.raises(FileNotFoundError, match="missing"):
        datasets.load("phishing")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n_days": 0}, "n_days must be an integer >= 1; got 0"),
        ({"per_day": 2.5}, "per_day must be an integer >= 1; got 2.5"),
        ({"covariate_shift_day": -1}, "covariate_shift_day must be an integer >= 0"),
        ({"seed": -3}, "seed must be an integer >= 0"),
    ],
)
def test_generator_rejects_bad_parameters(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        datasets.make_loan_applications(**kwargs)


def test_generator_without_incidents_is_stationary() -> None:
    frame = datasets.make_loan_applications(
        n_days=60, per_day=300, covariate_shift_day=None, concept_shift_day=None, seed=1
    )
    first, second = frame[frame.day < 30], frame[frame.day >= 30]
    assert abs(first.income.median() - second.income.median()) < 2.0
    assert abs(first["default"].mean() - second["default"].mean()) < 0.03
    assert isinstance(frame, pd.DataFrame)


# ----------------------------------------------------------- bad input (issue 17)


@pytest.mark.parametrize(
    ("field", "value", "error", "message"),
    [
        ("covariate_shift_day", None, TypeError, "covariate_shift_day must be an "
         "integer >= 0; got None"),
        ("concept_shift_day", "80", TypeError, "concept_shift_day must be an integer "
         ">= 0; got '80'"),
        ("label_delay", 2.5, TypeError, "label_delay must be an integer >= 0; got 2.5"),
        ("label_delay", -1, ValueError, "label_delay must be an integer >= 0; got -1"),
        ("margin", float("nan"), ValueError, "margin must be finite; got nan"),
        ("margin", 0.0, ValueError, "margin must be > 0; got 0.0"),
        ("margin", "0.15", TypeError, "margin must be a real number; got '0.15'"),
        ("loss_given_default", float("inf"), ValueError, "loss_given_default must be "
         "finite; got inf"),
        ("loss_given_default", 1.5, ValueError, "loss_given_default must be in "
         "(0, 1]; got 1.5"),
        ("loss_given_default", True, TypeError, "loss_given_default must be a real "
         "number; got True"),
    ],
)  # fmt: skip
def test_loan_scenario_checks_every_field(field, value, error, message) -> None:
    with pytest.raises(error, match=re.escape(message)):
        datasets.LoanScenario(**{field: value})


def test_loan_scenario_keeps_the_course_terms() -> None:
    assert datasets.LOAN_SCENARIO == datasets.LoanScenario(80, 100, 14, 0.15, 0.6)
    assert datasets.LOAN_SCENARIO.threshold == 0.2
    numpy_terms = datasets.LoanScenario(label_delay=np.int64(7), margin=np.float64(0.1))
    assert type(numpy_terms.label_delay) is int and type(numpy_terms.margin) is float


def _spoil(frame: pd.DataFrame, column: str, value: object) -> pd.DataFrame:
    out = frame.copy()
    out[column] = out[column].astype(object)
    out.loc[out.index[1], column] = value
    return out


@pytest.mark.parametrize(
    ("edit", "error", "message"),
    [
        (lambda f: f.iloc[:0], ValueError, "applications must have at least 1 row; "
         "got 0"),
        (lambda f: f.to_dict("list"), TypeError, "applications must be a pandas "
         "DataFrame; got dict"),
        (lambda f: _spoil(f, "income", np.inf), ValueError, "applications['income'] "
         "must be finite; found 1 inf (row 1)"),
        (lambda f: f.assign(income=f["income"] + 1j), TypeError,
         "applications['income'] must be numeric; got complex values"),
        (lambda f: _spoil(f, "application_id", "a"), TypeError,
         "applications['application_id'] must be numeric; got 'a' (row 1)"),
        (lambda f: _spoil(f, "debt_to_income", np.nan), ValueError,
         "applications['debt_to_income'] must not contain missing values; found 1 NaN "
         "(row 1)"),
        (lambda f: _spoil(f, "loan_amount", 0.0), ValueError,
         "applications['loan_amount'] must be > 0; found 0.0 (row 1)"),
    ],
)  # fmt: skip
def test_true_probability_refuses_a_spoiled_stream(loans, edit, error, message) -> None:
    with pytest.raises(error, match=re.escape(message)):
        datasets.loan_default_probability(edit(loans.head(5)))


def test_true_probability_ignores_columns_it_does_not_know(loans) -> None:
    head = loans.head(5)
    with_scores = head.assign(score=np.inf, note="x")  # a user's own columns
    np.testing.assert_array_equal(
        datasets.loan_default_probability(with_scores),
        datasets.loan_default_probability(head),
    )


@pytest.mark.parametrize(
    ("path", "error", "message"),
    [
        (None, TypeError, "path must be a path (str or os.PathLike); got None"),
        (3, TypeError, "path must be a path (str or os.PathLike); got 3"),  # an fd
        ("", ValueError, "path must be a non-empty path; got ''"),
    ],
)
def test_sha256_file_refuses_what_is_not_a_path(path, error, message) -> None:
    with pytest.raises(error, match=re.escape(message)):
        datasets.sha256_file(path)
