"""The loan stream: a deployed credit model's traffic, with incidents the course knows.

150 applications a day; the outcome ``default`` is drawn from a known logistic risk
(:func:`loan_default_probability`), so every notebook can put a model beside the best
any model could do. Two incidents can be switched on (days are 0-based):

* **covariate drift** from ``covariate_shift_day`` (80): a downturn - incomes fall by
  12 % and debt-to-income rises by 0.05. The inputs move, the rule does not: a model
  trained before stays calibrated while the applicants get riskier.
* **concept drift** from ``concept_shift_day`` (100): rates rise - each point of
  debt-to-income now carries 12/7 of the log-odds it carried before (weight 7 -> 12).
  The inputs do not move, the rule does: the model's predictions fall short of the
  observed default rate.

:data:`LOAN_SCENARIO` states, once for every notebook, when labels arrive and what a
decision costs. Taught in notebooks 00 and 03; used by 02, 04, 05, 11 and 12.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from modelmaint._validation import (
    check_fraction,
    check_frame,
    check_int,
    check_positive,
    numeric_column,
    show,
)

__all__ = [
    "LOAN_SCENARIO",
    "LoanScenario",
    "loan_default_probability",
    "make_loan_applications",
]

# The true risk: log-odds of default, linear in these terms.
_INTERCEPT = -2.45
_DTI_CENTRE = 0.2
_DTI_WEIGHT = 7.0
_DTI_WEIGHT_HIGH_RATES = 12.0
_WEIGHTS = {"log_income": -1.8, "credit_history": -0.18, "log_loan": 0.8}
_EMPLOYMENT_RISK = {"salaried": 0.0, "self_employed": 0.6, "contract": 1.0}
_COLUMNS = [
    "age",
    "income",
    "debt_to_income",
    "credit_history_years",
    "loan_amount",
    "employment",
]
# The stream's numeric columns: checked when present (complex, strings, inf refused);
# the ones the risk is read from (_READ) must also have no missing value.
_READ = ("day", "income", "debt_to_income", "credit_history_years", "loan_amount")
_NUMERIC = ("application_id", "age", *_READ, "default")
_POSITIVE = ("income", "loan_amount")  # their logarithms enter the risk


@dataclass(frozen=True)
class LoanScenario:
    """The bank's terms and the stream's clock, the same in every notebook.

    Parameters
    ----------
    covariate_shift_day, concept_shift_day : int
        First day of the downturn (covariate drift) and of the rate rise (concept
        drift) in the committed file (integers >= 0).
    label_delay : int
        Days between a decision and its outcome: a loan's ``default`` label of day
        ``t`` can be used from day ``t + label_delay`` on (the first instalment has
        been paid or missed by then); an integer >= 0.
    margin : float
        What a repaid loan earns, as a share of the amount lent (the cost of rejecting
        a good applicant); a finite number > 0.
    loss_given_default : float
        What a defaulted loan loses, as a share of the amount lent (the cost of
        approving a bad one); in (0, 1].

    Examples
    --------
    >>> LOAN_SCENARIO.threshold  # reject when P(default) >= 0.15 / (0.15 + 0.6)
    0.2
    >>> try:
    ...     LoanScenario(label_delay="14")
    ... except TypeError as err:
    ...     print(err)
    label_delay must be an integer >= 0; got '14'
    """

    covariate_shift_day: int = 80
    concept_shift_day: int = 100
    label_delay: int = 14
    margin: float = 0.15
    loss_given_default: float = 0.60

    def __post_init__(self) -> None:
        for day in ("covariate_shift_day", "concept_shift_day", "label_delay"):
            object.__setattr__(self, day, check_int(getattr(self, day), day, minimum=0))
        object.__setattr__(self, "margin", check_positive(self.margin, "margin"))
        lgd = check_fraction(
            self.loss_given_default, "loss_given_default", include_high=True
        )
        object.__setattr__(self, "loss_given_default", lgd)

    @property
    def threshold(self) -> float:
        """The risk above which rejecting costs less than approving, in expectation.

        Approving costs ``p * loss_given_default``, rejecting ``(1 - p) * margin``
        (per unit lent); they are equal at ``margin / (margin + loss_given_default)``.

        Examples
        --------
        >>> LoanScenario(margin=0.1, loss_given_default=0.4).threshold
        0.2
        """
        return round(self.margin / (self.margin + self.loss_given_default), 12)


LOAN_SCENARIO = LoanScenario()


def loan_default_probability(
    applications: pd.DataFrame, *, concept_shift_day: int | None = 100
) -> np.ndarray:
    """The generator's true probability of default of each application.

    No model trained on the stream can do better on average (it is the Bayes
    predictor): notebooks use it as the "best achievable" beside a model's scores.

    Parameters
    ----------
    applications : pandas.DataFrame
        Rows of the loan stream (at least one) with columns ``day, age, income,
        debt_to_income, credit_history_years, loan_amount, employment`` (as made by
        :func:`make_loan_applications`, or loaded from the committed file). The
        stream's numeric columns must hold real numbers, not inf; the ones the risk
        is computed from must have no missing value, and ``income`` and
        ``loan_amount`` must be > 0.
    concept_shift_day : int or None, default 100
        First day on which the rate rise applies (``None``: never).

    Returns
    -------
    numpy.ndarray
        One probability per row, in (0, 1).

    Examples
    --------
    >>> stream = make_loan_applications(n_days=2, per_day=3, seed=1)
    >>> loan_default_probability(stream).round(3).tolist()
    [0.03, 0.008, 0.926, 0.007, 0.028, 0.634]
    >>> loan_default_probability(stream.assign(income=-1.0))
    Traceback (most recent call last):
    ...
    ValueError: applications['income'] must be > 0; found -1.0 (row 0)
    """
    frame = check_frame(applications, "applications")
    missing = [c for c in ["day", *_COLUMNS] if c not in frame.columns]
    if missing:
        raise ValueError(f"applications lacks the column(s) {missing}")
    if concept_shift_day is not None:
        check_int(concept_shift_day, "concept_shift_day", minimum=0)
    values = _checked_columns(frame)
    high_rates = (
        values["day"] >= concept_shift_day
        if concept_shift_day is not None
        else np.zeros(len(frame), bool)
    )
    employment = frame["employment"].map(_EMPLOYMENT_RISK)
    if employment.isna().any():
        found = frame["employment"][employment.isna()].iloc[0]
        raise ValueError(
            "applications['employment'] must be one of "
            f"{sorted(_EMPLOYMENT_RISK)}; found {found!r}"
        )
    dti_weight = np.where(high_rates, _DTI_WEIGHT_HIGH_RATES, _DTI_WEIGHT)
    logit = (
        _INTERCEPT
        + dti_weight * (values["debt_to_income"] - _DTI_CENTRE)
        + _WEIGHTS["log_income"] * np.log(values["income"] / 55)
        + _WEIGHTS["credit_history"] * (values["credit_history_years"] - 8)
        + _WEIGHTS["log_loan"] * np.log(values["loan_amount"] / 15)
        + employment.to_numpy(float)
    )
    return 1 / (1 + np.exp(-logit))


def _checked_columns(frame: pd.DataFrame) -> dict[str, np.ndarray]:
    """The stream's numeric columns of ``frame`` as floats, the ones read checked."""
    values = {}
    for column in _NUMERIC:
        if column not in frame.columns:
            continue
        arr = numeric_column(frame, column, "applications")
        label = f"applications[{column!r}]"
        if column in _READ and np.isnan(arr).any():
            row = show(frame.index[int(np.argmax(np.isnan(arr)))])
            raise ValueError(
                f"{label} must not contain missing values; found "
                f"{int(np.isnan(arr).sum())} NaN (row {row})"
            )
        if column in _POSITIVE and (arr <= 0).any():
            first = int(np.argmax(arr <= 0))
            raise ValueError(
                f"{label} must be > 0; found {show(arr[first])} "
                f"(row {show(frame.index[first])})"
            )
        values[column] = arr
    return values


