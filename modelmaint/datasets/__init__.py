"""The course's data: small files loaded by name with their checksum verified, and
the generator of the loan stream that notebooks 02-05, 11 and 12 follow.

* :mod:`~modelmaint.datasets.files` - :func:`load`, :func:`dataset_path`,
  :data:`DATASETS`: the committed files (``datasets/`` in a clone, package data in an
  installed wheel), refused when their sha256 differs;
* :mod:`~modelmaint.datasets.loans` - :func:`make_loan_applications` (the stream and
  its incidents), :func:`loan_default_probability` (the generator's true risk: the
  best any model could do) and :data:`LOAN_SCENARIO` (the bank's terms and the label
  delay, stated once for every notebook).

Taught in notebook 00.
"""

from __future__ import annotations

from modelmaint.datasets.files import (
    DATA_DIR,
    DATASETS,
    DatasetInfo,
    dataset_path,
    load,
    sha256_file,
)
from modelmaint.datasets.loans import (
    LOAN_SCENARIO,
    LoanScenario,
    loan_default_probability,
    make_loan_applications,
)

__all__ = [
    "DATA_DIR",
    "DATASETS",
    "LOAN_SCENARIO",
    "DatasetInfo",
    "LoanScenario",
    "dataset_path",
    "load",
    "loan_default_probability",
    "make_loan_applications",
    "sha256_file",
]
