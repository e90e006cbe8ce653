"""The committed data files: loaded by name, refused when their sha256 differs.

Nothing is downloaded: every file is committed (see ``datasets/README.md`` for source,
licence and how each was made). A file whose sha256 differs from the one recorded here
is refused, so a notebook never silently trains on a corrupted or edited copy.

In a clone the files are read from the repository's ``datasets/`` folder; an
installed wheel carries the same files as package data (``modelmaint/_data``).
Taught in notebook 00.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from modelmaint._validation import (
    check_bool,
    check_one_of,
    check_path,
)

__all__ = [
    "DATASETS",
    "DATA_DIR",
    "DatasetInfo",
    "dataset_path",
    "load",
    "sha256_file",
]


def _data_dir() -> Path:
    """The clone's ``datasets/`` if there is one, else the wheel's package data."""
    package = Path(__file__).resolve().parents[1]
    clone = package.parent / "datasets"
    if (clone / "README.md").is_file():
        return clone
    return package / "_data"


DATA_DIR = _data_dir()


@dataclass(frozen=True)
class DatasetInfo:
    """A committed data file: where it is, what it holds and its expected sha256.

    Parameters
    ----------
    filename : str
        The file's name in the data folder.
    sha256 : str
        Its expected sha256 (64 hex digits).
    description : str
        What it holds and where it comes from.
    target : str
        The label column.

    Examples
    --------
    >>> DATASETS["phishing"].target
    'is_phishing'
    """

    filename: str
    sha256: str
    description: str
    target: str


DATASETS: dict[str, DatasetInfo] = {
    "loan_applications": DatasetInfo(
        filename="loan_applications.csv",
        sha256="816c5f8b8df57a46eb3b12ecb60354dfdae04eaed0268128012f2172e2216740",
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


def sha256_file(path: str | os.PathLike[str]) -> str:
    """Hex sha256 of a file's bytes (``hashlib.file_digest``, read in chunks).

    Parameters
    ----------
    path : str or os.PathLike
        The file to hash (a non-empty path; an int, a file descriptor to
        ``open``, is refused).

    Returns
    -------
    str
        64 hexadecimal digits.

    Examples
    --------
    >>> import tempfile, os
    >>> with tempfile.NamedTemporaryFile(delete=False) as f:
    ...     _ = f.write(b"abc")
    >>> sha256_file(f.name)[:16]
    'ba7816bf8f01cfea'
    >>> os.remove(f.name)
    >>> try:
    ...     sha256_file(3)
    ... except TypeError as err:
    ...     print(err)
    path must be a path (str or os.PathLike); got 3
    """
    path = check_path(path, "path")
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def dataset_path(name: str) -> Path:
    """Path of the committed file for dataset ``name`` (one of :data:`DATASETS`).

    Parameters
    ----------
    name : str
        A key of :data:`DATASETS`.

    Returns
    -------
    pathlib.Path
        Where the file is (it may be missing: :func:`load` says so).

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

    Returns
    -------
    pandas.DataFrame
        The file's rows, with the column named by ``DATASETS[name].target``.

    Raises
    ------
    ValueError
        Unknown ``name``, or the file's checksum differs from the recorded one.
    TypeError
        ``verify`` is not a bool.
    FileNotFoundError
        The file is missing from the data folder.

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
    verify = check_bool(verify, "verify")
    if not path.exists():
        raise FileNotFoundError(
            f"dataset {name!r} should be at {path}; it is missing (in a clone: "
            "`git checkout -- datasets/`; installed: reinstall modelmaint)"
        )
    if verify:
        expected = DATASETS[name].sha256
        found = sha256_file(path)
        if found != expected:
            raise ValueError(
                f"{path.name} has sha256 {found}, expected {expected}: the file was "
                "changed or corrupted (a Windows checkout that converted line endings "
                "does this too); restore it with `git checkout -- datasets/`"
            )
    return pd.read_csv(path)
