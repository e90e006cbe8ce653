"""Plots used across the course. Every ``plot_*`` takes ``ax=None`` and returns the Axes.

matplotlib is imported inside the functions, so importing :mod:`modelmaint` stays fast.
"""

from __future__ import annotations

from typing import Any

__all__ = ["use_course_style", "get_ax"]


def use_course_style() -> None:
    """Small, readable figures: keeps every notebook under its 1 MB budget.

    Examples
    --------
    >>> use_course_style()
    >>> import matplotlib.pyplot as plt
    >>> plt.rcParams["figure.dpi"]
    80.0
    """
    import matplotlib.pyplot as plt

    plt.rcParams.update(
        {
            "figure.figsize": (7.5, 3.6),
            "figure.dpi": 80,
            "savefig.dpi": 80,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "legend.frameon": False,
        }
    )


def get_ax(ax: Any = None, figsize: tuple[float, float] | None = None) -> Any:
    """Return ``ax``, or a new Axes on a new figure when ``ax`` is None.

    Examples
    --------
    >>> ax = get_ax()
    >>> type(ax).__name__
    'Axes'
    """
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, new_ax = plt.subplots(figsize=figsize)
    return new_ax