def make_loan_applications(
    n_days: int = 120,
    per_day: int = 150,
    *,
    covariate_shift_day: int | None = 80,
    concept_shift_day: int | None = 100,
    seed: int = 0,
) -> pd.DataFrame:
    """Simulate a stream of loan applications and whether each loan defaulted.

    Every day brings ``per_day`` applications; each column is drawn from its own
    random stream (children of ``seed``), so a longer stream starts with the shorter
    one: ``make_loan_applications(160)`` continues the committed 120-day file.

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
    >>> longer = make_loan_applications(n_days=5, per_day=4, seed=1)
    >>> longer.iloc[:12].equals(stream)
    True
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
    if n_days * per_day > 10_000_000:
        raise ValueError(
            "n_days * per_day must be at most 10,000,000 rows; "
            f"got {n_days * per_day:,}"
        )

    streams = iter(np.random.default_rng(seed).spawn(9))
    draw: dict[str, Any] = {}
    n = n_days * per_day
    day = np.repeat(np.arange(n_days), per_day)
    downturn = (
        day >= covariate_shift_day
        if covariate_shift_day is not None
        else np.zeros(n, bool)
    )
    draw["age"] = np.clip(next(streams).normal(40, 11, n), 18, 80).round()
    draw["income"] = next(streams).lognormal(np.log(55), 0.45, n)
    draw["income"] *= np.where(downturn, 0.88, 1.0)
    dti = next(streams).beta(2, 5, n) * 0.8 + 0.05 * downturn
    draw["debt_to_income"] = np.clip(dti, 0, 1.2)
    history = next(streams).gamma(2.0, 4.5, n)
    draw["credit_history_years"] = np.minimum(draw["age"] - 18, history)
    draw["loan_amount"] = next(streams).lognormal(np.log(15), 0.6, n)
    draw["employment"] = next(streams).choice(
        ["salaried", "self_employed", "contract"], n, p=[0.65, 0.2, 0.15]
    )
    draw["region"] = next(streams).choice(["north", "south", "east", "west"], n)
    frame = pd.DataFrame(
        {
            "application_id": np.arange(n),
            "day": day,
            "age": draw["age"].astype(int),
            "income": draw["income"].round(2),
            "debt_to_income": draw["debt_to_income"].round(4),
            "credit_history_years": draw["credit_history_years"].round(2),
            "loan_amount": draw["loan_amount"].round(2),
            "employment": draw["employment"],
            "region": draw["region"],
        }
    )
    risk = loan_default_probability(frame, concept_shift_day=concept_shift_day)
    frame["default"] = (next(streams).random(n) < risk).astype(int)
    return frame
