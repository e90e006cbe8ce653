"""Private helpers shared by the modules of :mod:`modelmaint.drift`.

Categorical samples checked and counted on a common set of categories (the PSI of a
categorical feature and the chi-square test both start from these counts). Only
modules of ``modelmaint.drift`` import from here.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd


def as_labels(x: Any, name: str) -> np.ndarray:
    """A 1-D, non-empty sample of categories without missing values, as strings."""
    arr = np.asarray(x, dtype=object)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be 1-D; got shape {arr.shape}")
    if arr.size == 0:
        raise ValueError(f"{name} must have at least 1 element(s); got 0")
    missing = pd.isna(arr)
    if missing.any():
        raise ValueError(
            f"{name} must not contain missing values; "
            f"found {int(missing.sum())} NaN/None"
        )
    return arr.astype(str)


def category_counts(reference: Any, current: Any) -> tuple[np.ndarray, np.ndarray]:
    """Counts of every category seen in either sample: (reference, current).

    Categories are sorted; a category absent from one sample counts 0 there.
    """
    ref = as_labels(reference, "reference")
    cur = as_labels(current, "current")
    categories, codes = np.unique(np.concatenate([ref, cur]), return_inverse=True)
    ref_counts = np.bincount(codes[: ref.size], minlength=categories.size)
    cur_counts = np.bincount(codes[ref.size :], minlength=categories.size)
    return ref_counts, cur_counts
