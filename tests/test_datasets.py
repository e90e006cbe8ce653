"""Dataset checks: the README's table, the checksums, the loader and the generator."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from modelmaint import datasets

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
    assert downturn.income.median() < 0.9 * stable.income.median()
    assert downturn.debt_to_income.mean() > stable.debt_to_income.mean() + 0.06
    high_rates = frame[frame.day >= 100]
    assert high_rates["default"].mean() > downturn["default"].mean()


def test_a_tampered_file_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(datasets.dataset_path("phishing"), tmp_path / "phishing.csv")
    with open(tmp_path / "phishing.csv", "a") as handle:
        handle.write("1,1,1,1,1,1,1,1,1,0\n")
    monkeypatch.setattr(datasets, "DATA_DIR", tmp_path)
    with pytest.raises(ValueError, match="phishing.csv has sha256 .* expected"):
        datasets.load("phishing")
    assert len(datasets.load("phishing", verify=False)) == 1251


def test_a_missing_file_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(datasets, "DATA_DIR", tmp_path)
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
