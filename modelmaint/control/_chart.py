"""Private helpers shared by the chart modules of :mod:`modelmaint.control`.

Limits per point and the signals they give, the first signal, the EWMA's limit
factor, the CUSUM's max-recursion in closed form, and read-only result arrays. Only
modules of ``modelmaint.control`` import from here.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def readonly(obj: Any, *names: str) -> None:
    """Store each named field of a frozen dataclass as a read-only array view.

    A view, so the caller's own array stays writable; the result's cannot be changed
    in place (``result.statistic[0] = 0`` raises).
    """
    for name in names:
        view = np.asarray(getattr(obj, name)).view()
        view.setflags(write=False)
        object.__setattr__(obj, name, view)


def finish(
    statistic: np.ndarray, center: Any, lower: Any, upper: Any
) -> dict[str, Any]:
    """Centre line and limits broadcast to one value per point, and the signals.

    Returns the keyword arguments of ``ChartResult`` other than ``statistic``.
    """
    n = statistic.size
    center = np.broadcast_to(np.asarray(center, dtype=float), (n,)).copy()
    lower = np.broadcast_to(np.asarray(lower, dtype=float), (n,)).copy()
    upper = np.broadcast_to(np.asarray(upper, dtype=float), (n,)).copy()
    signals = np.flatnonzero((statistic > upper) | (statistic < lower))
    return {
        "center": center,
        "lower": lower,
        "upper": upper,
        "signals": signals,
        "first_signal": first(signals),
    }


def first(signals: np.ndarray) -> int | None:
    """The first index of ``signals``, or None when it is empty."""
    return int(signals[0]) if signals.size else None


def ewma_factor(lam: float, i: np.ndarray) -> np.ndarray:
    """sqrt(lam/(2-lam) * (1-(1-lam)^(2i))) for i = 1, 2, ... (1-based time)."""
    if lam == 1.0:
        return np.ones(i.shape)
    return np.sqrt(lam / (2 - lam) * -np.expm1(2 * i * np.log1p(-lam)))


def lindley(steps: np.ndarray, start: np.ndarray | float = 0.0) -> np.ndarray:
    """C_i = max(0, C_{i-1} + steps_i), C_0 = start >= 0, along the last axis.

    Closed form: with T_i = start + cumsum(steps)_i, C_i = T_i - min(0, min_{j<=i} T_j).
    """
    total = np.cumsum(steps, axis=-1)
    total += np.asarray(start)[..., None] if np.ndim(start) else start
    return total - np.minimum(np.minimum.accumulate(total, axis=-1), 0.0)
