"""The loop's shared check of a stream (private)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd


def check_stream(stream: Any, columns: Sequence[str]) -> pd.DataFrame:
    if not isinstance(stream, pd.DataFrame):
        raise TypeError(
            f"stream must be a pandas DataFrame; got {type(stream).__name__}"
        )
    missing = [c for c in columns if c not in stream.columns]
    if missing:
        raise ValueError(f"stream lacks the column(s) {missing}")
    if len(stream) == 0:
        raise ValueError("stream must have at least 1 row; got 0")
    return stream
