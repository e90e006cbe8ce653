"""The course's diagram: the maintenance loop, one box per stage.

Taught in notebook 00 (seed 000 §2.1, 002 §2.3). matplotlib and NumPy are imported
inside the function.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from modelmaint._validation import InputTypeError, as_names, check_str
from modelmaint.plotting.style import get_ax

__all__ = ["plot_maintenance_loop"]


def plot_maintenance_loop(stages: dict[str, list[str]], ax: Any = None) -> Any:
    """Draw the maintenance loop: one box per stage, arrows closing the cycle.

    Taught in notebook 00 (seed 000 §2.1, 002 §2.3).

    Parameters
    ----------
    stages : dict of str to list of str
        Stage name -> the notebooks that teach it, in loop order (>= 2 stages).
    ax : matplotlib Axes, optional
        Where to draw; a new figure when None.

    Returns
    -------
    matplotlib Axes
        One text box per stage and one arrow patch per transition.

    Examples
    --------
    >>> ax = plot_maintenance_loop({"Monitor": ["01"], "Update": ["05"]})
    >>> len(ax.patches)
    2
    """
    import numpy as np
    from matplotlib.patches import FancyArrowPatch

    if not isinstance(stages, Mapping):
        raise InputTypeError(
            "stages must be a dict of stage name -> list of notebooks; "
            f"got {type(stages).__name__}"
        )
    if len(stages) < 2:
        raise ValueError(f"stages must name at least 2 stages; got {len(stages)}")
    for stage, notes in stages.items():
        check_str(stage, "stages")
        as_names(notes, f"stages[{stage!r}]", allow_empty=True)
    ax = get_ax(ax, figsize=(7.5, 5))
    names = list(stages)
    angles = np.pi / 2 - 2 * np.pi * np.arange(len(names)) / len(names)
    points = np.c_[1.4 * np.cos(angles), np.sin(angles)]
    box = {"boxstyle": "round,pad=0.5", "fc": "#dbe9f6", "ec": "#2b6ca3"}
    for name, (x, y) in zip(names, points, strict=True):
        ax.text(x, y, name, ha="center", va="center", fontsize=13, bbox=box)
        notes = "\n".join(stages[name])
        ax.text(x, y - 0.17, notes, ha="center", va="top", fontsize=8)
    for start, end in zip(points, np.roll(points, -1, axis=0), strict=True):
        arrow = FancyArrowPatch(
            start + 0.3 * (end - start),
            end - 0.3 * (end - start),
            arrowstyle="-|>",
            mutation_scale=18,
            color="#2b6ca3",
            connectionstyle="arc3,rad=0.3",
        )
        ax.add_patch(arrow)
    ax.set(xlim=(-2.1, 2.1), ylim=(-1.75, 1.3), title="The maintenance loop")
    ax.axis("off")
    return ax
