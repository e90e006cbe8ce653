"""Private helpers shared by the modules of :mod:`modelmaint.drift`.

Categorical samples (checked by ``modelmaint._validation.as_labels``) counted on a
common set of categories (the PSI of a
categorical feature and the chi-square test both start from these counts). Only
modules of ``modelmaint.drift`` import from here.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from modelmaint._validation import as_labels


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
