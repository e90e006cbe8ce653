"""The course's data: small files in ``datasets/``, loaded by name, checksum verified.

Nothing is downloaded: every file is committed (see ``datasets/README.md`` for source,
licence and how each was made). A file whose sha256 differs from the one recorded here
is refused, so a notebook never silently trains on a corrupted or edited copy.

Taught in notebook 00; the loan stream is the "deployed model" of notebooks 02, 03
and the capstone (12).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from modelmaint._validation import check_int, check_one_of

__all__ = [
    "DATA_DIR",
    "DATASETS",
    "DatasetInfo",
    "dataset_path",
    "load",
    "make_loan_applications",
    "sha256_file",
]

DATA_DIR = Path(__file__).resolve().parents[1] / "datasets"


@dataclass(frozen=True)
class DatasetInfo:
    """A committed data file: where it is, what it holds and its expected sha256."""

    filename: str
    sha256: str
    description: str
    target: str


DATASETS: dict[str, DatasetInfo] = {
    "loan_applications": DatasetInfo(
        filename="loan_applications.csv",
        sha256="2dabf591ab314f8dcbccd258a7fc55f2ae67003e6f470d01cddf88751bab0da2",
        description=(
            "Synthetic loan applications, 150 a day for 120 days, with a labelled "
            "default outcome; covariate drift from day 80, concept drift from day 100 "
            "(make_loan_applications(seed=0))."
        ),
        target="default",
    ),
    "phishing": DatasetInfo(
        filename="phishing.csv",
        sha256="cfe77f0b77dd706ac5491842d7ad787c80b5805eb315a47a4b89d0172c760fca",
        description=(
            "Website Phishing (UCI, Abdelhamid et al. 2014): 1,250 web pages, 9 "
            "features, label is_phishing; copied from the river wheel."
        ),
        target="is_phishing",
    ),
}


def sha256_file(path: str | Path) -> str:
    """Hex sha256 of a file's bytes, read in 1 MiB chunks.

    Examples
    --------
    >>> import tempfile, os
    >>> with tempfile.NamedTemporaryFile(delete=False) as f:
    ...     _ = f.write(b"abc")
    >>> sha256_file(f.name)[:16]
    'ba7816bf8f01cfea'
    >>> os.remove(f.name)
    """
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def dataset_path(name: str) -> Path:
    """Path of the committed file for dataset ``name`` (one of :data:`DATASETS`).

    Examples
    --------
    >>> dataset_path("phishing").name
    'phishing.csv'
    """
    check_one_of(name, "name", DATASETS)
    return DATA_DIR / DATASETS[name].filename


def load(name: str, *, verify: bool = True) -> pd.DataFrame:
    """Load a course dataset by name as a DataFrame, after checking its sha256.

    Parameters
    ----------
    name : str
        One of ``"loan_applications"``, ``"phishing"``.
    verify : bool, default True
        Compare the file's sha256 with the recorded one and refuse a mismatch.

    Raises
    ------
    ValueError
        Unknown ``name``, or the file's checksum differs from the recorded one.
    FileNotFoundError
        The file is missing from ``datasets/``.

    Examples
    --------
    >>> phishing = load("phishing")
    >>> phishing.shape
    (1250, 10)
    >>> load("mnist")
    Traceback (most recent call last):
    ...
    ValueError: name must be one of 'loan_applications', 'phishing'; got 'mnist'
    """
    path = dataset_path(name)
    if not path.exists():
        raise FileNotFoundError(f"dataset {name!r} should be at {path}; it is missing")
    if verify:
        expected = DATASETS[name].sha256
        found = sha256_file(path)
        if found != expected:
            raise ValueError(
                f"{path.name} has sha256 {found}, expected {expected}: the file was "
                "changed or corrupted; restore it with `git checkout -- datasets/`"
            )
    return pd.read_csv(path)


def make_loan_applications(
    n_days: int = 120,
    per_day: int = 150,
    *,
    covariate_shift_day: int | None = 80,
    concept_shift_day: int | None = 100,
    seed: int = 0,
) -> pd.DataFrame:
    """Simulate a stream of loan applications and whether each loan defaulted.

    Every day brings ``per_day`` applications. The probability of default is a
    logistic function of the applicant's debt-to-income ratio, income, credit
    history, loan size and employment type. Two incidents can be switched on:

    * **covariate drift** from ``covariate_shift_day``: a downturn, incomes fall by
      15 % and debt-to-income rises by 0.08 (the inputs move, the rule does not);
    * **concept drift** from ``concept_shift_day``: rates rise, so the same
      debt-to-income ratio now carries twice the risk (the rule moves).

    Parameters
    ----------
    n_days, per_day : int
        Length of the stream (>= 1 each).
    covariate_shift_day, concept_shift_day : int or None
        First day of each incident (0-based), or ``None`` for no incident.
    seed : int
        Seed of the random generator: the same seed gives the same stream.

    Returns
    -------
    pandas.DataFrame
        Columns ``application_id, day, age, income, debt_to_income,
        credit_history_years, loan_amount, employment, region, default``; income and
        loan amount in thousands of dollars.

    Examples
    --------
    >>> stream = make_loan_applications(n_days=3, per_day=4, seed=1)
    >>> stream.shape
    (12, 10)
    >>> stream["day"].tolist()[:5]
    [0, 0, 0, 0, 1]
    >>> make_loan_applications(n_days=0)
    Traceback (most recent call last):
    ...
    ValueError: n_days must be an integer >= 1; got 0
    """
    n_days = check_int(n_days, "n_days", minimum=1)
    per_day = check_int(per_day, "per_day", minimum=1)
    for value, label in (
        (covariate_shift_day, "covariate_shift_day"),
        (concept_shift_day, "concept_shift_day"),
    ):
        if value is not None:
            check_int(value, label, minimum=0)
    seed = check_int(seed, "seed", minimum=0)

    rng = np.random.default_rng(seed)
    n = n_days * per_day
    day = np.repeat(np.arange(n_days), per_day)
    downturn = (
        day >= covariate_shift_day
        if covariate_shift_day is not None
        else np.zeros(n, bool)
    )
    high_rates = (
        day >= concept_shift_day if concept_shift_day is not None else np.zeros(n, bool)
    )

    age = np.clip(rng.normal(40, 11, n), 18, 80).round()
    income = rng.lognormal(np.log(55), 0.45, n) * np.where(downturn, 0.85, 1.0)
    debt_to_income = np.clip(rng.beta(2, 5, n) * 0.8 + 0.08 * downturn, 0, 1.2)
    credit_history = np.minimum(age - 18, rng.gamma(2.0, 4.5, n))
    loan_amount = rng.lognormal(np.log(15), 0.6, n)
    employment = rng.choice(
        ["salaried", "self_employed", "contract"], n, p=[0.65, 0.2, 0.15]
    )
    region = rng.choice(["north", "south", "east", "west"], n)

    dti_weight = np.where(high_rates, 7.0, 3.5)
    logit = (
        -2.0
        + dti_weight * (debt_to_income - 0.25)
        - 0.8 * np.log(income / 55)
        - 0.08 * (credit_history - 8)
        + 0.5 * np.log(loan_amount / 15)
        + 0.4 * (employment == "self_employed")
        + 0.7 * (employment == "contract")
    )
    default = rng.random(n) < 1 / (1 + np.exp(-logit))

    return pd.DataFrame(
        {
            "application_id": np.arange(n),
            "day": day,
            "age": age.astype(int),
            "income": income.round(2),
            "debt_to_income": debt_to_income.round(4),
            "credit_history_years": credit_history.round(2),
            "loan_amount": loan_amount.round(2),
            "employment": employment,
            "region": region,
            "default": default.astype(int),
        }
    )
